"""On tiny instances the solver's proven optimum equals brute force (STYLE.md, habit 5).

A tiny instance is one base week with 1-2 days of gym time and a catalog of 5-8 exercises
taken from the default catalog. The brute force enumerates every plan: on each free day no
session, or a session made of one set option per chosen exercise, following

- the method's template from the benefit model (`models/benefit.yaml`): per-category item
  counts (`items_per_session`), a hip or ankle mobility opener;
- R15: a hard session of this loading week holds every block (a hip and an ankle mobility
  item), power unless the athlete has no power at all, or only plyometric power and the
  week's other session spends R5's plyometric sessions; its mobility block (the warm-up,
  the Revisions) adds up to at least 5 minutes;
- a session of at least `min_session_minutes` (and at most 3 sessions a week in base);
- the hard rules R1-R12 as they apply to one week (R1, R3, R4, R5, R9, R10, R11; R6, R7,
  R8 and R12 need a taper, a race or several weeks), re-derived here from the rule text;
- R17, paired sets, where `rules.paired_sets` turns them on: every way to pair a session's
  items (one lower- and one upper-body strength or accessory item, or strength or accessory
  work with a core item; equal sets; no power item, as a base week allows no contrast pair;
  the mobility block is the warm-up and is never paired), each pair of s sets taking
  s x max(set A, set B, work A + work B + 2 transitions), is a session of its own. As the
  planner does, a strength item leads every pair (R17 also allows an accessory with core;
  the planner leaves those unpaired), and a novice, in the first mesocycle here, pairs
  nothing (each movement is learnt alone).

It then takes the lexicographic optimum the planner promises: first the floor (the fewest
missing R13 hard sessions, base: 2 a week, then R16's shortfalls, then R19's, weighed as the
planner weighs them: `R16_WEIGHTS`, `R19_WEIGHTS`), then the best benefit per minute. The
floor, re-derived from the rule text and its Revisions:

- R16 (a): lower-body strength sets toward `strength_sets`; 2 strength exercises per hard
  session, and a knee- and a hip-dominant one (`pattern`) wherever a usable lower-body
  strength exercise of that pattern exists ("patterns": one per missing pattern);
- R16 (d) and R15's accessory revision: a focus target weighted 4-5 gets a dose of 3, and
  where it is hip stability, calf and Achilles, posture or posterior chain and a usable
  accessory has it as its largest contribution, the week holds such an accessory;
- R16 (e), (f): session and week minutes;
- R19, intermediate and advanced: a hard session on a day whose kit holds external load
  holds a heavy lift (`planner.domain.catalog.heavy`: a loaded lower-body strength exercise
  at 3-6 reps), and a week with such a day 2 different heavy lifts with 6 sets; nothing
  where the athlete has no heavy lift at all (a novice: nothing in the first mesocycle).

A strength set's dose follows its intensity (Revisions, "Benefit"), re-derived here from
`strength_intensity` in the benefit model. The solver must prove
optimality, match the number of missing sessions, and match the ratio to 1e-6 (relative).
The brute force's best plan is also rebuilt as a Plan and passed through the checker, so
the enumeration cannot win with a plan the rules forbid.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from planner.check.checker import check_plan
from planner.domain.catalog import (
    Catalog,
    Exercise,
    Prescription,
    contacts_per_set,
    heavy,
    item_minutes,
    prescription_for,
    seconds_per_set,
)
from planner.domain.plan import Item, Plan, Session
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.io.scenario_file import scenario_from_data
from planner.pipeline import SolveOptions, plan_scenario, solve_scenario
from planner.solver.model import FLOOR_WEIGHTS, R13_WEIGHT, R16_WEIGHTS, R19_WEIGHTS
from planner.vocabulary import CATEGORIES, LEVELS, WEEKDAYS

from ..conftest import MONDAY, make_scenario
from ..helpers import catalog_of, refresh_figures

MODEL = default_benefit_model()
CATALOG = default_catalog()
PHASE = "base"  # one week, no race: a base loading week
MIN_HARD = 2  # R13 in base
MAX_SESSIONS = 3  # sessions per week in base (R13)
HARD = ("power", "strength")
KEY_RUNS = ("long", "quality", "race")
WARM_UP = 5  # R15's revision: a hard session's mobility block, in minutes
PATTERNS = ("knee", "hip")  # R16 (a)'s revision
# R15's revision: the focus targets an accessory serves
ACCESSORY_TARGETS = (
    "hip_stability", "calf_achilles", "posture", "posterior_chain", "knee_resilience",
)  # fmt: skip
LOAD = {"dumbbell", "kettlebell", "barbell", "trap_bar", "cable"}  # R19: external load
HEAVY_LIFTS, HEAVY_SETS = 2, 6  # R19: a base or build week's heavy lifts and their sets


# --- instances -----------------------------------------------------------------------------


def _ids(category: str) -> list[str]:
    return sorted(e.id for e in CATALOG.exercises if e.category == category)


EXERCISES = CATALOG.by_id()
OPENERS = sorted(
    e.id for e in CATALOG.exercises if e.category == "mobility" and {"hip", "ankle"} & e.tags
)
ROTATION = {e.id for e in CATALOG.exercises if "rotation" in e.tags}


def _bodyweight(ids: list[str]) -> list[str]:
    return [i for i in ids if not EXERCISES[i].equipment and EXERCISES[i].level == "novice"]


@st.composite
def tiny_catalogs(draw: st.DrawFn, basics: bool = False) -> Catalog:
    """5-8 exercises: 1-2 mobility (one an opener), 0-2 power, 1-2 strength, 0-1 accessory,
    1-2 core. With `basics`, the opener, one core move and one unilateral strength move are
    bodyweight novice moves, and so is an accessory one, so that every athlete can have a
    complete hard session (R15)."""
    openers, cores = OPENERS, _ids("core")
    if basics:
        openers, cores = _bodyweight(OPENERS), [i for i in _bodyweight(cores) if i not in ROTATION]
    chosen = {draw(st.sampled_from(openers)), draw(st.sampled_from(cores))}
    if basics:  # a warm-up of 5 min with a hip and an ankle item (R15 and its revision)
        chosen.add(draw(st.sampled_from(WARM_UP_PARTNERS)))
    chosen |= draw(st.sets(st.sampled_from(_ids("mobility")), max_size=1))
    chosen |= draw(st.sets(st.sampled_from(_ids("power")), max_size=2))
    if basics:
        chosen.add(draw(st.sampled_from(BODYWEIGHT_STRENGTH)))
        others = st.one_of(st.sampled_from(_ids("strength")), st.sampled_from(LOADED_LOWER))
        chosen |= draw(st.sets(others, max_size=1))  # often a heavy lift (R19)
    else:
        chosen |= draw(st.sets(st.sampled_from(_ids("strength")), min_size=1, max_size=2))
    if basics:
        chosen.add(draw(st.sampled_from(_bodyweight(_ids("accessory")))))
    chosen |= draw(st.sets(st.sampled_from(_ids("accessory")), max_size=1))
    chosen |= draw(st.sets(st.sampled_from(cores), max_size=1))
    return catalog_of(*chosen)


def _longest(exercise: Exercise) -> int:
    prescription = prescription_for(exercise, "novice", first_mesocycle=True)
    return item_minutes(exercise, prescription, prescription.sets[1], MODEL)


# Bodyweight hip or ankle items of 3 minutes or more: with the opener, often a 5-min warm-up
# with a hip and an ankle item (R15 and its revision).
WARM_UP_PARTNERS = [i for i in _bodyweight(OPENERS) if _longest(EXERCISES[i]) >= 3]
# Loaded lower-body lifts for a kit the scenarios draw (dumbbell, kettlebell, bench, box).
LOADED_LOWER = sorted(
    e.id
    for e in CATALOG.exercises
    if e.category == "strength"
    and "lower_body" in e.tags
    and e.loaded
    and e.equipment <= {"dumbbell", "kettlebell", "bench", "box"}
)
BODYWEIGHT_STRENGTH = sorted(
    e.id
    for e in CATALOG.exercises
    if e.category == "strength"
    and not e.equipment
    and e.level == "novice"
    and "unilateral" in e.tags
)


@st.composite
def tiny_scenarios(draw: st.DrawFn, hard_day: bool = False) -> Scenario:
    """One week; gym time on 1-2 days; runs around them; a random athlete and rule values.
    With `hard_day`, the first gym day has 30-40 min and no run on it or the day after, so a
    hard session fits there whenever the catalog allows one."""
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=2, unique=True))
    weekly = {day: draw(st.integers(12, 30)) for day in days}
    runs = {
        day: draw(st.sampled_from(["easy 8", "quality 8", "long 16", "cross 40min"]))
        for day in draw(st.sets(st.sampled_from(WEEKDAYS), max_size=3))
    }
    if hard_day:
        first = days[0]
        weekly[first] = draw(st.integers(30, 40))
        after = WEEKDAYS[(WEEKDAYS.index(first) + 1) % 7]
        runs = {day: run for day, run in runs.items() if day not in (first, after)}
    equipment = sorted(draw(st.sets(st.sampled_from(["band", "dumbbell", "box", "kettlebell"]))))
    availability: dict[str, Any] = {"weekly": weekly}
    if draw(st.booleans()):
        availability["equipment_by_day"] = {draw(st.sampled_from(days)): ["dumbbell", "bench"]}
    if draw(st.integers(0, 3)) == 0:
        availability["max_per_week"] = draw(st.integers(20, 50))
    focus = draw(
        st.dictionaries(
            st.sampled_from(["power", "max_strength", "hip_stability", "calf_achilles", "posture"]),
            st.integers(0, 5),
            max_size=3,
        )
    )
    rules = {
        "min_session_minutes": draw(st.sampled_from([10, 15])),
        "hard_gap_days": draw(st.integers(1, 3)),
        "key_run_buffer_days": draw(st.integers(0, 1)),
        "unilateral_share": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "plyo_contacts": {"novice": draw(st.sampled_from([30, 80]))},
        "paired_sets": draw(st.booleans()),  # R17
    }
    return make_scenario(
        athlete={
            "name": "Tiny",
            "level": draw(st.sampled_from(LEVELS)),
            "equipment": equipment,
            "focus": focus,
            "avoid": sorted(draw(st.sets(st.sampled_from(["plyometric", "quad"]), max_size=1))),
        },
        block={"start": MONDAY.isoformat(), "weeks": 1},
        availability=availability,
        running={"unit": "km", "weeks": [runs]},
        rules=rules,
    )


# --- brute force ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    exercise: Exercise
    sets: int
    minutes: int
    contacts: int
    dose: dict[str, float]


@dataclass(frozen=True)
class BruteSession:
    choices: tuple[Choice, ...]
    minutes: int
    hard: bool
    plyometric: bool
    strength_sets: int
    unilateral_sets: int
    dose: dict[str, float]
    powerless: bool  # hard without power (R15 allows it only where no power can be placed)
    short: int  # R16 (a) missing strength exercises and patterns, (e) minutes; R19's heavy
    # lift of a hard session on a kit day: weighted
    lower_sets: int  # R16 (a): lower-body strength sets
    heavy_sets: int  # R19
    heavy_lifts: int  # R19: a bit per heavy candidate the session holds
    served: int  # R15's accessory revision: a bit per focus target an accessory serves
    pairs: tuple[tuple[int, int], ...] = ()  # R17: indices into `choices`, first item first


def _date(weekday: str) -> dt.date:
    return MONDAY + dt.timedelta(days=WEEKDAYS.index(weekday))


def _per_set(exercise: Exercise, prescription: Prescription, level: str) -> dict[str, float]:
    """A set's contribution to each target (Revisions, "Benefit", re-derived from
    `strength_intensity` in the benefit model): a strength set's `max_strength` counts fully
    when externally loaded at 3-6 reps, fully for a novice in the first mesocycle (every
    instance here is one), else `other` (half); other targets and categories as catalogued."""
    targets = dict(exercise.targets)
    if exercise.category != "strength" or "max_strength" not in targets:
        return targets
    intensity = MODEL.strength_intensity
    reps = prescription.reps.removesuffix("/side")
    if exercise.loaded and reps.isdigit() and 3 <= int(reps) <= 6:
        factor = intensity.heavy
    elif level == "novice":  # the first mesocycle
        factor = intensity.novice_first_mesocycle
    else:
        factor = intensity.other
    targets["max_strength"] *= factor
    return targets


def _choices(exercise: Exercise, level: str) -> list[Choice]:
    prescription = prescription_for(exercise, level, first_mesocycle=True)
    per_set = _per_set(exercise, prescription, level)
    low, high = prescription.sets
    return [
        Choice(
            exercise,
            sets,
            item_minutes(exercise, prescription, sets, MODEL),
            sets * contacts_per_set(exercise, prescription),
            {target: sets * amount for target, amount in per_set.items()},
        )
        for sets in range(low, high + 1)
    ]


def _kit(scenario: Scenario, weekday: str | None = None) -> set[str]:
    """The athlete's equipment on a day (None: on some day of the week), bodyweight too."""
    kit = set(scenario.athlete.equipment) | {"bodyweight"}
    by_day = scenario.availability.equipment_by_day
    for day, extra in by_day.items():
        if weekday is None or day == weekday:
            kit |= set(extra)
    return kit


