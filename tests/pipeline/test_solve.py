"""The pipeline keeps one time budget for the whole solve: explanations that do not fit are
left out, and the plan says so; what it returns carries the problem, plan and timings."""

from __future__ import annotations

import pytest

from planner.errors import InfeasibleError
from planner.pipeline import SolveOptions, SolveStatus, solve_scenario
from planner.pipeline.solve import NOT_VERIFIED, _explain_warnings
from planner.solver import Deadline

from ..conftest import make_scenario
from .test_trust import CONTRADICTIONS

MISSED = CONTRADICTIONS["key runs block every day with time (R4)"][0]  # R13 missed every week


def test_the_result_carries_plan_status_explanations_and_timings() -> None:
    result = solve_scenario(make_scenario(**MISSED), SolveOptions(time_limit=20, seed=1))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert result.plan is not None and result.plan.warnings
    # The first missed-target week is explained by solving again, and the plan says so.
    week, explanation = next(iter(result.explained.items()))
    warning = next(w for w in result.plan.warnings if w.week == week)
    assert warning.message == " ".join(explanation.sentences)
    timings = result.timings
    assert min(timings.problem_s, timings.solve_s, timings.explain_s) >= 0
    assert timings.total_s <= 20 + 2


def test_explanations_past_the_deadline_are_marked_not_verified() -> None:
    # With the budget spent, no explanation is attempted: each missed-target warning keeps
    # its first suggestion and says it was not verified.
    options = SolveOptions(time_limit=20, seed=1, explain=False)
    result = solve_scenario(make_scenario(**MISSED), options)
    assert result.plan is not None
    explained = _explain_warnings(result.problem, result.plan, Deadline.after(0))
    assert explained == {}
    missed = [w for w in result.plan.warnings if w.rule == "R13"]
    assert missed and all(w.suggestion.endswith(f"({NOT_VERIFIED})") for w in missed)


def test_an_infeasible_result_raises_with_its_explanation() -> None:
    # Strict mode makes the missed targets hard: no plan, and the Result explains why.
    overrides = MISSED | {"rules": {"strict": True}}
    result = solve_scenario(make_scenario(**overrides), SolveOptions(time_limit=20, seed=1))
    assert result.status == SolveStatus.INFEASIBLE and result.plan is None
    assert result.explanation is not None and "R4" in result.explanation.rules()
    with pytest.raises(InfeasibleError, match="R4"):
        result.plan_or_raise(20)
