"""The decomposition contract of the rule registry (planner/rules.py, `links_weeks`).

Dinkelbach by parts proves its bound because the model of a part of the block (a run of
weeks, `Problem.part`) is a relaxation of the whole model:
- a rule that links weeks skips, or counts as met, every condition that reaches a week
  outside the part: so any plan of the whole, cut to the part, still satisfies it there;
- a rule that does not link weeks encodes each group of weeks on its own: the whole
  model's constraints for it are exactly the parts' constraints together.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ortools.sat.python import cp_model

from planner.pipeline import SolveOptions, solve_scenario
from planner.rules import RULES, Rule
from planner.solver import model as encoding
from planner.solver.decompose import _decisions, _Part, _Pass, split
from planner.solver.problem import Problem, build_problem
from planner.solver.run import Run, read_solution
from planner.solver.solution import Solution
from planner.solver.solve import _floor, _item_ratio_bound, _minutes_lower_bound

from ..helpers import one_week, small_catalog

LINKING = [rule for rule in RULES if rule.links_weeks]
LOCAL = [rule for rule in RULES if not rule.links_weeks]
WEEKS_PER_PART = 2


@pytest.fixture(scope="module")
def solved_block() -> tuple[Problem, Solution]:
    # Eight weeks to a 10k: loading weeks, deloads (R8), a ramp (R12), a taper week (R6) and
    # progression gates (R9) all have conditions that cross a 2-week part boundary.
    scenario = one_week(
        {"mon": 40, "wed": 30, "fri": 40, "sat": 30},
        weeks=8,
        rules={"progression_weeks": 1},
        races=[{"date": "2027-02-28", "distance": "10k", "priority": "A"}],
    )
    options = SolveOptions(time_limit=10, seed=1, workers=2, explain=False)
    result = solve_scenario(scenario, options, small_catalog())
    assert result.plan is not None, result.status
    return result.problem, result.solution


def decisions(problem: Problem, solution: Solution) -> dict[str, int]:
    """The whole plan's decision variables by name (the names a part's model shares)."""
    values: dict[str, int] = {}
    for group in problem.groups:
        g = group.index
        for s, slot in enumerate(solution.contents[g]):
            chosen = {(item.exercise, item.sets) for item in slot}
            values[f"active[g{g},s{s}]"] = int(bool(slot))
            hard = {c.id for c in group.candidates if c.exercise.hard}
            values[f"hard[g{g},s{s}]"] = int(any(item.exercise in hard for item in slot))
            for candidate in group.candidates:
                for k, option in enumerate(candidate.options):
                    picked = (candidate.id, option.sets) in chosen
                    values[f"option[g{g},s{s},{candidate.id},{k}]"] = int(picked)
    for (week, s), date in solution.placements.items():
        values[f"place[w{week},s{s},{date}]"] = 1
    return values


def functions(rule: Rule) -> list[Callable[[encoding.PlanModel], None]]:
    function = getattr(encoding, rule.model)
    return [] if function is encoding.add_variables else [function]


def holds(plan: encoding.PlanModel, values: dict[str, int]) -> bool:
    """Is the model satisfiable with its decisions fixed to `values` (unnamed: 0)?"""
    model = plan.model
    for index, var in enumerate(model.proto.variables):
        if var.name.startswith(("active[", "hard[", "option[", "place[")):
            fixed = values.get(var.name, 0)
            model.add(model.get_int_var_from_proto_index(index) == fixed)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.num_workers = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def parts(problem: Problem) -> list[Problem]:
    """One part per group: every cut the solver could make (`split` cuts at some of these
    boundaries only), so the contract is held at each of them."""
    assert len(split(problem, WEEKS_PER_PART)) >= 2
    cut = [[group] for group in problem.groups]
    assert len(cut) >= 3
    return [problem.part(groups) for groups in cut]


def test_the_whole_plan_satisfies_the_whole_model(solved_block: tuple[Problem, Solution]) -> None:
    # The fixture's decisions are read right: the whole model accepts them.
    problem, solution = solved_block
    assert holds(encoding.build_model(problem), decisions(problem, solution))


@pytest.mark.parametrize("rule", LINKING, ids=lambda rule: rule.id)
def test_a_linking_rule_on_a_part_keeps_every_whole_plan(
    rule: Rule, solved_block: tuple[Problem, Solution]
) -> None:
    problem, solution = solved_block
    values = decisions(problem, solution)
    for part in parts(problem):
        plan = encoding.build_model(part, encoding=[encoding.add_day_placement, *functions(rule)])
        assert holds(plan, values), f"{rule.id} cuts off the whole plan in weeks {part.groups}"


def test_every_rule_on_every_part_keeps_the_whole_plan(
    solved_block: tuple[Problem, Solution],
) -> None:
    # The relaxation the bound relies on: all rules together, on each part.
    problem, solution = solved_block
    values = decisions(problem, solution)
    for part in parts(problem):
        assert holds(encoding.build_model(part), values)


def constraints(problem: Problem, rule: Rule) -> int:
    plan = encoding.build_model(problem, encoding=functions(rule))
    return len(plan.model.proto.constraints)


@pytest.mark.parametrize("rule", LOCAL, ids=lambda rule: rule.id)
def test_a_local_rule_is_the_sum_of_its_parts(
    rule: Rule, solved_block: tuple[Problem, Solution]
) -> None:
    problem, _ = solved_block
    assert constraints(problem, rule) == sum(constraints(part, rule) for part in parts(problem))


def test_a_linking_rule_reaches_across_parts(solved_block: tuple[Problem, Solution]) -> None:
    # The flag means something: the whole model of the linking rules holds constraints
    # that no part has (those between parts).
    problem, _ = solved_block
    across = [
        rule.id
        for rule in LINKING
        if constraints(problem, rule) > sum(constraints(part, rule) for part in parts(problem))
    ]
    assert across, "no linking rule links anything in this block"


def test_the_parts_decisions_keep_their_pairs() -> None:
    # The parts hand the whole model their decisions (`keep_if_whole`, `repair_seams`). R17's
    # pair counts are decisions too: with the rest fixed, a search that wants the most minutes
    # must still find the plan's own minutes, not the same items done alone (90-min days:
    # the items fit alone too, so only the fixed counts keep the pairs).
    scenario = one_week({"mon": 90, "wed": 90, "fri": 90}, rules={"paired_sets": True})
    problem = build_problem(scenario)
    plan = encoding.build_model(problem)
    plan.model.maximize(sum(count for counts in plan.pairs.values() for _, count in counts))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(plan.model) == cp_model.OPTIMAL
    minutes = solver.value(plan.total_minutes())
    assert solver.objective_value > 0  # the plan pairs
    part = _Part(problem.groups, plan)
    part.values, _ = read_solution(plan, solver)
    fixed = encoding.build_model(problem)
    by_name = {var.name: index for index, var in enumerate(fixed.model.proto.variables)}
    for name, value in _decisions(part).items():
        fixed.model.add(fixed.model.get_int_var_from_proto_index(by_name[name]) == value)
    fixed.model.maximize(fixed.total_minutes())
    assert solver.solve(fixed.model) == cp_model.OPTIMAL
    assert solver.objective_value == minutes


def test_one_pass_of_the_parts_bounds_the_whole_ratio(
    solved_block: tuple[Problem, Solution],
) -> None:
    # When time runs out in the parts' search, the last passes still bound the ratio: at
    # lambda = B_k / M_k, any plan meeting the floor has M_k * B - B_k * M <= the sum of
    # the parts' bounds, so B / M <= lambda + UB / (M_k * M_min). Here lambda is half the
    # plan's ratio, the parts are solved to the end, and the bound must hold the proven
    # optimum without being the item bound's trivial figure.
    problem, _ = solved_block
    proven = solve_scenario(
        problem.scenario, SolveOptions(time_limit=60, workers=2, explain=False), small_catalog()
    )
    assert proven.status.value == "optimal"
    optimum = problem.benefit_points(proven.solution.benefit_units) / proven.solution.minutes
    run = Run(problem, SolveOptions(time_limit=30, workers=2))
    floor = _floor(run)
    assert floor is not None
    units, minutes = proven.solution.benefit_units // 2, proven.solution.minutes
    cut = split(problem, WEEKS_PER_PART)
    pieces = [_Part(groups, encoding.build_model(problem.part(groups))) for groups in cut]
    least, upper = [], 0.0
    for piece in pieces:  # each part's own least floor shortfall caps it (exact parts)
        piece.plan.model.minimize(piece.missing())
        solver = run.solver(10)
        assert solver.solve(piece.plan.model) == cp_model.OPTIMAL
        least.append(round(solver.objective_value))
        piece.plan.model.add(piece.missing() <= least[-1])
        piece.plan.model.maximize(piece.objective(units, minutes))
        assert solver.solve(piece.plan.model) == cp_model.OPTIMAL
        upper += solver.best_objective_bound
    assert sum(least) == floor and len(pieces) >= 2
    bound = _Pass(units, minutes, upper).bound(problem, _minutes_lower_bound(run))
    assert optimum <= bound + 1e-9
    assert bound < _item_ratio_bound(problem)
