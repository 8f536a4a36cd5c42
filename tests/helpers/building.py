"""Small scenarios and catalogs for the tests: a block of identical weeks, dates by offset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.domain.catalog import (
    Catalog,
)
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_catalog
from planner.vocabulary import WEEKDAYS

from ..conftest import MONDAY, make_scenario, scenario_data

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
    coach: dict[str, Any] | None = None,
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
    if coach is not None:
        data["coach"] = coach
    return make_scenario(**data)
