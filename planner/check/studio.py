"""The studio's independent check (`planner check STUDIO.yaml DIR`): what `planner studio`
wrote, read back from its files alone and held to the studio file.

It reads the studio file, each member's plan file (`ID.json`) and `rosters.csv`, and shares
no code with the solver or the pipeline that made them. For every member with a plan:

- the plan against every coaching rule (the plan checker, `planner.check.checker`), under
  the member's studio scenario, derived here from the studio file (`studio_scenario`; the
  folder's `ID.scenario.yaml` is not trusted);
- each class session (a session marked `class`): the class is one of the studio's and one
  of the member's slots, held that date (its weekday, in the studio's block and the
  member's, not cancelled), no longer than the class, with the room's kit only, starting
  at the class's time;
- a session on one of the member's class weekdays not marked with a class (a class day is
  trained in class);
- at most `classes_per_week` class sessions in each week of the member's block.

Across the studio: no class date over its capacity, and `rosters.csv` against the plans both
ways. A member without a plan file is a note (an athlete who could not be placed), unless
`rosters.csv` books them.

Every finding names its kind (a rule id of the plan checker, or one of `KINDS`), the athlete,
the date and the class where it has them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from planner.check.checker import Violation, check_plan
from planner.domain.plan import DayPlan, Plan, Session
from planner.domain.studio import Member, Studio, StudioClass, studio_scenario
from planner.errors import InputError, Problem
from planner.io.studio_file import StudioFile
from planner.io.studio_folder import ROSTERS, RosterRow, load_plans, load_rosters, plan_file
from planner.vocabulary import WEEKDAY_NAMES, WEEKDAYS

# The studio's own findings (the plan checker's keep their rule ids: R1 ... R20, `plan`,
# `objective`).
CLASS_UNKNOWN = "class-unknown"
CLASS_SLOT = "class-slot"
CLASS_DATE = "class-date"
CLASS_CANCELLED = "class-cancelled"
CLASS_MINUTES = "class-minutes"
CLASS_KIT = "class-kit"
CLASS_START = "class-start"
CLASS_DAY = "class-day"
MEMBERSHIP = "membership"
CAPACITY = "capacity"
ROSTER_EXTRA = "roster-extra"
ROSTER_MISSING = "roster-missing"
ROSTER_MEMBER = "roster-member"
ROSTER_START = "roster-start"
NO_PLAN = "no-plan"  # a note, not a violation
KINDS = {
    CLASS_UNKNOWN: "a session marked with a class the studio does not have",
    CLASS_SLOT: "a class session in a class that is not one of the athlete's slots",
    CLASS_DATE: "a class session on a date the class is not held (another weekday, outside "
    "the studio's block or the athlete's)",
    CLASS_CANCELLED: "a class session on a date the class is cancelled",
    CLASS_MINUTES: "a class session longer than the class",
    CLASS_KIT: "a class session with an item needing kit the room does not have",
    CLASS_START: "a class session whose start is not the class's",
    CLASS_DAY: "a session on one of the athlete's class weekdays not held in a class",
    MEMBERSHIP: "more class sessions in a week than the athlete's classes_per_week",
    CAPACITY: "more athletes in a class date than its capacity",
    ROSTER_EXTRA: "a row of rosters.csv with no class session of that athlete, date and class",
    ROSTER_MISSING: "a class session with no row in rosters.csv",
    ROSTER_MEMBER: "a row of rosters.csv naming no athlete of the studio",
    ROSTER_START: "a row of rosters.csv whose start is not the class's",
    NO_PLAN: "an athlete with no plan file (not placed); a note",
}
BODYWEIGHT = "bodyweight"


@dataclass(frozen=True)
class StudioFinding:
    """One finding: its kind (a rule id or one of `KINDS`), a coach's message, and where it
    is: the athlete (by name), the date, the class; `week` for a finding about a whole
    week of the athlete's block (then `date` is the week's first day)."""

    kind: str
    message: str
    athlete: str | None = None
    date: dt.date | None = None
    class_id: str | None = None
    week: int | None = None

    def where(self) -> str:
        if self.week is not None:
            when = f"week {self.week}" + (f" (from {self.date})" if self.date else "")
        else:
            when = self.date.isoformat() if self.date else ""
        return " ".join(part for part in (self.kind, when, self.class_id or "") if part)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass(frozen=True)
class StudioCheck:
    studio: str
    members: int  # athletes in the studio file
    plans: int  # plan files checked
    violations: list[StudioFinding]
    notes: list[StudioFinding] = field(default_factory=list)  # no plan, missed dose targets

    @property
    def ok(self) -> bool:
        return not self.violations

    def found(self) -> set[tuple[str, dt.date | None]]:
        """(kind, date) of every violation."""
        return {(finding.kind, finding.date) for finding in self.violations}


@dataclass(frozen=True)
class ClassMark:
    """A session of a plan marked with a class (FORMATS.md: `"class": {"id", "start"}`)."""

    day: DayPlan
    session: Session
    class_id: str
    start: str

    @property
    def date(self) -> dt.date:
        return self.day.date


def class_marks(plan: Plan, file: str) -> tuple[list[ClassMark], list[Problem]]:
    """The plan's class sessions, and a problem for each `class` that is not
    `{"id": ..., "start": "HH:MM"}`."""
    marks: list[ClassMark] = []
    problems: list[Problem] = []
    for index, day in enumerate(plan.days):
        extra = (day.session.model_extra or {}) if day.session else {}
        if day.session is None or "class" not in extra:
            continue
        value = extra["class"]
        if (
            isinstance(value, dict)
            and isinstance(value.get("id"), str)
            and isinstance(value.get("start"), str)
        ):
            marks.append(ClassMark(day, day.session, value["id"], value["start"]))
        else:
            problems.append(
                Problem(f"days[{index}].session.class", 'expected {"id": CLASS, "start": '
                        '"HH:MM"}, e.g. {"id": "mon-0630", "start": "06:30"}', file)
            )  # fmt: skip
    return marks, problems


def _clock(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if len(text) == 5 else None
    except ValueError:
        return None


def _weekday_name(date: dt.date) -> str:
    return WEEKDAY_NAMES[date.weekday()]


class _StudioChecker:
    def __init__(self, read: StudioFile, plans: dict[str, Plan], rows: list[RosterRow]) -> None:
        self.studio: Studio = read.studio
        self.members = read.members
        self.plans = plans
        self.rows = rows
        self.by_class = self.studio.class_by_id()
        self.cancelled = {(item.date, item.class_) for item in self.studio.cancelled}
        self.kit = set(self.studio.kit) | {BODYWEIGHT}
        self.violations: list[StudioFinding] = []
        self.notes: list[StudioFinding] = []
        self.marks: dict[str, list[ClassMark]] = {}  # by member id

    def flag(self, kind: str, message: str, athlete: str | None = None,
             date: dt.date | None = None, class_id: str | None = None,
             week: int | None = None) -> None:  # fmt: skip
        self.violations.append(StudioFinding(kind, message, athlete, date, class_id, week))

    # --- each member ---------------------------------------------------------------------

    def check_member(self, member: Member, plan: Plan, marks: list[ClassMark]) -> None:
        self.marks[member.id] = marks
        self.check_rules(member, plan, marks)
        for mark in marks:
            self.check_class_session(member, mark)
        self.check_class_days(member, plan, marks)
        self.check_membership(member, marks)

    def week_start(self, member: Member, week: int) -> dt.date:
        return member.scenario.block.start + dt.timedelta(days=7 * (week - 1))

    def check_rules(self, member: Member, plan: Plan, marks: list[ClassMark]) -> None:
        """The plan checker under the member's studio scenario, derived from the studio file:
        every violation a finding of the athlete, every missed dose target a note."""
        report = check_plan(plan, studio_scenario(self.studio, member))
        classes = {mark.date: mark.class_id for mark in marks}

        def finding(found: Violation) -> StudioFinding:
            if found.date is not None:
                return StudioFinding(found.rule, found.message, member.name, found.date,
                                     classes.get(found.date))  # fmt: skip
            date = self.week_start(member, found.week) if found.week is not None else None
            return StudioFinding(found.rule, found.message, member.name, date, None, found.week)

        self.violations += [finding(found) for found in report.violations]
        self.notes += [finding(found) for found in report.missed]

    def not_held(self, member: Member, slot: StudioClass, date: dt.date) -> tuple[str, str] | None:
        """Why `slot` is not held for the member on `date` (kind, message), or None."""
        weekday = WEEKDAYS[date.weekday()]
        block = self.studio.block
        own = member.scenario.block
        if slot.day != weekday:
            day = WEEKDAY_NAMES[WEEKDAYS.index(slot.day)]
            return CLASS_DATE, f"{slot.id} meets on {day}s; {date} is a {_weekday_name(date)}"
        if not block.holds(date):
            return CLASS_DATE, (f"{date} is outside the studio's block ({block.start} to "
                                f"{block.last_day}); no class is held")  # fmt: skip
        if (date, slot.id) in self.cancelled:
            return CLASS_CANCELLED, f"{slot.id} is cancelled on {date}"
        if not own.start <= date <= own.last_day:
            return CLASS_DATE, (f"{date} is outside {member.name}'s block ({own.start} to "
                                f"{own.last_day})")  # fmt: skip
        return None

    def check_class_session(self, member: Member, mark: ClassMark) -> None:
        def flag(kind: str, message: str) -> None:
            self.flag(kind, message, member.name, mark.date, mark.class_id)

        slot = self.by_class.get(mark.class_id)
        if slot is None:
            known = ", ".join(self.by_class)
            flag(CLASS_UNKNOWN, f'"{mark.class_id}" is no class of the studio ({known})')
        else:
            slots = [held.id for held in self.studio.slots_of(member.athlete)]
            if slot.id not in slots:
                flag(CLASS_SLOT, f"{slot.id} is not one of {member.name}'s classes "
                     f"({', '.join(slots) or 'none'})")  # fmt: skip
            why = self.not_held(member, slot, mark.date)
            if why is not None:
                flag(*why)
            if mark.session.minutes > slot.minutes:
                flag(CLASS_MINUTES, f"a session of {mark.session.minutes} min in a class of "
                     f"{slot.minutes} min")  # fmt: skip
            if _clock(mark.start) != slot.start:
                flag(CLASS_START, f'the session starts at "{mark.start}"; {slot.id} starts at '
                     f"{slot.start:%H:%M}")  # fmt: skip
        for item in mark.session.items:
            missing = sorted(set(item.equipment) - self.kit)
            if missing:
                flag(CLASS_KIT, f"{item.exercise} needs {', '.join(missing)}; the room has "
                     f"{', '.join(self.studio.kit) or 'no kit'} (and bodyweight)")  # fmt: skip

    def check_class_days(self, member: Member, plan: Plan, marks: list[ClassMark]) -> None:
        """A session on one of the member's class weekdays is held in a class."""
        by_day: dict[str, list[str]] = defaultdict(list)
        for slot in self.studio.slots_of(member.athlete):
            by_day[slot.day].append(slot.id)
        marked = {mark.date for mark in marks}
        for day, _ in plan.sessions():
            classes = by_day.get(WEEKDAYS[day.date.weekday()])
            if classes and day.date not in marked:
                self.flag(
                    CLASS_DAY, f"a session on a {_weekday_name(day.date)}, {member.name}'s class "
                    f"day ({', '.join(classes)}), not held in a class", member.name, day.date,
                )  # fmt: skip

    def check_membership(self, member: Member, marks: list[ClassMark]) -> None:
        """At most `classes_per_week` class sessions in each week of the member's block."""
        limit = member.athlete.classes_per_week
        by_week: dict[int, list[ClassMark]] = defaultdict(list)
        for mark in sorted(marks, key=lambda mark: mark.date):
            by_week[(mark.date - member.scenario.block.start).days // 7 + 1].append(mark)
        for week, held in sorted(by_week.items()):
            if len(held) > limit:
                first = held[limit]
                dates = ", ".join(f"{mark.date} {mark.class_id}" for mark in held)
                self.flag(
                    MEMBERSHIP, f"{len(held)} classes in week {week} ({dates}); "
                    f"{member.name}'s membership is {limit} a week", member.name, first.date,
                    first.class_id,
                )  # fmt: skip

    # --- the studio ----------------------------------------------------------------------

    def check_capacity(self) -> None:
        """No class date holds more athletes (class sessions of the plans) than its
        capacity."""
        booked: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
        by_id = {member.id: member for member in self.members}
        for member_id, marks in self.marks.items():
            for mark in marks:
                booked[mark.date, mark.class_id].append(by_id[member_id].name)
        for (date, class_id), names in sorted(booked.items()):
            slot = self.by_class.get(class_id)
            if slot is None or slot.day != WEEKDAYS[date.weekday()]:
                continue  # no such class date: each session is flagged itself
            if not self.studio.block.holds(date) or (date, class_id) in self.cancelled:
                continue
            if len(names) > slot.capacity:
                self.flag(CAPACITY, f"{len(names)} athletes booked ({', '.join(names)}); the "
                          f"class holds {slot.capacity}", None, date, class_id)  # fmt: skip

    def check_rosters(self) -> None:
        """Each row of rosters.csv is a class session of a member's plan, and each class
        session has its row."""
        by_name = {member.name: member for member in self.members}
        names = {member.id: member.name for member in self.members}
        sessions = {
            (mark.date, mark.class_id, names[member_id])
            for member_id, marks in self.marks.items()
            for mark in marks
        }
        seen: dict[tuple[dt.date, str, str], int] = {}
        for row in self.rows:
            key = (row.date, row.class_id, row.athlete)
            member = by_name.get(row.athlete)
            where = f"{ROSTERS} line {row.line}"
            if member is None:
                self.flag(ROSTER_MEMBER, f'{where} books "{row.athlete}", no athlete of the '
                          "studio", None, row.date, row.class_id)  # fmt: skip
            elif member.id not in self.plans:
                self.flag(ROSTER_EXTRA, f"{where} books {member.name}, who has no plan "
                          f"({plan_file(Path(), member.id)})", member.name, row.date,
                          row.class_id)  # fmt: skip
            elif key in seen:
                self.flag(ROSTER_EXTRA, f"{where} books {member.name} again (also line "
                          f"{seen[key]})", member.name, row.date, row.class_id)  # fmt: skip
            elif key not in sessions:
                self.flag(ROSTER_EXTRA, f"{where} books {member.name}; their plan has no "
                          f"{row.class_id} session on {row.date}", member.name, row.date,
                          row.class_id)  # fmt: skip
            seen.setdefault(key, row.line)
            slot = self.by_class.get(row.class_id)
            if slot is not None and _clock(row.start) != slot.start:
                self.flag(ROSTER_START, f'{where} says {row.class_id} starts at "{row.start}"; '
                          f"it starts at {slot.start:%H:%M}", row.athlete if member else None,
                          row.date, row.class_id)  # fmt: skip
        for date, class_id, name in sorted(sessions - set(seen)):
            self.flag(ROSTER_MISSING, f"{name}'s plan holds {class_id} on {date}; {ROSTERS} "
                      "has no row for it", name, date, class_id)  # fmt: skip


def check_studio(read: StudioFile, folder: Path) -> StudioCheck:
    """Check the folder `planner studio` wrote for the studio `read` (see the module's
    docstring). Raises InputError naming the file and field of a folder that cannot be
    read: no rosters.csv, a malformed row, plan file or `class`."""
    folder = Path(folder)
    problems: list[Problem] = []
    rows: list[RosterRow] = []
    plans: dict[str, Plan] = {}
    try:
        rows = load_rosters(folder)
    except InputError as error:
        problems += error.problems
    if folder.is_dir():
        try:
            plans = load_plans(folder, [member.id for member in read.members])
        except InputError as error:
            problems += error.problems
    marks: dict[str, list[ClassMark]] = {}
    for member_id, plan in plans.items():
        marks[member_id], found = class_marks(plan, str(plan_file(folder, member_id)))
        problems += found
    if problems:
        raise InputError(problems)
    checker = _StudioChecker(read, plans, rows)
    for member in read.members:
        if member.id not in plans:
            checker.notes.append(
                StudioFinding(NO_PLAN, f"no plan file {plan_file(Path(), member.id)}: an athlete "
                              "the studio could not place (athletes.csv says why)", member.name)
            )  # fmt: skip
            continue
        checker.check_member(member, plans[member.id], marks[member.id])
    checker.check_capacity()
    checker.check_rosters()
    return StudioCheck(
        read.studio.name, len(read.members), len(plans), checker.violations, checker.notes
    )


Groups = list[tuple[str, list[StudioFinding]]]


def grouped(read: StudioFile, findings: list[StudioFinding]) -> Groups:
    """Findings under headings: each athlete (in the studio file's order), then each class
    date (in time order), then the rest; each group in date order."""
    by_athlete: dict[str, list[StudioFinding]] = defaultdict(list)
    by_class: dict[tuple[dt.date, str], list[StudioFinding]] = defaultdict(list)
    rest: list[StudioFinding] = []
    for finding in findings:
        if finding.athlete is not None:
            by_athlete[finding.athlete].append(finding)
        elif finding.date is not None and finding.class_id is not None:
            by_class[finding.date, finding.class_id].append(finding)
        else:
            rest.append(finding)

    def in_order(group: list[StudioFinding]) -> list[StudioFinding]:
        return sorted(group, key=lambda found: found.date or dt.date.min)

    groups = [(member.name, in_order(by_athlete.pop(member.name)))
              for member in read.members if member.name in by_athlete]  # fmt: skip
    groups += [(name, in_order(group)) for name, group in by_athlete.items()]
    groups += [
        (f"{class_id} on {_weekday_name(date)} {date}", in_order(by_class[date, class_id]))
        for date, class_id in sorted(by_class)
    ]
    if rest:
        groups.append(("studio", in_order(rest)))
    return groups
