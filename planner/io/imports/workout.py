"""One workout (a calendar event, a spreadsheet cell or row) read into a `Workout`, or a
`LeftOut` when it is not a run. Every shape calls `read_workout`, so they read alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.io.imports.report import ImportSettings, LeftOut, Workout
from planner.io.imports.text import (
    SKIP,
    Distance,
    Kind,
    bare_number,
    estimated_distance,
    first_line,
    labelled_distance,
    parse_distance,
    parse_minutes,
    race_distance_from_name,
    read_kind,
    total_distance,
    without_workout_type,
    workout_type,
    workout_type_kind,
)


@dataclass(frozen=True)
class Source:
    """What a shape knows of one workout besides its words."""

    date: dt.date
    title: str
    description: str = ""
    line: int | None = None
    workout_type: str | None = None  # TrainingPeaks' WorkoutType column
    planned_minutes: int | None = None  # a duration the source states (estimate, export)
    length_minutes: int | None = None  # the length of a timed calendar event
    distance: Distance | None = None  # a distance the source states (export column)


def _kind(source: Source, settings: ImportSettings) -> Kind | None:
    override = settings.kind_override(source.title)
    if override is not None:
        words, kind = override
        return Kind(kind, "named", f'`kinds: {{"{words}": {kind}}}`')
    typed = (
        workout_type_kind(source.workout_type)
        if source.workout_type
        else workout_type(source.description)
    )
    if typed is not None and typed.kind != "easy" and typed.certainty == "named":
        return typed  # a bike, swim or strength workout, whatever its title says
    return read_kind(source.title) or typed or read_kind("", source.description)


def _distance(source: Source, kind: str, unit: str) -> tuple[Distance | None, bool]:
    """The run's distance and whether it was written as a bare number."""
    if source.distance is not None and source.distance.amount > 0:
        return source.distance, False
    found = total_distance(source.title, unit)
    if found is not None:
        return found, False
    number = bare_number(source.title)
    if number is not None:
        return Distance(number, unit), True
    description = without_workout_type(source.description)
    found = (
        labelled_distance(description)
        or total_distance(first_line(description), unit)
        or (race_distance_from_name(source.title) if kind == "race" else None)
        or parse_distance(description, unit)
    )
    return found, False


def _minutes(source: Source) -> int:
    for found in (
        parse_minutes(source.description) if "planned time" in source.description.lower() else None,
        source.planned_minutes,
        parse_minutes(source.title),
        parse_minutes(first_line(without_workout_type(source.description))),
        source.length_minutes,
    ):
        if found:
            return found
    return 0


def read_workout(source: Source, settings: ImportSettings) -> Workout | LeftOut:
    """Read one workout; an unrecognisable one is read as the most likely kind (an easy run
    when it gives a distance, else left out) and the guess is kept."""
    unit = settings.unit
    kind = _kind(source, settings)
    guesses: list[str] = []
    if kind is None:
        distance, _ = _distance(source, "easy", unit)
        if distance is None:
            return LeftOut(
                source.date, source.title,
                "no word says what kind of workout this is, and it gives no distance: left out",
                source.line, guess=True,
            )  # fmt: skip
        kind = Kind("easy", "guessed")
        guesses.append("no word names the kind: read as an easy run, as it gives a distance")
    elif kind.certainty == "guessed":
        guesses.append(f"read as {kind.kind} {kind.reason}")
    if kind.kind == SKIP:
        reason = f"not a run ({kind.reason})" if kind.reason else "not a run"
        return LeftOut(source.date, source.title, reason, source.line)
    if kind.kind == "rest":
        return Workout(source.date, source.title, "rest", kind.certainty, 0.0, 0, source.line)
    minutes = _minutes(source)
    if kind.kind == "cross":
        return Workout(
            source.date, source.title, "cross", kind.certainty, 0.0, minutes, source.line, guesses
        )
    distance, bare = _distance(source, kind.kind, unit)
    amount = distance.in_unit(unit) if distance is not None else 0.0
    if amount == 0 and minutes and kind.kind != "race":
        amount = estimated_distance(minutes, unit)
        guesses.append(f"no distance given: {amount:g} {unit} estimated from {minutes} min")
    return Workout(
        date=source.date,
        title=source.title,
        kind=kind.kind,
        certainty=kind.certainty,
        distance=amount,
        minutes=minutes,
        line=source.line,
        guesses=guesses,
        bare_number=bare,
    )
