"""Solving a Problem: the floor (R13 alone, then R13 and R16 weighted) first, then the objective.

`efficiency` maximises benefit / minutes exactly by Dinkelbach iteration: with
lambda = B_k / M_k from the best plan so far, solve max M_k * B - B_k * M. A positive
optimum gives a plan with a better ratio; an optimum of 0 proves lambda optimal. Every
subproblem starts from a complete hint (the best plan so far). When time runs out, the
subproblem's bound UB gives ratio <= lambda + UB / (M_k * M_min), with M_min a lower bound
on the minutes of any plan that meets the floor.
"""

from __future__ import annotations

import functools
import math
import time
from fractions import Fraction

from ortools.sat.python import cp_model

from planner.solver.decompose import (
    DINKELBACH_GAP,
    PART_TIME_LIMIT,
    PART_WEEKS,
    by_parts,
    keep_if_whole,
    repair,
    repair_seams,
)
from planner.solver.model import pairings
from planner.solver.problem import Problem
from planner.solver.run import Interrupt, Run, SolveOptions
from planner.solver.solution import Solution, SolveStatus

MINUTES_BOUND_TIME = 3.0
RATIO_TOLERANCE = 1e-9  # a ratio this close to a proven bound meets it
PROBE_GAP = 0.005  # first bound probe: is any plan 0.5 % better than the incumbent?
MIN_SLICE_S = 3.0  # first time slice of a Dinkelbach subproblem
# The weighted floor (R16, R19 under R13's fixed count) may take this share of the time
# limit (at least FLOOR_MIN_S): its best shortfall then stands, proven or not, so that the
# ratio gets the rest. A floor not proven is recorded in the stats (`floor_status`).
FLOOR_SHARE, FLOOR_MIN_S = 0.15, 5.0
SLICE_SHARE = 0.1  # ... or this share of the time limit, whichever is longer


def _missed_hard_sessions(run: Run) -> cp_model.LinearExpr:
    """R13's shortfall alone: the hard sessions missed over the block (whole weeks
    counted), without the floor's weights."""
    plan = run.plan
    groups = list(plan.shortfall)
    sizes = [run.problem.group(g).size for g in groups]
    return cp_model.LinearExpr.weighted_sum([plan.shortfall[g] for g in groups], sizes)


