"""The `planner` command line. Commands parse arguments, call the library, and map the
project's exceptions to the exit codes of FORMATS.md."""

from __future__ import annotations

import datetime as dt
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
    from planner.pipeline.replan import ReplanRequest

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


def _run_unit(scenario: Scenario) -> str:
    """The scenario's run unit, or "" when it has no runs to measure."""
    return scenario.running.unit if scenario.runs_by_date() else ""


def _solve_with_progress(
    scenario: Scenario, time_limit: float, seed: int, workers: int, quiet: bool
) -> Plan:
    from planner.pipeline import SolveOptions, plan_scenario
    from planner.report.progress import LiveProgress, should_show

    live = LiveProgress(enabled=should_show(quiet, sys.stdout) and should_show(quiet, sys.stderr))
    with live:
        options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers, on_progress=live)
        return plan_scenario(scenario, options)


def _report(
    plan: Plan,
    scenario: Scenario,
    settings: OutputSettings,
    targets: list[tuple[Path, str]],
    cards: bool = True,
) -> None:
    """Write the exports, then print the plan JSON, an export, or the readable plan."""
    from planner.report.export import ExportOptions, export_plan, write_exports
    from planner.report.render import render_plan

    unit = _run_unit(scenario)
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
        render_plan(plan, out, unit=unit)
    for path in written:
        out.print(f"Wrote {path}", highlight=False, markup=False)


def _note_guesses(guesses: list[Problem]) -> None:
    """The importer's guesses, on stderr: a run plan is never read silently."""
    count = len(guesses)
    err.print(
        f"[yellow]The running plan was read with {count} guess{'es' if count != 1 else ''}[/] "
        "(check them with `planner import`):",
        highlight=False,
    )
    for guess in guesses:
        err.print(f"  {guess}", highlight=False, markup=False)


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: OutputOption = None,
    fmt: FormatOption = None,
    json: JsonOption = False,
    time_limit: TimeLimitOption = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = 2,
    force: ForceOption = False,
    quiet: QuietOption = False,
    session_hour: SessionHourOption = 18,
) -> None:
    """Solve a scenario file and print the plan week by week."""
    from planner.io.scenario_file import load_scenario_with_import

    settings = OutputSettings(list(output or []), fmt, json, quiet, force, session_hour)
    targets = settings.targets()

    def action() -> None:
        settings.refuse_overwrites()
        loaded, imported = load_scenario_with_import(scenario)
        if imported is not None and imported.guesses and not quiet:
            _note_guesses(imported.guesses)
        plan = _solve_with_progress(loaded, time_limit, seed, workers, quiet or json)
        _report(plan, loaded, settings, targets)

    run_guarded(action)


@app.command()
def quick(
    days: Annotated[str, typer.Option(help="Gym minutes per weekday, e.g. mon:45,wed:30,sat:60.")],
    weeks: Annotated[int | None, typer.Option(help="Block length in weeks (default 12).")] = None,
    race: Annotated[
        str | None,
        typer.Option(
            help="Race day and distance, e.g. 2027-04-18:half (5k|10k|half|marathon|ultra)."
        ),
    ] = None,
    runs: Annotated[
        str | None, typer.Option(help="Run days and kinds, e.g. tue:easy,thu:quality,sun:long.")
    ] = None,
    weekly: Annotated[
        str | None, typer.Option(help="Usual weekly distance, e.g. 40km or 25mi.")
    ] = None,
    equipment: Annotated[str | None, typer.Option(help="Equipment, e.g. band,dumbbell.")] = None,
    focus: Annotated[
        str | None, typer.Option(help="Focus 0-5, e.g. hip_stability:5,ankle_mobility:3.")
    ] = None,
    level: Annotated[str, typer.Option(help="novice, intermediate or advanced.")] = "intermediate",
    start: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default: next Monday).")
    ] = None,
    name: Annotated[str, typer.Option(help="The athlete's name.")] = "Runner",
    save: Annotated[
        Path | None, typer.Option(help="Also write the scenario built here (YAML).")
    ] = None,
    output: OutputOption = None,
    fmt: FormatOption = None,
    json: JsonOption = False,
    time_limit: TimeLimitOption = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = 2,
    force: ForceOption = False,
    quiet: QuietOption = False,
    session_hour: SessionHourOption = 18,
) -> None:
    """Plan from a few flags, without writing a scenario file first."""
    from planner.cli.quick import QuickAnswers, build_quick_scenario
    from planner.io.output import write_atomic

    settings = OutputSettings(list(output or []), fmt, json, quiet, force, session_hour)
    targets = settings.targets()
    answers = QuickAnswers(
        days=days, weeks=weeks, race=race, runs=runs, weekly=weekly, equipment=equipment,
        focus=focus, level=level, start=start, name=name, default_runs=True,
    )  # fmt: skip

    def action() -> None:
        settings.refuse_overwrites([save] if save else [])
        built = build_quick_scenario(answers)
        if save is not None:
            write_atomic(save, built.to_yaml(), force=force)
            if not (quiet or json):
                err.print(f"Saved the scenario to {save}", highlight=False, markup=False)
        plan = _solve_with_progress(built.scenario, time_limit, seed, workers, quiet or json)
        _report(plan, built.scenario, settings, targets)

    run_guarded(action)


