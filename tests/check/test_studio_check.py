"""The studio's independent check (`planner check STUDIO.yaml DIR`): a tiny studio is planned
once for the module, its folder passes the check, and each corruption of a copy of the
folder is flagged by exactly the finding it breaks (its id and date), nothing else.

Where a corruption also breaks a coaching rule of the athlete's studio scenario, the plan
checker's finding is expected beside the studio's (a class session longer than its class
leaves the class day's minutes too, R1), and the comment says why.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.batch import BatchOptions
from planner.batch.studio import plan_studio
from planner.check.checker import check_plan
from planner.check.studio import (
    CAPACITY,
    CLASS_CANCELLED,
    CLASS_DATE,
    CLASS_DAY,
    CLASS_KIT,
    CLASS_MINUTES,
    CLASS_SLOT,
    CLASS_START,
    CLASS_UNKNOWN,
    MEMBERSHIP,
    NO_PLAN,
    ROSTER_EXTRA,
    ROSTER_MEMBER,
    ROSTER_MISSING,
    StudioCheck,
    check_studio,
)
from planner.cli import app
from planner.domain.plan import Plan
from planner.domain.studio import Member, studio_scenario
from planner.errors import InputError
from planner.io.studio_file import StudioFile, load_studio
from planner.report.studio import studio_files

runner = CliRunner()
Date = dt.date

# Two weeks from Monday 2027-01-04. Monday's class holds one athlete, so Ana and Ben (both
# may come on Mondays) cannot both have it; the Friday class of 2027-01-15 is cancelled.
# Ben trains at home on Wednesdays (the coach pins a light session on 2027-01-06); Cy comes
# to one class a week. Every class day is two days from the next (Mon, Wed, Fri), and no
# class day is the day before a key run (the long run is on Sunday), so a hard session may
# move between class days of a week without breaking R3 or R4.
STUDIO = """\
format: 1
name: Tiny studio
block: {start: 2027-01-04, weeks: 2}
kit: [dumbbell, kettlebell, band, mat]
classes:
  - {id: mon-0700, day: mon, start: "07:00", minutes: 45, capacity: 1}
  - {id: wed-1800, day: wed, start: "18:00", minutes: 45, capacity: 4}
  - {id: fri-0700, day: fri, start: "07:00", minutes: 45, capacity: 4}
cancelled:
  - {date: 2027-01-15, class: fri-0700}
athletes:
  - name: Ana
    level: intermediate
    running: {unit: km, weeks: [{tue: 8, thu: 8, sun: long 16}, {tue: 8, thu: 8, sun: long 16}]}
    classes_per_week: 2
  - name: Ben
    level: intermediate
    equipment: [band]
    availability: {weekly: {wed: 40}}
    running: {unit: km, weeks: [{tue: 8, thu: 8, sun: long 16}, {tue: 8, thu: 8, sun: long 16}]}
    coach: {pin: [{date: 2027-01-06, session: light}]}
    classes: [mon-0700, fri-0700]
    classes_per_week: 3
    home: true
  - name: Cy
    level: novice
    running: {unit: km, weeks: [{tue: 6, thu: 6, sun: long 12}, {tue: 6, thu: 6, sun: long 12}]}
    classes: [wed-1800, fri-0700]
    classes_per_week: 1
