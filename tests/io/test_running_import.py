"""Running-plan import: CSV files and coaching-platform calendars become runs of the right kind,
with distances in the scenario's unit; bad files are reported by file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.io.imports import ImportSettings, read_running_plan
from planner.io.running_import import (
    classify_title,
    import_running_plan,
    parse_distance,
    run_from_text,
)
from planner.io.scenario_file import load_scenario

from ..conftest import make_scenario

DATA = Path(__file__).resolve().parent.parent / "data"
JAN = {day: dt.date(2027, 1, day) for day in range(1, 32)}


def runs_of(path: Path) -> dict[dt.date, tuple[str, float, int]]:
    scenario = load_scenario(path)
    return {day.date: (day.kind, day.distance, day.minutes) for day in scenario.running.days or []}


def test_csv_fixture_gives_the_expected_kinds_and_km() -> None:
    runs = runs_of(DATA / "scenario_import_csv.yaml")
    assert runs == {
        JAN[5]: ("easy", 8.0, 0),
        JAN[6]: ("quality", 10.0, 0),  # "tempo" is a quality run; "10 km" is already km
        JAN[7]: ("quality", 9.66, 0),  # 6 mi converted to km
        JAN[9]: ("cross", 0.0, 45),
        JAN[10]: ("long", 18.0, 0),
        JAN[11]: ("rest", 0.0, 0),
        JAN[13]: ("quality", 9.0, 0),  # "Intervals", any case
        JAN[14]: ("easy", 5.5, 0),  # "recovery"
        JAN[17]: ("race", 21.1, 0),
    }


def test_ics_fixture_gives_the_expected_kinds_and_miles() -> None:
    runs = runs_of(DATA / "scenario_import_ics.yaml")
    assert runs == {
        JAN[4]: ("rest", 0.0, 0),
        JAN[5]: ("easy", 5.0, 0),
        JAN[6]: ("quality", 7.0, 0),  # "Distance: 7 mi" in the description; 6x800 is no distance
        JAN[7]: ("easy", 3.98, 0),  # "Total: 6.4 km" converted to miles
        JAN[8]: ("rest", 0.0, 0),  # "Off"
        JAN[9]: ("cross", 0.0, 60),  # bike, 10:00-11:00; the strength event that day is no run
        JAN[10]: ("long", 16.0, 0),
        JAN[11]: ("cross", 0.0, 30),  # "Swim 30 min"
        JAN[12]: ("quality", 4.97, 0),  # "Tempo 8 km"
        JAN[13]: ("quality", 6.0, 0),  # "Hills", "total 6 mi" in the description
        JAN[14]: ("easy", 7.0, 70),  # two runs that day (5 mi, 50 min + 2 mi, 20 min) add up
        # "Fartlek 40 min": no distance given, so 40 min at an easy 6:00/km, 6.67 km in miles
        JAN[15]: ("quality", 4.14, 40),
        JAN[16]: ("cross", 0.0, 45),  # DURATION:PT45M
        JAN[17]: ("race", 6.21, 0),  # "10K race" in miles
    }
    # Jan 3 and Jan 18 are outside the block: left out.


def test_imported_runs_feed_the_calendar() -> None:
    scenario = load_scenario(DATA / "scenario_import_ics.yaml")
    runs = scenario.runs_by_date()
    assert runs[JAN[10]].kind == "long" and runs[JAN[10]].is_key
    assert JAN[4] not in runs  # rest days are not runs


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Long run 16 mi", "long"),
        ("Intervals 6x800", "quality"),
        ("Tempo", "quality"),
        ("Hills", "quality"),
        ("Fartlek", "quality"),
        ("Threshold", "quality"),
        ("Race", "race"),
        ("10K race", "race"),
        ("Marathon", "race"),
        ("Half Marathon", "race"),
        ("Marathon pace 10 mi", "quality"),
        ("Rest", "rest"),
        ("Off", "rest"),
        ("Easy", "easy"),
        ("Recovery", "easy"),
        ("Run 5 mi", "easy"),
        ("Bike", "cross"),
        ("Swim", "cross"),
        ("Cross", "cross"),
        ("Strength", None),
        ("Yoga", None),
    ],
)
def test_event_titles_are_classified(title: str, kind: str | None) -> None:
    assert classify_title(title) == kind


def test_an_unknown_title_cannot_be_classified() -> None:
    # The word rules alone cannot read it; the importer then guesses (tests/io/test_imports.py).
    with pytest.raises(ValueError, match="cannot tell what kind of run"):
        classify_title("Team photo")


@pytest.mark.parametrize(
    ("title", "description", "unit", "expected"),
    [
        ("Long run 16 mi", "", "km", ("long", 25.75, 0)),  # miles to km
        ("Tempo 8 km", "", "km", ("quality", 8.0, 0)),
        ("Intervals 6x800m", "", "km", ("quality", 0.0, 0)),  # repeats are not a distance
        ("Marathon", "", "mi", ("race", 26.22, 0)),  # distance from the race's name
        ("Half marathon", "", "km", ("race", 21.1, 0)),
        ("Easy", "Distance: 10 km", "mi", ("easy", 6.21, 0)),
        ("Bike 1.5 h", "", "km", ("cross", 0.0, 90)),
        ("Rest", "8 km walk", "km", ("rest", 0.0, 0)),
    ],
)
def test_distances_are_read_and_converted(
    title: str, description: str, unit: str, expected: tuple[str, float, int]
) -> None:
    assert run_from_text(title, description, unit) == expected


def test_minutes_are_not_a_distance() -> None:
    assert parse_distance("Fartlek 45 min") is None


# --- bad files -----------------------------------------------------------------------------


def import_text(tmp_path: Path, name: str, text: str) -> list[object]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(import_running_plan(path, make_scenario()))


def problems_of(tmp_path: Path, name: str, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        import_text(tmp_path, name, text)
    return [str(problem) for problem in caught.value.problems]


def test_csv_missing_column_names_line_1(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "plan.csv", "date,distance\n2027-01-05,8\n")
    assert "plan.csv:1" in problem and "missing column: kind" in problem


def test_csv_row_mistakes_name_their_lines(tmp_path: Path) -> None:
    text = (
        "date,kind,distance\n"
        "2027-01-05,easy,8\n"
        "2027-13-05,easy,8\n"  # line 3: bad date
        "2027-01-06,sprnt,8\n"  # line 4: unknown kind
        "2027-01-05,long,12\n"  # line 5: date twice
        "2030-01-01,easy,5\n"  # line 6: outside the block
        "2027-01-07,easy,eight\n"  # line 7: not a distance
    )
    problems = problems_of(tmp_path, "plan.csv", text)
    assert len(problems) == 5
    assert "plan.csv:3" in problems[0] and "not a date" in problems[0]
    assert "plan.csv:4" in problems[1] and 'unknown run kind "sprnt"' in problems[1]
    assert "plan.csv:5" in problems[2] and "listed twice (first on line 2)" in problems[2]
    assert "plan.csv:6" in problems[3] and "outside the block" in problems[3]
    assert "plan.csv:7" in problems[4] and 'distance "eight"' in problems[4]


def test_ics_unknown_title_is_a_guess_naming_the_event_line(tmp_path: Path) -> None:
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN",
        "BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=DATE:20270105", "SUMMARY:Easy 5 km", "END:VEVENT",
        "BEGIN:VEVENT", "UID:b", "DTSTART;VALUE=DATE:20270106", "SUMMARY:Team photo", "END:VEVENT",
        "END:VCALENDAR",
    ]  # fmt: skip
    text = "\r\n".join(lines) + "\r\n"
    # Best effort: the unknown event no longer stops the import; it is left out and listed.
    path = tmp_path / "plan.ics"
    path.write_text(text, encoding="utf-8")
    report = read_running_plan(path, ImportSettings(unit="km"))
    assert [day.date for day in report.days] == [JAN[5]]
    (guess,) = report.guesses
    assert guess.line == 9 and guess.path == "2027-01-06"  # the second BEGIN:VEVENT
    assert "Team photo" in guess.message


def test_malformed_ics_is_an_input_error(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "plan.ics", "this is not a calendar\n")
    assert "plan.ics:1" in problem and "not a calendar" in problem


def test_unsupported_extension_and_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "plan.txt", "date,kind\n")
    assert "expected a .csv or .ics file" in problem
    with pytest.raises(InputError, match="cannot read the running plan"):
        import_running_plan(tmp_path / "missing.csv", make_scenario())


def test_scenario_with_bad_import_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "runs.csv").write_text("date,kind\n2027-01-05,jogg1ng\n", encoding="utf-8")
    scenario = (DATA / "scenario_import_csv.yaml").read_text(encoding="utf-8")
    scenario = scenario.replace("running_plan.csv", "runs.csv")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(tmp_path / "s.yaml")
    (problem,) = caught.value.problems
    assert problem.file is not None and problem.file.endswith("runs.csv")
    assert problem.line == 2