def _heavy(exercise: Exercise, level: str) -> bool:
    """R19's heavy lift, by the catalog's definition (`planner.domain.catalog.heavy`)."""
    return heavy(exercise, prescription_for(exercise, level, first_mesocycle=True))


def _largest(exercise: Exercise) -> set[str]:
    top = max(exercise.targets.values(), default=0.0)
    return {t for t, amount in exercise.targets.items() if amount == top}


@dataclass(frozen=True)
class WeekNeeds:
    """What the floor asks of the week beyond R13, from the athlete's usable exercises (kit
    on some day of the week, level, nothing avoided)."""

    patterns: frozenset[str]  # R16 (a): knee and hip where a usable lower-body lift has it
    heavy: tuple[str, ...]  # R19: the usable heavy lifts (empty: R19 asks nothing)
    kit_days: frozenset[str]  # R19: days that can take a session, with external load
    accessory: tuple[str, ...]  # R15: focus targets (4-5) a usable accessory serves


def week_needs(scenario: Scenario, catalog: Catalog) -> WeekNeeds:
    athlete, rules = scenario.athlete, scenario.rules
    usable = [e for e in catalog.exercises if _usable(e, scenario, _kit(scenario))]
    patterns = frozenset(
        e.pattern
        for e in usable
        if e.category == "strength" and "lower_body" in e.tags and e.pattern in PATTERNS
    )
    intermediate = athlete.level != "novice"  # a novice: nothing in the first mesocycle
    lifts = tuple(sorted(e.id for e in usable if intermediate and _heavy(e, athlete.level)))
    kit_days = frozenset(
        day
        for day, minutes in scenario.availability.weekly.items()
        if minutes >= rules.min_session_minutes and _kit(scenario, day) & LOAD
    )
    accessory = tuple(
        t
        for t in ACCESSORY_TARGETS
        if athlete.focus_weight(t) >= 4
        and any(e.category == "accessory" and t in _largest(e) for e in usable)
    )
    return WeekNeeds(patterns, lifts if kit_days else (), kit_days, accessory)


