"""The block calendar: every day's phase, run, time and restrictions, and every week's role.

Derived once from a Scenario. Phases follow COACHING_RULES.md: with an A race, the taper is
the last 2 weeks before a marathon (1 before shorter races), and the weeks before it split
about 50/30/20 % into base, build and peak. Deload weeks are picked by R8: a week that life
empties (no day with time outside a race's windows: a holiday, travel, a race week) is a
deload too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.domain.scenario import REST, Race, RunEntry, Scenario
from planner.rules import (
    MAX_ALIGNED_LOADING_WEEKS,
    MIN_HARD_SESSIONS,
    MIN_HARD_SESSIONS_DELOAD,
    R4,
    R7,
    R20,
    RAMP_WEEKS,
)
from planner.vocabulary import WEEKDAYS


@dataclass(frozen=True)
class Day:
    date: dt.date
    index: int  # day number within the block, from 0
    week: int  # week number, from 1
    weekday: str
    phase: str
    run: RunEntry
    available_minutes: int
    equipment: frozenset[str]
    key_run_next: bool  # a key run falls within key_run_buffer_days after this day (R4)
    hard_free_race: bool  # inside a race's hard-free window (R7)
    no_session_race: bool  # race day or the day after (R7)
    race_recovery: bool = False  # inside an A or B race's recovery days (R20)

    def hard_blockers(self) -> list[tuple[str, str]]:
        """Why no hard session may fall on this day: (rule id, reason) pairs (R4, R7, R20)."""
        blockers = []
        if self.no_session_race:
            blockers.append((R7.id, "race day or the day after (R7)"))
        elif self.hard_free_race:
            blockers.append((R7.id, "inside a race's hard-free days (R7)"))
        if self.race_recovery and not self.no_session_race:
            blockers.append((R20.id, "recovering from a race (R20)"))
        if self.run.kind in ("long", "race"):
            blockers.append((R4.id, f"a {self.run.kind}-run day (R4)"))
        elif self.key_run_next:
            blockers.append((R4.id, "the day before a key run (R4)"))
        return blockers

    @property
    def hard_allowed(self) -> bool:
        """May a hard session fall on this day (R4, R7, R20)?"""
        return not self.hard_blockers()

    @property
    def session_allowed(self) -> bool:
        return not self.no_session_race

    def takes_session(self, min_session_minutes: int) -> bool:
        """Can this day hold a session at all (R1, R7)?"""
        return self.session_allowed and self.available_minutes >= min_session_minutes


@dataclass(frozen=True)
class Week:
    index: int  # from 1
    start: dt.date
    phase: str
    run_distance: float
    cutback: bool  # running volume <= 90 % of the week before
    deload: bool
    days: tuple[Day, ...] = field(repr=False)
    empty: bool = False  # no day has time outside a race's windows: life emptied it (R8)

    @property
    def loading(self) -> bool:
        return not self.deload and self.phase != "taper"

    @property
    def recovering(self) -> bool:
        """Does the week hold days of a race's recovery (R20)? R13, R16 and R19 ask
        nothing of those days."""
        return any(day.race_recovery for day in self.days)

    def hard_target(self, gap_days: int, min_session_minutes: int) -> int:
        """R13's hard sessions for the week: base and build 2, peak 1, a deload 1, a taper
        none; none in a week that life emptied, and no more than the days outside R20's
        recovery can hold in a week with a race's recovery days."""
        if self.phase == "taper" or self.empty:
            return 0
        target = MIN_HARD_SESSIONS_DELOAD if self.deload else MIN_HARD_SESSIONS[self.phase]
        if self.recovering:
            target = min(target, self.hard_room(gap_days, min_session_minutes))
        return target

    def hard_room(self, gap_days: int, min_session_minutes: int) -> int:
        """The most hard sessions the week's days could hold, `gap_days` apart, leaving out
        R20's recovery days (R13 asks nothing of them) but not the days R4 or R7 block (a
        target those rules stand in the way of is reported as missed)."""
        room, last = 0, None
        for day in self.days:
            if not day.takes_session(min_session_minutes) or day.race_recovery:
                continue
            if last is None or (day.date - last).days >= gap_days:
                room, last = room + 1, day.date
        return room


