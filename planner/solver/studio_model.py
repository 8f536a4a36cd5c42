"""One CP-SAT model for a whole studio: every athlete's encoding in one model, and the
classes' seats as one more rule family.

Each athlete (`Entrant`) keeps their whole encoding (`build_model` on the shared model, over
their Problem: their scenario under the studio's situation, their membership as a weekly
limit on their class dates), so every rule of their plan holds as it does alone. The studio
adds attendance: on a date with one of their classes, a session is that class (with two
classes that day, one of them, and the session lasts at most its minutes), and no class date
holds more athletes than its capacity.

The objective is lexicographic, one stage after the other, each started from the best plan
so far:
1. the worst-off athlete's floor shortfall (R13, R16, R19 as `PlanModel.floor` weighs them);
2. the sum of the floor shortfalls;
3. the squad's Dinkelbach terms against each athlete's best plan alone, the sum over the
   athletes of Mₐ*·Bₐ − Bₐ*·Mₐ (Bₐ*, Mₐ*: the benefit and minutes of their plan alone): zero
   where an athlete keeps their best ratio, negative where the studio costs them.

The first plan is the decomposed studio plan (`Entrant.start`), completed into values of
the athlete's own model, so the one model only ever improves on it (an athlete's plan the
model cannot hold as it is starts from the nearest one it can, on the same classes). Stage
3's bound is the proven bound of the studio objective.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.solver.model import PlanModel, build_model
from planner.solver.problem import Problem, evaluate
from planner.solver.replan import Items, Keep, old_plan_hint
from planner.solver.run import Deadline, contents_of
from planner.solver.solution import Solution, SolveStatus

LinearExpr = cp_model.LinearExpr
COMPLETE_S = 5.0  # to complete one athlete's first plan into their model's values
FLOOR_SHARE = 0.2  # of the time, for each floor stage


@dataclass(frozen=True)
class Seat:
    """A class held on a date, as the model sees it."""

    date: dt.date
    class_id: str
    minutes: int
    capacity: int


@dataclass
class Entrant:
    """One athlete of the studio in the one model."""

    key: str
    problem: Problem  # their studio scenario, with their membership as limits
    seats: list[Seat]  # the class dates they may attend
    best_units: int  # Bₐ*: the benefit of their best plan alone, in benefit units
    best_minutes: int  # Mₐ*
    start: dict[dt.date, Items | None]  # the first plan's sessions by date
    booked: frozenset[tuple[dt.date, str]]  # the first plan's classes: (date, class id)
    ratio_bound: float | None = None  # their best plan alone's proven bound (points/min)


@dataclass
class StudioSolution:
    solutions: dict[str, Solution]
    statuses: dict[str, str]  # stage -> CP-SAT status
    started: dict[str, int] = field(default_factory=dict)  # stage -> the first plan's value
    worst_floor: int = 0
    floor_sum: int = 0
    objective: int = 0  # stage 3: the sum of the Dinkelbach terms (<= 0 when all are kept)
    bound: float | None = None  # its proven upper bound
    seconds: dict[str, float] = field(default_factory=dict)
    variables: int = 0
    classes: dict[str, set[tuple[dt.date, str]]] = field(default_factory=dict)  # booked
    points_per_unit: float = 0.0  # benefit points of a benefit unit (the same for everyone)
    kept_start: int = 0  # athletes the one model made no better, back on their first plan
    nearest: list[str] = field(default_factory=list)  # started from the nearest plan it holds
    outside: list[str] = field(default_factory=list)  # no plan of it held: kept their first

    @property
    def optimal(self) -> bool:
        return all(status == "OPTIMAL" for status in self.statuses.values())


@dataclass
class StudioModel:
    model: cp_model.CpModel
    plans: dict[str, PlanModel]
    offsets: dict[str, int]  # where each athlete's variables start in the model
    # (athlete, date, class) -> attends that class, on a date with two of their classes
    attend: dict[tuple[str, dt.date, str], cp_model.IntVar]


def build_studio_model(entrants: list[Entrant]) -> StudioModel:
    model = cp_model.CpModel()
    plans: dict[str, PlanModel] = {}
    offsets: dict[str, int] = {}
    for entrant in entrants:
        offsets[entrant.key] = len(model.proto.variables)
        plans[entrant.key] = build_model(entrant.problem, model=model)
    attend = add_attendance(model, plans, entrants)
    return StudioModel(model, plans, offsets, attend)


def add_attendance(
    model: cp_model.CpModel, plans: dict[str, PlanModel], entrants: list[Entrant]
) -> dict[tuple[str, dt.date, str], cp_model.IntVar]:
    """The studio's family: a session on a class date is one of the athlete's classes that
    day, lasting at most its minutes; a class date holds at most its capacity. Returns the
    literals of a choice between two classes on one date."""
    chosen: dict[tuple[str, dt.date, str], cp_model.IntVar] = {}
    takers: dict[tuple[dt.date, str], list[LinearExpr]] = {}
    capacity: dict[tuple[dt.date, str], int] = {}
    for entrant in entrants:
        plan = plans[entrant.key]
        by_date: dict[dt.date, list[Seat]] = {}
        for seat in entrant.seats:
            by_date.setdefault(seat.date, []).append(seat)
        by_week = plan.problem.group_of_week()
        for date, seats in by_date.items():
            placed = [(week, s, var) for (week, s, day), var in plan.place.items() if day == date]
            if not placed:
                continue
            on = LinearExpr.sum([var for _, _, var in placed])
            attend = []
            for seat in seats:
                capacity[seat.date, seat.class_id] = seat.capacity
                if len(seats) == 1:
                    takers.setdefault((seat.date, seat.class_id), []).append(on)
                    literal = None
                else:
                    literal = model.new_bool_var(f"attend[{entrant.key},{date},{seat.class_id}]")
                    chosen[entrant.key, date, seat.class_id] = literal
                    attend.append(literal)
                    takers.setdefault((seat.date, seat.class_id), []).append(literal)
                for week, s, var in placed:
                    group = by_week[week]
                    enforce = [var] if literal is None else [var, literal]
                    model.add(plan.minutes[group.index, s] <= seat.minutes).only_enforce_if(enforce)
            if attend:
                model.add(LinearExpr.sum(attend) == on)
    for key, exprs in takers.items():
        model.add(LinearExpr.sum(exprs) <= capacity[key])
    return chosen


def _complete(entrant: Entrant, seconds: float) -> tuple[dict[int, int] | None, bool]:
    """The entrant's first plan as values of every variable of their own model (built alone,
    in the same order as in the studio's model): its sessions fixed, then its floor as low
    and its Dinkelbach term as high as those sessions allow (the pairs and the hypograph's
    values are what is left to find). A plan the model cannot hold as it is (its groups'
    weeks differ: a plan solved in parts may vary them) is completed into the nearest one it
    can: its sessions as a hint, on no class date it did not book (so that the seats stay
    within capacity), or failing that anywhere. Returns the values (None: none found) and
    whether they are the plan's own."""
    for way in ("exact", "booked", "hinted"):
        plan = build_model(entrant.problem)
        model = plan.model
        for index, value in old_plan_hint(plan, Keep(sessions=entrant.start, weights={})).items():
            var = model.get_int_var_from_proto_index(index)
            model.add(var == value) if way == "exact" else model.add_hint(var, value)
        if way == "booked":
            booked = {date for date, _ in entrant.booked}
            unbooked = {seat.date for seat in entrant.seats} - booked
            for (_, _, date), placed in plan.place.items():
                if date in unbooked:
                    model.add(placed == 0)
        values, held = _stages(entrant, plan, seconds)
        if held:  # a plan the model cannot hold is proven so at once: then the next way
            return values, way == "exact"
    return None, False


