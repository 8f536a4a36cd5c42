"""`python -m planner.cli`: the command line."""

from planner.cli.commands import main

main()
