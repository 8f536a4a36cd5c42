"""The week grid of published plans: a header `Week,Mon,Tue,...,Sun`, then one row per
week with one cell per day.

Cells read like event titles: `Rest`, `Cross`, `3 m run` (miles, in a plan in miles),
`5 m pace`, a bare number (the long run in published tables), `Half Marathon` on race day.
Cells may be quoted with double or single quotes. Week N holds the seven days from the block
start plus N-1 weeks, so the grid needs the block's start date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from planner.domain.scenario import MAX_WEEKS
from planner.errors import InputError, Problem
from planner.io.imports.report import ImportReport, ImportSettings, LeftOut, Workout, finish
from planner.io.imports.workout import Source, read_workout
from planner.vocabulary import WEEKDAYS

_SINGLE_QUOTED = re.compile(r"(^|,)\s*'")


def weekday_of(name: str) -> int | None:
    """`Mon`, `monday`, `'Tue'` -> the weekday index, else None."""
    word = name.strip().strip("'\"").lower()
    if len(word) < 2:
        return None
    for index, short in enumerate(WEEKDAYS):
        full = dt.date(2024, 1, 1 + index).strftime("%A").lower()
        if word == short or (len(word) >= 3 and full.startswith(word)):
            return index
    return None


def is_week_grid(header: list[str]) -> bool:
    first = header[0].strip().strip("'\"").lower() if header else ""
    days = [weekday_of(cell) for cell in header[1:]]
    return first in ("week", "wk", "weeks", "#", "") and sum(d is not None for d in days) >= 3


def grid_rows(text: str) -> list[list[str]]:
    """The grid's cells, quoted with double or single quotes."""
    single = bool(_SINGLE_QUOTED.search(text)) and '"' not in text
    reader = csv.reader(io.StringIO(text, newline=""), quotechar="'" if single else '"',
                        skipinitialspace=True)  # fmt: skip
    return [[cell.strip().strip("'").strip() for cell in row] for row in reader]


def read_week_grid(file: str, text: str, settings: ImportSettings) -> ImportReport:
    """Read a week grid (see the module docstring)."""
    if settings.start is None:
        raise InputError(
            [Problem("", "a week grid has no dates: give the block's first day (--start)", file, 1)]
        )
    rows = grid_rows(text)
    columns = [weekday_of(cell) for cell in rows[0][1:]]
    workouts: list[Workout] = []
    left_out: list[LeftOut] = []
    problems: list[Problem] = []
    for row_index, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        label = row[0]
        number = re.search(r"\d+", label)
        week = int(number[0]) if number else row_index - 1
        if not 1 <= week <= MAX_WEEKS:
            problems.append(
                Problem(f"week {label}", f"weeks are numbered 1 to {MAX_WEEKS}", file, row_index)
            )
            continue
        week_start = settings.start + dt.timedelta(days=7 * (week - 1))
        for column, cell in zip(columns, row[1:], strict=False):
            if column is None or not cell:
                continue
            date = week_start + dt.timedelta(days=(column - week_start.weekday()) % 7)
            read = read_workout(Source(date, cell, line=row_index), settings)
            if isinstance(read, LeftOut):
                left_out.append(read)
            else:
                workouts.append(read)
    if problems:
        raise InputError(problems)
    return finish(file, "week grid", workouts, left_out, settings)
