"""What every export shares: options, and plain-text wording of runs, sessions and items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from planner.domain.plan import DayPlan, Item, Plan, Run, Session, WeekPlan
from planner.vocabulary import TARGETS

DEFAULT_SESSION_HOUR = 18


@dataclass(frozen=True)
class ExportOptions:
    """Choices an export needs that the plan file does not hold."""

    session_hour: int = DEFAULT_SESSION_HOUR  # ICS: local start hour of every session
    run_unit: str | None = None  # "km" or "mi"; the plan's `run_unit` field when None
    stamp: dt.datetime | None = None  # ICS DTSTAMP; the current time when None

    def __post_init__(self) -> None:
        if not 0 <= self.session_hour <= 23:
            raise ValueError(f"session hour {self.session_hour}: expected 0 to 23")


def run_unit(plan: Plan, options: ExportOptions) -> str:
    """The unit of run distances ("km", "mi"), or "" when nobody said."""
    extra = plan.model_extra or {}
    return options.run_unit or str(extra.get("run_unit") or extra.get("running_unit") or "")


def athlete_name(plan: Plan) -> str:
    return str((plan.model_extra or {}).get("athlete") or "")


def run_label(run: Run, unit: str = "") -> str:
    """`long 16 mi`, `easy 5 km`, `cross 60 min`, `rest`."""
    if run.kind == "rest":
        return "rest"
    if run.kind == "cross":
        return f"cross {run.minutes} min" if run.minutes else "cross"
    suffix = f" {unit}" if unit else ""
    return f"{run.kind} {run.distance:g}{suffix}" if run.distance else run.kind


def session_kind(session: Session) -> str:
    return "hard" if session.hard else "light"


def session_title(session: Session) -> str:
    """`Strength & mobility: hard session, 42 min`."""
    after = ", after the run" if session.after_run else ""
    return f"Strength & mobility: {session_kind(session)} session{after}, {session.minutes} min"


def prescription(item: Item) -> str:
    """`3 × 8/side, rest 90 s, 6 min`."""
    rest = f", rest {item.rest_s} s" if item.rest_s else ""
    return f"{item.sets} × {item.reps}{rest}, {item.minutes} min"


def session_text(day: DayPlan, session: Session, unit: str = "") -> str:
    """The whole session as plain text lines: what a calendar description shows."""
    lines = [
        f"{session_title(session)} · week {day.week}, {day.phase}",
        f"Run today: {run_label(day.run, unit)}",
        "",
    ]
    for number, item in enumerate(session.items, start=1):
        lines.append(f"{number}. {item.name} ({item.category}): {prescription(item)}")
        lines.append(f"   Load: {item.load}")
        if item.cue:
            lines.append(f"   Cue: {item.cue}")
    return "\n".join(lines)


def week_of_day(plan: Plan) -> dict[int, list[DayPlan]]:
    days: dict[int, list[DayPlan]] = defaultdict(list)
    for day in plan.days:
        days[day.week].append(day)
    return dict(days)


def dose_by_week(plan: Plan) -> dict[str, dict[int, float]]:
    """Training target -> week -> dose (sets weighted by contribution), targets in the
    FORMATS.md order, only targets that get any dose."""
    dose: dict[str, dict[int, float]] = {target: {} for target in TARGETS}
    for day, session in plan.sessions():
        for item in session.items:
            for target, amount in item.targets.items():
                per_week = dose.setdefault(target, {})
                per_week[day.week] = per_week.get(day.week, 0.0) + amount
    return {target: weeks for target, weeks in dose.items() if any(weeks.values())}


def week_label(week: WeekPlan) -> str:
    """`base`, `base · deload`, `build · cut-back run week`."""
    label = week.phase
    if week.deload:
        label += " · deload"
    return label


def total_run_distance(plan: Plan) -> float:
    return round(sum(week.run_distance for week in plan.weeks), 1)
