"""The `planner` command line."""

from planner.cli.commands import app, main

__all__ = ["app", "main"]