"""
CANCELLED = Date(2027, 1, 15)
BEN_HOME = Date(2027, 1, 6)  # Ben's pinned light session at home
HARD_GAP_DAYS = 2  # R3's default: the tiny studio's scenarios keep it
START = {"mon-0700": "07:00", "wed-1800": "18:00", "fri-0700": "07:00"}


@dataclass(frozen=True)
class Solved:
    studio_file: Path
    read: StudioFile
    folder: Path  # the folder `planner studio` writes, left as it was written


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Solved:
    """The tiny studio planned once (3 s a solve, two at once) and its folder written."""
    root = tmp_path_factory.mktemp("studio")
    studio_file = root / "studio.yaml"
    studio_file.write_text(STUDIO, encoding="utf-8")
    read = load_studio(studio_file)
    result = plan_studio(read, BatchOptions(time_limit=3, jobs=2), mode="decomposed")
    folder = root / "plans"
    folder.mkdir()
    for name, content in studio_files(result).items():
        (folder / name).write_bytes(content)
    return Solved(studio_file, read, folder)


class Folder:
    """A copy of the solved folder to corrupt: plans as JSON data, rosters as rows."""

    def __init__(self, solved: Solved, path: Path) -> None:
        shutil.copytree(solved.folder, path)
        self.path = path
        self.read = solved.read
        self.members = {member.name: member for member in solved.read.members}

    @staticmethod
    def plan_of(solved: Solved, member_id: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((solved.folder / f"{member_id}.json").read_text("utf-8"))
        return data

    def plan(self, name: str) -> dict[str, Any]:
        member = self.members[name]
        data: dict[str, Any] = json.loads((self.path / f"{member.id}.json").read_text("utf-8"))
        return data

    def save(self, name: str, data: dict[str, Any]) -> None:
        member = self.members[name]
        (self.path / f"{member.id}.json").write_text(json.dumps(data), encoding="utf-8")

    def rows(self) -> list[dict[str, str]]:
        with (self.path / "rosters.csv").open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))

    def save_rows(self, rows: list[dict[str, str]]) -> None:
        with (self.path / "rosters.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, ["date", "class", "start", "athlete"])
            writer.writeheader()
            writer.writerows(rows)

    def book(self, date: Date, class_id: str, name: str) -> None:
        row = {"date": date.isoformat(), "class": class_id, "start": START[class_id]}
        self.save_rows([*self.rows(), {**row, "athlete": name}])

    def unbook(self, date: Date, name: str) -> None:
        rows = self.rows()
        kept = [r for r in rows if (r["date"], r["athlete"]) != (date.isoformat(), name)]
        assert len(kept) == len(rows) - 1, (date, name)
        self.save_rows(kept)

    def check(self) -> StudioCheck:
        return check_studio(self.read, self.path)


@pytest.fixture
def folder(solved: Solved, tmp_path: Path) -> Folder:
    return Folder(solved, tmp_path / "plans")


# --- reading the plans ---------------------------------------------------------------------


def day_of(plan: dict[str, Any], date: Date) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in plan["days"] if d["date"] == date.isoformat())
    return found


def class_sessions(plan: dict[str, Any]) -> Iterator[tuple[Date, dict[str, Any]]]:
    for day in plan["days"]:
        if day["session"] and "class" in day["session"]:
            yield Date.fromisoformat(day["date"]), day["session"]


def week_of(member: Member, date: Date) -> int:
    return (date - member.scenario.block.start).days // 7


def hard_dates(plan: dict[str, Any]) -> set[Date]:
    return {
        Date.fromisoformat(d["date"]) for d in plan["days"] if d["session"] and d["session"]["hard"]
    }


def gap_safe(plan: dict[str, Any], leaving: Date, arriving: Date) -> bool:
    """A hard session moved from `leaving` to `arriving` keeps R3's gap to the others."""
    others = hard_dates(plan) - {leaving}
    return all(abs((arriving - other).days) >= HARD_GAP_DAYS for other in others)


def move(plan: dict[str, Any], leaving: Date, arriving: Date, class_id: str) -> None:
    """Move a session to another day of its week, held in `class_id` there. A week's
    minutes and dose stay as they were, so its figures (and the objective) still hold."""
    session = day_of(plan, leaving)["session"]
    assert day_of(plan, arriving)["session"] is None
    session["class"] = {"id": class_id, "start": START[class_id]}
    day_of(plan, arriving)["session"] = session
    day_of(plan, leaving)["session"] = None


