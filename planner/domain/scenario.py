"""The scenario file (FORMATS.md, `format: 1`) as validated pydantic models.

`load_scenario` reads a YAML file and either returns a `Scenario` or raises `InputError`
with one `Problem` per mistake, each naming the field path, its line and what was expected.

Validation runs in two passes, so that one mistake never hides another:

1. the field pass: pydantic checks every field (types, words, ranges) and collects every
   error. Checks that span fields are deferred in this pass;
2. the cross-field pass (`cross_field_problems`): each check that spans fields (the block
   length, races inside the block, one entry in `running.weeks` per block week, duplicate
   dates, avoided tags known to the catalog) runs whenever its own inputs are valid, even
   when other fields have errors.

The model validators run the same checks, so a `Scenario` built in code is checked too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from planner.errors import Location, format_location
from planner.vocabulary import (
    EQUIPMENT,
    KEY_RUN_KINDS,
    KM_PER_MILE,
    LEVELS,
    RACE_DISTANCES,
    RUN_KIND_SYNONYMS,
    RUN_KINDS,
    SYNONYMS,
    TARGETS,
    WEEKDAYS,
    describe,
    suggest,
    unknown_word,
)

Level = Literal["novice", "intermediate", "advanced"]
RunKind = Literal["rest", "easy", "long", "quality", "race", "cross"]
MAX_WEEKS = 104
MAX_DAY_MINUTES = 300
MAX_RUN_KM = 250.0
MAX_CROSS_MINUTES = 1440
DISTANCE_CLASSES = ("marathon", "half", "shorter")
PLYO_CONTACTS = {"novice": 80, "intermediate": 100, "advanced": 120}  # R5 defaults
PLYO_SESSIONS_PER_WEEK = {"novice": 1, "intermediate": 2, "advanced": 2}  # R5 defaults
RACE_HARD_FREE_DAYS = {"marathon": 10, "half": 7, "shorter": 5}  # R7 defaults
RACE_RECOVERY_DAYS = {"marathon": 7, "half": 3, "shorter": 1}  # R20 defaults
STRENGTH_SETS = {"novice": 8, "intermediate": 10, "advanced": 12}  # R16 defaults

# Validation context of the field pass: model validators that span fields wait for pass 2.
DEFER = {"defer_cross_field_checks": True}


def _deferred(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("defer_cross_field_checks"))


# --- values --------------------------------------------------------------------------------
# Each validator below turns one YAML value into a checked Python value, or raises ValueError
# with a message in training language: what was found, and what is expected.


def _word(kind: str, choices: Iterable[str]) -> BeforeValidator:
    """A word from a vocabulary, with a "did you mean" suggestion when it is not."""
    words = tuple(choices)

    def check(value: Any) -> Any:
        if isinstance(value, str) and value in words:
            return value
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            raise ValueError(unknown_word(kind, value, words, SYNONYMS.get(kind)))
        article = "an" if kind[0] in "aeiou" else "a"
        raise ValueError(f'expected {article} {kind} such as "{words[0]}", got {describe(value)}')

    return BeforeValidator(check)


_NUMBER_TEXT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*([a-z%]+)?\s*$", re.IGNORECASE)


def _amount(
    unit: str, low: float, high: float, whole: bool = True, note: str = ""
) -> BeforeValidator:
    """A number from `low` to `high`, e.g. `-5 minutes; expected 0 to 300`."""
    noun = "a whole number" if whole else "a number"
    of_unit = f" of {unit}" if unit else ""
    spaced = f" {unit}" if unit else ""

    def check(value: Any) -> Any:
        if isinstance(value, str):
            match = _NUMBER_TEXT.match(value)
            if match and match[2]:
                raise ValueError(f'"{value}": write just the number{of_unit}, e.g. {match[1]}')
            if match:
                value = float(match[1])
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected {noun}{of_unit}, got {describe(value)}")
        if not math.isfinite(value):
            raise ValueError(f"expected {noun}{of_unit}, got {value}")
        if whole and value != int(value):
            raise ValueError(f"{value:g}{spaced}: expected {noun}{of_unit}")
        if not low <= value <= high:
            raise ValueError(f"{value:g}{spaced}; expected {low:g} to {high:g}{note}")
        return int(value) if whole else float(value)

    return BeforeValidator(check)


def _date(value: Any) -> Any:
    """A calendar date written YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date()
        raise ValueError(f"expected a date as YYYY-MM-DD without a time, got {describe(value)}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value):
        year, month, day = (int(part) for part in value.strip().split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value.strip()} is not a day on the calendar") from None
    raise ValueError(f"expected a date as YYYY-MM-DD (e.g. 2027-01-04), got {describe(value)}")


def _text(max_length: int) -> BeforeValidator:
    """Free text; a number or a date is taken as text (`name: 2027`)."""

    def check(value: Any) -> Any:
        if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {describe(value)}")
        if len(value) > max_length:
            raise ValueError(f"{len(value)} characters; at most {max_length}")
        return value

    return BeforeValidator(check)


def _format(value: Any) -> Any:
    if value == 1 and not isinstance(value, bool):
        return 1
    raise ValueError(
        f"this planner reads scenario format 1; got {describe(value)}; write `format: 1`"
    )


def _race_distance(value: Any) -> Any:
    """5k, 10k, half, marathon, ultra, or a number of km (`30`, `30km`)."""
    if isinstance(value, str):
        if value in RACE_DISTANCES:
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(km|k|mi|miles?)?\s*", value.lower())
        if match and match[2] in ("mi", "mile", "miles"):
            km = float(match[1]) * KM_PER_MILE
            raise ValueError(
                f'"{value}": give a race distance in km ({km:.1f}) or by name '
                f"({', '.join(RACE_DISTANCES)})"
            )
        if not match:
            raise ValueError(
                f'unknown race distance "{value}"{suggest(value, RACE_DISTANCES)} '
                f"(expected {', '.join(RACE_DISTANCES)} or a number of km)"
            )
        value = float(match[1])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"expected a race distance: {', '.join(RACE_DISTANCES)} or a number of km; "
            f"got {describe(value)}"
        )
    if not 1 <= value <= 400:
        raise ValueError(f"a race of {value:g} km is not plausible; expected 1 to 400 km")
    return float(value)


