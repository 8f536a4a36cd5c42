"""Scenario loading: valid files load, and every mistake is named with its field and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError
from planner.scenario import load_scenario, parse_run_entry, scenario_from_text

from .conftest import make_scenario

SCENARIOS = sorted(Path(__file__).resolve().parent.parent.glob("scenarios/*.yaml"))


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
    assert problems["athlete.equipment"].line == 4
    assert 'did you mean "dumbbell"' in problems["athlete.equipment"].message
    assert 'did you mean "sat"' in problems["availability.weekly"].message
    assert problems["running.weeks[0].wed"].line == 12
    assert 'did you mean "hard_gap_days"' in problems["rules.hard_gap"].message
    assert len(caught.value.problems) == 4


def test_running_weeks_must_match_block_length() -> None:
    with pytest.raises(InputError, match="running.weeks has 1 weeks but the block has 2"):
        make_scenario(running={"weeks": [{"tue": 5}]})


def test_end_before_start_and_race_outside_block() -> None:
    with pytest.raises(InputError, match="before `start`"):
        make_scenario(block={"start": "2027-01-04", "end": "2027-01-01"}, running={})
    with pytest.raises(InputError, match="outside the block"):
        make_scenario(
            block={"start": "2027-01-04", "weeks": 2, "races": [{"date": "2027-06-01", "distance": "10k"}]}
        )


def test_end_gives_block_length() -> None:
    scenario = make_scenario(block={"start": "2027-01-04", "end": "2027-01-17"})
    assert scenario.block.n_weeks == 2
