"""Loads from the training log: what the athlete lifted, and the next session's load.

Pure functions, no solver. From each logged set (load x reps at an RPE) an estimated 1RM
comes from one table, the reps-in-reserve chart of the load notes (`percent_1rm`, Helms et
al. 2016), or from Epley (1RM = load x (1 + reps / 30)) where no RPE is logged. The next
session's load follows one stated rule, against the target RPE of the planned item
(`planner.domain.catalog.target_rpe`, which its load note states too: RPE 8 for heavy 3-6
reps, RPE 7 for more reps, 7.5 for an accessory's 2-3 reps in reserve, RPE 7 for a
bodyweight set, RPE 6 in a deload or taper week):

- the last logged RPE at or under the target - 1: up one step;
- within one of the target: repeat, or add a step where the mesocycle progresses (a loading
  week after the first of its mesocycle, later than the week logged);
- over the target by 1 (but under 2): hold; by 2 or more: one step down.

The set the rule reads is the heaviest of the last day logged; for a loading week, the last
day logged in a loading week: a deload or taper week's set, light on purpose at RPE 6, says
nothing about a loading week's RPE 8. When the target of the session logged differs from
the planned one (into a deload, or a deload's set with no loading week logged before), the
load comes from the estimated 1RM, as for other reps. A bodyweight item's days logged in a
deload or taper week hold its step.

A step is what the athlete can load (`Kit`): 2.5 kg on a bar (a 1.25 kg plate a side),
dumbbells 2, 4, ... 10 kg then 12.5, 15, ..., kettlebells in 4 kg steps, a cable stack in
5 kg; a load logged off those steps shows the athlete's own rack and steps on its grid (12
kg dumbbells: 14 kg next). When the planned reps differ from the reps logged, the load
comes from the estimated 1RM instead, rounded down to the kit. A bodyweight strength item
climbs a ladder instead of kilograms: a 3 s lowering, a 4 s lowering, a 2 s pause at the
bottom, then its catalog's harder variant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from planner.domain.catalog import (
    BODYWEIGHT_RPE,
    Catalog,
    Exercise,
    in_chart,
    percent_1rm,
)
from planner.domain.catalog import target_rpe as item_rpe
from planner.domain.plan import Item, Plan, WeekPlan, set_target_load
from planner.vocabulary import LOAD_EQUIPMENT

START_RPE = 7.0  # the first session: a weight you could lift 3 more times
COMING_DAYS = 7  # the sessions that get a target load: the coming week
_LOAD = re.compile(r"^(?:(?P<count>\d+)\s*[x×*]\s*)?(?P<kg>\d+(?:\.\d+)?)\s*(?:kg)?$", re.I)
_REPS = re.compile(r"^(?P<count>\d+)(?P<seconds>s)?(?P<side>/side)?$")


# --- what was lifted -------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """A load as lifted: `kg` in each implement, `count` implements (2: a dumbbell in each
    hand, as the log writes `2x12`)."""

    kg: float
    count: int = 1

    @property
    def total_kg(self) -> float:
        return self.kg * self.count

    def text(self) -> str:
        """`2 x 14 kg`, `40 kg`."""
        each = f"{self.kg:g} kg"
        return f"{self.count} x {each}" if self.count > 1 else each

    def cell(self) -> str:
        """As the training log writes it: `2x14`, `40`."""
        return f"{self.count}x{self.kg:g}" if self.count > 1 else f"{self.kg:g}"


def parse_load(text: str) -> Load:
    """`40`, `42.5`, `2x12` (a dumbbell in each hand), `2 x 12 kg`; ValueError otherwise."""
    match = _LOAD.match(text.strip())
    if match is None:
        raise ValueError(
            f'"{text}" is not a load in kg: write 40 for a bar, 2x12 for a dumbbell in each hand'
        )
    count = int(match["count"] or 1)
    kg = float(match["kg"])
    if count not in (1, 2):
        raise ValueError(f'"{text}": {count} implements; write the load of one, or 2x for two')
    if not 0 < kg <= 500:
        raise ValueError(f'"{text}": expected more than 0 and at most 500 kg')
    return Load(kg, count)


def parse_reps(text: str) -> tuple[int, bool]:
    """(count, timed) of `6`, `6/side`, `30s`, `30s/side`; ValueError otherwise."""
    match = _REPS.match(text.strip())
    if match is None or int(match["count"]) == 0:
        raise ValueError(f'"{text}" is not reps: write 6, 6/side, 30s or 30s/side')
    return int(match["count"]), bool(match["seconds"])


@dataclass(frozen=True)
class Lift:
    """One exercise row of the training log: what was done, and how hard."""

    date: dt.date
    exercise: str
    sets: int
    reps: str
    load: Load | None = None
    rpe: float | None = None
    line: int = 0

    def text(self) -> str:
        """`3 x 6/side at 2 x 12 kg, RPE 7.5`."""
        done = f"{self.sets} x {self.reps}"
        if self.load is not None:
            done += f" at {self.load.text()}"
        return done + (f", RPE {self.rpe:g}" if self.rpe is not None else ", no RPE logged")


# --- one table: %1RM, and the estimated 1RM ----------------------------------------------------


def epley_1rm(load_kg: float, reps: float) -> float:
    """Epley's estimate from a set taken to failure: load x (1 + reps / 30)."""
    return load_kg * (1 + reps / 30)


