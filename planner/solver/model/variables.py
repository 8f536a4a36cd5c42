"""The decisions of the CP-SAT encoding and their expressions (`PlanModel`).

Variables (see planner/solver/problem.py for the structure):
- `option[g, s, e, k]`: slot s of group g holds exercise e with its k-th set option;
- `active[g, s]`, `hard[g, s]`: the slot is used / holds power or strength work;
- `place[w, s, d]`: in week w, slot s is on day d (a date);
- `benefit[g, t]`: the concave benefit of target t in one week of group g (hypograph).
Everything else is a linear expression of these. The floor's shortfalls (R13, R16, R19) are
kept here with their weights, so that `PlanModel.floor_terms` can weigh them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.domain.scenario import MAX_DAY_MINUTES
from planner.rules import R16, R19, Rule
from planner.solver.problem import Fixed, Problem

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
