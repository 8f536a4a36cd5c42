"""Helpers for the rule, property and scenario tests: small catalogs, a solve that takes a
catalog, plan mutations that keep the figures consistent, and plain-Python oracles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from planner.check.checker import CheckReport, check_plan
from planner.domain.catalog import (
    Catalog,
    Exercise,
    contacts_per_set,
    item_minutes,
    prescription_for,
)
from planner.domain.plan import Item, Plan, Session
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.pipeline import SolveOptions, solve_scenario
from planner.solver.problem import Problem
from planner.solver.solution import Solution
from planner.vocabulary import WEEKDAYS

from .conftest import MONDAY, make_scenario, scenario_data

HARD_CATEGORIES = ("power", "strength")

# A small all-round catalog: bodyweight, band and dumbbell moves, two of each category
# (plus a third strength move so that R11 has a bilateral option). Small catalogs keep
# every solve well under a second on two cores.
SMALL_IDS = (
    "deep_squat_hold",
    "hip_90_90_switches",
    "open_book_rotation",
    "pogo_hops",
    "skater_hops",
    "split_squat_db",
    "goblet_squat_db",
    "single_leg_rdl_bw",
    "banded_clamshell",
    "side_lying_hip_abduction",
    "dead_bug",
    "side_plank",
)


def catalog_of(*ids: str) -> Catalog:
    """A catalog holding only the given exercises of the default catalog, in catalog order."""
    full = default_catalog()
    wanted = set(ids)
    unknown = wanted - set(full.by_id())
    assert not unknown, f"not in the catalog: {sorted(unknown)}"
    return Catalog(tags=full.tags, exercises=tuple(e for e in full.exercises if e.id in wanted))


def small_catalog() -> Catalog:
    return catalog_of(*SMALL_IDS)


def day(offset: int) -> dt.date:
    """The date `offset` days after the block's first Monday."""
    return MONDAY + dt.timedelta(days=offset)


def weekday_of(date: dt.date) -> str:
    return WEEKDAYS[date.weekday()]


def one_week(
    weekly: dict[str, int],
    runs: dict[str, object] | None = None,
    *,
    weeks: int = 1,
    athlete: dict[str, Any] | None = None,
    rules: dict[str, Any] | None = None,
    max_per_week: int | None = None,
    equipment_by_day: dict[str, list[str]] | None = None,
    exceptions: list[dict[str, Any]] | None = None,
    races: list[dict[str, Any]] | None = None,
    objective: str | None = None,
) -> Scenario:
    """A block of `weeks` identical weeks (default one) with the given gym minutes per
    weekday and runs. `athlete` entries replace the conftest athlete's (intermediate, with
    dumbbell and band)."""
    availability: dict[str, Any] = {"weekly": weekly}
    if max_per_week is not None:
        availability["max_per_week"] = max_per_week
    if equipment_by_day is not None:
        availability["equipment_by_day"] = equipment_by_day
    if exceptions is not None:
        availability["exceptions"] = exceptions
    data: dict[str, Any] = {
        "block": {"start": MONDAY.isoformat(), "weeks": weeks, "races": races or []},
        "availability": availability,
        "running": {"unit": "km", "weeks": [dict(runs or {})] * weeks},
    }
    if athlete is not None:
        data["athlete"] = scenario_data()["athlete"] | athlete
    if rules is not None:
        data["rules"] = rules
    if objective is not None:
        data["objective"] = objective
    return make_scenario(**data)


def solve_with(
    scenario: Scenario,
    catalog: Catalog | None = None,
    seconds: float = 10.0,
    seed: int = 1,
) -> tuple[Plan, Solution, Problem]:
    """Solve through the pipeline with an optional custom catalog, without explanations;
    returns the plan (None without one), the raw solution and the problem."""
    options = SolveOptions(time_limit=seconds, seed=seed, workers=2, explain=False)
    result = solve_scenario(scenario, options, catalog)
    return result.plan, result.solution, result.problem  # type: ignore[return-value]


def check(plan: Plan, scenario: Scenario, catalog: Catalog | None = None) -> CheckReport:
    return check_plan(plan, scenario, catalog=catalog)


# --- plan inspection -----------------------------------------------------------------------


def is_hard(session: Session | None) -> bool:
    return session is not None and any(i.category in HARD_CATEGORIES for i in session.items)


def hard_dates(plan: Plan) -> list[dt.date]:
    return [d.date for d in plan.days if is_hard(d.session)]


