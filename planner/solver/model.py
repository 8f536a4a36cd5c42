"""The CP-SAT encoding of a Problem. Each coaching rule is added by its own function.

Variables (see planner/problem.py for the structure):
- `option[g, s, e, k]`: slot s of group g holds exercise e with its k-th set option;
- `active[g, s]`, `hard[g, s]`: the slot is used / holds power or strength work;
- `place[w, s, d]`: in week w, slot s is on day d (a date);
- `benefit[g, t]`: the concave benefit of target t in one week of group g (hypograph).
Everything else is a linear expression of these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.domain.scenario import MAX_DAY_MINUTES
from planner.rules import R1, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R15, R16, Rule
from planner.solver.problem import (
    DOSE_SCALE,
    RATIO_SCALE,
    Fixed,
    Group,
    Problem,
    curve_units,
)
from planner.vocabulary import ANTI_MOVEMENT_TAGS, CATEGORIES, OPENER_TAGS

LinearExpr = cp_model.LinearExpr

# The floor: R13 first, then R16, as one weighted sum. A missed hard session weighs more
# than every R16 shortfall of a week together, so the floor is lexicographic.
R13_WEIGHT = 10_000
# R16 parts, per unit missed: a strength set, a strength exercise of a session, a
# maintenance or taper session, a dose unit of a focus target, a minute of a session or week.
R16_WEIGHTS = {"sets": 20, "exercises": 40, "maintenance": 80, "taper": 80, "focus": 5,
               "session_minutes": 3, "week_minutes": 2}  # fmt: skip
FOCUS_DOSE = 3  # R16 (d): sets x contribution a focus target weighted 4-5 gets per week
FOCUS_WEIGHT = 4
MAINTENANCE_EXERCISES, MAINTENANCE_SETS = 2, 4  # R16 (b)
STRENGTH_EXERCISES = 2  # R16 (a): per hard session of a base or build loading week
WEEK_MINUTES = 60  # R16 (f)

NOTHING_FIXED = Fixed()
DoseKey = tuple[str, int, int, str]  # (R16 part, group, week or 0, slot or target)


@dataclass
class PlanModel:
    problem: Problem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    option: dict[tuple[int, int, str, int], cp_model.IntVar] = field(default_factory=dict)
    active: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    hard: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    place: dict[tuple[int, int, dt.date], cp_model.IntVar] = field(default_factory=dict)
    benefit: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)
    minutes: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    shortfall: dict[int, cp_model.IntVar] = field(default_factory=dict)  # R13, per group
    # R16's shortfalls by (part, group, week or 0, detail): what the floor minimises after R13.
    dose_shortfall: dict[DoseKey, cp_model.IntVar] = field(default_factory=dict)
    plyo: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    # With `explain`, every rule constraint is enforced by a literal per (rule id, week):
    # the explainer solves under assumptions to find a minimal conflicting set.
    explain: bool = False
    switches: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)

    # --- expressions -------------------------------------------------------------------

    def pick(self, g: int, s: int, exercise: str) -> LinearExpr:
        group = self.problem.group(g)
        candidate = next(c for c in group.candidates if c.id == exercise)
        return LinearExpr.sum(
            [self.option[g, s, exercise, k] for k in range(len(candidate.options))]
        )

    def slot_terms(self, g: int, s: int) -> list[tuple[cp_model.IntVar, object, object]]:
        group = self.problem.group(g)
        return [
            (self.option[g, s, c.id, k], c, opt)
            for c in group.candidates
            for k, opt in enumerate(c.options)
        ]

    def slot_minutes(self, g: int, s: int) -> cp_model.IntVar:
        return self.minutes[g, s]

    def week_minutes(self, g: int) -> LinearExpr:
        return LinearExpr.sum([self.minutes[g, s] for s in range(self.problem.group(g).n_slots)])

    def total_minutes(self) -> LinearExpr:
        return LinearExpr.weighted_sum(
            [
                self.minutes[group.index, s]
                for group in self.problem.groups
                for s in range(group.n_slots)
            ],
            [group.size for group in self.problem.groups for _ in range(group.n_slots)],
        )

    def total_benefit(self) -> LinearExpr:
        terms = [
            (self.benefit[group.index, target], group.size * weight)
            for group in self.problem.groups
            for target, weight in group.weights.items()
        ]
        total = LinearExpr.weighted_sum([var for var, _ in terms], [coef for _, coef in terms])
        offset = self.problem.benefit_offset()
        return total - offset if offset else total

    def fixed(self, g: int) -> Fixed:
        """What the fixed days of group g's week hold (a replan's seam week), else nothing."""
        return self.problem.group(g).fixed or NOTHING_FIXED

    def floor_terms(self) -> list[tuple[cp_model.IntVar, int]]:
        """The floor's shortfalls with their weights (whole weeks counted)."""
        sizes = {group.index: group.size for group in self.problem.groups}
        terms = [(var, R13_WEIGHT * sizes[g]) for g, var in self.shortfall.items()]
        for (part, g, week, _), var in self.dose_shortfall.items():
            terms.append((var, R16_WEIGHTS[part] * (1 if week else sizes[g])))
        return terms

    def floor(self) -> LinearExpr:
        terms = self.floor_terms()
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def plyometric(self, g: int, s: int) -> cp_model.IntVar:
        """True exactly when slot s of group g holds a plyometric item (created on first use)."""
        if (g, s) not in self.plyo:
            lit = self.model.new_bool_var(f"plyo[g{g},s{s}]")
            items = _selects(self, g, s, lambda e: e.plyometric)
            for var in items:
                self.model.add_implication(var, lit)
            self.model.add(sum(items) >= lit)
            self.plyo[g, s] = lit
        return self.plyo[g, s]

    def count(self, g: int, s: int, test: Callable[..., bool]) -> LinearExpr:
        return LinearExpr.sum(_selects(self, g, s, test))

    def strength_sets(self, g: int, s: int) -> LinearExpr:
        terms = [
            (var, opt.sets)  # type: ignore[attr-defined]
            for var, candidate, opt in self.slot_terms(g, s)
            if candidate.exercise.category == "strength"  # type: ignore[attr-defined]
        ]
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def dose(self, g: int, target: str) -> LinearExpr:
        terms = [
            (var, opt.dose[target])  # type: ignore[attr-defined]
            for s in range(self.problem.group(g).n_slots)
            for var, _, opt in self.slot_terms(g, s)
            if opt.dose.get(target, 0)  # type: ignore[attr-defined]
        ]
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def enforce(self, constraint: cp_model.Constraint, rule: Rule, week: int) -> None:
        """Tie a rule's constraint to its (rule id, week) switch when explaining."""
        if self.explain:
            key = (rule.id, week)
            if key not in self.switches:
                self.switches[key] = self.model.new_bool_var(f"enable[{rule.id},w{week}]")
            constraint.only_enforce_if(self.switches[key])


