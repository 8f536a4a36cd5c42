"""The re-solve from a base plan (`solve_scenario(..., base=...)`): the base plan's session
stays as written on a day only where it holds exactly what the solve placed there."""

from __future__ import annotations

from planner.check.checker import check_plan
from planner.pipeline import solve_scenario
from planner.solver.problem import DayLimit, Restrictions

from ..replan.conftest import block_scenario, options, solve


def test_a_base_session_paired_otherwise_is_not_kept_in_place_of_the_solves() -> None:
    """The base plan holds the solve's own exercises and sets, but with its pairs undone: a
    plan that kept those sessions would state the paired minutes for unpaired items. The
    re-solve writes its own sessions there, and the plan is clean."""
    scenario = block_scenario()
    plan = solve(scenario)
    assert any(i.pair for _, s in plan.sessions() for i in s.items), "needs paired sets"
    base = plan.model_copy(deep=True)
    for _, session in base.sessions():
        for item in session.items:
            item.pair = None
    result = solve_scenario(scenario, options(), base=base)
    assert result.plan is not None
    report = check_plan(result.plan, scenario)
    assert report.ok, report.violations
    paired = [s for _, s in result.plan.sessions() if any(i.pair for i in s.items)]
    assert paired  # the solve's own pairs, not the base's unpaired copies


def test_a_day_closed_since_the_base_plan_frees_only_its_own_sessions() -> None:
    """A studio athlete who lost a class seat is solved again from their plan with that date
    closed. The base plan's groups that did not use the date still fit it, so the re-solve
    starts from them (the base plan as a whole no longer fits: fixing every group as it was,
    the lost date included, left the re-solve with no start at all)."""
    scenario = block_scenario()
    plan = solve(scenario)
    lost = next(day.date for day, _ in plan.sessions())
    closed = Restrictions(limits=(DayLimit((lost,), None, (), sessions=0),))
    result = solve_scenario(scenario, options(), base=plan, restrictions=closed)
    assert result.plan is not None
    assert result.stats["old_plan_status"] in ("OPTIMAL", "FEASIBLE")
    assert lost not in {day.date for day, _ in result.plan.sessions()}
    report = check_plan(result.plan, scenario)
    assert report.ok, report.violations