def _stages(
    entrant: Entrant, plan: PlanModel, seconds: float
) -> tuple[dict[int, int] | None, bool]:
    """`_complete`'s two stages on the entrant's own model: the floor, then the term. The
    values found, and whether the model holds a plan at all (not proven infeasible)."""
    model = plan.model
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    values = None
    for objective, maximise in ((plan.floor(), False), (_term(entrant, plan), True)):
        model.maximize(objective) if maximise else model.minimize(objective)
        solver.parameters.max_time_in_seconds = seconds / 2
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return values, status != cp_model.INFEASIBLE
        values = {i: int(solver.value(model.get_int_var_from_proto_index(i)))
                  for i in range(len(model.proto.variables))}  # fmt: skip
        if not maximise:
            model.add(objective <= round(solver.objective_value))
        model.clear_hints()
        for index, value in values.items():
            model.add_hint(model.get_int_var_from_proto_index(index), value)
    return values, True


def _term(entrant: Entrant, plan: PlanModel) -> LinearExpr:
    """The athlete's Dinkelbach term against their best plan alone: Mₐ*·Bₐ − Bₐ*·Mₐ."""
    return entrant.best_minutes * plan.total_benefit() - entrant.best_units * plan.total_minutes()


def _without(entrants: list[Entrant], kept: list[str]) -> list[Entrant]:
    """The entrants but those who keep their first plan, whose classes count against the
    capacity left to the others."""
    taken: dict[tuple[dt.date, str], int] = {}
    for entrant in entrants:
        if entrant.key in kept:
            for seat in entrant.booked:
                taken[seat] = taken.get(seat, 0) + 1
    return [
        replace(entrant, seats=[
            replace(seat, capacity=seat.capacity - taken.get((seat.date, seat.class_id), 0))
            for seat in entrant.seats
        ])
        for entrant in entrants if entrant.key not in kept
    ]  # fmt: skip


