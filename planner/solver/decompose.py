"""Dinkelbach by parts: runs of consecutive weeks solved on their own, then as a whole.

With lambda fixed, the subproblem max M_k * B - B_k * M is a sum over groups of weeks. Only
a few rules link groups (R3 across a week boundary, R6, R8, R9, R12, and the floor total
of R13 and R16). The weeks are cut into parts of about `PART_WEEKS` consecutive weeks; the
links inside a part stay, those between parts are dropped. That relaxation splits into one small
model per part, and its Dinkelbach optimum lambda* bounds the true ratio from above. When
the combined plan also keeps the links between parts, or the whole model repairs it at no
loss, lambda* is proven optimal. Otherwise it still stands as a bound and the whole model
takes over from the best plan found.

Paired sets (R17) keep this sound: a pair joins two items of one session, so the minutes it
saves belong to one slot of one group. Each part's model pairs exactly as the whole does, and
the subproblem stays a sum over groups.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.solver.model import PlanModel, build_model
from planner.solver.problem import Group, Problem, evaluate
from planner.solver.run import Contents, Run, read_solution, solve_model

DINKELBACH_GAP = 0.1  # a Dinkelbach step may stop within 10 % of its optimum
PART_WEEKS = 6  # weeks per part: small enough to solve fast, long enough to keep most links
PART_TIME_LIMIT = 20.0
STEP_TIME_LIMIT = 5.0  # a part's Dinkelbach step before the proving pass
# The parts' search and their canonical picks leave this share of the time limit to the
# whole model: the parts' plan is worth nothing until the whole model has checked it (and
# mended its seams). A pick cut short leaves the plan as the parts found it (not
# reproducible).
WHOLE_RESERVE_SHARE = 0.2
KEEP_CHECK_S = 2.0  # checking that a combined plan keeps the links (usually 0.1 s)
BOUND_RESERVE_S = 3.5  # an unfinished search's bound asks for the fewest minutes (3 s)


@dataclass
class _Part:
    groups: list[Group]
    plan: PlanModel
    values: dict[int, int] = field(default_factory=dict)  # last solution, for the hint
    contents: Contents = field(default_factory=dict)
    bound: float = 0.0  # proven bound of the last subproblem
    proven: bool = False

    def missing(self) -> cp_model.LinearExpr:
        """The part's weighted floor shortfall (R13, R16, R19), summed over its weeks."""
        return self.plan.floor()

    def objective(self, units: int, minutes: int) -> cp_model.LinearExpr:
        benefit = self.plan.total_benefit()
        if minutes == 0:
            return benefit
        return minutes * benefit - units * self.plan.total_minutes()


def split(problem: Problem, weeks_per_part: int = PART_WEEKS) -> list[list[Group]]:
    """Groups in calendar order, cut into runs of about `weeks_per_part` weeks. A cut
    falls only where a mesocycle other than the peak begins: a mesocycle's weeks and the
    deload or taper that closes it stay in one part, and so does a peak with the mesocycle
    before it, so R8's honest deload (nothing its mesocycle did not hold) and R14's peak
    (what the mesocycle before it held) stay inside the parts, which can then reach the
    bound."""
    parts: list[list[Group]] = [[]]
    for group in sorted(problem.groups, key=lambda g: g.weeks[0]):
        current = parts[-1]
        full = sum(g.size for g in current) >= weeks_per_part
        begins = group.mesocycle != current[-1].mesocycle if current else False
        if full and begins and group.phase != "peak":  # a peak keeps its build (R14)
            parts.append([])
        parts[-1].append(group)
    return parts


def _hint_by_name(model: cp_model.CpModel, values: dict[str, int]) -> None:
    model.clear_hints()
    for index, var in enumerate(model.proto.variables):
        if var.name in values:
            model.add_hint(model.get_int_var_from_proto_index(index), values[var.name])