def _usable(exercise: Exercise, scenario: Scenario, equipment: set[str]) -> bool:
    """R9 in a first week (level; no rotation or advanced plyometrics: there are no earlier
    weeks) and R10 (equipment there that day; no avoided tag)."""
    athlete = scenario.athlete
    return (
        LEVELS.index(exercise.level) <= LEVELS.index(athlete.level)
        and not exercise.tags & {"rotation", "plyo_advanced"}
        and exercise.equipment <= equipment
        and not exercise.tags & set(athlete.avoid)
    )


def _hard_allowed(scenario: Scenario, date: dt.date) -> bool:
    """R4: no hard session on a long-run day or within key_run_buffer_days before a key run."""
    runs = scenario.runs_by_date()
    if date in runs and runs[date].kind in ("long", "race"):
        return False
    for ahead in range(1, scenario.rules.key_run_buffer_days + 1):
        later = runs.get(date + dt.timedelta(days=ahead))
        if later is not None and later.kind in KEY_RUNS:
            return False
    return True


def _set_seconds(choice: Choice, level: str) -> tuple[int, int]:
    """(work, whole set) in seconds: the set's reps or hold, rest and transition."""
    prescription = prescription_for(choice.exercise, level, first_mesocycle=True)
    whole = seconds_per_set(choice.exercise, prescription, MODEL)
    return whole - prescription.rest_s - MODEL.transition_s, whole


