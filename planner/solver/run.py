"""One solve of a Problem: its options, the model, the clock, the best plan so far, and the
CP-SAT calls that every stage of the solve (solve.py, decompose.py) shares."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.model import PlanModel, build_model, name_pairs
from planner.solver.problem import Contents, Problem, curve_units, evaluate, week_dose

# A canonical pick's deterministic-time budget: with paired sets (R17) the default plan's
# parts need 4-5 units each without a hint, so 5 left it to thread timing; 8 settles it.
CANONICAL_DETERMINISTIC_TIME = 8.0


def catches_sigint() -> bool:
    """Whether CP-SAT may catch Ctrl-C itself: only on the main thread. Off it (a batch
    worker, a Dask task) the process decides what Ctrl-C stops, and CP-SAT's own handler
    would abort the process ("std::bad_function_call") when the signal comes."""
    return threading.current_thread() is threading.main_thread()


@dataclass(frozen=True)
class Progress:
    elapsed_s: float
    ratio: float  # best benefit per minute so far (points)
    bound: float | None  # proven upper bound, when known
    phase: str


@dataclass(frozen=True)
class Deadline:
    """The end of a time budget on the monotonic clock: every stage of a solve (building,
    searching, explaining) takes what is left, so the whole stays within the budget."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())


@dataclass
class SolveOptions:
    """`time_limit` covers the whole solve; `deadline`, when given, is where that budget
    ends (set by the pipeline, so that building the problem counts too)."""

    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2
    log: bool = False
    on_progress: Callable[[Progress], None] | None = None
    deadline: Deadline | None = None
    explain: bool = True  # the pipeline verifies the explanations of missed targets


def read_solution(plan: PlanModel, solver: cp_model.CpSolver) -> tuple[dict[int, int], Contents]:
    """Every variable's value, and the session contents of the plan's groups."""
    model = plan.model
    values = {
        index: int(solver.value(model.get_int_var_from_proto_index(index)))
        for index in range(len(model.proto.variables))
    }
    return values, contents_of(plan, values)


def contents_of(plan: PlanModel, values: dict[int, int]) -> Contents:
    """The session contents of the plan's groups in `values` (variable index -> value)."""
    contents: Contents = {}
    for group in plan.problem.groups:
        g = group.index
        contents[g] = []
        for s in range(group.n_slots):
            chosen = [
                (candidate.id, k)
                for candidate in group.candidates
                for k in range(len(candidate.options))
                if values[plan.option[g, s, candidate.id, k].index]
            ]
            counts = [(p, values[count.index]) for p, count in plan.pairs.get((g, s), [])]
            contents[g].append(name_pairs(group, chosen, counts))
    return contents


class Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, plan: PlanModel, report: Callable[[int, int], None]) -> None:
        super().__init__()
        self.plan = plan
        self.report = report

    def on_solution_callback(self) -> None:
        plan = self.plan
        benefit = (
            sum(
                group.size * weight * self.value(plan.benefit[group.index, target])
                for group in plan.problem.groups
                for target, weight in group.weights.items()
            )
            - plan.problem.benefit_offset()
        )
        minutes = sum(
            group.size * self.value(plan.minutes[group.index, s])
            for group in plan.problem.groups
            for s in range(group.n_slots)
        )
        self.report(int(benefit), int(minutes))


class Interrupt:
    """Ctrl-C during a whole solve: it stops the search in progress, which keeps its best
    solution, and tells the next searches to stop at their first solution."""

    def __init__(self) -> None:
        self.pressed = False
        self.solver: cp_model.CpSolver | None = None

    def __call__(self, signum: int, frame: object) -> None:
        self.pressed = True
        if self.solver is not None:
            self.solver.stop_search()

    @contextlib.contextmanager
    def installed(self) -> Iterator[Interrupt]:
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = signal.signal(signal.SIGINT, self)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)


def solve_model(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    interrupt: Interrupt | None = None,
) -> tuple[cp_model.CpSolverStatus, bool]:
    """Solve in a worker thread so that Ctrl-C reaches Python at once. Returns the status
    and whether Ctrl-C was pressed; after it, the search ends at its first solution."""
    if interrupt is None or threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback), False
    solver.parameters.catch_sigint_signal = False
    if interrupt.pressed:
        solver.parameters.stop_after_first_solution = True
    outcome: list[cp_model.CpSolverStatus] = []
    worker = threading.Thread(target=lambda: outcome.append(solver.solve(model, callback)))
    interrupt.solver = solver
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        interrupt.solver = None
    return outcome[0], interrupt.pressed


