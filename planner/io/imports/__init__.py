"""Import a running plan as coaches and apps export it: calendar feeds (ICS) and spreadsheets
(CSV). `read_running_plan` returns an `ImportReport`: one day per date, the events left out,
and every guess with its file and line, so a coach can check the reading before solving.

A scenario says `running: {import: plan.ics}`, or with options
`running: {import: {file: plan.ics, strict: true, kinds: {"Loading Up": skip}}}`; the path
is relative to the scenario file.

Shapes, one module each:
- `ics`: calendar feeds (TrainingPeaks, Runna, Google, Garmin, generated plan calendars);
- `table`: the planner's own `date,kind,distance,minutes`;
- `week_grid`: published plans' `Week,Mon,...,Sun` grid;
- `trainingpeaks`: the TrainingPeaks workouts export.

Reading a workout (`text`, `workout`)
-------------------------------------
The kind comes from the title, then the description (TrainingPeaks' `Workout type: Run`,
Runna's first line `Intervals • 6.5km`), by the first rule that matches, with emoji and
bullets ignored:

1. cross: bike, ride, cycling, spin, swim, cross(-training), elliptical, rowing;
2. long: "long";
3. quality, race-pace work: race pace, marathon pace, goal pace, MP, HMP;
4. race: race, marathon, parkrun, triathlon, duathlon;
5. rest: a title that starts with rest or off, or says day off;
6. quality: intervals, tempo, hills, fartlek, threshold, track, repeats, progression, speed,
   VO2, workout, or a repeat pattern such as 6x800;
7. easy: easy, recovery, shakeout, aerobic;
8. quality: pace ("5 m pace" in published tables);
9. easy, but unnamed: run, jog, or a bare number (`6`);
10. not a run, left out: strength, gym, yoga, pilates, mobility, stretching, core, weights,
    notes.

A workout type that is not a run (Bike, Strength) wins over the title. `kinds` in the
scenario maps title words to a kind (or `skip`) before any rule. A workout that no rule
reads is a guess: an easy run when it gives a distance, else left out.

The distance is the session's total (the longest distance in the title: `1km Repeats •
6.5km` is 6.5 km), else a bare number in the plan's unit, else a `distance:` figure in the
description, else the distance of the description's first line, else a race's distance
from its name. `m` after a number is metres for track distances (800m), miles for a run's
length (`3 m run`) when the plan is in miles or a run word follows, and otherwise minutes
(Runna's `45m - 50m`). The minutes come from `Planned Time: H:MM`, Runna's
X-WORKOUT-ESTIMATED-DURATION, the title or description (`45m - 50m`, `1h0m`, `60 min`) or a
timed event's length. A run with minutes but no distance gets a distance estimated at an
easy pace (a guess).

Several workouts on one date merge into one day: the kind that matters most for the plan
wins (race, long, quality, easy, cross, rest) and run distances add up. A week's clearly
longest unnamed run (1.3 × the next and at least 13 km / 8 mi, or a bare number) is read as
the long run (a guess), so that R4 protects the day before it.

With `strict: true` every guess is an error. Bad files raise `InputError` with a
`Problem(path, message, file, line)` per mistake.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from planner.domain.scenario import RunDay, Scenario
from planner.errors import InputError, Problem
from planner.io.imports.report import ImportedDay, ImportReport, ImportSettings, LeftOut
from planner.io.imports.save import scenario_yaml

__all__ = [
    "ImportReport",
    "ImportSettings",
    "ImportedDay",
    "LeftOut",
    "import_running_plan",
    "read_running_plan",
    "scenario_yaml",
]

MAX_IMPORT_BYTES = 5 * 1024 * 1024
SHAPES_HINT = (
    "a header `date,kind,distance,minutes`, a week grid `Week,Mon,...,Sun`, "
    "or a TrainingPeaks workouts export (Title, WorkoutType, WorkoutDay, ...)"
)


def read_text(path: Path) -> str:
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


def read_csv(path: Path, text: str, settings: ImportSettings) -> ImportReport:
    """A spreadsheet, its shape told from the header."""
    from planner.io.imports.table import read_table
    from planner.io.imports.trainingpeaks import is_trainingpeaks, read_trainingpeaks
    from planner.io.imports.week_grid import grid_rows, is_week_grid, read_week_grid

    file = str(path)
    rows = grid_rows(text)
    header = rows[0] if rows else []
    if is_week_grid(header):
        return read_week_grid(file, text, settings)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    names = [name.strip().lower() for name in reader.fieldnames or []]
    if is_trainingpeaks(names):
        return read_trainingpeaks(file, reader, settings)
    missing = [column for column in ("date", "kind") if column not in names]
    if "date" in names and missing:
        raise InputError(
            [Problem("", "missing column: kind; the header needs date, kind and optionally "
                     "distance and minutes", file, 1)]
        )  # fmt: skip
    if missing:
        shown = ",".join(header)[:60]
        raise InputError(
            [Problem("", f'unknown spreadsheet header "{shown}"; expected {SHAPES_HINT}', file, 1)]
        )
    return read_table(file, reader, settings)


def read_running_plan(path: str | Path, settings: ImportSettings) -> ImportReport:
    """Read a running plan (CSV or ICS, by extension) and say how it was read."""
    from planner.io.imports.ics import read_ics

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".ics"):
        raise InputError(
            [Problem("running.import", f'"{path.name}": expected a .csv or .ics file', str(path))]
        )
    text = read_text(path)
    if suffix == ".ics":
        return read_ics(path, text, settings)
    return read_csv(path, text, settings)


def import_running_plan(path: str | Path, scenario: Scenario) -> list[RunDay]:
    """The runs of a running plan, one RunDay per date, for a scenario's block."""
    return read_running_plan(path, ImportSettings.for_scenario(scenario)).run_days()
