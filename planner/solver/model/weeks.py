"""The rules that link weeks or hold across them: plyometric limits (R5), the taper (R6),
deloads (R8) and the load ramp (R12) through `_weekly_link`, progressions (R9) and no novelty
(R14)."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.rules import R5, R6, R8, R9, R12, R14, Rule
from planner.solver.model.variables import LinearExpr, PlanModel, _selects
from planner.solver.problem import RATIO_SCALE, Fixed, Group, week_roles
from planner.vocabulary import ANTI_MOVEMENT_TAGS


def add_plyometric_limits(plan: PlanModel) -> None:
    """R5: ground contacts per session within the level cap (`plyo_contacts`); plyometric
    sessions per week within `plyo_sessions_per_week` (novice 1, others 2)."""
    model, problem = plan.model, plan.problem
    level = problem.scenario.athlete.level
    cap = problem.scenario.rules.plyo_contacts[level]
    weekly = problem.scenario.rules.plyo_sessions_per_week[level]
    for group in problem.groups:
        g = group.index
        plyo_slots = []
        for s in range(group.n_slots):
            contacts = sum(var * opt.contacts for var, _, opt in plan.slot_terms(g, s))  # type: ignore[attr-defined]
            plan.enforce(model.add(contacts <= cap), R5, group.weeks[0])
            plyo_slots.append(plan.plyometric(g, s))
        room = max(0, weekly - plan.fixed(g).plyo)
        plan.enforce(model.add(sum(plyo_slots) <= room), R5, group.weeks[0])


def _week_minutes_by_week(plan: PlanModel) -> dict[int, LinearExpr | int]:
    """Each week's gym minutes: an expression for the planned weeks (plus their fixed
    days), a constant for a replan's history weeks. Weeks outside a part are left out."""
    return _week_figure_by_week(plan, PlanModel.slot_minutes, lambda fixed: fixed.minutes)


def _week_figure_by_week(
    plan: PlanModel,
    of_slot: Callable[[PlanModel, int, int], LinearExpr],
    of_fixed: Callable[[Fixed], int | None],
) -> dict[int, LinearExpr | int]:
    """A weekly figure (minutes, strength sets, ...) by week: the planned slots' sum plus
    what fixed days hold, a constant for a replan's history weeks. Weeks outside a part,
    and fixed days whose figure is unknown (`of_fixed` gives None), are left out."""
    problem = plan.problem
    by_week = problem.group_of_week()
    figures: dict[int, LinearExpr | int] = {}
    for week in problem.scope_weeks():
        group = by_week[week.index]
        fixed = of_fixed(plan.fixed(group.index)) if group.fixed else 0
        if fixed is not None:
            slots = [of_slot(plan, group.index, s) for s in range(group.n_slots)]
            figures[week.index] = LinearExpr.sum(slots) + fixed
    for week in problem.history_weeks():
        fixed = of_fixed(problem.fixed_week(week.index))
        if fixed is not None:
            figures[week.index] = fixed
    return figures


def add_taper_limits(plan: PlanModel) -> None:
    """R6: a taper week has at most `taper_max_sessions` sessions (its slot count) and at
    most `taper_volume` x the mean gym minutes of the 3 weeks before the taper."""
    problem = plan.problem
    share = round(problem.scenario.rules.taper_volume * RATIO_SCALE)
    minutes = _week_minutes_by_week(plan)
    for week in problem.scope_weeks():
        if week.phase != "taper":
            continue
        reference = problem.calendar.taper_reference_weeks(week.index)
        if not reference or any(ref.index not in minutes for ref in reference):
            continue
        within = RATIO_SCALE * len(reference) * minutes[week.index] <= share * sum(
            minutes[ref.index] for ref in reference
        )
        facts = problem.facts_week(week.index).minutes
        _weekly_link(plan, R6, week.index, [within], minutes[week.index], facts)


