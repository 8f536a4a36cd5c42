"""Plain re-computations of rules straight from COACHING_RULES.md, written without looking
at the checker, so that a property test can compare the two."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from planner.domain.plan import Plan, Session
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_catalog

from .building import weekday_of
from .plans import is_hard, r17_minutes

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
    """A session that does not open with hip/ankle mobility, is out of template order (a
    pair stands in its first item's block, R17), repeats an exercise, or claims fewer
    minutes than its items take (pairs by R17's formula)."""
    order = ("mobility", "power", "strength", "accessory", "core")
    for _, session in _sessions(plan):
        items = session.items
        if (
            not items
            or items[0].category != "mobility"
            or not {"hip", "ankle"} & set(items[0].tags)
        ):
            return True
        first_of: dict[str, Any] = {}
        for item in items:
            if item.pair:
                first_of.setdefault(item.pair, item)
        ranks = [order.index((first_of[i.pair] if i.pair else i).category) for i in items]
        if any(later < earlier for earlier, later in pairwise(ranks)):
            return True
        if len({item.exercise for item in items}) < len(items):
            return True
        if session.minutes < r17_minutes(session):
            return True
    return False


def oracle_r17(plan: Plan, scenario: Scenario) -> bool:
    """A pair label not on exactly two items, a pair with unequal sets or holding the
    opener, two items that compete (not one lower- and one upper-body strength or accessory
    item, nor such an item with core or mobility), or power outside the one contrast pair
    (a heavy lift, then plyometrics; not for a novice, only in build and peak)."""

    def region(item: Any) -> str:
        return (
            "lower" if "lower_body" in item.tags else "upper" if "upper_body" in item.tags else ""
        )

    for day, session in _sessions(plan):
        labels: dict[str, list[Any]] = {}
        for item in session.items:
            if item.pair:
                labels.setdefault(item.pair, []).append(item)
        contrasts = 0
        for members in labels.values():
            if len(members) != 2 or members[0].sets != members[1].sets:
                return True
            if session.items[0] in members:
                return True
            a, b = members
            kinds = {a.category, b.category}
            if "power" in kinds:
                loaded = bool(set(a.equipment) & {"dumbbell", "kettlebell", "barbell",
                                                  "trap_bar", "cable"})  # fmt: skip
                reps = a.reps.split("/")[0]
                heavy = (a.category == "strength" and "lower_body" in a.tags and loaded
                         and reps.isdigit() and 3 <= int(reps) <= 6)  # fmt: skip
                allowed = scenario.athlete.level != "novice" and day.phase in ("build", "peak")
                if not (heavy and "plyometric" in b.tags and allowed):
                    return True
                contrasts += 1
            elif kinds <= {"strength", "accessory"}:
                if {region(a), region(b)} != {"lower", "upper"}:
                    return True
            elif not (kinds & {"strength", "accessory"} and kinds & {"core", "mobility"}):
                return True
        if contrasts > 1:
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
    """A loading week over ramp x the mean of the last 3 loading weeks (none emptied by
    life) + 15 min, and over that mean + one full session (the week after a deload, taper
    or empty week, and the first week, exempt). Week roles come from the block calendar."""
    from planner.domain.calendar import build_calendar

    weeks = build_calendar(scenario).weeks
    minutes = _week_minutes(plan)
    rules = scenario.rules
    for previous, week in pairwise(weeks):
        if not (week.loading and previous.loading) or week.empty or previous.empty:
            continue
        earlier = [w.index for w in weeks[: week.index - 1] if w.loading and not w.empty][-3:]
        mean = sum(minutes.get(w, 0) for w in earlier) / len(earlier)
        limit = max(rules.ramp * mean + 15, mean + rules.full_session_minutes)
        if minutes.get(week.index, 0) > limit + 1e-9:
            return True
    return False


def _roles(scenario: Scenario) -> dict[int, Any]:
    from planner.domain.calendar import build_calendar

    return {week.index: week for week in build_calendar(scenario).weeks}


TEMPLATE = ("mobility", "power", "strength", "accessory", "core")


def oracle_r15(plan: Plan, scenario: Scenario) -> bool:
    """A loading week's hard session without all five blocks or without a hip and an ankle
    mobility item; a deload or taper hard session without mobility, strength and core; a
    light session without mobility and core; a hard session with a warm-up (its mobility
    block) under 5 min. (Where the athlete has a non-plyometric power exercise, which the
    mutation bases assert, power is never excused.)"""
    weeks = _roles(scenario)
    for d, session in _sessions(plan):
        blocks = {item.category for item in session.items}
        warm_up = sum(item.minutes for item in session.items if item.category == "mobility")
        if is_hard(session) and warm_up < 5:
            return True
        if not is_hard(session):
            wanted = {"mobility", "core"}
        elif weeks[d.week].loading:
            wanted = set(TEMPLATE)
            joints = {t for i in session.items if i.category == "mobility" for t in i.tags}
            if not {"hip", "ankle"} <= joints:
                return True
        else:
            wanted = {"mobility", "strength", "core"}
        if not wanted <= blocks:
            return True
    return False


def _session_allowed(scenario: Scenario, date: dt.date) -> bool:
    """R1 and R7: enough minutes, not a race day or the day after."""
    if _available_minutes(scenario, date) < scenario.rules.min_session_minutes:
        return False
    return all(date not in (r.date, r.date + dt.timedelta(days=1)) for r in scenario.block.races)


def _hard_allowed(scenario: Scenario, date: dt.date) -> bool:
    """R4 and R7: not a long-run or race day, not in the buffer before a key run, not in a
    race's hard-free days."""
    runs = {day: run.kind for day, run in scenario.runs_by_date().items()}
    races = {race.date for race in scenario.block.races}
    key = {day for day, kind in runs.items() if kind in ("long", "quality", "race")} | races
    if runs.get(date) in ("long", "race") or date in races:
        return False
    buffer = scenario.rules.key_run_buffer_days
    if any(date + dt.timedelta(days=ahead) in key for ahead in range(1, buffer + 1)):
        return False
    for race in scenario.block.races:
        free = scenario.rules.race_hard_free_days[race.distance_class]
        if 1 <= (race.date - date).days <= free:
            return False
    return True


def oracle_r16(plan: Plan, scenario: Scenario) -> bool:
    """The minimum effective dose missed: (a) a base or build loading week under
    strength_sets strength sets, or one of its hard sessions with fewer than 2 strength
    exercises; (b) a peak week without a session of 2 strength exercises and 4 sets; (c) a
    taper week without a session though a day allows one; (d) a focus target weighted 4-5
    under a dose of 3 in a base or build loading week; (e) a loading week's hard session
    shorter than full_session_minutes (or its whole day); (f) a base or build loading week
    under min(60, half the minutes of its days that may hold a hard session). Strength sets
    count lower-body ones; a hard session of a base or build week lacking a knee- or a
    hip-dominant exercise, or a focus accessory missing, count too. Weeks with a race's
    recovery days (R20) are asked no weekly target."""
    from planner.io.catalog_file import default_catalog

    catalog = default_catalog().by_id()
    rules, level = scenario.rules, scenario.athlete.level
    by_week: dict[int, list[Any]] = {}
    for d, session in _sessions(plan):
        by_week.setdefault(d.week, []).append((d, session))
    for index, week in _roles(scenario).items():
        held = by_week.get(index, [])

        def strength(session: Session) -> list[Any]:
            return [item for item in session.items if item.category == "strength"]

        dates = [week.start + dt.timedelta(days=offset) for offset in range(7)]
        preparing = week.loading and week.phase in ("base", "build")
        weekly = preparing and not week.recovering
        if preparing:
            if any(len({i.exercise for i in strength(s)}) < 2 for _, s in held if is_hard(s)):
                return True
            for _, s in held:
                patterns = {catalog[i.exercise].pattern for i in strength(s)}
                if is_hard(s) and not {"knee", "hip"} <= patterns:
                    return True
        if weekly:
            lower = sum(i.sets for _, s in held for i in strength(s) if "lower_body" in i.tags)
            if lower < rules.strength_sets[level]:
                return True
            for target, weight in scenario.athlete.focus.items():
                dose = sum(i.targets.get(target, 0.0) for _, s in held for i in s.items)
                if weight >= 4 and dose < 3 - 1e-6:
                    return True
                largest = [
                    max(i.targets, key=lambda t, i=i: i.targets[t])
                    for _, s in held for i in s.items if i.category == "accessory"
                ]  # fmt: skip
                if weight >= 4 and target in FOCUS_ACCESSORY and target not in largest:
                    return True
        if weekly:
            offer = sum(
                _available_minutes(scenario, date)
                for date in dates
                if _session_allowed(scenario, date) and _hard_allowed(scenario, date)
            )
            if sum(s.minutes for _, s in held) < min(60, offer // 2):
                return True
        if (
            week.loading
            and week.phase == "peak"
            and not any(
                len({i.exercise for i in strength(s)}) >= 2
                and sum(i.sets for i in strength(s)) >= 4
                for _, s in held
            )
        ):
            return True
        allowed = any(_session_allowed(scenario, date) for date in dates)
        if week.phase == "taper" and not held and allowed:
            return True
        if week.loading:
            for d, session in held:
                need = min(rules.full_session_minutes, _available_minutes(scenario, d.date))
                if is_hard(session) and session.minutes < need:
                    return True
    return False


LOADS = {"dumbbell", "kettlebell", "barbell", "trap_bar", "cable"}
FOCUS_ACCESSORY = (
    "hip_stability", "calf_achilles", "posture", "posterior_chain", "knee_resilience",
)  # fmt: skip


def oracle_r19(plan: Plan, scenario: Scenario) -> bool:
    """Heavy strength missed, for an intermediate or advanced athlete who owns loaded kit
    (the mutation bases' athletes): a loading week's hard session without a loaded
    lower-body strength item at 3-6 reps, or a base or build week with fewer than 2 such
    lifts or 6 sets of them."""
    if scenario.athlete.level == "novice" or not set(scenario.athlete.equipment) & LOADS:
        return False

    def heavy(item: Any) -> bool:
        reps = item.reps.removesuffix("/side")
        return (
            item.category == "strength"
            and "lower_body" in item.tags
            and bool(set(item.equipment) & LOADS)
            and reps.isdigit()
            and 3 <= int(reps) <= 6
        )

    for index, week in _roles(scenario).items():
        held = [s for d, s in _sessions(plan) if d.week == index]
        if not week.loading:
            continue
        if any(is_hard(s) and not any(heavy(i) for i in s.items) for s in held):
            return True
        lifts = [i for s in held for i in s.items if heavy(i)]
        base_or_build = week.phase in ("base", "build") and not week.recovering
        few = len({i.exercise for i in lifts}) < 2 or sum(i.sets for i in lifts) < 6
        if base_or_build and few:
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
    "R15": oracle_r15,
    "R16": oracle_r16,
    "R17": oracle_r17,
    "R19": oracle_r19,
}
