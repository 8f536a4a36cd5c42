"""The plan: the project's own model of a solved block (FORMATS.md, `planner.plan/1`)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PLAN_FORMAT = "planner.plan/1"


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Item(Model):
    exercise: str
    name: str
    category: str
    sets: int
    reps: str
    load: str
    rest_s: int
    minutes: int
    equipment: list[str]
    tags: list[str]
    contacts: int
    targets: dict[str, float]
    cue: str = ""
    # R17: a label shared by exactly two items of the session, done as a pair (A1/A2); the
    # item's own `minutes` are what it takes alone, the session's count the pair.
    pair: str | None = None


def target_load_of(item: Item) -> dict[str, Any] | None:
    """The item's `target_load` (`{"kg", "count", "text", "why"}`: its next session's load
    from the training log, `planner.domain.loads`; `kg` in each implement and `count`
    implements, so `2 x 14 kg` is kg 14, count 2), or None."""
    value = (item.model_extra or {}).get("target_load")
    return value if isinstance(value, dict) else None


def set_target_load(item: Item, value: dict[str, Any] | None) -> None:
    """Give the item its `target_load`, or take it away (None)."""
    extra = item.model_extra
    assert extra is not None  # extra="allow"
    if value is None:
        extra.pop("target_load", None)
    else:
        extra["target_load"] = value


def class_of(session: Session) -> dict[str, str] | None:
    """The studio class a session is held in (`{"id", "start"}`, FORMATS.md), or None."""
    value = (session.model_extra or {}).get("class")
    return value if isinstance(value, dict) else None


def set_class(session: Session, class_id: str, start: str) -> None:
    """Mark the session as held in the studio class `class_id`, starting at `start` (HH:MM)."""
    extra = session.model_extra
    assert extra is not None  # extra="allow"
    extra["class"] = {"id": class_id, "start": start}


def week_ranges(weeks: list[int]) -> str:
    """Week numbers as runs: [1, 2, 3, 5, 6, 7, 9] -> "1-3, 5-7, 9"."""
    runs: list[list[int]] = []
    for week in sorted(weeks):
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


class Session(Model):
    minutes: int
    hard: bool
    after_run: bool
    items: list[Item]
    kind: Literal["full", "deload", "light"] | None = None  # R15; older plans leave it out


class Run(Model):
    kind: str
    distance: float
    minutes: int = 0


class DayPlan(Model):
    date: dt.date
    week: int
    phase: str
    available_minutes: int
    run: Run
    session: Session | None


class WeekPlan(Model):
    index: int
    start: dt.date
    phase: str
    deload: bool
    minutes: int
    sessions: int
    hard_sessions: int
    run_distance: float
    mesocycle: int | None = None
    cutback: bool = False


class Warning_(Model):
    rule: str
    week: int | None = None  # the first week it is about
    message: str
    suggestion: str = ""
    weeks: list[int] | None = None  # every week with the same finding, when more than one


class Objective(Model):
    benefit: float
    minutes: int
    benefit_per_minute: float
    benefit_per_minute_bound: float | None

    def gap(self) -> float:
        """How far the ratio stands below its bound, as a share of the bound (0 without
        one). In an `optimal` plan that is what the coach's preferences cost (R18)."""
        bound = self.benefit_per_minute_bound
        if not bound:
            return 0.0
        gap = (bound - self.benefit_per_minute) / bound
        return gap if gap > 1e-6 else 0.0


class Plan(Model):
    format: str = PLAN_FORMAT
    scenario: str
    status: str
    objective: Objective
    rules: dict[str, Any]
    warnings: list[Warning_]
    weeks: list[WeekPlan]
    days: list[DayPlan]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"

    def sessions(self) -> list[tuple[DayPlan, Session]]:
        return [(day, day.session) for day in self.days if day.session is not None]

    def replanned_from(self) -> ReplanSource | None:
        """Where a replanned plan came from (FORMATS.md `replanned_from`), else None."""
        data = (self.model_extra or {}).get("replanned_from")
        return None if data is None else ReplanSource.model_validate(data)

    def changes(self) -> list[Change]:
        """A replanned plan's changed days (FORMATS.md `changes`)."""
        return [Change.model_validate(c) for c in (self.model_extra or {}).get("changes", [])]


def is_missed(day: DayPlan) -> bool:
    """A replanned plan's history day whose planned session was not done."""
    return bool((day.model_extra or {}).get("missed"))


def is_partial(session: Session) -> bool:
    """A history session done only in part (its items are what was done)."""
    return bool((session.model_extra or {}).get("partial"))


class Change(Model):
    """One changed day of a replanned plan: `added`, `removed`, `moved` (from one date to
    another) or `edited` (other exercises or sets), and why."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    date: dt.date
    change: Literal["added", "removed", "moved", "edited"]
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    reason: str = ""


class ReplanSource(Model):
    """The plan a replan started from: its scenario's name and sha256, the replan date, the
    events so far, and what they cost against the earlier plan."""

    scenario: str
    sha256: str | None = None
    date: dt.date
    events: list[dict[str, Any]] = Field(default_factory=list)
