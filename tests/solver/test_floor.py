"""The floor meets R13 before anything else (solve.py `_floor`).

The floor is one weighted sum (`PlanModel.floor`: a missed hard session weighs more than a
week's R16 shortfalls), and its search may stop at the time limit with a plan it has not
proven. R13 must not hang on either: a first search minimises R13's missed hard sessions
alone and fixes their number, and only then does the weighted floor choose among the plans
that keep it. These tests make that order visible without a clock: a weighted floor that
pulls the other way, and a weighted search that ends without a plan.
"""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from planner.check.checker import check_plan
from planner.domain.scenario import Scenario
from planner.solver.model import PlanModel
from planner.solver.problem import build_problem
from planner.solver.run import Run, SolveOptions
from planner.solver.solve import _floor

from ..helpers import one_week, small_catalog, solve_with

# Two base weeks. Monday and Friday may hold hard sessions; Wednesday is the day before
# Thursday's quality run (R4), so it holds a light session at most. Two hard sessions a week
# (R13's base target) are reachable: Monday and Friday are four days apart (R3).
WEEKLY = {"mon": 40, "wed": 30, "fri": 40}
RUNS = {"tue": 8, "thu": "quality 8", "sun": "long 16"}


def _scenario() -> Scenario:
    return one_week(WEEKLY, RUNS, weeks=2)


def _fewest_hard_sessions(self: PlanModel) -> list[tuple[cp_model.IntVar, int]]:
    """A floor that would rather have no hard session at all: every hard slot costs one."""
    return [(var, self.problem.group(g).size) for (g, _), var in self.hard.items()]


def test_r13_is_met_even_when_the_weighted_floor_pulls_the_other_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The weighted floor stands in for any weighted search that would settle on fewer hard
    # sessions than the availability allows (weights too small, or a search cut short). A
    # floor that is one weighted minimisation then plans no hard session at all; a floor
    # that fixes R13's fewest missed sessions first keeps two hard sessions a week, and the
    # weighted floor only chooses among such plans (so exactly two: it counts them).
    monkeypatch.setattr(PlanModel, "floor_terms", _fewest_hard_sessions)
    scenario = _scenario()
    plan, solution, _ = solve_with(scenario, small_catalog())
    assert plan is not None, solution.status
    report = check_plan(plan, scenario, catalog=small_catalog())
    assert report.ok, [str(v) for v in report.violations]
    assert "R13" not in report.missed_rules(), [str(m) for m in report.missed]
    assert [week.hard_sessions for week in plan.weeks] == [2, 2]
    assert not any(warning.rule == "R13" for warning in plan.warnings)
    assert sum(solution.shortfall.values()) == 0


def test_without_time_for_the_weighted_floor_the_r13_plan_stands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The weighted search ends without a plan (as at a time limit it reaches before its
    # first solution): the floor keeps the R13 search's plan, and its limit is that plan's
    # own weighted shortfall, so the objective stage starts from a plan that meets R13.
    problem = build_problem(_scenario(), catalog=small_catalog())
    run = Run(problem, SolveOptions(time_limit=10, seed=1, workers=2))
    searches: list[str] = []
    real_run = Run.run

    def weighted_search_finds_nothing(
        self: Run, phase: str, *args: Any, **kwargs: Any
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        searches.append(phase)
        if len(searches) == 2:  # the weighted floor
            return cp_model.CpSolver(), cp_model.UNKNOWN
        return real_run(self, phase, *args, **kwargs)

    monkeypatch.setattr(Run, "run", weighted_search_finds_nothing)
    floor = _floor(run)
    assert searches == ["floor", "floor"]
    assert run.best is not None and floor is not None
    missed = {g: run.best[var.index] for g, var in run.plan.shortfall.items()}
    assert sum(missed.values()) == 0, missed
    weighted = sum(weight * run.best[var.index] for var, weight in run.plan.floor_terms())
    assert floor == weighted
    assert run.stats["floor_r13_missed"] == 0
    assert run.stats["floor_status"] == "UNKNOWN"
