"""One athlete's solve, as run by an engine's worker: a scenario in, plain data out.

Workers get the scenario (a pydantic model, which pickles), never a CP-SAT model (which
does not). Each solve goes through `planner.pipeline.solve_scenario` with one CP-SAT worker,
so one solve uses one core; the result comes back as an `Outcome` of strings and numbers.
Its message is the text `planner solve` prints for the same scenario (`error_text`).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.errors import InfeasibleError, InputError, NoPlanFoundError, PlannerError, error_text

if TYPE_CHECKING:
    from planner.pipeline import Churn, Restrictions

T = TypeVar("T")

# A row's status: a plan's own status, or why there is none.
PLANNED = ("optimal", "feasible")
INVALID = "invalid"  # bad input (exit 3 for `planner solve`)
INFEASIBLE = "infeasible"  # exit 4
NO_PLAN = "no plan"  # exit 5: nothing found within the time limit
CRASHED = "crashed"  # an unexpected error in the solve, or a lost worker
TIMED_OUT = "timed out"  # no result within the hard per-solve cap
NOT_WRITTEN = "not written"  # solved, but the plan file could not be written
INTERRUPTED = "interrupted"  # the batch was stopped before this athlete's plan came back


@dataclass(frozen=True)
class Job:
    """What a worker needs to solve one athlete."""

    id: str
    scenario: Scenario
    time_limit: float
    seed: int
    base: Plan | None = None  # a plan to start from (the hint of a re-solve)
    restrictions: Restrictions | None = None  # kept on top of the scenario (a studio's seats)
    churn: Churn | None = None  # change the base plan as little as possible (a studio's since)


@dataclass(frozen=True)
class Outcome:
    """A worker's answer, as plain picklable data."""

    id: str
    status: str  # optimal | feasible | invalid | infeasible | no plan | crashed
    exit_code: int  # what `planner solve` would exit with (1: crashed)
    message: str  # what `planner solve` would print on stderr ("" with a plan)
    plan_json: str | None  # the plan file, exactly as `planner solve -o plan.json` writes it
    solve_s: float  # wall seconds in the worker
    worker: str  # host:pid that solved it

    @property
    def has_plan(self) -> bool:
        return self.plan_json is not None


def ignore_interrupts() -> None:
    """Process-pool initializer: Ctrl-C in the terminal reaches every process of its group;
    the batch (main process) decides what to stop, so its workers leave the group (CP-SAT
    would otherwise catch the signal itself) and ignore the signal."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def failure(job_id: str, error: PlannerError, solve_s: float = 0.0) -> Outcome:
    """An athlete without a plan, with the words and exit code of `planner solve`."""
    if isinstance(error, InputError):
        status = INVALID
    elif isinstance(error, InfeasibleError):
        status = INFEASIBLE
    elif isinstance(error, NoPlanFoundError):
        status = NO_PLAN
    else:
        status = NOT_WRITTEN
    return Outcome(job_id, status, error.exit_code, error_text(error), None, solve_s, _where())


def solve_job(job: Job) -> Outcome:
    """Solve one athlete; never raises: a crash is an Outcome too."""
    from planner.pipeline import SolveOptions, solve_scenario

    started = time.monotonic()
    try:
        options = SolveOptions(time_limit=job.time_limit, seed=job.seed, workers=1)
        # Off the main thread, the solve does not listen for Ctrl-C (see ignore_interrupts).
        result = _off_main_thread(
            lambda: solve_scenario(
                job.scenario, options, base=job.base, restrictions=job.restrictions, churn=job.churn
            )
        )
        plan = result.plan_or_raise(job.time_limit)
    except PlannerError as error:
        return failure(job.id, error, time.monotonic() - started)
    except Exception as error:  # a bug: that athlete's row, not the end of the batch
        message = f"The solve crashed: {type(error).__name__}: {error}"
        return Outcome(job.id, CRASHED, 1, message, None, time.monotonic() - started, _where())
    status = str(plan.status)
    return Outcome(job.id, status, 0, "", plan.to_json(), time.monotonic() - started, _where())


def _off_main_thread(action: Callable[[], T]) -> T:
    if threading.current_thread() is not threading.main_thread():
        return action()
    box: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(action())
        except BaseException as error:  # handed back to the caller's thread
            errors.append(error)

    thread = threading.Thread(target=run, name="planner-solve")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]


def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