def refigure(folder: Folder, name: str, plan: dict[str, Any]) -> None:
    """Restate the plan's figures after a change of minutes or sessions (the weeks' sums and
    the objective), so that only the change itself is left to find."""
    member = folder.members[name]
    for week in plan["weeks"]:
        sessions = [
            d["session"] for d in plan["days"] if d["week"] == week["index"] and d["session"]
        ]
        week["minutes"] = sum(s["minutes"] for s in sessions)
        week["sessions"] = len(sessions)
        week["hard_sessions"] = sum(1 for s in sessions if s["hard"])
    figures = check_plan(
        Plan.model_validate(plan), studio_scenario(folder.read.studio, member)
    ).figures
    assert figures is not None
    ratio = figures.benefit_per_minute
    bound = max(plan["objective"]["benefit_per_minute_bound"] or 0.0, ratio)
    plan["objective"] = {
        "benefit": figures.benefit,
        "minutes": figures.minutes,
        "benefit_per_minute": ratio,
        "benefit_per_minute_bound": bound,
    }


def found(check: StudioCheck) -> set[tuple[str, Date | None]]:
    return check.found()


def a_move_onto(folder: Folder, dates: list[tuple[Date, str]]) -> tuple[str, Date, Date, str]:
    """An athlete who may attend one of the class `dates` (date, class), has no session that
    day and a class session on another day of that week that can move there without
    breaking R3: (name, from, to, class)."""
    studio = folder.read.studio
    for date, class_id in dates:
        for name, member in folder.members.items():
            if class_id not in [slot.id for slot in studio.slots_of(member.athlete)]:
                continue
            plan = folder.plan(name)
            if day_of(plan, date)["session"] is not None:
                continue
            for leaving, _ in class_sessions(plan):
                same_week = week_of(member, leaving) == week_of(member, date)
                if same_week and leaving != date and gap_safe(plan, leaving, date):
                    return name, leaving, date, class_id
    pytest.fail(f"the tiny studio's plans leave no class session to move onto {dates}")


# --- the folder as written ---------------------------------------------------------------


def test_the_folder_of_a_solved_studio_is_clean(solved: Solved) -> None:
    check = check_studio(solved.read, solved.folder)
    assert check.violations == []
    assert check.ok
    # Every athlete was placed, so no note says otherwise; their missed dose targets are
    # notes, each naming the athlete.
    assert (check.members, check.plans) == (3, 3)
    assert NO_PLAN not in {note.kind for note in check.notes}
    assert all(note.athlete in ("Ana", "Ben", "Cy") for note in check.notes)
    # The corruptions below need a full class date: Monday's holds one.
    with (solved.folder / "rosters.csv").open(encoding="utf-8") as stream:
        booked = [row for row in csv.DictReader(stream) if row["class"] == "mon-0700"]
    assert booked


def test_the_scenario_files_in_the_folder_are_not_trusted(folder: Folder) -> None:
    # The check derives each athlete's studio scenario from the studio file: a folder whose
    # Ana.scenario.yaml was replaced by nonsense checks the same.
    (folder.path / "ana.scenario.yaml").write_text("format: 1\nname: nonsense\n", "utf-8")
    assert folder.check().violations == []


# --- each corruption, flagged by its own finding --------------------------------------------


def full_class_dates(folder: Folder) -> list[tuple[Date, str]]:
    capacity = {slot.id: slot.capacity for slot in folder.read.studio.classes}
    seats: dict[tuple[Date, str], int] = {}
    for row in folder.rows():
        key = (Date.fromisoformat(row["date"]), row["class"])
        seats[key] = seats.get(key, 0) + 1
    return [key for key, taken in sorted(seats.items()) if taken >= capacity[key[1]]]


def test_an_athlete_added_to_a_full_class_is_over_capacity(folder: Folder) -> None:
    full = full_class_dates(folder)
    name, leaving, date, class_id = a_move_onto(folder, full)
    plan = folder.plan(name)
    move(plan, leaving, date, class_id)
    folder.save(name, plan)
    folder.unbook(leaving, name)
    folder.book(date, class_id, name)
    check = folder.check()
    # The session moved within its week, so the plan is as good as before: only the class
    # date holds one athlete more than its capacity.
    assert found(check) == {(CAPACITY, date)}
    (over,) = check.violations
    assert over.class_id == class_id and name in over.message and over.athlete is None