def _selects(plan: PlanModel, g: int, s: int, test: Callable[..., bool]) -> list[cp_model.IntVar]:
    return [var for var, candidate, _ in plan.slot_terms(g, s) if test(candidate.exercise)]  # type: ignore[attr-defined]


# --- variables -----------------------------------------------------------------------------


def add_variables(plan: PlanModel) -> None:
    """The decisions. R14 lives in their shape: a slot's content is chosen once for all the
    weeks of its group (a mesocycle's loading weeks), so its exercises repeat week to week;
    its day is chosen per week."""
    model, problem = plan.model, plan.problem
    for group in problem.groups:
        g = group.index
        for s in range(group.n_slots):
            plan.active[g, s] = model.new_bool_var(f"active[g{g},s{s}]")
            plan.hard[g, s] = model.new_bool_var(f"hard[g{g},s{s}]")
            for candidate in group.candidates:
                for k in range(len(candidate.options)):
                    plan.option[g, s, candidate.id, k] = model.new_bool_var(
                        f"option[g{g},s{s},{candidate.id},{k}]"
                    )
            plan.minutes[g, s] = model.new_int_var(0, MAX_DAY_MINUTES, f"minutes[g{g},s{s}]")
            model.add(
                plan.minutes[g, s]
                == sum(var * opt.minutes for var, _, opt in plan.slot_terms(g, s))  # type: ignore[attr-defined]
            )
        for target in group.weights:
            plan.benefit[g, target] = model.new_int_var(
                0, problem.curve_max[target], f"benefit[g{g},{target}]"
            )
        for week in group.weeks:
            days = problem.session_days(problem.weeks[week - 1])
            for s in range(group.n_slots):
                for day in days:
                    plan.place[week, s, day.date] = model.new_bool_var(
                        f"place[w{week},s{s},{day.date}]"
                    )


