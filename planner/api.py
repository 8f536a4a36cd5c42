"""The library entry points the CLI and the benchmarks call."""

from __future__ import annotations

from planner.catalog import Catalog
from planner.errors import InfeasibleError, NoPlanFoundError
from planner.explain import explain
from planner.plan import Plan, Warning_
from planner.plan_builder import build_plan
from planner.problem import Problem, build_problem
from planner.scenario import Scenario
from planner.solution import SolveStatus
from planner.solver import SolveOptions, solve

EXPLAINED_WARNINGS = 3  # missed-target weeks explained per plan (each costs a few solves)
EXPLAIN_TIME_LIMIT = 10.0


def plan_scenario(
    scenario: Scenario, options: SolveOptions | None = None, catalog: Catalog | None = None
) -> Plan:
    """Solve a scenario to a plan. Raises InfeasibleError (with an explanation in coaching
    terms) or NoPlanFoundError."""
    options = options or SolveOptions()
    problem = build_problem(scenario, catalog=catalog)
    solution = solve(problem, options)
    if solution.status == SolveStatus.INFEASIBLE:
        explanation = explain(problem, time_limit=EXPLAIN_TIME_LIMIT)
        message = "No plan satisfies the hard rules for this scenario."
        if explanation is not None:
            message += "\n" + explanation.text()
        raise InfeasibleError(message, explanation)
    if solution.status == SolveStatus.UNKNOWN:
        if solution.stats.get("interrupted"):
            raise NoPlanFoundError("Interrupted before any plan was found.")
        raise NoPlanFoundError(
            f"No plan was found within {options.time_limit:g} s; try a longer --time-limit."
        )
    # No timings here: a plan proven optimal is byte-identical from run to run.
    settings: dict[str, object] = {
        "seed": options.seed,
        "workers": options.workers,
        "time_limit_s": options.time_limit,
        "deterministic": solution.status == SolveStatus.OPTIMAL,
    }
    plan = build_plan(problem, solution, settings)
    if plan.objective.minutes == 0:
        plan.warnings.insert(0, _empty_plan_warning(problem))
    elif not solution.stats.get("interrupted"):
        _explain_warnings(problem, plan)
    return plan


def _empty_plan_warning(problem: Problem) -> Warning_:
    """Why a plan has no session at all, and what would give it one."""
    minimum = problem.scenario.rules.min_session_minutes
    usable = [day for day in problem.calendar.days if day.session_allowed]
    longest = max((day.available_minutes for day in usable), default=0)
    if longest < minimum:
        message = (
            f"No session fits: no day has {minimum} min or more available "
            f"(the longest has {longest} min; R1)"
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
    return Warning_(rule="R1", week=None, message=message, suggestion=suggestion)


def _explain_warnings(problem: Problem, plan: Plan) -> None:
    """Replace the first missed-target warnings' suggestions with verified ones."""
    explained: dict[int, tuple[str, str]] = {}
    group_of = problem.group_of_week()
    for warning in plan.warnings:
        if warning.rule != "R13" or warning.week is None:
            continue
        group = group_of[warning.week].index
        if group not in explained and len(explained) < EXPLAINED_WARNINGS:
            explanation = explain(problem, [warning.week], EXPLAIN_TIME_LIMIT)
            if explanation is not None:
                explained[group] = (
                    " ".join(explanation.sentences),
                    "; or ".join(r.text for r in explanation.relaxations),
                )
        if group in explained:
            message, suggestion = explained[group]
            _update(warning, message, suggestion)


def _update(warning: Warning_, message: str, suggestion: str) -> None:
    warning.message = message
    if suggestion:
        warning.suggestion = suggestion
