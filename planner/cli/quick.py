"""Build a scenario from a few plain answers: the library behind `planner quick` and `planner init`.

The answers are short strings, as typed on the command line:

- `days`: gym minutes per weekday, `mon:45,wed:30,sat:60`;
- `weeks` (`12`) or `race` (`2027-04-18:half`, distance 5k|10k|half|marathon|ultra or km):
  the race day is the last day of the block, and the block starts on the Monday that puts
  the race in its last week (`weeks` before it, or from `start` when `weeks` is not given);
  without either, the block lasts `DEFAULT_WEEKS` weeks from `start`;
- `runs` (`tue:easy,thu:quality,sun:long`) and `weekly` (`40km` or `25mi`): a running plan;
  without `runs`, `usual_running_week` places a quality run, a long run and two easy runs
  around the gym days, so that the gym days can hold the hard sessions the method needs
  (R3's spacing and R4's protected days decide which can);
- `equipment` (`band,dumbbell`), `focus` (`hip_stability:5,ankle_mobility:3`), `level`;
- `start` (`2027-01-04`, default: the next Monday after today) and `name`.

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

Each answer is parsed by its own `parse_*` function, which raises `ValueError` with a
message for a person. `build_quick_scenario` collects every problem, naming the flag, and
raises `InputError`; it validates the result through `scenario_from_data`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from planner.domain.scenario import MAX_DAY_MINUTES, MAX_WEEKS, Rules, Scenario
from planner.errors import InputError, Problem
from planner.io.scenario_file import scenario_from_data
from planner.io.yaml_source import SourceMap
from planner.vocabulary import (
    EQUIPMENT,
    KM_PER_MILE,
    LEVELS,
    RACE_DISTANCES,
    TARGETS,
    WEEKDAYS,
    unknown_word,
)

DEFAULT_WEEKS = 12
# Where a runner would rather have the key runs, best first (`usual_running_week`).
LONG_RUN_DAYS = ("sun", "sat", "fri", "mon", "wed", "thu", "tue")
QUALITY_DAYS = ("thu", "tue", "wed", "fri", "mon", "sat", "sun")
EASY_DAYS = ("tue", "thu", "sat", "wed", "fri", "mon", "sun")
HARD_SESSIONS_WANTED = 2  # R13 in base and build
DEFAULT_WEEKLY = {"novice": "25km", "intermediate": "40km", "advanced": "60km"}
MAX_WEEKLY_KM = 400.0

RAMP_START = 0.9
RAMP_END = 1.1
CUTBACK_EVERY = 4
CUTBACK_FACTOR = 0.75
TAPER_FACTORS = {2: (0.7, 0.4), 1: (0.5,)}  # taper length -> factor of each week, race week last
SHAKEOUT_SHARE = 0.1  # the run the day before a race, as a share of the usual weekly distance
LONG_SHARE = 0.30
QUALITY_SHARE = 0.20
QUALITY_CAP = 0.40
QUICK_RUN_KINDS = ("easy", "quality", "long")
SOURCE = "command line"

RACE_NAMES = {
    "5k": "5k",
    "10k": "10k",
    "half": "Half marathon",
    "marathon": "Marathon",
    "ultra": "Ultra",
}
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Where a scenario field came from, to name the flag when the scenario check fails.
FIELD_FLAGS = (
    ("athlete.level", "--level"),
    ("athlete.equipment", "--equipment"),
    ("athlete.focus", "--focus"),
    ("athlete.name", "--name"),
    ("availability", "--days"),
    ("block", "--start/--weeks/--race"),
    ("running", "--runs/--weekly"),
    ("name", "--name"),
)


# --- the answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickAnswers:
    """The answers as typed; `None` means "not given"."""

    days: str
    weeks: int | None = None
    race: str | None = None
    runs: str | None = None
    weekly: str | None = None
    equipment: str | None = None
    focus: str | None = None
    level: str = "intermediate"
    start: str | dt.date | None = None
    name: str = "Runner"
    today: dt.date | None = None  # for "the next Monday"; today's date when None
    default_runs: bool = False  # without `runs` or `weekly`, still plan the usual week
    # (`usual_running_week`: placed around the gym days)


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


@dataclass
class QuickScenario:
    """A scenario built from answers: the plain data (as a file would hold it) and the model."""

    data: dict[str, Any]
    scenario: Scenario
    week_notes: list[str] = field(default_factory=list)  # one comment per running week

    def to_yaml(self) -> str:
        return scenario_yaml(self.data, self.week_notes)


# --- parsing one answer --------------------------------------------------------------------


def _items(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(",") if part.strip()]


def _pair(item: str, example: str) -> tuple[str, str]:
    if ":" not in item:
        raise ValueError(f'"{item}" needs a colon: write it like {example}')
    key, value = item.split(":", 1)
    return key.strip().lower(), value.strip().lower()


def parse_weekday(word: str) -> str:
    """`mon`, `Monday` or `tues` -> `mon`."""
    word = word.strip().lower()
    if word in WEEKDAYS:
        return word
    for short, full in zip(WEEKDAYS, DAY_NAMES, strict=True):
        if len(word) >= 3 and full.startswith(word):
            return short
    close = difflib.get_close_matches(word, DAY_NAMES, n=1, cutoff=0.6)
    if close:
        raise ValueError(f'unknown weekday "{word}" — did you mean "{close[0][:3]}"?')
    raise ValueError(unknown_word("weekday", word, WEEKDAYS))


def parse_days(text: str) -> dict[str, int]:
    """`mon:45,wed:30,sat:60` -> gym minutes for all seven weekdays (0 where not given)."""
    minutes_by_day = dict.fromkeys(WEEKDAYS, 0)
    seen: set[str] = set()
    for item in _items(text):
        day_word, amount = _pair(item, "mon:45")
        day = parse_weekday(day_word)
        if day in seen:
            raise ValueError(f"{day} is given twice")
        seen.add(day)
        amount = amount.removesuffix("min").strip()
        if not amount.isdigit():
            raise ValueError(f'"{item}": "{amount}" is not a whole number of minutes')
        minutes = int(amount)
        if minutes > MAX_DAY_MINUTES:
            raise ValueError(f'"{item}": at most {MAX_DAY_MINUTES} minutes a day')
        minutes_by_day[day] = minutes
    if not any(minutes_by_day.values()):
        raise ValueError("no gym time given: name at least one day with minutes, e.g. mon:45")
    return minutes_by_day


def parse_runs(text: str) -> dict[str, str]:
    """`tue:easy,thu:quality,sun:long` -> weekday -> run kind (easy, quality or long)."""
    kinds: dict[str, str] = {}
    for item in _items(text):
        day_word, kind = _pair(item, "tue:easy")
        day = parse_weekday(day_word)
        if day in kinds:
            raise ValueError(f"{day} is given twice")
        if kind == "rest":
            continue
        kinds[day] = _quick_run_kind(kind)
    if list(kinds.values()).count("long") > 1:
        raise ValueError("give at most one long run a week")
    if not kinds:
        raise ValueError("no run days given: write them like tue:easy,thu:quality,sun:long")
    return {day: kinds[day] for day in WEEKDAYS if day in kinds}


def _quick_run_kind(word: str) -> str:
    """easy, quality or long; workout words such as tempo, intervals or recovery are read as
    the importer reads event titles."""
    if word in QUICK_RUN_KINDS:
        return word
    from planner.io.running_import import classify_title

    try:
        kind = classify_title(word)
    except ValueError:
        kind = None
    if kind not in QUICK_RUN_KINDS:
        raise ValueError(unknown_word("run kind", word, QUICK_RUN_KINDS))
    return str(kind)


_DISTANCE = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>km|k|mi|mile|miles)?$")


def parse_weekly(text: str) -> WeeklyDistance:
    """`40km`, `40 km` or `25mi` -> the usual weekly running distance and its unit."""
    match = _DISTANCE.match(str(text).strip().lower())
    if not match:
        raise ValueError(f'"{text}" is not a distance: write it like 40km or 25mi')
    if not match["unit"]:
        raise ValueError(f'"{text}" needs a unit: write 40km or 25mi')
    unit = "km" if match["unit"] in ("km", "k") else "mi"
    amount = float(match["amount"])
    km = amount * (KM_PER_MILE if unit == "mi" else 1.0)
    if not 1.0 <= km <= MAX_WEEKLY_KM:
        raise ValueError(f'"{text}" a week is not plausible (1 to {MAX_WEEKLY_KM:g} km)')
    return WeeklyDistance(amount, unit)


def parse_date(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f'"{text}" is not a date: write it as YYYY-MM-DD') from None


def parse_race_distance(text: str) -> str | float:
    """`half` or `15km` -> a RACE_DISTANCES key or a number of km."""
    word = str(text).strip().lower()
    if word in RACE_DISTANCES:
        return word
    try:
        km = float(word.removesuffix("km").strip())
    except ValueError:
        raise ValueError(
            unknown_word("race distance", word, RACE_DISTANCES) + " or a number of km"
        ) from None
    if not 1.0 <= km <= 400.0:
        raise ValueError(f"a race of {km:g} km is not plausible")
    return km


def parse_race(text: str) -> RaceAnswer:
    """`2027-04-18:half` -> the race date and distance."""
    text = str(text).strip()
    if ":" not in text:
        raise ValueError(f'"{text}": write the race as DATE:DISTANCE, e.g. 2027-04-18:half')
    date_text, distance_text = text.rsplit(":", 1)
    return RaceAnswer(parse_date(date_text), parse_race_distance(distance_text))


def parse_equipment(text: str) -> list[str]:
    """`band,dumbbell` -> equipment words (bodyweight is implied; `none` means bodyweight only)."""
    words: list[str] = []
    for item in _items(text):
        word = item.lower().replace(" ", "_").replace("-", "_")
        if word in ("none", "bodyweight"):
            continue
        if word not in EQUIPMENT:
            raise ValueError(unknown_word("equipment", word, EQUIPMENT))
        if word not in words:
            words.append(word)
    return words


def parse_focus(text: str) -> dict[str, int]:
    """`hip_stability:5,ankle_mobility:3` -> focus weights 0..5 per training target."""
    focus: dict[str, int] = {}
    for item in _items(text):
        target, weight = _pair(item, "hip_stability:5")
        target = target.replace(" ", "_").replace("-", "_")
        if target not in TARGETS:
            raise ValueError(unknown_word("training target", target, TARGETS))
        if not weight.isdigit() or not 0 <= int(weight) <= 5:
            raise ValueError(f'"{item}": the weight must be a whole number from 0 to 5')
        focus[target] = int(weight)
    return focus


def parse_level(text: str) -> str:
    level = str(text).strip().lower()
    if level not in LEVELS:
        raise ValueError(unknown_word("level", level, LEVELS))
    return level


def next_monday(today: dt.date) -> dt.date:
    """The first Monday after `today` (a week later when today is a Monday)."""
    return today + dt.timedelta(days=7 - today.weekday())


# --- the block and the running plan --------------------------------------------------------


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


# --- building the scenario -----------------------------------------------------------------


def _collect(problems: list[Problem], flag: str, parse: Any, *args: Any) -> Any:
    """Run one parser; record its ValueError as a Problem naming `flag`."""
    try:
        return parse(*args)
    except ValueError as error:
        problems.append(Problem(flag, str(error), SOURCE))
        return None


def scenario_name(athlete: str, race: RaceAnswer | None, weeks: int) -> str:
    if race is not None:
        return f"{race.label} on {race.date:%d %b %Y}, {athlete}"
    return f"{weeks}-week block, {athlete}"


def quick_scenario_data(answers: QuickAnswers) -> tuple[dict[str, Any], list[str]]:
    """The scenario as plain data (FORMATS.md) and the running-week notes. Raises InputError
    with one Problem per bad answer, each naming its flag."""
    problems: list[Problem] = []
    today = answers.today or dt.date.today()
    weekly_minutes = _collect(problems, "--days", parse_days, answers.days)
    level = _collect(problems, "--level", parse_level, answers.level)
    equipment = _collect(problems, "--equipment", parse_equipment, answers.equipment or "")
    focus = _collect(problems, "--focus", parse_focus, answers.focus or "")
    race = _collect(problems, "--race", parse_race, answers.race) if answers.race else None
    start = _collect(problems, "--start", parse_date, answers.start) if answers.start else None
    # A runner who names no run days still runs: plan the usual week around the gym days,
    # so that key runs are protected (R4) and the gym days can still hold the hard sessions.
    # `init` asks, and may leave `runs` empty on purpose.
    kinds: dict[str, str] | None = None
    if answers.runs:
        kinds = _collect(problems, "--runs", parse_runs, answers.runs)
    elif (answers.weekly or answers.default_runs) and weekly_minutes:
        kinds = usual_running_week(weekly_minutes)
    weekly_text = answers.weekly or DEFAULT_WEEKLY.get(level or "", "40km")
    weekly = _collect(problems, "--weekly", parse_weekly, weekly_text)
    name = answers.name.strip() or "Runner"
    if problems:
        raise InputError(problems)
    dates = _collect(
        problems, "--start/--weeks/--race", block_dates, start, answers.weeks, race, today
    )
    if dates is None:
        raise InputError(problems)

    block: dict[str, Any] = {"start": dates.start}
    if dates.end is not None:
        block["end"] = dates.end
    else:
        block["weeks"] = dates.weeks
    if race is not None:
        block["races"] = [{"date": race.date, "distance": race.distance, "priority": "A"}]

    athlete: dict[str, Any] = {"name": name, "level": level, "equipment": equipment}
    if focus:
        athlete["focus"] = focus
    data: dict[str, Any] = {
        "format": 1,
        "name": scenario_name(name, race, dates.weeks),
        "athlete": athlete,
        "block": block,
        "availability": {"weekly": weekly_minutes},
    }
    notes: list[str] = []
    if kinds:
        weeks, notes = running_weeks(dates, kinds, weekly, race)
        data["running"] = {"unit": weekly.unit, "weeks": weeks}
    elif race is not None:
        unit = weekly.unit if answers.weekly else "km"
        distance = race_distance_in(race, unit)
        data["running"] = {
            "unit": unit,
            "days": [{"date": race.date, "kind": "race", "distance": distance}],
        }
    data["objective"] = "efficiency"
    return data, notes


def _flag_for(path: str) -> str:
    for prefix, flag in FIELD_FLAGS:
        if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
            return flag
    return "answers"


def build_quick_scenario(answers: QuickAnswers) -> QuickScenario:
    """Build and validate the scenario; raises InputError naming the flag of every problem."""
    data, notes = quick_scenario_data(answers)
    try:
        scenario = scenario_from_data(data, SourceMap(SOURCE))
    except InputError as error:
        raise InputError(
            [
                Problem(f"{_flag_for(p.path)} ({p.path})" if p.path else "", p.message, SOURCE)
                for p in error.problems
            ]
        ) from None
    return QuickScenario(data, scenario, notes)


# --- the interview of `planner init` -------------------------------------------------------

Ask = Callable[[str, str | None, Callable[[str], object]], str]
"""ask(question, default, check) -> the answer, once `check(answer)` raised no ValueError."""


def parse_weeks_answer(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_WEEKS:
        raise ValueError(f'"{text}": give a whole number of weeks from 1 to {MAX_WEEKS}')
    return int(text)


def parse_name(text: str) -> str:
    if not text.strip():
        raise ValueError("please give a name")
    if len(text) > 200:
        raise ValueError("at most 200 characters")
    return text.strip()


def _optional(parse: Callable[[str], object]) -> Callable[[str], object]:
    return lambda text: parse(text) if text.strip() else None


def interview(ask: Ask, today: dt.date | None = None) -> QuickAnswers:
    """The questions of `planner init`, in plain words; returns the answers for
    `build_quick_scenario`. `ask` does the prompting (and asks again after a bad answer)."""
    name = ask("What is your name?", "Runner", parse_name)
    level = ask(
        "How much strength training have you done: novice, intermediate or advanced?",
        "intermediate",
        parse_level,
    )
    equipment = ask(
        "What equipment can you use? List it with commas (for example band, dumbbell, "
        "kettlebell, box, barbell), or leave it empty for bodyweight only",
        "",
        parse_equipment,
    )
    days = ask(
        "On which days can you train, and for how many minutes? For example mon:45, wed:30, sat:60",
        None,
        parse_days,
    )
    race = ask(
        "Are you training for a race? Give its date and distance (5k, 10k, half, marathon or "
        "ultra), for example 2027-04-18:half, or leave it empty",
        "",
        _optional(parse_race),
    )
    if race.strip():
        weeks_question = (
            "How many weeks of training up to the race? Leave it empty to start next Monday"
        )
        weeks = ask(weeks_question, "", parse_weeks_answer)
    else:
        weeks = ask("How many weeks should the plan last?", str(DEFAULT_WEEKS), parse_weeks_answer)
    runs = ask(
        "On which days do you run, and what kind of run: easy, quality (intervals, tempo, hills) "
        "or long? For example tue:easy, thu:quality, sun:long. Leave it empty to plan no runs",
        "",
        _optional(parse_runs),
    )
    weekly = ""
    if runs.strip():
        weekly = ask(
            "How far do you run in a usual week? For example 40km or 25mi",
            DEFAULT_WEEKLY.get(level.strip().lower(), "40km"),
            parse_weekly,
        )
    focus = ask(
        "Anything to work on most? Give training targets with a weight from 0 to 5, for "
        f"example hip_stability:5, ankle_mobility:3 (targets: {', '.join(TARGETS)}). "
        "Leave it empty for a balanced plan",
        "",
        parse_focus,
    )
    return QuickAnswers(
        days=days,
        weeks=parse_weeks_answer(weeks),
        race=race.strip() or None,
        runs=runs.strip() or None,
        weekly=weekly.strip() or None,
        equipment=equipment,
        focus=focus,
        level=level,
        name=name,
        today=today,
    )


# --- writing the scenario as YAML ----------------------------------------------------------


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: `{mon: 45, wed: 30}`."""


