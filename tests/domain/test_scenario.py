"""Scenario loading: valid files load, and every mistake is named with its field and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.domain.scenario import parse_run_entry
from planner.errors import InputError
from planner.io.scenario_file import load_scenario, scenario_from_text
from planner.vocabulary import EQUIPMENT, WEEKDAYS, suggest

from ..conftest import make_scenario, scenario_data

SCENARIOS = sorted(Path(__file__).resolve().parents[2].glob("scenarios/*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenarios_load(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.block.n_weeks >= 1


@pytest.mark.parametrize(
    ("text", "kind", "distance", "minutes"),
    [
        ("5", "easy", 5.0, 0),
        (5, "easy", 5.0, 0),
        ("long 16", "long", 16.0, 0),
        ("quality 6.5", "quality", 6.5, 0),
        ("race 26.2", "race", 26.2, 0),
        ("cross 60min", "cross", 0.0, 60),
        ("rest", "rest", 0.0, 0),
    ],
)
def test_run_entry_syntax(text: object, kind: str, distance: float, minutes: int) -> None:
    entry = parse_run_entry(text)
    assert (entry.kind, entry.distance, entry.minutes) == (kind, distance, minutes)


@pytest.mark.parametrize("text", ["long six", "sprint 5", "5 min", "long"])
def test_malformed_run_entries_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_run_entry(text)


def test_every_problem_is_reported_with_path_and_line() -> None:
    text = """\
format: 1
athlete:
  level: novice
  equipment: [band, dumbell]
block:
  start: 2027-01-04
  weeks: 2
availability:
  weekly: {mon: 45, satuday: 60}
running:
  weeks:
    - {tue: 3, wed: long six}
    - {tue: 3}
rules:
  hard_gap: 2
"""
    with pytest.raises(InputError) as caught:
        scenario_from_text(text, "s.yaml")
    problems = {p.path: p for p in caught.value.problems}
    assert problems["athlete.equipment[1]"].line == 4
    assert 'did you mean "dumbbell"' in problems["athlete.equipment[1]"].message
    assert 'did you mean "sat"' in problems["availability.weekly.satuday"].message
    assert problems["availability.weekly.satuday"].line == 9
    assert problems["running.weeks[0].wed"].line == 12
    assert 'did you mean "hard_gap_days"' in problems["rules.hard_gap"].message
    assert len(caught.value.problems) == 4


def test_running_weeks_must_match_block_length() -> None:
    with pytest.raises(InputError, match="1 week of runs, but the block has 2 weeks"):
        make_scenario(running={"weeks": [{"tue": 5}]})


def test_end_before_start_and_race_outside_block() -> None:
    with pytest.raises(InputError, match="before `start`"):
        make_scenario(block={"start": "2027-01-04", "end": "2027-01-01"}, running={})
    with pytest.raises(InputError, match="outside the block"):
        race = {"date": "2027-06-01", "distance": "10k"}
        make_scenario(block={"start": "2027-01-04", "weeks": 2, "races": [race]})


def test_end_gives_block_length() -> None:
    scenario = make_scenario(block={"start": "2027-01-04", "end": "2027-01-17"})
    assert scenario.block.n_weeks == 2


def test_cross_field_checks_run_beside_field_errors() -> None:
    # The level is wrong, and the race and the running weeks do not fit the block: the
    # cross-field checks need only the block dates, so all three are reported.
    race = {"date": "2027-06-01", "distance": "10k"}
    with pytest.raises(InputError) as caught:
        make_scenario(
            athlete={"level": "pro"},
            block={"start": "2027-01-04", "weeks": 2, "races": [race]},
            running={"weeks": [{"tue": 5}]},
        )
    paths = [problem.path for problem in caught.value.problems]
    assert sorted(paths) == ["athlete.level", "block.races[0].date", "running.weeks"]


def test_a_scenario_built_in_code_is_checked_across_fields_too() -> None:
    # Scenario.model_validate (no second pass) still refuses a race outside the block.
    from pydantic import ValidationError

    from planner.domain.scenario import Scenario

    data = scenario_data(block={"start": "2027-01-04", "weeks": 2})
    data["block"]["races"] = [{"date": "2027-06-01", "distance": "10k"}]
    with pytest.raises(ValidationError, match="outside the block"):
        Scenario.model_validate(data)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("6 miles", 'write the distance without its unit, e.g. "6"'),
        ("long 10km", 'e.g. "long 10"'),
        ("long run 8", 'e.g. "long 8"'),
        ("tempo 5", 'write "quality 5"'),
        ("-3", "a distance cannot be negative"),
        ("long", 'give the distance too, e.g. "long 6"'),
        ("5 min", 'minutes are only for cross-training, e.g. "cross 5min"'),
        ("cross 2h", 'give cross-training in minutes, e.g. "cross 120min"'),
    ],
)
def test_malformed_run_entries_say_how_to_write_them(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(hint)):
        parse_run_entry(text)


@pytest.mark.parametrize(
    ("word", "choices", "meant"),
    [
        ("saturday", WEEKDAYS, "sat"),
        ("Mon", WEEKDAYS, "mon"),
        ("medicine ball", EQUIPMENT, "medicine_ball"),
        ("dumbell", EQUIPMENT, "dumbbell"),
    ],
)
def test_suggestions_for_near_misses(word: str, choices: tuple[str, ...], meant: str) -> None:
    assert suggest(word, choices) == f' — did you mean "{meant}"?'


def test_avoided_tags_are_checked_against_the_catalog(tmp_path: Path) -> None:
    text = (
        Path(__file__).resolve().parent.parent / "data" / "broken" / "unknown_tag.yaml"
    ).read_text()
    (tmp_path / "s.yaml").write_text(text.replace("high_impakt", "high_impact"))
    assert load_scenario(tmp_path / "s.yaml").athlete.avoid == ["plyometric", "high_impact"]
    with pytest.raises(InputError) as caught:
        scenario_from_text(text, "s.yaml", tags=["plyometric", "high_impact"])
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("athlete.avoid[1]", 6)