def estimated_1rm(load_kg: float, reps: int, rpe: float | None = None) -> float:
    """The 1RM a set implies: from the chart (load / %1RM) where it holds the reps and RPE;
    by Epley where no RPE is given; outside the chart (RPE under 6.5, more than 10 reps), by
    Epley on the reps done plus the reps in reserve (10 - RPE)."""
    if rpe is None:
        return epley_1rm(load_kg, reps)
    if in_chart(reps, rpe):
        return load_kg * 100 / percent_1rm(reps, rpe)
    return epley_1rm(load_kg, reps + (10 - rpe))


def share_of_1rm(reps: int, rpe: float) -> float:
    """The share of 1RM (0-1) that makes `reps` reps a set of this RPE: the chart's, else
    Epley's on the reps plus the reps in reserve (the inverse of `estimated_1rm`)."""
    if in_chart(reps, rpe):
        return percent_1rm(reps, rpe) / 100
    return 1 / (1 + (reps + 10 - rpe) / 30)


# --- what the athlete can load ---------------------------------------------------------------


def _rungs(first: float, *steps: tuple[float, float]) -> tuple[float, ...]:
    """Loads from `first`, each (up to, step) adding `step` until `up to`."""
    rungs = [first]
    for top, step in steps:
        while rungs[-1] + step <= top + 1e-9:
            rungs.append(round(rungs[-1] + step, 2))
    return tuple(rungs)


