"""The studio file (FORMATS.md, "Studio file"): classes, cancelled dates and athletes read
into a Studio and its members, and every mistake told with the file, the field and the line
(InputError, exit 3), an athlete's own scenario mistakes with the athlete named."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from planner.domain.studio import Studio
from planner.errors import InputError, Problem
from planner.io.studio_file import StudioFile, load_studio

from ..conftest import scenario_data

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "studio" / "studio.yaml"
WEEKS = 3
WEEK = {"tue": 8, "thu": "quality 8", "sun": "long 16"}

# Three weeks from Monday 2027-01-04; the Monday class of 2027-01-11 is cancelled.
STUDIO = """\
format: 1
name: Test studio
block: {start: 2027-01-04, weeks: 3}
kit: [dumbbell, band, mat]
classes:
  - {id: mon-0630, day: mon, start: "06:30", minutes: 45, capacity: 2}
  - {id: wed-1830, day: wed, start: "18:30", minutes: 60, capacity: 3}
cancelled:
  - {date: 2027-01-11, class: mon-0630}
athletes:
  - scenario: athletes/sam.yaml
    classes: [mon-0630]
    home: true
  - scenario: athletes/jo.yaml
    classes_per_week: 1
"""

# Sam's scenario, written by hand so that a test knows its lines.
SAM = """\
format: 1
name: Sam's block
athlete: {name: Sam, level: novice, equipment: [band]}
block: {start: 2027-01-04, weeks: 3}
availability:
  weekly: {mon: 45, sat: 30}
running:
  unit: km
  weeks:
    - {tue: 5, sun: long 10}
    - {tue: 5, sun: long 11}
    - {tue: 5, sun: long 12}
"""


def athlete_data(name: str, **overrides: Any) -> dict[str, Any]:
    """A small valid scenario of the studio's three weeks."""
    data = {
        "athlete": {"name": name, "level": "intermediate", "equipment": ["dumbbell"]},
        "block": {"start": "2027-01-04", "weeks": WEEKS},
        "running": {"unit": "km", "weeks": [WEEK] * WEEKS},
    }
    data.update(overrides)
    return scenario_data(**data)


def write_studio(folder: Path, text: str = STUDIO, **athletes: str | dict[str, Any]) -> Path:
    """The studio file and its athletes' scenarios (text, or data) in `folder/athletes/`."""
    scenarios: dict[str, str | dict[str, Any]] = {"sam": SAM, "jo": athlete_data("Jo")}
    scenarios.update(athletes)
    (folder / "athletes").mkdir(exist_ok=True)
    for name, scenario in scenarios.items():
        written = scenario if isinstance(scenario, str) else yaml.safe_dump(scenario)
        (folder / "athletes" / f"{name}.yaml").write_text(written, encoding="utf-8")
    path = folder / "studio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def changed(old: str, new: str, text: str = STUDIO) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as raised:
        load_studio(path)
    assert raised.value.exit_code == 3
    return raised.value.problems


def assert_told_at_its_line(problem: Problem, path: Path) -> None:
    """The problem names the file, and its line holds the field it names."""
    assert problem.file == str(path)
    assert problem.line is not None
    key = re.findall(r"[a-z_]+", problem.path)[-1]
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert key in line, (problem, line)
    assert str(problem).startswith(f"{path}:{problem.line}: {problem.path}: ")


