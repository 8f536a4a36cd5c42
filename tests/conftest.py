"""Shared fixtures: small scenarios built in code, and a fast solve helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import settings

from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.io.scenario_file import scenario_from_data
from planner.pipeline import SolveOptions, plan_scenario

settings.register_profile("ci", deadline=None, max_examples=10, derandomize=True)
settings.load_profile("ci")

MONDAY = dt.date(2027, 1, 4)


def scenario_data(**overrides: Any) -> dict[str, Any]:
    """A small valid scenario as plain data; keyword arguments replace top-level sections."""
    data: dict[str, Any] = {
        "format": 1,
        "name": "Test block",
        "athlete": {"name": "Tess", "level": "intermediate", "equipment": ["dumbbell", "band"]},
        "block": {"start": MONDAY.isoformat(), "weeks": 2},
        "availability": {"weekly": {"mon": 40, "wed": 30, "fri": 40}},
        "running": {
            "unit": "km",
            "weeks": [{"tue": 8, "thu": "quality 8", "sun": "long 16"}] * 2,
        },
    }
    data.update(overrides)
    return data


def make_scenario(**overrides: Any) -> Scenario:
    return scenario_from_data(scenario_data(**overrides))


def fast_options(seconds: float = 20.0) -> SolveOptions:
    return SolveOptions(time_limit=seconds, seed=1, workers=2)


def solve_fast(scenario: Scenario, seconds: float = 20.0) -> Plan:
    return plan_scenario(scenario, fast_options(seconds))


@pytest.fixture
def small_scenario() -> Scenario:
    return make_scenario()
