"""The CP-SAT solver. The only subpackage that imports ortools; the rest of the planner
sees its own types (SolveStatus, Solution, Plan), never a solver object."""

from planner.solver.run import Deadline, Progress, SolveOptions
from planner.solver.solve import solve

__all__ = ["Deadline", "Progress", "SolveOptions", "solve"]