def test_a_studio_loads_with_its_class_dates(tmp_path: Path) -> None:
    loaded = load_studio(write_studio(tmp_path))
    assert isinstance(loaded, StudioFile)
    studio = loaded.studio
    assert studio.name == "Test studio" and studio.kit == ["dumbbell", "band", "mat"]
    assert studio.classes[0].start == dt.time(6, 30) and studio.classes[1].capacity == 3
    # Each weekly slot on its weekday of the three weeks, in time order; the Monday class
    # of 2027-01-11 is cancelled, so it is not held.
    held = [(held.date.isoformat(), held.class_id) for held in studio.class_dates()]
    assert held == [
        ("2027-01-04", "mon-0630"),
        ("2027-01-06", "wed-1830"),
        ("2027-01-13", "wed-1830"),
        ("2027-01-18", "mon-0630"),
        ("2027-01-20", "wed-1830"),
    ]
    first = studio.class_dates()[0]
    assert first.starts == dt.datetime(2027, 1, 4, 6, 30)
    assert first.ends == dt.datetime(2027, 1, 4, 7, 15)
    sam, jo = loaded.members
    assert (sam.id, sam.name, sam.scenario.athlete.level) == ("sam", "Sam", "novice")
    assert (jo.id, jo.name, jo.scenario.athlete.name) == ("jo", "Jo", "Jo")
    # Sam listed one slot and trains at home too; Jo may come to every class, once a week
    # (the defaults: all classes, classes only).
    assert [slot.id for slot in studio.slots_of(sam.athlete)] == ["mon-0630"]
    assert (sam.athlete.classes_per_week, sam.athlete.home) == (2, True)
    assert [slot.id for slot in studio.slots_of(jo.athlete)] == ["mon-0630", "wed-1830"]
    assert (jo.athlete.classes_per_week, jo.athlete.home) == (1, False)
    assert [held.date.isoformat() for held in studio.class_dates_for(sam)] == [
        "2027-01-04",
        "2027-01-18",
    ]
    assert len(studio.class_dates_for(jo)) == 5


def test_a_member_attends_only_classes_of_their_own_block(tmp_path: Path) -> None:
    # Jo's block starts in the studio's second week: the classes of the first are not hers.
    jo = athlete_data(
        "Jo",
        block={"start": "2027-01-11", "weeks": 2},
        running={"unit": "km", "weeks": [WEEK] * 2},
    )
    loaded = load_studio(write_studio(tmp_path, jo=jo))
    held = loaded.studio.class_dates_for(loaded.members[1])
    assert [item.date.isoformat() for item in held] == ["2027-01-13", "2027-01-18", "2027-01-20"]


def test_an_inline_athlete_takes_the_studio_block(tmp_path: Path) -> None:
    # Robin's scenario is a squad-file entry written in the studio file: the studio's block
    # is its default, and without availability Robin trains in classes only.
    robin = """\
  - name: Robin
    level: advanced
    equipment: [band]
    running: {unit: km, weeks: [{sun: long 12}, {sun: long 13}, {sun: long 14}]}
    classes: [wed-1830]
"""
    loaded = load_studio(write_studio(tmp_path, STUDIO + robin))
    member = loaded.members[2]
    assert (member.index, member.id, member.name) == (2, "robin", "Robin")
    scenario = member.scenario
    assert scenario.name == "Test studio, Robin" and scenario.athlete.level == "advanced"
    assert (scenario.block.start, scenario.block.weeks) == (dt.date(2027, 1, 4), 3)
    assert scenario.availability.weekly == {}
    assert len(scenario.runs_by_date()) == 3
    assert [slot.id for slot in loaded.studio.slots_of(member.athlete)] == ["wed-1830"]


