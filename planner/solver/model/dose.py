"""The dose of strength work: the unilateral share (R11), and the floor's soft targets, each a
shortfall the floor minimises: hard sessions (R13), the minimum effective dose (R16) and heavy
strength (R19)."""

from __future__ import annotations

from planner.domain.calendar import Day
from planner.domain.catalog import Exercise, heavy
from planner.rules import R11, R13, R16, R19
from planner.solver.model.variables import LinearExpr, PlanModel
from planner.solver.problem import DOSE_SCALE, RATIO_SCALE, Candidate, Group, Problem
from planner.vocabulary import LOAD_EQUIPMENT

FOCUS_DOSE = 3  # R16 (d): sets x contribution a focus target weighted 4-5 gets per week
FOCUS_WEIGHT = 4
# R15's revision: the accessory block serves these focus targets (weighted 4-5).
ACCESSORY_TARGETS = (
    "hip_stability", "calf_achilles", "posture", "posterior_chain", "knee_resilience",
)  # fmt: skip
MAINTENANCE_EXERCISES, MAINTENANCE_SETS = 2, 4  # R16 (b)
STRENGTH_EXERCISES = 2  # R16 (a): per hard session of a base or build loading week
WEEK_MINUTES = 60  # R16 (f)
HEAVY_EXERCISES, HEAVY_SETS = 2, 6  # R19: a base or build week of an intermediate or advanced
NOVICE_LOADED_SETS = 3  # R19: a novice's loading week from the second mesocycle on


def add_unilateral_share(plan: PlanModel) -> None:
    """R11: in a week with strength work, at least `unilateral_share` of its strength sets
    are unilateral."""
    model, problem = plan.model, plan.problem
    share = round(problem.scenario.rules.unilateral_share * RATIO_SCALE)
    for group in problem.groups:
        g = group.index
        fixed = plan.fixed(g)
        total, unilateral = fixed.strength_sets, fixed.unilateral_sets
        for s in range(group.n_slots):
            for var, candidate, option in plan.slot_terms(g, s):
                if candidate.exercise.category == "strength":  # type: ignore[attr-defined]
                    total += option.sets * var  # type: ignore[attr-defined]
                    if "unilateral" in candidate.exercise.tags:  # type: ignore[attr-defined]
                        unilateral += option.sets * var  # type: ignore[attr-defined]
        if not isinstance(total, int):
            plan.enforce(model.add(RATIO_SCALE * unilateral >= share * total), R11, group.weeks[0])


def add_hard_session_targets(plan: PlanModel) -> None:
    """R13: hard sessions per week (base and build >= 2, peak >= 1, deload >= 1). Soft: the
    missing sessions are counted in `shortfall`; with `rules.strict` they must be zero."""
    model, problem = plan.model, plan.problem
    strict = problem.scenario.rules.strict
    for group in problem.groups:
        g = group.index
        hard_sessions = sum(plan.hard[g, s] for s in range(group.n_slots)) + plan.fixed(g).hard
        missing = model.new_int_var(0, group.min_hard, f"shortfall_R13[g{g}]")
        model.add(missing >= group.min_hard - hard_sessions)
        plan.shortfall[g] = missing
        if (strict or plan.explain) and group.min_hard > 0:
            for week in group.weeks:
                plan.enforce(model.add(missing == 0), R13, week)


