"""The solver-ready problem: integers only, every scaling in one place.

A `Problem` is built from a Scenario, its Calendar, the catalog and the benefit model. It
fixes the structure the CP-SAT model optimises over:

- Weeks are partitioned into *groups*. A group is a run of loading weeks of one mesocycle
  (R14: the same sessions repeat and progress), a deload week, or a taper week. Weeks of a
  mesocycle whose time or run pattern cannot host what its other weeks can (travel, a
  B race) become groups of their own.
- Each group has `slots`: its sessions. A slot's content (exercises and sets) is chosen
  once per group; the day of each slot is chosen per week.
- Exercises an athlete cannot do (level, equipment, avoided tags) are removed, and so are
  exercises dominated by enough others (same minutes, rules and equipment or less, at
  least the same contribution to every target).

Units: minutes are whole minutes; a dose is counted in quarter sets of contribution
(`DOSE_SCALE`); benefit is an integer in `benefit_scale` units per benefit point.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from planner.domain.calendar import Calendar, Day, Week, build_calendar
from planner.domain.catalog import (
    BenefitModel,
    Catalog,
    Exercise,
    Prescription,
    contacts_per_set,
    item_minutes,
    prescription_for,
    set_contributions,
)
from planner.domain.pairs import Pairable, contrast_allowed, pair_minutes, region
from planner.domain.plan import Session, is_partial
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.rules import MAX_SESSIONS
from planner.solver.solution import Pick
from planner.vocabulary import (
    ANTI_MOVEMENT_TAGS,
    CATEGORIES,
    HARD_CATEGORIES,
    OPENER_TAGS,
    RULE_TAGS,
    TARGETS,
)

DOSE_SCALE = 4  # dose units per set-contribution of 1.0 (contributions are multiples of 0.25)
WEIGHT_SCALE = 16  # benefit weights (focus x target value x phase weight) are multiples of 1/16
RATIO_SCALE = 100  # rule fractions (ramp, shares, volumes) are compared in hundredths


@dataclass(frozen=True)
class Option:
    sets: int
    minutes: int
    contacts: int
    dose: dict[str, int]  # target -> dose units for these sets


@dataclass(frozen=True)
class Candidate:
    """An exercise the athlete may do in a group, with its prescription and set options."""

    exercise: Exercise
    prescription: Prescription
    options: tuple[Option, ...]
    pairable: Pairable  # what R17 reads of it: heavy or not, work and set seconds

    @property
    def id(self) -> str:
        return self.exercise.id


Contents = dict[int, list[list[Pick]]]  # group -> slots -> picks (an empty slot is unused)


@dataclass(frozen=True)
class CurveSegment:
    """benefit <= value_at_start + slope * (dose - start), in benefit units and dose units."""

    start: int
    value_at_start: int
    slope: int


@dataclass(frozen=True)
class FixedSession:
    """A session on a fixed day (a replan's history, or a frozen day): data, not a decision.
    Dose in dose units."""

    minutes: int
    hard: bool
    plyometric: bool
    strength_sets: int
    unilateral_sets: int
    strength_exercises: int
    dose: dict[str, int]
    anti_core: bool  # anti-movement core work (R9's prerequisite for rotation)
    basic_plyo: bool  # basic plyometrics (R9's prerequisite for advanced ones)
    exercises: frozenset[str] = frozenset()  # what it held (R8, R14: nothing new later)
    lower_body_sets: int = 0  # lower-body strength sets (R16 a)
    contacts: int = 0  # plyometric ground contacts (R8)
    # Done before the replan (history), not only frozen: a weekly link (R6, R8, R12) that
    # the facts alone already break gives way to them.
    fact: bool = False


@dataclass(frozen=True)
class Fixed:
    """What the fixed days of a week hold: constants for every rule that counts the week."""

    minutes: int = 0
    sessions: int = 0
    hard: int = 0
    plyo: int = 0
    strength_sets: int = 0
    unilateral_sets: int = 0
    dose: dict[str, int] = field(default_factory=dict)
    anti_core: bool = False
    basic_plyo: bool = False
    maintenance: bool = False  # a session with 2 strength exercises and 4 sets (R16 b)
    exercises: frozenset[str] = frozenset()
    lower_body_sets: int = 0
    contacts: int = 0

    @classmethod
    def of(cls, sessions: list[FixedSession]) -> Fixed:
        dose: Counter[str] = Counter()
        for session in sessions:
            dose.update(session.dose)
        return cls(
            minutes=sum(s.minutes for s in sessions),
            sessions=len(sessions),
            hard=sum(s.hard for s in sessions),
            plyo=sum(s.plyometric for s in sessions),
            strength_sets=sum(s.strength_sets for s in sessions),
            unilateral_sets=sum(s.unilateral_sets for s in sessions),
            dose=dict(dose),
            anti_core=any(s.anti_core for s in sessions),
            basic_plyo=any(s.basic_plyo for s in sessions),
            maintenance=any(s.strength_exercises >= 2 and s.strength_sets >= 4 for s in sessions),
            exercises=frozenset().union(*(s.exercises for s in sessions)),
            lower_body_sets=sum(s.lower_body_sets for s in sessions),
            contacts=sum(s.contacts for s in sessions),
        )


@dataclass(frozen=True)
class DayLimit:
    """A limit over some dates: at most `minutes` gym minutes over `dates` and no
    plyometrics on `no_plyo` (a replan's first week back after an illness), or at most
    `sessions` sessions over `dates` (a studio membership's classes in a week)."""

    dates: tuple[dt.date, ...]
    minutes: int | None
    no_plyo: tuple[dt.date, ...]
    sessions: int | None = None


@dataclass(frozen=True)
class Restrictions:
    """What a re-solve keeps besides the scenario and the coach's say (which already pins a
    session or none on a day and uses an exercise or not): days whose sessions are given (a
    replan's history as it was done, and its frozen days as the base plan had them), limits
    over some dates, and the base plan's main exercises by week (R14 across the seam).

    History before `since`, a missed day and a session done in part are facts: a weekly
    link (R6, R8, R12) that they alone already break gives way to them."""

    history: Mapping[dt.date, Session | None] = field(default_factory=dict)
    frozen: Mapping[dt.date, Session | None] = field(default_factory=dict)
    limits: tuple[DayLimit, ...] = ()
    main_before: Mapping[int, frozenset[str]] = field(default_factory=dict)
    missed: frozenset[dt.date] = frozenset()
    since: dt.date | None = None
    # Dates the weeks are grouped around as if they had no time, though a session may fall
    # on them (a studio's one model, started from plans solved with those dates closed).
    split_at: frozenset[dt.date] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.history or self.frozen or self.limits)

    def closed(self) -> frozenset[dt.date]:
        """Dates that may hold no session (a limit of 0 sessions: a studio seat not
        granted): no day of the plan, as a day with no time is none."""
        return frozenset(d for limit in self.limits if limit.sessions == 0 for d in limit.dates)

    def sessions(self) -> dict[dt.date, Session | None]:
        """The given days' sessions (None: a day off), history and frozen days."""
        return {**self.history, **self.frozen}

    def is_fact(self, date: dt.date, session: Session | None) -> bool:
        if date not in self.history:
            return False
        done_before = self.since is not None and date < self.since
        return done_before or date in self.missed or (session is not None and is_partial(session))

    def fixed(self) -> dict[dt.date, FixedSession | None]:
        """The given days as data for the model."""
        return {
            date: None if session is None else fixed_session(session, self.is_fact(date, session))
            for date, session in self.sessions().items()
        }


def fixed_session(session: Session, fact: bool = False) -> FixedSession:
    """A done or frozen session as data for the model (dose in dose units)."""
    dose: Counter[str] = Counter()
    for item in session.items:
        for target, amount in item.targets.items():
            dose[target] += round(amount * DOSE_SCALE)
    strength = [item for item in session.items if item.category == "strength"]
    return FixedSession(
        minutes=session.minutes,
        hard=any(item.category in HARD_CATEGORIES for item in session.items),
        plyometric=any("plyometric" in item.tags for item in session.items),
        strength_sets=sum(item.sets for item in strength),
        unilateral_sets=sum(item.sets for item in strength if "unilateral" in item.tags),
        strength_exercises=len({item.exercise for item in strength}),
        dose=dict(dose),
        anti_core=any(
            item.category == "core" and set(item.tags) & ANTI_MOVEMENT_TAGS
            for item in session.items
        ),
        basic_plyo=any(
            "plyometric" in item.tags and "plyo_advanced" not in item.tags for item in session.items
        ),
        exercises=frozenset(item.exercise for item in session.items),
        lower_body_sets=sum(item.sets for item in strength if "lower_body" in item.tags),
        contacts=sum(item.contacts for item in session.items),
        fact=fact,
    )


@dataclass(frozen=True)
class Group:
    index: int
    weeks: tuple[int, ...]  # week numbers, from 1
    kind: str  # loading | deload | taper
    phase: str
    mesocycle: int  # from 1; deload weeks belong to the mesocycle they close
    first_mesocycle: bool
    n_slots: int
    min_hard: int  # R13 hard sessions per week
    candidates: tuple[Candidate, ...]
    weights: dict[str, int]  # target -> benefit weight per week, in 1/WEIGHT_SCALE
    # A week that also has fixed days (a replan's seam week): what they hold.
    fixed: Fixed | None = None
    contrast: bool = False  # R17: a contrast pair is allowed (level and phase)
    paired: bool = False  # R17: `rules.paired_sets`, and not a novice's first mesocycle

    @property
    def size(self) -> int:
        return len(self.weeks)


@dataclass
class Problem:
    scenario: Scenario
    calendar: Calendar
    catalog: Catalog
    benefit: BenefitModel
    groups: list[Group]
    curves: dict[str, tuple[CurveSegment, ...]]
    curve_max: dict[str, int]  # benefit units at saturation, per target
    benefit_scale: int  # benefit units per benefit point, before weights
    removed_dominated: list[str] = field(default_factory=list)
    # The groups outside `groups` when this is a part of a larger problem (see `part`).
    outside: list[Group] = field(default_factory=list)
    # A replan's fixed days (history and frozen days): date -> its session, or None. Weeks
    # whose days are all fixed belong to no group; their figures are constants.
    fixed: dict[dt.date, FixedSession | None] = field(default_factory=dict)
    limits: tuple[DayLimit, ...] = ()
    closed: frozenset[dt.date] = frozenset()  # dates that may hold no session (a studio)

    @property
    def weeks(self) -> tuple[Week, ...]:
        return self.calendar.weeks

    def group(self, index: int) -> Group:
        return next(group for group in self.groups if group.index == index)

    def group_of_week(self) -> dict[int, Group]:
        return {week: group for group in self.groups for week in group.weeks}

    def scope_weeks(self) -> list[Week]:
        """The weeks this problem plans: all of them, or those of its groups."""
        covered = self.group_of_week()
        return [week for week in self.weeks if week.index in covered]

    def part(self, groups: list[Group]) -> Problem:
        """The same problem restricted to some groups. Rules that link them to the other
        groups are dropped, so its optimum bounds theirs from above (a relaxation)."""
        chosen = {group.index for group in groups}
        return replace(
            self,
            groups=list(groups),
            outside=[group for group in self.groups + self.outside if group.index not in chosen],
        )

    def session_days(self, week: Week) -> list[Day]:
        """Days of a week that can take a new session at all (R1, R7; not a fixed day)."""
        minimum = self.scenario.rules.min_session_minutes
        return [
            day
            for day in week.days
            if day.takes_session(minimum)
            and day.date not in self.fixed
            and day.date not in self.closed
        ]

    def fixed_week(self, week: int) -> Fixed:
        """What the fixed days of a week hold (nothing without a replan)."""
        if not self.fixed:
            return Fixed()
        days = self.weeks[week - 1].days
        return Fixed.of([s for d in days if (s := self.fixed.get(d.date)) is not None])

    def facts_week(self, week: int) -> Fixed:
        """What the history (the fixed days that were done, not frozen) of a week holds."""
        days = self.weeks[week - 1].days
        return Fixed.of([s for d in days if (s := self.fixed.get(d.date)) is not None and s.fact])

    def history_weeks(self) -> list[Week]:
        """Weeks whose days are all fixed: constants, in no group and not outside."""
        if not self.fixed:
            return []
        return [w for w in self.weeks if all(d.date in self.fixed for d in w.days)]

    def fixed_hard_dates(self) -> list[dt.date]:
        return sorted(date for date, s in self.fixed.items() if s is not None and s.hard)

    def benefit_offset(self) -> int:
        """Benefit units of the fixed days of the groups' seam weeks: the objective counts
        only what the planned days add to them (the concave curve starts at their dose)."""
        return sum(
            weight * curve_units(self, target, group.fixed.dose.get(target, 0))
            for group in self.groups
            if group.fixed is not None
            for target, weight in group.weights.items()
        )

    def benefit_points(self, benefit_units: float) -> float:
        """Benefit units (weights included) back to benefit points."""
        return benefit_units * self.benefit.points / (self.benefit_scale * WEIGHT_SCALE)


# --- curve ---------------------------------------------------------------------------------


def _curve(model: BenefitModel) -> tuple[dict[str, tuple[CurveSegment, ...]], dict[str, int], int]:
    """Integer hypograph segments of the concave curve for every target.

    Segment k covers the k-th quarter of the effective dose E (in dose units, width E). The
    benefit scale is the smallest integer that makes every slope an integer.
    """
    scale = 1
    for target in TARGETS:
        width = model.effective_weekly_dose[target]
        for gain in model.curve_quarters:
            slope = Fraction(gain) / width
            scale = math.lcm(scale, slope.denominator)
    curves: dict[str, tuple[CurveSegment, ...]] = {}
    maxima: dict[str, int] = {}
    for target in TARGETS:
        width = model.effective_weekly_dose[target]
        value = Fraction(0)
        segments = []
        for quarter, gain in enumerate(model.curve_quarters):
            slope = Fraction(gain) / width * scale
            segments.append(CurveSegment(quarter * width, int(value), int(slope)))
            value += Fraction(gain) * scale
        curves[target] = tuple(segments)
        maxima[target] = int(value)
    return curves, maxima, scale


# --- candidates ----------------------------------------------------------------------------


def _candidate(
    exercise: Exercise, level: str, first_mesocycle: bool, model: BenefitModel
) -> Candidate:
    """The exercise's prescription for the athlete's level and stage, and one option per number
    of sets: minutes, contacts and dose (sets x the set's contribution, its intensity applied:
    `set_contributions`, COACHING_RULES.md Revisions "Benefit")."""
    prescription = prescription_for(exercise, level, first_mesocycle)
    contributions = set_contributions(exercise, level, first_mesocycle, model)
    low, high = prescription.sets
    options = []
    for sets in range(low, high + 1):
        # Contributions are multiples of 0.25 (set_contributions checks it), so every dose is
        # a whole number of dose units.
        dose = {
            target: round(sets * amount * DOSE_SCALE) for target, amount in contributions.items()
        }
        options.append(
            Option(
                sets=sets,
                minutes=item_minutes(exercise, prescription, sets, model),
                contacts=sets * contacts_per_set(exercise, prescription),
                dose=dose,
            )
        )
    return Candidate(
        exercise, prescription, tuple(options), Pairable.of(exercise, prescription, model)
    )


def _rule_profile(
    exercise: Exercise,
) -> tuple[frozenset[str], str | None, bool, frozenset[str], str | None]:
    """What the rules read of an exercise beyond its dose: rule tags, the movement pattern
    (R16 a), external load (R19), for an accessory the targets it serves most (R15's focus
    accessories), and the body region (R17's pairs). Only exercises with the same profile
    can stand in for each other."""
    largest = max(exercise.targets.values())
    serves = frozenset(t for t, amount in exercise.targets.items() if amount == largest)
    return (
        exercise.tags & (set(RULE_TAGS) | OPENER_TAGS),
        exercise.pattern,
        exercise.loaded,
        serves if exercise.category == "accessory" else frozenset(),
        region(exercise),
    )


def _dominates(a: Candidate, b: Candidate, paired: bool) -> bool:
    """a can replace b in any plan without breaking a rule or lowering the benefit (with
    `paired`, R17's pairs too)."""
    if a.exercise.category != b.exercise.category:
        return False
    if _rule_profile(a.exercise) != _rule_profile(b.exercise):
        return False
    if not a.exercise.equipment <= b.exercise.equipment:
        return False
    if [(o.sets, o.minutes) for o in a.options] != [(o.sets, o.minutes) for o in b.options]:
        return False
    # R17: an item pairs at least as well as another of the same profile (category, region,
    # heavy or not) and set time when its sets hold no more work: a pair's minutes grow with
    # each item's set time and work.
    if paired and (a.pairable.heavy, a.pairable.set_s) != (b.pairable.heavy, b.pairable.set_s):
        return False
    if paired and a.pairable.work_s > b.pairable.work_s:
        return False
    for option_a, option_b in zip(a.options, b.options, strict=True):
        if option_a.contacts > option_b.contacts:
            return False
        if any(option_a.dose.get(t, 0) < amount for t, amount in option_b.dose.items()):
            return False
    return True


def remove_dominated(
    candidates: list[Candidate],
    model: BenefitModel,
    paired: bool = False,
    keep: frozenset[str] = frozenset(),
) -> tuple[list[Candidate], list[str]]:
    """Drop candidates dominated by at least as many others as a session can hold of the
    category: a plan using one can always swap it for an unused dominator. The exercises
    in `keep` (the coach's, R18) stay: a plan must be able to hold them. Keeping them
    leaves the others' swaps valid, since no swap removes an exercise that is not dropped."""
    kept, removed = [], []
    for candidate in candidates:
        if candidate.id in keep:
            kept.append(candidate)
            continue
        cap = model.items_per_session[candidate.exercise.category][1]
        dominators = [
            other
            for other in candidates
            if other is not candidate
            and _dominates(other, candidate, paired)
            and (not _dominates(candidate, other, paired) or other.id < candidate.id)
        ]
        if len(dominators) >= cap:
            removed.append(candidate.id)
        else:
            kept.append(candidate)
    return kept, removed


def unusable(scenario: Scenario, exercise: Exercise) -> tuple[str, str] | None:
    """Why the athlete may not do an exercise at all, as (rule id, reason), or None: above
    their level (R9), kit that no day has or an avoided tag (R10), or the coach's exclusion
    (R18)."""
    athlete = scenario.athlete
    if not exercise.allowed_for(athlete.level):
        level = f"{exercise.level} work, above an {athlete.level} athlete"
        return "R9", f"{exercise.id} is {level} (R9)"
    reachable = set(athlete.equipment) | {"bodyweight"}
    for extra in scenario.availability.equipment_by_day.values():
        reachable |= set(extra)
    missing = exercise.equipment - reachable
    if missing:
        return "R10", f"{exercise.id} needs {', '.join(sorted(missing))}, which no day has (R10)"
    avoided = exercise.tags & set(athlete.avoid)
    if avoided:
        return "R10", f"{exercise.id} has the avoided tag(s) {', '.join(sorted(avoided))} (R10)"
    if exercise.id in scenario.coach.exclude:
        return "R18", f"{exercise.id} is in coach.exclude (R18)"
    return None


def usable_exercises(scenario: Scenario, catalog: Catalog) -> list[Exercise]:
    """R9 (level), R10 (equipment available on some day, no avoided tag) and R18 (nothing
    the coach excludes)."""
    return [exercise for exercise in catalog.exercises if unusable(scenario, exercise) is None]


# --- groups --------------------------------------------------------------------------------


def _capacity(problem_days: list[Day]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Minutes of the session days and of the hard-eligible days, largest first."""
    every = sorted((day.available_minutes for day in problem_days), reverse=True)
    hard = sorted((d.available_minutes for d in problem_days if d.hard_allowed), reverse=True)
    return tuple(every[:3]), tuple(hard[:3])


def _covers(big: tuple[int, ...], small: tuple[int, ...]) -> bool:
    return len(big) >= len(small) and all(a >= b for a, b in zip(big, small, strict=False))


def week_roles(calendar: Calendar) -> list[tuple[str, int]]:
    """(kind, mesocycle) of every week. A mesocycle ends at a deload, taper or phase change."""
    roles = []
    mesocycle, previous_phase, previous_kind = 0, None, None
    for week in calendar.weeks:
        kind = "taper" if week.phase == "taper" else "deload" if week.deload else "loading"
        if (kind == "loading" and (previous_kind != "loading" or week.phase != previous_phase)) or (
            kind != "loading" and previous_kind != "loading"
        ):
            mesocycle += 1
        roles.append((kind, max(mesocycle, 1)))
        previous_phase, previous_kind = week.phase, kind
    return roles


def build_groups(
    scenario: Scenario,
    calendar: Calendar,
    candidates_by_stage: dict[bool, list[Candidate]],
    model: BenefitModel,
    fixed: dict[dt.date, FixedSession | None] | None = None,
    old_main: dict[int, frozenset[str]] | None = None,
    closed: frozenset[dt.date] = frozenset(),
) -> list[Group]:
    """The groups of weeks. With a replan's fixed days, a week whose days are all fixed is
    in no group, and a week with some fixed days (the seam) is a group of its own that
    counts what its fixed days hold. R14 across the seam: the planned loading weeks of a
    mesocycle that the replan date splits keep to the main (power and strength) exercises
    of the old plan's fullest week of that mesocycle (`old_main`, by week), unless one of
    them can no longer be done (an avoided tag): then the mesocycle may change them."""
    rules = scenario.rules
    minimum = rules.min_session_minutes
    roles = week_roles(calendar)
    fixed = fixed or {}

    def days_of(week: Week) -> list[Day]:
        return [day for day in week.days if day.takes_session(minimum) and day.date not in closed]

    # Split each mesocycle's loading weeks into the regular run and irregular weeks.
    members: list[list[int]] = []
    by_mesocycle: dict[int, list[Week]] = {}
    seams: dict[int, Fixed] = {}
    for week, (kind, mesocycle) in zip(calendar.weeks, roles, strict=True):
        fixed_days = [d for d in week.days if d.date in fixed]
        if len(fixed_days) == len(week.days):
            continue  # history: constants
        if fixed_days:
            seams[week.index] = Fixed.of([s for d in fixed_days if (s := fixed[d.date])])
            members.append([week.index])
            continue
        if kind == "loading":
            by_mesocycle.setdefault(mesocycle, []).append(week)
        else:
            members.append([week.index])
    for weeks in by_mesocycle.values():
        capacities = [_capacity(days_of(week)) for week in weeks]
        typical = Counter(capacities).most_common(1)[0][0]
        regular = [
            w.index
            for w, c in zip(weeks, capacities, strict=True)
            if _covers(c[0], typical[0]) and _covers(c[1], typical[1])
        ]
        members.append(regular)
        members.extend([w.index] for w in weeks if w.index not in regular)
    members.sort(key=lambda weeks: weeks[0])

    first_mesocycle = min((m for kind, m in roles if kind == "loading"), default=1)
    split = {
        mesocycle
        for week, (kind, mesocycle) in zip(calendar.weeks, roles, strict=True)
        if kind == "loading" and any(d.date in fixed for d in week.days)
    }
    usable = {c.id for stage in candidates_by_stage.values() for c in stage}
    keep_main: dict[int, frozenset[str]] = {}
    for mesocycle in split:
        # The old plan's fullest week of the mesocycle (the most main exercises, the first
        # of equals): the week the checker's R14 compares the others with.
        indices = [
            week.index
            for week, (kind, m) in zip(calendar.weeks, roles, strict=True)
            if kind == "loading" and m == mesocycle
        ]
        olds = [(old_main or {}).get(index, frozenset()) for index in indices]
        main = max(olds, key=len, default=frozenset())
        if main and main <= usable:
            keep_main[mesocycle] = main
    groups = []
    for index, member_weeks in enumerate(members):
        week = calendar.weeks[member_weeks[0] - 1]
        kind, mesocycle = roles[member_weeks[0] - 1]
        n_slots = rules.taper_max_sessions if kind == "taper" else MAX_SESSIONS[week.phase]
        min_hard = min(
            calendar.weeks[number - 1].hard_target(rules.hard_gap_days, minimum)
            for number in member_weeks
        )
        weights = {}
        for target in TARGETS:
            weight = model.weight(week.phase, target, scenario.athlete.focus_weight(target))
            if weight > 0:
                weights[target] = round(weight * WEIGHT_SCALE)
        is_first = mesocycle == first_mesocycle
        seam = seams.get(member_weeks[0])
        if seam is not None:
            n_slots = max(0, n_slots - seam.sessions)
        groups.append(
            Group(
                index=index,
                weeks=tuple(member_weeks),
                kind=kind,
                phase=week.phase,
                mesocycle=mesocycle,
                first_mesocycle=is_first,
                n_slots=n_slots,
                min_hard=min(min_hard, n_slots),
                candidates=tuple(
                    c
                    for c in candidates_by_stage[is_first]
                    if kind != "loading"
                    or mesocycle not in keep_main
                    or c.exercise.category not in HARD_CATEGORIES
                    or c.id in keep_main[mesocycle]
                ),
                weights=weights,
                fixed=seam,
                contrast=contrast_allowed(scenario.athlete.level, week.phase),
                paired=rules.paired_sets and not (scenario.athlete.level == "novice" and is_first),
            )
        )
    return groups


def build_problem(
    scenario: Scenario,
    catalog: Catalog | None = None,
    benefit: BenefitModel | None = None,
    calendar: Calendar | None = None,
    restrictions: Restrictions | None = None,
) -> Problem:
    """The Problem of a scenario; with `restrictions`, of a re-solve that keeps them."""
    restrictions = restrictions if restrictions is not None else Restrictions()
    fixed = restrictions.fixed()
    catalog = catalog or default_catalog()
    benefit = benefit or default_benefit_model()
    calendar = calendar or build_calendar(scenario)
    exercises = usable_exercises(scenario, catalog)
    level = scenario.athlete.level
    candidates_by_stage: dict[bool, list[Candidate]] = {}
    removed: set[str] = set()
    for first in (True, False):
        candidates = [_candidate(e, level, first, benefit) for e in exercises]
        kept, dropped = remove_dominated(
            candidates, benefit, scenario.rules.paired_sets, frozenset(scenario.coach.named)
        )
        kept.sort(key=lambda c: (CATEGORIES.index(c.exercise.category), c.id))
        candidates_by_stage[first] = kept
        removed.update(dropped)
    curves, maxima, scale = _curve(benefit)
    closed = restrictions.closed()
    groups = build_groups(
        scenario, calendar, candidates_by_stage, benefit, fixed, dict(restrictions.main_before),
        closed | restrictions.split_at,
    )  # fmt: skip
    return Problem(
        scenario=scenario,
        calendar=calendar,
        catalog=catalog,
        benefit=benefit,
        groups=groups,
        curves=curves,
        curve_max=maxima,
        benefit_scale=scale,
        removed_dominated=sorted(removed),
        fixed=fixed,
        limits=restrictions.limits,
        closed=closed,
    )


def curve_units(problem: Problem, target: str, dose: int) -> int:
    """Exact benefit units of a week's dose for one target (before weights)."""
    return min(
        min(seg.value_at_start + seg.slope * (dose - seg.start) for seg in problem.curves[target]),
        problem.curve_max[target],
    )


def slot_minutes(group: Group, slot: Sequence[Pick]) -> int:
    """A session's minutes: each item done alone takes its option's minutes, each pair
    R17's (`pair_minutes`)."""
    by_id = {c.id: c for c in group.candidates}
    minutes = 0
    partners: dict[int, list[Pick]] = {}
    for pick in slot:
        if pick.pair:
            partners.setdefault(pick.pair, []).append(pick)
        else:
            minutes += next(o for o in by_id[pick.exercise].options if o.sets == pick.sets).minutes
    for a, b in partners.values():
        minutes += pair_minutes(a.sets, by_id[a.exercise].pairable, by_id[b.exercise].pairable)
    return minutes


def week_dose(group: Group, slots: Sequence[Sequence[Pick]]) -> tuple[Counter[str], int]:
    """Dose units per target (fixed days included) and minutes (planned sessions only) of
    one week of a group's sessions."""
    by_id = {c.id: c for c in group.candidates}
    dose: Counter[str] = Counter(group.fixed.dose if group.fixed else {})
    for slot in slots:
        for pick in slot:
            option = next(o for o in by_id[pick.exercise].options if o.sets == pick.sets)
            dose.update(option.dose)
    return dose, sum(slot_minutes(group, slot) for slot in slots)


def evaluate(problem: Problem, contents: Contents) -> tuple[int, int]:
    """(benefit units, minutes) of a plan given as group -> slots -> picks. In a
    replan, only what the planned days add: the fixed days' benefit and minutes are not
    counted (`Problem.benefit_offset`)."""
    benefit_units, minutes = -problem.benefit_offset(), 0
    for group in problem.groups:
        dose, week_minutes = week_dose(group, contents.get(group.index, []))
        minutes += group.size * week_minutes
        for target, weight in group.weights.items():
            benefit_units += group.size * weight * curve_units(problem, target, dose[target])
    return benefit_units, minutes
