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
from typing import NamedTuple

from ortools.sat.python import cp_model

from planner.domain.calendar import Day
from planner.domain.catalog import Exercise, heavy
from planner.domain.pairs import Pairable, ordered, pair_kind, pair_minutes, region
from planner.domain.scenario import MAX_DAY_MINUTES
from planner.rules import (
    BY_ID,
    R1,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    R18,
    R19,
    R20,
    Rule,
)  # fmt: skip
from planner.solver.problem import (
    DOSE_SCALE,
    RATIO_SCALE,
    Candidate,
    Fixed,
    Group,
    Pick,
    Problem,
    curve_units,
    unusable,
    week_roles,
)
from planner.vocabulary import ANTI_MOVEMENT_TAGS, CATEGORIES, LOAD_EQUIPMENT, OPENER_TAGS

LinearExpr = cp_model.LinearExpr

# The floor: R13 first, then R16, then R19, as one weighted sum. Within a week, a missed
# hard session weighs more than every R16 shortfall together, and the smallest R16 unit
# more than every R19 shortfall together, so the floor is lexicographic week by week.
R13_WEIGHT = 200_000
# R16 parts, per unit missed: a lower-body strength set, a strength exercise of a session, a
# knee or hip pattern of a session, a maintenance or taper session, a dose unit of a focus
# target, its accessory (R15's revision), a minute of a session or week.
R16_WEIGHTS = {"sets": 400, "exercises": 800, "patterns": 200, "maintenance": 1600,
               "taper": 1600, "focus": 100, "focus_accessory": 400, "session_minutes": 60,
               "week_minutes": 40}  # fmt: skip
# R19 parts, per unit missed: a hard session without a heavy lift, a heavy exercise or set
# of a base or build week, a loaded set of a novice's week. At most 38 in a week (< 40).
R19_WEIGHTS = {"heavy_session": 6, "heavy_exercises": 4, "heavy_sets": 2, "loaded_sets": 2}
FLOOR_WEIGHTS = R16_WEIGHTS | R19_WEIGHTS
RULE_OF_PART = {part: R16.id for part in R16_WEIGHTS} | {part: R19.id for part in R19_WEIGHTS}
FOCUS_DOSE = 3  # R16 (d): sets x contribution a focus target weighted 4-5 gets per week
FOCUS_WEIGHT = 4
# R15's revision: the accessory block serves these focus targets (weighted 4-5).
ACCESSORY_TARGETS = (
    "hip_stability", "calf_achilles", "posture", "posterior_chain", "knee_resilience",
)  # fmt: skip
MAINTENANCE_EXERCISES, MAINTENANCE_SETS = 2, 4  # R16 (b)
STRENGTH_EXERCISES = 2  # R16 (a): per hard session of a base or build loading week
WEEK_MINUTES = 60  # R16 (f)
WARM_UP_MINUTES = 5  # R15's revision: a hard session's mobility block
HEAVY_EXERCISES, HEAVY_SETS = 2, 6  # R19: a base or build week of an intermediate or advanced
NOVICE_LOADED_SETS = 3  # R19: a novice's loading week from the second mesocycle on

