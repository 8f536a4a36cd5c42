"""An imported running plan written as a scenario in the FORMATS.md layout: one
`running.weeks` entry per block week, `{tue: 3, wed: quality 5, sat: long 8, sun: cross 45min}`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import yaml

from planner.vocabulary import WEEKDAYS

if TYPE_CHECKING:
    from planner.io.imports.report import ImportedDay, ImportReport


def run_text(day: ImportedDay) -> str | float | None:
    """A day as a FORMATS.md run entry, None for a rest day."""
    if day.kind == "rest":
        return None
    if day.kind == "cross":
        return f"cross {day.minutes}min"
    if day.kind == "easy":
        return day.distance if day.distance > 0 else "easy 0"
    return f"{day.kind} {day.distance:g}"


def block_span(
    report: ImportReport, start: dt.date | None, weeks: int | None
) -> tuple[dt.date, int]:
    """The block's first day and weeks: as given, else the Monday before the first day
    imported and enough weeks to hold the last."""
    dates = [day.date for day in report.days] or [dt.date.today()]
    first = start or min(dates) - dt.timedelta(days=min(dates).weekday())
    if weeks is None:
        weeks = max(1, (max(dates) - first).days // 7 + 1)
    return first, weeks


def scenario_yaml(
    report: ImportReport,
    start: dt.date | None = None,
    weeks: int | None = None,
    timezone: str | None = None,
) -> str:
    """A scenario holding the imported runs, to complete (athlete, gym minutes) and solve."""
    first, count = block_span(report, start, weeks)
    by_date = {day.date: day for day in report.days}
    week_entries = []
    for week in range(count):
        entry: dict[str, str | float] = {}
        for offset in range(7):
            date = first + dt.timedelta(days=7 * week + offset)
            day = by_date.get(date)
            text = run_text(day) if day is not None else None
            if text is not None:
                entry[WEEKDAYS[date.weekday()]] = text
        week_entries.append(entry)
    head = {
        "format": 1,
        "name": f"Imported from {report.file.rsplit('/', 1)[-1]}",
        **({"timezone": timezone} if timezone else {}),
        "block": {"start": first.isoformat(), "weeks": count},
        "availability": {"weekly": {"mon": 30, "wed": 30, "fri": 30}},
    }
    lines = [
        f"# Running plan imported from {report.file.rsplit('/', 1)[-1]}: check it, then set the",
        "# athlete and the gym minutes per weekday (availability.weekly) before solving.",
        yaml.safe_dump(head, sort_keys=False, default_flow_style=None, allow_unicode=True).rstrip(),
        "running:",
        f"  unit: {report.unit}",
        "  weeks:",
    ]
    for index, entry in enumerate(week_entries, start=1):
        body = yaml.safe_dump(entry, default_flow_style=True, sort_keys=False, width=1000).strip()
        lines.append(f"    - {body}  # week {index}")
    return "\n".join(lines) + "\n"