def add_deload_volume(plan: PlanModel) -> None:
    """R8: a deload week's gym minutes, strength sets and plyometric contacts are at most
    `deload_volume` x the last loading week's, and it brings in no exercise its mesocycle's
    loading weeks did not hold (an honest deload: the same movements, less of them). The
    deload weeks themselves, an empty week among them, are picked by the calendar."""
    problem = plan.problem
    share = round(problem.scenario.rules.deload_volume * RATIO_SCALE)
    figures = [
        (_week_minutes_by_week(plan), lambda fixed: fixed.minutes),
        (
            _week_figure_by_week(plan, PlanModel.strength_sets, lambda f: f.strength_sets),
            lambda fixed: fixed.strength_sets,
        ),
        (
            _week_figure_by_week(plan, PlanModel.contacts, lambda f: f.contacts),
            lambda fixed: fixed.contacts,
        ),
    ]
    for week in problem.scope_weeks():
        if not week.deload:
            continue
        previous = [w for w in problem.weeks[: week.index - 1] if w.loading]
        for figure, of_fixed in figures:
            if not previous or previous[-1].index not in figure or week.index not in figure:
                continue
            within = RATIO_SCALE * figure[week.index] <= share * figure[previous[-1].index]
            facts = of_fixed(problem.facts_week(week.index))
            _weekly_link(plan, R8, week.index, [within], figure[week.index], facts)
    _nothing_new(
        plan,
        R8,
        lambda group, _: group.mesocycle if group.kind == "deload" else None,
        lambda exercise: True,
    )


def _nothing_new(
    plan: PlanModel,
    rule: Rule,
    source: Callable[[Group, list[int]], int | None],
    counted: Callable[..., bool],
) -> None:
    """No exercise that passes `counted` appears in a group unless a loading week of the
    mesocycle `source` names for it (given the loading mesocycles in order; None: the group
    is free) held it; a replan's fixed days count with what they held. Where a week of that
    mesocycle lies outside the problem (a part of it), the condition reaches outside and is
    skipped: a relaxation."""
    model, problem = plan.model, plan.problem
    covered = problem.group_of_week()
    history = {week.index for week in problem.history_weeks()}
    roles = week_roles(problem.calendar)
    loading_weeks: dict[int, list[int]] = {}
    for week, (kind, mesocycle) in zip(problem.weeks, roles, strict=True):
        if kind == "loading":
            loading_weeks.setdefault(mesocycle, []).append(week.index)
    for group in problem.groups:
        origin = source(group, sorted(loading_weeks))
        if origin is None or not group.n_slots:
            continue
        first = group.weeks[0]
        earlier_weeks = [w for w in loading_weeks.get(origin, []) if w < first]
        if any(week not in covered and week not in history for week in earlier_weeks):
            continue
        earlier = {covered[week].index: covered[week] for week in earlier_weeks if week in covered}
        done = frozenset().union(
            plan.fixed(group.index).exercises,
            *(problem.fixed_week(week).exercises for week in earlier_weeks if week in history),
            *(other.fixed.exercises for other in earlier.values() if other.fixed),
        )
        for candidate in group.candidates:
            if not counted(candidate.exercise) or candidate.id in done:
                continue
            held = [
                plan.uses(other.index, candidate.id)
                for other in earlier.values()
                if any(c.id == candidate.id for c in other.candidates)
            ]
            new = model.add(plan.uses(group.index, candidate.id) <= sum(held))
            plan.enforce(new, rule, first)


def _peak_source(group: Group, mesocycles: list[int]) -> int | None:
    """A peak group's exercises come from the loading mesocycle before it (R14)."""
    if group.kind != "loading" or group.phase != "peak":
        return None
    before = [m for m in mesocycles if m < group.mesocycle]
    return before[-1] if before else None


def add_no_novelty(plan: PlanModel) -> None:
    """R14: a mesocycle's main exercises repeat week to week (the shape of the variables:
    a group's content serves all its weeks), and a plyometric or main strength exercise
    never appears for the first time in a deload, peak or taper week (the revision). A
    deload holds only its mesocycle's exercises (R8); a taper only light sessions (R15);
    the peak's plyometric and strength exercises come from the mesocycle before it, which
    the peak maintains (stricter than "held in some earlier week", and it keeps the peak in
    one part with that mesocycle). That a new mesocycle changes a main strength exercise
    is not asked here: it would link every mesocycle to the next, and no part could then
    bound the whole; the plan warns where it does not (`plan_builder.variety_warnings`)."""
    _nothing_new(
        plan,
        R14,
        _peak_source,
        lambda exercise: exercise.plyometric or exercise.category == "strength",
    )


