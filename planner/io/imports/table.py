"""The planner's own spreadsheet shape: `date,kind,distance,minutes`, one row per run.

- `date` (required): YYYY-MM-DD, inside the block;
- `kind` (required): rest, easy, long, quality, race or cross, or a workout word that titles
  use (`tempo`, `intervals`, `recovery`, `bike`, ...);
- `distance` (optional): a number in the plan's unit, or a number with its unit (`10 km`,
  `6 mi`, `800 m`), converted to the plan's unit;
- `minutes` (optional): the minutes of the session.

The kind is named in its own column, so a row with a mistake is an error naming its line,
not a guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

from planner.errors import InputError, Problem
from planner.io.imports.report import ImportReport, ImportSettings, Workout, finish
from planner.io.imports.text import SKIP, Kind, kind_from_words, parse_distance
from planner.vocabulary import RUN_KINDS, unknown_word

_DISTANCE_TEXT = r"\s*\d+(?:[.,]\d+)?\s*(km|k|mi|miles?|m|kilomet(er|re)s?|met(er|re)s?)\s*"


def _kind(word: str) -> Kind:
    word = word.strip().lower()
    if word in RUN_KINDS:
        return Kind(word, "named")
    found = kind_from_words(word)
    if found is None or found.kind == SKIP or not word:
        raise ValueError(unknown_word("run kind", word, RUN_KINDS))
    return found


def _distance(text: str, unit: str) -> float:
    text = text.strip()
    if not text:
        return 0.0
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        distance = parse_distance(text, "km") if re.fullmatch(_DISTANCE_TEXT, text, re.I) else None
        if distance is None:
            raise ValueError(
                f'distance "{text}": write a number, or a number and a unit (10 km, 6 mi)'
            ) from None
        return distance.in_unit(unit)
    if value < 0:
        raise ValueError(f"distance {text} is negative")
    return value


def _minutes(text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f'minutes "{text}": write a whole number')
    return int(text)


def read_table(file: str, reader: csv.DictReader[str], settings: ImportSettings) -> ImportReport:
    """Read `date,kind,distance,minutes` rows (see the module docstring)."""
    problems: list[Problem] = []
    workouts: list[Workout] = []
    first_line: dict[dt.date, int] = {}
    for row in reader:
        line = reader.line_num
        values = {(key or "").strip().lower(): (value or "") for key, value in row.items()}
        if not any(value.strip() for value in values.values() if isinstance(value, str)):
            continue
        try:
            date = dt.date.fromisoformat(values["date"].strip())
        except ValueError:
            problems.append(
                Problem("date", f'"{values["date"]}" is not a date: write YYYY-MM-DD', file, line)
            )
            continue
        try:
            kind = _kind(values["kind"])
            distance = _distance(values.get("distance", ""), settings.unit)
            minutes = _minutes(values.get("minutes", ""))
        except ValueError as error:
            problems.append(Problem(str(date), str(error), file, line))
            continue
        if not settings.keeps(date):
            problems.append(
                Problem(
                    str(date),
                    f"outside the block ({settings.start} to {settings.last_day})",
                    file,
                    line,
                )
            )
        elif date in first_line:
            problems.append(
                Problem(str(date), f"listed twice (first on line {first_line[date]})", file, line)
            )
        else:
            first_line[date] = line
            amount = 0.0 if kind.kind in ("rest", "cross") else distance
            title = values["kind"].strip()
            workouts.append(Workout(date, title, kind.kind, kind.certainty, amount, minutes, line))
    if problems:
        raise InputError(problems)
    return finish(file, "table", workouts, [], settings)
