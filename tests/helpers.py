"""Helpers for the rule, property and scenario tests: small catalogs, a solve that takes a
catalog, plan mutations that keep the figures consistent, and plain-Python oracles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.catalog import (
    Catalog,
    Exercise,
    contacts_per_set,
    default_benefit_model,
    default_catalog,
    item_minutes,
    prescription_for,
)
from planner.checker import CheckReport, check_plan
from planner.plan import Item, Plan, Session
from planner.plan_builder import build_plan
from planner.problem import Problem, build_problem
from planner.scenario import Scenario
from planner.solution import Solution
from planner.solver import SolveOptions, solve
from planner.vocabulary import OPENER_TAGS, WEEKDAYS

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
    """Solve with an optional custom catalog; returns the plan, the raw solution and the
    problem. The plan is built even when the solve is infeasible (then it is empty)."""
    problem = build_problem(scenario, catalog=catalog)
    options = SolveOptions(time_limit=seconds, seed=seed, workers=2)
    solution = solve(problem, options)
    settings = {"seed": seed, "workers": 2, "time_limit_s": seconds}
    plan = build_plan(problem, solution, settings) if solution.contents else None
    return plan, solution, problem  # type: ignore[return-value]


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


# --- oracles: plain re-computations of a few rules, independent of the checker ------------


def oracle_r1(plan: Plan, scenario: Scenario) -> bool:
    """True when some session exceeds its day's availability or sits on a too-short day,
    or a week exceeds max_per_week."""
    minimum = scenario.rules.min_session_minutes
    for d in plan.days:
        if d.session is not None and (
            d.session.minutes > d.available_minutes or d.available_minutes < minimum
        ):
            return True
    cap = scenario.availability.max_per_week
    if cap is not None:
        weeks: dict[int, int] = {}
        for d in plan.days:
            if d.session is not None:
                weeks[d.week] = weeks.get(d.week, 0) + d.session.minutes
        if any(total > cap for total in weeks.values()):
            return True
    return False


def oracle_r2_opener(plan: Plan) -> bool:
    """True when some session does not open with a hip or ankle mobility item."""
    for d in plan.days:
        if d.session is not None:
            first = d.session.items[0] if d.session.items else None
            if first is None or first.category != "mobility" or not set(first.tags) & OPENER_TAGS:
                return True
    return False


def oracle_r3(plan: Plan, scenario: Scenario) -> bool:
    """True when two hard sessions are closer than hard_gap_days."""
    dates = hard_dates(plan)
    gap = scenario.rules.hard_gap_days
    return any((b - a).days < gap for a in dates for b in dates if a < b)


def oracle_r10(plan: Plan, scenario: Scenario) -> bool:
    """True when an item needs equipment the athlete lacks that day, or has an avoided tag."""
    own = set(scenario.athlete.equipment) | {"bodyweight"}
    avoid = set(scenario.athlete.avoid)
    for d in plan.days:
        if d.session is None:
            continue
        extra = set(scenario.availability.equipment_by_day.get(weekday_of(d.date), []))
        for item in d.session.items:
            if set(item.equipment) - own - extra or set(item.tags) & avoid:
                return True
    return False


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
