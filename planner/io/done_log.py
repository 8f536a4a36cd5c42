"""Reading a training log (FORMATS.md, "Training log (CSV)") for `planner replan --done` and
the load suggestions (`--log`): a CSV of `date,status,minutes,exercise,sets,reps,load_kg,rpe`
rows, one per exercise done (or per session, with `exercise` empty); the older form
`date,status[,minutes]` stays valid. Status `done`, `missed` or `partial` (minutes: how long
the partial session lasted); `load_kg` as lifted (`40` for a bar, `2x12` for a dumbbell in
each hand); `rpe` 1-10 in half points.

A header line naming the columns (in this order) is allowed; blank lines and `#` comments
are skipped, and so is a row of the log template not filled yet (an exercise with no status,
load or RPE). A row with a load or an RPE and no status counts as done. Rows of one date
share its status and minutes. Every mistake is reported with the file, the line and the
field."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain.loads import Lift, parse_load, parse_reps
from planner.errors import InputError, Problem
from planner.vocabulary import suggest

STATUSES = ("done", "missed", "partial")
# The training log's columns (FORMATS.md), in order: the reader's, and the template's
# (`planner.report.export.to_log`).
COLUMNS = ("date", "status", "minutes", "exercise", "sets", "reps", "load_kg", "rpe")
MAX_SETS = 20


@dataclass(frozen=True)
class LogEntry:
    date: dt.date
    status: str  # done | missed | partial
    minutes: int | None
    line: int


@dataclass(frozen=True)
class TrainingLog:
    """The sessions of a log (one entry per date) and the exercises lifted."""

    entries: list[LogEntry] = field(default_factory=list)
    lifts: list[Lift] = field(default_factory=list)


class _RowError(ValueError):
    """One field of one row is wrong."""

    def __init__(self, column: str, message: str) -> None:
        self.column = column
        super().__init__(message)


def read_training_log(
    path: str | Path, exercises: Collection[str] | None = None, flag: str = "--done"
) -> TrainingLog:
    """The whole log, or InputError naming the file, line and field of each mistake. With
    `exercises` (the catalog's ids), an unknown id is a mistake, with a "did you mean"."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(flag, f"cannot read the log: {error}", name)]) from None
    problems: list[Problem] = []
    sessions: dict[dt.date, LogEntry] = {}
    lifts: list[Lift] = []
    session_rows: dict[dt.date, int] = {}  # dates with a row for the whole session
    header_seen = False
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if not header_seen and cells[0].lower() == "date":
            header_seen = True
            if [c.lower() for c in cells] != list(COLUMNS[: len(cells)]):
                message = f"expected the columns {','.join(COLUMNS)} (or the first 2 or 3)"
                problems.append(Problem(flag, message, name, number))
            continue
        header_seen = True
        try:
            read = _row(cells, exercises)
        except _RowError as error:
            problems.append(Problem(error.column or flag, str(error), name, number))
            continue
        if read is None:
            continue
        entry, lift = read
        entry = LogEntry(entry.date, entry.status, entry.minutes, number)
        if exercise_free(cells):
            if entry.date in session_rows:
                message = f"{entry.date} is listed twice (also on line {session_rows[entry.date]})"
                problems.append(Problem(flag, message, name, number))
                continue
            session_rows[entry.date] = number
        try:
            sessions[entry.date] = _merged(sessions.get(entry.date), entry)
        except _RowError as error:
            problems.append(Problem(error.column, str(error), name, number))
            continue
        if lift is not None:
            lifts.append(Lift(lift.date, lift.exercise, lift.sets, lift.reps, lift.load,
                              lift.rpe, number))  # fmt: skip
    if problems:
        raise InputError(problems)
    return TrainingLog(sorted(sessions.values(), key=lambda e: e.line), lifts)


def exercise_free(cells: list[str]) -> bool:
    """A row for a whole session: no exercise named."""
    return len(cells) <= COLUMNS.index("exercise") or not cells[COLUMNS.index("exercise")]


def _merged(before: LogEntry | None, entry: LogEntry) -> LogEntry:
    """One entry per date: the rows of a date share its status and minutes."""
    if before is None:
        return entry
    if before.status != entry.status:
        raise _RowError(
            "status",
            f"{entry.date} is `{entry.status}` here but `{before.status}` on line {before.line}",
        )
    if entry.minutes is not None and before.minutes not in (None, entry.minutes):
        raise _RowError(
            "minutes",
            f"{entry.date}: {entry.minutes} minutes here but {before.minutes} on line "
            f"{before.line}",
        )
    minutes = before.minutes if before.minutes is not None else entry.minutes
    return LogEntry(before.date, before.status, minutes, before.line)


def _row(
    cells: list[str], exercises: Collection[str] | None
) -> tuple[LogEntry, Lift | None] | None:
    """A row's session entry and the exercise it lifted, None for a template row not filled
    yet; _RowError naming the field otherwise."""
    if not 2 <= len(cells) <= len(COLUMNS):
        raise _RowError(
            "",
            f"expected `date,status[,minutes]` or the {len(COLUMNS)} columns "
            f"{','.join(COLUMNS)}, got {len(cells)} fields",
        )
    values = dict(zip(COLUMNS, cells + [""] * (len(COLUMNS) - len(cells)), strict=True))
    try:
        date = dt.date.fromisoformat(values["date"])
    except ValueError:
        raise _RowError("date", f'"{values["date"]}" is not a date as YYYY-MM-DD') from None
    exercise = values["exercise"]
    status = values["status"].lower()
    if not status:
        if not exercise or not (values["load_kg"] or values["rpe"]):
            if exercise:
                return None  # a row of the template, not filled yet
            raise _RowError("status", f"no status; expected {', '.join(STATUSES)}")
        status = "done"  # a load or an RPE says it was done
    if status not in STATUSES:
        raise _RowError(
            "status", f'unknown status "{values["status"]}"; expected {", ".join(STATUSES)}'
        )
    minutes = None
    if values["minutes"]:
        if not values["minutes"].isdigit():
            raise _RowError("minutes", f'"{values["minutes"]}" is not a whole number of minutes')
        minutes = int(values["minutes"])
        if status != "partial":
            raise _RowError(
                "minutes", f"minutes are only for a partial session, not for `{status}`"
            )
    entry = LogEntry(date, status, minutes, 0)
    if not exercise:
        extra = [c for c in COLUMNS[4:] if values[c]]
        if extra:
            raise _RowError(extra[0], "a value without an exercise; name the exercise")
        return entry, None
    if exercises is not None and exercise not in exercises:
        hint = suggest(exercise, exercises) or " (`planner exercises` lists the catalog's ids)"
        raise _RowError("exercise", f'unknown exercise "{exercise}"{hint}')
    if status == "missed":
        given = [c for c in ("load_kg", "rpe") if values[c]]
        if given:
            raise _RowError(given[0], "a missed session has no load or RPE; leave it empty")
        return entry, None
    return entry, _lift(date, exercise, values)


def _lift(date: dt.date, exercise: str, values: dict[str, str]) -> Lift:
    sets_text = values["sets"]
    if not sets_text.isdigit() or not 1 <= int(sets_text) <= MAX_SETS:
        shown = f'"{sets_text}"' if sets_text else "empty"
        raise _RowError("sets", f"{shown}: expected the sets done, a whole number 1 to {MAX_SETS}")
    if not values["reps"]:
        raise _RowError("reps", "empty: expected the reps of a set, e.g. 6, 6/side or 30s")
    try:
        parse_reps(values["reps"])
    except ValueError as error:
        raise _RowError("reps", str(error)) from None
    load = None
    if values["load_kg"]:
        try:
            load = parse_load(values["load_kg"])
        except ValueError as error:
            raise _RowError("load_kg", str(error)) from None
    return Lift(date, exercise, int(sets_text), values["reps"], load, _rpe(values["rpe"]))


def _rpe(text: str) -> float | None:
    if not text:
        return None
    try:
        rpe = float(text)
    except ValueError:
        raise _RowError("rpe", f'"{text}" is not an RPE: a number 1 to 10') from None
    if not 1 <= rpe <= 10 or rpe * 2 != int(rpe * 2):
        raise _RowError("rpe", f'"{text}": expected 1 to 10 in half points, e.g. 7.5')
    return rpe
