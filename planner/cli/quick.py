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

The running plan comes from `planner.domain.running_plan`.

Each answer is parsed by its own `parse_*` function, which raises `ValueError` with a
message for a person. `build_quick_scenario` collects every problem, naming the flag, and
raises `InputError`; it validates the result through `scenario_from_data`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.domain.running_plan import (
    DEFAULT_WEEKS,
    RaceAnswer,
    WeeklyDistance,
    block_dates,
    race_distance_in,
    running_weeks,
    usual_running_week,
)
from planner.domain.scenario import MAX_DAY_MINUTES, MAX_WEEKS, Scenario
from planner.errors import InputError, Problem
from planner.io.catalog_file import default_catalog
from planner.io.scenario_file import scenario_from_data
from planner.io.scenario_yaml import scenario_yaml
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

DEFAULT_WEEKLY = {"novice": "25km", "intermediate": "40km", "advanced": "60km"}
MAX_WEEKLY_KM = 400.0
QUICK_RUN_KINDS = ("easy", "quality", "long")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SOURCE = "command line"


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
    ("coach.exclude", "--exclude"),
    ("coach.pin", "--pin"),
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
    exclude: str | None = None  # R18: exercise ids, comma-separated
    pin: str | None = None  # R18: DATE:none|hard|light or DATE:exercise+exercise, comma-separated


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


def parse_pins(text: str) -> list[dict[str, Any]]:
    """`2027-02-03:none,2027-02-10:back_squat+pallof_press` -> R18's pins: a day with no
    session, a hard or light one, or one holding the exercises joined by `+`."""
    pins: list[dict[str, Any]] = []
    for item in _items(text):
        day, what = _pair(item, "2027-02-03:none or 2027-02-10:back_squat+pallof_press")
        pin: dict[str, Any] = {"date": parse_date(day)}
        if what in ("none", "hard", "light"):
            pin["session"] = what
        else:
            exercises = [word.strip() for word in what.split("+") if word.strip()]
            if not exercises:
                raise ValueError(f'"{item}": after the date, write none, hard, light or exercises')
            pin["exercises"] = exercises
        pins.append(pin)
    return pins


def parse_level(text: str) -> str:
    level = str(text).strip().lower()
    if level not in LEVELS:
        raise ValueError(unknown_word("level", level, LEVELS))
    return level


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
    pins = _collect(problems, "--pin", parse_pins, answers.pin) if answers.pin else None
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
    coach: dict[str, Any] = {}
    if answers.exclude:
        coach["exclude"] = _items(answers.exclude)
    if pins:
        coach["pin"] = pins
    if coach:
        data["coach"] = coach
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
        catalog = default_catalog()
        scenario = scenario_from_data(data, SourceMap(SOURCE), catalog.tags, catalog.by_id())
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
