"""The `planner` command line. Commands parse arguments, call the library, and map the
project's exceptions to the exit codes of FORMATS.md (`common`). Each group of commands has
its module; importing them registers the commands on `app`, in the order `--help` lists them."""

from __future__ import annotations

from planner.cli.common import app

# isort: off
import planner.cli.plan_commands  # solve, quick, init, why
import planner.cli.replan_command
import planner.cli.check_commands  # check, schema, exercises
import planner.cli.import_command
import planner.cli.batch_command
import planner.cli.frontier_command
import planner.cli.studio_command  # noqa: F401
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    app()