# A line of the studio changed, the field path told, and words the message must hold.
MISTAKES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "classes: [mon-0630]",
        "classes: [mon-063]",
        "athletes[0].classes[0]",
        "an unknown class id in an athlete's classes",
        ['unknown class "mon-063"', 'did you mean "mon-0630"?'],
    ),
    (
        "{date: 2027-01-11, class: mon-0630}",
        "{date: 2027-01-11, class: mon-063}",
        "cancelled[0].class",
        "an unknown cancelled class",
        ['unknown class "mon-063"', 'did you mean "mon-0630"?'],
    ),
    (
        "day: wed",
        "day: funday",
        "classes[1].day",
        "a class day that is not a weekday",
        ['unknown weekday "funday"', "expected one of: mon, tue"],
    ),
    (
        'start: "18:30"',
        'start: "6pm"',
        "classes[1].start",
        "a start that is not HH:MM",
        ['"6pm" is not a time of day', '"HH:MM"'],
    ),
    (
        'start: "18:30"',
        "start: 18:30",
        "classes[1].start",
        "a start without quotes, which YAML reads as a number",
        ['in quotes, e.g. "18:30"', "without quotes as a number"],
    ),
    (
        "minutes: 45",
        "minutes: 0",
        "classes[0].minutes",
        "minutes below 1",
        ["0 minutes; expected 1 to 300"],
    ),
    (
        "capacity: 3",
        "capacity: 0",
        "classes[1].capacity",
        "a capacity below 1",
        ["0 places; expected 1 to 500"],
    ),
    (
        "id: wed-1830, day: wed",
        "id: mon-0630, day: wed",
        "classes[1].id",
        "a class id given twice",
        ['"mon-0630" is also the id of classes[0]', "its own id"],
    ),
    (
        "{date: 2027-01-11,",
        "{date: 2027-01-25,",
        "cancelled[0].date",
        "a cancelled date outside the block",
        ["outside the studio's block (2027-01-04 to 2027-01-24)"],
    ),
    (
        "{date: 2027-01-11,",
        "{date: 2027-01-12,",
        "cancelled[0].date",
        "a cancelled date not on its class's weekday",
        ["2027-01-12 is a Tuesday", "mon-0630 meets on Mondays"],
    ),
    (
        "classes_per_week: 1",
        "classes_per_week: 0",
        "athletes[1].classes_per_week",
        "classes_per_week below 1",
        ["0 classes; expected 1 to 7"],
    ),
    (
        "kit: [dumbbell, band, mat]",
        "kit: [dumbbell, bands, matt]",
        "kit[1]",
        "an unknown kit word",
        ['unknown equipment "bands"', 'did you mean "band"?'],
    ),
    (
        "home: true",
        "hom: true",
        "athletes[0].hom",
        "an unknown field of an athlete",
        ['unknown field "hom"', 'did you mean "home"?'],
    ),
    (
        "    classes: [mon-0630]\n",
        "    classes: [mon-0630]\n    level: novice\n",
        "athletes[0].level",
        "a scenario field beside a scenario file",
        ["athletes/sam.yaml: write it there"],
    ),
    (
        "scenario: athletes/jo.yaml",
        "scenario: athletes/joe.yaml",
        "athletes[1].scenario",
        "a scenario file that is not there",
        ["no scenario file athletes/joe.yaml", "relative to the studio file"],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [pytest.param(old, new, field, words, id=name) for old, new, field, name, words in MISTAKES],
)
def test_a_mistake_is_told_with_the_file_the_field_and_the_line(
    tmp_path: Path, old: str, new: str, field: str, words: list[str]
) -> None:
    path = write_studio(tmp_path, changed(old, new))
    told = {problem.path: problem for problem in problems_of(path)}
    assert field in told, list(told)
    for word in words:
        assert word in told[field].message, told[field].message
    assert_told_at_its_line(told[field], path)


def test_every_mistake_is_told_at_once(tmp_path: Path) -> None:
    text = changed("minutes: 45", "minutes: 0")
    text = changed("day: wed", "day: funday", text)
    text = changed("classes: [mon-0630]", "classes: [mon-063]", text)
    text = changed("classes_per_week: 1", "classes_per_week: 0", text)
    path = write_studio(tmp_path, text)
    problems = problems_of(path)
    assert [problem.path for problem in problems] == [
        "classes[0].minutes",
        "classes[1].day",
        "athletes[0].classes[0]",
        "athletes[1].classes_per_week",
    ]  # in the order of the file


def test_an_athletes_scenario_mistake_names_the_athlete(tmp_path: Path) -> None:
    path = write_studio(tmp_path, sam=SAM.replace("mon: 45", "mon: lots"))
    (problem,) = problems_of(path)
    # Told at the line of Sam's own file, with Sam and his place in the studio named.
    sam = tmp_path / "athletes" / "sam.yaml"
    assert (problem.file, problem.line, problem.path) == (str(sam), 6, "availability.weekly.mon")
    assert problem.message.startswith('athlete "Sam" (athletes[0] of the studio): ')
    assert 'got the text "lots"' in problem.message