@dataclass(frozen=True)
class Kit:
    """The loads an implement comes in, in kg (one implement)."""

    name: str
    rungs: tuple[float, ...]

    def through(self, kg: float) -> Kit:
        """The kit as the athlete's own load shows it: these rungs when they hold `kg`;
        else a grid through `kg`, in 2 kg steps for an even whole number (a rack of 12, 14,
        16 kg dumbbells), 1 kg for an odd one (a home set of 13 kg), otherwise in the step
        these rungs take there."""
        if any(abs(rung - kg) < 1e-9 for rung in self.rungs):
            return self
        if kg == int(kg):
            step = 2.0 if int(kg) % 2 == 0 else 1.0
        else:
            above = next((r for r in self.rungs if r > kg), self.rungs[-1])
            step = above - max([r for r in self.rungs if r < above] or [0.0])
        lightest = kg - step * int((kg - 1e-9) // step)
        top = max(self.rungs[-1], 2 * kg)
        return Kit(self.name, _rungs(lightest, (top, step)))

    def up(self, kg: float) -> float:
        """The next load above `kg`."""
        return next((r for r in self.rungs if r > kg + 1e-9), kg + self.rungs[-1] - self.rungs[-2])

    def down(self, kg: float) -> float:
        """The next load below `kg` (never below the lightest)."""
        below = [r for r in self.rungs if r < kg - 1e-9]
        return below[-1] if below else min(kg, self.rungs[0])

    def at_most(self, kg: float) -> float:
        """The heaviest load not above `kg` (the lightest when none is)."""
        below = [r for r in self.rungs if r <= kg + 1e-9]
        return below[-1] if below else self.rungs[0]


BAR = Kit("bar", _rungs(2.5, (400, 2.5)))  # a 1.25 kg plate a side
DUMBBELL = Kit("dumbbell", _rungs(2, (10, 2), (100, 2.5)))
KETTLEBELL = Kit("kettlebell", _rungs(4, (48, 4)))
CABLE = Kit("cable", _rungs(5, (200, 5)))
KITS = {"barbell": BAR, "trap_bar": BAR, "kettlebell": KETTLEBELL, "dumbbell": DUMBBELL,
        "cable": CABLE}  # fmt: skip


def kit_of(equipment: Iterable[str]) -> Kit | None:
    """The kit that holds an item's load: a bar before a kettlebell, a dumbbell, a cable."""
    held = set(equipment)
    return next((kit for name, kit in KITS.items() if name in held), None)


# --- the rule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    steps: int  # -1, 0 or +1
    words: str


def decide(rpe: float, target: float, progresses: bool) -> Decision:
    """The rule, from the last logged RPE against the target RPE (module docstring)."""
    if rpe <= target - 1:
        return Decision(1, "up one step")
    if rpe < target + 1:
        if progresses:
            return Decision(1, "within one of the target, and the mesocycle progresses: add a step")
        return Decision(0, "within one of the target: repeat")
    if rpe < target + 2:
        return Decision(0, "over the target by 1: hold")
    return Decision(-1, "over the target by 2 or more: one step down")


@dataclass(frozen=True)
class TargetLoad:
    """A planned item's load for its next session: `kg` in each implement (one dumbbell of a
    pair, the bar with its plates) and `count` implements (1 for a bar or a single dumbbell
    or kettlebell, 2 for a dumbbell in each hand), both None for a bodyweight item or with no
    log yet; the text an athlete reads (`2 x 14 kg`), and why."""

    kg: float | None
    count: int | None
    text: str
    why: str

    def as_dict(self) -> dict[str, object]:
        return {"kg": self.kg, "count": self.count, "text": self.text, "why": self.why}


def first_session(reps: str, target: float) -> TargetLoad:
    """No load logged yet: how to find one (at RPE 7, or the target when easier)."""
    rpe = min(START_RPE, target)
    reserve = round(10 - rpe)
    return TargetLoad(
        None,
        None,
        f"find a weight for {reps} you could lift {reserve} more times",
        f"no load logged yet for this exercise: start at RPE {rpe:g} (target RPE {target:g}); "
        "log it, and the next load follows",
    )


def _target(load: Load, total_kg: float, kit: Kit) -> Load:
    """`total_kg` in as many implements as `load`, each rounded down to the kit."""
    return Load(kit.at_most(total_kg / load.count), load.count)


def _suggested(load: Load, why: str) -> TargetLoad:
    return TargetLoad(round(load.kg, 2), load.count, load.text(), why)


def next_load(
    reps: str,
    target: float,
    progresses: bool,
    last: Lift | None,
    kit: Kit,
    logged_target: float | None = None,
) -> TargetLoad:
    """The next session's load of a loaded item of `reps` reps at `target` RPE, from its last
    logged set, logged in a session whose target RPE was `logged_target` (None: `target`).

    - the same reps, the same target and an RPE logged: the rule (`decide`);
    - no RPE logged: repeat the load (log the RPE to progress);
    - a timed set (a hold) on either side, of other seconds or another target: repeat the
      load, since a hold gives no 1RM;
    - other reps, or another target (a light deload or taper set, RPE 6 on purpose, against
      a loading week's RPE 8): the estimated 1RM times the chart's share for the planned
      reps and target, rounded down to the kit.
    """
    if last is None or last.load is None:
        return first_session(reps, target)
    load, done = last.load, f"last time {last.text()}"
    kit = kit.through(load.kg)
    count, timed = parse_reps(reps)
    last_count, last_timed = parse_reps(last.reps)
    same_reps = (count, timed) == (last_count, last_timed)
    logged_target = target if logged_target is None else logged_target
    same_target = logged_target == target
    if same_reps and same_target and last.rpe is not None:
        decision = decide(last.rpe, target, progresses)
        moves: dict[int, Callable[[float], float]] = {1: kit.up, 0: lambda kg: kg, -1: kit.down}
        chosen = Load(moves[decision.steps](load.kg), load.count)
        return _suggested(chosen, f"{done}: {decision.words} (target RPE {target:g})")
    if last.rpe is None and same_reps:
        return _suggested(load, f"{done}: repeat (log the RPE to progress)")
    if timed or last_timed:
        return _suggested(load, f"{done}: {_hold_change(reps, last.reps, logged_target, target)}")
    one_rm = estimated_1rm(load.total_kg, last_count, last.rpe)
    share = share_of_1rm(count, target)
    if last.rpe is None:
        source = "Epley"
    elif in_chart(last_count, last.rpe):
        source = "the RPE chart"
    else:
        source = "Epley on the reps done and in reserve"
    chosen = _target(load, one_rm * share, kit)
    changed = [] if same_reps else [f"{count} reps now, {last_count} then"]
    if not same_target:
        changed.append(f"a session at target RPE {logged_target:g} then, {target:g} now")
    why = (
        f"{done} ({'; '.join(changed)}): estimated 1RM {one_rm:.0f} kg ({source}); "
        f"{count} reps at RPE {target:g} is about {100 * share:.0f} % of it, rounded down to "
        f"the {kit.name}"
    )
    return _suggested(chosen, why)


def _hold_change(reps: str, logged: str, logged_target: float, target: float) -> str:
    """Why a load moved with a hold stays: what differs from the set logged."""
    if reps != logged:
        return f"{logged} then, {reps} now; a hold gives no 1RM to scale: repeat the load"
    return (
        f"a session at target RPE {logged_target:g} then, {target:g} now; a hold gives no 1RM "
        "to scale: repeat the load"
    )


TEMPO_STEPS = (
    "3 s lowering",
    "4 s lowering",
    "4 s lowering and a 2 s pause at the bottom",
)


def next_bodyweight(
    item: Item,
    lifts: Sequence[Lift],
    following: Callable[[Lift, dt.date | None], tuple[float, bool, bool]],
    harder: Exercise | None,
) -> TargetLoad:
    """A bodyweight strength item's next step on its ladder: the tempo steps, then the
    catalog's harder variant. The step replays the rule over the exercise's logged days
    (the hardest row of each), from the first step: `following(lift, next day logged or
    None for the planned item)` gives the target RPE of the lift's own session, whether the
    session after it progresses in its mesocycle, and whether the lift was logged in a
    loading week. A day of a deload or taper week (RPE 6, light on purpose) holds the step:
    its RPE says nothing about the loading weeks' target."""
    top = len(TEMPO_STEPS) if harder is not None else len(TEMPO_STEPS) - 1
    days = _hardest_by_day([lift for lift in lifts if lift.rpe is not None])
    step, why = 0, ""
    for index, lift in enumerate(days):
        assert lift.rpe is not None
        after = days[index + 1].date if index + 1 < len(days) else None
        target, moving, loading = following(lift, after)
        if not loading:
            why = f"last time {lift.text()}, in a deload or taper week: the step holds"
            continue
        decision = decide(lift.rpe, target, moving)
        step = min(max(step + decision.steps, 0), top)
        why = f"last time {lift.text()}: {decision.words} (target RPE {target:g})"
    if step < len(TEMPO_STEPS):
        text = f"bodyweight, {TEMPO_STEPS[step]}"
    else:
        assert harder is not None
        text = f"bodyweight, {TEMPO_STEPS[-1]}; ready for {harder.name}"
    if not why:
        why = "no RPE logged yet for this exercise: start with a 3 s lowering at RPE 7"
        return TargetLoad(None, None, text, why)
    if step == len(TEMPO_STEPS):
        assert harder is not None
        why += f"; to swap: planner why --swap {item.exercise}:{harder.id}"
    return TargetLoad(None, None, text, why)


def _hardest_by_day(lifts: Sequence[Lift]) -> list[Lift]:
    """One row per logged day (the highest RPE), in date order."""
    by_day: dict[dt.date, Lift] = {}
    for lift in lifts:
        kept = by_day.get(lift.date)
        if kept is None or (lift.rpe or 0.0) > (kept.rpe or 0.0):
            by_day[lift.date] = lift
    return [by_day[date] for date in sorted(by_day)]


# --- the plan's items ---------------------------------------------------------------------


def target_rpe(item: Item, week: WeekPlan | None, loaded: bool) -> float | None:
    """The RPE the item aims at in `week` (`planner.domain.catalog.target_rpe`, which its load
    note says too), or None for an item without a load to follow (mobility, power, core, a
    bodyweight accessory)."""
    if item.category == "accessory" and not loaded:
        return None
    easy = week is not None and not _loading(week)
    return item_rpe(item.category, item.reps, loaded, easy)


def _loading(week: WeekPlan) -> bool:
    return not week.deload and week.phase != "taper"


def progresses(weeks: dict[int, WeekPlan], week: int, logged_week: int | None) -> bool:
    """Does `week` add load to the week logged? Only a loading week after the first of its
    mesocycle, later than the week the set was logged in."""
    this, before = weeks.get(week), weeks.get(week - 1)
    if this is None or before is None or (logged_week is not None and logged_week >= week):
        return False
    same = this.mesocycle == before.mesocycle if this.mesocycle and before.mesocycle else True
    return _loading(this) and _loading(before) and this.phase == before.phase and same


def with_target_loads(
    plan: Plan,
    lifts: Sequence[Lift],
    catalog: Catalog,
    start: dt.date,
    level: str | None = None,
    days: int = COMING_DAYS,
) -> Plan:
    """A copy of the plan whose items of the coming `days` days from `start` carry their
    next session's load (`target_load`, from the log's `lifts` before each session's day),
    and whose later items carry none (they wait for the log). Items before `start` keep
    what they said: that is history."""
    plan = Plan.model_validate(plan.model_dump())  # every item its own, even where shared
    by_id = catalog.by_id()
    weeks = {week.index: week for week in plan.weeks}
    week_of = {day.date: day.week for day in plan.days}
    end = start + dt.timedelta(days=days)
    ordered = sorted(lifts, key=lambda lift: (lift.date, lift.line))
    for day in plan.days:
        if day.session is None or day.date < start:
            continue
        for item in day.session.items:
            suggestion = None
            if day.date < end:
                before = [lift for lift in ordered if lift.date < day.date]
                suggestion = _suggestion(item, day.week, before, by_id, weeks, week_of, level)
            set_target_load(item, None if suggestion is None else suggestion.as_dict())
    return plan


def _suggestion(
    item: Item,
    week: int,
    lifts: Sequence[Lift],
    by_id: dict[str, Exercise],
    weeks: dict[int, WeekPlan],
    week_of: dict[dt.date, int],
    level: str | None,
) -> TargetLoad | None:
    exercise = by_id.get(item.exercise)
    loaded = exercise.loaded if exercise else bool(set(item.equipment) & LOAD_EQUIPMENT)
    target = target_rpe(item, weeks.get(week), loaded)
    if target is None:
        return None
    own = [lift for lift in lifts if lift.exercise == item.exercise]
    if not loaded:
        harder = by_id.get(exercise.harder) if exercise and exercise.harder else None
        if harder is not None and level is not None and not harder.allowed_for(level):
            harder = None

        def following(lift: Lift, after: dt.date | None) -> tuple[float, bool, bool]:
            later = week if after is None else week_of.get(after, week)
            own = weeks.get(week_of.get(lift.date, 0))
            rpe = target_rpe(item, own, loaded) or BODYWEIGHT_RPE
            loading = own is None or _loading(own)
            return rpe, progresses(weeks, later, week_of.get(lift.date)), loading

        return next_bodyweight(item, own, following, harder)
    kit = kit_of(item.equipment)
    if kit is None:
        return None

    def logged_week(lift: Lift) -> WeekPlan | None:
        return weeks.get(week_of.get(lift.date, 0))

    with_load = [lift for lift in own if lift.load is not None]
    this_week = weeks.get(week)
    if this_week is None or _loading(this_week):
        # A light set of a deload or taper week says nothing about a loading week's load:
        # the last set of a loading week does (a set outside the plan counts as one).
        loading = [lift for lift in with_load if (w := logged_week(lift)) is None or _loading(w)]
        with_load = loading or with_load
    last = _top_set(with_load)
    if last is None:
        return next_load(item.reps, target, False, None, kit)
    moving = progresses(weeks, week, week_of.get(last.date))
    logged = logged_week(last)
    logged_target = (
        target
        if logged is None
        else item_rpe(item.category, last.reps, loaded, not _loading(logged))
    )
    return next_load(item.reps, target, moving, last, kit, logged_target)


def _top_set(lifts: Sequence[Lift]) -> Lift | None:
    """The heaviest row of the last day logged (a day may log a top set and back-offs)."""
    if not lifts:
        return None
    last_day = [lift for lift in lifts if lift.date == lifts[-1].date]
    return max(last_day, key=lambda lift: lift.load.total_kg if lift.load else 0.0)