def _region(exercise: Exercise) -> str | None:
    if "lower_body" in exercise.tags:
        return "lower"
    return "upper" if "upper_body" in exercise.tags else None


def _may_pair(a: Choice, b: Choice) -> bool:
    """R17 in a base week, the warm-up kept whole: equal sets, and one lower- and one
    upper-body strength or accessory item, or strength or accessory work with core."""
    if a.sets != b.sets:
        return False
    work = ("strength", "accessory")
    categories = {a.exercise.category, b.exercise.category}
    if "strength" not in categories:  # the planner's pairs are led by a lift
        return False
    if categories <= set(work):
        return {_region(a.exercise), _region(b.exercise)} == {"lower", "upper"}
    return bool(categories & set(work)) and "core" in categories and len(categories) == 2


def _pairings(
    choices: tuple[Choice, ...], level: str, paired: bool
) -> dict[int, tuple[tuple[int, int], ...]]:
    """Every session minutes R17's pairings reach, each with one pairing that reaches it."""
    alone = [math.ceil(c.sets * _set_seconds(c, level)[1] / 60) for c in choices]
    if not paired or level == "novice":  # pairs off, or a novice's first mesocycle
        return {sum(alone): ()}

    def together(i: int, j: int) -> int:
        (work_a, set_a), (work_b, set_b) = (
            _set_seconds(choices[i], level),
            _set_seconds(choices[j], level),
        )
        longest = max(set_a, set_b, work_a + work_b + 2 * MODEL.transition_s)
        return math.ceil(choices[i].sets * longest / 60)

    reached: dict[int, tuple[tuple[int, int], ...]] = {}

    def walk(rest: list[int], minutes: int, pairs: tuple[tuple[int, int], ...]) -> None:
        if not rest:
            reached.setdefault(minutes, pairs)
            return
        first, others = rest[0], rest[1:]
        walk(others, minutes + alone[first], pairs)
        for partner in others:
            if _may_pair(choices[first], choices[partner]):
                left = [k for k in others if k != partner]
                walk(left, minutes + together(first, partner), (*pairs, (first, partner)))

    mobility = sum(alone[k] for k, c in enumerate(choices) if c.exercise.category == "mobility")
    walk([k for k, c in enumerate(choices) if c.exercise.category != "mobility"], mobility, ())
    return reached


def day_sessions(
    scenario: Scenario, catalog: Catalog, weekday: str, needs: WeekNeeds
) -> list[BruteSession]:
    """Every legal session on one day (empty list: the day cannot hold one)."""
    available = scenario.availability.weekly.get(weekday, 0)
    minimum = scenario.rules.min_session_minutes
    if available < minimum:  # R1: not a session day
        return []
    athlete = scenario.athlete
    equipment = _kit(scenario, weekday)
    hard_ok = _hard_allowed(scenario, _date(weekday))
    cap = scenario.rules.plyo_contacts[athlete.level]
    full = min(scenario.rules.full_session_minutes, available)
    per_category: list[list[tuple[Choice, ...]]] = []
    for category in CATEGORIES:
        usable = [
            e
            for e in catalog.exercises
            if e.category == category and _usable(e, scenario, equipment)
        ]
        low, high = MODEL.items_per_session[category]
        picks: list[tuple[Choice, ...]] = []
        for count in range(low, high + 1):
            for group in itertools.combinations(usable, count):
                picks.extend(itertools.product(*(_choices(e, athlete.level) for e in group)))
        per_category.append(picks)
    sessions = []
    for combination in itertools.product(*per_category):
        choices = tuple(choice for pick in combination for choice in pick)
        for minutes, pairs in sorted(
            _pairings(choices, athlete.level, scenario.rules.paired_sets).items()
        ):
            if minimum <= minutes <= available:  # template minimum, R1
                session = _session_of(choices, minutes, pairs, hard_ok, cap, full, needs, weekday)
                if session is not None:
                    sessions.append(session)
    return sessions


