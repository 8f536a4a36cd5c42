"""Reading and editing plans: hard sessions, items made from the catalog, and edits that
keep every derived figure consistent (so that only the rules can fail)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.check.checker import check_plan
from planner.domain.catalog import (
    Catalog,
    Exercise,
    contacts_per_set,
    item_minutes,
    prescription_for,
    set_contributions,
)
from planner.domain.plan import Item, Plan, Session
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog

from .building import HARD_CATEGORIES

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
        targets={
            t: sets * amount
            for t, amount in sorted(set_contributions(exercise, level, first, model).items())
        },
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


def all_items(plan: Plan) -> list[Item]:
    """Every item of every session of the plan, in date order."""
    return [item for d in plan.days if d.session is not None for item in d.session.items]