def test_a_class_not_in_the_athletes_slots_is_flagged(folder: Folder) -> None:
    # Ben's pinned light session at home on a Wednesday, marked as the Wednesday class (not
    # one of his): held that day, with room, within his membership.
    plan = folder.plan("Ben")
    session = day_of(plan, BEN_HOME)["session"]
    assert session is not None and "class" not in session
    session["class"] = {"id": "wed-1800", "start": "18:00"}
    folder.save("Ben", plan)
    folder.book(BEN_HOME, "wed-1800", "Ben")
    check = folder.check()
    assert found(check) == {(CLASS_SLOT, BEN_HOME)}
    assert check.violations[0].athlete == "Ben"


def light_session(session: dict[str, Any]) -> dict[str, Any]:
    """A light session made of a session's mobility and core items, done alone."""
    items = [
        {**item, "pair": None}
        for item in copy.deepcopy(session["items"])
        if item["category"] in ("mobility", "core")
    ]
    assert {item["category"] for item in items} == {"mobility", "core"}
    minutes = sum(item["minutes"] for item in items)
    return {"minutes": minutes, "hard": False, "after_run": False, "items": items,
            "kind": "light"}  # fmt: skip


def test_a_class_beyond_the_membership_is_flagged(folder: Folder) -> None:
    # Cy comes to one class a week. A light class session on another of Cy's class dates of
    # a week that holds one already is one too many.
    member = folder.members["Cy"]
    plan = folder.plan("Cy")
    held = dict(class_sessions(plan))
    studio = folder.read.studio
    free = [
        (date, slot)
        for date, slot in ((h.date, h.class_id) for h in studio.class_dates_for(member))
        if date not in held and day_of(plan, date)["session"] is None
        and any(week_of(member, other) == week_of(member, date) for other in held)
    ]  # fmt: skip
    assert free, "Cy has no week with one class and another class date"
    date, class_id = free[0]
    first = next(s for d, s in held.items() if week_of(member, d) == week_of(member, date))
    added = light_session(first)
    added["class"] = {"id": class_id, "start": START[class_id]}
    day_of(plan, date)["session"] = added
    refigure(folder, "Cy", plan)
    folder.save("Cy", plan)
    folder.book(date, class_id, "Cy")
    check = folder.check()
    assert found(check) == {(MEMBERSHIP, date)}
    assert "membership is 1 a week" in check.violations[0].message


def test_rosters_are_checked_against_the_plans_both_ways(folder: Folder) -> None:
    # One booked seat loses its row; a row books Cy on a class date Cy has no session.
    rows = folder.rows()
    dropped = rows.pop(0)
    folder.save_rows(rows)
    cy = folder.plan("Cy")
    empty, class_id = next(
        (h.date, h.class_id) for h in folder.read.studio.class_dates()
        if day_of(cy, h.date)["session"] is None
    )  # fmt: skip
    folder.book(empty, class_id, "Cy")
    check = folder.check()
    missing = Date.fromisoformat(dropped["date"])
    assert found(check) == {(ROSTER_MISSING, missing), (ROSTER_EXTRA, empty)}
    by_kind = {finding.kind: finding for finding in check.violations}
    assert by_kind[ROSTER_MISSING].athlete == dropped["athlete"]
    assert by_kind[ROSTER_EXTRA].athlete == "Cy"


def test_a_roster_row_naming_no_athlete_is_flagged(folder: Folder) -> None:
    folder.book(Date(2027, 1, 6), "wed-1800", "Zed")
    check = folder.check()
    assert found(check) == {(ROSTER_MEMBER, Date(2027, 1, 6))}
    assert '"Zed"' in check.violations[0].message


def first_class_session(folder: Folder, name: str, week: int = 0) -> tuple[Date, dict[str, Any]]:
    member = folder.members[name]
    plan = folder.plan(name)
    date = next(d for d, _ in class_sessions(plan) if week_of(member, d) == week)
    return date, plan


def test_a_class_session_longer_than_the_class_is_flagged(folder: Folder) -> None:
    date, plan = first_class_session(folder, "Ana")
    day_of(plan, date)["session"]["minutes"] = 50  # the class lasts 45 min
    refigure(folder, "Ana", plan)  # the first week: R12's ramp does not reach it
    folder.save("Ana", plan)
    check = folder.check()
    # The studio scenario gives a class day the class's minutes, so the plan checker finds
    # the session too long for the day (R1) on the same date.
    assert found(check) == {(CLASS_MINUTES, date), ("R1", date)}
    assert {f.athlete for f in check.violations} == {"Ana"}