def _minimise(
    run: Run, objective: cp_model.LinearExpr, time_limit: float | None = None
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """One floor search (all the time left, or `time_limit`, ended by proof); after Ctrl-C
    before any plan, a second search up to the first one."""
    run.plan.model.minimize(objective)
    solver, status = run.run("floor", callback_ratio=False, time_limit=time_limit)
    if run.interrupted and status == cp_model.UNKNOWN:
        solver, status = run.run("floor", callback_ratio=False)
    return solver, status


def _floor(run: Run) -> int | None:
    """Meet as much of the floor as the availability allows, R13 before anything else.

    First R13 alone: the fewest missed hard sessions, fixed as a limit. Then the weighted
    floor (`PlanModel.floor`: R13, then R16's minimum dose) under that limit. R13 does not
    hang on the weights being large enough or on the weighted search being finished: when
    time runs out in the second search, it keeps the first one's plan (or a better one),
    which has R13's fewest missed sessions that the first search found. Returns the
    weighted shortfall (summed over weeks), or None when no plan exists."""
    plan = run.plan
    ok = (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if plan.shortfall:
        sessions = _missed_hard_sessions(run)
        solver, status = _minimise(run, sessions)
        run.stats["floor_r13_status"] = solver.status_name(status)
        if status not in ok:
            run.stats["floor_status"] = solver.status_name(status)
            run.stats["floor_s"] = round(run.elapsed(), 2)
            run.stats["floor_infeasible"] = status == cp_model.INFEASIBLE
            return None
        least = round(solver.objective_value)
        run.stats["floor_r13_missed"] = least
        run.stats["floor_r13_s"] = round(run.elapsed(), 2)
        plan.model.add(sessions <= least)
    missing = plan.floor()
    share = max(FLOOR_MIN_S, FLOOR_SHARE * run.options.time_limit)
    solver, status = _minimise(run, missing, share)
    run.stats["floor_status"] = solver.status_name(status)
    run.stats["floor_s"] = round(run.elapsed(), 2)
    if status in ok:
        best = round(solver.objective_value)
    elif run.best is not None:
        # No time left for the weighted floor: the R13 search's plan stands, and its
        # weighted shortfall is the limit.
        best = sum(weight * run.best[var.index] for var, weight in plan.floor_terms())
    else:
        run.stats["floor_infeasible"] = status == cp_model.INFEASIBLE
        return None
    plan.model.add(missing <= best)
    return best


def _minutes_lower_bound(run: Run) -> float:
    """A proven lower bound on the minutes of any plan that meets the floor, from a short
    solve the first time it is asked; it turns a Dinkelbach subproblem's bound into a bound
    on the ratio."""
    if "minutes_lower_bound" not in run.stats:
        plan = run.plan
        plan.model.minimize(plan.total_minutes())
        limit = min(MINUTES_BOUND_TIME, 0.1 * run.options.time_limit, run.remaining())
        solver = run.solver(limit)
        solver.solve(plan.model)
        run.stats["minutes_lower_bound"] = max(0.0, float(solver.best_objective_bound))
    return float(run.stats["minutes_lower_bound"])  # type: ignore[arg-type]


def _item_ratio_bound(problem: Problem) -> float:
    """No plan beats its best unit at the first-segment slopes (concavity), where a session's
    units are its items done alone and its pairs (R17: a pair's minutes can be as little as
    its longer item's, so an item's own ratio bounds nothing once paired)."""
    best = 0.0
    for group in problem.groups:
        units: dict[tuple[str, int], int] = {}
        minutes: dict[tuple[str, int], int] = {}
        for candidate in group.candidates:
            for k, option in enumerate(candidate.options):
                units[candidate.id, k] = sum(
                    weight * problem.curves[target][0].slope * option.dose.get(target, 0)
                    for target, weight in group.weights.items()
                )
                minutes[candidate.id, k] = option.minutes
        for key, value in units.items():
            best = max(best, problem.benefit_points(value) / max(1, minutes[key]))
        for pairing in pairings(group):
            together = minutes[pairing.first[0]] + minutes[pairing.second[0]] - pairing.saves
            value = max(units[o] for o in pairing.first) + max(units[o] for o in pairing.second)
            best = max(best, problem.benefit_points(value) / max(1, together))
    return best


def _canonical(run: Run) -> None:
    """Pick one plan among the equally efficient ones, independent of thread timing.

    Keep the proven ratio (B / M >= B* / M*, in lowest terms) and maximise the benefit in a
    single-threaded search without hints, limited by deterministic time: the same model
    then gives the same plan whatever happened in the parallel search before.
    """
    plan = run.plan
    common = math.gcd(run.benefit_units, run.minutes) or 1
    units, minutes = run.benefit_units // common, run.minutes // common
    if minutes == 0:
        return
    run.optimum_kept = plan.model.add(
        minutes * plan.total_benefit() - units * plan.total_minutes() >= 0
    )
    plan.model.maximize(plan.total_benefit())
    plan.model.clear_hints()
    solver = run.deterministic_solver()
    started = time.monotonic()
    status = solver.solve(plan.model)
    run.stats["canonical_status"] = solver.status_name(status)
    run.stats["canonical_s"] = round(time.monotonic() - started, 3)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        run.record(solver)
        run.deterministic = run.ended_deterministically(solver, status)


def _canonical_total(run: Run) -> None:
    """Among plans of the most benefit, take the fewest minutes, then whatever a
    single-threaded search without hints finds first: independent of thread timing."""
    plan = run.plan
    run.optimum_kept = plan.model.add(plan.total_benefit() >= run.benefit_units)
    plan.model.minimize(plan.total_minutes())
    plan.model.clear_hints()
    solver = run.deterministic_solver()
    status = solver.solve(plan.model)
    run.stats["canonical_status"] = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        run.record(solver)
        run.deterministic = run.ended_deterministically(solver, status)


def _by_parts(run: Run, floor: int) -> tuple[float | None, bool]:
    """Dinkelbach by parts (decompose.py): by groups first, which is fast, when the groups
    bound the whole; otherwise by runs of weeks, which keep most links. The parts' plan
    then seeds the whole model. Returns a proven ratio bound, if any, and whether the best
    plan was picked canonically (kept as the parts chose it)."""
    assert run.best is not None
    start = {var.name: run.best[i] for i, var in enumerate(run.plan.model.proto.variables)}
    minimum_minutes = functools.partial(_minutes_lower_bound, run)
    parts = by_parts(run, floor, 1, start, minimum_minutes, exact_only=True)
    if parts is None and run.remaining() > 0.2 * run.options.time_limit:
        parts = by_parts(run, floor, PART_WEEKS, start, minimum_minutes)
    if parts is None:
        return None, False
    if keep_if_whole(run, parts.decisions):  # the parts' plan keeps the links between them
        return parts.bound, parts.proven and parts.deterministic
    # Mend the parts' plan where the cuts were, then seed the whole model from it: any plan
    # as good as theirs is welcome.
    if not repair_seams(run, parts, min(PART_TIME_LIMIT, 0.5 * run.remaining())):
        repair(run, parts, parts.units, parts.minutes, min(PART_TIME_LIMIT, 0.5 * run.remaining()))
    return parts.bound, False


def _dinkelbach(run: Run, floor: int) -> tuple[SolveStatus, float | None]:
    """Maximise benefit / minutes. Each subproblem runs for a time slice; an improving plan
    updates lambda at once (an inexact step still converges), and a slice without one
    doubles for the next try. Every subproblem's bound is a bound on the ratio; the
    tightest is reported when time runs out."""
    plan = run.plan
    benefit, minutes = plan.total_benefit(), plan.total_minutes()
    best_bound = _item_ratio_bound(run.problem)
    bound, canonical = _by_parts(run, floor)
    if bound is not None:
        best_bound = min(best_bound, bound)
        if run.ratio() >= bound - 1e-12:
            run.progress("ratio", run.ratio(), run.ratio())
            run.deterministic = canonical
            if not canonical:
                _canonical(run)
            return SolveStatus.OPTIMAL, run.ratio()
    minimum_minutes = _minutes_lower_bound(run)
    time_slice = max(MIN_SLICE_S, SLICE_SHARE * run.options.time_limit)
    probe_gap = PROBE_GAP
    iterations = 0
    while True:
        if run.minutes == 0:
            # The floor plan is empty (lambda = 0): max B - 0 * M is the most benefit. Zero
            # proves the empty plan optimal; anything more starts the iteration.
            plan.model.maximize(benefit)
        else:
            plan.model.maximize(run.minutes * benefit - run.benefit_units * minutes)
        lam, lam_units, lam_minutes = run.ratio(), run.benefit_units, run.minutes
        run.progress("ratio", lam, best_bound)
        # Within 10 % of the subproblem's optimum is enough to move lambda. At the optimal
        # lambda the incumbent is 0, and the relative gap |bound - 0| / max(1, 0) < 0.1
        # holds only once the bound is proven <= 0.
        started = time.monotonic()
        solver, status = run.run("ratio", relative_gap=DINKELBACH_GAP, time_limit=time_slice)
        iterations += 1
        run.stats["dinkelbach_iterations"] = iterations
        run.stats.setdefault("iteration_s", []).append(round(time.monotonic() - started, 2))  # type: ignore[attr-defined]
        solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if solved and lam_minutes > 0 and minimum_minutes > 0:
            upper = max(0.0, float(solver.best_objective_bound))
            gain = run.points(int(upper)) / (lam_minutes * minimum_minutes)
            best_bound = min(best_bound, lam + gain)
        improved = run.benefit_units * lam_minutes > lam_units * run.minutes or (
            lam_minutes == 0 and run.benefit_units > 0
        )
        proven = status == cp_model.OPTIMAL and solver.best_objective_bound < 1
        if proven and not improved and not run.interrupted:
            run.progress("ratio", run.ratio(), run.ratio())
            _canonical(run)
            return SolveStatus.OPTIMAL, run.ratio()
        if run.ratio() >= best_bound * (1 - RATIO_TOLERANCE) and not run.interrupted:
            # The plan meets a bound proven earlier (by parts or a subproblem): optimal.
            run.progress("ratio", run.ratio(), run.ratio())
            _canonical(run)
            return SolveStatus.OPTIMAL, run.ratio()
        if run.interrupted or run.remaining() <= 0.5:
            bound = max(best_bound, run.ratio())
            run.progress("ratio", run.ratio(), bound)
            return SolveStatus.FEASIBLE, bound
        if not improved and best_bound > run.ratio() * (1 + probe_gap):
            outcome, probed = _probe(run, probe_gap, time_slice)
            run.stats.setdefault("probes", []).append(f"{probe_gap:g}:{outcome}")  # type: ignore[attr-defined]
            if outcome == "bound":
                best_bound = min(best_bound, probed)
                probe_gap /= 4
            if outcome == "improved":
                continue
        if not improved:
            time_slice *= 2


def _probe(run: Run, gap: float, time_limit: float) -> tuple[str, float]:
    """Is there a plan better than (1 + gap) x the incumbent's ratio? Proving there is none
    bounds the ratio within `gap`; finding one improves the incumbent. Returns ("bound",
    ratio), ("improved", ratio) or ("open", ratio)."""
    plan = run.plan
    scale = 10_000
    numerator = run.benefit_units * round(scale * (1 + gap))
    denominator = run.minutes * scale
    common = math.gcd(numerator, denominator)
    numerator, denominator = numerator // common, denominator // common
    probed = run.points(numerator) / denominator
    better = denominator * plan.total_benefit() - numerator * plan.total_minutes()
    literal = plan.model.new_bool_var(f"probe[{probed:.6f}]")
    plan.model.add(better >= 1).only_enforce_if(literal)
    plan.model.maximize(better)
    plan.model.add_assumptions([literal])
    try:
        before = (run.benefit_units, run.minutes)
        _, status = run.run("probe", time_limit=time_limit)
    finally:
        plan.model.clear_assumptions()
    if status == cp_model.INFEASIBLE:
        return "bound", probed
    if (run.benefit_units, run.minutes) != before and status in (
        cp_model.OPTIMAL,
        cp_model.FEASIBLE,
    ):
        return "improved", probed
    return "open", probed


def solve(problem: Problem, options: SolveOptions | None = None) -> Solution:
    """Solve a problem. Ctrl-C, even while the model is being built, ends the solve with
    the best plan found (or the first one, if none was found yet)."""
    with Interrupt().installed() as interrupt:
        run = Run(problem, options or SolveOptions())
        run.interrupt = interrupt
        run.interrupted = interrupt.pressed
        return _solve(run)


def _solve(run: Run) -> Solution:
    optimum = optimise(run)
    if isinstance(optimum, Solution):
        return optimum
    return solution_of(run, *optimum)


def optimise(run: Run) -> Solution | tuple[SolveStatus, float | None, float | None]:
    """The floor, then the objective: (status, ratio bound, benefit bound) with the best plan
    in `run`, or a Solution without a plan."""
    problem = run.problem
    floor = _floor(run)
    if floor is None:
        infeasible = bool(run.stats.get("floor_infeasible"))
        status = SolveStatus.INFEASIBLE if infeasible else SolveStatus.UNKNOWN
        stats = run.stats | {"time_s": run.elapsed(), "interrupted": run.interrupted}
        return Solution(status=status, stats=stats)
    run.stats["floor_missing_sessions"] = floor
    if run.after_floor is not None and not run.interrupted:
        run.after_floor(run)
    ratio_bound: float | None
    benefit_bound: float | None = None
    if run.interrupted:
        status, ratio_bound = SolveStatus.FEASIBLE, _item_ratio_bound(problem)
    elif problem.scenario.objective == "total":
        run.plan.model.maximize(run.plan.total_benefit())
        solver, status_code = run.run("total")
        status = SolveStatus.OPTIMAL if status_code == cp_model.OPTIMAL else SolveStatus.FEASIBLE
        ratio_bound = None
        benefit_bound = run.points(int(solver.best_objective_bound))
        if status == SolveStatus.OPTIMAL:
            _canonical_total(run)
    else:
        status, ratio_bound = _dinkelbach(run, floor)
    if problem.scenario.coach.prefer and not run.interrupted:
        _preferences(run)
    return status, ratio_bound, benefit_bound


def _preferences(run: Run) -> None:
    """R18's `prefer`: the most weeks holding each preferred exercise, among the plans that
    keep the floor and lose at most `coach.tolerance` of the best plan's benefit per minute
    (of its benefit, with `objective: total`). Like `_canonical`, a single-threaded search
    limited by deterministic time, hinted only by a plan that was itself picked
    deterministically, so the pick does not depend on thread timing. It is kept when it
    holds more preferred weeks than the best plan. The status and bound stay those of the
    objective: the best ratio's."""
    problem, plan = run.problem, run.plan
    coach = problem.scenario.coach
    terms = [
        (plan.uses(group.index, exercise), group.size)
        for group in problem.groups
        for exercise in coach.prefer
        if any(candidate.id == exercise for candidate in group.candidates)
    ]
    if not terms or run.minutes == 0:
        return
    if run.optimum_kept is not None:  # the tolerance below replaces the optimum's constraint
        run.optimum_kept.proto.clear_linear()
    keep = 1 - Fraction(round(coach.tolerance * 10_000), 10_000)
    benefit, minutes = plan.total_benefit(), plan.total_minutes()
    if problem.scenario.objective == "total":
        plan.model.add(keep.denominator * benefit >= keep.numerator * run.benefit_units)
    else:
        # B / M >= keep * B* / M*, as q * B >= p * M with p / q <= keep * B* / M* (the best
        # plan stays feasible; a denominator of at most 10^6 keeps the coefficients small).
        best = Fraction(run.benefit_units, run.minutes)
        least = min((keep * best).limit_denominator(10**6), best)
        plan.model.add(least.denominator * benefit >= least.numerator * minutes)
    held = sum(
        group.size
        for group in problem.groups
        for exercise in coach.prefer
        if any(pick.exercise == exercise for slot in run.contents[group.index] for pick in slot)
    )
    weeks = cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [size for _, size in terms])
    plan.model.maximize(weeks)
    plan.model.clear_hints()
    if run.deterministic and run.best is not None:
        for index, value in run.best.items():
            plan.model.add_hint(plan.model.get_int_var_from_proto_index(index), value)
    solver = run.deterministic_solver()
    status = solver.solve(plan.model)
    run.stats["prefer_status"] = solver.status_name(status)
    run.stats["prefer_weeks"] = held
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value > held:
        run.stats["prefer_weeks"] = int(solver.objective_value)
        run.record(solver)
        run.deterministic = run.deterministic and run.ended_deterministically(solver, status)


def solution_of(
    run: Run, status: SolveStatus, ratio_bound: float | None, benefit_bound: float | None
) -> Solution:
    """The best plan of `run` in the project's own types."""
    assert run.best is not None
    contents = {g: [list(slot) for slot in slots] for g, slots in run.contents.items()}
    placements = {
        (week, s): date
        for (week, s, date), var in run.plan.place.items()
        if run.best[var.index] == 1
    }
    shortfall = {g: run.best[var.index] for g, var in run.plan.shortfall.items()}
    dose_shortfall = {
        key: run.best[var.index]
        for key, var in run.plan.dose_shortfall.items()
        if run.best[var.index] > 0
    }
    return Solution(
        status=status,
        contents=contents,
        placements=placements,
        benefit_units=run.benefit_units,
        minutes=run.minutes,
        ratio_bound=ratio_bound,
        benefit_bound=benefit_bound,
        shortfall=shortfall,
        dose_shortfall=dose_shortfall,
        stats=run.stats | {"time_s": round(run.elapsed(), 3), "interrupted": run.interrupted},
        deterministic=run.deterministic and status == SolveStatus.OPTIMAL,
    )