NOTHING_FIXED = Fixed()
DoseKey = tuple[str, int, int, str]  # (part, group, week or 0, slot or target)


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
    # The dose targets' shortfalls (R16, R19) by (part, group, week or 0, detail): what the
    # floor minimises after R13 (`RULE_OF_PART` names a part's rule).
    dose_shortfall: dict[DoseKey, cp_model.IntVar] = field(default_factory=dict)
    plyo: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    used: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)
    # R17: (group, slot) -> the number of pairs of each pairing, with what one such pair saves.
    pairs: dict[tuple[int, int], list[tuple[Pairing, cp_model.IntVar]]] = field(
        default_factory=dict
    )
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
            terms.append((var, FLOOR_WEIGHTS[part] * (1 if week else sizes[g])))
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

    def uses(self, g: int, exercise: str) -> cp_model.IntVar:
        """True exactly when some session of group g holds `exercise` (created on first use)."""
        if (g, exercise) not in self.used:
            lit = self.model.new_bool_var(f"uses[g{g},{exercise}]")
            picks = [self.pick(g, s, exercise) for s in range(self.problem.group(g).n_slots)]
            for pick in picks:
                self.model.add(lit >= pick)
            self.model.add(sum(picks) >= lit)
            self.used[g, exercise] = lit
        return self.used[g, exercise]

    def count(self, g: int, s: int, test: Callable[..., bool]) -> LinearExpr:
        return LinearExpr.sum(_selects(self, g, s, test))

    def sets_of(self, g: int, s: int, test: Callable[..., bool]) -> LinearExpr:
        """The sets of slot s of group g's items whose candidate passes `test`."""
        terms = [
            (var, opt.sets)  # type: ignore[attr-defined]
            for var, candidate, opt in self.slot_terms(g, s)
            if test(candidate)
        ]
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def strength_sets(self, g: int, s: int) -> LinearExpr:
        return self.sets_of(g, s, lambda c: c.exercise.category == "strength")

    def item_minutes(self, g: int, s: int, test: Callable[..., bool]) -> LinearExpr:
        """The minutes of slot s of group g's items whose exercise passes `test`."""
        terms = [
            (var, opt.minutes)  # type: ignore[attr-defined]
            for var, candidate, opt in self.slot_terms(g, s)
            if test(candidate.exercise)  # type: ignore[attr-defined]
        ]
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def contacts(self, g: int, s: int) -> LinearExpr:
        terms = [(var, opt.contacts) for var, _, opt in self.slot_terms(g, s) if opt.contacts]  # type: ignore[attr-defined]
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def dose(self, g: int, target: str) -> LinearExpr:
        terms = [
            (var, opt.dose[target])  # type: ignore[attr-defined]
            for s in range(self.problem.group(g).n_slots)
            for var, _, opt in self.slot_terms(g, s)
            if opt.dose.get(target, 0)  # type: ignore[attr-defined]
        ]
        return LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def add_shortfall(
        self, rule: Rule, key: DoseKey, gap: LinearExpr | int, most: int
    ) -> cp_model.IntVar:
        """A dose target's shortfall (R16, R19), at least `gap` and at most `most`, that the
        floor minimises; zero with `rules.strict`. The key's week is 0 for a whole group."""
        part, g, week, detail = key
        var = self.model.new_int_var(
            0, max(0, most), f"shortfall_{rule.id}[{part},g{g},w{week},{detail}]"
        )
        self.model.add(var >= gap)
        self.dose_shortfall[key] = var
        if self.problem.scenario.rules.strict or self.explain:
            self.enforce(self.model.add(var == 0), rule, week or self.problem.group(g).weeks[0])
        return var

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
    at all). Every hard session's mobility block, its warm-up, lasts `WARM_UP_MINUTES`. A
    deload hard session holds mobility, strength and core; a light session mobility and core
    (the template's minimum counts). Taper weeks hold light sessions."""
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
            warm_up = plan.item_minutes(g, s, lambda e: e.category == "mobility")
            plan.enforce(model.add(warm_up >= WARM_UP_MINUTES * hard), R15, group.weeks[0])
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
    """Not a coaching rule, so not in ENCODING: every whole model adds it. A replan after an
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


# --- the coach's say (R18) ------------------------------------------------------------------


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


# --- paired sets (R17) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    """Two kinds of item that R17 lets a session pair, each a set of options alike for the
    pairing (region, heavy, plyometric, sets, minutes, work and set seconds), and the minutes
    one such pair saves against the two items done alone."""

    first: tuple[tuple[str, int], ...]  # (candidate id, option index), done first
    second: tuple[tuple[str, int], ...]
    categories: tuple[str, str]
    sets: int
    saves: int
    contrast: bool


def planned_pair(group: Group, a: Pairable, b: Pairable) -> tuple[Pairable, Pairable] | None:
    """The two items in the order the planner pairs them, or None where it does not: R17
    allows the pair, a strength item leads (its long rest holds the partner's set), the
    warm-up's mobility stays whole (R15), and pairs are on (`rules.paired_sets`) but not in a
    novice's first mesocycle."""
    if not group.paired or "mobility" in (a.exercise.category, b.exercise.category):
        return None
    order = ordered(a, b, contrast=group.contrast)
    return order if order is not None and order[0].exercise.category == "strength" else None


class _Alike(NamedTuple):
    """What the pairing reads of an option: options alike in all of it pair alike."""

    category: str
    region: str | None
    heavy: bool
    plyometric: bool
    sets: int
    minutes: int
    work_s: int
    set_s: int


def pairings(group: Group) -> list[Pairing]:
    """Every pairing R17 allows in a group's sessions that saves time and is led by a strength
    item, whose long rests hold the partner's set. (R17 also allows an accessory with a core
    item; such a pair saves 2-5 min, and leaving it out halves the pairing variables, which
    the search needs to prove its optimum in time.)

    Options that pair alike form one class, so the model counts pairs per pair of classes:
    fewer variables than a literal per pair of items, and as exact (items of one class are
    interchangeable for the pairing, so counts that no class over-uses name real pairs).
    Classes that save the same with every partner merge into one.

    A novice's first mesocycle pairs nothing: the athlete learns each movement alone, with
    its full rest (and its two set options per item would double the pairings)."""
    classes: dict[_Alike, list[tuple[str, int]]] = {}
    pairable: dict[_Alike, Pairable] = {}
    for candidate in group.candidates:
        exercise = candidate.exercise
        if exercise.category == "mobility" or (
            exercise.category == "power" and not (group.contrast and exercise.plyometric)
        ):
            continue  # never paired (`planned_pair`): fewer classes
        for k, option in enumerate(candidate.options):
            key = _Alike(
                exercise.category, region(exercise), candidate.pairable.heavy,
                exercise.plyometric, option.sets, option.minutes, candidate.pairable.work_s,
                candidate.pairable.set_s,
            )  # fmt: skip
            classes.setdefault(key, []).append((candidate.id, k))
            pairable[key] = candidate.pairable
    found: dict[tuple[_Alike, _Alike], tuple[int, bool]] = {}
    keys = list(classes)
    for i, key_a in enumerate(keys):
        for key_b in keys[i + 1 :]:
            if key_a.sets != key_b.sets:
                continue
            a, b = pairable[key_a], pairable[key_b]
            order = planned_pair(group, a, b)
            if order is None:
                continue
            saves = key_a.minutes + key_b.minutes - pair_minutes(key_a.sets, a, b)
            if saves > 0:
                first, second = (key_a, key_b) if order[0] is a else (key_b, key_a)
                contrast = pair_kind(*order, contrast=group.contrast) == "contrast"
                found[first, second] = (saves, contrast)

    def signature(key: _Alike) -> tuple[object, ...]:
        """The class's savings with every other class, as first and as second item."""
        row = tuple(
            (found.get((key, other)), found.get((other, key))) for other in keys if other != key
        )
        return (key.category, key.region, key.heavy, key.plyometric, key.sets, key.minutes, row)

    merged: dict[tuple[object, ...], list[tuple[str, int]]] = {}
    root: dict[_Alike, tuple[object, ...]] = {}
    for key in keys:
        root[key] = signature(key)
        merged.setdefault(root[key], []).extend(classes[key])
    result: dict[tuple[object, object], Pairing] = {}
    for (first, second), (saves, contrast) in found.items():
        pair = (root[first], root[second])
        if pair not in result:
            result[pair] = Pairing(
                tuple(merged[pair[0]]), tuple(merged[pair[1]]),
                (first.category, second.category), first.sets, saves, contrast,
            )  # fmt: skip
    return list(result.values())


def add_paired_sets(plan: PlanModel) -> None:
    """R17: a session may do two of its items as a pair (A1/A2), which saves minutes by R17's
    formula (`pair_minutes`): a lift with an upper-body (or, for an upper-body lift, a
    lower-body) strength or accessory item, a lift with a core item, or one contrast pair (a
    heavy lift, then plyometrics) for intermediate and advanced athletes in build and peak
    weeks. Both items have the same sets and an item is in at most one pair. The warm-up is
    never paired (R15). The pairs are counted per pairing of option classes (`pairings`);
    the plan builder names the items (`name_pairs`)."""
    model, problem = plan.model, plan.problem
    limits = problem.benefit.items_per_session
    for group in problem.groups:
        g = group.index
        allowed = pairings(group)
        for s in range(group.n_slots):
            counts = [
                (pairing, model.new_int_var(0, min(limits[c][1] for c in pairing.categories),
                                            f"pairs[g{g},s{s},{index}]"))
                for index, pairing in enumerate(allowed)
            ]  # fmt: skip
            plan.pairs[g, s] = counts
            in_pairs: dict[tuple[tuple[str, int], ...], list[cp_model.IntVar]] = {}
            for pairing, count in counts:
                in_pairs.setdefault(pairing.first, []).append(count)
                in_pairs.setdefault(pairing.second, []).append(count)
            for options, uses in in_pairs.items():
                chosen = [plan.option[g, s, exercise, k] for exercise, k in options]
                model.add(sum(uses) <= sum(chosen))
            contrast = [count for pairing, count in counts if pairing.contrast]
            if contrast:
                model.add(sum(contrast) <= 1)


def name_pairs(
    group: Group, chosen: list[tuple[str, int]], counts: list[tuple[Pairing, int]]
) -> list[Pick]:
    """A slot's picks from its chosen (candidate id, option index) and its pair counts: each
    counted pair takes the first items of its two classes not yet paired, in the order the
    group lists its candidates, and numbers the pair 1, 2, ... with the first item first."""
    options = {c.id: c.options for c in group.candidates}
    pair_of: dict[tuple[str, int], int] = {}
    order: list[tuple[str, int]] = []
    number = 0
    for pairing, count in counts:
        for _ in range(count):
            first = next(o for o in chosen if o in pairing.first and o not in pair_of)
            second = next(o for o in chosen if o in pairing.second and o not in pair_of)
            number += 1
            pair_of[first] = pair_of[second] = number
            order += [first, second]
    alone = [o for o in chosen if o not in pair_of]
    return [
        Pick(exercise, options[exercise][k].sets, pair_of.get((exercise, k), 0))
        for exercise, k in alone + order
    ]


def define_minutes(plan: PlanModel) -> None:
    """A slot's minutes: its items' minutes done alone, less what its pairs save (R17)."""
    for group in plan.problem.groups:
        g = group.index
        for s in range(group.n_slots):
            alone = [(var, opt.minutes) for var, _, opt in plan.slot_terms(g, s)]  # type: ignore[attr-defined]
            saved = [(count, -pairing.saves) for pairing, count in plan.pairs.get((g, s), [])]
            terms = alone + saved
            plan.model.add(
                plan.minutes[g, s]
                == LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])
            )


# The encoding, in the order it is built (the order fixes the model, so that a seed gives the
# same plan). Every rule of planner.rules names its function here or `add_variables` (R14).
ENCODING: list[Callable[[PlanModel], None]] = [
    add_session_template,  # R2
    add_paired_sets,  # R17
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
    add_heavy_strength,  # R19
    add_race_recovery,  # R20
    add_coach_say,  # R18
    add_no_novelty,  # R14
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
    define_minutes(plan)
    if encoding is None:
        add_return_limits(plan)
    return plan


__all__ = ["DOSE_SCALE", "PlanModel", "build_model"]
