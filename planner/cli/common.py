"""What every command shares: the app, the options, the output settings, and how the
project's exceptions become the exit codes of FORMATS.md."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from planner.errors import InputError, PlannerError, Problem, error_text
from planner.io.output import check_target

if TYPE_CHECKING:
    from planner.domain.loads import Lift
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.report.export import ExportOptions

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
        "(.json .csv .md .ics .html .pdf; a file named log.csv: the training log template, "
        "other names with --format log), or --format fit a folder of watch workouts. Repeat "
        "for several files.",
    ),
]  # fmt: skip
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="json, csv, md, ics, html, log (the training log template), pdf (the training "
        "card) or fit (a folder of watch workouts): the format of -o, or print it (json to "
        "html, log).",
    ),
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
LogOption = Annotated[
    Path | None,
    typer.Option(
        "--log",
        help="A training log (CSV: date,status,minutes,exercise,sets,reps,load_kg,rpe): the "
        "coming week's loads follow it.",
    ),
]
WeeksOption = Annotated[
    int | None,
    typer.Option(
        "--weeks", min=1, help="The training card (html print, pdf) and the fit workouts hold "
        "this many weeks from the current one (default: every week; 4 for fit).",
    ),
]  # fmt: skip
WeeksFromOption = Annotated[
    str | None,
    typer.Option(
        "--weeks-from", metavar="DATE",
        help="The training card and the fit workouts start at the week holding this date "
        "(YYYY-MM-DD; default: today).",
    ),
]  # fmt: skip


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


PaperOption = Annotated[
    Paper | None,
    typer.Option(
        "--paper", case_sensitive=False,
        help="The training card's paper (pdf, html print); the printer's when not given.",
    ),
]  # fmt: skip
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
    weeks: int | None = None  # the training card's and the FIT workouts' weeks to come
    paper: Paper | str | None = None  # the training card's paper; None: the printer's
    today: dt.date | None = None  # where the weeks to come start; the current date when None

    def targets(self) -> list[tuple[Path, str]]:
        """(file, format) pairs; a usage error (exit 2) when a format cannot be told."""
        from planner.report.export import export_targets

        try:
            return export_targets(self.outputs, self.fmt)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="'--output' / '--format'") from None

    def refuse_overwrites(self, extra: list[Path] | None = None) -> None:
        """Refuse outputs that cannot be written, before any solve (OutputError): files that
        exist (without --force), a folder that cannot be made, a PDF without a browser."""
        from planner.report.export import check_targets

        check_targets(self.targets(), self.force)
        for path in extra or []:
            check_target(path, self.force)

    def export_options(self, unit: str) -> ExportOptions:
        from planner.report.export import ExportOptions

        return ExportOptions(
            session_hour=self.session_hour, run_unit=unit or None, weeks=self.weeks,
            today=self.today, paper=str(self.paper) if self.paper else None,
        )  # fmt: skip


def parse_date_option(text: str | None, option: str) -> dt.date | None:
    """A date option's date (`--weeks-from`, `--since`); a usage error (exit 2) when it is
    not one."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        message = f'"{text}" is not a date as YYYY-MM-DD'
        raise typer.BadParameter(message, param_hint=f"'{option}'") from None


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
    from planner.report.export import export_plan, write_exports
    from planner.report.render import render_plan

    unit = run_unit(scenario)
    options = settings.export_options(unit)
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


def read_lifts(path: Path | None, flag: str = "--log") -> list[Lift]:
    """The exercises lifted in a training log (`--log`), or InputError naming the file, line
    and field of each mistake."""
    if path is None:
        return []
    from planner.io.catalog_file import default_catalog
    from planner.io.done_log import read_training_log

    return read_training_log(path, default_catalog().by_id(), flag).lifts


def with_loads(plan: Plan, scenario: Scenario, lifts: list[Lift], start: dt.date) -> Plan:
    """The plan with the coming week's loads from `start` (`planner.domain.loads`)."""
    from planner.domain.loads import with_target_loads
    from planner.io.catalog_file import default_catalog

    level = scenario.athlete.level
    return with_target_loads(plan, lifts, default_catalog(), start, level=level)


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