def _parse_replan_flags(
    today: str,
    missed: list[str],
    done: list[Path],
    sick: list[str],
    unavailable: list[str],
    minutes: list[str],
    avoid: list[str],
) -> ReplanRequest:
    """The replan's events from the command line, or InputError naming each bad flag."""
    import datetime as dt

    from planner.errors import Problem
    from planner.io.done_log import read_done_log
    from planner.pipeline.replan import ReplanRequest
    from planner.vocabulary import WEEKDAYS, unknown_word

    problems: list[Problem] = []

    def date(flag: str, text: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            problems.append(Problem(flag, f'"{text}" is not a date as YYYY-MM-DD', CLI))
            return None

    def period(flag: str, text: str) -> tuple[dt.date, dt.date] | None:
        if ".." not in text:
            example = "e.g. 2027-02-08..2027-02-12"
            problems.append(Problem(flag, f'"{text}": expected FROM..TO, {example}', CLI))
            return None
        begin, end = text.split("..", 1)
        first, last = date(flag, begin), date(flag, end)
        return None if first is None or last is None else (first, last)

    request = ReplanRequest(today=date("--today", today) or dt.date.min)
    request.missed = [d for text in missed if (d := date("--missed", text)) is not None]
    request.sick = [p for text in sick if (p := period("--sick", text)) is not None]
    request.unavailable = [
        p for text in unavailable if (p := period("--unavailable", text)) is not None
    ]
    for text in minutes:
        written, _, amount = text.partition(":")
        day = written.strip().lower()[:3]
        if day not in WEEKDAYS:
            problems.append(Problem("--minutes", unknown_word("weekday", written, WEEKDAYS), CLI))
        elif not amount.strip().isdigit() or int(amount) > 300:
            message = f'"{text}": expected DAY:MINUTES, e.g. thu:0 (0 to 300)'
            problems.append(Problem("--minutes", message, CLI))
        else:
            request.minutes.append((day, int(amount)))
    request.avoid = list(avoid)
    for path in done:
        try:
            request.log += read_done_log(path)
            request.log_file = str(path)
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return request


@app.command()
def replan(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[Path, typer.Argument(help="The plan JSON to replan.")],
    today: Annotated[
        str, typer.Option(help="The replan date, YYYY-MM-DD: days before it are history.")
    ],
    missed: Annotated[
        list[str] | None, typer.Option(help="A planned session not done (DATE); repeatable.")
    ] = None,
    done: Annotated[
        list[Path] | None,
        typer.Option(help="A CSV log date,status[,minutes] (done, missed, partial); repeatable."),
    ] = None,
    sick: Annotated[
        list[str] | None,
        typer.Option(help="Ill from FROM..TO: no sessions; the first week back is lighter."),
    ] = None,
    unavailable: Annotated[
        list[str] | None, typer.Option(help="No gym time FROM..TO; repeatable.")
    ] = None,
    minutes: Annotated[
        list[str] | None,
        typer.Option(help="A weekday's new minutes from --today on, e.g. thu:0; repeatable."),
    ] = None,
    avoid: Annotated[
        list[str] | None,
        typer.Option(help="Avoid a catalog tag from --today on, e.g. high_impact."),
    ] = None,
    return_volume: Annotated[
        float,
        typer.Option(help="Share of the planned minutes in the first week back after an illness."),
    ] = 0.7,
    freeze_days: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Days from --today kept as planned unless an event forces a change "
            "(default: the rest of the week).",
        ),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option(
            help="Accept a benefit per minute this share below the best for fewer changes."
        ),
    ] = 0.02,
    output: OutputOption = None,
    fmt: FormatOption = None,
    json: JsonOption = False,
    time_limit: TimeLimitOption = 60.0,
    seed: SeedOption = 0,
    workers: WorkersOption = 2,
    force: ForceOption = False,
    quiet: QuietOption = False,
    session_hour: SessionHourOption = 18,
) -> None:
    """Replan a block after missed sessions, illness, injury or changed time, changing as
    few days as possible; prints what changed and why."""
    from planner.errors import InfeasibleError, NoPlanFoundError
    from planner.io.digest import scenario_sha256
    from planner.io.plan_file import load_plan
    from planner.io.scenario_file import load_scenario
    from planner.pipeline import SolveOptions, SolveStatus
    from planner.pipeline.replan import replan_scenario
    from planner.report.progress import LiveProgress, should_show
    from planner.report.render import render_changes

    settings = OutputSettings(list(output or []), fmt, json, quiet, force, session_hour)
    targets = settings.targets()

    def action() -> None:
        settings.refuse_overwrites()
        request = _parse_replan_flags(
            today,
            missed or [],
            done or [],
            sick or [],
            unavailable or [],
            minutes or [],
            avoid or [],
        )
        request.return_volume = return_volume
        request.freeze_days = freeze_days
        request.tolerance = tolerance
        loaded = load_scenario(scenario)
        old = load_plan(plan)
        quiet_live = quiet or json
        live = LiveProgress(
            enabled=should_show(quiet_live, sys.stdout) and should_show(quiet_live, sys.stderr)
        )
        with live:
            options = SolveOptions(
                time_limit=time_limit, seed=seed, workers=workers, on_progress=live
            )
            result = replan_scenario(
                loaded,
                old,
                request,
                options,
                scenario_sha256=scenario_sha256(loaded),
                plan_file=str(plan),
            )
        if result.status == SolveStatus.INFEASIBLE:
            strict = (
                "; with rules.strict: true the dose targets (R13, R16, R19) are hard, also in "
                "weeks the history already fell short in"
                if loaded.rules.strict
                else ""
            )
            raise InfeasibleError(
                "No plan satisfies the hard rules for the new situation: the history as it "
                f"was done and the events, even with the frozen days opened{strict}."
            )
        if result.plan is None:
            raise NoPlanFoundError(
                f"No plan was found within {time_limit:g} s; try a longer --time-limit."
            )
        if not (quiet or json) and settings.fmt is None:
            render_changes(result.plan, Console())
        _report(result.plan, result.scenario, settings, targets, cards=False)

    run_guarded(action)


