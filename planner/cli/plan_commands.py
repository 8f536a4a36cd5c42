"""Commands that make a plan: `solve`, `quick`, `init`, and `why` (a question about one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    ForceOption,
    FormatOption,
    JsonOption,
    LogOption,
    OutputOption,
    OutputSettings,
    PaperOption,
    QuietOption,
    SeedOption,
    SessionHourOption,
    TimeLimitOption,
    WeeksFromOption,
    WeeksOption,
    WhyOption,
    WorkersOption,
    app,
    err,
    note_guesses,
    parse_date_option,
    read_lifts,
    report_plan,
    run_guarded,
    solve_with_progress,
    with_loads,
)
from planner.io.output import check_target

if TYPE_CHECKING:
    from planner.domain.loads import Lift
    from planner.domain.scenario import Scenario


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
    why: WhyOption = False,
    log: LogOption = None,
    weeks: WeeksOption = None,
    weeks_from: WeeksFromOption = None,
    paper: PaperOption = None,
) -> None:
    """Solve a scenario file and print the plan week by week; with --log, the coming
    week's loads follow the training log."""
    from planner.io.scenario_file import load_scenario_with_import

    settings = OutputSettings(
        list(output or []), fmt, json, quiet, force, session_hour, why, weeks=weeks, paper=paper,
        today=parse_date_option(weeks_from, "--weeks-from"),
    )  # fmt: skip
    targets = settings.targets()

    def action() -> None:
        settings.refuse_overwrites()
        loaded, imported = load_scenario_with_import(scenario)
        lifts = read_lifts(log)
        if imported is not None and imported.guesses and not quiet:
            note_guesses(imported.guesses)
        plan = solve_with_progress(loaded, time_limit, seed, workers, quiet or json)
        start, note = coming_start(loaded, lifts)
        if note and not (quiet or json):
            err.print(f"[yellow]Note:[/] {note}", highlight=False)
        settings.today = settings.today or start
        report_plan(with_loads(plan, loaded, lifts, start), loaded, settings, targets)

    run_guarded(action)


def coming_start(scenario: Scenario, lifts: list[Lift]) -> tuple[dt.date, str | None]:
    """The first day of the coming sessions, and a note when the log leaves none to come:
    the block start (a log before the block, or none); the day after the last day the log
    holds, when that falls within the block; the block's last day when the log reaches it
    or goes past it (the block is over: its last week is all a card or a watch can show)."""
    start, last = scenario.block.start, scenario.block.last_day
    if not lifts:
        return start, None
    logged = max(lift.date for lift in lifts)
    after = logged + dt.timedelta(days=1)
    if after <= start:
        return start, None
    if after <= last:
        return after, None
    reach = f"to the block's last day ({last:%a %d %b %Y})"
    if logged > last:
        reach = f"to {logged:%a %d %b %Y}, past the block's last day ({last:%a %d %b %Y})"
    return last, (
        f"the log runs {reach}: no session of this block is left to come, so the loads, the "
        "card and the watch start at its last day"
    )


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
    exclude: Annotated[
        str | None,
        typer.Option(help="Exercises never to use (the coach's say, R18), e.g. pistol_squat."),
    ] = None,
    pin: Annotated[
        str | None,
        typer.Option(
            help="Fixed days (R18), e.g. 2027-02-03:none,2027-02-05:hard,"
            "2027-02-10:back_squat+pallof_press."
        ),
    ] = None,
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
        focus=focus, level=level, start=start, name=name, default_runs=True, exclude=exclude,
        pin=pin,
    )  # fmt: skip

    def action() -> None:
        settings.refuse_overwrites([save] if save else [])
        built = build_quick_scenario(answers)
        if save is not None:
            write_atomic(save, built.to_yaml(), force=force)
            if not (quiet or json):
                err.print(f"Saved the scenario to {save}", highlight=False, markup=False)
        plan = solve_with_progress(built.scenario, time_limit, seed, workers, quiet or json)
        report_plan(plan, built.scenario, settings, targets)

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
def why(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[Path, typer.Argument(help="The plan JSON to ask about.")],
    force_: Annotated[
        list[str] | None,
        typer.Option(
            "--force",
            help="EXERCISE@DATE (a session that day holds it) or EXERCISE (every "
            "week with a hard session).",
        ),
    ] = None,
    forbid: Annotated[list[str] | None, typer.Option(help="DATE: no session that day.")] = None,
    move: Annotated[
        list[str] | None, typer.Option(help="FROM:TO: the session of FROM on TO instead.")
    ] = None,
    swap: Annotated[
        list[str] | None, typer.Option(help="OLD:NEW: never OLD, NEW in every hard week.")
    ] = None,
    session: Annotated[
        list[str] | None, typer.Option(help="DATE:hard|light|none: that kind of day.")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the answer's plan (with -o).")
    ] = False,
    output: OutputOption = None,
    fmt: FormatOption = None,
    time_limit: TimeLimitOption = 55.0,
    seed: SeedOption = 0,
    workers: WorkersOption = 2,
    keep: Annotated[
        bool,
        typer.Option(
            "--keep", help="Write the question into SCENARIO's coach: section (when possible)."
        ),
    ] = False,
    overwrite: Annotated[
        bool, typer.Option(help="Overwrite existing output files (--force asks a question).")
    ] = False,
    quiet: QuietOption = False,
    session_hour: SessionHourOption = 18,
) -> None:
    """Ask what a change would cost: solve again with the question as the coach's say (R18)
    and compare with PLAN. Exits 4, naming the rules in the way, when no plan can do it."""
    from planner.io.catalog_file import default_catalog
    from planner.io.plan_file import load_plan
    from planner.io.scenario_file import load_scenario
    from planner.pipeline import SolveOptions
    from planner.pipeline import why as asking

    settings = OutputSettings(list(output or []), fmt, False, quiet, overwrite, session_hour)
    targets = settings.targets()
    if output and not apply:
        raise typer.BadParameter("add --apply to write the answer's plan", param_hint="'-o'")

    def action() -> None:
        settings.refuse_overwrites()
        loaded, before = load_scenario(scenario), load_plan(plan)
        question = asking.Question()
        for text in force_ or []:
            question = question.merged(asking.force(text))
        for text in forbid or []:
            question = question.merged(asking.forbid(text))
        for text in move or []:
            question = question.merged(asking.move(text, before))
        for text in swap or []:
            question = question.merged(asking.swap(text))
        for text in session or []:
            question = question.merged(asking.session(text))
        if not question:
            raise typer.BadParameter(
                "ask something: --force, --forbid, --move, --swap or --session"
            )
        options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers)
        answer = asking.ask(loaded, before, question, options)
        new_plan = answer.plan_or_raise(time_limit)
        out = Console()
        for line in answer.lines():
            out.print(line, highlight=False, markup=False)
        if apply:
            report_plan(new_plan, loaded, settings, targets, cards=False)
        if keep:
            _keep_question(scenario, asking.with_question(loaded, question, default_catalog()))
            out.print(f"Kept the question in the coach: section of {scenario}.", highlight=False)

    run_guarded(action)


def _keep_question(path: Path, asked: Scenario) -> None:
    """The scenario file with the question in its `coach:` section; every other line as the
    coach wrote it."""
    from planner.io.output import write_atomic
    from planner.io.scenario_yaml import with_coach_section

    coach = asked.coach.model_dump(exclude_none=True)
    text = with_coach_section(path.read_text(encoding="utf-8"), coach)
    write_atomic(path, text, force=True)
