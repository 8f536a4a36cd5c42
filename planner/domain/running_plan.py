"""The running plan a coach would write for a runner who gives only a usual week: the block's
dates around a race, the weekly distances, and each week's runs.

The running plan is built so that it looks like one a coach would write:

- the weekly distance ramps from `RAMP_START` to `RAMP_END` times `weekly` over the weeks
  before the taper;
- every `CUTBACK_EVERY`-th week is a cut-back week at `CUTBACK_FACTOR` of its ramp value
  (not the week just before a taper, which drops anyway);
- with a race, the last 2 weeks (marathon and longer) or the last week (shorter races)
  taper to `TAPER_FACTORS` of the last loading week;
- within a week, the long run takes `LONG_SHARE` of the distance, each quality run
  `QUALITY_SHARE` (all of them together at most `QUALITY_CAP`), and the easy runs share
  the rest; distances are rounded to half units;
- in race week, the long run becomes an easy run, nothing is planned after the race, and
  the race day carries a `race` entry of the race distance.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from planner.domain.scenario import MAX_WEEKS, Rules
from planner.vocabulary import KM_PER_MILE, RACE_DISTANCES, WEEKDAYS

DEFAULT_WEEKS = 12
# Where a runner would rather have the key runs, best first (`usual_running_week`).
LONG_RUN_DAYS = ("sun", "sat", "fri", "mon", "wed", "thu", "tue")
QUALITY_DAYS = ("thu", "tue", "wed", "fri", "mon", "sat", "sun")
EASY_DAYS = ("tue", "thu", "sat", "wed", "fri", "mon", "sun")
HARD_SESSIONS_WANTED = 2  # R13 in base and build

RAMP_START = 0.9
RAMP_END = 1.1
CUTBACK_EVERY = 4
CUTBACK_FACTOR = 0.75
TAPER_FACTORS = {2: (0.7, 0.4), 1: (0.5,)}  # taper length -> factor of each week, race week last
SHAKEOUT_SHARE = 0.1  # the run the day before a race, as a share of the usual weekly distance
LONG_SHARE = 0.30
QUALITY_SHARE = 0.20
QUALITY_CAP = 0.40

RACE_NAMES = {
    "5k": "5k",
    "10k": "10k",
    "half": "Half marathon",
    "marathon": "Marathon",
    "ultra": "Ultra",
}


@dataclass(frozen=True)
class RaceAnswer:
    date: dt.date
    distance: str | float  # a RACE_DISTANCES key or km

    @property
    def distance_km(self) -> float:
        if isinstance(self.distance, str):
            return RACE_DISTANCES[self.distance]
        return self.distance

    @property
    def taper_weeks(self) -> int:
        """2 weeks before a marathon or longer, 1 before shorter races (COACHING_RULES.md)."""
        return 2 if self.distance_km >= 42.0 else 1

    @property
    def label(self) -> str:
        if isinstance(self.distance, str):
            return RACE_NAMES[self.distance]
        return f"{self.distance:g} km race"


@dataclass(frozen=True)
class WeeklyDistance:
    amount: float
    unit: str  # "km" or "mi"


@dataclass(frozen=True)
class BlockDates:
    start: dt.date
    weeks: int
    end: dt.date | None  # the race day when the block ends on a race


def next_monday(today: dt.date) -> dt.date:
    """The first Monday after `today` (a week later when today is a Monday)."""
    return today + dt.timedelta(days=7 - today.weekday())


def monday_of(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=date.weekday())


def block_dates(
    start: dt.date | None, weeks: int | None, race: RaceAnswer | None, today: dt.date
) -> BlockDates:
    """Where the block starts and ends (see the module docstring)."""
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"--weeks {weeks}: expected 1 to {MAX_WEEKS}")
    if race is None:
        return BlockDates(start or next_monday(today), weeks or DEFAULT_WEEKS, None)
    if weeks is not None:
        derived = monday_of(race.date) - dt.timedelta(weeks=weeks - 1)
        if start is not None and start != derived:
            raise ValueError(
                f"with --race and --weeks {weeks} the block starts on {derived}, not {start}; "
                "give --start or --weeks, not both"
            )
        return BlockDates(derived, weeks, race.date)
    start = start or next_monday(today)
    if race.date < start:
        raise ValueError(f"the race ({race.date}) is before the block starts ({start})")
    days = (race.date - start).days + 1
    weeks = -(-days // 7)
    if weeks > MAX_WEEKS:
        raise ValueError(
            f"the race is {weeks} weeks after {start}; give --weeks to plan only the last weeks"
        )
    return BlockDates(start, weeks, race.date)


def weekly_volumes(n_weeks: int, weekly: float, taper_weeks: int) -> list[float]:
    """The running distance of every week: a ramp, cut-back weeks, then the taper."""
    taper_weeks = min(taper_weeks, n_weeks)
    loading = n_weeks - taper_weeks
    volumes = []
    for week in range(loading):
        progress = week / (loading - 1) if loading > 1 else 1.0
        volume = weekly * (RAMP_START + (RAMP_END - RAMP_START) * progress)
        before_taper = taper_weeks > 0 and week == loading - 1
        if (week + 1) % CUTBACK_EVERY == 0 and not before_taper:
            volume *= CUTBACK_FACTOR
        volumes.append(volume)
    peak = volumes[-1] if volumes else weekly
    volumes.extend(peak * factor for factor in TAPER_FACTORS.get(taper_weeks, ()))
    return volumes


def half_units(distance: float) -> float:
    """Round to the nearest half unit, at least half a unit."""
    return max(0.5, round(distance * 2) / 2)


def spread_week(volume: float, kinds: dict[str, str]) -> dict[str, float]:
    """Share a week's distance over its run days: long ~30 %, quality ~20 % each, easy the rest."""
    n_quality = list(kinds.values()).count("quality")
    quality_share = min(QUALITY_SHARE, QUALITY_CAP / n_quality) if n_quality else 0.0
    shares = {
        day: LONG_SHARE if kind == "long" else quality_share if kind == "quality" else 0.0
        for day, kind in kinds.items()
    }
    easy_days = [day for day, kind in kinds.items() if kind == "easy"]
    rest_share = max(0.0, 1.0 - sum(shares.values()))
    if easy_days:
        for day in easy_days:
            shares[day] = rest_share / len(easy_days)
    total = sum(shares.values()) or 1.0
    return {day: half_units(volume * share / total) for day, share in shares.items()}


