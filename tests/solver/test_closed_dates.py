"""A date no session may hold (a studio seat not granted) is no day of the problem, and the
weeks are grouped around it; a studio's one model groups the weeks the same way while
letting a session fall there again (`split_at`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.io.scenario_file import load_scenario
from planner.solver.problem import DayLimit, Restrictions, build_problem

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "default.yaml"
WEDNESDAY = dt.date(2027, 4, 14)  # week 2 of the default scenario, 30 min available


def test_a_closed_date_is_no_session_day_and_splits_its_week_off() -> None:
    scenario = load_scenario(DEFAULT)
    plain = build_problem(scenario)
    closed = build_problem(
        scenario, restrictions=Restrictions(limits=(DayLimit((WEDNESDAY,), None, (), 0),))
    )
    week = closed.weeks[1]
    assert WEDNESDAY in {day.date for day in plain.session_days(week)}
    assert WEDNESDAY not in {day.date for day in closed.session_days(week)}
    assert (2,) in [group.weeks for group in closed.groups]  # its own group now
    assert (2,) not in [group.weeks for group in plain.groups]


def test_split_at_groups_the_weeks_alike_but_keeps_the_day() -> None:
    scenario = load_scenario(DEFAULT)
    closed = build_problem(
        scenario, restrictions=Restrictions(limits=(DayLimit((WEDNESDAY,), None, (), 0),))
    )
    # No limits at all: the restrictions must not be dropped for being empty otherwise.
    split = build_problem(scenario, restrictions=Restrictions(split_at=frozenset({WEDNESDAY})))
    assert [g.weeks for g in split.groups] == [g.weeks for g in closed.groups]
    assert WEDNESDAY in {day.date for day in split.session_days(split.weeks[1])}