def _timezone(value: Any) -> Any:
    """An IANA time zone name such as Europe/Berlin."""
    if not isinstance(value, str):
        raise ValueError(f"expected a time zone name such as Europe/Berlin, got {describe(value)}")
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f'unknown time zone "{value}"; write a zone name such as Europe/Berlin or '
            "America/New_York"
        ) from None
    return value.strip()


DateValue = Annotated[dt.date, BeforeValidator(_date)]
Weekday = Annotated[str, _word("weekday", WEEKDAYS)]
EquipmentWord = Annotated[str, _word("equipment", EQUIPMENT)]
TargetWord = Annotated[str, _word("focus target", TARGETS)]
DayMinutes = Annotated[int, _amount("minutes", 0, MAX_DAY_MINUTES)]
WeeksValue = Annotated[int, _amount("weeks", 1, MAX_WEEKS)]
RunDistance = Annotated[float, _amount("", 0, MAX_RUN_KM, whole=False)]
CrossMinutes = Annotated[int, _amount("minutes", 0, MAX_CROSS_MINUTES)]

# The value checks that other files' models share (the studio file), so that a number, a
# text or a word is told the same way in every file.
amount = _amount
free_text = _text
word_from = _word


# --- runs ----------------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunEntry(Strict):
    """One day's run: kind, distance in the plan's unit, and minutes for cross-training."""

    kind: Annotated[RunKind, _word("run kind", RUN_KINDS)]
    distance: RunDistance = 0.0
    minutes: CrossMinutes = 0

    @property
    def is_key(self) -> bool:
        return self.kind in KEY_RUN_KINDS


REST = RunEntry(kind="rest")
_RUN = re.compile(
    r"^(?P<kind>[a-z_]+)?\s*(?P<amount>[-+]?(?:\d+(?:\.\d*)?|\.\d+))?\s*(?P<unit>[a-z]+)?$"
)
_MINUTE_UNITS = ("min", "mins", "minute", "minutes")
_HOUR_UNITS = ("h", "hr", "hrs", "hour", "hours")
_DISTANCE_UNITS = ("k", "km", "kms", "m", "mi", "mile", "miles")
_RUN_EXAMPLES = (
    "a distance (`5`), `KIND DISTANCE` (`long 16`, `quality 6`, `race 26.2`), "
    "`cross 60min` or `rest`"
)