def _session_of(
    choices: tuple[Choice, ...],
    minutes: int,
    pairs: tuple[tuple[int, int], ...],
    hard_ok: bool,
    cap: int,
    full: int,
    needs: WeekNeeds,
    weekday: str,
) -> BruteSession | None:
    """The session these choices and pairs make, or None where a rule forbids it."""
    if not any(
        c.exercise.category == "mobility" and {"hip", "ankle"} & c.exercise.tags for c in choices
    ):
        return None  # R2 opener
    hard = any(c.exercise.category in HARD for c in choices)
    strength = [c for c in choices if c.exercise.category == "strength"]
    if hard and not hard_ok:  # R4
        return None
    blocks = {c.exercise.category for c in choices}
    mobility = {t for c in choices if c.exercise.category == "mobility" for t in c.exercise.tags}
    complete = {"mobility", "strength", "accessory", "core"} <= blocks
    if hard and not (complete and {"hip", "ankle"} <= mobility):  # R15
        return None
    warm_up = sum(c.minutes for c in choices if c.exercise.category == "mobility")
    if hard and warm_up < WARM_UP:  # R15's revision
        return None
    plyometric = [c for c in choices if "plyometric" in c.exercise.tags]
    if sum(c.contacts for c in plyometric) > cap:  # R5 per session
        return None
    dose: dict[str, float] = {}
    for c in choices:
        for target, amount in c.dose.items():
            dose[target] = dose.get(target, 0.0) + amount
    held = {c.exercise.pattern for c in strength}
    heavy_ids = {c.exercise.id for c in strength} & set(needs.heavy)
    heavy_missing = bool(needs.heavy) and weekday in needs.kit_days and not heavy_ids
    accessories = [c.exercise for c in choices if c.exercise.category == "accessory"]
    return BruteSession(
        choices,
        minutes,
        hard,
        bool(plyometric),
        sum(c.sets for c in strength),
        sum(c.sets for c in strength if "unilateral" in c.exercise.tags),
        dose,
        hard and "power" not in blocks,
        hard
        * (
            R16_WEIGHTS["exercises"] * max(0, 2 - len(strength))
            + R16_WEIGHTS["patterns"] * len(needs.patterns - held)
            + R16_WEIGHTS["session_minutes"] * max(0, full - minutes)
            + R19_WEIGHTS["heavy_session"] * heavy_missing
        ),
        sum(c.sets for c in strength if "lower_body" in c.exercise.tags),
        sum(c.sets for c in strength if c.exercise.id in needs.heavy),
        sum(1 << needs.heavy.index(i) for i in heavy_ids),
        sum(
            1 << k
            for k, t in enumerate(needs.accessory)
            if any(t in _largest(e) for e in accessories)
        ),
        pairs,
    )


def _curve(fraction: np.ndarray) -> np.ndarray:
    """The concave benefit curve of models/benefit.yaml (value in [0, 1])."""
    value = np.zeros_like(fraction)
    for quarter, gain in enumerate(MODEL.curve_quarters):
        value += float(gain) * np.clip((fraction - quarter * 0.25) * 4, 0.0, 1.0)
    return value


@dataclass
class Optimum:
    missing: int  # R13 hard sessions
    floor: int  # the weighted floor: R13, then R16
    ratio: float
    sessions: dict[str, BruteSession]  # weekday -> session