def solve_studio(
    entrants: list[Entrant], time_limit: float, workers: int = 2, seed: int = 0
) -> StudioSolution:
    """Solve the one model in the objective's three stages (see the module's docstring) for
    `time_limit` seconds, after completing each athlete's first plan into their model's values
    (at most as long again: at 60 athletes that takes a minute or more, which the search
    must not lose)."""
    started = time.monotonic()
    completed, nearest, kept = _completed(entrants, Deadline.after(time_limit))
    entrants = _without(entrants, kept)
    if not entrants:  # every start stays outside: nothing to solve
        return StudioSolution({}, {}, nearest=nearest, outside=kept)
    built = build_studio_model(entrants)
    model, plans = built.model, built.plans
    hint: dict[int, int] = {}
    for entrant in entrants:
        offset = built.offsets[entrant.key]
        hint |= {offset + index: value for index, value in completed[entrant.key].items()}
    seconds = {"build": time.monotonic() - started}
    deadline = Deadline.after(time_limit)
    for entrant in entrants:  # the first plan's classes, on a day with two
        for (key, date, class_id), literal in built.attend.items():
            if key == entrant.key:
                hint[literal.index] = int((date, class_id) in entrant.booked)
    floors = {key: plan.floor() for key, plan in plans.items()}
    worst = model.new_int_var(0, cp_model.INT32_MAX, "worst_floor")
    if len(hint) == len(model.proto.variables) - 1:
        hint[worst.index] = max(
            sum(weight * hint[var.index] for var, weight in plan.floor_terms())
            for plan in plans.values()
        )
    for floor in floors.values():
        model.add(worst >= floor)
    floor_sum = LinearExpr.sum(list(floors.values()))
    terms = [_term(entrant, plans[entrant.key]) for entrant in entrants]
    result = StudioSolution(
        {}, {}, variables=len(model.proto.variables), nearest=nearest, outside=kept
    )
    if entrants:
        result.points_per_unit = entrants[0].problem.benefit_points(1)
    best = hint
    stages: list[tuple[str, LinearExpr, bool]] = [
        ("worst floor", worst, False),
        ("floor sum", floor_sum, False),
        ("benefit per minute", LinearExpr.sum(terms), True),
    ]
    solver = None
    for name, objective, maximise in stages:
        last = name == stages[-1][0]
        limit = deadline.remaining() if last else FLOOR_SHARE * time_limit
        model.clear_hints()
        for index, value in best.items():
            model.add_hint(model.get_int_var_from_proto_index(index), value)
        model.maximize(objective) if maximise else model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.5, min(limit, deadline.remaining()))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.linearization_level = 2
        before = _objective_at(model, best) if best else None
        if before is not None:
            result.started[name] = before
        status = solver.solve(model)
        result.statuses[name] = solver.status_name(status)
        seconds[name] = solver.wall_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = round(solver.objective_value)
            if before is None or (found > before if maximise else found < before):
                # Only a better plan replaces the one so far: a floor stage's equal plan may
                # have given up benefit per minute, which the last stage would have to win back.
                best = {i: int(solver.value(model.get_int_var_from_proto_index(i)))
                        for i in range(len(model.proto.variables))}  # fmt: skip
            else:
                found = before
            if maximise:
                result.bound = solver.best_objective_bound
        elif before is not None:
            found = before  # nothing found in its time: the start's value stands, and holds
        else:
            continue
        if maximise:
            result.objective = found
        else:
            model.add(objective <= found)
        if name == "worst floor":
            result.worst_floor = found
        elif name == "floor sum":
            result.floor_sum = found
    result.seconds = seconds
    if len(best) == len(model.proto.variables):  # a whole plan (none: keep the start)
        result.solutions = {
            entrant.key: _solution(entrant, plans[entrant.key], best, result.optimal)
            for entrant in entrants
        }
        result.classes = {e.key: _classes(e, built, best) for e in entrants}
    return result