def session_dates(plan: Plan) -> list[dt.date]:
    return [d.date for d in plan.days if d.session is not None]


def day_plan(plan: Plan, date: dt.date) -> Any:
    return next(d for d in plan.days if d.date == date)


# --- building items and keeping figures consistent -----------------------------------------


def make_item(exercise_id: str, sets: int, level: str = "intermediate", first: bool = True) -> Item:
    """A plan item for a catalog exercise, as the plan builder would write it."""
    exercise: Exercise = default_catalog().by_id()[exercise_id]
    model = default_benefit_model()
    prescription = prescription_for(exercise, level, first)
    return Item(
        exercise=exercise.id,
        name=exercise.name,
        category=exercise.category,
        sets=sets,
        reps=prescription.reps,
        load="test",
        rest_s=prescription.rest_s,
        minutes=item_minutes(exercise, prescription, sets, model),
        equipment=sorted(exercise.equipment),
        tags=sorted(exercise.tags),
        contacts=sets * contacts_per_set(exercise, prescription),
        targets={t: sets * amount for t, amount in sorted(exercise.targets.items())},
        cue=exercise.cue,
    )


def resize_item(item: Item, sets: int, level: str = "intermediate", first: bool = True) -> Item:
    """The same item with another number of sets (minutes, contacts and dose follow)."""
    return make_item(item.exercise, sets, level, first).model_copy(update={"load": item.load})


def refresh(plan: Plan, scenario: Scenario, catalog: Catalog | None = None) -> Plan:
    """Recompute every derived figure of a (mutated) plan in place: session minutes, hard and
    after_run flags, week sums and the objective, so that only the rules can fail.

    Session minutes become the sum of the items' minutes, `hard` follows the items, and
    `after_run` is set for a hard session on a quality-run day (as the plan builder does).
    """
    for day_ in plan.days:
        session = day_.session
        if session is None:
            continue
        if not session.items:
            day_.session = None
            continue
        session.minutes = sum(item.minutes for item in session.items)
        session.hard = is_hard(session)
        session.after_run = session.hard and day_.run.kind == "quality"
    return refresh_figures(plan, scenario, catalog)


def refresh_figures(plan: Plan, scenario: Scenario, catalog: Catalog | None = None) -> Plan:
    """Recompute week sums and the objective only (session fields are left alone)."""
    for week in plan.weeks:
        days = [d for d in plan.days if d.week == week.index and d.session is not None]
        week.minutes = sum(d.session.minutes for d in days)
        week.sessions = len(days)
        week.hard_sessions = sum(1 for d in days if d.session.hard)
    report = check_plan(plan, scenario, catalog=catalog)
    assert report.figures is not None, report.violations
    figures = report.figures
    plan.objective.benefit = round(figures.benefit, 4)
    plan.objective.minutes = figures.minutes
    plan.objective.benefit_per_minute = round(figures.benefit_per_minute, 6)
    plan.objective.benefit_per_minute_bound = None
    return plan


def move_session(plan: Plan, source: dt.date, target: dt.date) -> Plan:
    """Move the session of `source` to `target` (which must have none). Returns a copy."""
    mutated = plan.model_copy(deep=True)
    origin, destination = day_plan(mutated, source), day_plan(mutated, target)
    assert origin.session is not None and destination.session is None
    destination.session, origin.session = origin.session, None
    return mutated


# --- oracles: plain re-computations of rules, straight from COACHING_RULES.md ------------
#
# Each oracle answers "does this plan break the rule?" from the plan and the scenario alone,
# written from the rule text without looking at the checker's code, so that a property test
# can compare the two.


def _available_minutes(scenario: Scenario, date: dt.date) -> int:
    exceptions = {item.date: item.minutes for item in scenario.availability.exceptions}
    return exceptions.get(date, scenario.availability.weekly.get(weekday_of(date), 0))


def _sessions(plan: Plan) -> list[tuple[Any, Session]]:
    return [(d, d.session) for d in plan.days if d.session is not None]


def _week_minutes(plan: Plan) -> dict[int, int]:
    totals: dict[int, int] = {}
    for d, session in _sessions(plan):
        totals[d.week] = totals.get(d.week, 0) + session.minutes
    return totals


