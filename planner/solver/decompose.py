"""Dinkelbach by parts: each group of weeks solved on its own, then checked as a whole.

With lambda fixed, the subproblem max M_k * B - B_k * M is a sum over groups of weeks. Only
a few rules link groups (R3 across a week boundary, R6, R8, R9, R12, and the R13 floor
total). Dropping those links gives a relaxation that splits into one small model per group.
Its Dinkelbach optimum lambda* bounds the true ratio from above; when the combined plan
also keeps the links, which is the common case, it is feasible for the whole model and so
proven optimal. Otherwise lambda* still stands as a bound and the whole model takes over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.problem import Group, evaluate
from planner.solver.model import PlanModel, build_model

PART_TIME_LIMIT = 20.0


@dataclass
class _Part:
    group: Group
    plan: PlanModel
    values: dict[int, int] = field(default_factory=dict)  # last solution, for the hint
    slots: list[list[tuple[str, int]]] = field(default_factory=list)
    bound: float = 0.0  # proven bound of the last subproblem
    proven: bool = False


def _names(plan: PlanModel) -> dict[str, int]:
    return {var.name: index for index, var in enumerate(plan.model.proto.variables)}


def _hint(part: _Part, values: dict[int, int], source: dict[str, int] | None = None) -> None:
    """Hint a part from values keyed by index (its own, or by name from `source`)."""
    model = part.plan.model
    model.clear_hints()
    if source is None:
        for index, value in values.items():
            model.add_hint(model.get_int_var_from_proto_index(index), value)
        return
    for index, var in enumerate(model.proto.variables):
        if var.name in source and source[var.name] in values:
            model.add_hint(model.get_int_var_from_proto_index(index), values[source[var.name]])


def _solve_part(run: object, part: _Part, time_limit: float, workers: int) -> int:
    from planner.solver.solve import _Run, read_solution, solve_model

    assert isinstance(run, _Run)
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(0.05, min(time_limit, run.remaining()))
    parameters.random_seed = run.options.seed
    parameters.num_workers = workers
    parameters.linearization_level = 2
    if workers >= 2:
        parameters.subsolvers.extend(["max_lp", "default_lp"])
    status, interrupted = solve_model(solver, part.plan.model)
    run.interrupted = run.interrupted or interrupted
    run.stats["subproblems"] = int(run.stats["subproblems"]) + 1  # type: ignore[call-overload]
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        part.values, contents = read_solution(part.plan, solver)
        part.slots = contents[part.group.index]
        part.bound = float(solver.best_objective_bound)
        part.proven = status == cp_model.OPTIMAL
    return status


def decomposed_dinkelbach(run: object, floor: int) -> float | None:
    """Run Dinkelbach by parts from the floor plan. Returns the relaxation's proven ratio
    bound, or None when the parts do not bound the whole; either way it leaves in `run`
    the best plan found that is feasible for the whole model."""
    from planner.solver.solve import _deterministic_solver, _Run, read_solution

    assert isinstance(run, _Run)
    problem, options = run.problem, run.options
    started = time.monotonic()
    full_names = _names(run.plan)
    parts = []
    least: dict[int, int] = {}  # fewest missed hard sessions a group can have on its own
    for group in problem.groups:
        part = _Part(group, build_model(problem.part([group])))
        part.plan.model.minimize(part.plan.shortfall[group.index])
        assert run.best is not None
        _hint(part, run.best, full_names)
        if _solve_part(run, part, PART_TIME_LIMIT, options.workers) != cp_model.OPTIMAL:
            return None
        least[group.index] = round(part.bound)
        parts.append(part)
    # When every group can reach its own least at once (the floor total equals their sum),
    # capping each part there is exact and the parts' optimum bounds the whole. Otherwise
    # the links cost sessions somewhere; the parts then keep the floor plan's shortfalls, a
    # restriction that still finds good plans but proves nothing.
    total_least = sum(part.group.size * least[part.group.index] for part in parts)
    exact = total_least == floor
    run.stats["parts_exact"] = exact
    for part in parts:
        shortfall = part.plan.shortfall[part.group.index]
        cap = least[part.group.index] if exact else run.best[full_names[shortfall.name]]
        part.plan.model.add(shortfall <= cap)

    lam_units, lam_minutes = run.benefit_units, run.minutes
    iterations = 0
    while run.remaining() > 0.5 and not run.interrupted:
        iterations += 1
        for part in parts:
            plan = part.plan
            if lam_minutes == 0:
                plan.model.maximize(plan.total_benefit())
            else:
                plan.model.maximize(
                    lam_minutes * plan.total_benefit() - lam_units * plan.total_minutes()
                )
            _hint(part, part.values)
            _solve_part(run, part, PART_TIME_LIMIT, options.workers)
        contents = {part.group.index: part.slots for part in parts}
        units, minutes = evaluate(problem, contents)
        improved = units * lam_minutes > lam_units * minutes or (lam_minutes == 0 and units > 0)
        run.progress("parts", problem.benefit_points(units) / max(1, minutes), None)
        if improved:
            lam_units, lam_minutes = units, minutes
            continue
        if not all(part.proven for part in parts):
            return None
        break
    else:
        return None
    run.stats["parts_iterations"] = iterations
    run.stats["parts_s"] = round(time.monotonic() - started, 2)
    bound: float | None = None
    if exact:
        bound = problem.benefit_points(lam_units) / lam_minutes if lam_minutes else 0.0
        _canonical_parts(run, parts, lam_units, lam_minutes)
    values = {}
    for part in parts:  # the decisions only; auxiliary literals follow from them
        decisions = [*part.plan.option.values(), *part.plan.place.values()]
        decisions += [*part.plan.active.values(), *part.plan.hard.values()]
        for var in decisions:
            values[full_names[var.name]] = part.values[var.index]
    run.stats["parts_missing_sessions"] = sum(
        part.group.size * part.values[part.plan.shortfall[part.group.index].index] for part in parts
    )
    # Does the combined plan keep the links between groups? Ask the whole model with the
    # decisions fixed (one thread: the answer is deterministic).
    plan = run.plan
    model = plan.model
    model.clear_objective()
    model.clear_hints()
    for index, value in values.items():
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    solver = _deterministic_solver(run)
    solver.parameters.fix_variables_to_their_hinted_value = True
    status = solver.solve(model)
    run.stats["parts_whole_check"] = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        run.record(solver)
        return bound
    # It does not: repair it in the whole model, keeping whatever beats the floor plan.
    plan.model.maximize(lam_minutes * plan.total_benefit() - lam_units * plan.total_minutes())
    solver = run.solver(min(PART_TIME_LIMIT, run.remaining()))
    status = solver.solve(model)
    run.stats["parts_whole_repair"] = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        candidate_values, contents = read_solution(plan, solver)
        units, minutes = evaluate(problem, contents)
        if minutes and units * run.minutes > run.benefit_units * minutes:
            run.adopt(candidate_values, contents)
    return bound


def _canonical_parts(run: object, parts: list[_Part], lam_units: int, lam_minutes: int) -> None:
    """Pick each part's plan canonically: keep its proven optimal value at lambda* and
    maximise its benefit in a single-threaded search without hints, so the combined plan
    does not depend on thread timing."""
    from planner.solver.solve import _deterministic_solver, _Run, read_solution

    assert isinstance(run, _Run)
    for part in parts:
        plan = part.plan
        value = lam_minutes * plan.total_benefit() - lam_units * plan.total_minutes()
        plan.model.add(value >= round(part.bound))
        plan.model.maximize(plan.total_benefit())
        plan.model.clear_hints()
        solver = _deterministic_solver(run)
        status = solver.solve(plan.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            part.values, contents = read_solution(plan, solver)
            part.slots = contents[part.group.index]
