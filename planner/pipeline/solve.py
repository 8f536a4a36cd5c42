"""The one solve pipeline: scenario -> problem -> solve -> plan -> explanations.

The CLI, the benchmarks and the tests all call `solve_scenario`. One time budget covers
the whole of it: building the problem, the search, and the verified explanations of missed
targets. Explanations that do not fit are left out, and the plan says so.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from planner.domain.catalog import Catalog
from planner.domain.plan import Plan, Warning_
from planner.domain.scenario import Scenario
from planner.errors import InfeasibleError, NoPlanFoundError
from planner.io.digest import scenario_sha256
from planner.pipeline.explain import Explanation, explain
from planner.pipeline.reasons import add_why
from planner.rules import R1, R13, R16
from planner.solver.conflicts import OutOfTime
from planner.solver.plan_builder import build_plan, group_warnings
from planner.solver.problem import Problem, Restrictions, build_problem
from planner.solver.replan import Keep, items_of, solve_from
from planner.solver.run import Deadline, SolveOptions
from planner.solver.solution import Solution, SolveStatus
from planner.solver.solve import solve

EXPLAINED_WARNINGS = 3  # missed-target weeks explained per plan (each costs a few solves)
EXPLAIN_TIME_LIMIT = 10.0  # per feasibility question
NOT_VERIFIED = "not verified within the time limit"
NO_PLAN = "No plan satisfies the hard rules for this scenario."
CHURN_TOLERANCE = 0.02  # of the best ratio, given up by default to change fewer days


@dataclass(frozen=True)
class Timings:
    """Wall seconds of each stage; they add up to `total_s`."""

    problem_s: float
    solve_s: float
    explain_s: float

    @property
    def total_s(self) -> float:
        return self.problem_s + self.solve_s + self.explain_s


@dataclass
class Result:
    """Everything one solve produced, for the CLI, a batch or a replan to reuse."""

    status: SolveStatus
    plan: Plan | None
    timings: Timings
    problem: Problem
    solution: Solution
    bound: float | None = None  # proven upper bound on benefit per minute (efficiency)
    explanation: Explanation | None = None  # why no plan exists (infeasible)
    explained: dict[int, Explanation] = field(default_factory=dict)  # week -> missed target
    exercises: int = 0  # candidate exercises left after filtering and dominance
    interrupted: bool = False
    stats: dict[str, object] = field(default_factory=dict)

    def plan_or_raise(self, time_limit: float) -> Plan:
        """The plan; InfeasibleError (exit 4) or NoPlanFoundError (exit 5) without one."""
        if self.status == SolveStatus.INFEASIBLE:
            message = NO_PLAN
            if self.explanation is not None:
                message += "\n" + self.explanation.text()
            elif self.stats.get("explanation_out_of_time"):
                message += f"\n(Why was {NOT_VERIFIED}; try a longer --time-limit.)"
            raise InfeasibleError(message, self.explanation)
        if self.plan is None:
            if self.interrupted:
                raise NoPlanFoundError("Interrupted before any plan was found.")
            raise NoPlanFoundError(
                f"No plan was found within {time_limit:g} s; try a longer --time-limit."
            )
        return self.plan


@dataclass(frozen=True)
class Churn:
    """The fewest-changes stage of a re-solve: the weight of a change on each day that may
    change (nearer days weigh more), and the share of the best ratio the plan may give up
    to change fewer days."""

    weights: Mapping[dt.date, int]
    tolerance: float = CHURN_TOLERANCE
    booked: Mapping[dt.date, int] = field(default_factory=dict)  # a moved class seat's extra


def solve_scenario(
    scenario: Scenario,
    options: SolveOptions | None = None,
    catalog: Catalog | None = None,
    *,
    base: Plan | None = None,
    restrictions: Restrictions | None = None,
    churn: Churn | None = None,
) -> Result:
    """Solve a scenario within `options.time_limit` seconds of wall time, all stages
    included. Never raises for a scenario without a plan: the Result says why.

    A re-solve keeps `restrictions` (given days, limits) on top of the scenario and its
    coach's say; a `base` plan is its hint and, with `churn`, what it changes as little as
    possible within the tolerance (replan, `planner why`)."""
    options = options or SolveOptions()
    deadline = options.deadline or Deadline.after(options.time_limit)
    started = time.monotonic()
    problem = build_problem(scenario, catalog=catalog, restrictions=restrictions)
    built = time.monotonic()
    timed = replace(options, deadline=deadline)
    if base is None:
        solution = solve(problem, timed)
    else:
        given = restrictions.sessions() if restrictions else {}
        weights = dict(churn.weights) if churn else {}
        keep = Keep(
            sessions={d.date: items_of(d.session) for d in base.days if d.date not in given},
            weights=weights,
            tolerance=churn.tolerance if churn else 0.0,
            booked=dict(churn.booked) if churn else {},
        )
        solution = solve_from(problem, keep, timed)
    solved = time.monotonic()
    result = Result(
        status=solution.status,
        plan=None,
        timings=Timings(built - started, solved - built, 0.0),
        problem=problem,
        solution=solution,
        bound=solution.ratio_bound,
        exercises=len({c.id for group in problem.groups for c in group.candidates}),
        interrupted=bool(solution.stats.get("interrupted")),
        stats=dict(solution.stats),
    )
    if solution.status == SolveStatus.INFEASIBLE:
        if options.explain:
            try:
                result.explanation = explain(problem, None, EXPLAIN_TIME_LIMIT, deadline)
            except OutOfTime:
                result.stats["explanation_out_of_time"] = True
    elif solution.status != SolveStatus.UNKNOWN:
        result.plan = _plan(problem, solution, options, result, deadline, restrictions, base)
    result.timings = Timings(built - started, solved - built, time.monotonic() - solved)
    return result


def plan_scenario(
    scenario: Scenario, options: SolveOptions | None = None, catalog: Catalog | None = None
) -> Plan:
    """`solve_scenario`, raising InfeasibleError or NoPlanFoundError when there is no plan."""
    options = options or SolveOptions()
    return solve_scenario(scenario, options, catalog).plan_or_raise(options.time_limit)


def _plan(
    problem: Problem,
    solution: Solution,
    options: SolveOptions,
    result: Result,
    deadline: Deadline,
    restrictions: Restrictions | None,
    base: Plan | None,
) -> Plan:
    # No timings here: a plan proven optimal is byte-identical from run to run.
    settings: dict[str, object] = {
        "seed": options.seed,
        "workers": options.workers,
        "time_limit_s": options.time_limit,
        "deterministic": solution.deterministic,
    }
    if not restrictions:
        # What was solved: a batch skips an athlete whose plan records the same scenario.
        settings["scenario_sha256"] = scenario_sha256(problem.scenario)

    def explain_warnings(plan: Plan) -> None:
        if options.explain and not result.interrupted:
            result.explained = _explain_warnings(problem, plan, deadline)

    return plan_of(problem, solution, settings, restrictions, base, explain_warnings)


def plan_of(
    problem: Problem,
    solution: Solution,
    settings: dict[str, object],
    restrictions: Restrictions | None = None,
    base: Plan | None = None,
    explain: Callable[[Plan], None] | None = None,
) -> Plan:
    """The plan of a solution (`build_plan`) with its why and its warnings grouped; `explain`
    sees a plan with sessions before its warnings are grouped. A studio's one model builds
    its athletes' plans with it too."""
    plan = build_plan(problem, solution, settings, restrictions, base)
    add_why(plan, problem.scenario, problem.calendar)
    if plan.objective.minutes == 0:
        plan.warnings.insert(0, _empty_plan_warning(problem))
    elif explain is not None:
        explain(plan)
    plan.warnings = group_warnings(plan.warnings)
    return plan