def oracle_r1(plan: Plan, scenario: Scenario) -> bool:
    """A session on a day with less than min_session_minutes, a session longer than its
    day's minutes, or a week over max_per_week."""
    minimum = scenario.rules.min_session_minutes
    for d, session in _sessions(plan):
        available = _available_minutes(scenario, d.date)
        if available < minimum or session.minutes > available:
            return True
    cap = scenario.availability.max_per_week
    return cap is not None and any(total > cap for total in _week_minutes(plan).values())


def oracle_r2(plan: Plan, scenario: Scenario) -> bool:
    """A session that does not open with hip/ankle mobility, is out of template order,
    repeats an exercise, or claims fewer minutes than its items take."""
    order = ("mobility", "power", "strength", "accessory", "core")
    for _, session in _sessions(plan):
        items = session.items
        if (
            not items
            or items[0].category != "mobility"
            or not {"hip", "ankle"} & set(items[0].tags)
        ):
            return True
        ranks = [order.index(item.category) for item in items]
        if any(later < earlier for earlier, later in pairwise(ranks)):
            return True
        if len({item.exercise for item in items}) < len(items):
            return True
        if session.minutes < sum(item.minutes for item in items):
            return True
    return False


def oracle_r2_opener(plan: Plan) -> bool:
    """Only the opener part of R2: some session does not open with hip/ankle mobility."""
    return any(
        not s.items
        or s.items[0].category != "mobility"
        or not {"hip", "ankle"} & set(s.items[0].tags)
        for _, s in _sessions(plan)
    )


def oracle_r3(plan: Plan, scenario: Scenario) -> bool:
    """Two hard sessions closer than hard_gap_days."""
    dates = sorted(d.date for d, s in _sessions(plan) if is_hard(s))
    gap = scenario.rules.hard_gap_days
    return any((later - earlier).days < gap for earlier, later in pairwise(dates))


def oracle_r4(plan: Plan, scenario: Scenario) -> bool:
    """A hard session on a long-run or race day, within key_run_buffer_days before a key
    run (long, quality, race) or a race, or on a quality day without after_run."""
    runs = {date: run.kind for date, run in scenario.runs_by_date().items()}
    races = {race.date for race in scenario.block.races}
    key = {date for date, kind in runs.items() if kind in ("long", "quality", "race")} | races
    buffer = scenario.rules.key_run_buffer_days
    for d, session in _sessions(plan):
        if not is_hard(session):
            continue
        if runs.get(d.date) in ("long", "race") or d.date in races:
            return True
        if any(d.date + dt.timedelta(days=ahead) in key for ahead in range(1, buffer + 1)):
            return True
        if runs.get(d.date) == "quality" and not session.after_run:
            return True
    return False


def oracle_r5(plan: Plan, scenario: Scenario) -> bool:
    """A session over the level's contact cap, or too many plyometric sessions a week."""
    level = scenario.athlete.level
    cap = scenario.rules.plyo_contacts[level]
    weekly = 1 if level == "novice" else 2
    per_week: dict[int, int] = {}
    for d, session in _sessions(plan):
        plyometric = [item for item in session.items if "plyometric" in item.tags]
        if sum(item.contacts for item in plyometric) > cap:
            return True
        if plyometric:
            per_week[d.week] = per_week.get(d.week, 0) + 1
    return any(count > weekly for count in per_week.values())


def oracle_r7(plan: Plan, scenario: Scenario) -> bool:
    """A session on race day or the day after, or a hard session in the race's hard-free
    days before it."""
    sessions = {d.date: s for d, s in _sessions(plan)}
    for race in scenario.block.races:
        if race.date in sessions or race.date + dt.timedelta(days=1) in sessions:
            return True
        free = scenario.rules.race_hard_free_days[race.distance_class]
        for before in range(1, free + 1):
            if is_hard(sessions.get(race.date - dt.timedelta(days=before))):
                return True
    return False


def oracle_r10(plan: Plan, scenario: Scenario) -> bool:
    """An item whose equipment the athlete lacks that day, or with an avoided tag."""
    own = set(scenario.athlete.equipment) | {"bodyweight"}
    avoid = set(scenario.athlete.avoid)
    for d, session in _sessions(plan):
        extra = set(scenario.availability.equipment_by_day.get(weekday_of(d.date), []))
        for item in session.items:
            if set(item.equipment) - own - extra or set(item.tags) & avoid:
                return True
    return False