def _prompt_until_valid(question: str, default: str | None, check: Callable[[str], object]) -> str:
    """Ask until `check` accepts the answer; explain what was wrong in between."""
    while True:
        if default is None:
            answer = typer.prompt(question)
        else:
            answer = typer.prompt(question, default=default, show_default=bool(default))
        try:
            check(str(answer))
        except ValueError as error:
            err.print(f"[red]{error}[/]", highlight=False)
            continue
        return str(answer)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the scenario.")] = Path(
        "scenario.yaml"
    ),
    force: ForceOption = False,
) -> None:
    """Answer a few questions and get a scenario file to edit and solve."""
    from planner.cli.quick import build_quick_scenario, interview
    from planner.io.output import write_atomic

    def action() -> None:
        check_target(path, force)
        typer.echo("A few questions to build your training block (Enter keeps the [default]).")
        built = build_quick_scenario(interview(_prompt_until_valid))
        write_atomic(path, built.to_yaml(), force=force)
        typer.echo(f"Wrote {path}: {built.scenario.name}. Next: planner solve {path}")

    run_guarded(action)


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[Path, typer.Argument(help="Plan JSON file.")],
) -> None:
    """Check a plan against every coaching rule and its stated objective. Exits 1 when a hard
    rule is broken; missed dose targets are listed apart and do not fail the check."""
    from planner.check.checker import check_plan
    from planner.io.plan_file import load_plan
    from planner.io.scenario_file import load_scenario

    def action() -> bool:
        report = check_plan(load_plan(plan), load_scenario(scenario))
        out = Console()
        if report.figures:
            figures = report.figures
            out.print(
                f"benefit {figures.benefit:.4f} · {figures.minutes} min · "
                f"{figures.benefit_per_minute:.6f} benefit/min",
                highlight=False,
            )
        for violation in report.violations:
            out.print(str(violation), highlight=False, markup=False)
        if report.missed:
            out.print(f"missed dose targets ({len(report.missed)}):", highlight=False)
            for target in report.missed:
                out.print(f"  {target}", highlight=False, markup=False)
        out.print(
            "clean: no rule violations" if report.ok else f"{len(report.violations)} violation(s)"
        )
        return report.ok

    if not run_guarded(action):
        raise typer.Exit(1)


