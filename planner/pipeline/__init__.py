"""The solve pipeline: what the CLI, the benchmarks and the tests call."""

from planner.pipeline.solve import Result, Timings, plan_scenario, solve_scenario
from planner.solver.run import Progress, SolveOptions
from planner.solver.solution import SolveStatus

__all__ = [
    "Progress",
    "Result",
    "SolveOptions",
    "SolveStatus",
    "Timings",
    "plan_scenario",
    "solve_scenario",
]