def _empty_plan_warning(problem: Problem) -> Warning_:
    """Why a plan has no session at all, and what would give it one."""
    minimum = problem.scenario.rules.min_session_minutes
    usable = [day for day in problem.calendar.days if day.session_allowed]
    longest = max((day.available_minutes for day in usable), default=0)
    if longest < minimum:
        message = (
            f"No session fits: no day has {minimum} min or more available "
            f"(the longest has {longest} min; {R1.id})"
        )
    else:
        message = (
            "No session fits: on the days with time, no session that opens with hip or "
            "ankle mobility and ends with core work stays within the rules (R1, R2)"
        )
    suggestion = (
        f"give one or two days {max(minimum, 20)}-30 min in availability.weekly, "
        f"or lower rules.min_session_minutes (now {minimum})"
    )
    return Warning_(rule=R1.id, week=None, message=message, suggestion=suggestion)


def _explain_warnings(problem: Problem, plan: Plan, deadline: Deadline) -> dict[int, Explanation]:
    """Replace the first missed-target warnings' suggestions with verified ones: R13's by
    group of weeks (the weeks of a group share their sessions), R16's by week, asked with
    R13 and R16 held in that week. An R16 warning keeps its own message (what is short, and
    by how much) and adds what stands in the way. Those the time budget leaves no room for
    keep their first suggestion, marked as not verified."""
    by_key: dict[tuple[str, int], Explanation | None] = {}
    explained: dict[int, Explanation] = {}
    group_of = problem.group_of_week()
    out_of_time = False
    for warning in plan.warnings:
        if warning.rule not in (R13.id, R16.id) or warning.week not in group_of:
            continue  # not about a planned week (a re-solve's weeks before its date)
        assert warning.week is not None
        targets: tuple[str, ...]
        if warning.rule == R13.id:
            key, targets = (R13.id, group_of[warning.week].index), (R13.id,)
        else:
            key, targets = (R16.id, warning.week), (R13.id, R16.id)
        found = sum(explanation is not None for explanation in by_key.values())
        if key not in by_key and found < EXPLAINED_WARNINGS and not out_of_time:
            try:
                by_key[key] = explain(
                    problem, [warning.week], EXPLAIN_TIME_LIMIT, deadline, targets
                )
            except OutOfTime:
                out_of_time = True
        if key in by_key:
            explanation = by_key[key]
            if explanation is not None:
                explained.setdefault(warning.week, explanation)
                sentences = " ".join(explanation.sentences)
                if warning.rule == R13.id:
                    warning.message = sentences
                elif sentences not in warning.message:
                    warning.message = f"{warning.message}. {sentences}"
                suggestion = "; or ".join(r.text for r in explanation.relaxations)
                if suggestion:
                    warning.suggestion = suggestion
        elif out_of_time:
            warning.suggestion = f"{warning.suggestion} ({NOT_VERIFIED})"
    return explained
