"""`planner replan`: adjust a plan in place after what happened."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    CLI,
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
    WeeksOption,
    WorkersOption,
    app,
    read_lifts,
    report_plan,
    run_guarded,
    with_loads,
)
from planner.errors import InputError, Problem

if TYPE_CHECKING:
    from planner.domain.loads import Lift
    from planner.pipeline.replan import ReplanRequest


def _parse_replan_flags(
    today: str,
    missed: list[str],
    done: list[Path],
    sick: list[str],
    unavailable: list[str],
    minutes: list[str],
    avoid: list[str],
    log: Path | None = None,
) -> tuple[ReplanRequest, list[Lift]]:
    """The replan's events from the command line and the exercises lifted (`--done` and
    `--log`), or InputError naming each bad flag."""
    import datetime as dt

    from planner.errors import Problem
    from planner.io.catalog_file import default_catalog
    from planner.io.done_log import read_training_log
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
    lifts: list[Lift] = []
    exercises = default_catalog().by_id()
    for path in done:
        try:
            read = read_training_log(path, exercises)
        except InputError as error:
            problems.extend(error.problems)
            continue
        request.log += read.entries
        request.log_file = str(path)
        lifts += read.lifts
    try:
        lifts += read_lifts(log)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return request, lifts


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
        typer.Option(
            help="A training log, CSV date,status[,minutes] (done, missed, partial), or with "
            "exercise,sets,reps,load_kg,rpe: what was done, and the loads; repeatable."
        ),
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
    log: LogOption = None,
    weeks: WeeksOption = None,
    paper: PaperOption = None,
) -> None:
    """Replan a block after missed sessions, illness, injury or changed time, changing as
    few days as possible; prints what changed and why, and the coming week's loads from the
    training log."""
    from planner.errors import InfeasibleError, NoPlanFoundError
    from planner.io.digest import scenario_sha256
    from planner.io.plan_file import load_plan
    from planner.io.scenario_file import load_scenario
    from planner.pipeline import SolveOptions, SolveStatus
    from planner.pipeline.replan import replan_scenario
    from planner.report.progress import LiveProgress, should_show
    from planner.report.render import render_changes, render_loads

    settings = OutputSettings(
        list(output or []), fmt, json, quiet, force, session_hour, weeks=weeks, paper=paper
    )
    targets = settings.targets()

    def action() -> None:
        settings.refuse_overwrites()
        request, lifts = _parse_replan_flags(
            today,
            missed or [],
            done or [],
            sick or [],
            unavailable or [],
            minutes or [],
            avoid or [],
            log,
        )
        settings.today = request.today  # the card and the watch start from the replan's today
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
        new_plan = with_loads(result.plan, loaded, lifts, request.today)
        if not (quiet or json) and settings.fmt is None:
            render_changes(new_plan, Console())
            render_loads(new_plan, Console(), request.today)
        report_plan(new_plan, result.problem.scenario, settings, targets, cards=False)

    run_guarded(action)