def add_progressions(plan: PlanModel) -> None:
    """R9: rotation core work only after at least `progression_weeks` (3) earlier weeks with
    anti-movement core work; advanced plyometrics only after as many earlier weeks of basic
    plyometrics (levels and exercises above the athlete's level are removed before the
    model is built)."""
    model, problem = plan.model, plan.problem
    needed = problem.scenario.rules.progression_weeks
    gates = [
        (
            "rotation",
            lambda e: "rotation" in e.tags,
            lambda e: bool(e.tags & ANTI_MOVEMENT_TAGS) and e.category == "core",
        ),
        (
            "plyo_advanced",
            lambda e: "plyo_advanced" in e.tags,
            lambda e: e.plyometric and "plyo_advanced" not in e.tags,
        ),
    ]
    for name, gated, prerequisite in gates:
        done: dict[int, cp_model.IntVar] = {}
        for group in problem.groups:
            g = group.index
            has = model.new_bool_var(f"{name}_prereq[g{g}]")
            lits = [v for s in range(group.n_slots) for v in _selects(plan, g, s, prerequisite)]
            fixed = plan.fixed(g)
            model.add(
                sum(lits) + int(fixed.anti_core if name == "rotation" else fixed.basic_plyo) >= has
            )
            done[g] = has
        for group in problem.groups:
            g = group.index
            uses = [v for s in range(group.n_slots) for v in _selects(plan, g, s, gated)]
            if not uses:
                continue
            first = group.weeks[0]
            # Weeks outside this (part of the) problem count as done: a relaxation.
            assumed = sum(1 for other in problem.outside for w in other.weeks if w < first)
            # A replan's history weeks count as they were done.
            assumed += sum(
                1
                for week in problem.history_weeks()
                if week.index < first
                and (
                    problem.fixed_week(week.index).anti_core
                    if name == "rotation"
                    else problem.fixed_week(week.index).basic_plyo
                )
            )
            earlier = assumed + sum(
                sum(1 for w in other.weeks if w < first) * done[other.index]
                for other in problem.groups
                if other.weeks[0] < first
            )
            if isinstance(earlier, int) and earlier < needed:
                for var in uses:
                    model.add(var == 0)
                continue
            gate = model.new_bool_var(f"{name}_allowed[g{g}]")
            prerequisite_met = model.add(earlier >= needed).only_enforce_if(gate)
            plan.enforce(prerequisite_met, R9, first)
            for var in uses:
                model.add_implication(var, gate)


def add_load_ramp(plan: PlanModel) -> None:
    """R12: a loading week's gym minutes are at most `ramp` x the mean of the last 3 loading
    weeks that life did not empty, plus `ramp_extra_minutes` (15), and never less than that
    mean plus one full session (`full_session_minutes`). The first week and the week after
    a deload, taper or empty week are exempt (`Calendar.ramp_reference_weeks`)."""
    problem = plan.problem
    rules = problem.scenario.rules
    ramp = round(rules.ramp * RATIO_SCALE)
    minutes = _week_minutes_by_week(plan)
    by_week = problem.group_of_week()
    for week in problem.scope_weeks():
        reference = problem.calendar.ramp_reference_weeks(week.index)
        if not reference or any(ref not in minutes for ref in reference):
            continue
        if all(by_week[week.index] is by_week.get(ref) for ref in reference):
            continue  # same sessions: the minutes are equal
        count, total = len(reference), sum(minutes[ref] for ref in reference)
        by_ramp = (
            RATIO_SCALE * count * minutes[week.index]
            <= ramp * total + rules.ramp_extra_minutes * count * RATIO_SCALE
        )
        by_session = count * minutes[week.index] <= total + rules.full_session_minutes * count
        facts = problem.facts_week(week.index).minutes
        _weekly_link(plan, R12, week.index, [by_ramp, by_session], minutes[week.index], facts)


def _weekly_link(
    plan: PlanModel,
    rule: Rule,
    week: int,
    alternatives: list[cp_model.BoundedLinearExpression | bool],
    figure: LinearExpr | int,
    facts: int,
) -> None:
    """A rule linking a week's figure to earlier weeks' (R6, R8, R12): one of `alternatives`
    holds. In a replan whose history (`facts`: what the week's done days hold) already puts
    the week over the link, the link gives way to the history, and only to it: the week may
    hold what was done and nothing more. Between constant weeks it is decided here: kept,
    or broken by frozen days, which makes the model infeasible (the replan opens them)."""
    options = [*alternatives, figure <= facts] if facts else alternatives
    if any(option is True for option in options):
        return
    options = [option for option in options if option is not False]
    model = plan.model
    if not options:
        plan.enforce(model.add_bool_or([]), rule, week)
        return
    if len(options) == 1:
        plan.enforce(model.add(options[0]), rule, week)
        return
    chosen = [model.new_bool_var(f"{rule.id}_way[w{week},{i}]") for i in range(len(options))]
    for option, literal in zip(options, chosen, strict=True):
        model.add(option).only_enforce_if(literal)
    plan.enforce(model.add_bool_or(chosen), rule, week)
