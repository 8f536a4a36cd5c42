"""What the room does on one class date (the data of a class sheet), and how much of the
studio's classes the room does together.

On a class date each attendee brings the session of their own plan. The room's plan reads
those sessions by the method's template (COACHING_RULES.md): its blocks in order, mobility,
power, strength, accessory and core (the items' `category`), each as long as the most any
attendee spends on it (the sum of their items' own minutes; a pair, R17, done together takes
less), and for each position in a block the room's exercise: the one most attendees do at
that position, ties broken by name. An exercise is the room's at one position only, so a
later position takes the most done there among the others.

An attendee's item is the room's when its exercise is one of its block's room exercises,
wherever in the block they do it (the order within a block is theirs); else it is their own
variant. A variant says why when the data tells, against the room's exercise at its
position: that exercise is above the athlete's level (R9), needs kit they lack or has a tag
they avoid (R10), their coach excludes it (R18), or it is plyometric and their week's
plyometric sessions are spent elsewhere (R5); or their coach asks for their own exercise
(R18). Otherwise it is "their plan's choice".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from planner.domain.catalog import Catalog, Exercise
from planner.domain.plan import DayPlan, Item, Plan, Session, class_of
from planner.domain.scenario import Scenario
from planner.domain.studio import ClassDate
from planner.io.catalog_file import default_catalog
from planner.pipeline.studio import AthletePlan, Seat, StudioPlan
from planner.solver.problem import unusable

TEMPLATE = ("mobility", "power", "strength", "accessory", "core")  # the blocks, in order
PLAN_CHOICE = "their plan's choice"
PLYOMETRIC = "plyometric"  # the catalog tag of a plyometric exercise (R5)


@dataclass(frozen=True)
class AttendeeItem:
    """One item of an attendee's session: the room's exercise, or their own variant of
    `instead_of` (the room's exercise at its position, when there is one) and why."""

    item: Item
    room: bool
    instead_of: str = ""  # the room's exercise (its name) this item stands in for
    reason: str = ""  # why a variant; "" for the room's exercise


@dataclass(frozen=True)
class Attendee:
    """An athlete in the room: their session on the class date, its items marked."""

    athlete: AthletePlan
    day: DayPlan
    session: Session
    items: tuple[AttendeeItem, ...]  # in the session's order

    @property
    def id(self) -> str:
        return self.athlete.member.id

    @property
    def name(self) -> str:
        return self.athlete.member.name


@dataclass(frozen=True)
class RoomExercise:
    """The room's exercise at one position of a block, and how many attendees do it there
    or elsewhere in the block."""

    exercise: str  # the catalog id
    name: str
    doing: int


@dataclass(frozen=True)
class Block:
    """One block of the template as the room does it."""

    category: str
    minutes: int  # the most any attendee spends on it (their items' own minutes)
    room: tuple[RoomExercise, ...]  # by position
    items: Mapping[str, tuple[AttendeeItem, ...]]  # by athlete id: their items in it

    @property
    def room_items(self) -> int:
        """Attendee-items doing one of the room's exercises."""
        return sum(marked.room for items in self.items.values() for marked in items)

    @property
    def all_items(self) -> int:
        return sum(len(items) for items in self.items.values())


@dataclass(frozen=True)
class RoomPlan:
    """What the room does on one class date."""

    held: ClassDate
    attendees: tuple[Attendee, ...]  # in the roster's order
    blocks: tuple[Block, ...]  # in template order, the blocks any attendee holds
    waitlist: tuple[tuple[str, str, float], ...]  # (athlete id, name, the seat's worth)

    @property
    def capacity(self) -> int:
        return self.held.slot.capacity


def template_order(categories: set[str]) -> list[str]:
    """The categories in the template's order (any other after them, by name)."""
    return [c for c in TEMPLATE if c in categories] + sorted(categories - set(TEMPLATE))


def session_on(plan: Plan, held: ClassDate) -> tuple[DayPlan, Session] | None:
    """The plan's session held in the class `held`, or None."""
    for day, session in plan.sessions():
        marked = class_of(session)
        if day.date == held.date and marked is not None and marked.get("id") == held.class_id:
            return day, session
    return None


def held_class(result: StudioPlan, seat: Seat) -> ClassDate:
    """The class held at `seat` (date, class id); ValueError for a date it is not held."""
    for held in result.class_dates():
        if (held.date, held.class_id) == seat:
            return held
    date, class_id = seat
    raise ValueError(f"class {class_id} is not held on {date}")


def booked_classes(result: StudioPlan) -> list[ClassDate]:
    """The held class dates with at least one attendee, in time order."""
    return [h for h in result.class_dates() if result.rosters.get((h.date, h.class_id))]


def _room_exercises(blocks: list[list[Item]]) -> list[tuple[str, str] | None]:
    """(exercise id, name) of the room at each position of one block, given each attendee's
    items in it: the exercise most attendees do there, ties broken by name, each exercise at
    one position only (None at a position whose items are all the room's elsewhere)."""
    chosen: list[tuple[str, str] | None] = []
    taken: set[str] = set()
    for position in range(max((len(items) for items in blocks), default=0)):
        names: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for items in blocks:
            if position < len(items) and items[position].exercise not in taken:
                item = items[position]
                counts[item.exercise] += 1
                names.setdefault(item.exercise, item.name)
        if not counts:
            chosen.append(None)
            continue
        best = min(counts, key=lambda exercise: (-counts[exercise], names[exercise], exercise))
        chosen.append((best, names[best]))
        taken.add(best)
    return chosen


def room_plan(result: StudioPlan, seat: Seat, catalog: Catalog | None = None) -> RoomPlan:
    """What the room does at `seat` (a class date): its blocks, the room's exercises, and
    each attendee's items marked as the room's or their own variant (see the module)."""
    held = held_class(result, seat)
    catalog = catalog or default_catalog()
    by_id = result.by_id()
    sessions: list[tuple[AthletePlan, DayPlan, Session]] = []
    for athlete_id in result.rosters.get(seat, []):
        athlete = by_id[athlete_id]
        found = session_on(athlete.plan, held) if athlete.plan else None
        if found is None:
            raise ValueError(f"{athlete_id} is on the roster of {held.class_id} on {held.date} "
                             "without a session in that class")  # fmt: skip
        sessions.append((athlete, *found))

    categories = template_order({i.category for _, _, s in sessions for i in s.items})
    marks: dict[int, AttendeeItem] = {}  # by id() of the item
    blocks = []
    for category in categories:
        own = [[i for i in s.items if i.category == category] for _, _, s in sessions]
        by_position = _room_exercises(own)
        room = [chosen for chosen in by_position if chosen is not None]
        room_ids = {exercise for exercise, _ in room}
        exercises = catalog.by_id()
        items: dict[str, tuple[AttendeeItem, ...]] = {}
        for (athlete, day, _), theirs in zip(sessions, own, strict=True):
            done = {item.exercise for item in theirs}
            marked = []
            for position, item in enumerate(theirs):
                if item.exercise in room_ids:
                    mark = AttendeeItem(item, room=True)
                else:
                    there = by_position[position]
                    instead = there if there is not None and there[0] not in done else None
                    exercise = exercises.get(instead[0]) if instead else None
                    reason = variant_reason(athlete, day, item, exercise)
                    mark = AttendeeItem(item, False, instead[1] if instead else "", reason)
                marks[id(item)] = mark
                marked.append(mark)
            items[athlete.member.id] = tuple(marked)
        doing = Counter(exercise for theirs in own for exercise in {i.exercise for i in theirs})
        blocks.append(
            Block(
                category,
                max(sum(item.minutes for item in theirs) for theirs in own),
                tuple(RoomExercise(ex, name, doing[ex]) for ex, name in room),
                items,
            )
        )
    attendees = tuple(
        Attendee(athlete, day, session, tuple(marks[id(item)] for item in session.items))
        for athlete, day, session in sessions
    )
    waitlist = tuple(
        (athlete_id, by_id[athlete_id].member.name, worth)
        for athlete_id, worth in result.waitlist.get(seat, [])
    )
    return RoomPlan(held, attendees, tuple(blocks), waitlist)


def variant_reason(
    athlete: AthletePlan,
    day: DayPlan,
    own: Item,
    room: Exercise | None,
) -> str:
    """Why the athlete does `own` (an item of their session on `day`) where the room does
    `room` (None: no room's exercise at that position, or one the catalog does not hold), as
    far as the data tells (see the module)."""
    scenario = athlete.scenario
    if room is not None:
        if (why := _cannot(scenario, room)) is not None:
            return why
        level = scenario.athlete.level
        if athlete.plan and (why := _plyometrics_spent(athlete.plan, day, room, level)):
            return why
    coach = scenario.coach
    pinned = {e for pin in coach.pin if pin.date == day.date for e in pin.exercises or ()}
    if own.exercise in pinned:
        return f"their coach pinned {own.name} on this date (R18)"
    if own.exercise in coach.include:
        return f"their coach includes {own.name} (R18)"
    if own.exercise in coach.prefer:
        return f"their coach prefers {own.name} (R18)"
    return PLAN_CHOICE


def _cannot(scenario: Scenario, room: Exercise) -> str | None:
    """R9, R10 or R18: why the athlete may not do the room's exercise at all, or None."""
    found = unusable(scenario, room)
    if found is None:
        return None
    rule, _ = found
    athlete = scenario.athlete
    if rule == "R9":
        return f"the room's {room.name} is {room.level} work; they are {athlete.level} (R9)"
    if rule == "R18":
        return f"their coach excludes the room's {room.name} (R18)"
    avoided = sorted(room.tags & set(athlete.avoid))
    if avoided:
        return f"the room's {room.name} is {', '.join(avoided)}, which they avoid (R10)"
    reachable = {"bodyweight"} | set(athlete.equipment)
    for kit in scenario.availability.equipment_by_day.values():
        reachable |= set(kit)
    missing = sorted(room.equipment - reachable)
    return f"the room's {room.name} needs {', '.join(missing)}, which they lack (R10)"


def _plyometrics_spent(plan: Plan, day: DayPlan, room: Exercise, level: str) -> str | None:
    """R5: the room's exercise is plyometric, this session has none, and the athlete's week
    holds its cap of plyometric sessions on other days."""
    if not room.plyometric or day.session is None:
        return None
    if any(PLYOMETRIC in item.tags for item in day.session.items):
        return None
    cap = (plan.rules.get("plyo_sessions_per_week") or {}).get(level)
    if not isinstance(cap, int):
        return None
    others = sum(
        1
        for other, session in plan.sessions()
        if other.week == day.week and other.date != day.date
        and any(PLYOMETRIC in item.tags for item in session.items)
    )  # fmt: skip
    if others < cap:
        return None
    sessions = f"{cap} plyometric session{'s' if cap != 1 else ''}"
    return f"the room's {room.name} is plyometric, and their week already holds its {sessions} (R5)"


def room_share(result: StudioPlan, catalog: Catalog | None = None) -> dict[str, tuple[int, int]]:
    """Over every class date with attendees, per block (in template order): (attendee-items
    doing the room's exercise, all attendee-items)."""
    catalog = catalog or default_catalog()
    totals: dict[str, tuple[int, int]] = {}
    for held in booked_classes(result):
        for block in room_plan(result, (held.date, held.class_id), catalog).blocks:
            room, every = totals.get(block.category, (0, 0))
            totals[block.category] = (room + block.room_items, every + block.all_items)
    return {category: totals[category] for category in template_order(set(totals))}


def room_menu(result: StudioPlan, catalog: Catalog | None = None) -> dict[str, list[str]]:
    """Each weekly class's exercises for the room to share: at each position of each block,
    the room's exercise on most of its dates (ties by id), by class id."""
    catalog = catalog or default_catalog()
    counts: dict[tuple[str, str, int], Counter[str]] = {}
    for held in booked_classes(result):
        for block in room_plan(result, (held.date, held.class_id), catalog).blocks:
            for position, room in enumerate(block.room):
                key = (held.class_id, block.category, position)
                counts.setdefault(key, Counter())[room.exercise] += 1
    menu: dict[str, list[str]] = {}
    for (class_id, _, _), counted in sorted(counts.items()):
        best = min(counted, key=lambda exercise: (-counted[exercise], exercise))
        if best not in menu.setdefault(class_id, []):
            menu[class_id].append(best)
    return menu


def preferring(athlete: AthletePlan, menu: Mapping[str, list[str]], catalog: Catalog) -> Scenario:
    """The athlete's studio scenario with the room's exercises of the classes they book
    preferred by the coach (R18's `prefer`, within the coach's tolerance), those they can do
    and the coach does not exclude."""
    scenario = athlete.scenario
    coach = scenario.coach
    classes = {held.class_id for held in athlete.bookings}
    wanted = [exercise for class_id in sorted(classes) for exercise in menu.get(class_id, [])]
    by_id = catalog.by_id()
    prefer = list(coach.prefer)
    for exercise in wanted:
        usable = exercise in by_id and unusable(scenario, by_id[exercise]) is None
        if usable and exercise not in coach.exclude and exercise not in prefer:
            prefer.append(exercise)
    data = scenario.model_dump(mode="python", by_alias=True, exclude_none=True)
    data.setdefault("coach", {})["prefer"] = prefer
    return Scenario.model_validate(data)