def brute_force(scenario: Scenario, catalog: Catalog) -> tuple[Optimum, int]:
    """The lexicographic optimum over every plan (fewest missing hard sessions, then the
    best benefit per minute), and the number of plans looked at."""
    athlete = scenario.athlete
    rules = scenario.rules
    weekdays = [day for day in WEEKDAYS if scenario.availability.weekly.get(day, 0) > 0]
    # R8's revision: a week that life empties (no day with the time for a session outside a
    # race's windows; these instances have no race) counts as a deload. R13 then asks no
    # hard session, and R16 (a, d, f) and R19 ask nothing of a week that is not a loading
    # week. Key runs (R4) do not empty a week: the running plan could move them, so its
    # missed hard sessions count.
    loading = any(
        scenario.availability.weekly[day] >= rules.min_session_minutes for day in weekdays
    )
    min_hard = MIN_HARD if loading else 0
    needs = week_needs(scenario, catalog)
    if not loading:
        needs = WeekNeeds(needs.patterns, (), needs.kit_days, ())
    if currently_in_test_context():
        event(f"R19 asks for heavy lifts: {bool(needs.heavy)}")
        event(f"R15 asks for focus accessories: {bool(needs.accessory)}")
        event(f"R16 asks for patterns: {len(needs.patterns)}")
    options = {day: [None, *day_sessions(scenario, catalog, day, needs)] for day in weekdays}
    focused = {t for t, weight in athlete.focus.items() if weight >= 4}  # R16 (d)
    targets = sorted({t for e in catalog.exercises for t in e.targets} | focused)
    # Full value of each target for this athlete: points x weight (curve(1) = 1).
    full = np.array(
        [
            MODEL.target_week_benefit(
                t, MODEL.effective_weekly_dose[t], PHASE, athlete.focus_weight(t)
            )
            for t in targets
        ]
    )
    effective = np.array([MODEL.effective_weekly_dose[t] for t in targets], dtype=float)

    def table(day: str) -> dict[str, np.ndarray]:
        rows = options[day]
        return {
            "dose": np.array(
                [
                    [0.0] * len(targets) if s is None else [s.dose.get(t, 0.0) for t in targets]
                    for s in rows
                ]
            ).reshape(len(rows), len(targets)),
            "minutes": np.array([0 if s is None else s.minutes for s in rows]),
            "hard": np.array([s is not None and s.hard for s in rows]),
            "plyo": np.array([s is not None and s.plyometric for s in rows]),
            "strength": np.array([0 if s is None else s.strength_sets for s in rows]),
            "unilateral": np.array([0 if s is None else s.unilateral_sets for s in rows]),
            "active": np.array([s is not None for s in rows]),
            "powerless": np.array([s is not None and s.powerless for s in rows]),
            "short": np.array([0 if s is None else s.short for s in rows]),
            "lower": np.array([0 if s is None else s.lower_sets for s in rows]),
            "heavy_sets": np.array([0 if s is None else s.heavy_sets for s in rows]),
            "heavy_lifts": np.array([0 if s is None else s.heavy_lifts for s in rows]),
            "served": np.array([0 if s is None else s.served for s in rows]),
        }

    tables = [table(day) for day in weekdays]
    if len(tables) == 1:  # a second "day" that never holds a session
        empty = {key: value[:1] for key, value in tables[0].items()}
        tables.append(empty)
        pair_days = [weekdays[0], None]
    else:
        pair_days = weekdays
    first, second = tables
    gap_ok_when_both_hard = True
    if pair_days[1] is not None:
        apart = (_date(pair_days[1]) - _date(pair_days[0])).days
        gap_ok_when_both_hard = apart >= rules.hard_gap_days  # R3
    weekly_plyo = 1 if athlete.level == "novice" else 2
    cap = scenario.availability.max_per_week
    kit = set(athlete.equipment) | {"bodyweight"}
    for extra in scenario.availability.equipment_by_day.values():
        kit |= set(extra)
    power = [
        e.plyometric
        for e in catalog.exercises
        if e.category == "power" and _usable(e, scenario, kit)
    ]
    # R16 (f): the week's minutes, (a) strength sets, (d) focus targets weighted 4-5.
    offer = sum(
        scenario.availability.weekly.get(day, 0)
        for day in weekdays
        if scenario.availability.weekly.get(day, 0) >= rules.min_session_minutes
        and _hard_allowed(scenario, _date(day))
    )
    week_target = min(60, offer // 2)
    sets_target = rules.strength_sets[athlete.level] if loading else 0
    focus = np.array([loading and athlete.focus_weight(t) >= 4 for t in targets])
    # Bit counts: distinct heavy lifts (R19) and focus targets left without their accessory.
    popcount = np.array([bin(n).count("1") for n in range(1 << max(len(needs.heavy), 1))])
    wanted = (1 << len(needs.accessory)) - 1
    unserved = np.array([bin(wanted & ~n).count("1") for n in range(1 << len(needs.accessory))])
    best: tuple[int, float, int, int] | None = None  # (floor, -ratio, index1, index2)
    best_missing = min_hard
    for start in range(0, len(first["minutes"]), 256):
        rows = slice(start, start + 256)
        dose = first["dose"][rows, None, :] + second["dose"][None, :, :]
        benefit = (_curve(dose / effective) * full).sum(axis=2)
        minutes = first["minutes"][rows, None] + second["minutes"][None, :]
        hard = first["hard"][rows, None].astype(int) + second["hard"][None, :].astype(int)
        plyo = first["plyo"][rows, None].astype(int) + second["plyo"][None, :].astype(int)
        strength = first["strength"][rows, None] + second["strength"][None, :]
        lower = first["lower"][rows, None] + second["lower"][None, :]
        unilateral = first["unilateral"][rows, None] + second["unilateral"][None, :]
        sessions = first["active"][rows, None].astype(int) + second["active"][None, :].astype(int)
        valid = (plyo <= weekly_plyo) & (sessions <= MAX_SESSIONS)  # R5 weekly, R13 sessions
        valid &= (strength == 0) | (unilateral >= rules.unilateral_share * strength - 1e-9)  # R11
        if not gap_ok_when_both_hard:
            valid &= hard < 2  # R3
        if cap is not None:
            valid &= minutes <= cap  # R1 weekly
        # R15: a hard session without power needs no power at all, or plyometric power only
        # with the other session spending the week's plyometric sessions.
        first_bare = first["powerless"][rows, None]
        second_bare = second["powerless"][None, :]
        if power and not all(power):
            valid &= ~first_bare & ~second_bare
        elif power:
            other_plyo_first = second["plyo"][None, :].astype(int)
            other_plyo_second = first["plyo"][rows, None].astype(int)
            valid &= ~first_bare | (other_plyo_first >= weekly_plyo)
            valid &= ~second_bare | (other_plyo_second >= weekly_plyo)
        focus_short = np.round(np.maximum(0.0, 3 - dose) * 4) * focus
        floor = (
            R13_WEIGHT * np.maximum(0, min_hard - hard)
            + R16_WEIGHTS["sets"] * np.maximum(0, sets_target - lower)
            + R16_WEIGHTS["focus"] * focus_short.sum(axis=2)
            + R16_WEIGHTS["focus_accessory"]
            * unserved[first["served"][rows, None] | second["served"][None, :]]
            + R16_WEIGHTS["week_minutes"] * np.maximum(0, week_target - minutes)
            + first["short"][rows, None]
            + second["short"][None, :]
        ).astype(int)
        if needs.heavy:  # R19's week: 2 different heavy lifts, 6 sets of them
            lifts = popcount[first["heavy_lifts"][rows, None] | second["heavy_lifts"][None, :]]
            heavy_sets = first["heavy_sets"][rows, None] + second["heavy_sets"][None, :]
            floor += R19_WEIGHTS["heavy_exercises"] * np.maximum(0, HEAVY_LIFTS - lifts)
            floor += R19_WEIGHTS["heavy_sets"] * np.maximum(0, HEAVY_SETS - heavy_sets)
        ratio = np.where(minutes > 0, benefit / np.maximum(minutes, 1), 0.0)
        score_missing = np.where(valid, floor, np.iinfo(np.int64).max)
        fewest = score_missing.min()
        if fewest == np.iinfo(np.int64).max:
            continue
        candidates = np.where(score_missing == fewest, ratio, -1.0)
        index = np.unravel_index(np.argmax(candidates), candidates.shape)
        key = (int(fewest), -float(candidates[index]), start + int(index[0]), int(index[1]))
        hard_count = int(hard[index])
        if best is None or key[:2] < best[:2]:
            best = key
            best_missing = max(0, min_hard - hard_count)
    assert best is not None  # the empty plan is always legal
    floor_value, negative_ratio, i, j = best
    chosen = {}
    if options[weekdays[0]][i] is not None:
        chosen[weekdays[0]] = options[weekdays[0]][i]
    if pair_days[1] is not None and options[pair_days[1]][j] is not None:
        chosen[pair_days[1]] = options[pair_days[1]][j]
    count = len(first["minutes"]) * len(second["minutes"])
    return Optimum(best_missing, floor_value, -negative_ratio, chosen), count


# --- rebuilding the brute-force plan for the checker ---------------------------------------


def plan_with_sessions(template: Plan, scenario: Scenario, chosen: dict[str, BruteSession]) -> Plan:
    """The solver's plan with every session replaced by the brute force's choice."""
    plan = template.model_copy(deep=True)
    level = scenario.athlete.level
    for day in plan.days:
        session = chosen.get(WEEKDAYS[day.date.weekday()])
        if session is None:
            day.session = None
            continue
        items = []
        for choice in session.choices:
            exercise = choice.exercise
            prescription = prescription_for(exercise, level, first_mesocycle=True)
            items.append(
                Item(
                    exercise=exercise.id,
                    name=exercise.name,
                    category=exercise.category,
                    sets=choice.sets,
                    reps=prescription.reps,
                    load="brute force",
                    rest_s=prescription.rest_s,
                    minutes=choice.minutes,
                    equipment=sorted(exercise.equipment),
                    tags=sorted(exercise.tags),
                    contacts=choice.contacts,
                    targets=dict(choice.dose),
                )
            )
        for label, (first, second) in zip("ABCDEFGH", session.pairs, strict=False):
            items[first] = items[first].model_copy(update={"pair": label})
            items[second] = items[second].model_copy(update={"pair": label})
        seconds = {items[second].exercise for _, second in session.pairs}
        partner = {items[first].exercise: items[second] for first, second in session.pairs}
        leads = sorted(
            (i for i in items if i.exercise not in seconds),
            key=lambda i: (CATEGORIES.index(i.category), not {"hip", "ankle"} & set(i.tags)),
        )
        items = [
            member
            for lead in leads
            for member in ([lead, partner[lead.exercise]] if lead.exercise in partner else [lead])
        ]
        hard = session.hard
        day.session = Session(
            minutes=session.minutes,
            hard=hard,
            after_run=hard and day.run.kind == "quality",
            items=items,
        )
    return refresh_figures(plan, scenario)


# --- the properties ------------------------------------------------------------------------


def compare_with_brute_force(
    scenario: Scenario, catalog: Catalog, hard_session_fits: bool = False
) -> Optimum:
    """Enumerate, solve, check; assert the solver's proven optimum is the brute force's.
    With `hard_session_fits`, skip (hypothesis.assume) an instance where no hard session
    fits at all."""
    optimum, count = brute_force(scenario, catalog)
    if hard_session_fits:
        assume(optimum.missing < MIN_HARD)
    if currently_in_test_context():
        event(f"brute-force plans: {'<1e3' if count < 1e3 else '<1e5' if count < 1e5 else '>=1e5'}")
        event(f"missing hard sessions: {optimum.missing}")

    result = solve_scenario(
        scenario, SolveOptions(time_limit=10, seed=0, workers=2, explain=False), catalog
    )
    problem, solution = result.problem, result.solution
    assert solution.status == "optimal", solution.stats
    assert result.plan is not None
    plan = result.plan
    report = check_plan(plan, scenario, catalog=catalog)
    assert report.ok, report.violations
    assert report.figures is not None
    solver_missing = sum(problem.groups[g].size * n for g, n in solution.shortfall.items())
    solver_floor = R13_WEIGHT * solver_missing + sum(
        FLOOR_WEIGHTS[part] * (1 if week else problem.groups[g].size) * value
        for (part, g, week, _), value in solution.dose_shortfall.items()
    )
    solver_ratio = report.figures.benefit_per_minute

    # The enumeration only makes legal plans: its best one passes the checker too.
    rebuilt = plan_with_sessions(plan, scenario, optimum.sessions)
    rebuilt_report = check_plan(rebuilt, scenario, catalog=catalog)
    assert rebuilt_report.ok, rebuilt_report.violations
    assert rebuilt_report.figures is not None
    assert abs(rebuilt_report.figures.benefit_per_minute - optimum.ratio) <= 1e-9 * max(
        1.0, optimum.ratio
    )

    brute = {
        day: [(c.exercise.id, c.sets) for c in s.choices] for day, s in optimum.sessions.items()
    }
    assert (solver_missing, solver_floor) == (optimum.missing, optimum.floor), (
        f"solver misses {solver_missing} hard sessions ({solution.contents}); "
        f"brute force {optimum.missing} ({brute})"
    )
    assert abs(solver_ratio - optimum.ratio) <= 1e-6 * max(optimum.ratio, 1e-9), (
        f"solver {solver_ratio!r} ({solution.contents}) vs brute force {optimum.ratio!r} ({brute})"
    )
    return optimum


BRUTE_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking re-solves: too slow
)


