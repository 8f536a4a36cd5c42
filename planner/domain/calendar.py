"""The block calendar: every day's phase, run, time and restrictions, and every week's role.

Derived once from a Scenario. Phases follow COACHING_RULES.md: with an A race, the taper is
the last 2 weeks before a marathon (1 before shorter races), and the weeks before it split
about 50/30/20 % into base, build and peak. Deload weeks are picked by R8.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.domain.scenario import REST, Race, RunEntry, Scenario
from planner.rules import R4, R7
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

    def hard_blockers(self) -> list[tuple[str, str]]:
        """Why no hard session may fall on this day: (rule id, reason) pairs (R4, R7)."""
        blockers = []
        if self.no_session_race:
            blockers.append((R7.id, "race day or the day after (R7)"))
        elif self.hard_free_race:
            blockers.append((R7.id, "inside a race's hard-free days (R7)"))
        if self.run.kind in ("long", "race"):
            blockers.append((R4.id, f"a {self.run.kind}-run day (R4)"))
        elif self.key_run_next:
            blockers.append((R4.id, "the day before a key run (R4)"))
        return blockers

    @property
    def hard_allowed(self) -> bool:
        """May a hard session fall on this day (R4, R7)?"""
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

    @property
    def loading(self) -> bool:
        return not self.deload and self.phase != "taper"


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


def pick_deloads(phase_of_week: list[str], cutback: list[bool], max_loading: int) -> list[bool]:
    """R8: in base and build, at most `max_loading` loading weeks in a row, then a deload.

    A running cut-back week takes the deload when at least `max_loading - 1` loading weeks
    came before it, so gym and running recover together; otherwise the deload is forced
    after `max_loading` loading weeks.
    """
    deload = [False] * len(phase_of_week)
    streak = 0
    for week, phase in enumerate(phase_of_week):
        if phase not in ("base", "build"):
            streak = 0 if phase == "taper" else streak
            continue
        if streak >= max_loading or (cutback[week] and streak >= max(1, max_loading - 1)):
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
    for race in races:
        free_days = rules.race_hard_free_days[race.distance_class]
        for offset in range(1, free_days + 1):
            hard_free.add(race.date - dt.timedelta(days=offset))
        no_session.update({race.date, race.date + dt.timedelta(days=1)})

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
    deloads = pick_deloads(week_phases, cutback, rules.max_loading_weeks)

    weeks = []
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
                )
            )
        weeks.append(
            Week(
                index=week + 1,
                start=week_start,
                phase=week_phases[week],
                run_distance=round(volumes[week], 2),
                cutback=cutback[week],
                deload=deloads[week],
                days=tuple(days),
            )
        )
    a_races = tuple(race for race in races if race.priority == "A")
    return Calendar(weeks=tuple(weeks), a_races=a_races)