def _block_option(start: str | None, weeks: int | None) -> tuple[dt.date | None, dt.date | None]:
    """(first day, last day) of `--start` and `--weeks`; a usage error when they do not fit."""
    if start is None:
        if weeks is not None:
            raise typer.BadParameter("give --start with --weeks", param_hint="'--weeks'")
        return None, None
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        raise typer.BadParameter(f'"{start}": write YYYY-MM-DD', param_hint="'--start'") from None
    return first, first + dt.timedelta(days=7 * weeks - 1) if weeks else None


def _check_timezone(name: str | None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if name is not None:
            ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        message = f'unknown time zone "{name}"; write a zone name such as Europe/Berlin'
        raise typer.BadParameter(message, param_hint="'--timezone'") from None


def _kinds_option(items: list[str]) -> dict[str, str]:
    """`--kind "Loading Up=skip"` -> {"Loading Up": "skip"}; a usage error otherwise."""
    from planner.domain.scenario import IMPORT_KINDS
    from planner.vocabulary import unknown_word

    kinds = {}
    for item in items:
        words, _, kind = item.rpartition("=")
        kind = kind.strip().lower()
        if not words.strip():
            raise typer.BadParameter(f'"{item}": write TITLE WORDS=KIND', param_hint="'--kind'")
        if kind not in IMPORT_KINDS:
            message = unknown_word("run kind", kind, IMPORT_KINDS)
            raise typer.BadParameter(message, param_hint="'--kind'")
        kinds[words.strip()] = kind
    return kinds


@app.command("import")
def import_plan(
    file: Annotated[Path, typer.Argument(help="Running plan: .ics calendar or .csv sheet.")],
    unit: Annotated[str, typer.Option(help="The plan's unit: mi or km.")],
    start: Annotated[
        str | None, typer.Option(help="First day of the block, YYYY-MM-DD: keeps its dates.")
    ] = None,
    weeks: Annotated[int | None, typer.Option(min=1, help="Weeks of the block.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="The athlete's time zone, e.g. America/New_York.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Make every guess an error (exit 3).")] = False,
    kind: Annotated[
        list[str] | None,
        typer.Option(help='Read titles with these words as a kind: "Loading Up=skip". Repeat.'),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print the reading as JSON instead of tables.")
    ] = False,
    save: Annotated[
        Path | None, typer.Option(help="Write the running weeks into a scenario (YAML).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Show how a running plan is read, day by day, to check it before solving."""
    import json as json_module

    from planner.io.imports import ImportSettings, read_running_plan, scenario_yaml
    from planner.io.output import write_atomic
    from planner.report.imports import render_import

    if unit not in ("mi", "km"):
        raise typer.BadParameter(f'"{unit}": write mi or km', param_hint="'--unit'")
    first, last = _block_option(start, weeks)
    _check_timezone(timezone)
    settings = ImportSettings(unit, first, last, timezone, strict, _kinds_option(kind or []))

    def action() -> None:
        if save is not None:
            check_target(save, force)
        report = read_running_plan(file, settings)
        if json:
            typer.echo(json_module.dumps(report.to_json(), indent=2, ensure_ascii=False))
        else:
            render_import(report, Console())
        if save is not None:
            write_atomic(save, scenario_yaml(report, first, weeks, timezone), force=force)
            err.print(f"Saved the scenario to {save}", highlight=False, markup=False)

    run_guarded(action)


@app.command()
def schema(
    squad: Annotated[
        bool, typer.Option("--squad", help="The squad file's schema (`planner batch`).")
    ] = False,
) -> None:
    """Print the JSON Schema of the scenario file (or of the squad file)."""
    import json

    from planner.domain.scenario import Scenario
    from planner.domain.squad import Squad

    model = Squad if squad else Scenario
    typer.echo(json.dumps(model.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@app.command()
def batch(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="A squad file, a folder of scenario files, or a glob such as 'squad/*.yaml'.",
        ),
    ],
    outdir: Annotated[
        Path,
        typer.Option("--output", "-o", help="Folder for the plans, their reports and the summary."),
    ],
    engine: Annotated[
        str, typer.Option(help="local (a process pool on this machine) or dask.")
    ] = "local",
    jobs: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Solves at once: local processes, or LocalCluster workers "
            "(default: one per core).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address, e.g. tcp://HOST:8786 (default: a "
            "LocalCluster on this machine)."
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per athlete, as for solve.")] = 60.0,
    seed: SeedOption = 0,
    force: Annotated[
        bool, typer.Option(help="Solve every athlete again, even those with a plan already.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Plan a squad: every athlete of a squad file or folder, one solve per core, locally or on
    a Dask cluster. Exits 0 when every athlete has a plan, 6 when some have none."""
    from planner.batch import BatchOptions, collect_entries, run_batch
    from planner.batch.engines import ENGINES
    from planner.batch.progress import BatchProgressBar
    from planner.batch.summary import print_summary
    from planner.report.progress import should_show

    if engine not in ENGINES:
        raise typer.BadParameter(f"expected one of: {', '.join(ENGINES)}", param_hint="'--engine'")
    if scheduler is not None and engine != "dask":
        raise typer.BadParameter("needs --engine dask", param_hint="'--scheduler'")
    options = BatchOptions(time_limit, seed, engine, jobs, scheduler, force)

    def action() -> int:
        title, entries = collect_entries(source)
        enabled = should_show(quiet, sys.stderr)
        with BatchProgressBar(len(entries), enabled=enabled) as bar:
            report = run_batch(title, entries, outdir, options, on_progress=bar)
        if not quiet:
            # A pipe or file gets the whole table: 120 columns, not the default 80.
            width = None if sys.stdout.isatty() else 120
            print_summary(report, Console(soft_wrap=True, width=width))
        if report.interrupted:
            err.print("Interrupted: the plans written so far are kept; run again to finish.")
            return 130
        return report.exit_code

    code = run_guarded(action)
    if code:
        raise typer.Exit(code)


@app.command()
def exercises(
    category: Annotated[
        str | None, typer.Option(help="mobility, power, strength, accessory or core.")
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(help="Only exercises doable with this equipment, e.g. band,dumbbell."),
    ] = None,
    tag: Annotated[
        str | None, typer.Option(help="Only exercises with this tag, e.g. unilateral.")
    ] = None,
) -> None:
    """List the exercise catalog."""
    from planner.cli.quick import parse_equipment
    from planner.errors import Problem
    from planner.io.catalog_file import default_catalog
    from planner.report.render import exercise_table, select_exercises
    from planner.vocabulary import CATEGORIES, unknown_word

    def action() -> None:
        catalog = default_catalog()
        problems = []
        if category is not None and category not in CATEGORIES:
            problems.append(
                Problem("--category", unknown_word("category", category, CATEGORIES), CLI)
            )
        if tag is not None and tag not in catalog.tags:
            problems.append(Problem("--tag", unknown_word("tag", tag, catalog.tags), CLI))
        kit = None
        if equipment is not None:
            try:
                kit = parse_equipment(equipment)
            except ValueError as error:
                problems.append(Problem("--equipment", str(error), CLI))
        if problems:
            raise InputError(problems)
        chosen = select_exercises(catalog, category, kit, tag)
        Console().print(exercise_table(chosen))

    run_guarded(action)


def main() -> None:
    app()
