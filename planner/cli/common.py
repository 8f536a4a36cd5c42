"""What every command shares: the app, the options, the output settings, and how the
project's exceptions become the exit codes of FORMATS.md."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from planner.errors import InputError, PlannerError, Problem, error_text
from planner.io.output import check_target

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

app = typer.Typer(
    help="Plan strength and mobility training for distance runners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)  # messages keep their words whole
T = TypeVar("T")
CLI = "command line"


def print_error(error: PlannerError) -> None:
    """The error's text (`error_text`, shared with the batch summary) on stderr; the heading
    of an input error in bold red."""
    text = Text(error_text(error))
    if isinstance(error, InputError):
        text.stylize("bold red", 0, len("Invalid input"))
    err.print(text, highlight=False)


def run_guarded(action: Callable[[], T]) -> T:
    """Run `action`; report the project's errors in words and exit with their code."""
    try:
        return action()
    except PlannerError as error:
        print_error(error)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        err.print("Interrupted.")
        raise typer.Exit(130) from None


# --- options shared by `solve` and `quick` -------------------------------------------------

OutputOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--output", "-o", help="Write the plan here; the extension picks the format "
        "(.json .csv .md .ics .html). Repeat for several files.",
    ),
]  # fmt: skip
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="json, csv, md, ics or html: the format of -o, or print it."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the plan JSON instead of the readable plan.")
]
TimeLimitOption = Annotated[float, typer.Option(help="Seconds for the whole solve.")]
SeedOption = Annotated[int, typer.Option(help="Random seed of the solver.")]
WorkersOption = Annotated[int, typer.Option(help="Solver threads.")]
ForceOption = Annotated[bool, typer.Option(help="Overwrite existing output files.")]
QuietOption = Annotated[bool, typer.Option(help="Print nothing but errors.")]
WhyOption = Annotated[
    bool,
    typer.Option(
        "--why", help="Say on each session card why it is on its day and why each item is in it."
    ),
]
SessionHourOption = Annotated[
    int, typer.Option(min=0, max=23, help="Calendar export: the hour sessions start (0-23).")
]


@dataclass
class OutputSettings:
    """What to do with a plan once it is solved."""

    outputs: list[Path] = field(default_factory=list)
    fmt: str | None = None
    json: bool = False
    quiet: bool = False
    force: bool = False
    session_hour: int = 18
    why: bool = False  # the terminal's session cards say why (the files always do)

    def targets(self) -> list[tuple[Path, str]]:
        """(file, format) pairs; a usage error (exit 2) when a format cannot be told."""
        from planner.report.export import export_targets

        try:
            return export_targets(self.outputs, self.fmt)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="'--output' / '--format'") from None

    def refuse_overwrites(self, extra: list[Path] | None = None) -> None:
        for path in [*self.outputs, *(extra or [])]:
            check_target(path, self.force)


def run_unit(scenario: Scenario) -> str:
    """The scenario's run unit, or "" when it has no runs to measure."""
    return scenario.running.unit if scenario.runs_by_date() else ""


def solve_with_progress(
    scenario: Scenario, time_limit: float, seed: int, workers: int, quiet: bool
) -> Plan:
    from planner.pipeline import SolveOptions, plan_scenario
    from planner.report.progress import LiveProgress, should_show

    live = LiveProgress(enabled=should_show(quiet, sys.stdout) and should_show(quiet, sys.stderr))
    with live:
        options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers, on_progress=live)
        return plan_scenario(scenario, options)


def report_plan(
    plan: Plan,
    scenario: Scenario,
    settings: OutputSettings,
    targets: list[tuple[Path, str]],
    cards: bool = True,
) -> None:
    """Write the exports, then print the plan JSON, an export, or the readable plan."""
    from planner.report.export import ExportOptions, export_plan, write_exports
    from planner.report.render import render_plan

    unit = run_unit(scenario)
    options = ExportOptions(session_hour=settings.session_hour, run_unit=unit or None)
    written = write_exports(plan, targets, options, force=settings.force)
    if settings.json:
        sys.stdout.write(plan.to_json())
        return
    if settings.fmt is not None and not settings.outputs:
        content = export_plan(plan, settings.fmt, options)
        sys.stdout.write(content.decode("utf-8") if isinstance(content, bytes) else content)
        return
    if settings.quiet:
        return
    out = Console()
    if cards:
        render_plan(plan, out, unit=unit, why=settings.why)
    for path in written:
        out.print(f"Wrote {path}", highlight=False, markup=False)


def note_guesses(guesses: list[Problem]) -> None:
    """The importer's guesses, on stderr: a run plan is never read silently."""
    count = len(guesses)
    err.print(
        f"[yellow]The running plan was read with {count} guess{'es' if count != 1 else ''}[/] "
        "(check them with `planner import`):",
        highlight=False,
    )
    for guess in guesses:
        err.print(f"  {guess}", highlight=False, markup=False)