def _solve_part(
    run: Run, part: _Part, time_limit: float, hint: dict[str, int], relative_gap: float = 0.0
) -> cp_model.CpSolverStatus:
    _hint_by_name(part.plan.model, hint)
    solver = run.solver(min(time_limit, run.remaining()), relative_gap)
    status, interrupted = solve_model(solver, part.plan.model, interrupt=run.interrupt)
    run.interrupted = run.interrupted or interrupted
    run.stats["subproblems"] = int(run.stats["subproblems"]) + 1  # type: ignore[call-overload]
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        part.values, part.contents = read_solution(part.plan, solver)
        part.bound = float(solver.best_objective_bound)
        # OPTIMAL also means "within the relative gap": proven only when the gap is closed.
        part.proven = status == cp_model.OPTIMAL and part.bound <= solver.objective_value + 0.5
    else:
        part.bound, part.proven = math.inf, False  # no bound at this lambda
    return status


def _names(plan: PlanModel, values: dict[int, int]) -> dict[str, int]:
    variables = plan.model.proto.variables
    return {variables[index].name: value for index, value in values.items()}


def _decisions(part: _Part) -> dict[str, int]:
    """The part's decisions by name; auxiliary literals follow from them. The pair counts
    (R17) are decisions too: left free, a check of the plan could drop its pairs."""
    plan = part.plan
    decisions = [*plan.option.values(), *plan.place.values()]
    decisions += [*plan.active.values(), *plan.hard.values()]
    decisions += [count for counts in plan.pairs.values() for _, count in counts]
    return {var.name: part.values[var.index] for var in decisions}


@dataclass
class PartsResult:
    """The combined plan of one pass by parts, and what it proves."""

    decisions: dict[str, int]  # the whole model's decision variables by name
    units: int
    minutes: int
    bound: float | None  # proven ratio bound, when the parts are a relaxation of the whole
    seams: frozenset[int] = frozenset()  # groups next to a cut between parts
    deterministic: bool = False  # each part's plan was picked canonically, to the end
    proven: bool = False  # `bound` is the parts' optimum (reached), not only a bound on it


@dataclass(frozen=True)
class _Pass:
    """One pass of the parts at lambda = units / minutes, and the sum of their bounds."""

    units: int
    minutes: int
    upper: float

    def bound(self, problem: Problem, minimum_minutes: float) -> float:
        """Any plan meeting the floor has M_k * B - B_k * M <= UB (the parts relax the
        whole), so B / M <= lambda + UB / (M_k * M_min), with M_min <= M."""
        if self.minutes == 0 or minimum_minutes <= 0:
            return math.inf
        upper = max(0.0, self.upper)
        return problem.benefit_points(self.units + upper / minimum_minutes) / self.minutes


