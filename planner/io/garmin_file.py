"""Reading the table of Garmin exercises (`models/garmin_exercises.csv`): for each catalog
exercise, the FIT profile's exercise category and, where the profile has one, its exercise
name, so that a watch shows the exercise as its own (`planner.report.export.to_fit`).

The table is data a coach can review: one row per catalog id, `exercise,garmin_category,
garmin_name`, names spelt as the FIT profile spells them (`squat`, `dumbbell_split_squat`).
An empty name keeps the category and shows our name; an exercise with no row takes
FALLBACK_CATEGORIES of its catalog category.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from planner.errors import InputError, Problem

FILE = "garmin_exercises.csv"
HEADER = ["exercise", "garmin_category", "garmin_name"]
WORD = re.compile(r"^[a-z0-9_]+$")
FALLBACK_CATEGORIES = {
    "mobility": "warm_up",
    "power": "plyo",
    "strength": "total_body",
    "accessory": "total_body",
    "core": "core",
}


@dataclass(frozen=True)
class GarminExercise:
    """Where an exercise stands in the FIT profile: its category (`squat`) and its name in
    that category (`dumbbell_split_squat`), None when the profile has none."""

    category: str
    name: str | None = None


def read_garmin_exercises(
    text: str, file: str = f"planner.models/{FILE}"
) -> dict[str, GarminExercise]:
    """Parse the table; InputError naming each bad line."""
    rows = list(csv.reader(io.StringIO(text)))
    problems: list[Problem] = []
    if not rows or [cell.strip() for cell in rows[0]] != HEADER:
        raise InputError([Problem("header", f"expected {','.join(HEADER)}", file, 1)])
    table: dict[str, GarminExercise] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + [""] * (len(HEADER) - len(row))
        exercise, category, name = cells[:3]
        if len(row) > len(HEADER) or not all(WORD.match(word) for word in cells[:2]):
            problems.append(Problem(exercise or "row", "expected id,category,name", file, line))
        elif name and not WORD.match(name):
            problems.append(Problem(exercise, f'"{name}" is not a FIT profile name', file, line))
        elif exercise in table:
            problems.append(Problem(exercise, "listed twice", file, line))
        else:
            table[exercise] = GarminExercise(category, name or None)
    if problems:
        raise InputError(problems)
    return table


@cache
def garmin_exercises() -> dict[str, GarminExercise]:
    """The packaged table, read once."""
    text = resources.files("planner").joinpath("models", FILE).read_text(encoding="utf-8")
    return read_garmin_exercises(text)


def garmin_exercise(exercise: str, catalog_category: str) -> GarminExercise:
    """The exercise's place in the FIT profile; its catalog category's when it has no row."""
    found = garmin_exercises().get(exercise)
    if found is not None:
        return found
    return GarminExercise(FALLBACK_CATEGORIES.get(catalog_category, "total_body"))
