"""Replanning a block after what happened: missed sessions, illness, injury, changed time.

`replan_scenario(scenario, old_plan, request, options)` holds the events, the seam and the
call: the old plan and the events give the situation and the seam, and one re-solve
(`solve_scenario` with the seam's days as `Restrictions`, the old plan as its base and the
fewest changes as its `Churn`) gives the plan:

- **history** (days before `today`) is fixed as it was done: a missed session becomes a day
  off marked `missed`, a partial session keeps the items that fit its minutes;
- the **rest of the current week** (or `freeze_days` days) is frozen to the old plan unless
  an event forces a change there: a sick or unavailable day, a changed weekday, an avoided
  tag in its session, the first week back after an illness, or a missed or partial session
  earlier in that week; when no plan keeps the frozen days, they are opened once;
- the **later weeks** are free.

The plan records `replanned_from` (with every event so far, so that the checker can rebuild
the situation, and the planned days' figures) and `changes`, each with its reason
(pipeline/changes.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from planner.domain.calendar import Calendar, build_calendar
from planner.domain.catalog import Catalog
from planner.domain.plan import Item, Plan, Session, is_missed
from planner.domain.replan import (
    DEFAULT_RETURN_VOLUME,
    RETURN_NO_PLYO_DAYS,
    Event,
    avoided_from,
    situation,
    with_avoided,
)
from planner.domain.scenario import Scenario
from planner.errors import InputError, Problem
from planner.io.catalog_file import default_catalog
from planner.io.done_log import LogEntry
from planner.pipeline.changes import replan_changes
from planner.pipeline.solve import CHURN_TOLERANCE, Churn, Result, solve_scenario
from planner.solver.problem import DayLimit, Restrictions, evaluate
from planner.solver.run import Deadline, SolveOptions
from planner.solver.solution import SolveStatus
from planner.vocabulary import HARD_CATEGORIES, WEEKDAYS

CLI = "command line"


@dataclass
class ReplanRequest:
    """What happened, as the command line gives it."""

    today: dt.date
    missed: list[dt.date] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    log_file: str | None = None
    sick: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    unavailable: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    minutes: list[tuple[str, int]] = field(default_factory=list)  # weekday, minutes
    avoid: list[str] = field(default_factory=list)
    return_volume: float = DEFAULT_RETURN_VOLUME
    freeze_days: int | None = None
    tolerance: float = CHURN_TOLERANCE


# --- reading the old plan and the events ----------------------------------------------------


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def old_events(plan: Plan) -> list[Event]:
    source = plan.replanned_from()
    return [] if source is None else [Event.model_validate(e) for e in source.events]


def _belongs(
    plan: Plan, scenario: Scenario, sha256: str | None, plan_file: str | None
) -> list[Problem]:
    """Does the old plan belong to the scenario? Its recorded sha256 if it has one, else its
    days (dates and minutes) against the scenario as its events left it."""
    recorded = None
    source = plan.replanned_from()
    if source is not None and source.sha256:
        recorded = source.sha256
    solver = (plan.model_extra or {}).get("solver")
    extra = solver.get("scenario_sha256") if isinstance(solver, dict) else None
    if recorded is None and isinstance(extra, str):
        recorded = extra  # what `solve` and `batch` record
    if recorded is not None and sha256 is not None:
        if recorded != sha256:
            return [
                Problem(
                    "PLAN",
                    f"the plan was made for another scenario (sha256 {recorded[:12]}…, "
                    f"this scenario's is {sha256[:12]}…)",
                    plan_file,
                )
            ]
        return []
    calendar = build_calendar(situation(scenario, old_events(plan)))
    expected = [(d.date, d.available_minutes) for d in calendar.days]
    got = [(d.date, d.available_minutes) for d in plan.days]
    if got != expected:
        first = next(
            (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b),
            min(len(got), len(expected)),
        )
        where = str(got[first][0]) if first < len(got) else "the end of the block"
        return [
            Problem(
                "PLAN",
                f"the plan's days do not match the scenario (first difference at {where}); "
                "was it made for another scenario?",
                plan_file,
            )
        ]
    return []


def _validate(
    request: ReplanRequest,
    scenario: Scenario,
    plan: Plan,
    tags: tuple[str, ...],
) -> list[Problem]:
    problems: list[Problem] = []
    start, last = scenario.block.start, scenario.block.last_day
    today = request.today
    if not start <= today <= last:
        problems.append(
            Problem("--today", f"{today} is outside the block ({start} to {last})", CLI)
        )
        return problems
    source = plan.replanned_from()
    if source is not None and today < source.date:
        problems.append(
            Problem("--today", f"{today} is before the plan's own replan date {source.date}", CLI)
        )
    sessions = {d.date: d.session for d in plan.days}
    for date in request.missed:
        if not start <= date <= today:
            problems.append(
                Problem(
                    "--missed",
                    f"{date} is not a day between the block start and --today ({start} to {today})",
                    CLI,
                )
            )
        elif sessions.get(date) is None:
            problems.append(Problem("--missed", f"no session was planned on {date}", CLI))
    for entry in request.log:
        if not start <= entry.date <= today:
            problems.append(
                Problem(
                    "--done",
                    f"{entry.date} is not a day between the block start and "
                    f"--today ({start} to {today})",
                    request.log_file,
                    entry.line,
                )
            )
        elif sessions.get(entry.date) is None and entry.status != "missed":
            problems.append(
                Problem(
                    "--done",
                    f"no session was planned on {entry.date}",
                    request.log_file,
                    entry.line,
                )
            )
    for flag, periods in (("--sick", request.sick), ("--unavailable", request.unavailable)):
        for begin, end in periods:
            if end < begin:
                problems.append(Problem(flag, f"{begin}..{end}: the end is before the start", CLI))
            elif end < start or begin > last:
                problems.append(
                    Problem(flag, f"{begin}..{end} is outside the block ({start} to {last})", CLI)
                )
    for tag in request.avoid:
        if tag not in tags:
            from planner.vocabulary import unknown_word

            problems.append(Problem("--avoid", unknown_word("tag", tag, tags), CLI))
    if not 0 <= request.tolerance < 1:
        problems.append(Problem("--tolerance", "expected a share from 0 to 1, e.g. 0.02", CLI))
    if not 0 <= request.return_volume <= 1:
        problems.append(Problem("--return-volume", "expected a share from 0 to 1, e.g. 0.7", CLI))
    return problems


def _new_events(request: ReplanRequest, plan: Plan, scenario: Scenario) -> list[Event]:
    """The request's events, dated, with each illness's return-week cap from the old plan."""
    events: list[Event] = []
    start, last = scenario.block.start, scenario.block.last_day
    for date in sorted(set(request.missed)):
        events.append(Event(kind="missed", date=date))
    for entry in request.log:
        if entry.status == "missed" and entry.date not in request.missed:
            events.append(Event(kind="missed", date=entry.date))
        elif entry.status == "partial":
            events.append(Event(kind="partial", date=entry.date, minutes=entry.minutes))
    minutes_by_date = {d.date: d.session.minutes for d in plan.days if d.session is not None}
    for begin, end in request.sick:
        begin, end = max(begin, start), min(end, last)
        window = [end + dt.timedelta(days=i) for i in range(1, 8)]
        planned = sum(minutes_by_date.get(date, 0) for date in window)
        cap = int(request.return_volume * planned + 1e-9)
        events.append(
            Event.model_validate(
                {
                    "kind": "sick",
                    "from": begin,
                    "to": end,
                    "return_volume": request.return_volume,
                    "return_minutes": cap,
                }
            )
        )
    for begin, end in request.unavailable:
        begin, end = max(begin, start), min(end, last)
        events.append(Event.model_validate({"kind": "unavailable", "from": begin, "to": end}))
    for weekday, minutes in request.minutes:
        events.append(
            Event.model_validate(
                {"kind": "minutes", "weekday": weekday, "minutes": minutes, "from": request.today}
            )
        )
    for tag in dict.fromkeys(request.avoid):
        events.append(Event.model_validate({"kind": "avoid", "tag": tag, "from": request.today}))
    return events


# --- fixed days ---------------------------------------------------------------------------------


def trim(session: Session, minutes: int | None) -> Session | None:
    """A session done in part: the items (in template order, a pair whole or not at all)
    that fit its minutes (half of the session when not given). None when not even the first
    item fits."""
    budget = session.minutes // 2 if minutes is None else minutes
    items: list[Item] = []
    used = 0
    for item in session.items:
        if item.pair and items and items[-1].pair == item.pair:
            continue  # the second item of a pair: kept or dropped with the first
        unit = [other for other in session.items if item.pair and other.pair == item.pair]
        unit = unit or [item]
        # A pair done in part counts its items alone: never less than it took (R17).
        cost = sum(member.minutes for member in unit)
        if used + cost > budget:
            break
        items += unit
        used += cost
    if not items:
        return None
    hard = any(item.category in HARD_CATEGORIES for item in items)
    trimmed = Session(
        minutes=used,
        hard=hard,
        after_run=session.after_run and hard,
        items=items,
        kind=session.kind if hard == session.hard else "light",
        partial=True,
    )
    return trimmed


@dataclass
class Seam:
    """The days of the block as the replan sees them."""

    history: dict[dt.date, Session | None]  # before today (and a missed today)
    missed: set[dt.date]
    frozen: dict[dt.date, Session | None]  # kept as in the old plan
    released: dict[dt.date, str]  # frozen-window days an event opened, and why
    free: list[dt.date]


def _seam(
    request: ReplanRequest,
    plan: Plan,
    calendar: Calendar,
    events: list[Event],
    new_events: list[Event],
    release_all: bool,
) -> Seam:
    today = request.today
    old = {d.date: d for d in plan.days}
    missed = {e.date for e in events if e.kind == "missed" and e.date is not None}
    missed |= {d.date for d in plan.days if is_missed(d)}
    partial = {e.date: e.minutes for e in new_events if e.kind == "partial" and e.date}
    # Days the log or the flags report on (today included) are history, as reported.
    reported = missed | set(partial) | {entry.date for entry in request.log}
    off = {date for e in events if e.kind in ("sick", "unavailable") for date in e.days()}
    history: dict[dt.date, Session | None] = {}
    for day in calendar.days:
        if day.date >= today and day.date not in reported:
            continue
        session = old[day.date].session
        if day.date in missed or (session is not None and day.date in off):
            if session is not None or is_missed(old[day.date]):
                missed.add(day.date)
            session = None
        elif session is not None and day.date in partial:
            session = trim(session, partial[day.date])
            if session is None:
                missed.add(day.date)
        history[day.date] = session
    # The frozen window: the rest of the current week, or `freeze_days` days.
    week_of = {d.date: d for d in calendar.days}
    current = week_of[today].week
    if request.freeze_days is None:
        window = [d.date for d in calendar.weeks[current - 1].days if d.date >= today]
    else:
        window = [
            d
            for d in _days(today, today + dt.timedelta(days=request.freeze_days - 1))
            if d in week_of
        ]
    window = [d for d in window if d not in history]
    avoid = avoided_from(new_events)
    touched_weeks = {
        week_of[e.date].week for e in new_events if e.kind in ("missed", "partial") and e.date
    }
    returns = {date for e in events for date in e.return_window()}
    released: dict[dt.date, str] = {}
    frozen: dict[dt.date, Session | None] = {}
    for date in window:
        day = week_of[date]
        session = old[date].session
        reason = None
        if release_all:
            reason = "the frozen days could not be kept with the new history"
        elif date in off:
            reason = "no gym time that day"
        elif any(e.kind == "minutes" and e.weekday == WEEKDAYS[date.weekday()] for e in new_events):
            reason = "the day's minutes changed"
        elif session is not None and session.minutes > day.available_minutes:
            reason = "the session no longer fits the day"
        elif session is not None and any(set(i.tags) & set(avoid) for i in session.items):
            reason = "the session holds an avoided exercise"
        elif date in returns:
            reason = "first week back after an illness"
        elif day.week in touched_weeks:
            reason = "a session of this week was missed"
        if reason is None:
            frozen[date] = session
        else:
            released[date] = reason
    free = [d.date for d in calendar.days if d.date not in history and d.date not in frozen]
    return Seam(history, missed, frozen, released, free)


def replan_scenario(
    scenario: Scenario,
    old_plan: Plan,
    request: ReplanRequest,
    options: SolveOptions | None = None,
    catalog: Catalog | None = None,
    scenario_sha256: str | None = None,
    plan_file: str | None = None,
) -> Result:
    """Replan `old_plan` of `scenario` after the events of `request`: one re-solve with the
    seam's given days, hinted from the old plan, with the fewest changes. Raises InputError
    (exit 3) for bad input; never raises for a situation without a plan."""
    options = options or SolveOptions()
    catalog = catalog or default_catalog()
    problems = _validate(request, scenario, old_plan, catalog.tags)
    problems += _belongs(old_plan, scenario, scenario_sha256, plan_file)
    if problems:
        raise InputError(problems)
    previous = old_events(old_plan)
    new_events = _new_events(request, old_plan, scenario)
    events = [*previous, *new_events]
    situated = situation(scenario, events)
    planning = with_avoided(situated, list(avoided_from(events)))
    calendar = build_calendar(situated)
    limits = tuple(
        DayLimit(
            tuple(e.return_window()),
            e.return_minutes,
            tuple(e.return_window()[:RETURN_NO_PLYO_DAYS]),
        )
        for e in events
        if e.kind == "sick"
    )
    timed = replace(
        options, deadline=options.deadline or Deadline.after(options.time_limit), explain=False
    )
    for release_all in (False, True):
        seam = _seam(request, old_plan, calendar, events, new_events, release_all)
        restrictions = Restrictions(
            history=seam.history,
            frozen=seam.frozen,
            limits=limits,
            main_before=_main_by_week(old_plan),
            missed=frozenset(seam.missed),
            since=request.today,
        )
        result = solve_scenario(
            planning,
            timed,
            catalog,
            base=old_plan,
            restrictions=restrictions,
            churn=Churn(_weights(calendar, seam, request.today), request.tolerance),
        )
        # Frozen days that the new history leaves without a plan are opened, once.
        if result.status != SolveStatus.INFEASIBLE or not seam.frozen:
            break
    if result.plan is not None:
        _record(result, old_plan, request, seam, events, new_events, scenario_sha256)
    return result


def _main_by_week(plan: Plan) -> dict[int, frozenset[str]]:
    """The main (power and strength) exercises of each week of the old plan (R14)."""
    main: dict[int, set[str]] = {}
    for day in plan.days:
        for item in day.session.items if day.session else []:
            if item.category in HARD_CATEGORIES:
                main.setdefault(day.week, set()).add(item.exercise)
    return {week: frozenset(ids) for week, ids in main.items()}


def _weights(calendar: Calendar, seam: Seam, today: dt.date) -> dict[dt.date, int]:
    """A change weighs more the nearer its week: the current week the most."""
    week_of = {d.date: d.week for d in calendar.days}
    horizon = len(calendar.weeks) - week_of[today] + 1
    return {date: max(1, horizon - (week_of[date] - week_of[today])) for date in seam.free}


def _record(
    result: Result,
    old: Plan,
    request: ReplanRequest,
    seam: Seam,
    events: list[Event],
    new_events: list[Event],
    scenario_sha256: str | None,
) -> None:
    """Write where the plan came from (`replanned_from`, with every event so far, so that
    the checker can rebuild the situation) and its changes, each with its reason."""
    plan = result.plan
    assert plan is not None
    scenario = result.problem.scenario
    changes = replan_changes(old, plan, seam.free, seam.missed, events, new_events, scenario)
    planned_units, planned_minutes = evaluate(result.problem, result.solution.contents)
    planned = result.problem.benefit_points(planned_units)
    bound = result.solution.ratio_bound
    objective = plan.objective
    extra = plan.model_extra
    assert extra is not None
    extra["replanned_from"] = {
        "scenario": old.scenario,
        "sha256": scenario_sha256,
        "date": request.today.isoformat(),
        "events": [e.dump() for e in events],
        "tolerance": request.tolerance,
        "frozen_days": [d.isoformat() for d in sorted(seam.frozen)],
        "benefit_before": old.objective.benefit,
        "benefit_after": objective.benefit,
        "benefit_cost": round(old.objective.benefit - objective.benefit, 4),
        "minutes_before": old.objective.minutes,
        "minutes_after": objective.minutes,
        "changed_days": len(changes) + sum(1 for c in changes if c.change == "moved"),
        "weighted_changes": result.stats.get("weighted_changes"),
        # What the replan optimised: the planned days' benefit per minute, within
        # `tolerance` of the best (proven at most `planned_bound`).
        "planned_minutes": planned_minutes,
        "planned_benefit_per_minute": round(planned / planned_minutes, 6)
        if planned_minutes
        else 0.0,
        "planned_bound": None if bound is None else round(bound, 6),
    }
    extra["changes"] = [c.model_dump(mode="json", by_alias=True) for c in changes]
