"""The scenario file (FORMATS.md, `format: 1`) as validated pydantic models.

`load_scenario` reads a YAML file and either returns a `Scenario` or raises `InputError`
with one `Problem` per mistake, each naming the field path and its line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from planner.errors import InputError, Problem
from planner.vocabulary import (
    EQUIPMENT,
    RACE_DISTANCES,
    RUN_KINDS,
    TARGETS,
    WEEKDAYS,
    suggest,
    unknown_word,
)
from planner.yamlio import SourceMap, format_location, load_yaml, parse_yaml

Level = Literal["novice", "intermediate", "advanced"]
MAX_WEEKS = 104
MAX_DAY_MINUTES = 300
MAX_RUN_KM = 250.0


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunEntry(Strict):
    """One day's run: kind, distance in the plan's unit, and minutes for cross-training."""

    kind: Literal["rest", "easy", "long", "quality", "race", "cross"]
    distance: float = Field(default=0.0, ge=0)
    minutes: int = Field(default=0, ge=0, le=1440)

    @property
    def is_key(self) -> bool:
        return self.kind in ("long", "quality", "race")


REST = RunEntry(kind="rest")
_ENTRY = re.compile(r"^(?:(?P<kind>[a-z_]+)\s+)?(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>min)?$")


def parse_run_entry(value: Any) -> RunEntry:
    """Parse the run-entry syntax: `5`, `long 16`, `quality 6`, `race 26.2`, `cross 60min`, `rest`."""
    if isinstance(value, RunEntry):
        return value
    if isinstance(value, dict):
        return RunEntry.model_validate(value)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected a run such as 5, `long 16` or `rest`, got {value!r}")
    if isinstance(value, int | float):
        return _checked(RunEntry(kind="easy", distance=float(value)) if value > 0 else REST)
    text = str(value).strip().lower()
    if text in ("rest", "off", "0"):
        return REST
    match = _ENTRY.match(text)
    if not match:
        words = text.split()
        if words and words[0] not in RUN_KINDS:
            raise ValueError(unknown_word("run kind", words[0], RUN_KINDS))
        raise ValueError(
            f'"{value}" is not a run: write a distance (`5`), `KIND DISTANCE` (`long 16`, '
            "`quality 6`, `race 26.2`), `cross 60min` or `rest`"
        )
    kind = match["kind"] or "easy"
    amount = float(match["amount"])
    if kind not in RUN_KINDS:
        raise ValueError(unknown_word("run kind", kind, RUN_KINDS))
    if kind == "cross" or match["unit"]:
        if kind != "cross":
            raise ValueError(f'"{value}": minutes are only for `cross`, e.g. `cross 60min`')
        return RunEntry(kind="cross", minutes=int(amount))
    if kind == "rest":
        return REST
    return _checked(RunEntry(kind=kind, distance=amount))  # type: ignore[arg-type]


def _checked(entry: RunEntry) -> RunEntry:
    if entry.distance > MAX_RUN_KM:
        raise ValueError(f"a run of {entry.distance:g} is not plausible (at most {MAX_RUN_KM:g})")
    return entry


RunValue = Annotated[RunEntry, BeforeValidator(parse_run_entry)]


def _check_keys(mapping: dict[str, Any], kind: str, choices: tuple[str, ...]) -> dict[str, Any]:
    for key in mapping:
        if key not in choices:
            raise ValueError(unknown_word(kind, key, choices))
    return mapping


def _check_words(words: list[str], kind: str, choices: tuple[str, ...]) -> list[str]:
    for word in words:
        if word not in choices:
            raise ValueError(unknown_word(kind, word, choices))
    return words


class Athlete(Strict):
    name: str = Field(default="Athlete", max_length=200)
    level: Level = "intermediate"
    equipment: list[str] = Field(default_factory=list)
    focus: dict[str, int] = Field(default_factory=dict)
    avoid: list[str] = Field(default_factory=list)

    @field_validator("equipment")
    @classmethod
    def _known_equipment(cls, value: list[str]) -> list[str]:
        return _check_words(value, "equipment", EQUIPMENT)

    @field_validator("focus")
    @classmethod
    def _known_targets(cls, value: dict[str, int]) -> dict[str, int]:
        _check_keys(value, "focus target", TARGETS)
        for target, weight in value.items():
            if not 0 <= weight <= 5:
                raise ValueError(f"focus {target} is {weight}; expected 0 to 5")
        return value

    def focus_weight(self, target: str) -> int:
        return self.focus.get(target, 1)


class Race(Strict):
    date: dt.date
    distance: str | float
    priority: Literal["A", "B"] = "A"

    @field_validator("distance")
    @classmethod
    def _known_distance(cls, value: str | float) -> str | float:
        if isinstance(value, str) and value not in RACE_DISTANCES:
            try:
                value = float(value.removesuffix("km"))
            except ValueError:
                raise ValueError(
                    unknown_word("race distance", value, RACE_DISTANCES) + " or a number of km"
                ) from None
        if isinstance(value, float | int) and not 1 <= value <= 400:
            raise ValueError(f"a race of {value} km is not plausible")
        return value

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
    start: dt.date
    weeks: int | None = Field(default=None, ge=1, le=MAX_WEEKS)
    end: dt.date | None = None
    races: list[Race] = Field(default_factory=list)

    @model_validator(mode="after")
    def _length(self) -> Block:
        if self.weeks is None and self.end is None:
            raise ValueError("give either `weeks` or `end`")
        if self.weeks is not None and self.end is not None:
            expected_end = self.start + dt.timedelta(days=7 * self.weeks - 1)
            if self.end != expected_end:
                raise ValueError(
                    f"`weeks: {self.weeks}` ends on {expected_end}, but `end` is {self.end}; "
                    "give one of them"
                )
        if self.end is not None:
            if self.end < self.start:
                raise ValueError(f"`end` ({self.end}) is before `start` ({self.start})")
            days = (self.end - self.start).days + 1
            if days > 7 * MAX_WEEKS:
                raise ValueError(f"the block is {days} days; at most {MAX_WEEKS} weeks")
        seen: set[dt.date] = set()
        for race in self.races:
            if not self.start <= race.date <= self.last_day:
                raise ValueError(
                    f"the race on {race.date} is outside the block ({self.start} to "
                    f"{self.last_day})"
                )
            if race.date in seen:
                raise ValueError(f"two races on {race.date}")
            seen.add(race.date)
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
    date: dt.date
    minutes: int = Field(ge=0, le=MAX_DAY_MINUTES)


class Availability(Strict):
    weekly: dict[str, int] = Field(default_factory=dict)
    max_per_week: int | None = Field(default=None, ge=0, le=7 * MAX_DAY_MINUTES)
    exceptions: list[Exception_] = Field(default_factory=list)
    equipment_by_day: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("weekly")
    @classmethod
    def _weekly(cls, value: dict[str, int]) -> dict[str, int]:
        _check_keys(value, "weekday", WEEKDAYS)
        for day, minutes in value.items():
            if not 0 <= minutes <= MAX_DAY_MINUTES:
                raise ValueError(f"{day}: {minutes} minutes; expected 0 to {MAX_DAY_MINUTES}")
        return value

    @field_validator("equipment_by_day")
    @classmethod
    def _equipment_by_day(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _check_keys(value, "weekday", WEEKDAYS)
        for words in value.values():
            _check_words(words, "equipment", EQUIPMENT)
        return value

    @field_validator("exceptions")
    @classmethod
    def _unique_dates(cls, value: list[Exception_]) -> list[Exception_]:
        dates = [item.date for item in value]
        for date in dates:
            if dates.count(date) > 1:
                raise ValueError(f"{date} is listed twice")
        return value


class RunDay(Strict):
    date: dt.date
    kind: Literal["rest", "easy", "long", "quality", "race", "cross"]
    distance: float = Field(default=0.0, ge=0, le=MAX_RUN_KM)
    minutes: int = Field(default=0, ge=0, le=1440)


class Running(Strict):
    unit: Literal["mi", "km"] = "km"
    weeks: list[dict[str, RunValue]] | None = None
    days: list[RunDay] | None = None
    import_: str | None = Field(default=None, alias="import")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("weeks")
    @classmethod
    def _weekdays(cls, value: list[dict[str, RunEntry]] | None) -> Any:
        for week in value or []:
            _check_keys(week, "weekday", WEEKDAYS)
        return value

    @field_validator("days")
    @classmethod
    def _unique_days(cls, value: list[RunDay] | None) -> list[RunDay] | None:
        seen: set[dt.date] = set()
        for day in value or []:
            if day.date in seen:
                raise ValueError(f"{day.date} is listed twice")
            seen.add(day.date)
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Running:
        given = [self.weeks is not None, self.days is not None, self.import_ is not None]
        if sum(given) > 1:
            raise ValueError("give only one of `weeks`, `days` and `import`")
        return self


class Rules(Strict):
    """Coaching-rule values (COACHING_RULES.md defaults). The plan records the values used."""

    min_session_minutes: int = Field(default=15, ge=5, le=180)
    hard_gap_days: int = Field(default=2, ge=1, le=7)
    key_run_buffer_days: int = Field(default=1, ge=0, le=3)
    plyo_contacts: dict[str, int] = Field(
        default_factory=lambda: {"novice": 80, "intermediate": 100, "advanced": 120}
    )
    taper_max_sessions: int = Field(default=2, ge=0, le=7)
    taper_volume: float = Field(default=0.6, ge=0, le=1)
    race_hard_free_days: dict[str, int] = Field(
        default_factory=lambda: {"marathon": 10, "half": 7, "shorter": 5}
    )
    max_loading_weeks: int = Field(default=3, ge=1, le=12)
    deload_volume: float = Field(default=0.7, ge=0, le=1)
    unilateral_share: float = Field(default=0.5, ge=0, le=1)
    ramp: float = Field(default=1.3, ge=1, le=3)
    strict: bool = False

    @field_validator("plyo_contacts", mode="before")
    @classmethod
    def _plyo(cls, value: Any) -> Any:
        if isinstance(value, dict):
            _check_keys(value, "level", ("novice", "intermediate", "advanced"))
            return {"novice": 80, "intermediate": 100, "advanced": 120} | value
        return value

    @field_validator("race_hard_free_days", mode="before")
    @classmethod
    def _race_days(cls, value: Any) -> Any:
        if isinstance(value, dict):
            _check_keys(value, "race distance class", ("marathon", "half", "shorter"))
            return {"marathon": 10, "half": 7, "shorter": 5} | value
        return value


class Scenario(Strict):
    format: Literal[1] = 1
    name: str = Field(default="Training block", max_length=200)
    athlete: Athlete = Field(default_factory=Athlete)
    block: Block
    availability: Availability
    running: Running = Field(default_factory=Running)
    rules: Rules = Field(default_factory=Rules)
    objective: Literal["efficiency", "total"] = "efficiency"

    @model_validator(mode="after")
    def _running_matches_block(self) -> Scenario:
        weeks = self.running.weeks
        if weeks is not None and len(weeks) != self.block.n_weeks:
            raise ValueError(
                f"running.weeks has {len(weeks)} weeks but the block has {self.block.n_weeks}; "
                "give one entry per block week"
            )
        for day in self.running.days or []:
            if not self.block.start <= day.date <= self.block.last_day:
                raise ValueError(
                    f"running.days: {day.date} is outside the block ({self.block.start} to "
                    f"{self.block.last_day})"
                )
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


# --- loading -------------------------------------------------------------------------------


def _message(error: dict[str, Any], location: tuple[Any, ...]) -> str:
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        field = location[-1]
        parent = _model_at(location[:-1])
        known = tuple(parent.model_fields) if parent else ()
        aliases = [info.alias or name for name, info in (parent.model_fields if parent else {}).items()]
        return f'unknown field "{field}"' + (suggest(str(field), aliases or known) or "")
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        got = error.get("input")
        return f'"{got}" is not allowed; {message[0].lower()}{message[1:]}'
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return f"{message} (got {error.get('input')!r})"
    if kind.startswith("date"):
        return f"{message}; write dates as YYYY-MM-DD (got {error.get('input')!r})"
    return message


_SECTIONS: dict[str, type[BaseModel]] = {
    "athlete": Athlete,
    "block": Block,
    "availability": Availability,
    "running": Running,
    "rules": Rules,
}


def _model_at(location: tuple[Any, ...]) -> type[BaseModel] | None:
    if not location:
        return Scenario
    if len(location) == 1:
        return _SECTIONS.get(str(location[0]))
    if location[0] == "block" and location[1] == "races":
        return Race
    if location[0] == "availability" and location[1] == "exceptions":
        return Exception_
    if location[0] == "running" and location[1] == "days":
        return RunDay
    return None


def _clean_location(location: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's internal steps (union members, function names) from a location."""
    cleaned: list[str | int] = []
    for part in location:
        if isinstance(part, str) and (
            part.startswith("function-") or part in ("str", "float", "int", "[key]")
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def problems_from(error: ValidationError, source: SourceMap) -> list[Problem]:
    """One Problem per pydantic error, with the field path and YAML line."""
    problems = []
    for item in error.errors():
        location = _clean_location(tuple(item["loc"]))
        location = tuple("import" if part == "import_" else part for part in location)
        problems.append(
            Problem(
                format_location(location),
                _message(item, location),
                source.file,
                source.line_of(location),
            )
        )
    return problems


def scenario_from_data(data: Any, source: SourceMap | None = None) -> Scenario:
    """Validate already-parsed data into a Scenario, or raise InputError."""
    source = source or SourceMap()
    if not isinstance(data, dict):
        raise InputError(
            [Problem("", "expected a mapping of scenario fields (format, block, ...)", source.file, 1)]
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from(error, source)) from None
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; imports of running plans resolve beside it."""
    path = Path(path)
    data, source = load_yaml(path)
    scenario = scenario_from_data(data, source)
    if scenario.running.import_ is not None:
        from planner.running_import import import_running_plan

        days = import_running_plan(path.parent / scenario.running.import_, scenario)
        running = scenario.running.model_copy(update={"days": days, "import_": None})
        scenario = scenario.model_copy(update={"running": running})
    return scenario


def scenario_from_text(text: str, name: str | None = None) -> Scenario:
    data, source = parse_yaml(text, SourceMap(name))
    return scenario_from_data(data, source)
