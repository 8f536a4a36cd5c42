"""Solving through the pipeline in tests: a plan with its raw solution and problem."""

from __future__ import annotations

from dataclasses import dataclass

from planner.check.checker import CheckReport, check_plan
from planner.domain.catalog import (
    Catalog,
)
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.pipeline import SolveOptions, solve_scenario
from planner.solver.problem import Problem
from planner.solver.solution import Solution

from .plans import refresh


def solve_with(
    scenario: Scenario,
    catalog: Catalog | None = None,
    seconds: float = 10.0,
    seed: int = 1,
) -> tuple[Plan, Solution, Problem]:
    """Solve through the pipeline with an optional custom catalog, without explanations;
    returns the plan (None without one), the raw solution and the problem."""
    options = SolveOptions(time_limit=seconds, seed=seed, workers=2, explain=False)
    result = solve_scenario(scenario, options, catalog)
    return result.plan, result.solution, result.problem  # type: ignore[return-value]


def check(plan: Plan, scenario: Scenario, catalog: Catalog | None = None) -> CheckReport:
    return check_plan(plan, scenario, catalog=catalog)


@dataclass
class Case:
    """A solved scenario: the inputs, the plan and the raw solution."""

    scenario: Scenario
    catalog: Catalog | None
    plan: Plan
    solution: Solution

    def check(self, plan: Plan | None = None) -> CheckReport:
        return check_plan(plan or self.plan, self.scenario, catalog=self.catalog)

    def refreshed(self, plan: Plan) -> Plan:
        return refresh(plan, self.scenario, self.catalog)


def solved(scenario: Scenario, catalog: Catalog | None = None, seconds: float = 10.0) -> Case:
    plan, solution, _ = solve_with(scenario, catalog, seconds)
    assert plan is not None, f"no plan: {solution.status}"
    return Case(scenario, catalog, plan, solution)
