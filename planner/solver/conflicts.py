"""Finding why hard rules leave no plan: a minimal set of conflicting (rule, week) pairs.

The model is built with every rule constraint hanging on a switch literal per rule id and
week. Solving under all switches as assumptions gives, when infeasible, a sufficient set
of them (`sufficient_assumptions_for_infeasibility`); deletion then shrinks it to a
minimal one: dropping any member makes the rest satisfiable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ortools.sat.python import cp_model

from planner.rules import BY_ID, R13
from planner.solver.model import PlanModel, build_model
from planner.solver.problem import Problem
from planner.solver.run import Deadline, catches_sigint

MIN_QUESTION_S = 0.2  # a feasibility question with less time than this is not asked

RuleWeek = tuple[str, int]


class OutOfTime(Exception):
    """The time budget ended before a question could be answered."""


class Explainer:
    """Feasibility questions about one problem, answered under assumptions. Each question
    takes at most `time_limit` seconds, and none starts after `deadline`."""

    def __init__(
        self,
        problem: Problem,
        time_limit: float = 10.0,
        seed: int = 0,
        deadline: Deadline | None = None,
    ) -> None:
        self.deadline = deadline
        self._time_left()
        self.problem = problem
        self.plan: PlanModel = build_model(problem, explain=True)
        self.time_limit = time_limit
        self.seed = seed

    def _time_left(self) -> float:
        """Seconds left for the next question; OutOfTime when too few are."""
        left = self.deadline.remaining() if self.deadline else math.inf
        if left < MIN_QUESTION_S:
            raise OutOfTime
        return left

    def keys(
        self, target_weeks: Iterable[int] | None = None, targets: Iterable[str] = (R13.id,)
    ) -> list[RuleWeek]:
        """Every hard rule's switch, and the dose rules `targets` in `target_weeks` (every
        week when None)."""
        weeks = None if target_weeks is None else set(target_weeks)
        wanted = set(targets)

        def asked(rule: str, week: int) -> bool:
            if BY_ID[rule].hard:
                return True
            return rule in wanted and (weeks is None or week in weeks)

        return sorted(key for key in self.plan.switches if asked(*key))

    def _solve(
        self, assumed: Iterable[RuleWeek]
    ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
        model = self.plan.model
        model.clear_assumptions()
        model.add_assumptions([self.plan.switches[key] for key in assumed])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = min(self.time_limit, self._time_left())
        solver.parameters.num_workers = 1  # cores are reported by the sequential search
        # The linear relaxation finds the plans of feasible questions fast: with paired sets
        # (R17), explaining a strict 2-week block took 29 s at the default level, 7.5 s here.
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = self.seed
        solver.parameters.catch_sigint_signal = catches_sigint()
        return solver.solve(model), solver

    def feasible(self, assumed: Iterable[RuleWeek]) -> bool | None:
        """True, False, or None when the time limit decided nothing."""
        status, _ = self._solve(assumed)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True
        if status == cp_model.INFEASIBLE:
            return False
        return None

    def minimal_conflict(self, assumed: list[RuleWeek]) -> list[RuleWeek] | None:
        """A minimal subset of `assumed` that cannot hold together, or None if they can."""
        status, solver = self._solve(assumed)
        if status != cp_model.INFEASIBLE:
            return None
        by_index = {self.plan.switches[key].index: key for key in assumed}
        core = [
            by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index
        ]
        if not core:
            core = list(assumed)
        for key in list(core):
            trial = [other for other in core if other != key]
            if trial and self.feasible(trial) is False:
                core = trial
        return sorted(core, key=lambda key: (key[1], key[0]))