def _one_week(weekly: dict[str, int], athlete: dict[str, Any], **rules: Any) -> Scenario:
    return make_scenario(
        athlete={"name": "Tiny", "level": "novice", "equipment": []} | athlete,
        block={"start": MONDAY.isoformat(), "weeks": 1},
        availability={"weekly": weekly},
        running={"unit": "km", "weeks": [{}]},
        rules=rules,
    )


@BRUTE_SETTINGS
@given(scenario=tiny_scenarios(hard_day=True), catalog=tiny_catalogs(basics=True))
def test_solver_optimum_equals_brute_force_when_a_hard_session_fits(
    scenario: Scenario, catalog: Catalog
) -> None:
    # Instances where a hard session fits (a free day with enough time, no key run next,
    # bodyweight opener, strength and core moves): the R13 floor is then met at least in
    # part, so the floor's plan is never empty.
    compare_with_brute_force(scenario, catalog, hard_session_fits=True)


@BRUTE_SETTINGS
@example(
    # Regression (fixed in 10d8e84): one 12-minute day, a band-only novice and no usable
    # strength move (the back squat needs a barbell), so no session can be hard and the
    # R13 floor's plan is empty. Dinkelbach used to stop after its first step from that
    # empty plan and call an 11-minute session (ratio 1.2955) optimal; ankle rocks x1,
    # banded ankle mobilisation x2 and band Pallof press x3 take 10 minutes for 1.3875.
    scenario=_one_week({"mon": 12}, {"equipment": ["band"]}, min_session_minutes=10),
    catalog=catalog_of(
        "ankle_rocks", "banded_ankle_mobilisation", "back_squat", "band_pallof_press"
    ),
)
@given(scenario=tiny_scenarios(), catalog=tiny_catalogs())
def test_solver_optimum_equals_brute_force(scenario: Scenario, catalog: Catalog) -> None:
    # Any tiny instance, including those where no hard session fits at all.
    compare_with_brute_force(scenario, catalog)


