"""Reading and editing plans: hard sessions, items made from the catalog, and edits that
keep every derived figure consistent (so that only the rules can fail)."""

from __future__ import annotations

import datetime as dt
import math
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


def _unpair_loners(session: Session) -> None:
    """An edit that removed one item of a pair leaves its partner alone: unpair it and put it
    back in its own block."""
    for item in list(session.items):
        if item.pair and sum(1 for other in session.items if other.pair == item.pair) != 2:
            session.items.remove(item)
            insert_item(session, item.model_copy(update={"pair": None}))


def _set_seconds(item: Item) -> tuple[int, int]:
    """(work, work + rest + transition) of one set, from the item and the benefit model."""
    model = default_benefit_model()
    count = item.reps.removesuffix("/side")
    work = (
        int(count[:-1])
        if count.endswith("s")
        else int(count) * model.seconds_per_rep[item.category]
    )
    work *= 2 if item.reps.endswith("/side") else 1
    return work, work + item.rest_s + model.transition_s


def r17_minutes(session: Session) -> int:
    """A session's minutes by R17, written here apart from the planner as a test oracle:
    an item alone its sets' work, rest and transitions; a pair of s sets s x max(set A,
    set B, work A + work B + 2 transitions); each rounded up. A label not shared by exactly
    two items pairs nothing."""
    transition = default_benefit_model().transition_s
    groups: dict[str | None, list[Item]] = {}
    for item in session.items:
        groups.setdefault(item.pair, []).append(item)
    minutes = 0
    for label, items in groups.items():
        if label is None or len(items) != 2:
            minutes += sum(math.ceil(i.sets * _set_seconds(i)[1] / 60) for i in items)
            continue
        (work_a, set_a), (work_b, set_b) = (_set_seconds(i) for i in items)
        minutes += math.ceil(
            items[0].sets * max(set_a, set_b, work_a + work_b + 2 * transition) / 60
        )
    return minutes


def resize_item(item: Item, sets: int, level: str = "intermediate", first: bool = True) -> Item:
    """The same item with another number of sets (minutes, contacts and dose follow)."""
    return make_item(item.exercise, sets, level, first).model_copy(update={"load": item.load})


def refresh(plan: Plan, scenario: Scenario, catalog: Catalog | None = None) -> Plan:
    """Recompute every derived figure of a (mutated) plan in place: session minutes, hard and
    after_run flags, week sums and the objective, so that only the rules can fail.

    Session minutes become R17's (`r17_minutes`), `hard` follows the items, and
    `after_run` is set for a hard session on a quality-run day (as the plan builder does).
    """
    for day_ in plan.days:
        session = day_.session
        if session is None:
            continue
        if not session.items:
            day_.session = None
            continue
        _unpair_loners(session)
        session.minutes = r17_minutes(session)
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
    """Insert an item at its place in the template order: after the items of its block and
    of the blocks before it (a pair stands in its first item's block, R17)."""
    from planner.vocabulary import CATEGORIES

    rank = CATEGORIES.index(item.category)
    leads: dict[str, Item] = {}
    for existing in session.items:
        if existing.pair:
            leads.setdefault(existing.pair, existing)
    blocks = [CATEGORIES.index((leads[e.pair] if e.pair else e).category) for e in session.items]
    position = max((i + 1 for i, block in enumerate(blocks) if block <= rank), default=0)
    session.items.insert(position, item)


def new_session(*items: Item) -> Session:
    return Session(
        minutes=sum(i.minutes for i in items), hard=False, after_run=False, items=list(items)
    )


def all_items(plan: Plan) -> list[Item]:
    """Every item of every session of the plan, in date order."""
    return [item for d in plan.days if d.session is not None for item in d.session.items]