def run_text(kind: str, distance: float) -> str | float:
    """The scenario's run-entry syntax: `8`, `long 16`, `quality 6`, `race 21.1`."""
    amount = int(distance) if float(distance).is_integer() else round(distance, 1)
    return amount if kind == "easy" else f"{kind} {amount}"


def race_distance_in(race: RaceAnswer, unit: str) -> float:
    km = race.distance_km
    return round(km / KM_PER_MILE if unit == "mi" else km, 1)


def _days_apart(first: str, second: str) -> int:
    """Calendar days between two weekdays of a repeating week, the shorter way round."""
    gap = abs(WEEKDAYS.index(first) - WEEKDAYS.index(second))
    return min(gap, 7 - gap)


def _day_before(day: str) -> str:
    return WEEKDAYS[(WEEKDAYS.index(day) - 1) % 7]


def hard_session_days(gym_minutes: dict[str, int], long_day: str, quality_day: str) -> list[str]:
    """The gym days that can hold hard sessions week after week around these key runs: the
    most of them (up to R13's two), then the most minutes, with R3's default spacing and
    R4's protected days (not the day before a key run, not the long-run day)."""
    rules = Rules()
    protected = {long_day, _day_before(long_day), _day_before(quality_day)}
    usable = [
        day
        for day, minutes in gym_minutes.items()
        if minutes >= rules.full_session_minutes and day not in protected
    ]
    for count in range(min(HARD_SESSIONS_WANTED, len(usable)), 0, -1):
        spaced = [
            days
            for days in itertools.combinations(usable, count)
            if all(_days_apart(a, b) >= rules.hard_gap_days for a, b in itertools.pairwise(days))
            and (count < 2 or _days_apart(days[0], days[-1]) >= rules.hard_gap_days)
        ]
        if spaced:
            return list(max(spaced, key=lambda days: sum(gym_minutes[day] for day in days)))
    return []


