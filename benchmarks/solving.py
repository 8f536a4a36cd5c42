"""Optimizer runs for the benchmarks.

`solve_scenario` is `planner.pipeline.solve.plan_scenario` with a choice of catalog (for the catalog
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

from planner.domain.catalog import Catalog
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.pipeline import Progress, SolveOptions, solve_scenario


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
    seconds: float  # wall time of the whole pipeline (problem, solve, plan, explanations)
    events: list[ProgressEvent] = field(default_factory=list)
    peak_memory_mb: float = float("nan")  # the solving process's peak resident set
    start_memory_mb: float = float("nan")  # the same, before build_problem (imports only)
    exercises: int = 0  # candidate exercises left after filtering and dominance
    stats: dict[str, object] = field(default_factory=dict)


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
    result = solve_scenario(scenario, options, catalog)
    seconds = time.monotonic() - start
    return OptimizerRun(
        status=str(result.status),
        plan=result.plan,
        seconds=seconds,
        events=events,
        peak_memory_mb=_peak_memory_mb(),
        start_memory_mb=start_memory,
        exercises=result.exercises,
        stats=result.stats | {"timings": result.timings},
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