def add_minimum_dose(plan: PlanModel) -> None:
    """R16, the minimum effective dose, as shortfalls the floor minimises after R13 (zero
    with `rules.strict`): (a) a base or build loading week holds `strength_sets` lower-body
    strength sets, and each hard session 2 strength exercises, a knee- and a hip-dominant
    one where the kit allows; (b) a peak week a maintenance session (2 strength exercises,
    4 sets); (c) a taper week a session where a day allows; (d) a focus target weighted 4-5
    a dose of 3 in base and build loading weeks, and where it is hip stability, calf and
    Achilles, posture or posterior chain an accessory whose largest contribution it is
    (R15's revision, counted here as a dose); (e) a loading week's hard session
    `full_session_minutes`, or its whole day where that is less; (f) a base or build
    loading week min(60, half the minutes of its hard-session days). A week with R20's
    recovery days is asked no weekly target (a, d, f)."""
    model, problem = plan.model, plan.problem
    rules, athlete = problem.scenario.rules, problem.scenario.athlete
    strength = lambda e: e.category == "strength"  # noqa: E731
    lower_body = lambda c: strength(c.exercise) and "lower_body" in c.exercise.tags  # noqa: E731

    for group in problem.groups:
        g, first = group.index, group.weeks[0]
        preparing = group.kind == "loading" and group.phase in ("base", "build")
        weekly = preparing and not _recovering(problem, group)
        slots = range(group.n_slots)
        fixed = plan.fixed(g)
        if weekly:
            sets = rules.strength_sets[athlete.level]
            total = LinearExpr.sum([plan.sets_of(g, s, lower_body) for s in slots])
            plan.add_shortfall(R16, ("sets", g, 0, ""), sets - total - fixed.lower_body_sets, sets)
            for target in group.weights:
                if athlete.focus_weight(target) < FOCUS_WEIGHT:
                    continue
                wanted = FOCUS_DOSE * DOSE_SCALE
                gap = wanted - plan.dose(g, target) - fixed.dose.get(target, 0)
                plan.add_shortfall(R16, ("focus", g, 0, target), gap, wanted)
                if target not in ACCESSORY_TARGETS:
                    continue
                serving = [c for c in group.candidates if _serves(c.exercise, target)]
                catalog = problem.catalog.by_id()
                if serving and not any(_serves(catalog[e], target) for e in fixed.exercises):
                    picks = [plan.pick(g, s, c.id) for s in slots for c in serving]
                    plan.add_shortfall(R16, ("focus_accessory", g, 0, target), 1 - sum(picks), 1)
        if preparing:
            patterns = [
                pattern
                for pattern in ("knee", "hip")
                if any(lower_body(c) and c.exercise.pattern == pattern for c in group.candidates)
            ]
            for s in slots:
                gap = STRENGTH_EXERCISES * plan.hard[g, s] - plan.count(g, s, strength)
                plan.add_shortfall(R16, ("exercises", g, 0, f"s{s}"), gap, STRENGTH_EXERCISES)
                held = []
                for pattern in patterns:
                    has = model.new_bool_var(f"pattern[g{g},s{s},{pattern}]")
                    model.add(
                        plan.count(g, s, lambda e, p=pattern: strength(e) and e.pattern == p) >= has
                    )
                    held.append(has)
                if held:
                    gap = len(held) * plan.hard[g, s] - sum(held)
                    plan.add_shortfall(R16, ("patterns", g, 0, f"s{s}"), gap, len(held))
        if group.kind == "loading" and group.phase == "peak":
            kept = []
            for s in slots:
                held_ = model.new_bool_var(f"maintenance[g{g},s{s}]")
                enough = plan.count(g, s, strength) >= MAINTENANCE_EXERCISES
                model.add(enough).only_enforce_if(held_)
                model.add(plan.strength_sets(g, s) >= MAINTENANCE_SETS).only_enforce_if(held_)
                kept.append(held_)
            unkept = 1 - sum(kept) - int(fixed.maintenance)
            plan.add_shortfall(R16, ("maintenance", g, 0, ""), unkept, 1)
        minimum = rules.min_session_minutes
        offered = any(d.takes_session(minimum) for d in problem.weeks[first - 1].days)
        if group.kind == "taper" and offered:
            taper_slot: LinearExpr | int = plan.active[g, 0] if group.n_slots else 0
            plan.add_shortfall(R16, ("taper", g, 0, ""), 1 - taper_slot - min(1, fixed.sessions), 1)
        if group.kind != "loading":
            continue
        full = rules.full_session_minutes
        for week in group.weeks:
            days = problem.session_days(problem.weeks[week - 1])
            for s in slots:
                var = plan.add_shortfall(R16, ("session_minutes", g, week, f"s{s}"), 0, full)
                for day in days:
                    need = min(full, day.available_minutes)
                    place = plan.place[week, s, day.date]
                    model.add(plan.minutes[g, s] + var >= need * (place + plan.hard[g, s] - 1))
            if weekly:
                offer = sum(
                    day.available_minutes
                    for day in problem.weeks[week - 1].days
                    if day.takes_session(minimum) and day.hard_allowed
                )
                wanted = min(WEEK_MINUTES, offer // 2)
                have = plan.week_minutes(g) + fixed.minutes
                plan.add_shortfall(R16, ("week_minutes", g, week, ""), wanted - have, wanted)


def _recovering(problem: Problem, group: Group) -> bool:
    """Does a week of the group hold R20's recovery days (no weekly dose target then)?"""
    return any(problem.weeks[week - 1].recovering for week in group.weeks)


def _serves(exercise: Exercise, target: str) -> bool:
    """An accessory whose largest contribution is `target` (R15's revision: the accessory
    block serves the athlete's imbalances)."""
    largest = max(exercise.targets.values())
    return exercise.category == "accessory" and exercise.targets.get(target) == largest


def add_heavy_strength(plan: PlanModel) -> None:
    """R19, heavy strength where the kit allows, as shortfalls the floor minimises after R16
    (zero with `rules.strict`). For an intermediate or advanced athlete: a loading week's
    hard session on a day whose kit holds external load holds a heavy lift (an externally
    loaded lower-body strength exercise at 3-6 reps, `heavy`), and a base or build loading
    week with such a day holds `HEAVY_EXERCISES` different heavy lifts and `HEAVY_SETS`
    sets of them. A novice with external load holds `NOVICE_LOADED_SETS` sets of a loaded
    lower-body lift in each loading week from the second mesocycle on. Where the catalog
    has no such lift for the athlete's kit, nothing is asked; R20's recovery weeks are
    asked no weekly target."""
    problem = plan.problem
    level = problem.scenario.athlete.level
    for group in problem.groups:
        if group.kind != "loading":
            continue
        g = group.index
        kit_days = {
            week: [d for d in problem.session_days(problem.weeks[week - 1]) if _loaded_kit(d)]
            for week in group.weeks
        }
        if not any(kit_days.values()):
            continue
        weekly = group.phase in ("base", "build") and not _recovering(problem, group)
        slots = range(group.n_slots)
        if level == "novice":
            if weekly and not group.first_mesocycle and any(map(_loaded_lift, group.candidates)):
                sets = LinearExpr.sum([plan.sets_of(g, s, _loaded_lift) for s in slots])
                gap = NOVICE_LOADED_SETS - sets
                plan.add_shortfall(R19, ("loaded_sets", g, 0, ""), gap, NOVICE_LOADED_SETS)
            continue
        lifts = [c for c in group.candidates if _heavy_lift(c)]
        if not lifts:
            continue
        every_day = all(
            len(kit_days[week]) == len(problem.session_days(problem.weeks[week - 1]))
            for week in group.weeks
        )
        for s in slots:
            lifted = LinearExpr.sum([plan.pick(g, s, c.id) for c in lifts])
            if every_day:
                gap = plan.hard[g, s] - lifted
                plan.add_shortfall(R19, ("heavy_session", g, 0, f"s{s}"), gap, 1)
                continue
            for week in group.weeks:
                on_kit = sum(plan.place[week, s, d.date] for d in kit_days[week])
                gap = plan.hard[g, s] + on_kit - 1 - lifted
                plan.add_shortfall(R19, ("heavy_session", g, week, f"s{s}"), gap, 1)
        if weekly:
            different = sum(plan.uses(g, c.id) for c in lifts)
            missing = HEAVY_EXERCISES - different
            plan.add_shortfall(R19, ("heavy_exercises", g, 0, ""), missing, HEAVY_EXERCISES)
            sets = LinearExpr.sum([plan.sets_of(g, s, _heavy_lift) for s in slots])
            plan.add_shortfall(R19, ("heavy_sets", g, 0, ""), HEAVY_SETS - sets, HEAVY_SETS)


def _loaded_kit(day: Day) -> bool:
    return bool(day.equipment & LOAD_EQUIPMENT)


def _loaded_lift(candidate: Candidate) -> bool:
    """An externally loaded lower-body strength exercise (R19, a novice's)."""
    exercise = candidate.exercise
    return exercise.category == "strength" and "lower_body" in exercise.tags and exercise.loaded


def _heavy_lift(candidate: Candidate) -> bool:
    """A loaded lower-body strength exercise at 3-6 reps (R19)."""
    return heavy(candidate.exercise, candidate.prescription)