class _FlowList(list[Any]):
    """A list written on one line: `[band, dumbbell]`."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a hand-edited file reads better without anchors

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(
    _FlowMap,
    lambda dumper, data: dumper.represent_mapping(
        "tag:yaml.org,2002:map", data.items(), flow_style=True
    ),
)
_Dumper.add_representer(
    _FlowList,
    lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True),
)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)


def _flow(value: Any, depth: int) -> Any:
    """Nested mappings and lists below `depth` become one-line flow collections."""
    if isinstance(value, dict):
        items = {key: _flow(item, depth - 1) for key, item in value.items()}
        return _FlowMap(items) if depth <= 0 else items
    if isinstance(value, list):
        items_list = [_flow(item, depth - 1) for item in value]
        return (
            _FlowList(items_list)
            if depth <= 0 and not any(isinstance(i, dict) for i in value)
            else items_list
        )
    return value


HEADER = (
    "# Scenario built by `planner quick` / `planner init`. Edit it freely: FORMATS.md\n"
    "# describes every field. Solve it with `planner solve FILE`.\n"
)


def scenario_yaml(data: dict[str, Any], week_notes: list[str] | None = None) -> str:
    """The scenario as readable YAML in the FORMATS.md layout, one line per running week."""
    parts = [HEADER]
    for key, value in data.items():
        if key == "running" and "weeks" in value:
            parts.append(_running_yaml(value, week_notes or []))
        else:
            parts.append(_dump({key: _flow(value, 1)}))
    return "".join(parts)


def _running_yaml(running: dict[str, Any], notes: list[str]) -> str:
    head = _dump({"running": {k: v for k, v in running.items() if k != "weeks"}})
    lines = [head, "  weeks:\n"]
    entries = [_dump(_FlowMap(week)).strip() for week in running["weeks"]]
    width = max((len(entry) for entry in entries), default=0)
    for index, entry in enumerate(entries):
        note = f"  # {notes[index]}" if index < len(notes) else ""
        lines.append(f"    - {entry.ljust(width)}{note}".rstrip() + "\n")
    return "".join(lines)
