"""A re-solve from an old plan (a replan, a coach's "why", a frontier point's neighbour).

The first stage is the usual solve (solve.py) of the Problem, with the old plan as its hint
and, after the floor, as its first plan where it still fits. A re-solve's given days
(history and frozen days) are data, and only the planned days' objective is optimised. With
weights (`Keep.weights`), the second stage keeps the floor and a ratio within `tolerance` of
the best one, and minimises the weighted count of changed days against the old plan: a day
is unchanged when it holds exactly the old session (the same exercises and sets) or, where
the old plan had none, no session.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.domain.plan import Session
from planner.solver.model import PlanModel
from planner.solver.problem import Group, Problem, evaluate
from planner.solver.run import Deadline, Interrupt, Run, SolveOptions, read_solution
from planner.solver.solution import Solution, SolveStatus
from planner.solver.solve import optimise, solution_of

Items = tuple[tuple[str, int], ...]  # (exercise, sets), sorted
RATIO_STEPS = 10_000  # the tolerance is applied in steps of 1/10000
MIN_CHANGES_SLICE_S = 2.0
CHANGES_SHARE = 0.4  # of the time budget kept for the fewest-changes stage


@dataclass(frozen=True)
class Keep:
    """The old plan on the days the replan may change: date -> its session's items (None
    for a day off), the weight of a change on that day, and the ratio tolerance."""

    sessions: dict[dt.date, Items | None]
    weights: dict[dt.date, int]
    tolerance: float = 0.02
    # A studio's bookings: a day that held a class in the old plan costs this much more when
    # it holds no session now (the class seat moved), whatever its exercises.
    booked: Mapping[dt.date, int] = field(default_factory=dict)


def items_of(session: Session | None) -> Items | None:
    """A session as the fewest-changes stage compares it: its exercises and sets."""
    if session is None:
        return None
    return tuple(sorted((item.exercise, item.sets) for item in session.items))


def _slot_equals(plan: PlanModel, g: int, s: int, items: Items) -> cp_model.IntVar | None:
    """A literal that implies slot s of group g holds exactly `items` (None: it cannot)."""
    group = plan.problem.group(g)
    wanted: list[cp_model.IntVar] = []
    for exercise, sets in items:
        candidate = next((c for c in group.candidates if c.id == exercise), None)
        if candidate is None:
            return None
        k = next((k for k, o in enumerate(candidate.options) if o.sets == sets), None)
        if k is None:
            return None
        wanted.append(plan.option[g, s, exercise, k])
    key = (g, s, items)
    cache = plan.__dict__.setdefault("_equal_cache", {})
    if key in cache:
        return cache[key]
    model = plan.model
    equal = model.new_bool_var(f"same[g{g},s{s},{len(cache)}]")
    everything = [var for var, _, _ in plan.slot_terms(g, s)]
    model.add(sum(wanted) == len(wanted)).only_enforce_if(equal)
    model.add(sum(everything) == len(wanted)).only_enforce_if(equal)
    cache[key] = equal
    return equal


def add_changes(plan: PlanModel, keep: Keep) -> dict[dt.date, cp_model.IntVar]:
    """One literal per day the replan may change: true only if the day is as in the old
    plan. Days that cannot be kept (no slot may go there) have none: they are changes."""
    model, problem = plan.model, plan.problem
    by_week = problem.group_of_week()
    week_of = {day.date: day.week for day in problem.calendar.days}
    kept: dict[dt.date, cp_model.IntVar] = {}
    for date, items in sorted(keep.sessions.items()):
        week = week_of[date]
        group = by_week.get(week)
        if group is None:
            continue
        places = {
            s: plan.place[week, s, date]
            for s in range(group.n_slots)
            if (week, s, date) in plan.place
        }
        same = model.new_bool_var(f"unchanged[{date}]")
        if items is None:
            for place in places.values():
                model.add_implication(same, place.Not())
        else:
            matches = []
            for s, place in places.items():
                equal = _slot_equals(plan, group.index, s, items)
                if equal is None:
                    continue
                both = model.new_bool_var(f"kept[{date},s{s}]")
                model.add_implication(both, place)
                model.add_implication(both, equal)
                matches.append(both)
            model.add(sum(matches) >= same)
        kept[date] = same
    return kept


def old_plan_hint(plan: PlanModel, keep: Keep) -> dict[int, int]:
    """The old plan as a (partial) hint: each group's slots take the sessions of its first
    week, hard and longer first, and every week places them where the old plan did."""
    problem = plan.problem
    hint: dict[int, int] = {}
    for group in problem.groups:
        g = group.index
        by_week: dict[int, list[tuple[dt.date, Items]]] = {}
        for week in group.weeks:
            for day in problem.weeks[week - 1].days:
                items = keep.sessions.get(day.date)
                if items:
                    by_week.setdefault(week, []).append((day.date, items))
        first = by_week.get(group.weeks[0], [])
        hard_ids = {c.id for c in group.candidates if c.exercise.category in ("power", "strength")}
        minutes = {c.id: {o.sets: o.minutes for o in c.options} for c in group.candidates}

        def order(
            entry: tuple[dt.date, Items],
            hard_ids: set[str] = hard_ids,
            minutes: dict[str, dict[int, int]] = minutes,
        ) -> tuple[bool, int]:
            items = entry[1]
            hard = any(e in hard_ids for e, _ in items)
            return (not hard, -sum(minutes.get(e, {}).get(n, 0) for e, n in items))

        slots = [items for _, items in sorted(first, key=order)][: group.n_slots]
        for s in range(group.n_slots):
            items = slots[s] if s < len(slots) else ()
            chosen = set(items)
            for candidate in group.candidates:
                for k, option in enumerate(candidate.options):
                    var = plan.option[g, s, candidate.id, k]
                    hint[var.index] = int((candidate.id, option.sets) in chosen)
            hint[plan.active[g, s].index] = int(bool(items))
            hint[plan.hard[g, s].index] = int(any(e in hard_ids for e, _ in items))
        for week in group.weeks:
            placed = dict((items, date) for date, items in by_week.get(week, []))
            for s in range(group.n_slots):
                date = placed.get(slots[s]) if s < len(slots) else None
                for day in problem.session_days(problem.weeks[week - 1]):
                    placed_var = plan.place.get((week, s, day.date))
                    if placed_var is not None:
                        hint[placed_var.index] = int(day.date == date)
    return hint


OLD_PLAN_CHECK_S = 5.0


def _old_fits(group: Group, keep: Keep, problem: Problem) -> bool:
    """Did the old plan give every week of this group the same sessions, made of exercises
    the group may still use, on days that may still hold one (a studio athlete's lost seat
    closes its date: the group that used it is free, the others still fit)?"""
    usable = {(c.id, o.sets) for c in group.candidates for o in c.options}
    weeks = []
    for week in group.weeks:
        days = problem.weeks[week - 1].days
        open_days = {day.date for day in problem.session_days(problem.weeks[week - 1])}
        held = {d.date: items for d in days if (items := keep.sessions.get(d.date))}
        if any(date not in open_days for date in held):  # a day closed since (a lost seat)
            return False
        sessions = sorted(held.values())
        if any(item not in usable for items in sessions for item in items):
            return False
        weeks.append(sessions)
    return all(week == weeks[0] for week in weeks)


def adopt_old_plan(run: Run, keep: Keep) -> None:
    """After the floor: the old plan's sessions where its groups still fit (the same
    sessions every week, exercises still allowed), the other groups free, as a plan that
    meets the floor. When one exists and beats the floor plan's objective (its ratio, or its
    benefit for `objective: total`), it is the first plan of the objective's search, so that
    the search starts near the old plan instead of the floor plan."""
    plan = run.plan
    seam_vars = set()
    for group in run.problem.groups:
        if group.fixed is None and _old_fits(group, keep, run.problem):
            continue
        g = group.index
        for s in range(group.n_slots):
            seam_vars.add(plan.active[g, s].index)
            seam_vars.add(plan.hard[g, s].index)
            seam_vars.update(var.index for var, _, _ in plan.slot_terms(g, s))
            for week in group.weeks:
                seam_vars.update(
                    var.index for (w, slot, _), var in plan.place.items() if w == week and slot == s
                )
    model = plan.model.clone()
    model.clear_objective()
    model.clear_hints()
    for index, value in run.start_hint.items():
        var = model.get_int_var_from_proto_index(index)
        if index in seam_vars:
            model.add_hint(var, value)
        else:
            model.add(var == value)
    solver = run.deterministic_solver()
    solver.parameters.max_time_in_seconds = min(OLD_PLAN_CHECK_S, run.remaining())
    started = time.monotonic()
    status = solver.solve(model)
    run.stats["old_plan_status"] = solver.status_name(status)
    run.stats["old_plan_s"] = round(time.monotonic() - started, 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    values, contents = read_solution(plan, solver)
    units, minutes = evaluate(run.problem, contents)
    if run.problem.scenario.objective == "total":
        better = units > run.benefit_units
    else:
        better = run.minutes == 0 or units * run.minutes > run.benefit_units * minutes
    if minutes and better:
        run.adopt(values, contents)


def _fewest_changes(run: Run, kept: dict[dt.date, cp_model.IntVar], keep: Keep) -> bool:
    """Keep the floor and the ratio within the tolerance; minimise the weighted changes.
    Returns whether the minimum is proven. Then pick a plan among the fewest-change ones
    canonically (single-threaded, no hints) so that one seed gives one plan."""
    plan = run.plan
    model = plan.model
    benefit, minutes = plan.total_benefit(), plan.total_minutes()
    if run.problem.scenario.objective == "total":
        share = round((1 - keep.tolerance) * RATIO_STEPS)
        model.add(RATIO_STEPS * benefit >= share * run.benefit_units)
    elif run.minutes > 0 and run.benefit_units > 0:
        share = round((1 - keep.tolerance) * RATIO_STEPS)
        left, right = RATIO_STEPS * run.minutes, share * run.benefit_units
        common = math.gcd(left, right)
        model.add((left // common) * benefit - (right // common) * minutes >= 0)
    weights = [keep.weights[date] for date in kept]
    fixed_changes = sum(keep.weights[d] for d in keep.sessions if d not in kept)
    changed = sum(keep.weights[d] for d in kept) - cp_model.LinearExpr.weighted_sum(
        list(kept.values()), weights
    )
    for date, weight in keep.booked.items():
        held = [var for (_, _, day), var in plan.place.items() if day == date]
        changed += weight * (1 - cp_model.LinearExpr.sum(held))
    model.minimize(changed)
    started = time.monotonic()
    solver, status = run.run("changes")
    run.stats["changes_status"] = solver.status_name(status)
    run.stats["changes_s"] = round(time.monotonic() - started, 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    fewest = round(solver.objective_value)
    run.stats["weighted_changes"] = fewest + fixed_changes
    proven = status == cp_model.OPTIMAL
    if proven and not run.interrupted:
        model.add(changed <= fewest)
        if run.minutes > 0:
            model.maximize(run.minutes * benefit - run.benefit_units * minutes)
        else:
            model.maximize(benefit)
        model.clear_hints()
        picker = run.deterministic_solver()
        picked = picker.solve(model)
        run.stats["changes_canonical"] = picker.status_name(picked)
        if picked in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            run.record(picker)
            run.deterministic = True
            return True
        run.deterministic = False
    return proven


def solve_from(problem: Problem, keep: Keep, options: SolveOptions | None = None) -> Solution:
    """A re-solve from an old plan: the best plan for the new situation, hinted from the old
    plan, then (when `keep` weighs any day) the fewest changes within the tolerance. The
    Solution is `optimal` only when both stages are proven."""
    with Interrupt().installed() as interrupt:
        run = Run(problem, options or SolveOptions())
        run.interrupt = interrupt
        run.interrupted = interrupt.pressed
        kept = add_changes(run.plan, keep) if keep.weights else {}
        run.start_hint = old_plan_hint(run.plan, keep)
        run.after_floor = lambda started: adopt_old_plan(started, keep)
        if not keep.weights:  # a hint only
            optimum = optimise(run)
            return optimum if isinstance(optimum, Solution) else solution_of(run, *optimum)
        # The best plan's search runs until proven or out of time: keep a share of the
        # budget for the fewest changes, or an unproven first stage leaves it none.
        budget = run.deadline
        run.deadline = Deadline.after((1 - CHANGES_SHARE) * budget.remaining())
        optimum = optimise(run)
        run.deadline = budget
        if isinstance(optimum, Solution):
            return optimum
        status, ratio_bound, benefit_bound = optimum
        run.stats["best_benefit_units"] = run.benefit_units
        run.stats["best_minutes"] = run.minutes
        if not run.interrupted and run.remaining() > 0.5:
            proven = _fewest_changes(run, kept, keep)
            if not proven:
                status = SolveStatus.FEASIBLE
        else:
            status = SolveStatus.FEASIBLE
        if status == SolveStatus.FEASIBLE and ratio_bound is None and run.minutes:
            ratio_bound = run.points(run.benefit_units) / run.minutes
        changed_days = [d for d, var in kept.items() if run.best and run.best[var.index] == 0]
        run.stats["changed_days"] = len(changed_days) + sum(
            1 for d in keep.sessions if d not in kept
        )
        return solution_of(run, status, ratio_bound, benefit_bound)
