"""The studio (FORMATS.md, "Studio file"): group classes at fixed weekly times in one room
with one kit, each class with a capacity, and the runners who come to them.

`Studio` is the file as validated data. Each of its athletes is a scenario (a scenario file,
or a squad-file entry written inline, which `planner.io.studio_file` reads) and a
membership: the slots they can attend, their classes a week, and whether they also train at
home. A `Member` joins the two once the scenario is read.

The helpers give a solver what it needs: the dates each class is held (its weekly slot on
every week of the block, minus the cancelled dates), the class dates a member may attend
(their slots, within their own block), and `studio_scenario`: a member's scenario under the
studio's situation, which every studio plan is solved and checked against.

Checks that span fields (class ids given twice, unknown class ids, cancelled dates) are in
`cross_field_problems`, which tells each at its field path; a Studio built in code raises
the first of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)

from planner.domain.scenario import (
    DEFER,
    MAX_DAY_MINUTES,
    DateValue,
    EquipmentWord,
    Scenario,
    Strict,
    Weekday,
    WeeksValue,
    amount,
    free_text,
    valid_or_none,
)
from planner.errors import Location, format_location
from planner.vocabulary import WEEKDAY_NAMES, WEEKDAYS, describe, unknown_word

STUDIO_FORMAT: Literal[1] = 1
MAX_CAPACITY = 500  # places in one class
MAX_CLASSES_PER_WEEK = 7  # a plan holds at most one session a day

Finding = tuple[Location, str]


# --- values --------------------------------------------------------------------------------


def _studio_format(value: Any) -> Any:
    if value == STUDIO_FORMAT and not isinstance(value, bool):
        return STUDIO_FORMAT
    raise ValueError(
        f"this planner reads studio format 1; got {describe(value)}; write `format: 1`"
    )


_CLASS_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


def _class_id(value: Any) -> Any:
    """A class id: a short word of letters, digits, `-` and `_` (it names files)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a class id such as mon-0630, got {describe(value)}")
    if not _CLASS_ID.fullmatch(value):
        raise ValueError(
            f'"{value}" is not a class id; write up to 40 letters, digits, `-` and `_`, '
            "e.g. mon-0630"
        )
    return value


_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")


def _clock(value: Any) -> Any:
    """A time of day written "HH:MM". YAML 1.1 reads 18:30 without quotes as a number of
    minutes (1110), so a number gets the quoted time it stands for as its fix."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
        raise ValueError(f'"{value}" is not a time of day; write "HH:MM", e.g. "06:30"')
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        written = "{:02d}:{:02d}".format(*divmod(value, 60))
        raise ValueError(
            f'expected a time as HH:MM in quotes, e.g. "{written}"; got {describe(value)} '
            f"(YAML reads {written} without quotes as a number of minutes)"
        )
    raise ValueError(f'expected a time as HH:MM in quotes, e.g. "06:30"; got {describe(value)}')


ClassId = Annotated[str, BeforeValidator(_class_id)]
ClockTime = Annotated[dt.time, BeforeValidator(_clock)]


# --- the studio ----------------------------------------------------------------------------


class StudioBlock(Strict):
    """The studio's planning window: `weeks` weeks from `start`."""

    start: DateValue
    weeks: WeeksValue

    @property
    def last_day(self) -> dt.date:
        return self.start + dt.timedelta(days=7 * self.weeks - 1)

    def holds(self, date: dt.date) -> bool:
        return self.start <= date <= self.last_day

    def week_of(self, date: dt.date) -> int:
        """The block week of `date`, 0 for the first (the date must be in the block)."""
        return (date - self.start).days // 7


class StudioClass(Strict):
    """A weekly class slot: held every `day` at `start`, for `minutes`, with `capacity`
    places."""

    id: ClassId = Field(description="names the class in athletes' lists, rosters and files")
    day: Weekday
    start: ClockTime = Field(description='the time the class starts, "HH:MM"')
    minutes: Annotated[int, amount("minutes", 1, MAX_DAY_MINUTES)]
    capacity: Annotated[int, amount("places", 1, MAX_CAPACITY)]


