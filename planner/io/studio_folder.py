"""Reading what `planner studio` wrote into its folder (FORMATS.md, "Studio file"), for the
studio's check: each athlete's plan file and `rosters.csv`, one row per booked seat,
`date,class,start,athlete` (the athlete by name).

Every mistake is told with the file, the line and the column (InputError, exit 3); what the
rows say is the check's business, not the reader's: a row may name a class or an athlete the
studio does not have.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from planner.domain.plan import Plan
from planner.errors import InputError, Problem
from planner.io.plan_file import load_plan

ROSTERS = "rosters.csv"
ROSTER_COLUMNS = ("date", "class", "start", "athlete")


@dataclass(frozen=True)
class RosterRow:
    """One booked seat as `rosters.csv` states it, with the line it is on."""

    line: int
    date: dt.date
    class_id: str
    start: str
    athlete: str  # the athlete's name


def plan_file(folder: Path, member_id: str) -> Path:
    """Where `planner studio` writes a member's plan: `ID.json`."""
    return folder / f"{member_id}.json"


def load_plans(folder: Path, member_ids: list[str]) -> dict[str, Plan]:
    """The plans of the members that have a plan file in `folder`, by member id; raises
    InputError listing every malformed plan file."""
    plans: dict[str, Plan] = {}
    problems: list[Problem] = []
    for member_id in member_ids:
        path = plan_file(folder, member_id)
        if not path.exists():
            continue
        try:
            plans[member_id] = load_plan(path)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return plans


def load_rosters(folder: Path) -> list[RosterRow]:
    """Every row of the folder's `rosters.csv`, or InputError naming the file, the line and
    the column of each mistake (a missing file, a header other than `date,class,start,athlete`,
    a date that is not YYYY-MM-DD, an empty cell)."""
    path = folder / ROSTERS
    name = str(path)
    if not folder.is_dir():
        raise InputError([Problem("", "not a folder; give the folder `planner studio` wrote",
                                  str(folder))])  # fmt: skip
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            [Problem("", f"no {ROSTERS} in the folder; give the folder `planner studio` wrote",
                     name)]
        ) from None  # fmt: skip
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem("", f"cannot read the rosters: {error}", name)]) from None
    rows: list[RosterRow] = []
    problems: list[Problem] = []
    header_seen = False
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if not header_seen:
            header_seen = True
            if [cell.lower() for cell in cells] != list(ROSTER_COLUMNS):
                problems.append(Problem("header", f"expected the columns "
                                        f"{','.join(ROSTER_COLUMNS)}", name, number))  # fmt: skip
            continue
        problems += _row_problems(cells, name, number)
        if len(cells) == len(ROSTER_COLUMNS) and not any(p.line == number for p in problems):
            date, class_id, start, athlete = cells
            rows.append(RosterRow(number, dt.date.fromisoformat(date), class_id, start, athlete))
    if not header_seen:
        problems.append(Problem("header", f"the file is empty; expected the columns "
                                f"{','.join(ROSTER_COLUMNS)}", name))  # fmt: skip
    if problems:
        raise InputError(problems)
    return rows


def _row_problems(cells: list[str], file: str, line: int) -> list[Problem]:
    if len(cells) != len(ROSTER_COLUMNS):
        return [Problem("", f"{len(cells)} cells; expected 4: {','.join(ROSTER_COLUMNS)}",
                        file, line)]  # fmt: skip
    problems = [
        Problem(column, f"empty {column}", file, line)
        for column, cell in zip(ROSTER_COLUMNS, cells, strict=True)
        if not cell
    ]
    if cells[0]:
        try:
            dt.date.fromisoformat(cells[0])
        except ValueError:
            problems.append(Problem("date", f'"{cells[0]}" is not a date (YYYY-MM-DD)', file, line))
    return problems
