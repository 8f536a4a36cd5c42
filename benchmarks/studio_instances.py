"""Synthetic studios for the studio benchmark (`benchmarks/studio.py`): a running studio of
any size, the same for the same seed on every machine.

    make_studio(60, seed=0)            # a studio file's data, 60 athletes, an 8-week block
    make_chain(4, 50, seed=0)          # a chain: 4 studios of 50 athletes, each its own
    studio_file(make_studio(60, 0))    # read as `planner studio` reads a studio file

Every athlete is written inline, as a squad-file entry (FORMATS.md, "Studio file"), over the
studio's block, with the same mix as the bundled example (scenarios/studio/studio.yaml):

- level novice, intermediate or advanced; kit at home none, a band, dumbbells or a full
  home gym; a focus of one or two training targets;
- no race (a base block), or a 5k, 10k, half or marathon in the block's last weeks (their
  block ends on race day) or one to three weeks after it (their block runs on past the
  studio's, with the studio's classes not held there);
- their running plan from the project's running-plan generator
  (`planner.domain.running_plan`, as `planner quick` writes it): a usual week placed
  around their gym days, so that those days can hold the hard sessions R13 asks for, the
  weekly distance of their level and race, cut-back weeks and a taper;
- one to four class slots (at most one a weekday), the popular ones more often, or every
  class (the default); a membership of 1 to 3 classes a week; some also train at home.

The timetable is one room's weekly classes, the first `class_count(n)` slots of `SLOTS`:
5 for a small studio, about one per 10 athletes up to 20. Each class's capacity comes from
an estimate of the seats its athletes ask for, made before any solve: in a loading week,
each athlete asks for a class on each of their usual hard-session days that is a class day
of theirs (`hard_session_days`, the running-plan generator's own choice), their membership
shared evenly over them when it holds fewer, and the plans ask for about `ASKED_SHARE` of
that over the block. A popular slot holds `1 - POPULAR_EXCESS` of it, so that some 20-30 %
of the seats asked for there exceed its capacity (the asks swing from week to week, which
adds to the 20 %); the other slots hold it and room to spare, where the fair seat
assignment can offer a seat instead. The estimate is rough (a plan places its sessions by
benefit, and short solves place fewer), so the benchmark measures what the athletes' plans
alone really ask for, slot by slot: in two generated studios of 20 and 40 athletes solved
with 2-3 s per athlete, 41 % and 27 % of the seats asked for at the popular slots.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planner.domain.running_plan import (
    BlockDates,
    RaceAnswer,
    WeeklyDistance,
    hard_session_days,
    running_weeks,
    usual_running_week,
)
from planner.io.studio_file import StudioFile, studio_from_data
from planner.io.yaml_source import SourceMap
from planner.vocabulary import KM_PER_MILE, WEEKDAYS

START = dt.date(2027, 1, 4)  # a Monday
WEEKS = 8
KIT = ["dumbbell", "kettlebell", "band", "box", "medicine_ball", "bench", "mat"]


@dataclass(frozen=True)
class Slot:
    """A weekly class slot of the timetable."""

    id: str
    day: str
    start: str
    minutes: int
    popular: bool = False


# The timetable in the order a growing studio adds classes: the first five are the bundled
# example's slots (its Saturday class lasts 45 minutes), two of them popular (Monday early,
# Saturday morning); a bigger studio adds more, Saturday later and Monday noon popular too.
SLOTS = (
    Slot("mon-0630", "mon", "06:30", 45, popular=True),
    Slot("tue-1830", "tue", "18:30", 60),
    Slot("wed-1830", "wed", "18:30", 60),
    Slot("thu-0630", "thu", "06:30", 45),
    Slot("sat-0800", "sat", "08:00", 60, popular=True),
    Slot("mon-1830", "mon", "18:30", 60),
    Slot("wed-0630", "wed", "06:30", 45),
    Slot("fri-0630", "fri", "06:30", 45),
    Slot("sat-0930", "sat", "09:30", 45, popular=True),
    Slot("thu-1830", "thu", "18:30", 60),
    Slot("tue-0630", "tue", "06:30", 45),
    Slot("sun-0900", "sun", "09:00", 60),
    Slot("mon-1215", "mon", "12:15", 45, popular=True),
    Slot("wed-1215", "wed", "12:15", 45),
    Slot("fri-1830", "fri", "18:30", 60),
    Slot("tue-1215", "tue", "12:15", 45),
    Slot("thu-1215", "thu", "12:15", 45),
    Slot("sat-1100", "sat", "11:00", 45),
    Slot("sun-1030", "sun", "10:30", 45),
    Slot("fri-1215", "fri", "12:15", 45),
)
ATHLETES_PER_CLASS = 10  # a bigger studio runs about one weekly class per this many members
POPULAR_WEIGHT = 3  # a popular slot is listed this many times as often as another
POPULAR_EXCESS = 0.2  # share of a popular slot's expected asks beyond its capacity
# The seats the plans ask for, as a share of the loading-week estimate: deload, taper and
# race weeks ask for fewer, blocks that end on an early race stop asking, and a plan may
# train at home or use fewer class days than it could. Measured on two generated studios
# planned alone with short solves (2-3 s per athlete): about 0.5 and 0.75; longer solves
# meet more of R13's floor, so ask for more.
ASKED_SHARE = 0.75
SPARE = 0.2  # room to spare in the other slots, as a share of their estimate
MIN_CAPACITY = 4

NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Eva", "Finn", "Gita", "Hugo", "Iris", "Jonas",
    "Kaia", "Leo", "Maya", "Nils", "Olu", "Pia", "Quinn", "Rosa", "Sven", "Tara",
    "Uma", "Vik", "Wren", "Xia", "Yara", "Zane", "Amir", "Bea", "Cal", "Dina",
    "Emil", "Fay", "Gus", "Hana", "Ivo", "June", "Kenji", "Lina", "Milo", "Nora",
)  # fmt: skip
LEVELS = ("novice", "intermediate", "advanced")
LEVEL_WEIGHTS = (35, 40, 25)
# Kit at home: none, a band, dumbbells, a full home gym.
HOME_KITS = {
    "none": [],
    "band": ["band"],
    "dumbbells": ["band", "dumbbell"],
    "full": ["band", "dumbbell", "kettlebell", "bench", "box", "barbell", "rack"],
}
HOME_KIT_WEIGHTS = (25, 30, 30, 15)
FOCUS_TARGETS = (
    "hip_stability", "ankle_mobility", "calf_achilles", "posterior_chain", "max_strength",
    "power", "core_anti_rotation", "hip_mobility", "posture",
)  # fmt: skip
# Races, how often each level runs each (weights), and a usual week's km by level and race.
RACES = ("5k", "10k", "half", "marathon")
RACE_WEIGHTS = {"novice": (35, 35, 30, 0), "intermediate": (15, 30, 35, 20),
                "advanced": (10, 20, 35, 35)}  # fmt: skip
WEEKLY_KM = {"novice": (18, 30), "intermediate": (32, 50), "advanced": (50, 75)}
RACE_KM = {"5k": 0.9, "10k": 1.0, "half": 1.1, "marathon": 1.3}  # times the level's distance
NO_RACE = 0.25  # base training, no race
RACE_AFTER = 0.3  # of those with a race: one to three weeks after the studio's block
MEMBERSHIP_WEIGHTS = (30, 50, 20)  # 1, 2, 3 classes a week
SLOT_COUNT_WEIGHTS = (20, 40, 25, 15)  # 1, 2, 3, 4 slots listed
EVERY_CLASS = 0.1  # lists no slots: every class (the default)
HOME = 0.4  # also trains at home
MILES = 0.2  # writes the running plan in miles


def class_count(athletes: int) -> int:
    """The weekly classes of a studio of `athletes`: 5, then one per ATHLETES_PER_CLASS."""
    return max(5, min(len(SLOTS), round(athletes / ATHLETES_PER_CLASS)))


def make_studio(
    n_athletes: int, seed: int, weeks: int = WEEKS, start: dt.date = START, name: str = ""
) -> dict[str, Any]:
    """A studio file's data: `n_athletes` athletes, a `weeks`-week block from `start` (a
    Monday), the timetable and capacities described in the module's docstring, and one
    cancelled class (the first slot in the block's middle week). The same for the same
    arguments."""
    if n_athletes < 1 or weeks < 1:
        raise ValueError("a studio needs at least one athlete and one week")
    rng = random.Random(f"studio:{seed}")
    slots = SLOTS[: class_count(n_athletes)]
    entries = [_athlete(rng, index, slots, weeks, start) for index in range(n_athletes)]
    asks = estimated_asks(entries, slots)
    classes = [
        {"id": slot.id, "day": slot.day, "start": slot.start, "minutes": slot.minutes,
         "capacity": capacity(slot, asks[slot.id])}
        for slot in slots
    ]  # fmt: skip
    first = slots[0]
    middle = start + dt.timedelta(days=7 * (weeks // 2) + WEEKDAYS.index(first.day))
    return {
        "format": 1,
        "name": name or f"Generated studio, {n_athletes} athletes (seed {seed})",
        "block": {"start": start, "weeks": weeks},
        "kit": list(KIT),
        "classes": classes,
        "cancelled": [{"date": middle, "class": first.id}],
        "athletes": [entry for entry, _ in entries],
    }


def make_chain(
    studios: int, n_athletes: int, seed: int, weeks: int = WEEKS
) -> list[dict[str, Any]]:
    """A chain of `studios` studios of `n_athletes` each, every one with its own members
    (seed `seed`, then `seed + 1`, ...), the same block and a name of its own."""
    return [
        make_studio(n_athletes, seed + index, weeks, name=f"Chain studio {index + 1} of "
                    f"{studios}, {n_athletes} athletes (seed {seed + index})")
        for index in range(studios)
    ]  # fmt: skip


def capacity(slot: Slot, asked: float) -> int:
    """A class's places for `asked` estimated seats a loading week (see the module's
    docstring)."""
    expected = ASKED_SHARE * asked
    if slot.popular:
        places = round(expected * (1 - POPULAR_EXCESS))
    else:
        places = math.ceil(expected * (1 + SPARE))
    return max(MIN_CAPACITY, places)


def estimated_asks(
    entries: list[tuple[dict[str, Any], dict[str, float]]], slots: tuple[Slot, ...]
) -> dict[str, float]:
    """The seats a loading week asks for at each slot, over the athletes."""
    asks = {slot.id: 0.0 for slot in slots}
    for _, asked in entries:
        for class_id, seats in asked.items():
            asks[class_id] += seats
    return asks


def _athlete(
    rng: random.Random, index: int, slots: tuple[Slot, ...], weeks: int, start: dt.date
) -> tuple[dict[str, Any], dict[str, float]]:
    """One athlete's inline entry, and the seats a loading week of theirs asks for at each
    class (a share of a seat where their membership holds fewer classes than they could
    use)."""
    level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    kit = rng.choices(list(HOME_KITS), HOME_KIT_WEIGHTS)[0]
    home = rng.random() < HOME
    listed = _slots(rng, slots)
    per_week = rng.choices((1, 2, 3), MEMBERSHIP_WEIGHTS)[0]
    class_days = {slot.day: slot for slot in reversed(listed or slots)}  # the first a day
    gym = {day: slot.minutes for day, slot in class_days.items()}
    if home:
        free = [day for day in WEEKDAYS if day not in gym]
        for day in sorted(rng.sample(free, min(len(free), rng.choice((1, 2))))):
            gym[day] = rng.choice((30, 40, 45))
    gym = {day: gym[day] for day in WEEKDAYS if day in gym}
    kinds = usual_running_week(gym)
    long_day = next(day for day, kind in kinds.items() if kind == "long")
    quality_day = next(day for day, kind in kinds.items() if kind == "quality")
    # A loading week's seats: the usual hard-session days that are class days, up to the
    # membership (shared evenly when the membership holds fewer).
    hard_classes = [class_days[day].id for day in hard_session_days(gym, long_day, quality_day)
                    if day in class_days]  # fmt: skip
    share = min(per_week, len(hard_classes)) / len(hard_classes) if hard_classes else 0.0
    asked = {class_id: share for class_id in hard_classes}

    race, block_weeks = _race(rng, level, weeks, start)
    low, high = WEEKLY_KM[level]
    km = rng.uniform(low, high) * (RACE_KM[str(race.distance)] if race else 1.0)
    unit = "mi" if rng.random() < MILES else "km"
    amount = round(km / KM_PER_MILE if unit == "mi" else km)
    dates = BlockDates(start, block_weeks, race.date if race else None)
    run_weeks, _ = running_weeks(dates, kinds, WeeklyDistance(amount, unit), race)

    name = NAMES[index % len(NAMES)] + ("" if index < len(NAMES) else f" {index + 1}")
    targets = rng.sample(FOCUS_TARGETS, rng.choice((1, 2)))
    entry: dict[str, Any] = {
        "name": name,
        "level": level,
        "equipment": list(HOME_KITS[kit]),
        "focus": {target: rng.choice((3, 4, 5)) for target in targets},
    }
    if race is not None:
        entry["block"] = {
            "weeks": block_weeks,
            "races": [{"date": race.date, "distance": race.distance}],
        }
    if home:
        entry["availability"] = {"weekly": gym}
    entry["running"] = {"unit": unit, "weeks": run_weeks}
    if listed:
        entry["classes"] = [slot.id for slot in listed]
    entry["classes_per_week"] = per_week
    if home:
        entry["home"] = True
    return entry, asked


def _slots(rng: random.Random, slots: tuple[Slot, ...]) -> list[Slot]:
    """The slots an athlete lists, in the timetable's order: at most one a weekday, the
    popular ones more often; none (every class) for some."""
    if rng.random() < EVERY_CLASS:
        return []
    wanted = rng.choices((1, 2, 3, 4), SLOT_COUNT_WEIGHTS)[0]
    chosen: list[Slot] = []
    pool = list(slots)
    while pool and len(chosen) < wanted:
        weights = [POPULAR_WEIGHT if slot.popular else 1 for slot in pool]
        slot = rng.choices(pool, weights)[0]
        chosen.append(slot)
        pool = [other for other in pool if other.day != slot.day]
    return sorted(chosen, key=slots.index)


def _race(
    rng: random.Random, level: str, weeks: int, start: dt.date
) -> tuple[RaceAnswer | None, int]:
    """The athlete's race (a Sunday) and their block's weeks from the studio's start: no
    race, a race in the block's last weeks, or one to three weeks after the block."""
    if rng.random() < NO_RACE:
        return None, weeks
    distance = rng.choices(RACES, RACE_WEIGHTS[level])[0]
    if rng.random() < RACE_AFTER:
        race_week = weeks + rng.randint(1, 3)
    else:
        race_week = rng.randint(max(1, weeks - 3), weeks)
    if distance == "marathon":
        race_week = max(race_week, min(weeks, 6))  # two taper weeks after some loading
    sunday = start + dt.timedelta(days=7 * race_week - 1)
    return RaceAnswer(sunday, distance), race_week


