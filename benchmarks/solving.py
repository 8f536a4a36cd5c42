"""Optimizer runs for the benchmarks.

`solve_scenario` is `planner.api.plan_scenario` with a choice of catalog (for the catalog
scaling runs) and without the exceptions, so a run that finds no plan is still a result.
`run_optimizer` does one solve in a fresh process, so that its time and peak memory belong
to that solve alone.
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from planner.catalog import Catalog
from planner.plan import Plan
from planner.plan_builder import build_plan
from planner.problem import build_problem
from planner.scenario import Scenario
from planner.solution import SolveStatus
from planner.solver import SolveOptions, solve
from planner.solver.solve import Progress


@dataclass(frozen=True)
class ProgressEvent:
    """One `SolveOptions.on_progress` report, timed from the start of `build_problem`."""

    seconds: float
    ratio: float
    bound: float | None


@dataclass
class OptimizerRun:
    status: str
    plan: Plan | None
    seconds: float  # wall time of build_problem + solve + build_plan
    events: list[ProgressEvent] = field(default_factory=list)
    peak_memory_mb: float = float("nan")  # the solving process's peak resident set
    start_memory_mb: float = float("nan")  # the same, before build_problem (imports only)
    exercises: int = 0  # candidate exercises left after filtering and dominance
    stats: dict[str, object] = field(default_factory=dict)


def solve_scenario(
    scenario: Scenario, options: SolveOptions, catalog: Catalog | None = None
) -> tuple[str, Plan | None, int, dict[str, object]]:
    """(status, plan or None, candidate exercises, solver stats) for one scenario."""
    problem = build_problem(scenario, catalog=catalog)
    exercises = len({c.id for group in problem.groups for c in group.candidates})
    solution = solve(problem, options)
    if solution.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        return str(solution.status), None, exercises, solution.stats
    settings = {
        "seed": options.seed,
        "workers": options.workers,
        "time_limit_s": options.time_limit,
        "solve_time_s": solution.stats.get("time_s"),
        "subproblems": solution.stats.get("subproblems"),
    }
    return str(solution.status), build_plan(problem, solution, settings), exercises, solution.stats


def _peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def solve_here(
    scenario: Scenario, catalog: Catalog | None, time_limit: float, workers: int, seed: int
) -> OptimizerRun:
    """One timed solve in this process, recording every progress report."""
    start_memory = _peak_memory_mb()
    events: list[ProgressEvent] = []
    start = time.monotonic()

    def on_progress(progress: Progress) -> None:
        events.append(ProgressEvent(time.monotonic() - start, progress.ratio, progress.bound))

    options = SolveOptions(
        time_limit=time_limit, seed=seed, workers=workers, on_progress=on_progress
    )
    status, plan, exercises, stats = solve_scenario(scenario, options, catalog)
    seconds = time.monotonic() - start
    return OptimizerRun(
        status=status,
        plan=plan,
        seconds=seconds,
        events=events,
        peak_memory_mb=_peak_memory_mb(),
        start_memory_mb=start_memory,
        exercises=exercises,
        stats=dict(stats),
    )


def run_optimizer(
    scenario: Scenario,
    *,
    time_limit: float,
    workers: int,
    seed: int = 0,
    catalog: Catalog | None = None,
) -> OptimizerRun:
    """`solve_here` in a fresh (spawned) process, so ru_maxrss is this solve's peak."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(solve_here, scenario, catalog, time_limit, workers, seed).result()
