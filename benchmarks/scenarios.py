"""The benchmark inputs: the suite, block-length variants and catalog subsets.

Both variants are deterministic, so a scaling run means the same thing on every machine.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from pathlib import Path

from planner.batch.frontier import with_weekly_cap
from planner.domain.catalog import Catalog, Exercise
from planner.domain.scenario import Scenario
from planner.io.scenario_file import load_scenario
from planner.vocabulary import CATEGORIES, OPENER_TAGS

SUITE_DIR = Path(__file__).resolve().parent / "suite"
TAPER_WEEKS = 3  # the end of a block kept as is when it is extended: taper and race week
LOADING_CYCLE = 4  # weeks of the 3:1 loading pattern repeated when a block is extended


def suite_paths() -> list[Path]:
    return sorted(SUITE_DIR.glob("*.yaml"))


def load_suite(names: list[str] | None = None) -> dict[str, Scenario]:
    """Suite scenarios by file stem; `names` keeps those whose stem starts with one of them."""
    chosen = {}
    for path in suite_paths():
        if names is None or any(path.stem.startswith(name) for name in names):
            chosen[path.stem] = load_scenario(path)
    return chosen


# --- block length --------------------------------------------------------------------------


def with_weeks(scenario: Scenario, weeks: int) -> Scenario:
    """The scenario over `weeks` weeks, ending on the same day (the A race stays put).

    A shorter block keeps the last `weeks` weeks of the running plan. A longer one keeps the
    whole plan and puts in front of it repeats of its opening loading cycles (whole 4-week
    cycles of the weeks before the taper), so the extra weeks look like the block's own
    base training. Races, exceptions and running days outside the new block are dropped.
    """
    running_weeks = scenario.running.weeks
    if running_weeks is None:
        raise ValueError(f"{scenario.name}: only a scenario with `running.weeks` can be resized")
    length = len(running_weeks)
    if weeks <= length:
        new_weeks = list(running_weeks[length - weeks :])
    else:
        cycle = max(LOADING_CYCLE, (length - TAPER_WEEKS) // LOADING_CYCLE * LOADING_CYCLE)
        cycle = min(cycle, length)
        prefix = [running_weeks[index % cycle] for index in range(weeks - length)]
        new_weeks = prefix + list(running_weeks)
    start = scenario.block.start + dt.timedelta(days=7 * (length - weeks))
    last_day = start + dt.timedelta(days=7 * weeks - 1)

    def inside(date: dt.date) -> bool:
        return start <= date <= last_day

    data = scenario.model_dump(mode="python", by_alias=True, exclude_none=True)
    data["name"] = f"{scenario.name} ({weeks} weeks)"
    data["block"] = {
        "start": start,
        "weeks": weeks,
        "races": [race for race in data["block"].get("races", []) if inside(race["date"])],
    }
    availability = data["availability"]
    exceptions = availability.get("exceptions", [])
    availability["exceptions"] = [item for item in exceptions if inside(item["date"])]
    data["running"]["weeks"] = [
        {day: entry.model_dump() for day, entry in week.items()} for week in new_weeks
    ]
    return Scenario.model_validate(data)


# --- catalog size --------------------------------------------------------------------------


def _stable_order(exercise: Exercise) -> tuple[int, str]:
    """A fixed pseudo-random order that does not depend on the catalog file's order."""
    return zlib.crc32(exercise.id.encode()), exercise.id


def _in_category(category: str) -> Callable[[Exercise], bool]:
    return lambda exercise: exercise.category == category


def _uses(equipment: str) -> Callable[[Exercise], bool]:
    return lambda exercise: equipment in exercise.equipment


def subset_catalog(catalog: Catalog, size: int, scenario: Scenario) -> Catalog:
    """A deterministic `size`-exercise subset that the athlete can still train with.

    First, for every need below, the first exercise in a fixed pseudo-random order (CRC-32
    of the id) that meets it, unless an exercise already chosen does: a hip and an ankle
    opener (R2), every category, a unilateral strength move (R11), and every equipment word
    the athlete has (own or on some day) that some exercise uses. Needs count only exercises
    the athlete can do (level, equipment, avoided tags). Then the remaining places go to the
    category furthest below its share of the full catalog, taking its exercises in the same
    order. The result keeps the catalog's order and tags.
    """
    exercises = list(catalog.exercises)
    if size >= len(exercises):
        return catalog
    athlete = scenario.athlete
    reachable = set(athlete.equipment) | {"bodyweight"}
    for extra in scenario.availability.equipment_by_day.values():
        reachable |= set(extra)
    avoid = set(athlete.avoid)

    def doable(exercise: Exercise) -> bool:
        return (
            exercise.allowed_for(athlete.level)
            and exercise.equipment <= reachable
            and not exercise.tags & avoid
        )

    ordered = sorted(exercises, key=_stable_order)
    needs: list[Callable[[Exercise], bool]] = [
        lambda e: e.category == "mobility" and bool({"hip"} & e.tags & OPENER_TAGS),
        lambda e: e.category == "mobility" and bool({"ankle"} & e.tags & OPENER_TAGS),
        lambda e: e.category == "strength" and "unilateral" in e.tags,
    ]
    needs += [_in_category(category) for category in CATEGORIES]
    needs += [_uses(word) for word in sorted(reachable - {"bodyweight"})]
    chosen: list[Exercise] = []
    for need in needs:
        if any(need(e) for e in chosen):
            continue
        match = next((e for e in ordered if doable(e) and need(e)), None)
        if match is not None and len(chosen) < size:
            chosen.append(match)
    totals = {category: sum(e.category == category for e in exercises) for category in CATEGORIES}
    while len(chosen) < size:
        left = [c for c in CATEGORIES if any(e.category == c and e not in chosen for e in ordered)]
        share = {c: sum(e.category == c for e in chosen) / totals[c] for c in left}
        category = min(left, key=lambda c: (share[c], CATEGORIES.index(c)))
        chosen.append(next(e for e in ordered if e.category == category and e not in chosen))
    kept = {e.id for e in chosen}
    return Catalog(tags=catalog.tags, exercises=tuple(e for e in exercises if e.id in kept))


# --- matched budget ------------------------------------------------------------------------


def with_budget(scenario: Scenario, minutes_per_week: int) -> Scenario:
    """The scenario with `objective: total` under a weekly cap of `minutes_per_week` (a point
    of `planner frontier`): the optimizer then buys the most benefit a baseline's weekly time
    can buy, so the two are compared at equal time, not by their ratios alone."""
    capped = with_weekly_cap(scenario, minutes_per_week)
    return capped.model_copy(update={"name": f"{scenario.name} ({minutes_per_week} min a week)"})