def studio_yaml(data: dict[str, Any]) -> str:
    """The studio as a studio file: one line per class and per running week."""
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )


def studio_file(data: dict[str, Any]) -> StudioFile:
    """The studio read as `planner studio` reads its file (every athlete inline)."""
    return studio_from_data(data, SourceMap(None), Path.cwd())


def mix(data: dict[str, Any]) -> dict[str, Counter[str]]:
    """What a studio's athletes are made of, for a look at the mix (and its test)."""
    athletes = data["athletes"]
    kits = {tuple(kit): name for name, kit in HOME_KITS.items()}
    block_weeks = data["block"]["weeks"]

    def race(entry: dict[str, Any]) -> str:
        races = entry.get("block", {}).get("races", [])
        if not races:
            return "none"
        after = entry["block"]["weeks"] > block_weeks
        return f"{races[0]['distance']} {'after' if after else 'in'} the block"

    return {
        "level": Counter(entry["level"] for entry in athletes),
        "kit": Counter(kits[tuple(entry["equipment"])] for entry in athletes),
        "race": Counter(race(entry) for entry in athletes),
        "classes_per_week": Counter(str(entry["classes_per_week"]) for entry in athletes),
        "home": Counter(str(entry.get("home", False)).lower() for entry in athletes),
        "slots": Counter(str(len(entry.get("classes", []))) for entry in athletes),
    }
