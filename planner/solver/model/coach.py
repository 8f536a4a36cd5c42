"""The coach's say (R18): pinned days and included exercises."""

from __future__ import annotations

from planner.rules import BY_ID, R18
from planner.solver.model.variables import PlanModel
from planner.solver.problem import unusable


def add_coach_say(plan: PlanModel) -> None:
    """R18: a pinned day holds what the coach pins (no session, a hard or light one, or one
    holding the pinned exercises), and every loading group with a hard session holds each
    included exercise its candidates allow (level, kit, avoided tags: a main exercise of
    its mesocycle, R14 repeating it week to week). Excluded exercises are no candidates
    (`usable_exercises`). A pin on a fixed day (a replan's history) is a fact, not asked."""
    model, problem = plan.model, plan.problem
    coach = problem.scenario.coach
    by_week = problem.group_of_week()
    days = {day.date: day for day in problem.calendar.days}
    for pin in coach.pin:
        day = days[pin.date]
        group = by_week.get(day.week)
        if group is None or pin.date in problem.fixed:
            continue
        places = [
            (s, plan.place[day.week, s, pin.date])
            for s in range(group.n_slots)
            if (day.week, s, pin.date) in plan.place
        ]
        if pin.session == "none":
            for _, place in places:
                plan.enforce(model.add(place == 0), R18, day.week)
            continue
        if not places:  # no session can fall on the day (R1, R7): the pin cannot hold
            plan.enforce(model.add_bool_or([]), R18, day.week)
            continue
        # One slot on the day holds the pinned session: of the pinned kind, with the
        # pinned exercises.
        chosen = []
        for s, place in places:
            lit = model.new_bool_var(f"pinned[{pin.date},s{s}]")
            model.add_implication(lit, place)
            if pin.session is not None:
                hard = plan.hard[group.index, s]
                model.add_implication(lit, hard if pin.session == "hard" else hard.Not())
            for exercise in pin.exercises or ():
                if any(c.id == exercise for c in group.candidates):
                    model.add(plan.pick(group.index, s, exercise) >= 1).only_enforce_if(lit)
                else:  # the athlete may not do it (level R9, kit R10): that rule says no
                    known = problem.catalog.by_id().get(exercise)
                    reason = unusable(problem.scenario, known) if known else None
                    rule = BY_ID[reason[0]] if reason else R18
                    plan.enforce(model.add_bool_or([lit.Not()]), rule, day.week)
            chosen.append(lit)
        plan.enforce(model.add(sum(chosen) == 1), R18, day.week)
    for group in problem.groups:
        if group.kind != "loading":
            continue
        offered = {c.id for c in group.candidates}
        for exercise in coach.include:
            if exercise not in offered:
                continue
            uses = plan.uses(group.index, exercise)
            for s in range(group.n_slots):
                used = model.add_implication(plan.hard[group.index, s], uses)
                plan.enforce(used, R18, group.weeks[0])
