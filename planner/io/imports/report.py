"""What an import read: the workouts of every shape, one day per date, and what was left out.

`finish` turns the workouts that a shape reader found into an `ImportReport`: it keeps the
dates inside the window, merges the workouts of one date, reads the week's clearly longest
unnamed run as the long run, and (with `strict`) turns every guess into an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from planner.domain.scenario import RunDay, Scenario
from planner.errors import InputError, Problem
from planner.io.imports.text import Certainty

KIND_PRIORITY = ("race", "long", "quality", "easy", "cross", "rest")  # merge order, first wins
RUN_DISTANCE_KINDS = ("easy", "long", "quality", "race")
LONG_RUN_RATIO = 1.3  # the week's long run is at least this many times the next run
LONG_RUN_MIN = {"km": 13.0, "mi": 8.0}  # ... and at least this long, in the plan's unit


@dataclass(frozen=True)
class ImportSettings:
    """How to read a running plan: the plan's unit, the dates to keep, the athlete's time
    zone, and the `strict` and `kinds` choices of `running.import`."""

    unit: str = "km"
    start: dt.date | None = None
    last_day: dt.date | None = None
    timezone: str | None = None
    strict: bool = False
    kinds: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_scenario(cls, scenario: Scenario) -> ImportSettings:
        spec = scenario.running.import_
        return cls(
            unit=scenario.running.unit,
            start=scenario.block.start,
            last_day=scenario.block.last_day,
            timezone=scenario.timezone,
            strict=spec.strict if spec else False,
            kinds=dict(spec.kinds) if spec else {},
        )

    def keeps(self, date: dt.date) -> bool:
        return (self.start is None or date >= self.start) and (
            self.last_day is None or date <= self.last_day
        )

    def kind_override(self, title: str) -> tuple[str, str] | None:
        """(title words, kind) of the longest `kinds` entry that the title contains."""
        text = title.lower()
        found = [(words, kind) for words, kind in self.kinds.items() if words.lower() in text]
        return max(found, key=lambda item: len(item[0]), default=None)


@dataclass
class Workout:
    """One event or row read as a run (or a rest day), with how sure the reading is."""

    date: dt.date
    title: str
    kind: str
    certainty: Certainty
    distance: float  # in the settings' unit
    minutes: int
    line: int | None
    guesses: list[str] = field(default_factory=list)
    bare_number: bool = False  # written as a bare distance, as published plans write long runs


@dataclass(frozen=True)
class LeftOut:
    """An event or row that is not a run, with the reason."""

    date: dt.date | None
    title: str
    reason: str
    line: int | None
    guess: bool = False


@dataclass(frozen=True)
class ImportedDay:
    date: dt.date
    kind: str
    distance: float
    minutes: int
    lines: tuple[int, ...]
    titles: tuple[str, ...]
    guesses: tuple[str, ...]

    def run_day(self) -> RunDay:
        distance = self.distance if self.kind in RUN_DISTANCE_KINDS else 0.0
        return RunDay(date=self.date, kind=self.kind, distance=distance, minutes=self.minutes)


@dataclass(frozen=True)
class ImportReport:
    """How a running plan was read: one day per date, and the events left out."""

    file: str
    shape: str
    unit: str
    timezone: str | None
    days: tuple[ImportedDay, ...]
    left_out: tuple[LeftOut, ...]
    notes: tuple[str, ...] = ()

    def run_days(self) -> list[RunDay]:
        return [day.run_day() for day in self.days]

    @property
    def guesses(self) -> list[Problem]:
        """Every guess, as a problem naming its date, file and line."""
        found = [
            Problem(
                str(day.date),
                f'"{" + ".join(day.titles)}": {guess}',
                self.file,
                day.lines[0] if day.lines else None,
            )
            for day in self.days
            for guess in day.guesses
        ]
        found += [
            Problem(str(item.date or ""), f'"{item.title}": {item.reason}', self.file, item.line)
            for item in self.left_out
            if item.guess
        ]
        return sorted(found, key=lambda problem: (problem.path, problem.line or 0))

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "shape": self.shape,
            "unit": self.unit,
            "timezone": self.timezone,
            "days": [
                {
                    "date": str(day.date),
                    "kind": day.kind,
                    "distance": day.distance,
                    "minutes": day.minutes,
                    "lines": list(day.lines),
                    "titles": list(day.titles),
                    "guesses": list(day.guesses),
                }
                for day in self.days
            ],
            "left_out": [
                {
                    "date": str(item.date) if item.date else None,
                    "title": item.title,
                    "reason": item.reason,
                    "line": item.line,
                    "guess": item.guess,
                }
                for item in self.left_out
            ],
            "notes": list(self.notes),
        }


# --- finishing -----------------------------------------------------------------------------


def _merge(workouts: list[Workout]) -> ImportedDay:
    """One day from the workouts of one date: the kind that matters most for the plan wins
    (race, long, quality, easy, cross, rest); run distances and minutes add up."""
    kind = min((w.kind for w in workouts), key=KIND_PRIORITY.index)
    distance = sum(w.distance for w in workouts if w.kind in RUN_DISTANCE_KINDS)
    guesses = [guess for w in workouts for guess in w.guesses]
    return ImportedDay(
        date=workouts[0].date,
        kind=kind,
        distance=round(distance, 2),
        minutes=sum(w.minutes for w in workouts),
        lines=tuple(w.line for w in workouts if w.line is not None),
        titles=tuple(w.title for w in workouts),
        guesses=tuple(guesses),
    )


def _unnamed(workouts: list[Workout]) -> bool:
    """True when no workout of the day names its kind (just "run", a number, a guess)."""
    return all(w.certainty != "named" for w in workouts if w.kind in RUN_DISTANCE_KINDS)


def _week_of(date: dt.date, anchor: dt.date) -> int:
    return (date - anchor).days // 7


def _long_runs(
    days: dict[dt.date, ImportedDay],
    by_date: dict[dt.date, list[Workout]],
    settings: ImportSettings,
) -> None:
    """R4 protects the day before a long run, so a long run must not hide as an easy one: a
    week's clearly longest unnamed run (LONG_RUN_RATIO times the next, and LONG_RUN_MIN,
    or written as a bare number as published plans write the long run) is read as `long`."""
    if not days:
        return
    first = min(days)
    anchor = settings.start or first - dt.timedelta(days=first.weekday())
    weeks: dict[int, list[ImportedDay]] = {}
    for day in days.values():
        weeks.setdefault(_week_of(day.date, anchor), []).append(day)
    for week_days in weeks.values():
        runs = sorted(
            (d for d in week_days if d.kind in RUN_DISTANCE_KINDS and d.distance > 0),
            key=lambda d: d.distance,
            reverse=True,
        )
        if not runs or any(d.kind == "long" for d in week_days):
            continue
        longest = runs[0]
        workouts = by_date[longest.date]
        if longest.kind != "easy" or not _unnamed(workouts):
            continue
        following = runs[1].distance if len(runs) > 1 else 0.0
        if longest.distance < LONG_RUN_RATIO * following:
            continue
        bare = any(w.bare_number for w in workouts)
        if longest.distance >= LONG_RUN_MIN[settings.unit]:
            why = f"long run: the week's longest, {LONG_RUN_RATIO:g} × the next or more"
        elif bare:
            why = "long run: a bare number, the week's longest, as plan tables write it"
        else:
            continue
        days[longest.date] = ImportedDay(
            date=longest.date,
            kind="long",
            distance=longest.distance,
            minutes=longest.minutes,
            lines=longest.lines,
            titles=longest.titles,
            guesses=(*longest.guesses, why),
        )


def _invalid(day: ImportedDay, file: str) -> Problem | None:
    """What makes a day no valid run (a distance or minutes out of range), if anything."""
    try:
        day.run_day()
    except ValidationError as error:
        message = "; ".join(
            f"{'.'.join(map(str, item['loc']))}: {item['msg'].removeprefix('Value error, ')}"
            for item in error.errors()
        )
        titles = " + ".join(day.titles)
        return Problem(str(day.date), f'"{titles}": {message}', file, (day.lines or (None,))[0])
    return None


def finish(
    file: str,
    shape: str,
    workouts: list[Workout],
    left_out: list[LeftOut],
    settings: ImportSettings,
    timezone: str | None = None,
    notes: tuple[str, ...] = (),
) -> ImportReport:
    """The report of an import: dates inside the window, merged by date, long runs found;
    every guess an error when `settings.strict`."""
    by_date: dict[dt.date, list[Workout]] = {}
    for workout in workouts:
        if settings.keeps(workout.date):
            by_date.setdefault(workout.date, []).append(workout)
    days = {date: _merge(items) for date, items in by_date.items()}
    _long_runs(days, by_date, settings)
    kept_out = [item for item in left_out if item.date is None or settings.keeps(item.date)]
    report = ImportReport(
        file=file,
        shape=shape,
        unit=settings.unit,
        timezone=timezone,
        days=tuple(days[date] for date in sorted(days)),
        left_out=tuple(
            sorted(kept_out, key=lambda item: (item.date or dt.date.min, item.line or 0))
        ),
        notes=notes,
    )
    problems = [problem for day in report.days if (problem := _invalid(day, file))]
    if problems:
        raise InputError(problems)
    if settings.strict and report.guesses:
        raise InputError(
            [
                Problem(
                    guess.path,
                    f"{guess.message} (strict import: name the kind in the title, or map the "
                    "title under `running.import.kinds`)",
                    guess.file,
                    guess.line,
                )
                for guess in report.guesses
            ]
        )
    return report