@dataclass(frozen=True)
class Calendar:
    weeks: tuple[Week, ...]
    a_races: tuple[Race, ...]

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week.days]

    def mesocycles(self) -> list[list[int]]:
        """Runs of consecutive loading weeks of the same phase (week numbers): the weeks
        whose main exercises repeat (R14)."""
        runs: list[list[int]] = []
        previous: Week | None = None
        for week in self.weeks:
            if not week.loading:
                previous = None
                continue
            if previous is None or previous.phase != week.phase:
                runs.append([])
            runs[-1].append(week.index)
            previous = week
        return runs

    def ramp_reference_weeks(self, week_index: int) -> list[int]:
        """R12's reference for a week: the last `RAMP_WEEKS` (3) loading weeks before it
        that life did not empty, or none when the week is exempt (not a loading week, the
        first week, or the week after a deload, taper or empty week)."""
        week = self.weeks[week_index - 1]
        if week_index == 1 or not week.loading or week.empty:
            return []
        previous = self.weeks[week_index - 2]
        if not previous.loading or previous.empty:
            return []
        earlier = [w.index for w in self.weeks[: week_index - 1] if w.loading and not w.empty]
        return earlier[-RAMP_WEEKS:]

    def taper_reference_weeks(self, week_index: int) -> list[Week]:
        """The 3 weeks before the taper that contains `week_index` (R6)."""
        first = week_index
        while first > 1 and self.weeks[first - 2].phase == "taper":
            first -= 1
        return [week for week in self.weeks if first - 3 <= week.index < first]


def _taper_weeks(race: Race) -> int:
    return 2 if race.distance_class == "marathon" else 1


def phases(scenario: Scenario) -> list[str]:
    """The phase of every block week, from the A races (all base without one)."""
    n_weeks = scenario.block.n_weeks
    result = ["base"] * n_weeks
    a_races = sorted((r for r in scenario.block.races if r.priority == "A"), key=lambda r: r.date)
    cycle_start = 0  # first week index (0-based) of the current cycle
    for race in a_races:
        race_week = (race.date - scenario.block.start).days // 7
        taper = min(_taper_weeks(race), race_week - cycle_start + 1)
        taper_start = race_week - taper + 1
        before = taper_start - cycle_start
        base = int(before * 0.5 + 0.5)
        build = int(before * 0.3 + 0.5)
        build = min(build, before - base)
        for offset in range(before):
            week = cycle_start + offset
            result[week] = "base" if offset < base else "build" if offset < base + build else "peak"
        for week in range(taper_start, race_week + 1):
            result[week] = "taper"
        cycle_start = race_week + 1
    return result


def pick_deloads(
    phase_of_week: list[str],
    cutback: list[bool],
    max_loading: int,
    empty: list[bool] | None = None,
) -> list[bool]:
    """R8: in base and build, at most `max_loading` loading weeks in a row, then a deload.

    A running cut-back week takes the deload when at least `max_loading - 1` loading weeks
    came before it, so gym and running recover together. After `max_loading` loading weeks
    the deload waits for a cut-back week that comes before the mesocycle would pass
    `MAX_ALIGNED_LOADING_WEEKS` (the revision: deloads fall on the running plan's cut-back
    weeks wherever a mesocycle of 2-5 loading weeks allows it); with none in reach it is
    forced. A week that life empties is a deload and resets the count.
    """
    n_weeks = len(phase_of_week)
    empty = empty or [False] * n_weeks
    longest = max(MAX_ALIGNED_LOADING_WEEKS, max_loading)

    def cutback_within(week: int, streak: int) -> bool:
        for ahead in range(week, min(n_weeks, week + longest - streak + 1)):
            if phase_of_week[ahead] not in ("base", "build") or empty[ahead]:
                return False
            if cutback[ahead]:
                return True
        return False

    deload = [False] * n_weeks
    streak = 0
    for week, phase in enumerate(phase_of_week):
        if phase not in ("base", "build"):
            streak = 0 if phase == "taper" else streak
            continue
        aligned = cutback[week] and streak >= max(1, max_loading - 1)
        forced = streak >= max_loading and not cutback_within(week + 1, streak + 1)
        if empty[week] or aligned or forced or streak >= longest:
            deload[week] = True
            streak = 0
        else:
            streak += 1
    return deload


