"""What changed between two plans of the same block, day by day, in a coach's words.

`diff_plans(old, new)` pairs a session that left a day with one that arrived on another day
of the same week (a move), and reports the rest as added, removed or edited sessions. Replan
(which adds its reasons) and `planner why` (which shows what a question would change) both
read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from planner.domain.plan import Plan, Session
from planner.vocabulary import HARD_CATEGORIES, WEEKDAYS

ChangeKind = Literal["added", "removed", "moved", "edited"]


@dataclass(frozen=True)
class DayChange:
    """One changed day: for a move, `date` is where the session was and `to` where it went."""

    date: dt.date
    change: ChangeKind
    before: Session | None
    after: Session | None
    to: dt.date | None = None

    def text(self) -> str:
        """`Wed 10 Feb: moved to Thu 11 Feb (hard session, 35 min (Back squat))`."""
        where = day_label(self.date)
        if self.change == "moved":
            assert self.to is not None
            return f"{where}: moved to {day_label(self.to)} ({session_summary(self.after)})"
        if self.change == "added":
            return f"{where}: added ({session_summary(self.after)})"
        if self.change == "removed":
            return f"{where}: removed (was {session_summary(self.before)})"
        return f"{where}: {describe_edit(self.before, self.after)}"


def day_label(date: dt.date) -> str:
    return f"{WEEKDAYS[date.weekday()].capitalize()} {date.day} {date:%b}"


def session_summary(session: Session | None) -> str:
    if session is None:
        return "no session"
    kind = "hard" if session.hard else "light"
    names = ", ".join(item.name for item in session.items if item.category in HARD_CATEGORIES)
    return f"{kind} session, {session.minutes} min" + (f" ({names})" if names else "")


def describe_edit(before: Session | None, after: Session | None) -> str:
    """What an edit did, in exercises: "adds Skater squat; drops Push-up; more sets"."""
    old = {i.exercise: i for i in before.items} if before else {}
    new = {i.exercise: i for i in after.items} if after else {}
    parts = [f"was {before.minutes} min"] if before and after else []
    added = [new[e].name for e in new if e not in old]
    dropped = [old[e].name for e in old if e not in new]
    if added:
        parts.append(f"adds {', '.join(added)}")
    if dropped:
        parts.append(f"drops {', '.join(dropped)}")
    resized = [new[e].name for e in new if e in old and new[e].sets != old[e].sets]
    if resized:
        parts.append(f"other sets of {', '.join(resized)}")
    return "; ".join(parts)


def _content(session: Session | None) -> tuple[tuple[str, int, str | None], ...] | None:
    if session is None:
        return None
    return tuple((item.exercise, item.sets, item.pair) for item in session.items)


def diff_plans(old: Plan, new: Plan, days: Collection[dt.date] | None = None) -> list[DayChange]:
    """The days whose sessions differ (among `days`, when given), by date. A session removed
    from one day and one added on another day of the same week, both hard or both light, is
    a move (the same content first); an edit is a day whose session changed in place."""
    before = {day.date: day for day in old.days}
    removed, added, edited = [], [], []
    wanted = None if days is None else set(days)
    compared = [day for day in new.days if wanted is None or day.date in wanted]
    for day in compared:
        was = before.get(day.date)
        old_session = was.session if was else None
        if _content(old_session) == _content(day.session):
            continue
        if day.session is None:
            removed.append(day)
        elif old_session is None:
            added.append(day)
        else:
            edited.append(day)
    changes = [
        DayChange(day.date, "edited", before[day.date].session, day.session) for day in edited
    ]
    for day in removed:
        session = before[day.date].session
        assert session is not None
        same_week = [a for a in added if a.week == day.week and a.session is not None]
        match = next(
            (a for a in same_week if _content(a.session) == _content(session)), None
        ) or next((a for a in same_week if a.session.hard == session.hard), None)  # type: ignore[union-attr]
        if match is None:
            changes.append(DayChange(day.date, "removed", session, None))
        else:
            added.remove(match)
            changes.append(DayChange(day.date, "moved", session, match.session, match.date))
    changes += [DayChange(day.date, "added", None, day.session) for day in added]
    return sorted(changes, key=lambda change: change.date)