class Cancellation(Strict):
    """One class not held on one date."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    date: DateValue
    class_: ClassId = Field(alias="class")


class StudioAthlete(Strict):
    """An athlete's membership. The athlete's scenario is the file `scenario` (relative to
    the studio file) or, without it, the squad-file fields written inline beside these
    (`planner.io.studio_file` reads them; `name` is then required)."""

    scenario: Annotated[str, free_text(500)] | None = Field(
        default=None, description="the athlete's scenario file, relative to the studio file"
    )
    name: Annotated[str, free_text(200)] | None = Field(
        default=None,
        description="names the athlete's plan files; default: the scenario's athlete name",
    )
    classes: list[ClassId] | None = Field(
        default=None, description="the slots this athlete can attend (default: all)"
    )
    classes_per_week: Annotated[
        int,
        amount("classes", 1, MAX_CLASSES_PER_WEEK, note=" (one session a day at most)"),
    ] = Field(default=2, description="their membership: at most this many classes a week")
    home: bool = Field(
        default=False,
        description="may also train on other days with the scenario's own availability and kit",
    )
    joined: DateValue | None = Field(
        default=None,
        description="a newcomer's first day in the studio: no session before it, and their "
        "weeks before it are time off (R12's ramp starts fresh, as after a holiday)",
    )


@dataclass(frozen=True)
class ClassDate:
    """One class held on one date."""

    date: dt.date
    slot: StudioClass

    @property
    def class_id(self) -> str:
        return self.slot.id

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.slot.start)

    @property
    def ends(self) -> dt.datetime:
        return self.starts + dt.timedelta(minutes=self.slot.minutes)


class Studio(Strict):
    """The studio file (`format: 1`)."""

    format: Annotated[Literal[1], BeforeValidator(_studio_format)] = STUDIO_FORMAT
    name: Annotated[str, free_text(200)] = "Studio"
    block: StudioBlock
    kit: list[EquipmentWord] = Field(default_factory=list, description="what every class can use")
    classes: list[StudioClass] = Field(min_length=1, description="the weekly class slots")
    cancelled: list[Cancellation] = Field(
        default_factory=list, description="one class not held on one date"
    )
    athletes: list[StudioAthlete] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Studio:
        if info.context and any(info.context.get(key) for key in DEFER):
            return self  # the loader runs `cross_field_problems` itself, to tell them all
        problems = cross_field_problems(self.model_dump(by_alias=True))
        if problems:
            location, message = problems[0]
            raise ValueError(f"{format_location(location)}: {message}")
        return self

    def class_by_id(self) -> dict[str, StudioClass]:
        return {slot.id: slot for slot in self.classes}

    def slots_of(self, athlete: StudioAthlete) -> tuple[StudioClass, ...]:
        """The weekly slots `athlete` may attend: those they list, or every class."""
        if athlete.classes is None:
            return tuple(self.classes)
        by_id = self.class_by_id()
        return tuple(by_id[class_id] for class_id in athlete.classes)

    def class_dates(self, class_ids: Iterable[str] | None = None) -> list[ClassDate]:
        """Every class held in the block, in time order: each weekly slot (of `class_ids`,
        or all) on its weekday of every week, except the cancelled dates."""
        wanted = None if class_ids is None else set(class_ids)
        cancelled = {(item.date, item.class_) for item in self.cancelled}
        held = []
        for offset in range(7 * self.block.weeks):
            date = self.block.start + dt.timedelta(days=offset)
            weekday = WEEKDAYS[date.weekday()]
            for slot in self.classes:
                if slot.day != weekday or (date, slot.id) in cancelled:
                    continue
                if wanted is None or slot.id in wanted:
                    held.append(ClassDate(date, slot))
        return sorted(held, key=lambda held_class: (held_class.starts, held_class.class_id))

    def class_dates_for(self, member: Member) -> list[ClassDate]:
        """The class dates `member` may attend: their slots, within their own block."""
        first, last = member.scenario.block.start, member.scenario.block.last_day
        slots = [slot.id for slot in self.slots_of(member.athlete)]
        return [held for held in self.class_dates(slots) if first <= held.date <= last]


def studio_scenario(studio: Studio, member: Member) -> Scenario:
    """The member's scenario under the studio's situation: a weekday with a class they may
    attend is a class day (the class's minutes, the room's kit; with two such classes on
    one date, the longer's minutes of those held), and a class date not held, or one their
    own availability leaves at 0 minutes (away), offers nothing. With `home`, their other days
    keep their own minutes and kit; without, they offer nothing. Before the day a newcomer
    `joined`, no day offers anything (time off, as a holiday). The rest of the scenario
    (running, races, rules, the coach's say, the weekly cap) is theirs."""
    scenario = member.scenario
    data = scenario.model_dump(mode="python", by_alias=True, exclude_none=True)
    own = scenario.availability
    class_minutes: dict[str, int] = {}
    for slot in studio.slots_of(member.athlete):
        class_minutes[slot.day] = max(class_minutes.get(slot.day, 0), slot.minutes)
    home_days = [day for day in WEEKDAYS if day not in class_minutes] if member.athlete.home else []
    weekly = class_minutes | {day: own.weekly[day] for day in home_days if own.weekly.get(day)}
    own_kit = list(scenario.athlete.equipment)
    kit = {day: list(studio.kit) for day in class_minutes} | {
        day: sorted(set(own_kit) | set(own.equipment_by_day.get(day, []))) for day in weekly
        if day not in class_minutes
    }  # fmt: skip
    held: dict[dt.date, int] = {}  # a class date -> the longest of their classes held then
    for held_class in studio.class_dates_for(member):
        held[held_class.date] = max(held.get(held_class.date, 0), held_class.slot.minutes)
    exceptions = {}
    for item in own.exceptions:
        weekday = WEEKDAYS[item.date.weekday()]
        if (weekday in class_minutes and item.minutes == 0) or weekday in home_days:
            exceptions[item.date] = item.minutes
    first, last = scenario.block.start, scenario.block.last_day
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        weekday = WEEKDAYS[date.weekday()]
        if member.athlete.joined is not None and date < member.athlete.joined:
            exceptions[date] = 0  # not in the studio yet: time off
        elif weekday in class_minutes and held.get(date, 0) < class_minutes[weekday]:
            exceptions[date] = 0 if exceptions.get(date) == 0 else held.get(date, 0)
    data["athlete"]["equipment"] = []
    data["availability"] = {
        "weekly": weekly,
        **({"max_per_week": own.max_per_week} if own.max_per_week is not None else {}),
        "exceptions": [{"date": date, "minutes": exceptions[date]} for date in sorted(exceptions)],
        "equipment_by_day": {day: words for day, words in kit.items() if words},
    }
    return Scenario.model_validate(data)


@dataclass(frozen=True)
class Member:
    """An athlete of the studio: their scenario (read from their file or their inline entry)
    and their membership."""

    index: int  # in the studio's `athletes`
    id: str  # names the athlete's files: ID.json
    name: str
    scenario: Scenario
    athlete: StudioAthlete


# --- checks that span fields ---------------------------------------------------------------

_DATE: TypeAdapter[dt.date] = TypeAdapter(DateValue)
_CLASS: TypeAdapter[str] = TypeAdapter(ClassId)
_WEEKDAY: TypeAdapter[str] = TypeAdapter(Weekday)
_BLOCK: TypeAdapter[StudioBlock] = TypeAdapter(StudioBlock)
_BOOL: TypeAdapter[bool] = TypeAdapter(bool)


def _items(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) of each mapping in the list `data[key]`."""
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def cross_field_problems(data: dict[str, Any]) -> list[Finding]:
    """The checks that span fields, on the file's data: each class id once; the cancelled
    classes and the athletes' classes known; a cancelled date in the block and on its
    class's weekday. A check runs wherever its inputs are valid, so that every problem is
    told at once."""
    days: dict[str, str | None] = {}  # class id -> its weekday (None: not valid)
    problems: list[Finding] = []
    first: dict[str, int] = {}
    for index, slot in _items(data, "classes"):
        class_id = valid_or_none(_CLASS, slot.get("id"))
        if class_id is None:
            continue
        if class_id in first:
            problems.append(
                (("classes", index, "id"), f'"{class_id}" is also the id of '
                 f"classes[{first[class_id]}]; give each class its own id")
            )  # fmt: skip
            continue
        first[class_id] = index
        days[class_id] = valid_or_none(_WEEKDAY, slot.get("day"))
    known = tuple(days)
    problems += _cancelled_problems(data, days)
    block = valid_or_none(_BLOCK, data.get("block"))
    for index, athlete in _items(data, "athletes"):
        problems += _athlete_problems(athlete, ("athletes", index), known, block)
    return problems


def _cancelled_problems(data: dict[str, Any], days: dict[str, str | None]) -> list[Finding]:
    block = valid_or_none(_BLOCK, data.get("block"))
    problems: list[Finding] = []
    first: dict[tuple[dt.date, str], int] = {}
    for index, item in _items(data, "cancelled"):
        where: Location = ("cancelled", index)
        class_id = valid_or_none(_CLASS, item.get("class"))
        date = valid_or_none(_DATE, item.get("date"))
        if class_id is not None and days and class_id not in days:
            problems.append(((*where, "class"), unknown_word("class", class_id, days)))
        if date is None:
            continue
        if block is not None and not block.holds(date):
            problems.append(
                ((*where, "date"), f"{date} is outside the studio's block "
                 f"({block.start} to {block.last_day}); cancel only dates of the block")
            )  # fmt: skip
        day = days.get(class_id) if class_id is not None else None
        weekday = WEEKDAYS[date.weekday()]
        if day is not None and day != weekday:
            problems.append(
                ((*where, "date"), f"{date} is a {WEEKDAY_NAMES[date.weekday()]}, and class "
                 f"{class_id} meets on {WEEKDAY_NAMES[WEEKDAYS.index(day)]}s; give a date "
                 "the class is held")
            )  # fmt: skip
        if class_id is not None:
            if (date, class_id) in first:
                problems.append(
                    ((*where, "date"), f"class {class_id} on {date} is cancelled twice "
                     f"(also at cancelled[{first[(date, class_id)]}]); keep one")
                )  # fmt: skip
            first.setdefault((date, class_id), index)
    return problems


def _athlete_problems(
    athlete: dict[str, Any], where: Location, known: tuple[str, ...], block: StudioBlock | None
) -> list[Finding]:
    problems: list[Finding] = []
    joined = valid_or_none(_DATE, athlete.get("joined"))
    if joined is not None and block is not None and not block.holds(joined):
        problems.append(
            ((*where, "joined"), f"{joined} is outside the studio's block ({block.start} to "
             f"{block.last_day}); give the first day they come, within the block")
        )  # fmt: skip
    classes = athlete.get("classes")
    if not isinstance(classes, list):
        return problems
    listed: dict[str, int] = {}
    for position, value in enumerate(classes):
        class_id = valid_or_none(_CLASS, value)
        if class_id is None:
            continue
        if known and class_id not in known:
            problems.append(((*where, "classes", position), unknown_word("class", class_id, known)))
        elif class_id in listed:
            problems.append(
                ((*where, "classes", position), f"{class_id} is listed twice "
                 f"(also at classes[{listed[class_id]}]); keep one")
            )  # fmt: skip
        listed.setdefault(class_id, position)
    if not classes and valid_or_none(_BOOL, athlete.get("home")) is not True:
        problems.append(
            ((*where, "classes"), "no classes and no training at home leave nothing to plan; "
             "list the classes this athlete can attend, or set `home: true`")
        )  # fmt: skip
    return problems
