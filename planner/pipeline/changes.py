"""Why a replan changed each day it changed, in a coach's words.

The replan (pipeline/replan.py) diffs the new plan against the old one over the days it was
free to change (`diff_plans`), and each change gets its reasons here: the events that touch
the day, and the rules that the new situation brings into play there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection

from planner.domain.calendar import build_calendar
from planner.domain.diff import DayChange, day_label, describe_edit, diff_plans, session_summary
from planner.domain.plan import Change, DayPlan, Plan, Session
from planner.domain.replan import RETURN_NO_PLYO_DAYS, Event
from planner.domain.scenario import Scenario
from planner.rules import R3, R8, R12, R13, R14
from planner.vocabulary import HARD_CATEGORIES, WEEKDAYS

WEEK = dt.timedelta(days=7)


def replan_changes(
    old: Plan,
    new: Plan,
    free: Collection[dt.date],
    missed: Collection[dt.date],
    events: list[Event],
    new_events: list[Event],
    scenario: Scenario,
) -> list[Change]:
    """The days the replan changed (`diff_plans` over the days it was free to change), each
    with its reason: the events that touch the day, the rules that the new situation brings
    into play there (R3's spacing, R13's hard sessions of a week with a missed one, R8's and
    R12's links to a week the events changed, R14's main exercises), else the best ratio
    for the new situation."""
    old_by_date = {d.date: d.session for d in old.days}
    week_of = {d.date: d.week for d in new.days}
    hard_dates = sorted(d.date for d in new.days if d.session is not None and d.session.hard)
    diff = diff_plans(old, new, days=free)
    added = {change.to or change.date for change in diff if change.change in ("added", "moved")}
    gap = scenario.rules.hard_gap_days
    links = _week_links(old, new.days, scenario)

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

    def keeps_hard(change: DayChange) -> list[str]:
        session = change.after
        missed_weeks = {week_of.get(d) for d in missed}
        if session is not None and session.hard and week_of[change.date] in missed_weeks:
            return [f"the week keeps its hard sessions ({R13.id})"]
        return []

    changes = []
    for change in diff:
        date = change.date
        extra = {
            "moved": spacing(date, change.before),
            "removed": spacing(date, change.before),
            "added": keeps_hard(change),
            "edited": [],
        }[change.change]
        reasons = _reasons(date, events, new_events, missed, old_by_date.get(date), week_of)
        reasons += extra + links(date, change.before, change.change == "edited")
        if not reasons:
            reasons = ["the best benefit per minute for the new situation, within the tolerance"]
        entry: dict[str, object] = {
            "date": date,
            "change": change.change,
            "from": date.isoformat()
            if change.change == "moved"
            else session_summary(change.before),
            "to": session_summary(change.after),
            "reason": "; ".join(dict.fromkeys(reasons)),
        }
        if change.change == "moved":
            assert change.to is not None
            entry["from"], entry["to"] = date.isoformat(), change.to.isoformat()
        elif change.change == "removed":
            entry["to"] = None
        elif change.change == "added":
            entry["from"] = None
        else:
            entry["detail"] = describe_edit(change.before, change.after)
        changes.append(Change.model_validate(entry))
    return changes


def _reasons(
    date: dt.date,
    events: list[Event],
    new_events: list[Event],
    missed: Collection[dt.date],
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
    for day in sorted(missed):
        if week_of.get(day) == week_of.get(date) and any(
            e.date == day for e in new_events if e.kind in ("missed", "partial")
        ):
            reasons.append(f"{day_label(day)}'s session was missed")
    return reasons


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