def parse_run_entry(value: Any) -> RunEntry:
    """Parse a run entry: `5`, `long 16`, `quality 6`, `race 26.2`, `cross 60min`, `rest`."""
    if isinstance(value, RunEntry):
        return value
    if isinstance(value, dict) and "kind" in value:
        return RunEntry.model_validate(value)
    if isinstance(value, bool) or value is None or not isinstance(value, int | float | str):
        raise ValueError(f"expected a run: {_RUN_EXAMPLES}; got {describe(value)}")
    if isinstance(value, int | float):
        return _distance_run("easy", float(value), str(value))
    text = " ".join(value.strip().lower().split())
    if text in ("rest", "off", "0"):
        return REST
    words = text.split()
    if len(words) == 3 and words[0] in RUN_KINDS and words[1] in ("run", "runs"):
        raise ValueError(
            f'"{value}": write the kind and the distance, e.g. "{words[0]} {words[2]}"'
        )
    match = _RUN.match(text)
    if not match or not text:
        raise ValueError(f'"{value}" is not a run: write {_RUN_EXAMPLES}')
    kind, amount, unit = match["kind"], match["amount"], match["unit"]
    if kind is not None and kind not in RUN_KINDS:
        if kind in RUN_KIND_SYNONYMS:
            meant = RUN_KIND_SYNONYMS[kind]
            raise ValueError(
                f'unknown run kind "{kind}": write "{meant} {amount or "DISTANCE"}" '
                f"({_KIND_MEANINGS[meant]})"
            )
        raise ValueError(unknown_word("run kind", kind, RUN_KINDS) + f"; write {_RUN_EXAMPLES}")
    kind = kind or "easy"
    if kind == "rest":
        return REST
    if amount is None:
        if unit is not None:
            raise ValueError(f'"{value}": the distance must be a number, e.g. "{kind} 6"')
        example = "cross 60min" if kind == "cross" else f"{kind} 6"
        raise ValueError(
            f'"{value}": give the {"minutes" if kind == "cross" else "distance"} too, '
            f'e.g. "{example}"'
        )
    number = float(amount)
    if unit in _HOUR_UNITS:
        raise ValueError(
            f'"{value}": give cross-training in minutes, e.g. "cross {number * 60:g}min"'
        )
    if kind == "cross" or unit in _MINUTE_UNITS:
        if kind != "cross":
            raise ValueError(
                f'"{value}": minutes are only for cross-training, e.g. "cross {number:g}min"'
            )
        if unit is not None and unit not in _MINUTE_UNITS:
            raise ValueError(f'"{value}": give cross-training in minutes, e.g. "cross 60min"')
        if number != int(number) or not 0 <= number <= MAX_CROSS_MINUTES:
            raise ValueError(
                f'"{value}": expected whole minutes from 0 to {MAX_CROSS_MINUTES}, '
                'e.g. "cross 60min"'
            )
        return RunEntry(kind="cross", minutes=int(number))
    if unit is not None:
        if unit in _DISTANCE_UNITS:
            written = f"{number:g}" if match["kind"] is None else f"{kind} {number:g}"
            raise ValueError(
                f'"{value}": write the distance without its unit, e.g. "{written}" '
                "(`running.unit` says km or mi)"
            )
        raise ValueError(f'"{value}" is not a run: write {_RUN_EXAMPLES}')
    return _distance_run(kind, number, str(value))


_KIND_MEANINGS = {
    "quality": "quality is any hard run: tempo, intervals, hills, threshold",
    "easy": "easy is any easy or recovery run; a bare number is an easy run too",
    "cross": "cross is cross-training in minutes, e.g. `cross 60min`",
    "long": "long is the long run",
    "rest": "rest is a day off",
    "race": "race is a race or time trial",
}


def _distance_run(kind: str, distance: float, written: str) -> RunEntry:
    if not math.isfinite(distance):
        raise ValueError(f'"{written}" is not a distance')
    if distance < 0:
        raise ValueError(f'"{written}": a distance cannot be negative')
    if distance == 0:
        return REST
    if distance > MAX_RUN_KM:
        raise ValueError(
            f'"{written}": {distance:g} is more than anyone runs in a day; '
            f"expected at most {MAX_RUN_KM:g}"
        )
    return RunEntry.model_validate({"kind": kind, "distance": distance})


