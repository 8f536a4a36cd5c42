"""Reading a training log for `planner replan --done`: a CSV of `date,status[,minutes]`
lines, status `done`, `missed` or `partial` (minutes: how long the partial session lasted).
A header line `date,status,minutes` is allowed; blank lines and `#` comments are skipped."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from planner.errors import InputError, Problem

STATUSES = ("done", "missed", "partial")


@dataclass(frozen=True)
class LogEntry:
    date: dt.date
    status: str  # done | missed | partial
    minutes: int | None
    line: int


def read_done_log(path: str | Path) -> list[LogEntry]:
    """Every entry of the log, or InputError naming the file and line of each mistake."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem("--done", f"cannot read the log: {error}", name)]) from None
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    seen: dict[dt.date, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() == "date":
            continue

        def problem(message: str, line: int = number) -> None:
            problems.append(Problem("--done", message, name, line))

        if len(cells) not in (2, 3):
            problem(f"expected `date,status[,minutes]`, got {len(cells)} fields")
            continue
        try:
            date = dt.date.fromisoformat(cells[0])
        except ValueError:
            problem(f'"{cells[0]}" is not a date as YYYY-MM-DD')
            continue
        status = cells[1].lower()
        if status not in STATUSES:
            problem(f'unknown status "{cells[1]}"; expected {", ".join(STATUSES)}')
            continue
        minutes = None
        if len(cells) == 3 and cells[2]:
            if not cells[2].isdigit():
                problem(f'"{cells[2]}" is not a whole number of minutes')
                continue
            minutes = int(cells[2])
            if status != "partial":
                problem(f"minutes are only for a partial session, not for `{status}`")
                continue
        if date in seen:
            problem(f"{date} is listed twice (also on line {seen[date]})")
            continue
        seen[date] = number
        entries.append(LogEntry(date, status, minutes, number))
    if problems:
        raise InputError(problems)
    return entries