def _completed(
    entrants: list[Entrant], deadline: Deadline
) -> tuple[dict[str, dict[int, int]], list[str], list[str]]:
    """Each entrant's first plan completed (`_complete`) by the deadline: the values by
    entrant, those completed into the nearest plan rather than their own, and those with
    none (kept outside the model)."""
    completed, nearest, kept = {}, [], []
    for entrant in entrants:
        values, exact = _complete(entrant, min(COMPLETE_S, deadline.remaining()))
        if values is None:
            kept.append(entrant.key)
            continue
        completed[entrant.key] = values
        if not exact:
            nearest.append(entrant.key)
    return completed, nearest, kept


def _classes(
    entrant: Entrant, built: StudioModel, values: dict[int, int]
) -> set[tuple[dt.date, str]]:
    """The classes the athlete attends in `values`: (date, class id)."""
    plan = built.plans[entrant.key]
    session_dates = {day for (_, _, day), var in plan.place.items() if values[var.index]}
    attended = set()
    for seat in entrant.seats:
        literal = built.attend.get((entrant.key, seat.date, seat.class_id))
        if seat.date in session_dates and (literal is None or values[literal.index]):
            attended.add((seat.date, seat.class_id))
    return attended


def _objective_at(model: cp_model.CpModel, values: dict[int, int]) -> int | None:
    """The model's objective at `values` (None when a variable has no value)."""
    objective = model.proto.objective
    try:
        inner = sum(c * values[v] for v, c in zip(objective.vars, objective.coeffs, strict=True))
    except KeyError:
        return None
    scale = objective.scaling_factor or 1.0
    return round(scale * (inner + objective.offset))


def _solution(entrant: Entrant, plan: PlanModel, values: dict[int, int], optimal: bool) -> Solution:
    """One athlete's plan from the one model's values."""
    problem = plan.problem
    contents = contents_of(plan, values)
    units, minutes = evaluate(problem, contents)
    return Solution(
        status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        contents=contents,
        placements={(w, s): d for (w, s, d), var in plan.place.items() if values[var.index]},
        benefit_units=units,
        minutes=minutes,
        ratio_bound=entrant.ratio_bound,
        shortfall={g: values[var.index] for g, var in plan.shortfall.items()},
        dose_shortfall={
            k: values[v.index] for k, v in plan.dose_shortfall.items() if values[v.index] > 0
        },
    )