# --- session structure (R2) and placement (R1) ---------------------------------------------


def add_session_template(plan: PlanModel) -> None:
    """R2: a session opens with a hip or ankle mobility item, follows the template order
    (mobility, power, strength, accessory, core; the order is fixed when the plan is
    written), and holds each exercise at most once. Item counts per category follow
    `items_per_session` in the benefit model. Slots are ordered (active, hard first, longer
    first) to break symmetry."""
    model, problem = plan.model, plan.problem
    limits = problem.benefit.items_per_session
    for group in problem.groups:
        g = group.index
        for s in range(group.n_slots):
            active, hard = plan.active[g, s], plan.hard[g, s]
            for candidate in group.candidates:
                model.add(plan.pick(g, s, candidate.id) <= active)
            for category in CATEGORIES:
                chosen = sum(_selects(plan, g, s, lambda e, c=category: e.category == c))
                low, high = limits[category]
                model.add(chosen >= low * active)
                model.add(chosen <= high * active)
            openers = _selects(
                plan, g, s, lambda e: e.category == "mobility" and bool(e.tags & OPENER_TAGS)
            )
            model.add(sum(openers) >= active)
            hard_items = _selects(plan, g, s, lambda e: e.hard)
            for var in hard_items:
                model.add_implication(var, hard)
            model.add(sum(hard_items) >= hard)
            minimum = problem.scenario.rules.min_session_minutes
            model.add(plan.slot_minutes(g, s) >= minimum * active)
            if s > 0:
                previous = s - 1
                model.add(plan.active[g, previous] >= active)
                model.add(plan.hard[g, previous] >= hard)
                longer = plan.slot_minutes(g, previous) >= plan.slot_minutes(g, s)
                model.add(longer).only_enforce_if(hard)
                model.add(
                    plan.slot_minutes(g, previous) >= plan.slot_minutes(g, s)
                ).only_enforce_if(plan.hard[g, previous].Not())


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


def add_time_budget(plan: PlanModel) -> None:
    """R1: sessions only on days with at least `min_session_minutes`; a session fits its
    day's minutes; a week's gym minutes stay within `max_per_week`."""
    model, problem = plan.model, plan.problem
    cap = problem.scenario.availability.max_per_week
    for group in problem.groups:
        g = group.index
        for week in group.weeks:
            for day in problem.session_days(problem.weeks[week - 1]):
                for s in range(group.n_slots):
                    fits = model.add(plan.slot_minutes(g, s) <= day.available_minutes)
                    fits.only_enforce_if(plan.place[week, s, day.date])
                    plan.enforce(fits, R1, week)
            if cap is not None:
                room = max(0, cap - plan.fixed(g).minutes)
                plan.enforce(model.add(plan.week_minutes(g) <= room), R1, week)


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
    model, problem = plan.model, plan.problem
    by_week = problem.group_of_week()
    for week in problem.scope_weeks():
        group = by_week[week.index]
        for day in problem.session_days(week):
            if not day.hard_allowed:
                rule = R7 if day.hard_free_race else R4
                for s in range(group.n_slots):
                    both = [plan.place[week.index, s, day.date], plan.hard[group.index, s]]
                    plan.enforce(model.add_bool_or([lit.Not() for lit in both]), rule, week.index)


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
    by_week = plan.problem.group_of_week()
    minutes: dict[int, LinearExpr | int] = {
        week.index: plan.week_minutes(by_week[week.index].index)
        + plan.fixed(by_week[week.index].index).minutes
        for week in plan.problem.scope_weeks()
    }
    for week in plan.problem.history_weeks():
        minutes[week.index] = plan.problem.fixed_week(week.index).minutes
    return minutes


def _constant(*values: LinearExpr | int) -> bool:
    return all(isinstance(value, int) for value in values)