def by_parts(
    run: Run,
    floor: int,
    weeks_per_part: int,
    start: dict[str, int],
    minimum_minutes: Callable[[], float] = lambda: 0.0,
    exact_only: bool = False,
) -> PartsResult | None:
    """Dinkelbach over parts of `weeks_per_part` weeks, hinted from `start` (values by
    variable name), from lambda = the best plan's ratio. The last lambda, proven not
    beatable, bounds the parts' optimum. None when the problem does not split, when
    `exact_only` and the parts do not bound the whole, or when time runs out before the
    first combined plan. A plan found before time runs out comes back with the tightest
    bound a pass proved (`minimum_minutes()`, asked only then, bounds the minutes of any
    plan meeting the floor), when the parts bound the whole. The search leaves
    `WHOLE_RESERVE_SHARE` of the time limit to the whole model."""
    problem = run.problem
    started = time.monotonic()
    cut = split(problem, weeks_per_part)
    if len(cut) < 2:
        return None
    parts = [_Part(groups, build_model(problem.part(groups))) for groups in cut]
    least = []  # fewest missed hard sessions each part can have on its own
    for part in parts:
        part.plan.model.minimize(part.missing())
        if _solve_part(run, part, PART_TIME_LIMIT, start) != cp_model.OPTIMAL:
            return None
        least.append(round(part.bound))
    # When every part can reach its own least at once (their sum is the floor total),
    # capping each part there is exact, and the parts' optimum bounds the whole. Otherwise
    # links between parts cost sessions; the parts then keep the floor plan's shortfalls,
    # a restriction that still finds good plans but bounds nothing.
    exact = sum(least) == floor
    stats = run.stats.setdefault("parts", [])
    assert isinstance(stats, list)
    stats.append({"parts": len(parts), "exact": exact})
    if exact_only and not exact:
        return None
    assert run.best is not None
    floor_plan = _names(run.plan, run.best)
    for part, fewest in zip(parts, least, strict=True):
        cap = (
            fewest
            if exact
            else sum(weight * floor_plan[var.name] for var, weight in part.plan.floor_terms())
        )
        part.plan.model.add(part.missing() <= cap)

    seams = frozenset(
        group.index for before, after in itertools.pairwise(cut) for group in (before[-1], after[0])
    )
    units, minutes = run.benefit_units, run.minutes
    best: dict[str, int] | None = None  # the decisions of the best combined plan so far
    passes: list[_Pass] = []  # each pass's bound holds for the whole when `exact`
    # Time left to the whole model while the best combined plan is not known to keep the
    # links; once it is, it is the run's best plan, and the parts keep only the time to
    # bound the ratio if they do not finish.
    reserve = WHOLE_RESERVE_SHARE * run.options.time_limit
    iterations = 0
    proving = False

    def unfinished() -> PartsResult | None:
        stats[-1] |= {"iterations": iterations, "s": round(time.monotonic() - started, 2)}
        if best is None:
            return None
        bound = None
        if exact and passes:
            least = minimum_minutes()
            bound = min(one.bound(problem, least) for one in passes)
        return PartsResult(best, units, minutes, None if bound == math.inf else bound, seams)

    while True:
        if run.remaining() <= reserve + 0.5 or run.interrupted:
            return unfinished()
        iterations += 1
        # Within 10 % of each part's optimum moves lambda; when nothing moves, the parts
        # not yet proven are solved to the end, which either moves lambda or proves it.
        # A step may also stop at `STEP_TIME_LIMIT`: any better plan moves lambda.
        gap, limit = (0.0, PART_TIME_LIMIT) if proving else (DINKELBACH_GAP, STEP_TIME_LIMIT)
        for part in parts:
            if proving and part.proven:
                continue
            part.plan.model.maximize(part.objective(units, minutes))
            hint = _names(part.plan, part.values) if part.values else start
            _solve_part(run, part, min(limit, run.remaining() - reserve), hint, gap)
        passes.append(_Pass(units, minutes, sum(part.bound for part in parts)))
        contents = {g: slots for part in parts for g, slots in part.contents.items()}
        new_units, new_minutes = evaluate(problem, contents)
        run.progress("parts", problem.benefit_points(new_units) / max(1, new_minutes), None)
        if new_units * minutes > units * new_minutes or (minutes == 0 and new_units > 0):
            units, minutes = new_units, new_minutes
            best = {name: value for part in parts for name, value in _decisions(part).items()}
            kept = keep_if_whole(run, best, KEEP_CHECK_S)
            reserve = BOUND_RESERVE_S if kept else WHOLE_RESERVE_SHARE * run.options.time_limit
            proving = False
            continue
        if all(part.proven for part in parts):
            break
        if proving:
            return unfinished()
        proving = True
    stats[-1] |= {"iterations": iterations, "s": round(time.monotonic() - started, 2)}
    proved: float | None = None
    deterministic = False
    if exact:
        proved = problem.benefit_points(units) / minutes if minutes else 0.0
        deterministic = _canonical_parts(run, parts, units, minutes)
    decisions = {name: value for part in parts for name, value in _decisions(part).items()}
    return PartsResult(decisions, units, minutes, proved, seams, deterministic, proven=exact)


