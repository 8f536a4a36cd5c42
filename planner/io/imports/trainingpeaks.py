"""The TrainingPeaks workouts export (CSV): one row per workout, with the columns `Title`,
`WorkoutType`, `WorkoutDescription`, `PlannedDuration` (decimal hours),
`PlannedDistanceInMeters` and `WorkoutDay` (other columns are ignored).

The workout type says whether a row is a run (Run), cross-training (Bike, Swim, ...) or no
run (Strength, Other); the title then names the kind of run, as in a calendar feed.
"""

from __future__ import annotations

import csv
import datetime as dt

from planner.errors import InputError, Problem
from planner.io.imports.report import ImportReport, ImportSettings, LeftOut, Workout, finish
from planner.io.imports.text import Distance
from planner.io.imports.workout import Source, read_workout

COLUMNS = ("title", "workouttype", "workoutday")


def is_trainingpeaks(header: list[str]) -> bool:
    names = {name.strip().lower() for name in header}
    return all(column in names for column in COLUMNS)


def _date(text: str) -> dt.date:
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return dt.datetime.strptime((text.split() or [""])[0], "%m/%d/%Y").date()


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text.replace(",", ".")) if text else None


def read_trainingpeaks(
    file: str, reader: csv.DictReader[str], settings: ImportSettings
) -> ImportReport:
    """Read a TrainingPeaks workouts export (see the module docstring)."""
    workouts: list[Workout] = []
    left_out: list[LeftOut] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        values = {(key or "").strip().lower(): (value or "") for key, value in row.items()}
        if not any(isinstance(value, str) and value.strip() for value in values.values()):
            continue
        try:
            date = _date(values["workoutday"])
        except ValueError:
            problems.append(
                Problem("WorkoutDay", f'"{values["workoutday"]}" is not a date', file, line)
            )
            continue
        try:
            hours = _number(values.get("plannedduration", ""))
            meters = _number(values.get("planneddistanceinmeters", ""))
        except ValueError:
            problems.append(
                Problem(
                    str(date),
                    "PlannedDuration (hours) and PlannedDistanceInMeters must be numbers",
                    file,
                    line,
                )
            )
            continue
        source = Source(
            date=date,
            title=values["title"].strip(),
            description=values.get("workoutdescription", ""),
            line=line,
            workout_type=values["workouttype"].strip() or None,
            planned_minutes=round(hours * 60) if hours else None,
            distance=Distance(meters, "m") if meters else None,
        )
        read = read_workout(source, settings)
        if isinstance(read, LeftOut):
            left_out.append(read)
        else:
            workouts.append(read)
    if problems:
        raise InputError(problems)
    return finish(file, "TrainingPeaks export", workouts, left_out, settings)
