"""The rules of days: placement on the calendar, the spacing of hard sessions (R3), key runs and
races (R4, R7), kit by day (R10), recovery after a race (R20) and a replan's return limits."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from planner.domain.scenario import MAX_DAY_MINUTES
from planner.rules import R3, R4, R7, R10, R20, Rule
from planner.solver.model.variables import PlanModel, _selects
from planner.solver.problem import Group


def add_day_placement(plan: PlanModel) -> None:
    """Every used slot is placed on exactly one day of each week of its group; at most one
    session a day."""
    model, problem = plan.model, plan.problem
    for group in problem.groups:
        for week in group.weeks:
            days = problem.session_days(problem.weeks[week - 1])
            for s in range(group.n_slots):
                vars_ = [plan.place[week, s, day.date] for day in days]
                model.add(sum(vars_) == plan.active[group.index, s])
            for day in days:
                model.add(sum(plan.place[week, s, day.date] for s in range(group.n_slots)) <= 1)


def _hard_on_day(plan: PlanModel, group: Group, week: int, date: dt.date) -> list[cp_model.IntVar]:
    """Literals `place and hard` for each slot on a date (created on first use)."""
    model = plan.model
    result = []
    for s in range(group.n_slots):
        key = (week, s, date)
        if key not in plan.place:
            continue
        both = model.new_bool_var(f"hard_on[w{week},s{s},{date}]")
        model.add(both >= plan.place[key] + plan.hard[group.index, s] - 1)
        result.append(both)
    return result


def add_hard_session_spacing(plan: PlanModel) -> None:
    """R3: two hard sessions are at least `hard_gap_days` calendar days apart."""
    model, problem = plan.model, plan.problem
    gap = problem.scenario.rules.hard_gap_days
    if gap <= 1:
        return
    by_week = problem.group_of_week()
    hard_by_date: dict[dt.date, list[cp_model.IntVar]] = {}
    for week in problem.scope_weeks():
        group = by_week[week.index]
        for day in problem.session_days(week):
            if day.hard_allowed:
                hard_by_date[day.date] = _hard_on_day(plan, group, week.index, day.date)
    # A replan's fixed hard sessions (history, frozen days) are facts the windows count.
    fixed_hard = set(problem.fixed_hard_dates())
    dates = sorted(set(hard_by_date) | fixed_hard)
    week_of = {day.date: day.week for day in problem.calendar.days}
    for first in dates:
        inside = [date for date in dates if first <= date < first + dt.timedelta(days=gap)]
        window = [lit for date in inside for lit in hard_by_date.get(date, [])]
        if any(date in fixed_hard for date in inside):
            for lit in window:
                plan.enforce(model.add(lit == 0), R3, week_of[first])
        elif len(window) > 1:
            plan.enforce(model.add(sum(window) <= 1), R3, week_of[first])


def add_key_run_protection(plan: PlanModel) -> None:
    """R4 and R7: no hard session the day before a key run, on a long-run or race day, or in
    a race's hard-free window; no session on race day or the day after (those days are
    never offered for placement)."""
    rules = {R4.id: R4, R7.id: R7}
    _no_hard_on_blocked_days(plan, rules)


def _no_hard_on_blocked_days(plan: PlanModel, rules: dict[str, Rule]) -> None:
    """No hard session on a day that one of `rules` blocks (Day.hard_blockers)."""
    model, problem = plan.model, plan.problem
    by_week = problem.group_of_week()
    for week in problem.scope_weeks():
        group = by_week[week.index]
        for day in problem.session_days(week):
            blocking = [rules[rule_id] for rule_id, _ in day.hard_blockers() if rule_id in rules]
            if not blocking:
                continue
            for s in range(group.n_slots):
                both = [plan.place[week.index, s, day.date], plan.hard[group.index, s]]
                no_hard = model.add_bool_or([lit.Not() for lit in both])
                plan.enforce(no_hard, blocking[0], week.index)


def add_race_recovery(plan: PlanModel) -> None:
    """R20: no hard session (so no plyometric item, which is power) in the
    `race_recovery_days` after an A or B race (marathon 7, half 3, shorter races 1). R13,
    R16 and R19 ask nothing of those days (`Week.hard_room`, `Week.recovering`)."""
    _no_hard_on_blocked_days(plan, {R20.id: R20})


def add_equipment_by_day(plan: PlanModel) -> None:
    """R10: every item's equipment is available on its session's day. (Avoided tags and
    equipment never available are removed before the model is built.)"""
    model, problem = plan.model, plan.problem
    for group in problem.groups:
        g = group.index
        days = [d for w in group.weeks for d in problem.session_days(problem.weeks[w - 1])]
        if not days:
            continue
        always = frozenset.intersection(*(d.equipment for d in days))
        extras = sorted({q for c in group.candidates for q in c.exercise.equipment} - always)
        for s in range(group.n_slots):
            for item in extras:
                needs = model.new_bool_var(f"needs[g{g},s{s},{item}]")
                for var in _selects(plan, g, s, lambda e, q=item: q in e.equipment):
                    model.add_implication(var, needs)
                for day in days:
                    if item not in day.equipment:
                        week = day.week
                        apart = model.add_bool_or(
                            [plan.place[week, s, day.date].Not(), needs.Not()]
                        )
                        plan.enforce(apart, R10, week)


def add_return_limits(plan: PlanModel) -> None:
    """Not a coaching rule, so not in ENCODING: every whole model adds it. A replan after an
    illness: the first week back holds at most its cap of gym minutes
    (the fixed days' minutes count), and no plyometrics in its first days. A studio
    membership: at most its classes a week over the class dates (fixed days count)."""
    model, problem = plan.model, plan.problem
    by_week = problem.group_of_week()
    week_of = {day.date: day.week for day in problem.calendar.days}
    for index, limit in enumerate(problem.limits):
        used, placed = [], []
        for date in limit.dates:
            week = week_of.get(date)
            if week is None or week not in by_week:
                continue
            group = by_week[week]
            for s in range(group.n_slots):
                place = plan.place.get((week, s, date))
                if place is None:
                    continue
                placed.append(place)
                if date in limit.no_plyo:
                    model.add_implication(place, plan.plyometric(group.index, s).Not())
                if limit.minutes is not None:
                    on_day = model.new_int_var(0, MAX_DAY_MINUTES, f"return[{index},{date},s{s}]")
                    model.add(on_day >= plan.minutes[group.index, s]).only_enforce_if(place)
                    used.append(on_day)
        if limit.minutes is not None and used:
            done = [problem.fixed.get(date) for date in limit.dates]
            fixed_minutes = sum(session.minutes for session in done if session is not None)
            model.add(sum(used) <= max(0, limit.minutes - fixed_minutes))
        if limit.sessions is not None:
            given = sum(problem.fixed.get(date) is not None for date in limit.dates)
            model.add(sum(placed) <= max(0, limit.sessions - given))