def _run_value(value: Any) -> Any:
    # A mapping such as {kind: long, distance: 16} (what `model_dump` writes) is left to
    # pydantic, which names its fields; any other mapping is a mistake in the run syntax.
    if isinstance(value, dict) and "kind" in value and set(value) <= set(RunEntry.model_fields):
        return value
    return parse_run_entry(value)


RunValue = Annotated[RunEntry, BeforeValidator(_run_value)]


# --- sections ------------------------------------------------------------------------------


class Athlete(Strict):
    name: Annotated[str, _text(200)] = "Athlete"
    level: Annotated[Level, _word("level", LEVELS)] = "intermediate"
    equipment: list[EquipmentWord] = Field(default_factory=list)
    focus: dict[
        TargetWord,
        Annotated[int, _amount("", 0, 5, note=" (0 skips the target, 5 is top priority)")],
    ] = Field(default_factory=dict)
    avoid: list[Annotated[str, _text(60)]] = Field(default_factory=list)

    def focus_weight(self, target: str) -> int:
        return self.focus.get(target, 1)


class Race(Strict):
    date: DateValue
    distance: Annotated[str | float, BeforeValidator(_race_distance)]
    priority: Annotated[Literal["A", "B"], _word("race priority", ("A", "B"))] = "A"

    @property
    def distance_km(self) -> float:
        if isinstance(self.distance, str):
            return RACE_DISTANCES[self.distance]
        return float(self.distance)

    @property
    def distance_class(self) -> str:
        """`marathon` (and longer), `half`, or `shorter`: the key of race_hard_free_days."""
        km = self.distance_km
        if km >= 42.0:
            return "marathon"
        if km >= 21.0:
            return "half"
        return "shorter"


