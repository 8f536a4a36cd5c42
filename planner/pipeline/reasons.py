"""Why each session stands on its day and why each item is in it: the plan's `why`.

Derived from the plan and the block's calendar, without a solve: for each other day of the
session's week, the rule that closed it (R1 no time, R7 race days, R18 the coach's pins;
for a hard session also R4, R7 and R20's hard-free days and R3's spacing from the other hard
sessions) or that it was open; for each item, the targets it serves and its share of the
week's dose of the largest one. Stored on each session as

    "why": {"day": ["Tue: R1, 0 min free", "Wed: R3, 1 day after Tue's hard session", ...],
            "items": {"skater_squat": "hip stability 2.4 (45 % of the week's), ..."}}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from planner.domain.calendar import Calendar, Day
from planner.domain.plan import Item, Plan, Session
from planner.domain.scenario import Scenario
from planner.rules import MAX_SESSIONS, R1, R3, R7, R13, R18

SHOWN_TARGETS = 2  # targets named per item


def add_why(plan: Plan, scenario: Scenario, calendar: Calendar) -> None:
    """Give every session of `plan` its `why` (see the module); a session that has one (a
    replan's history, copied from the plan it was done from) keeps it."""
    sessions = {day.date: day.session for day in plan.days if day.session is not None}
    hard_dates = sorted(date for date, session in sessions.items() if session.hard)
    per_week = Counter(day.week for day, _ in plan.sessions())
    dose = _week_doses(plan)
    for plan_day in plan.days:
        session = plan_day.session
        if session is None or session_why(session) is not None:
            continue  # a replan's history keeps what it said when it was planned
        week = calendar.weeks[plan_day.week - 1].days
        context = _Context(session, plan_day.date, hard_dates, per_week[plan_day.week], scenario)
        closed = [
            f"{day.date:%a}: {context.closed(day)}"
            for day in week
            if day.date != plan_day.date and day.date not in sessions
        ]
        items = {item.exercise: _serves(item, dose[plan_day.week]) for item in session.items}
        session.why = {"day": closed, "items": items}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SessionWhy:
    """A session's `why`, as the reports show it."""

    day: list[str]  # "Tue: R1, no gym time"
    items: list[tuple[str, str]]  # (the item's name, what it serves)

    def day_text(self) -> str:
        return "; ".join(self.day) if self.day else "every other day of the week holds a session"


def session_why(session: Session) -> SessionWhy | None:
    """A session's `why`, when the plan carries one (plans written before it do not)."""
    why = (session.model_extra or {}).get("why")
    if not isinstance(why, dict):
        return None
    serves = why.get("items") or {}
    items = [
        (item.name, str(serves[item.exercise])) for item in session.items if item.exercise in serves
    ]
    return SessionWhy([str(line) for line in why.get("day") or []], items)


@dataclass(frozen=True)
class _Context:
    """A session, and what its week's other days are judged against."""

    session: Session
    date: dt.date
    hard_dates: list[dt.date]
    week_sessions: int
    scenario: Scenario

    def closed(self, day: Day) -> str:
        """Why `day` holds no session (or not this one), in a rule id and a few words."""
        scenario = self.scenario
        pin = scenario.coach.pins_by_date().get(day.date)
        if pin is not None and pin.session == "none":
            return f"{R18.id}, the coach keeps it free"
        if not day.session_allowed:
            return f"{R7.id}, race day or the day after"
        if day.available_minutes < scenario.rules.min_session_minutes:
            free = "no gym time" if not day.available_minutes else f"{day.available_minutes} min"
            return f"{R1.id}, {free}"
        if self.session.hard:
            blockers = day.hard_blockers()
            if blockers:
                rule, reason = blockers[0]
                return f"{rule}, {reason.rsplit(' (', 1)[0]}"
            spacing = self._spacing(day)
            if spacing:
                return spacing
        most = MAX_SESSIONS.get(day.phase)
        if most is not None and self.week_sessions >= most:
            return f"{R13.id}, the week holds its {most} sessions"
        return "free (no rule closes it; the plan needs no other session here)"

    def _spacing(self, day: Day) -> str:
        """R3: another hard session closer than `hard_gap_days`."""
        gap = self.scenario.rules.hard_gap_days
        near = [d for d in self.hard_dates if d != self.date and 0 < abs((d - day.date).days) < gap]
        if not near:
            return ""
        other = min(near, key=lambda d: abs((d - day.date).days))
        apart = abs((other - day.date).days)
        side = "after" if other < day.date else "before"
        return f"{R3.id}, {apart} day{'s' if apart != 1 else ''} {side} {other:%a}'s hard session"


def _week_doses(plan: Plan) -> dict[int, dict[str, float]]:
    """Each week's dose per target: the sum over its items."""
    doses: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for day, session in plan.sessions():
        for item in session.items:
            for target, value in item.targets.items():
                doses[day.week][target] += value
    return doses


def _serves(item: Item, week_dose: dict[str, float]) -> str:
    """ "hip stability 2.4 (45 % of the week's), glute strength 1.2": the item's largest
    targets, and its share of the week's dose of the first."""
    ranked = sorted(item.targets.items(), key=lambda pair: (-pair[1], pair[0]))
    ranked = [(target, value) for target, value in ranked if value > 0][:SHOWN_TARGETS]
    if not ranked:
        return "warm-up and movement quality"
    words = [f"{target.replace('_', ' ')} {value:.3g}" for target, value in ranked]
    first, value = ranked[0]
    total = week_dose.get(first, 0.0)
    if total > 0:
        words[0] += f" ({100 * value / total:.0f} % of the week's)"
    return ", ".join(words)
