"""Replanning a block after what happened: missed sessions, illness, injury, changed time.

`replan_scenario(scenario, old_plan, request, options)` turns the old plan and the events
into a replan Problem and solves it with the fewest changes:

- **history** (days before `today`) is fixed as it was done: a missed session becomes a day
  off marked `missed`, a partial session keeps the items that fit its minutes;
- the **rest of the current week** (or `freeze_days` days) is frozen to the old plan unless
  an event forces a change there: a sick or unavailable day, a changed weekday, an avoided
  tag in its session, the first week back after an illness, or a missed or partial session
  earlier in that week;
- the **later weeks** are free.

Fixed days are data: every rule that looks back (R3, R5, R8, R9, R12, R13-R16, the weekly
benefit) counts them. The solve first finds the best plan for the new situation (the floor,
then benefit per minute of the planned days), then the fewest weighted changes within the
tolerance (solver/replan.py). The plan records `replanned_from` (with every event so far,
so that the checker can rebuild the situation) and `changes`, each with its reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.check.checker import check_plan
from planner.domain.calendar import Calendar, Week, build_calendar
from planner.domain.catalog import BenefitModel, Catalog
from planner.domain.diff import day_label, describe_edit, session_summary
from planner.domain.plan import (
    Change,
    DayPlan,
    Item,
    Objective,
    Plan,
    Session,
    is_missed,
)
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
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.io.done_log import LogEntry
from planner.pipeline.reasons import add_why
from planner.rules import R3, R8, R12, R13, R14
from planner.solver.plan_builder import (
    dose_warning,
    group_warnings,
    session_of,
    shortfall_warning,
    weeks_and_days,
)
from planner.solver.problem import DOSE_SCALE, DayLimit, FixedSession, build_problem
from planner.solver.replan import Items, Keep, solve_replan
from planner.solver.run import Deadline, SolveOptions
from planner.solver.solution import Solution, SolveStatus
from planner.vocabulary import ANTI_MOVEMENT_TAGS, HARD_CATEGORIES, WEEKDAYS

CLI = "command line"
WEEK = dt.timedelta(days=7)
DEFAULT_TOLERANCE = 0.02


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
    tolerance: float = DEFAULT_TOLERANCE


@dataclass
class ReplanResult:
    status: SolveStatus
    plan: Plan | None
    solution: Solution
    scenario: Scenario  # the situation the plan was made for (events applied)
    changes: list[Change]
    solve_s: float
    stats: dict[str, object] = field(default_factory=dict)


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


def fixed_session(session: Session) -> FixedSession:
    """A done or frozen session as data for the model (dose in dose units)."""
    dose: dict[str, int] = defaultdict(int)
    for item in session.items:
        for target, amount in item.targets.items():
            dose[target] += round(amount * DOSE_SCALE)
    strength = [item for item in session.items if item.category == "strength"]
    return FixedSession(
        minutes=session.minutes,
        hard=any(item.category in HARD_CATEGORIES for item in session.items),
        plyometric=any("plyometric" in item.tags for item in session.items),
        strength_sets=sum(item.sets for item in strength),
        unilateral_sets=sum(item.sets for item in strength if "unilateral" in item.tags),
        strength_exercises=len({item.exercise for item in strength}),
        dose=dict(dose),
        anti_core=any(
            item.category == "core" and set(item.tags) & ANTI_MOVEMENT_TAGS
            for item in session.items
        ),
        basic_plyo=any(
            "plyometric" in item.tags and "plyo_advanced" not in item.tags for item in session.items
        ),
        exercises=frozenset(item.exercise for item in session.items),
        lower_body_sets=sum(item.sets for item in strength if "lower_body" in item.tags),
        contacts=sum(item.contacts for item in session.items),
    )


def items_of(session: Session | None) -> Items | None:
    if session is None:
        return None
    return tuple(sorted((item.exercise, item.sets) for item in session.items))


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


# --- the plan ---------------------------------------------------------------------------------


def _reasons(
    date: dt.date,
    events: list[Event],
    new_events: list[Event],
    seam: Seam,
    old_session: Session | None,
    week_of: dict[dt.date, int],
) -> list[str]:
    """Why a day changed, from the events that touch it."""
    reasons = []
    for event in events:
        if event.kind == "sick" and date in event.days():
            reasons.append(
                f"ill from {day_label(event.days()[0])} to {day_label(event.days()[-1])}"
            )
        if event.kind == "unavailable" and date in event.days():
            reasons.append(
                f"unavailable from {day_label(event.days()[0])} to {day_label(event.days()[-1])}"
            )
        if event.kind == "sick" and date in event.return_window():
            cap = event.return_minutes
            reasons.append(
                f"first week back after the illness: at most {cap} min and no plyometrics "
                f"in its first {RETURN_NO_PLYO_DAYS} days"
            )
    for event in new_events:
        if (
            event.kind == "minutes"
            and event.start is not None
            and date >= event.start
            and event.weekday == WEEKDAYS[date.weekday()]
        ):
            reasons.append(f"{event.weekday.capitalize()}s now have {event.minutes} min")
        if event.kind == "avoid" and old_session is not None and event.tag is not None:
            named = [i.name for i in old_session.items if event.tag in i.tags]
            if named:
                reasons.append(f"avoiding {event.tag} ({', '.join(named)})")
    for missed in sorted(seam.missed):
        if week_of.get(missed) == week_of.get(date) and any(
            e.date == missed for e in new_events if e.kind in ("missed", "partial")
        ):
            reasons.append(f"{day_label(missed)}'s session was missed")
    return reasons


def _changes(
    old: Plan,
    new_days: list[DayPlan],
    seam: Seam,
    events: list[Event],
    new_events: list[Event],
    scenario: Scenario,
) -> list[Change]:
    """The changed days against the old plan: moved sessions (same week) first, then
    added, removed and edited ones, each with its reason."""
    old_by_date = {d.date: d.session for d in old.days}
    week_of = {d.date: d.week for d in new_days}
    new_by_date = {d.date: d.session for d in new_days}
    hard_dates = sorted(d.date for d in new_days if d.session is not None and d.session.hard)
    gap = scenario.rules.hard_gap_days
    removed, added, edited = [], [], []
    for date in seam.free:
        before, after = old_by_date.get(date), new_by_date.get(date)
        if items_of(before) == items_of(after):
            continue
        if before is not None and after is None:
            removed.append(date)
        elif before is None and after is not None:
            added.append(date)
        else:
            edited.append(date)
    changes: list[Change] = []

    links = _week_links(old, new_days, scenario)

    def why(date: dt.date, extra: list[str]) -> str:
        reasons = _reasons(date, events, new_events, seam, old_by_date.get(date), week_of)
        reasons += extra
        reasons += links(date, old_by_date.get(date), date in edited)
        if not reasons:
            reasons = ["the best benefit per minute for the new situation, within the tolerance"]
        return "; ".join(dict.fromkeys(reasons))

    def spacing(date: dt.date, session: Session | None) -> list[str]:
        """R3 when the old day would now be too close to another hard session."""
        if session is None or not session.hard:
            return []
        close = [
            d for d in hard_dates if d != date and abs((d - date).days) < gap and d not in added
        ]
        if close:
            return [f"{R3.id} needs {gap} days between hard sessions ({day_label(close[0])})"]
        return []

    for source in list(removed):
        same_week = [d for d in added if week_of[d] == week_of[source]]
        match = next(
            (d for d in same_week if items_of(new_by_date[d]) == items_of(old_by_date[source])),
            None,
        ) or next(
            (
                d
                for d in same_week
                if bool(new_by_date[d] and new_by_date[d].hard)  # type: ignore[union-attr]
                == bool(old_by_date[source] and old_by_date[source].hard)  # type: ignore[union-attr]
            ),
            None,
        )
        if match is None:
            continue
        removed.remove(source)
        added.remove(match)
        extra = spacing(source, old_by_date[source])
        changes.append(
            Change.model_validate(
                {
                    "date": source,
                    "change": "moved",
                    "from": source.isoformat(),
                    "to": match.isoformat(),
                    "reason": why(source, extra),
                }
            )
        )
    for date in removed:
        changes.append(
            Change.model_validate(
                {
                    "date": date,
                    "change": "removed",
                    "from": session_summary(old_by_date[date]),
                    "to": None,
                    "reason": why(date, spacing(date, old_by_date[date])),
                }
            )
        )
    for date in added:
        extra = []
        session = new_by_date[date]
        if (
            session is not None
            and session.hard
            and week_of[date] in {week_of.get(d) for d in seam.missed}
        ):
            extra.append(f"the week keeps its hard sessions ({R13.id})")
        changes.append(
            Change.model_validate(
                {
                    "date": date,
                    "change": "added",
                    "from": None,
                    "to": session_summary(new_by_date[date]),
                    "reason": why(date, extra),
                }
            )
        )
    for date in edited:
        changes.append(
            Change.model_validate(
                {
                    "date": date,
                    "change": "edited",
                    "from": session_summary(old_by_date[date]),
                    "to": session_summary(new_by_date[date]),
                    "reason": why(date, []),
                    "detail": describe_edit(old_by_date[date], new_by_date[date]),
                }
            )
        )
    return sorted(changes, key=lambda c: c.date)


def _week_links(
    old: Plan, new_days: list[DayPlan], scenario: Scenario
) -> Callable[[dt.date, Session | None, bool], list[str]]:
    """Reasons from rules that link weeks: R12's ramp and R8's deload cap after a week whose
    minutes the events changed, and R14's main exercises of a mesocycle."""
    rules = scenario.rules
    calendar = build_calendar(scenario)
    weeks = {week.index: week for week in calendar.weeks}
    old_minutes: dict[int, int] = defaultdict(int)
    new_minutes: dict[int, int] = defaultdict(int)
    for day in old.days:
        old_minutes[day.week] += day.session.minutes if day.session else 0
    main: dict[int, set[str]] = defaultdict(set)
    for planned in new_days:
        if planned.session is not None:
            new_minutes[planned.week] += planned.session.minutes
            main[planned.week] |= {
                i.exercise for i in planned.session.items if i.category in HARD_CATEGORIES
            }
    runs = calendar.mesocycles()  # as the checker sees them (R14)

    def reasons(date: dt.date, session: Session | None, edited: bool) -> list[str]:
        found = []
        index = next(w.index for w in calendar.weeks if w.start <= date < w.start + WEEK)
        week = weeks[index]
        loading = [w for w in calendar.weeks[: index - 1] if w.loading]
        before = loading[-1].index if loading else None
        if before is not None and new_minutes[before] < old_minutes[before]:
            if week.deload:
                cap = rules.deload_volume * new_minutes[before]
                if old_minutes[index] > cap:
                    found.append(
                        f"{R8.id}: a deload week stays under {rules.deload_volume:.0%} of week "
                        f"{before}, now {new_minutes[before]} min"
                    )
            elif ramp_weeks := calendar.ramp_reference_weeks(index):
                mean = sum(new_minutes[w] for w in ramp_weeks) / len(ramp_weeks)
                ramped = rules.ramp * mean + rules.ramp_extra_minutes
                cap = max(ramped, mean + rules.full_session_minutes)
                if old_minutes[index] > cap:
                    weeks_text = ", ".join(map(str, ramp_weeks))
                    found.append(
                        f"{R12.id}: at most {cap:.0f} min after a mean of {mean:.0f} min in "
                        f"week{'s' if len(ramp_weeks) > 1 else ''} {weeks_text}"
                    )
        run = next((r for r in runs if index in r), None)
        if edited and session is not None and run is not None:
            reference = max(run, key=lambda w: (len(main[w]), -w))
            own = {i.exercise for i in session.items if i.category in HARD_CATEGORIES}
            foreign = sorted(own - main[reference])
            if foreign:
                names = ", ".join(i.name for i in session.items if i.exercise in foreign)
                found.append(
                    f"{R14.id}: the mesocycle keeps its main exercises (week {reference}'s), "
                    f"and {names} is not one of them"
                )
        return found

    return reasons