def test_zero_focus_strength_move_still_meets_r13() -> None:
    # Regression (fixed in 10d8e84: exercises were dropped when all their targets had
    # focus 0, even one a hard session needs). The split squat's targets (max strength, hip
    # stability, posterior chain) all have focus 0 for this athlete, so it adds no benefit,
    # but it is the only strength move and a base week's hard sessions need one. Monday and
    # Thursday can each take a hard session, so the floor is 0 missing sessions (brute
    # force), and so must the solver's be. Ankle rocks join the deep squat hold so that a
    # hard session's warm-up can reach R15's 5 minutes (the deep squat hold alone takes 2).
    focus = {"max_strength": 0, "hip_stability": 0, "posterior_chain": 0}
    scenario = _one_week({"mon": 30, "thu": 30}, {"focus": focus})
    optimum = compare_with_brute_force(
        scenario,
        catalog_of(
            "deep_squat_hold",
            "ankle_rocks",
            "split_squat_bw",
            "side_lying_hip_abduction",
            "dead_bug",
        ),
    )
    assert optimum.missing == 0


def test_zero_focus_does_not_make_strict_mode_infeasible() -> None:
    # The same regression through the public API and the full catalog: focus 0 on every
    # target that strength moves train must not leave the R13 targets unmet (strict mode
    # used to say "infeasible"); a bodyweight split squat on Monday and Thursday meets them.
    zero = [
        "max_strength", "posterior_chain", "hip_stability", "posture",
        "core_anti_extension", "core_anti_rotation", "hip_mobility", "ankle_mobility",
    ]  # fmt: skip
    scenario = make_scenario(
        athlete={"name": "Zed", "level": "intermediate", "focus": dict.fromkeys(zero, 0)},
        block={"start": MONDAY.isoformat(), "weeks": 1},
        availability={"weekly": {"mon": 40, "thu": 40}},
        running={"unit": "km", "weeks": [{}]},
        rules={"strict": True},
    )
    plan = plan_scenario(scenario, SolveOptions(time_limit=5, seed=0, workers=2))
    assert plan.weeks[0].hard_sessions >= 2


# --- named instances with recorded optima (tests/data/instances/) --------------------------

INSTANCES = sorted((Path(__file__).resolve().parents[1] / "data" / "instances").glob("*.yaml"))


@pytest.mark.parametrize("path", INSTANCES, ids=lambda path: path.stem)
def test_a_named_instance_has_its_recorded_optimum(path: Path) -> None:
    # Each file holds a tiny scenario, its catalog and the optimum recorded when it was
    # added. The solver must prove the same optimum, and so must the brute force (which also
    # keeps the record honest: it is recomputed, not trusted).
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    recorded = data["optimum"]
    optimum = compare_with_brute_force(
        scenario_from_data(data["scenario"]), catalog_of(*data["catalog"])
    )
    assert optimum.missing == recorded["missing_hard_sessions"]
    assert optimum.ratio == pytest.approx(recorded["benefit_per_minute"], rel=1e-9)


def test_the_named_instances_are_there() -> None:
    assert len(INSTANCES) >= 3
