"""An imported running plan written as a scenario in the FORMATS.md layout: one
`running.weeks` entry per block week, `{tue: 3, wed: quality 5, sat: long 8, sun: cross 45min}`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import yaml

from planner.vocabulary import KM_PER_MILE, WEEKDAYS

if TYPE_CHECKING:
    from planner.io.imports.report import ImportedDay, ImportReport


def run_text(day: ImportedDay) -> str | float | None:
    """A day as a FORMATS.md run entry, None for a rest day."""
    if day.kind == "rest":
        return None
    if day.kind == "cross":
        return f"cross {day.minutes}min"
    if day.kind == "easy":
        return _number(day.distance) if day.distance > 0 else "easy 0"
    return f"{day.kind} {day.distance:g}"


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


def races(report: ImportReport, first: dt.date, last: dt.date) -> list[dict[str, object]]:
    """The imported races of the block as `block.races`: the longest (the later one on a
    tie) is the A race, which sets the phases and the taper; the others are B races."""
    factor = KM_PER_MILE if report.unit == "mi" else 1.0
    found = [
        day
        for day in report.days
        if day.kind == "race" and day.distance * factor >= 1 and first <= day.date <= last
    ]
    if not found:
        return []
    main = max(found, key=lambda day: (day.distance, day.date))
    return [
        {
            "date": day.date,
            "distance": round(day.distance * factor, 1),
            "priority": "A" if day is main else "B",
        }
        for day in found
    ]


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
    found = races(report, first, first + dt.timedelta(days=7 * count - 1))
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
        "block": {"start": first, "weeks": count, **({"races": found} if found else {})},
        "availability": {"weekly": {"mon": 30, "wed": 30, "fri": 30}},
    }
    lines = [
        f"# Running plan imported from {report.file.rsplit('/', 1)[-1]}: check it, then set the",
        "# athlete, the gym minutes per weekday (availability.weekly) and the races' priorities",
        "# (the A race sets the phases and the taper) before solving.",
        yaml.safe_dump(head, sort_keys=False, default_flow_style=None, allow_unicode=True).rstrip(),
        "running:",
        f"  unit: {report.unit}",
        "  weeks:",
    ]
    for index, entry in enumerate(week_entries, start=1):
        body = yaml.safe_dump(entry, default_flow_style=True, sort_keys=False, width=1000).strip()
        lines.append(f"    - {body}  # week {index}")
    return "\n".join(lines) + "\n"