def _figures(
    days: list[DayPlan], weeks: tuple[Week, ...], scenario: Scenario, model: BenefitModel
) -> tuple[float, int]:
    """The whole block's benefit and minutes, from the sessions' doses (as the checker
    recomputes them)."""
    phase = {week.index: week.phase for week in weeks}
    dose: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    minutes = 0
    for day in days:
        if day.session is None:
            continue
        minutes += day.session.minutes
        for item in day.session.items:
            for target, amount in item.targets.items():
                dose[day.week][target] += amount
    benefit = sum(
        model.target_week_benefit(t, amount, phase[w], scenario.athlete.focus_weight(t))
        for w, targets in dose.items()
        for t, amount in targets.items()
    )
    return benefit, minutes


def _build_plan(
    old: Plan,
    calendar: Calendar,
    seam: Seam,
    solution: Solution,
    problem: Any,
) -> tuple[list[DayPlan], list[Any], list[Any]]:
    sessions: dict[dt.date, Session] = {}
    for date, session in [*seam.history.items(), *seam.frozen.items()]:
        if session is not None:
            sessions[date] = session
    by_week = problem.group_of_week()
    old_sessions = {d.date: d.session for d in old.days}
    for (week_index, slot), date in sorted(solution.placements.items()):
        group = by_week[week_index]
        day = next(d for d in calendar.weeks[week_index - 1].days if d.date == date)
        if solution.contents[group.index][slot]:
            session = session_of(solution, group, slot, day)
            before = old_sessions.get(date)
            # An unchanged day keeps the old session as written (its load guidance too).
            same = before is not None and items_of(before) == items_of(session)
            sessions[date] = before if before is not None and same else session
    old_weeks = {w.index: w for w in old.weeks}
    mesocycles = {w: old_weeks[w].mesocycle for w in old_weeks if old_weeks[w].mesocycle}
    mesocycles |= {week: group.mesocycle for week, group in by_week.items()}
    weeks, days = weeks_and_days(calendar.weeks, sessions, mesocycles)  # type: ignore[arg-type]
    for planned in days:
        if planned.date in seam.missed and planned.session is None:
            planned.missed = True  # type: ignore[attr-defined]
    warnings = [w for w in old.warnings if w.week is not None and w.week not in by_week]
    for week in calendar.weeks:
        group = by_week.get(week.index)
        if group is None:
            continue
        missing = solution.shortfall.get(group.index, 0)
        if missing:
            warnings.append(shortfall_warning(problem, week, group, missing))
        for (part, g, in_week, detail), short in sorted(solution.dose_shortfall.items()):
            if g == group.index and in_week in (0, week.index):
                warnings.append(dose_warning(problem, week, part, detail, short))
    return days, weeks, group_warnings(warnings)