def keep_if_whole(run: Run, decisions: dict[str, int], time_limit: float = PART_TIME_LIMIT) -> bool:
    """Take the combined plan (its decisions by name) as it is if it keeps the links
    between parts (a single-threaded check with the decisions fixed, so deterministic)."""
    model = run.plan.model
    model.clear_objective()
    _hint_by_name(model, decisions)
    solver = run.deterministic_solver()
    solver.parameters.max_time_in_seconds = min(time_limit, run.remaining())
    solver.parameters.fix_variables_to_their_hinted_value = True
    started = time.monotonic()
    status = solver.solve(model)
    run.stats["keep_whole"] = [solver.status_name(status), round(time.monotonic() - started, 2)]
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        run.record(solver)
        return True
    return False


def repair_seams(run: Run, result: PartsResult, time_limit: float) -> bool:
    """Keep the parts' plan away from the cuts and search the whole model again only in
    the groups next to a cut (their contents and their weeks' days), where the links the
    parts dropped may be broken. A small neighbourhood, so it is quick even for a long
    block. Keeps what it finds if it beats the best plan so far."""
    plan = run.plan
    weeks = {week for g in result.seams for week in run.problem.group(g).weeks}
    slots = [*plan.active.items(), *plan.hard.items()]
    freed = [var for (g, *_), var in plan.option.items() if g in result.seams]
    freed += [var for (g, _), var in slots if g in result.seams]
    pairs = [(g, count) for (g, _), counts in plan.pairs.items() for _, count in counts]
    freed += [count for g, count in pairs if g in result.seams]
    freed += [var for (week, *_), var in plan.place.items() if week in weeks]
    names = {var.name for var in freed}
    plan.model.maximize(result.minutes * plan.total_benefit() - result.units * plan.total_minutes())
    _hint_by_name(plan.model, {n: v for n, v in result.decisions.items() if n not in names})
    solver = run.solver(min(time_limit, run.remaining()))
    solver.parameters.fix_variables_to_their_hinted_value = True
    started = time.monotonic()
    status = solver.solve(plan.model)
    run.stats["repair_seams"] = [solver.status_name(status), round(time.monotonic() - started, 2)]
    return _adopt_if_better(run, solver, status)


def _adopt_if_better(run: Run, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> bool:
    """Keep the solver's plan if its benefit per minute beats the best plan so far."""
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    values, contents = read_solution(run.plan, solver)
    new_units, new_minutes = evaluate(run.problem, contents)
    if new_minutes and new_units * run.minutes > run.benefit_units * new_minutes:
        run.adopt(values, contents)
        return True
    return False


def repair(run: Run, result: PartsResult, units: int, minutes: int, time_limit: float) -> bool:
    """Search the whole model from the combined plan for a plan with ratio >= units /
    minutes; keep what it finds if it beats the best plan so far."""
    plan = run.plan
    plan.model.maximize(minutes * plan.total_benefit() - units * plan.total_minutes())
    _hint_by_name(plan.model, result.decisions)
    solver = run.solver(min(time_limit, run.remaining()))
    status = solver.solve(plan.model)
    return _adopt_if_better(run, solver, status)


def _canonical_parts(run: Run, parts: list[_Part], units: int, minutes: int) -> bool:
    """Pick each part's plan canonically: keep its proven optimal value at lambda* and
    maximise its benefit in a single-threaded search without hints, so the combined plan
    does not depend on thread timing. Lambda* is taken in lowest terms: runs that reach the
    same ratio through different plans then add the same constraint. Returns whether every
    part's pick ended by proof or by its deterministic-time budget (so it is reproducible)."""
    common = math.gcd(units, minutes) or 1
    reproducible = True
    reserve = WHOLE_RESERVE_SHARE * run.options.time_limit
    for part in parts:
        if run.remaining() < reserve + 0.5:
            return False  # the rest of the time goes to checking and mending the plan
        plan = part.plan
        reduced = part.objective(units // common, minutes // common)
        plan.model.add(reduced >= round(part.bound / common))
        plan.model.maximize(plan.total_benefit())
        plan.model.clear_hints()
        solver = run.deterministic_solver()
        solver.parameters.max_time_in_seconds = run.remaining() - reserve
        status = solver.solve(plan.model)
        reproducible = reproducible and run.ended_deterministically(solver, status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            part.values, part.contents = read_solution(plan, solver)
    return reproducible