def test_an_item_needing_kit_the_room_lacks_is_flagged(folder: Folder) -> None:
    date, plan = first_class_session(folder, "Ana")
    item = day_of(plan, date)["session"]["items"][0]
    item["equipment"] = [*item["equipment"], "barbell"]
    folder.save("Ana", plan)
    check = folder.check()
    # The room's kit is the class day's kit of the studio scenario: R10 agrees.
    assert found(check) == {(CLASS_KIT, date), ("R10", date)}
    kit = next(f for f in check.violations if f.kind == CLASS_KIT)
    assert "barbell" in kit.message and item["exercise"] in kit.message


def test_a_class_on_a_cancelled_date_is_flagged(folder: Folder) -> None:
    name, leaving, date, class_id = a_move_onto(folder, [(CANCELLED, "fri-0700")])
    plan = folder.plan(name)
    move(plan, leaving, date, class_id)
    folder.save(name, plan)
    folder.unbook(leaving, name)
    folder.book(date, class_id, name)
    check = folder.check()
    # The studio scenario gives a cancelled class date no minutes: R1 flags the session too.
    assert found(check) == {(CLASS_CANCELLED, CANCELLED), ("R1", CANCELLED)}
    cancelled = next(f for f in check.violations if f.kind == CLASS_CANCELLED)
    assert (cancelled.athlete, cancelled.class_id) == (name, "fri-0700")


def test_a_session_on_a_class_day_outside_its_class_is_flagged(folder: Folder) -> None:
    date, plan = first_class_session(folder, "Ana")
    del day_of(plan, date)["session"]["class"]
    folder.save("Ana", plan)
    folder.unbook(date, "Ana")
    assert found(folder.check()) == {(CLASS_DAY, date)}


def test_a_session_marked_with_a_class_of_another_weekday_is_flagged(folder: Folder) -> None:
    # Ben's Wednesday at home, marked as his Monday class.
    plan = folder.plan("Ben")
    day_of(plan, BEN_HOME)["session"]["class"] = {"id": "mon-0700", "start": "07:00"}
    folder.save("Ben", plan)
    folder.book(BEN_HOME, "mon-0700", "Ben")
    check = folder.check()
    assert found(check) == {(CLASS_DATE, BEN_HOME)}
    assert "meets on Mondays" in check.violations[0].message


def test_an_unknown_class_and_a_wrong_start_are_flagged(folder: Folder) -> None:
    date, plan = first_class_session(folder, "Cy")
    day_of(plan, date)["session"]["class"]["start"] = "19:00"
    late, _ = first_class_session(folder, "Cy", week=1)
    day_of(plan, late)["session"]["class"] = {"id": "wed-1830", "start": "18:30"}
    folder.save("Cy", plan)
    rows = folder.rows()
    for row in rows:
        if (row["date"], row["athlete"]) == (late.isoformat(), "Cy"):
            row["class"], row["start"] = "wed-1830", "18:30"
    folder.save_rows(rows)
    assert found(folder.check()) == {(CLASS_START, date), (CLASS_UNKNOWN, late)}


def test_a_class_outside_the_athletes_block_is_flagged(solved: Solved, tmp_path: Path) -> None:
    # The same folder against a studio file whose Ana has a one-week block: her class
    # sessions of the second week are outside it (and her plan no longer fits her block).
    ana = "  - name: Ana\n    level: intermediate\n"
    text = STUDIO.replace(ana, ana + "    block: {start: 2027-01-04, weeks: 1}\n")
    text = text.replace("{tue: 8, thu: 8, sun: long 16}, {tue: 8, thu: 8, sun: long 16}]}\n"
                        "    classes_per_week: 2", "{tue: 8, thu: 8, sun: long 16}]}\n"
                        "    classes_per_week: 2")  # fmt: skip
    assert text.count("weeks: 1}") == 1 and text != STUDIO
    studio_file = tmp_path / "studio.yaml"
    studio_file.write_text(text, encoding="utf-8")
    read = load_studio(studio_file)
    second_week = {
        d for d, _ in class_sessions(Folder.plan_of(solved, "ana")) if d >= Date(2027, 1, 11)
    }
    assert second_week
    check = check_studio(read, solved.folder)
    assert found(check) == {("plan", None)} | {(CLASS_DATE, date) for date in second_week}
    outside = [f for f in check.violations if f.kind == CLASS_DATE]
    assert all("outside Ana's block" in f.message for f in outside)