def _weekly_links_broken(
    days: list[DayPlan], weeks: list[Any], scenario: Scenario, today_week: int
) -> bool:
    """Do the frozen weeks break a rule that links weekly minutes (R6, R8, R12) against the
    new history? Those weeks are constants to the model, so only the plan can tell."""
    probe = Plan(
        scenario=scenario.name,
        status="feasible",
        objective=Objective(
            benefit=0.0, minutes=0, benefit_per_minute=0.0, benefit_per_minute_bound=None
        ),
        rules={},
        warnings=[],
        weeks=weeks,
        days=days,
    )
    report = check_plan(probe, scenario)
    return any(
        v.rule in ("R6", "R8", "R12") and (v.week or 0) >= today_week for v in report.violations
    )


def _main_by_week(plan: Plan) -> dict[int, frozenset[str]]:
    """The main (power and strength) exercises of each week of the old plan (R14)."""
    main: dict[int, set[str]] = defaultdict(set)
    for day in plan.days:
        for item in day.session.items if day.session else []:
            if item.category in HARD_CATEGORIES:
                main[day.week].add(item.exercise)
    return {week: frozenset(ids) for week, ids in main.items()}


def replan_scenario(
    scenario: Scenario,
    old_plan: Plan,
    request: ReplanRequest,
    options: SolveOptions | None = None,
    catalog: Catalog | None = None,
    scenario_sha256: str | None = None,
    plan_file: str | None = None,
) -> ReplanResult:
    """Replan `old_plan` of `scenario` after the events of `request`. Raises InputError
    (exit 3) for bad input; never raises for a situation without a plan."""
    options = options or SolveOptions()
    catalog = catalog or default_catalog()
    benefit = default_benefit_model()
    deadline = Deadline.after(options.time_limit)
    problems = _validate(request, scenario, old_plan, catalog.tags)
    problems += _belongs(old_plan, scenario, scenario_sha256, plan_file)
    if problems:
        raise InputError(problems)
    previous = old_events(old_plan)
    new_events = _new_events(request, old_plan, scenario)
    events = [*previous, *new_events]
    situated = situation(scenario, events)
    avoid = list(avoided_from(events))
    planning = with_avoided(situated, avoid)
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
    started = time.monotonic()
    release_all = False
    while True:
        seam = _seam(request, old_plan, calendar, events, new_events, release_all)
        fixed = {
            date: None if session is None else fixed_session(session)
            for date, session in [*seam.history.items(), *seam.frozen.items()]
        }
        problem = build_problem(
            planning, catalog, benefit, calendar, fixed, limits, _main_by_week(old_plan)
        )
        old_by_date = {d.date: d.session for d in old_plan.days}
        today_week = next(d.week for d in calendar.days if d.date == request.today)
        horizon = len(calendar.weeks) - today_week + 1
        week_of = {d.date: d.week for d in calendar.days}
        keep = Keep(
            sessions={date: items_of(old_by_date.get(date)) for date in seam.free},
            weights={date: max(1, horizon - (week_of[date] - today_week)) for date in seam.free},
            tolerance=request.tolerance,
        )
        solve_options = SolveOptions(
            time_limit=options.time_limit,
            seed=options.seed,
            workers=options.workers,
            log=options.log,
            on_progress=options.on_progress,
            deadline=deadline,
            explain=False,
        )
        solution = solve_replan(problem, keep, solve_options)
        if release_all or not seam.frozen:
            break
        if solution.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            days, weeks, _ = _build_plan(old_plan, calendar, seam, solution, problem)
            if not _weekly_links_broken(days, weeks, situated, today_week):
                break
        elif solution.status != SolveStatus.INFEASIBLE:
            break
        release_all = True  # the frozen days cannot be kept: open them and solve again
    solve_s = time.monotonic() - started
    result = ReplanResult(
        solution.status, None, solution, situated, [], solve_s, dict(solution.stats)
    )
    if solution.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        return result
    days, weeks, warnings = _build_plan(old_plan, calendar, seam, solution, problem)
    total_benefit, total_minutes = _figures(days, calendar.weeks, situated, benefit)
    ratio = total_benefit / total_minutes if total_minutes else 0.0
    # A bound on the whole block's ratio: the fixed days' own ratio, or the best ratio of
    # the planned days (proven by the first stage), whichever is larger.
    fixed_days = [d for d in days if d.date not in set(seam.free)]
    fixed_benefit, fixed_minutes = _figures(fixed_days, calendar.weeks, situated, benefit)
    bound = None
    if solution.ratio_bound is not None:
        bound = max(
            ratio, solution.ratio_bound, fixed_benefit / fixed_minutes if fixed_minutes else 0.0
        )
    changes = _changes(old_plan, days, seam, events, new_events, situated)
    settings = {
        "seed": options.seed,
        "workers": options.workers,
        "time_limit_s": options.time_limit,
        "deterministic": solution.deterministic,
    }
    source = {
        "scenario": old_plan.scenario,
        "sha256": scenario_sha256,
        "date": request.today.isoformat(),
        "events": [e.dump() for e in events],
        "tolerance": request.tolerance,
        "frozen_days": [d.isoformat() for d in sorted(seam.frozen)],
        "benefit_before": old_plan.objective.benefit,
        "benefit_after": round(total_benefit, 4),
        "benefit_cost": round(old_plan.objective.benefit - total_benefit, 4),
        "minutes_before": old_plan.objective.minutes,
        "minutes_after": total_minutes,
        "changed_days": len(changes) + sum(1 for c in changes if c.change == "moved"),
        "weighted_changes": solution.stats.get("weighted_changes"),
    }
    rules = scenario.rules.model_dump()
    rules["objective"] = scenario.objective
    from planner import __version__

    plan = Plan(
        scenario=scenario.name,
        status=str(solution.status),
        objective=Objective(
            benefit=round(total_benefit, 4),
            minutes=total_minutes,
            benefit_per_minute=round(ratio, 6),
            benefit_per_minute_bound=None if bound is None else round(bound, 6),
        ),
        rules=rules,
        warnings=warnings,
        weeks=weeks,
        days=days,
        planner_version=__version__,
        athlete=scenario.athlete.name,
        solver=settings,
        replanned_from=source,
        changes=[c.model_dump(mode="json", by_alias=True) for c in changes],
    )
    add_why(plan, situated, calendar)
    result.plan = plan
    result.changes = changes
    return result
