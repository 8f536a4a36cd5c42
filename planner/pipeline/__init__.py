"""The solve pipeline: what the CLI, the benchmarks and the tests call."""

from planner.pipeline.solve import Churn, Result, Timings, plan_scenario, solve_scenario
from planner.solver.problem import DayLimit, Restrictions
from planner.solver.run import Progress, SolveOptions
from planner.solver.solution import SolveStatus

__all__ = [
    "Churn",
    "DayLimit",
    "Progress",
    "Restrictions",
    "Result",
    "SolveOptions",
    "SolveStatus",
    "Timings",
    "plan_scenario",
    "solve_scenario",
]