# --- athletes without a plan ---------------------------------------------------------------


def test_an_athlete_without_a_plan_is_a_note(folder: Folder) -> None:
    (folder.path / "cy.json").unlink()
    folder.save_rows([row for row in folder.rows() if row["athlete"] != "Cy"])
    check = folder.check()
    assert check.ok and check.plans == 2
    assert [(n.kind, n.athlete) for n in check.notes if n.kind == NO_PLAN] == [(NO_PLAN, "Cy")]


def test_an_athlete_without_a_plan_booked_in_the_rosters_is_flagged(folder: Folder) -> None:
    booked = {Date.fromisoformat(r["date"]) for r in folder.rows() if r["athlete"] == "Cy"}
    assert booked
    (folder.path / "cy.json").unlink()
    check = folder.check()
    assert found(check) == {(ROSTER_EXTRA, date) for date in booked}
    assert all("no plan" in f.message and f.athlete == "Cy" for f in check.violations)


# --- a folder that cannot be read ----------------------------------------------------------


def test_a_malformed_roster_or_class_is_bad_input(folder: Folder) -> None:
    rows = folder.rows()
    rows[0]["date"] = "2027-13-01"
    folder.save_rows(rows)
    plan = folder.plan("Ana")
    date, _ = next(class_sessions(plan))
    day_of(plan, date)["session"]["class"] = "mon-0700"
    folder.save("Ana", plan)
    with pytest.raises(InputError) as raised:
        folder.check()
    told = {(Path(p.file or "").name, p.path, p.line) for p in raised.value.problems}
    index = next(i for i, d in enumerate(plan["days"]) if d["date"] == date.isoformat())
    assert told == {("rosters.csv", "date", 2), ("ana.json", f"days[{index}].session.class", None)}


# --- the command line ----------------------------------------------------------------------


def test_the_command_line_checks_a_studio_folder(solved: Solved, folder: Folder) -> None:
    clean = runner.invoke(app, ["check", str(solved.studio_file), str(solved.folder)])
    assert clean.exit_code == 0, clean.output
    assert clean.output.splitlines()[-1] == "clean: no violations"
    assert clean.output.startswith("Tiny studio: 3 athletes, 3 plans checked")

    date, plan = first_class_session(folder, "Ana")
    day_of(plan, date)["session"]["class"]["start"] = "19:00"
    folder.save("Ana", plan)
    broken = runner.invoke(app, ["check", str(solved.studio_file), str(folder.path)])
    assert broken.exit_code == 1, broken.output
    lines = broken.output.splitlines()
    assert lines[-1] == "1 violation(s)"
    # Grouped under the athlete, with the id, the date and the class.
    at = lines.index("Ana")
    assert lines[at + 1].startswith(f"  {CLASS_START} {date} ")

    (folder.path / "rosters.csv").unlink()
    unread = runner.invoke(app, ["check", str(solved.studio_file), str(folder.path)])
    assert unread.exit_code == 3
    assert "rosters.csv" in unread.output


def test_the_command_line_still_checks_one_plan(solved: Solved) -> None:
    # `planner check SCENARIO PLAN` is as it was; a studio file with a plan file is told to
    # give the folder (bad input).
    plan = solved.folder / "ana.json"
    one = runner.invoke(app, ["check", str(solved.folder / "ana.scenario.yaml"), str(plan)])
    assert one.exit_code == 0, one.output
    assert one.output.splitlines()[-1] == "clean: no rule violations"
    wrong = runner.invoke(app, ["check", str(solved.studio_file), str(plan)])
    assert wrong.exit_code == 3
    assert "give the folder" in wrong.output
