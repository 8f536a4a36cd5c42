"""A small block solved once per test module, to replan in many ways."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.check.checker import CheckReport, check_plan
from planner.domain.catalog import Catalog
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.pipeline import SolveOptions, solve_scenario
from planner.pipeline.replan import ReplanRequest, replan_scenario
from planner.pipeline.solve import Result

from ..conftest import MONDAY, make_scenario

WEEKS = 3
RUNS = {"tue": 8, "thu": "quality 8", "sun": "long 16"}


def block_scenario() -> Scenario:
    """Three base weeks; gym on Mon 40, Wed 30, Fri 40 and Sat 30; a quality run on Thu
    (so Wed holds no hard session, R4) and a long run on Sun (nor does Sat)."""
    return make_scenario(
        block={"start": MONDAY.isoformat(), "weeks": WEEKS},
        availability={"weekly": {"mon": 40, "wed": 30, "fri": 40, "sat": 30}},
        running={"unit": "km", "weeks": [RUNS] * WEEKS},
    )


def options(seconds: float = 30.0, seed: int = 1) -> SolveOptions:
    return SolveOptions(time_limit=seconds, seed=seed, workers=2, explain=False)


def solve(scenario: Scenario) -> Plan:
    result = solve_scenario(scenario, options())
    assert result.plan is not None, result.status
    return result.plan


def replan(
    scenario: Scenario, plan: Plan, request: ReplanRequest, seconds: float = 30.0, **kwargs: object
) -> Result:
    return replan_scenario(scenario, plan, request, options(seconds), **kwargs)  # type: ignore[arg-type]


def check(plan: Plan, scenario: Scenario, catalog: Catalog | None = None) -> CheckReport:
    """The checker on the original scenario: it rebuilds the situation from the plan. With
    the catalog the plan was made from, R15 knows which power exercises could be placed."""
    return check_plan(plan, scenario, catalog=catalog)


def on(week: int, weekday: int) -> dt.date:
    """The date of a weekday (0 = Monday) of a block week (from 1)."""
    return MONDAY + dt.timedelta(days=7 * (week - 1) + weekday)


@pytest.fixture(scope="package")
def scenario() -> Scenario:
    return block_scenario()


@pytest.fixture(scope="package")
def old_plan(scenario: Scenario) -> Plan:
    return solve(scenario)