def oracle_r11(plan: Plan, scenario: Scenario) -> bool:
    """A week with strength sets where fewer than unilateral_share of them are unilateral."""
    total: dict[int, int] = {}
    unilateral: dict[int, int] = {}
    for d, session in _sessions(plan):
        for item in session.items:
            if item.category == "strength":
                total[d.week] = total.get(d.week, 0) + item.sets
                if "unilateral" in item.tags:
                    unilateral[d.week] = unilateral.get(d.week, 0) + item.sets
    share = scenario.rules.unilateral_share
    return any(unilateral.get(w, 0) < share * sets - 1e-9 for w, sets in total.items() if sets)


def oracle_r9(plan: Plan, scenario: Scenario) -> bool:
    """An exercise above the athlete's level (per the catalog); rotation work before 3
    earlier weeks with anti-movement core work; advanced plyometrics for a novice or before
    3 earlier weeks with basic plyometrics."""
    levels = ("novice", "intermediate", "advanced")
    level = levels.index(scenario.athlete.level)
    catalog = default_catalog().by_id()
    anti_weeks: set[int] = set()
    plyo_weeks: set[int] = set()
    for week in sorted({d.week for d in plan.days}):
        items = [i for d in plan.days if d.week == week and d.session for i in d.session.items]
        for item in items:
            entry = catalog.get(item.exercise)
            if entry is not None and levels.index(entry.level) > level:
                return True
            if "rotation" in item.tags and len(anti_weeks) < 3:
                return True
            if "plyo_advanced" in item.tags and (level == 0 or len(plyo_weeks) < 3):
                return True
        anti = {"anti_extension", "anti_flexion", "anti_lateral_flexion", "anti_rotation"}
        if any(i.category == "core" and anti & set(i.tags) for i in items):
            anti_weeks.add(week)
        if any("plyometric" in i.tags and "plyo_advanced" not in i.tags for i in items):
            plyo_weeks.add(week)
    return False


def oracle_r12(plan: Plan, scenario: Scenario) -> bool:
    """A loading week over ramp x the previous loading week + 15 min (the week after a
    deload or taper, and the first week, exempt). Week roles come from the block calendar."""
    from planner.domain.calendar import build_calendar

    weeks = build_calendar(scenario).weeks
    minutes = _week_minutes(plan)
    for previous, week in pairwise(weeks):
        if week.loading and previous.loading:
            limit = scenario.rules.ramp * minutes.get(previous.index, 0) + 15
            if minutes.get(week.index, 0) > limit + 1e-9:
                return True
    return False


ORACLES = {
    "R1": oracle_r1,
    "R2": oracle_r2,
    "R3": oracle_r3,
    "R4": oracle_r4,
    "R5": oracle_r5,
    "R7": oracle_r7,
    "R9": oracle_r9,
    "R10": oracle_r10,
    "R11": oracle_r11,
    "R12": oracle_r12,
}


def swap_sessions(plan: Plan, first: dt.date, second: dt.date) -> Plan:
    """Exchange the sessions (or the absence of one) of two days. Returns a copy."""
    mutated = plan.model_copy(deep=True)
    a, b = day_plan(mutated, first), day_plan(mutated, second)
    a.session, b.session = b.session, a.session
    return mutated


def insert_item(session: Session, item: Item) -> None:
    """Insert an item at its place in the template order (after its category's items)."""
    from planner.vocabulary import CATEGORIES

    rank = CATEGORIES.index(item.category)
    position = sum(1 for existing in session.items if CATEGORIES.index(existing.category) <= rank)
    session.items.insert(position, item)


def new_session(*items: Item) -> Session:
    return Session(
        minutes=sum(i.minutes for i in items), hard=False, after_run=False, items=list(items)
    )


@dataclass
class Case:
    """A solved scenario: the inputs, the plan and the raw solution."""

    scenario: Scenario
    catalog: Catalog | None
    plan: Plan
    solution: Solution

    def check(self, plan: Plan | None = None) -> CheckReport:
        return check_plan(plan or self.plan, self.scenario, catalog=self.catalog)

    def refreshed(self, plan: Plan) -> Plan:
        return refresh(plan, self.scenario, self.catalog)


def solved(scenario: Scenario, catalog: Catalog | None = None, seconds: float = 10.0) -> Case:
    plan, solution, _ = solve_with(scenario, catalog, seconds)
    assert plan is not None, f"no plan: {solution.status}"
    return Case(scenario, catalog, plan, solution)


def all_items(plan: Plan) -> list[Item]:
    """Every item of every session of the plan, in date order."""
    return [item for d in plan.days if d.session is not None for item in d.session.items]