class Block(Strict):
    start: DateValue
    weeks: WeeksValue | None = None
    end: DateValue | None = None
    races: list[Race] = Field(default_factory=list)

    @model_validator(mode="after")
    def _length(self, info: ValidationInfo) -> Block:
        if _deferred(info):
            return self
        problems = _span_problems(self.start, self.weeks, self.end)
        if not problems:
            span = _span(self.start, self.weeks, self.end)
            dates = [(index, race.date) for index, race in enumerate(self.races)]
            problems = _date_problems(("block", "races"), dates, "race", span)
        if problems:
            raise ValueError(problems[0][1])
        return self

    @property
    def n_weeks(self) -> int:
        if self.weeks is not None:
            return self.weeks
        assert self.end is not None
        return -(-((self.end - self.start).days + 1) // 7)

    @property
    def last_day(self) -> dt.date:
        if self.end is not None and self.weeks is None:
            return self.end
        return self.start + dt.timedelta(days=7 * self.n_weeks - 1)


class Exception_(Strict):
    date: DateValue
    minutes: DayMinutes


class Availability(Strict):
    weekly: dict[Weekday, DayMinutes] = Field(default_factory=dict)
    max_per_week: Annotated[int, _amount("minutes", 0, 7 * MAX_DAY_MINUTES)] | None = None
    exceptions: list[Exception_] = Field(default_factory=list)
    equipment_by_day: dict[Weekday, list[EquipmentWord]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_dates(self, info: ValidationInfo) -> Availability:
        if not _deferred(info):
            dates = [(index, item.date) for index, item in enumerate(self.exceptions)]
            problems = _date_problems(("availability", "exceptions"), dates, "exception", None)
            if problems:
                raise ValueError(problems[0][1])
        return self


class RunDay(Strict):
    date: DateValue
    kind: Annotated[RunKind, _word("run kind", RUN_KINDS)]
    distance: RunDistance = 0.0
    minutes: CrossMinutes = 0


ImportKind = Literal["rest", "easy", "long", "quality", "race", "cross", "skip"]
IMPORT_KINDS = (*RUN_KINDS, "skip")  # `skip`: the event is not a run


class ImportSpec(Strict):
    """`running.import` as a mapping: the file, and how to read it."""

    file: Annotated[str, _text(500)] = Field(
        description="The running plan (.ics or .csv), relative to the scenario file."
    )
    strict: bool = Field(
        default=False,
        description="Make every guess of the importer an error instead of a reported guess.",
    )
    kinds: dict[
        Annotated[str, _text(100), BeforeValidator(_title_words)],
        Annotated[ImportKind, _word("run kind", IMPORT_KINDS)],
    ] = Field(
        default_factory=dict,
        description="Title words -> the kind to read (or `skip`), before any other rule, "
        'e.g. {"Loading Up": skip, "Over and Unders": quality}.',
    )


def _title_words(value: Any) -> Any:
    """Words of an event title, not empty (an empty key would match every title)."""
    if isinstance(value, str) and not value.strip():
        raise ValueError("give the words of a title, e.g. Loading Up")
    return value.strip() if isinstance(value, str) else value


def _import_spec(value: Any) -> Any:
    """A plain path means `{file: PATH}`."""
    if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
        return {"file": str(value)}
    return value


ImportValue = Annotated[
    ImportSpec, BeforeValidator(_import_spec, json_schema_input_type=str | ImportSpec)
]


class Running(Strict):
    unit: Annotated[Literal["mi", "km"], _word("unit", ("mi", "km"))] = "km"
    weeks: list[dict[Weekday, RunValue]] | None = None
    days: list[RunDay] | None = None
    import_: ImportValue | None = Field(
        default=None,
        alias="import",
        description="A running plan to import: a path (plan.ics, plan.csv), or "
        "{file, strict, kinds}.",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_source(self, info: ValidationInfo) -> Running:
        if _deferred(info):
            return self
        given = {"weeks": self.weeks, "days": self.days, "import": self.import_}
        problems = _source_problems([key for key, value in given.items() if value is not None])
        if self.days is not None:
            dates = [(index, day.date) for index, day in enumerate(self.days)]
            problems += _date_problems(("running", "days"), dates, "run", None)
        if problems:
            raise ValueError(problems[0][1])
        return self


class Rules(Strict):
    """Coaching-rule values (COACHING_RULES.md defaults). The plan records the values used."""

    min_session_minutes: Annotated[int, _amount("minutes", 5, 180)] = 15
    hard_gap_days: Annotated[int, _amount("days", 1, 7)] = 2
    key_run_buffer_days: Annotated[int, _amount("days", 0, 3)] = 1
    plyo_contacts: dict[
        Annotated[str, _word("level", LEVELS)], Annotated[int, _amount("contacts", 0, 1000)]
    ] = Field(default_factory=lambda: dict(PLYO_CONTACTS))
    plyo_sessions_per_week: dict[
        Annotated[str, _word("level", LEVELS)], Annotated[int, _amount("sessions", 0, 7)]
    ] = Field(default_factory=lambda: dict(PLYO_SESSIONS_PER_WEEK))
    taper_max_sessions: Annotated[int, _amount("sessions", 0, 7)] = 2
    taper_volume: Annotated[float, _amount("", 0, 1, whole=False)] = 0.6
    race_hard_free_days: dict[
        Annotated[str, _word("race distance class", DISTANCE_CLASSES)],
        Annotated[int, _amount("days", 0, 60)],
    ] = Field(default_factory=lambda: dict(RACE_HARD_FREE_DAYS))
    race_recovery_days: dict[
        Annotated[str, _word("race distance class", DISTANCE_CLASSES)],
        Annotated[int, _amount("days", 0, 60)],
    ] = Field(default_factory=lambda: dict(RACE_RECOVERY_DAYS))
    max_loading_weeks: Annotated[int, _amount("weeks", 1, 12)] = 3
    deload_volume: Annotated[float, _amount("", 0, 1, whole=False)] = 0.7
    progression_weeks: Annotated[int, _amount("weeks", 0, 12)] = 3
    unilateral_share: Annotated[float, _amount("", 0, 1, whole=False)] = 0.5
    ramp: Annotated[float, _amount("", 1, 3, whole=False)] = 1.3
    ramp_extra_minutes: Annotated[int, _amount("minutes", 0, 120)] = 15
    strength_sets: dict[
        Annotated[str, _word("level", LEVELS)], Annotated[int, _amount("sets", 0, 40)]
    ] = Field(default_factory=lambda: dict(STRENGTH_SETS))
    full_session_minutes: Annotated[int, _amount("minutes", 0, 180)] = 30
    # R17: the solver may pair sets (A1/A2); `false` keeps every item done alone.
    paired_sets: bool = True
    strict: bool = False

    @field_validator("plyo_contacts")
    @classmethod
    def _plyo(cls, value: dict[str, int]) -> dict[str, int]:
        return PLYO_CONTACTS | value

    @field_validator("plyo_sessions_per_week")
    @classmethod
    def _plyo_sessions(cls, value: dict[str, int]) -> dict[str, int]:
        return PLYO_SESSIONS_PER_WEEK | value

    @field_validator("strength_sets")
    @classmethod
    def _strength_sets(cls, value: dict[str, int]) -> dict[str, int]:
        return STRENGTH_SETS | value

    @field_validator("race_hard_free_days")
    @classmethod
    def _race_days(cls, value: dict[str, int]) -> dict[str, int]:
        return RACE_HARD_FREE_DAYS | value

    @field_validator("race_recovery_days")
    @classmethod
    def _recovery_days(cls, value: dict[str, int]) -> dict[str, int]:
        return RACE_RECOVERY_DAYS | value


PIN_SESSIONS = ("none", "hard", "light")
ExerciseId = Annotated[str, _text(80)]


class Pin(Strict):
    """R18: a fixed day. `session: none` keeps it free; `hard` or `light` asks for a session
    of that kind; `exercises` for a session holding them (of either kind, or of the kind
    `session` names)."""

    date: DateValue
    session: (
        Annotated[Literal["none", "hard", "light"], _word("pinned session", PIN_SESSIONS)] | None
    ) = None
    exercises: Annotated[list[ExerciseId], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _what(self) -> Pin:
        if self.session is None and self.exercises is None:
            raise ValueError(
                "say what the day holds: `session: none | hard | light` or `exercises`"
            )
        if self.session == "none" and self.exercises:
            raise ValueError("a day pinned to `session: none` cannot hold `exercises`")
        return self


class Coach(Strict):
    """R18, the coach's say: exercises never used, exercises every loading mesocycle uses,
    exercises preferred while they cost at most `tolerance` of the benefit per minute, and
    fixed days."""

    exclude: list[ExerciseId] = Field(default_factory=list)
    include: list[ExerciseId] = Field(default_factory=list)
    prefer: list[ExerciseId] = Field(default_factory=list)
    tolerance: Annotated[float, _amount("", 0, 0.5, whole=False)] = 0.02
    pin: list[Pin] = Field(default_factory=list)

    @property
    def named(self) -> set[str]:
        """Every exercise the coach names for use (include, prefer, pinned)."""
        pinned = {e for pin in self.pin for e in pin.exercises or ()}
        return set(self.include) | set(self.prefer) | pinned

    def pins_by_date(self) -> dict[dt.date, Pin]:
        return {pin.date: pin for pin in self.pin}


class Scenario(Strict):
    format: Annotated[Literal[1], BeforeValidator(_format)] = 1
    name: Annotated[str, _text(200)] = "Training block"
    athlete: Athlete = Field(default_factory=Athlete)
    block: Block
    availability: Availability
    timezone: Annotated[str, BeforeValidator(_timezone)] | None = Field(
        default=None,
        description="The athlete's time zone (e.g. America/New_York): imported calendar "
        "events take their date in it.",
    )
    running: Running = Field(default_factory=Running)
    rules: Rules = Field(default_factory=Rules)
    objective: Annotated[
        Literal["efficiency", "total"], _word("objective", ("efficiency", "total"))
    ] = "efficiency"
    coach: Coach = Field(default_factory=Coach)

    @model_validator(mode="after")
    def _dates_match_block(self, info: ValidationInfo) -> Scenario:
        if _deferred(info):
            return self
        span = _span(self.block.start, self.block.weeks, self.block.end)
        problems = _weeks_problems(self.running.weeks, span)
        pins = [(index, pin.date) for index, pin in enumerate(self.coach.pin)]
        problems += _date_problems(("coach", "pin"), pins, "pin", span)
        problems += _coach_problems(self.coach.model_dump(), None)
        if self.running.days is not None:
            dates = [(index, day.date) for index, day in enumerate(self.running.days)]
            problems += _date_problems(("running", "days"), dates, "run", span)
        if problems:
            raise ValueError(problems[0][1])
        return self

    def runs_by_date(self) -> dict[dt.date, RunEntry]:
        """Every run of the block by date (rest days omitted)."""
        runs: dict[dt.date, RunEntry] = {}
        if self.running.weeks is not None:
            for index, week in enumerate(self.running.weeks):
                week_start = self.block.start + dt.timedelta(days=7 * index)
                for offset in range(7):
                    date = week_start + dt.timedelta(days=offset)
                    entry = week.get(WEEKDAYS[date.weekday()])
                    if entry is not None and entry.kind != "rest":
                        runs[date] = entry
        for day in self.running.days or []:
            if day.kind != "rest":
                runs[day.date] = RunEntry(kind=day.kind, distance=day.distance, minutes=day.minutes)
        return runs


# --- checks that span fields -----------------------------------------------------------------
# Each returns (location, message) pairs. The model validators raise the first one; the
# cross-field pass of `scenario_from_data` reports them all, whenever their inputs are valid.

Finding = tuple[Location, str]


@dataclass(frozen=True)
class _Span:
    start: dt.date
    last_day: dt.date
    weeks: int

    def __str__(self) -> str:
        return f"{self.start} to {self.last_day}"


def _span(start: dt.date, weeks: int | None, end: dt.date | None) -> _Span | None:
    """The block's dates, when its length fields are consistent."""
    if _span_problems(start, weeks, end):
        return None
    if weeks is not None:
        return _Span(start, start + dt.timedelta(days=7 * weeks - 1), weeks)
    assert end is not None
    return _Span(start, end, -(-((end - start).days + 1) // 7))


def _span_problems(start: dt.date, weeks: int | None, end: dt.date | None) -> list[Finding]:
    if weeks is None and end is None:
        return [(("block",), "give the block length: `weeks: N` or `end: YYYY-MM-DD`")]
    if end is None:
        return []
    where = ("block", "end")
    if end < start:
        return [
            (
                where,
                f"`end` ({end}) is before `start` ({start}); the block must end after it starts",
            )
        ]
    if weeks is not None:
        expected = start + dt.timedelta(days=7 * weeks - 1)
        if end != expected:
            return [
                (
                    where,
                    f"`weeks: {weeks}` from {start} ends on {expected}, but `end` is {end}; "
                    "give only one of `weeks` and `end`",
                )
            ]
        return []
    days = (end - start).days + 1
    if days > 7 * MAX_WEEKS:
        return [(where, f"the block is {days} days long; at most {MAX_WEEKS} weeks")]
    return []


def _date_problems(
    where: Location, dates: list[tuple[int, dt.date]], what: str, span: _Span | None
) -> list[Finding]:
    """Duplicate dates (naming the index of the repeat), and dates outside the block."""
    problems: list[Finding] = []
    first: dict[dt.date, int] = {}
    for index, date in dates:
        location = (*where, index, "date")
        if span is not None and not span.start <= date <= span.last_day:
            weeks = (date - span.start).days // 7 + 1
            fix = (
                f"`weeks: {weeks}` would include it"
                if date > span.last_day and weeks <= MAX_WEEKS
                else "the block dates must include it"
            )
            problems.append(
                (location, f"the {what} on {date} is outside the block ({span}); move it, or {fix}")
            )
        if date in first:
            problems.append(
                (
                    location,
                    f"{date} is listed twice (also at {format_location((*where, first[date]))}); "
                    f"one {what} per day",
                )
            )
        else:
            first[date] = index
    return problems


def _source_problems(given: list[str]) -> list[Finding]:
    if len(given) > 1:
        return [
            (
                ("running", given[1]),
                "give only one of `weeks`, `days` and `import`; "
                f"this file gives {' and '.join(given)}",
            )
        ]
    return []


def _weeks_problems(weeks: list[Any] | None, span: _Span | None) -> list[Finding]:
    if weeks is None or span is None or len(weeks) == span.weeks:
        return []
    return [
        (
            ("running", "weeks"),
            f"{len(weeks)} week{'s' if len(weeks) != 1 else ''} of runs, but the block has "
            f"{span.weeks} weeks ({span}); give one entry per block week "
            "(`{}` for a week without runs)",
        )
    ]


_DATE: TypeAdapter[dt.date] = TypeAdapter(DateValue)
_WEEKS: TypeAdapter[int] = TypeAdapter(WeeksValue)


def valid_or_none(adapter: TypeAdapter[Any], value: Any) -> Any:
    """The validated value, or None when it is invalid (the field pass reports why)."""
    if value is None:
        return None
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


def _dated_items(items: Any) -> list[tuple[int, dt.date]]:
    """(index, date) of every list item whose `date` is valid."""
    if not isinstance(items, list):
        return []
    found = []
    for index, item in enumerate(items):
        date = valid_or_none(_DATE, item.get("date")) if isinstance(item, dict) else None
        if date is not None:
            found.append((index, date))
    return found


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _coach_problems(coach: dict[str, Any], exercises: Iterable[str] | None) -> list[Finding]:
    """R18's ids: known to the catalog (when its ids are given), and never both excluded and
    asked for (included, preferred or pinned)."""
    problems: list[Finding] = []
    named: list[tuple[Location, Any]] = [
        (("coach", key, index), word)
        for key in ("exclude", "include", "prefer")
        if isinstance(coach.get(key), list)
        for index, word in enumerate(coach[key])
    ]
    for index, pin in enumerate(coach.get("pin") or []):
        if isinstance(pin, dict) and isinstance(pin.get("exercises"), list):
            named += [
                (("coach", "pin", index, "exercises", at), word)
                for at, word in enumerate(pin["exercises"])
            ]
    vocabulary = None if exercises is None else tuple(exercises)
    excluded = {w for where, w in named if where[1] == "exclude" and isinstance(w, str)}
    for where, word in named:
        if not isinstance(word, str):
            continue
        if vocabulary is not None and word not in vocabulary:
            hint = suggest(word, vocabulary) or " (`planner exercises` lists the catalog's ids)"
            problems.append((where, f'unknown exercise "{word}"{hint}'))
        elif where[1] != "exclude" and word in excluded:
            problems.append(
                (
                    where,
                    f'"{word}" is also in coach.exclude; a coach cannot both exclude it and '
                    f"ask for it",
                )
            )
    return problems


def cross_field_problems(
    data: dict[str, Any], tags: Iterable[str] | None, exercises: Iterable[str] | None = None
) -> list[Finding]:
    """Checks that span fields. `tags` and `exercises` are the catalog's vocabularies: when
    given, `athlete.avoid` and the coach's ids are checked against them."""
    problems: list[Finding] = []
    block = data.get("block")
    span = None
    if isinstance(block, dict):
        start = valid_or_none(_DATE, block.get("start"))
        weeks = valid_or_none(_WEEKS, block.get("weeks"))
        end = valid_or_none(_DATE, block.get("end"))
        lengths_valid = (weeks is not None or block.get("weeks") is None) and (
            end is not None or block.get("end") is None
        )
        if start is not None and lengths_valid:
            problems += _span_problems(start, weeks, end)
            span = _span(start, weeks, end)
        problems += _date_problems(
            ("block", "races"), _dated_items(block.get("races")), "race", span
        )

    availability = _section(data, "availability")
    exceptions = _dated_items(availability.get("exceptions"))
    problems += _date_problems(("availability", "exceptions"), exceptions, "exception", None)

    running = _section(data, "running")
    problems += _source_problems(
        [key for key in ("weeks", "days", "import") if running.get(key) is not None]
    )
    weeks_given = running.get("weeks")
    problems += _weeks_problems(weeks_given if isinstance(weeks_given, list) else None, span)
    problems += _date_problems(("running", "days"), _dated_items(running.get("days")), "run", span)

    coach = _section(data, "coach")
    problems += _date_problems(("coach", "pin"), _dated_items(coach.get("pin")), "pin", span)
    problems += _coach_problems(coach, exercises)

    avoid = _section(data, "athlete").get("avoid")
    if tags is not None and isinstance(avoid, list):
        vocabulary = tuple(tags)
        for index, tag in enumerate(avoid):
            if isinstance(tag, str) and tag not in vocabulary:
                message = unknown_word("tag", tag, vocabulary, SYNONYMS["tag"])
                problems.append((("athlete", "avoid", index), message))
    return problems
