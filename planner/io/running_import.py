"""Import a running plan from a CSV file or a calendar (ICS) exported by a coaching platform.

A scenario says `running: {import: plan.csv}` (or `plan.ics`); the path is relative to the
scenario file. `import_running_plan` returns one `RunDay` per date, sorted by date.

CSV files
---------
A header row, then one row per run. Columns (any order, case ignored):

- `date` (required): YYYY-MM-DD, inside the block;
- `kind` (required): rest, easy, long, quality, race or cross, or a workout word that the
  title rules below recognise (`tempo`, `intervals`, `recovery`, `bike`, ...);
- `distance` (optional): a number in the scenario's unit (`running.unit`), or a number with
  its unit (`10 km`, `6 mi`, `800 m`), converted to the scenario's unit;
- `minutes` (optional): minutes of a cross-training session.

Every date may appear once. A row with a mistake is an error naming its line.

ICS calendars
-------------
Every VEVENT on a date inside the block becomes a run; events outside the block are left
out. The kind comes from the event title (SUMMARY), by the first rule that matches (case
ignored):

1. cross: bike, cycling, spin, swim, cross(-training), elliptical, rowing ("Bike 60 min");
2. long: "long" ("Long run 16 mi");
3. quality, race-pace work: race pace, marathon pace, goal pace, MP, HMP;
4. race: race, marathon, parkrun ("10K race", "Marathon", "Half marathon");
5. rest: a title that starts with rest or off, or says day off ("Rest", "Off");
6. quality: intervals, tempo, hills, fartlek, threshold, track, repeats, progression,
   speed, VO2, workout, or a repeat pattern such as 6x800 ("Intervals 6x800");
7. easy: easy, recovery, run, jog, shakeout, aerobic ("Easy 5 mi", "Run 5 mi");
8. not a run, left out: strength, gym, yoga, pilates, mobility, stretching, weights, note;
9. anything else is an error naming the event and its line.

The distance is the first number with a unit (km, k, mi, miles, m) in the title, else a
`distance:` or `total:` figure in the description, else (for a race) the distance its name
says (5k, 10k, half marathon, marathon, ultra), else the first distance in the
description. Repeat patterns (6x800m) are not distances. Kilometres, miles and metres are
converted to the scenario's unit. A cross session's minutes come from the title (`60 min`,
`1.5 h`) or from the event's duration.

Several events on one date merge into one run: the kind that matters most for the plan
wins (race, long, quality, easy, cross, rest) and the run distances add up.

Bad files raise `InputError` with a `Problem(path, message, file, line)` per mistake.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.domain.scenario import RunDay, Scenario
from planner.errors import InputError, Problem
from planner.vocabulary import KM_PER_MILE, RACE_DISTANCES, RUN_KINDS, unknown_word

MAX_IMPORT_BYTES = 5 * 1024 * 1024
KIND_PRIORITY = ("race", "long", "quality", "easy", "cross", "rest")  # merge order, first wins

_WORD_RULES: tuple[tuple[str | None, re.Pattern[str]], ...] = (
    ("cross", re.compile(
        r"\b(bike|biking|cycl\w*|spin|swim\w*|cross(?![\s-]*country)\w*|elliptical|rowing)\b"
    )),
    ("long", re.compile(r"\blong\b")),
    ("quality", re.compile(r"\b(race pace|marathon pace|goal pace|h?mp)\b")),
    ("race", re.compile(r"\b(race|marathon|parkrun)\b")),
    ("rest", re.compile(r"^\s*(rest|off)\b|\bday off\b|\brest day\b")),
    ("quality", re.compile(
        r"\b(intervals?|tempo|hills?|fartlek|threshold|track|repeats?|progression|speed|vo2\w*|workout)\b"
        r"|\d+\s*[x×]\s*\d+"
    )),
    ("easy", re.compile(r"\b(easy|recovery|run|running|jog|jogging|shakeout|aerobic)\b")),
    (None, re.compile(r"\b(strength|gym|yoga|pilates|mobility|stretch\w*|weights?|note)\b")),
)  # fmt: skip

_REPEATS = re.compile(r"\d+\s*[x×]\s*\d+(?:[.,]\d+)?\s*(?:km|k|mi|m)?\b", re.IGNORECASE)
_UNIT = r"(?P<unit>kilomet(?:er|re)s?|km|k|miles?|mi|met(?:er|re)s?|m)"
_DISTANCE = re.compile(rf"(?P<amount>\d+(?:[.,]\d+)?)\s*{_UNIT}\b", re.IGNORECASE)
_LABELLED = re.compile(
    rf"\b(?:distance|total)\s*[:=]?\s*(?P<amount>\d+(?:[.,]\d+)?)\s*{_UNIT}\b", re.IGNORECASE
)
_MINUTES = re.compile(
    r"(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>min|mins|minutes|h|hr|hrs|hours?)\b", re.IGNORECASE
)
_RACE_NAMES = (
    ("half marathon", "half"),
    ("half", "half"),
    ("marathon", "marathon"),
    ("ultra", "ultra"),
    ("10k", "10k"),
    ("5k", "5k"),
)


@dataclass(frozen=True)
class Distance:
    amount: float
    unit: str  # "km", "mi" or "m"

    def in_unit(self, unit: str) -> float:
        km = {"km": self.amount, "mi": self.amount * KM_PER_MILE, "m": self.amount / 1000}[
            self.unit
        ]
        return round(km / KM_PER_MILE if unit == "mi" else km, 2)


# --- reading titles ------------------------------------------------------------------------


def classify_title(title: str) -> str | None:
    """The run kind an event title names, `None` for a known non-run event (strength, yoga).

    Raises ValueError when the title names nothing recognisable.
    """
    text = title.strip().lower()
    for kind, pattern in _WORD_RULES:
        if pattern.search(text):
            return kind
    raise ValueError(
        f'cannot tell what kind of run "{title}" is; name it with a word such as easy, long, '
        "tempo, intervals, race, rest or bike"
    )


def _unit_word(word: str) -> str:
    word = word.lower()
    if word in ("km", "k") or word.startswith("kilomet"):
        return "km"
    if word in ("mi", "mile", "miles"):
        return "mi"
    return "m"


def parse_distance(text: str) -> Distance | None:
    """The first distance with a unit in `text`, skipping repeat patterns such as 6x800m."""
    match = _DISTANCE.search(_REPEATS.sub(" ", text))
    if not match:
        return None
    return Distance(float(match["amount"].replace(",", ".")), _unit_word(match["unit"]))


def labelled_distance(text: str) -> Distance | None:
    """A `distance: 12 km` or `total: 8 mi` figure in a description."""
    match = _LABELLED.search(text)
    if not match:
        return None
    return Distance(float(match["amount"].replace(",", ".")), _unit_word(match["unit"]))


def parse_minutes(text: str) -> int | None:
    match = _MINUTES.search(text)
    if not match:
        return None
    amount = float(match["amount"].replace(",", "."))
    hours = match["unit"].lower().startswith("h")
    return round(amount * 60 if hours else amount)


def race_distance_from_name(title: str) -> Distance | None:
    text = title.lower()
    for words, key in _RACE_NAMES:
        if re.search(rf"\b{words}\b", text):
            return Distance(RACE_DISTANCES[key], "km")
    return None


def run_from_text(title: str, description: str, unit: str) -> tuple[str, float, int] | None:
    """(kind, distance in `unit`, minutes) read from an event's title and description, or None
    for an event that is not a run. Raises ValueError for an unrecognised title."""
    kind = classify_title(title)
    if kind is None:
        return None
    if kind == "rest":
        return "rest", 0.0, 0
    distance = (
        parse_distance(title)
        or labelled_distance(description)
        or (race_distance_from_name(title) if kind == "race" else None)
        or parse_distance(description)
    )
    minutes = (parse_minutes(title) or 0) if kind == "cross" else 0
    amount = 0.0 if kind == "cross" or distance is None else distance.in_unit(unit)
    return kind, amount, minutes


# --- merging and checking ------------------------------------------------------------------


@dataclass
class _Entry:
    kind: str
    distance: float
    minutes: int
    line: int | None


def _merge(first: _Entry, second: _Entry) -> _Entry:
    kind = min(first.kind, second.kind, key=KIND_PRIORITY.index)
    distance = sum(e.distance for e in (first, second) if e.kind not in ("cross", "rest"))
    minutes = first.minutes + second.minutes
    return _Entry(kind, round(distance, 2), minutes, first.line)


def _run_day(date: dt.date, entry: _Entry, file: str, where: str) -> RunDay:
    try:
        return RunDay(date=date, kind=entry.kind, distance=entry.distance, minutes=entry.minutes)
    except ValidationError as error:
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise InputError([Problem(where, message, file, entry.line)]) from None


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise InputError(
                [Problem("", f"the file is {size / 1e6:.1f} MB; the limit is 5 MB", str(path))]
            )
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [
                Problem(
                    "",
                    f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8",
                    str(path),
                )
            ]
        ) from None
    except OSError as error:
        raise InputError(
            [
                Problem(
                    "running.import",
                    f"cannot read the running plan: {error.strerror or error}",
                    str(path),
                )
            ]
        ) from None


# --- CSV -----------------------------------------------------------------------------------


def _csv_kind(word: str) -> str:
    word = word.strip().lower()
    if word in RUN_KINDS:
        return word
    try:
        kind = classify_title(word)
    except ValueError:
        kind = None
    if kind is None:
        raise ValueError(unknown_word("run kind", word, RUN_KINDS))
    return kind


def _csv_distance(text: str, unit: str) -> float:
    text = text.strip()
    if not text:
        return 0.0
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        distance = parse_distance(text)
        if distance is None or _DISTANCE.fullmatch(text) is None:
            raise ValueError(
                f'distance "{text}": write a number, or a number and a unit (10 km, 6 mi)'
            ) from None
        return distance.in_unit(unit)
    if value < 0:
        raise ValueError(f"distance {text} is negative")
    return value


def _csv_minutes(text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f'minutes "{text}": write a whole number')
    return int(text)


def import_csv(path: Path, scenario: Scenario) -> list[RunDay]:
    """Read a CSV running plan (see the module docstring)."""
    file = str(path)
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in ("date", "kind") if column not in header]
    if missing:
        raise InputError(
            [Problem("", f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}; "
                     "the header needs date, kind and optionally distance and minutes", file, 1)]
        )  # fmt: skip
    block = scenario.block
    problems: list[Problem] = []
    entries: dict[dt.date, _Entry] = {}
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
            kind = _csv_kind(values["kind"])
            distance = _csv_distance(values.get("distance", ""), scenario.running.unit)
            minutes = _csv_minutes(values.get("minutes", ""))
        except ValueError as error:
            problems.append(Problem(str(date), str(error), file, line))
            continue
        if not block.start <= date <= block.last_day:
            problems.append(
                Problem(
                    str(date), f"outside the block ({block.start} to {block.last_day})", file, line
                )
            )
        elif date in entries:
            problems.append(
                Problem(str(date), f"listed twice (first on line {entries[date].line})", file, line)
            )
        else:
            entries[date] = _Entry(
                kind, 0.0 if kind in ("rest", "cross") else distance, minutes, line
            )
    if problems:
        raise InputError(problems)
    return [_run_day(date, entries[date], file, str(date)) for date in sorted(entries)]


# --- ICS -----------------------------------------------------------------------------------


def _event_lines(text: str) -> list[int]:
    """The line of every BEGIN:VEVENT, in file order."""
    return [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _event_date(value: object) -> dt.date | None:
    moment = getattr(value, "dt", None)
    if isinstance(moment, dt.datetime):
        return moment.date()
    if isinstance(moment, dt.date):
        return moment
    return None


def _duration_minutes(event: Any) -> int:
    """Minutes between DTSTART and DTEND (or of DURATION) of a timed event, else 0."""
    start = getattr(event.get("DTSTART"), "dt", None)
    end = getattr(event.get("DTEND"), "dt", None)
    duration = getattr(event.get("DURATION"), "dt", None)
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return max(0, round((end - start).total_seconds() / 60))
    if isinstance(duration, dt.timedelta):
        return max(0, round(duration.total_seconds() / 60))
    return 0


def import_ics(path: Path, scenario: Scenario) -> list[RunDay]:
    """Read a calendar of runs (see the module docstring)."""
    import icalendar

    file = str(path)
    text = _read_text(path)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError) as error:
        raise InputError(
            [Problem("", f"not a valid iCalendar file: {error}", file, None)]
        ) from None
    lines = _event_lines(text)
    block, unit = scenario.block, scenario.running.unit
    problems: list[Problem] = []
    entries: dict[dt.date, _Entry] = {}
    for number, event in enumerate(calendar.walk("VEVENT")):
        line = lines[number] if number < len(lines) else None
        where = f"VEVENT {number + 1}"
        title = str(event.get("SUMMARY", "")).strip()
        date = _event_date(event.get("DTSTART"))
        if date is None:
            problems.append(
                Problem(where, f'event "{title}" has no start date (DTSTART)', file, line)
            )
            continue
        if not block.start <= date <= block.last_day:
            continue
        try:
            run = run_from_text(title, str(event.get("DESCRIPTION", "")), unit)
        except ValueError as error:
            problems.append(Problem(f"{where} ({date})", str(error), file, line))
            continue
        if run is None:
            continue
        kind, distance, minutes = run
        if kind == "cross" and not minutes:
            minutes = _duration_minutes(event)
        entry = _Entry(kind, distance, minutes, line)
        entries[date] = _merge(entries[date], entry) if date in entries else entry
    if problems:
        raise InputError(problems)
    return [_run_day(date, entries[date], file, str(date)) for date in sorted(entries)]


# --- entry point ---------------------------------------------------------------------------

IMPORTERS = {".csv": import_csv, ".ics": import_ics}


def import_running_plan(path: str | Path, scenario: Scenario) -> list[RunDay]:
    """Read a running plan (CSV or ICS, by extension) into one RunDay per date."""
    path = Path(path)
    importer = IMPORTERS.get(path.suffix.lower())
    if importer is None:
        raise InputError(
            [Problem("running.import", f'"{path.name}": expected a .csv or .ics file', str(path))]
        )
    return importer(path, scenario)