def add_taper_limits(plan: PlanModel) -> None:
    """R6: a taper week has at most `taper_max_sessions` sessions (its slot count) and at
    most `taper_volume` x the mean gym minutes of the 3 weeks before the taper."""
    model, problem = plan.model, plan.problem
    share = round(problem.scenario.rules.taper_volume * RATIO_SCALE)
    minutes = _week_minutes_by_week(plan)
    for week in problem.scope_weeks():
        if week.phase != "taper":
            continue
        reference = problem.calendar.taper_reference_weeks(week.index)
        if not reference or any(ref.index not in minutes for ref in reference):
            continue
        if _constant(minutes[week.index], *(minutes[ref.index] for ref in reference)):
            continue
        limit = model.add(
            RATIO_SCALE * len(reference) * minutes[week.index]
            <= share * sum(minutes[ref.index] for ref in reference)
        )
        plan.enforce(limit, R6, week.index)


def add_deload_volume(plan: PlanModel) -> None:
    """R8: a deload week's gym minutes are at most `deload_volume` x the last loading
    week's. (The deload weeks themselves are picked by the calendar.)"""
    model, problem = plan.model, plan.problem
    share = round(problem.scenario.rules.deload_volume * RATIO_SCALE)
    minutes = _week_minutes_by_week(plan)
    for week in problem.scope_weeks():
        if not week.deload:
            continue
        previous = [w for w in problem.weeks[: week.index - 1] if w.loading]
        if previous and previous[-1].index in minutes:
            if _constant(minutes[week.index], minutes[previous[-1].index]):
                continue
            limit = model.add(
                RATIO_SCALE * minutes[week.index] <= share * minutes[previous[-1].index]
            )
            plan.enforce(limit, R8, week.index)


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


def add_load_ramp(plan: PlanModel) -> None:
    """R12: a loading week's gym minutes are at most `ramp` x the previous loading week's
    plus `ramp_extra_minutes` (15); the first week and the week after a deload or taper are
    exempt."""
    model, problem = plan.model, plan.problem
    ramp = round(problem.scenario.rules.ramp * RATIO_SCALE)
    extra = problem.scenario.rules.ramp_extra_minutes
    minutes = _week_minutes_by_week(plan)
    by_week = problem.group_of_week()
    for week in problem.scope_weeks():
        if week.index == 1:
            continue
        previous = problem.weeks[week.index - 2]
        if not (week.loading and previous.loading) or previous.index not in minutes:
            continue
        if by_week[week.index] is by_week.get(previous.index):
            continue  # same sessions: the minutes are equal
        if _constant(minutes[week.index], minutes[previous.index]):
            continue
        allowed = ramp * minutes[previous.index] + extra * RATIO_SCALE
        limit = model.add(RATIO_SCALE * minutes[week.index] <= allowed)
        plan.enforce(limit, R12, week.index)


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


def add_complete_sessions(plan: PlanModel) -> None:
    """R15: a hard session of a loading week holds all five blocks, its mobility a hip and
    an ankle item; power may be left out only when the athlete has no non-plyometric power
    exercise and R5's plyometric sessions of the week are spent (or there is no power item
    at all). A deload hard session holds mobility, strength and core; a light session
    mobility and core (the template's minimum counts). Taper weeks hold light sessions."""
    model, problem = plan.model, plan.problem
    weekly = problem.scenario.rules.plyo_sessions_per_week[problem.scenario.athlete.level]
    for group in problem.groups:
        g = group.index
        # Advanced plyometrics cannot be placed before R9's basic weeks could have happened.
        gated = group.weeks[0] - 1 < problem.scenario.rules.progression_weeks
        power = [
            c.exercise
            for c in group.candidates
            if c.exercise.category == "power" and not (gated and "plyo_advanced" in c.exercise.tags)
        ]
        steady_power = any(not e.plyometric for e in power)
        for s in range(group.n_slots):
            hard = plan.hard[g, s]
            if group.kind == "taper":
                # The method's taper: the last heavy session is before it, then mobility,
                # light bodyweight work and core. Taper sessions are light ones.
                model.add(hard == 0)
                continue
            required = [lambda e: e.category == "strength"]
            if group.kind == "loading":
                required += [
                    lambda e: e.category == "mobility" and "hip" in e.tags,
                    lambda e: e.category == "mobility" and "ankle" in e.tags,
                    lambda e: e.category == "accessory",
                ]
            for test in required:
                plan.enforce(model.add(plan.count(g, s, test) >= hard), R15, group.weeks[0])
            if group.kind != "loading" or not power:
                continue
            powered = plan.count(g, s, lambda e: e.category == "power")
            if steady_power:
                plan.enforce(model.add(powered >= hard), R15, group.weeks[0])
                continue
            # Only plyometric power: a hard session without it needs the week's cap spent.
            spent = model.new_bool_var(f"plyo_spent[g{g},s{s}]")
            others = [plan.plyometric(g, other) for other in range(group.n_slots) if other != s]
            model.add(sum(others) + plan.fixed(g).plyo >= weekly).only_enforce_if(spent)
            plan.enforce(model.add(powered + spent >= hard), R15, group.weeks[0])