def usual_running_week(gym_minutes: dict[str, int]) -> dict[str, str]:
    """A runner's usual week placed around the gym days: a long run, a quality run at least
    two days from it, and two easy runs. Among the placements, the one whose gym days can
    hold the most hard sessions wins; then a weekend long run, then the most minutes on the
    hard-session days, then the usual days (Sunday long run, midweek quality run)."""

    def score(pair: tuple[str, str]) -> tuple[int, bool, int, int]:
        long_day, quality_day = pair
        hard_days = hard_session_days(gym_minutes, long_day, quality_day)
        habit = LONG_RUN_DAYS.index(long_day) * 7 + QUALITY_DAYS.index(quality_day)
        minutes = sum(gym_minutes[day] for day in hard_days)
        return len(hard_days), long_day in ("sat", "sun"), minutes, -habit

    pairs = [
        (long_day, quality_day)
        for long_day in LONG_RUN_DAYS
        for quality_day in QUALITY_DAYS
        if _days_apart(long_day, quality_day) >= 2
    ]
    long_day, quality_day = max(pairs, key=score)
    hard_days = hard_session_days(gym_minutes, long_day, quality_day)
    # Easy runs off the hard-session days where possible, so that a hard gym day stays light.
    easy = [day for day in EASY_DAYS if day not in (long_day, quality_day)]
    easy.sort(key=lambda day: day in hard_days)
    kinds = {long_day: "long", quality_day: "quality"} | {day: "easy" for day in easy[:2]}
    return {day: kinds[day] for day in WEEKDAYS if day in kinds}


def running_weeks(
    dates: BlockDates,
    kinds: dict[str, str],
    weekly: WeeklyDistance,
    race: RaceAnswer | None,
) -> tuple[list[dict[str, str | float]], list[str]]:
    """One entry per block week (weekday -> run), and a note per week for the YAML comments."""
    taper = race.taper_weeks if race else 0
    volumes = weekly_volumes(dates.weeks, weekly.amount, taper)
    weeks, notes = [], []
    for index, volume in enumerate(volumes):
        week_start = dates.start + dt.timedelta(weeks=index)
        dates_by_day = {
            WEEKDAYS[date.weekday()]: date
            for date in (week_start + dt.timedelta(days=offset) for offset in range(7))
        }
        if race is not None and race.date in dates_by_day.values():
            entry = _race_week(kinds, dates_by_day, volume, weekly, race)
        else:
            distances = spread_week(volume, kinds)
            entry = {
                day: run_text(kinds[day], distances[day]) for day in dates_by_day if day in kinds
            }
        weeks.append(entry)
        notes.append(_week_note(index, week_start, entry, weekly.unit, volumes, taper))
    return weeks, notes


def _race_week(
    kinds: dict[str, str],
    dates_by_day: dict[str, dt.date],
    volume: float,
    weekly: WeeklyDistance,
    race: RaceAnswer,
) -> dict[str, str | float]:
    """Race week: runs only before the race, the long run becomes easy, a short shakeout the
    day before, and the race itself."""
    before = {
        day: "easy" if kind == "long" else kind
        for day, kind in kinds.items()
        if dates_by_day[day] < race.date
    }
    distances = spread_week(volume, before)
    eve = race.date - dt.timedelta(days=1)
    entry: dict[str, str | float] = {}
    for day, date in sorted(dates_by_day.items(), key=lambda pair: pair[1]):
        if date == race.date:
            entry[day] = run_text("race", race_distance_in(race, weekly.unit))
        elif day in before:
            distance = distances[day]
            if date == eve:
                distance = min(distance, half_units(SHAKEOUT_SHARE * weekly.amount))
            entry[day] = run_text(before[day], distance)
    return entry


def _week_note(
    index: int, start: dt.date, entry: dict[str, str | float], unit: str,
    volumes: list[float], taper: int,
) -> str:  # fmt: skip
    total = sum(
        float(value) if not isinstance(value, str) else float(value.split()[-1])
        for value in entry.values()
    )
    note = f"w{index + 1:<2} {start}  {total:g} {unit}"
    if taper and index >= len(volumes) - taper:
        note += "  taper" + (", race week" if index == len(volumes) - 1 else "")
    elif index > 0 and volumes[index] < 0.9 * volumes[index - 1]:
        note += "  cut-back"
    return note