def test_an_athlete_whose_scenario_cannot_be_read_is_named_by_the_file(tmp_path: Path) -> None:
    path = write_studio(tmp_path, sam="format: 1\nblock: [\n")
    (problem,) = problems_of(path)
    assert problem.file == str(tmp_path / "athletes" / "sam.yaml")
    assert problem.message.startswith('athlete "sam" (athletes[0] of the studio): not valid YAML')


def test_an_inline_athletes_mistake_is_told_at_the_studio_line(tmp_path: Path) -> None:
    robin = "  - name: Robin\n    level: expret\n    classes: [wed-1830]\n"
    path = write_studio(tmp_path, STUDIO + robin)
    (problem,) = problems_of(path)
    assert problem.path == "athletes[2].level"
    assert 'unknown level "expret"' in problem.message
    assert_told_at_its_line(problem, path)


def test_an_athlete_with_neither_a_scenario_nor_a_name_is_told(tmp_path: Path) -> None:
    path = write_studio(tmp_path, STUDIO + "  - classes: [wed-1830]\n")
    (problem,) = problems_of(path)
    assert problem.path == "athletes[2]" and "`scenario:` file, or their `name:`" in problem.message


def test_two_athletes_with_one_name_are_told(tmp_path: Path) -> None:
    path = write_studio(tmp_path, jo=athlete_data("Sam"))
    (problem,) = problems_of(path)
    assert problem.path == "athletes[1].scenario"
    assert "same plan file name (sam.json) as athletes[0]" in problem.message


def test_an_athlete_with_no_classes_and_no_home_has_nothing_to_plan(tmp_path: Path) -> None:
    path = write_studio(tmp_path, changed("classes_per_week: 1", "classes: []"))
    (problem,) = problems_of(path)
    assert problem.path == "athletes[1].classes" and "nothing to plan" in problem.message


def test_a_studio_built_in_code_checks_its_class_ids() -> None:
    # The cross-field checks hold outside the file too: a membership of an unknown class.
    data = yaml.safe_load(STUDIO)
    assert Studio.model_validate(data).classes[1].id == "wed-1830"
    data["athletes"][0]["classes"] = ["fri-0700"]
    with pytest.raises(ValidationError, match=r"athletes\[0\]\.classes\[0\]: unknown class"):
        Studio.model_validate(data)


def test_the_example_studio_loads() -> None:
    loaded = load_studio(EXAMPLE)
    studio = loaded.studio
    assert [member.id for member in loaded.members] == [
        "sam", "alex", "kim", "robin", "priya", "mateo", "aiko", "lena", "tomas", "grace",
        "omar", "ines", "noah", "freya", "yusuf", "mia", "ravi", "elin", "kofi", "zoe", "hugo",
        "nadia",
    ]  # fmt: skip
    levels = [member.scenario.athlete.level for member in loaded.members]
    assert levels[:4] == ["novice", "intermediate", "advanced", "intermediate"]
    assert set(levels) == {"novice", "intermediate", "advanced"}
    # Eleven athletes have a scenario file, the others are written inline.
    assert sum(member.athlete.scenario is not None for member in loaded.members) == 11
    # Five weekly classes over eight weeks, less the Monday class of 2027-02-15.
    held = {(item.date, item.class_id) for item in studio.class_dates()}
    assert len(held) == 5 * 8 - 1
    assert (dt.date(2027, 2, 15), "mon-0630") not in held
    assert (dt.date(2027, 2, 8), "mon-0630") in held
    # Every member's block starts with the studio's (some end on an earlier race, some run
    # on past it), so each may attend their slots' every date in their block.
    for member in loaded.members:
        slots = {slot.id for slot in studio.slots_of(member.athlete)}
        assert {item.class_id for item in studio.class_dates_for(member)} == slots
        assert member.scenario.block.start == studio.block.start