def add_minimum_dose(plan: PlanModel) -> None:
    """R16, the minimum effective dose, as shortfalls the floor minimises after R13 (zero
    with `rules.strict`): (a) a base or build loading week holds `strength_sets` strength
    sets, and each hard session 2 strength exercises; (b) a peak week a maintenance session
    (2 strength exercises, 4 sets); (c) a taper week a session where a day allows; (d) a
    focus target weighted 4-5 a dose of 3 in base and build loading weeks; (e) a loading
    week's hard session `full_session_minutes`, or its whole day where that is less; (f) a
    base or build loading week min(60, half the minutes of its hard-session days)."""
    model, problem = plan.model, plan.problem
    rules, athlete = problem.scenario.rules, problem.scenario.athlete
    strict = rules.strict

    def shortfall(key: DoseKey, gap: LinearExpr | int, most: int, week: int) -> None:
        var = model.new_int_var(0, max(0, most), "shortfall_R16[{},g{},w{},{}]".format(*key))
        model.add(var >= gap)
        plan.dose_shortfall[key] = var
        if strict or plan.explain:
            plan.enforce(model.add(var == 0), R16, week)

    for group in problem.groups:
        g, first = group.index, group.weeks[0]
        preparing = group.kind == "loading" and group.phase in ("base", "build")
        slots = range(group.n_slots)
        strength = lambda e: e.category == "strength"  # noqa: E731
        fixed = plan.fixed(g)
        if preparing:
            sets = rules.strength_sets[athlete.level]
            total = LinearExpr.sum([plan.strength_sets(g, s) for s in slots]) + fixed.strength_sets
            shortfall(("sets", g, 0, ""), sets - total, sets, first)
            for s in slots:
                gap = STRENGTH_EXERCISES * plan.hard[g, s] - plan.count(g, s, strength)
                shortfall(("exercises", g, 0, f"s{s}"), gap, STRENGTH_EXERCISES, first)
            for target in group.weights:
                if athlete.focus_weight(target) >= FOCUS_WEIGHT:
                    wanted = FOCUS_DOSE * DOSE_SCALE
                    gap = wanted - plan.dose(g, target) - fixed.dose.get(target, 0)
                    shortfall(("focus", g, 0, target), gap, wanted, first)
        if group.kind == "loading" and group.phase == "peak":
            kept = []
            for s in slots:
                held = model.new_bool_var(f"maintenance[g{g},s{s}]")
                model.add(plan.count(g, s, strength) >= MAINTENANCE_EXERCISES).only_enforce_if(held)
                model.add(plan.strength_sets(g, s) >= MAINTENANCE_SETS).only_enforce_if(held)
                kept.append(held)
            shortfall(("maintenance", g, 0, ""), 1 - sum(kept) - int(fixed.maintenance), 1, first)
        minimum = rules.min_session_minutes
        offered = any(d.takes_session(minimum) for d in problem.weeks[first - 1].days)
        if group.kind == "taper" and offered:
            taper_slot: LinearExpr | int = plan.active[g, 0] if group.n_slots else 0
            shortfall(("taper", g, 0, ""), 1 - taper_slot - min(1, fixed.sessions), 1, first)
        if group.kind != "loading":
            continue
        full = rules.full_session_minutes
        for week in group.weeks:
            days = problem.session_days(problem.weeks[week - 1])
            for s in slots:
                var = model.new_int_var(0, full, f"shortfall_R16[session_minutes,w{week},s{s}]")
                for day in days:
                    need = min(full, day.available_minutes)
                    place = plan.place[week, s, day.date]
                    model.add(plan.minutes[g, s] + var >= need * (place + plan.hard[g, s] - 1))
                plan.dose_shortfall["session_minutes", g, week, f"s{s}"] = var
                if strict or plan.explain:
                    plan.enforce(model.add(var == 0), R16, week)
            if preparing:
                offer = sum(
                    day.available_minutes
                    for day in problem.weeks[week - 1].days
                    if day.takes_session(minimum) and day.hard_allowed
                )
                wanted = min(WEEK_MINUTES, offer // 2)
                have = plan.week_minutes(g) + fixed.minutes
                shortfall(("week_minutes", g, week, ""), wanted - have, wanted, week)


def add_benefit(plan: PlanModel) -> None:
    """The concave weekly benefit per target as a hypograph: benefit <= each segment line
    (exact for a concave piecewise-linear curve, and tight in the linear relaxation)."""
    model, problem = plan.model, plan.problem
    for group in problem.groups:
        g = group.index
        fixed = plan.fixed(g)
        for target in group.weights:
            already = fixed.dose.get(target, 0)  # a replan's fixed days of the week
            dose = already + sum(
                var * opt.dose.get(target, 0)  # type: ignore[attr-defined]
                for s in range(group.n_slots)
                for var, _, opt in plan.slot_terms(g, s)
                if opt.dose.get(target, 0)  # type: ignore[attr-defined]
            )
            for segment in problem.curves[target]:
                model.add(
                    plan.benefit[g, target]
                    <= segment.value_at_start + segment.slope * (dose - segment.start)
                )
            # Concave with curve(0) = 0 means subadditive: the week's benefit is at most the
            # sum of what each item would give alone. Redundant for integers, but it stops
            # the linear relaxation from buying the steep first part of every curve with
            # fractions of items.
            model.add(
                plan.benefit[g, target]
                <= curve_units(problem, target, already)
                + sum(
                    var * curve_units(problem, target, opt.dose[target])  # type: ignore[attr-defined]
                    for s in range(group.n_slots)
                    for var, _, opt in plan.slot_terms(g, s)
                    if opt.dose.get(target, 0)  # type: ignore[attr-defined]
                )
            )


def add_return_limits(plan: PlanModel) -> None:
    """Not a coaching rule, so not in ENCODING: the replan solve adds it. A replan after an
    illness: the first week back holds at most its cap of gym minutes
    (the fixed days' minutes count), and no plyometrics in its first days."""
    model, problem = plan.model, plan.problem
    by_week = problem.group_of_week()
    week_of = {day.date: day.week for day in problem.calendar.days}
    for index, limit in enumerate(problem.limits):
        used = []
        for date in limit.dates:
            week = week_of.get(date)
            if week is None or week not in by_week:
                continue
            group = by_week[week]
            for s in range(group.n_slots):
                place = plan.place.get((week, s, date))
                if place is None:
                    continue
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


# The encoding, in the order it is built (the order fixes the model, so that a seed gives the
# same plan). Every rule of planner.rules names its function here or `add_variables` (R14).
ENCODING: list[Callable[[PlanModel], None]] = [
    add_session_template,  # R2
    add_day_placement,
    add_time_budget,  # R1
    add_hard_session_spacing,  # R3
    add_key_run_protection,  # R4, R7
    add_plyometric_limits,  # R5
    add_taper_limits,  # R6
    add_deload_volume,  # R8
    add_progressions,  # R9
    add_equipment_by_day,  # R10
    add_unilateral_share,  # R11
    add_load_ramp,  # R12
    add_hard_session_targets,  # R13
    add_complete_sessions,  # R15
    add_minimum_dose,  # R16
    add_benefit,
]


def build_model(
    problem: Problem,
    explain: bool = False,
    encoding: list[Callable[[PlanModel], None]] | None = None,
) -> PlanModel:
    """The whole model (or, with `encoding`, the variables and only those functions). With
    `explain`, rule constraints hang on switch literals."""
    plan = PlanModel(problem, explain=explain)
    add_variables(plan)
    for add_rule in ENCODING if encoding is None else encoding:
        add_rule(plan)
    return plan


__all__ = ["DOSE_SCALE", "PlanModel", "build_model"]