class Run:
    """One solve of a Problem: the model, the clock, and the best plan so far."""

    def __init__(self, problem: Problem, options: SolveOptions) -> None:
        self.problem = problem
        self.options = options
        self.deadline = options.deadline or Deadline.after(options.time_limit)
        self.plan = build_model(problem)
        self.start = time.monotonic()
        self.best: dict[int, int] | None = None  # variable index -> value
        self.contents: Contents = {}
        self.benefit_units = 0
        self.minutes = 0
        self.stats: dict[str, object] = {"subproblems": 0}
        self.interrupted = False
        # The best plan was picked without thread timing (a canonical pick), so the same
        # seed gives the same plan.
        self.deterministic = False
        self.interrupt: Interrupt | None = None  # set while `solve` listens for Ctrl-C
        # A partial hint for the first search, before any plan (a replan's old plan).
        self.start_hint: dict[int, int] = {}
        # Called once the floor is met, before the objective (a replan offers its old plan).
        self.after_floor: Callable[[Run], None] | None = None
        # The canonical pick's constraint that keeps the proven optimum (a ratio or a
        # benefit); R18's preferences trade it for their tolerance.
        self.optimum_kept: cp_model.Constraint | None = None

    # --- helpers -------------------------------------------------------------------------

    def remaining(self) -> float:
        return self.deadline.remaining()

    def points(self, units: int) -> float:
        return self.problem.benefit_points(units)

    def ratio(self) -> float:
        return self.points(self.benefit_units) / self.minutes if self.minutes else 0.0

    def progress(self, phase: str, ratio: float, bound: float | None) -> None:
        if self.options.on_progress:
            elapsed = time.monotonic() - self.start
            self.options.on_progress(Progress(elapsed, ratio, bound, phase))

    def solver(self, time_limit: float, relative_gap: float = 0.0) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        parameters = solver.parameters
        parameters.max_time_in_seconds = max(0.05, time_limit)
        parameters.random_seed = self.options.seed
        parameters.num_workers = self.options.workers
        parameters.catch_sigint_signal = catches_sigint()
        # The bound comes from the linear relaxation: the LP-heavy workers prove optimality
        # several times faster than the default portfolio on 1-2 cores (benchmarks/).
        parameters.linearization_level = 2
        if self.options.workers >= 2:
            parameters.subsolvers.extend(["max_lp", "default_lp"])
            parameters.subsolvers.extend(["quick_restart"] * (self.options.workers > 2))
        parameters.log_search_progress = self.options.log
        parameters.relative_gap_limit = relative_gap
        return solver

    def run(
        self,
        phase: str,
        callback_ratio: bool = True,
        relative_gap: float = 0.0,
        time_limit: float | None = None,
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        model = self.plan.model
        model.clear_hints()
        hint = self.best if self.best is not None else self.start_hint
        for index, value in hint.items():
            model.add_hint(model.get_int_var_from_proto_index(index), value)
        limit = self.remaining() if time_limit is None else min(time_limit, self.remaining())
        solver = self.solver(limit, relative_gap)

        def report(benefit: int, minutes: int) -> None:
            if callback_ratio and minutes:
                self.progress(phase, max(self.ratio(), self.points(benefit) / minutes), None)

        status, interrupted = solve_model(
            solver, model, Callback(self.plan, report), self.interrupt
        )
        self.interrupted = self.interrupted or interrupted
        self.stats["subproblems"] = int(self.stats["subproblems"]) + 1  # type: ignore[call-overload]
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.record(solver)
        return solver, status

    def record(self, solver: cp_model.CpSolver) -> None:
        """Keep the solution as the new best and a complete hint for the next solve."""
        values, contents = read_solution(self.plan, solver)
        self.adopt(values, contents)

    def adopt(self, values: dict[int, int], contents: Contents) -> None:
        benefit_units, minutes = evaluate(self.problem, contents)
        doses = {g: week_dose(self.problem.group(g), slots)[0] for g, slots in contents.items()}
        for (g, target), var in self.plan.benefit.items():  # the hint's benefit is exact
            values[var.index] = curve_units(self.problem, target, doses[g][target])
        self.best = values
        self.contents = contents
        self.benefit_units, self.minutes = benefit_units, minutes

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    @staticmethod
    def ended_deterministically(solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> bool:
        """A deterministic search's plan is reproducible when the search ended by proof or
        by its deterministic-time budget, not when the wall clock cut it short."""
        if status == cp_model.OPTIMAL:
            return True
        spent = solver.response_proto.deterministic_time
        return status == cp_model.FEASIBLE and spent >= CANONICAL_DETERMINISTIC_TIME - 1e-3

    def deterministic_solver(self) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = self.options.seed
        solver.parameters.max_time_in_seconds = max(0.05, self.remaining())
        solver.parameters.max_deterministic_time = CANONICAL_DETERMINISTIC_TIME
        solver.parameters.catch_sigint_signal = catches_sigint()
        return solver