def build_calendar(scenario: Scenario) -> Calendar:
    block, rules = scenario.block, scenario.rules
    start, n_weeks = block.start, block.n_weeks
    runs = scenario.runs_by_date()
    exceptions = {item.date: item.minutes for item in scenario.availability.exceptions}
    base_equipment = frozenset(scenario.athlete.equipment) | {"bodyweight"}
    races = sorted(block.races, key=lambda r: r.date)
    week_phases = phases(scenario)

    hard_free: set[dt.date] = set()
    no_session: set[dt.date] = set()
    recovery: set[dt.date] = set()
    for race in races:
        free_days = rules.race_hard_free_days[race.distance_class]
        for offset in range(1, free_days + 1):
            hard_free.add(race.date - dt.timedelta(days=offset))
        no_session.update({race.date, race.date + dt.timedelta(days=1)})
        recovery_days = rules.race_recovery_days[race.distance_class]
        recovery.update(race.date + dt.timedelta(days=d) for d in range(1, recovery_days + 1))

    key_dates = {date for date, run in runs.items() if run.is_key} | {r.date for r in races}
    volumes = []
    for week in range(n_weeks):
        week_start = start + dt.timedelta(days=7 * week)
        volumes.append(
            sum(runs.get(week_start + dt.timedelta(days=d), REST).distance for d in range(7))
        )
    cutback = [
        week > 0 and volumes[week - 1] > 0 and volumes[week] <= 0.9 * volumes[week - 1]
        for week in range(n_weeks)
    ]

    all_days: list[list[Day]] = []
    for week in range(n_weeks):
        week_start = start + dt.timedelta(days=7 * week)
        days = []
        for offset in range(7):
            date = week_start + dt.timedelta(days=offset)
            if date > block.last_day:
                break
            weekday = WEEKDAYS[date.weekday()]
            minutes = exceptions.get(date, scenario.availability.weekly.get(weekday, 0))
            extra = scenario.availability.equipment_by_day.get(weekday, [])
            buffer = rules.key_run_buffer_days
            days.append(
                Day(
                    date=date,
                    index=7 * week + offset,
                    week=week + 1,
                    weekday=weekday,
                    phase=week_phases[week],
                    run=runs.get(date, REST),
                    available_minutes=minutes,
                    equipment=base_equipment | frozenset(extra),
                    key_run_next=any(
                        date + dt.timedelta(days=ahead) in key_dates
                        for ahead in range(1, buffer + 1)
                    ),
                    hard_free_race=date in hard_free,
                    no_session_race=date in no_session,
                    race_recovery=date in recovery,
                )
            )
        all_days.append(days)
    minimum = rules.min_session_minutes
    # Life empties a week when no day has the time or every day with time is a race's:
    # its hard-free days (R7) or recovery (R20). Key runs (R4) are the running plan's to
    # move, so a week they block stays a loading week whose missed target is reported.
    empty = [
        not any(
            day.takes_session(minimum) and not (day.hard_free_race or day.race_recovery)
            for day in days
        )
        for days in all_days
    ]
    deloads = pick_deloads(week_phases, cutback, rules.max_loading_weeks, empty)
    weeks = [
        Week(
            index=week + 1,
            start=start + dt.timedelta(days=7 * week),
            phase=week_phases[week],
            run_distance=round(volumes[week], 2),
            cutback=cutback[week],
            deload=deloads[week],
            days=tuple(days),
            empty=empty[week],
        )
        for week, days in enumerate(all_days)
    ]
    a_races = tuple(race for race in races if race.priority == "A")
    return Calendar(weeks=tuple(weeks), a_races=a_races)
