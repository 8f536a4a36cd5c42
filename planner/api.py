"""The library entry points the CLI and the benchmarks call."""

from __future__ import annotations

from planner.errors import InfeasibleError, NoPlanFoundError
from planner.plan import Plan
from planner.plan_builder import build_plan
from planner.problem import build_problem
from planner.scenario import Scenario
from planner.solution import SolveStatus
from planner.solver import SolveOptions, solve


def plan_scenario(scenario: Scenario, options: SolveOptions | None = None) -> Plan:
    """Solve a scenario to a plan. Raises InfeasibleError or NoPlanFoundError."""
    options = options or SolveOptions()
    problem = build_problem(scenario)
    solution = solve(problem, options)
    if solution.status == SolveStatus.INFEASIBLE:
        raise InfeasibleError(
            "No plan satisfies the hard rules for this scenario (strict mode or contradictory input)."
        )
    if solution.status == SolveStatus.UNKNOWN:
        raise NoPlanFoundError(
            f"No plan was found within {options.time_limit:g} s; try a longer --time-limit."
        )
    settings = {
        "seed": options.seed,
        "workers": options.workers,
        "time_limit_s": options.time_limit,
        "solve_time_s": solution.stats.get("time_s"),
        "subproblems": solution.stats.get("subproblems"),
    }
    return build_plan(problem, solution, settings)
