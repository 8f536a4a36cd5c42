"""The CP-SAT solver. The only subpackage that imports ortools."""

from planner.solver.solve import SolveOptions, solve

__all__ = ["SolveOptions", "solve"]
