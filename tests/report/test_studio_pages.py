"""The studio's pages: the room's plan of a class date (`planner.pipeline.studio_room`), the
class sheets, `studio.html` and `studio.ics` (`planner.report.studio_pages`).

One small studio is solved once for the module: three runners of three levels, two weeks,
a Monday class for three and a Thursday class for one (cancelled in week 2), so that the
Thursday has a waitlist and the Monday room holds three different sessions. Where a test
needs a room it can count by hand, it edits a copy of that plan.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import yaml

from planner.batch.run import BatchOptions
from planner.batch.studio import plan_studio
from planner.domain.plan import Item, Session, class_of
from planner.domain.studio import ClassDate
from planner.io.catalog_file import default_catalog
from planner.io.studio_file import load_studio
from planner.pipeline.studio import Seat, StudioPlan
from planner.pipeline.studio_room import (
    PLAN_CHOICE,
    booked_classes,
    room_plan,
    room_share,
    session_on,
)
from planner.report.export.to_pdf import browser_command, find_browser, render_pdf
from planner.report.studio import studio_files
from planner.report.studio_pages import (
    class_sheet_html,
    class_sheets,
    sheet_name,
    studio_calendar,
    studio_page,
)

START = dt.date(2027, 1, 4)  # a Monday
CANCELLED = dt.date(2027, 1, 14)  # the Thursday class of week 2


def runner(name: str, level: str, runs: list[dict[str, object]], **more: object) -> dict:
    return {"name": name, "level": level, "running": {"unit": "km", "weeks": runs}, **more}


STUDIO = {
    "format": 1,
    "name": "Test studio",
    "block": {"start": START.isoformat(), "weeks": 2},
    "kit": ["dumbbell", "kettlebell", "band", "box", "medicine_ball", "bench", "mat"],
    "classes": [
        {"id": "mon-0630", "day": "mon", "start": "06:30", "minutes": 45, "capacity": 3},
        {"id": "thu-1830", "day": "thu", "start": "18:30", "minutes": 40, "capacity": 1},
    ],
    "cancelled": [{"date": CANCELLED.isoformat(), "class": "thu-1830"}],
    "athletes": [
        runner("Ann", "advanced", [{"tue": 8, "wed": 6, "sun": "long 16"}] * 2),
        runner("Ben", "intermediate", [{"tue": 8, "wed": 6, "sun": "long 14"}] * 2),
        runner("Cy", "novice", [{"tue": 5, "sun": "long 10"}] * 2, avoid=["high_impact"]),
    ],
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> StudioPlan:
    """The studio solved at 3 s per athlete's solve."""
    path = tmp_path_factory.mktemp("studio") / "studio.yaml"
    path.write_text(yaml.safe_dump(STUDIO, sort_keys=False), encoding="utf-8")
    solved = plan_studio(
        load_studio(path), BatchOptions(time_limit=3, seed=0, jobs=2), mode="decomposed"
    )
    assert all(athlete.plan is not None for athlete in solved.athletes), [
        (a.member.id, a.status, a.message) for a in solved.athletes
    ]
    return solved


@pytest.fixture(scope="module")
def files(result: StudioPlan) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in studio_files(result).items()}


def seat_of(held: ClassDate) -> Seat:
    return (held.date, held.class_id)


def fullest(result: StudioPlan) -> ClassDate:
    """The class date with the most attendees."""
    return max(booked_classes(result), key=lambda h: len(result.rosters[seat_of(h)]))


def names(result: StudioPlan, athlete_ids: list[str]) -> list[str]:
    by_id = result.by_id()
    return [by_id[a].member.name for a in athlete_ids]


# --- the room's plan ------------------------------------------------------------------------


def test_the_fixture_has_a_full_room_a_waitlist_and_a_cancelled_date(result: StudioPlan) -> None:
    # What the other tests rely on: a room of three, a waitlist, the cancelled date not held.
    assert len(result.rosters[seat_of(fullest(result))]) == 3
    assert result.waitlist
    assert all(h.date != CANCELLED or h.class_id != "thu-1830" for h in result.class_dates())
    for held in result.class_dates():
        assert len(result.rosters[seat_of(held)]) <= held.slot.capacity


def item_like(template: Item, exercise: str, name: str, minutes: int) -> Item:
    return template.model_copy(update={"exercise": exercise, "name": name, "minutes": minutes})


@pytest.fixture
def edited(result: StudioPlan) -> tuple[StudioPlan, Seat, list[str]]:
    """A copy of the plan whose fullest class has mobility blocks written by hand:

        first attendee:  P, Q       P is done first by two, and by the third second
        second attendee: P, R       at position 2, Q and R tie (one each); "Quad ..." sorts
        third attendee:  S, P       before "Rock ...", so Q is the room's there

    with minutes 3+4, 3+2 and 6+3."""
    result = copy.deepcopy(result)
    held = fullest(result)
    roster = result.rosters[seat_of(held)]
    by_id = result.by_id()
    written = {
        roster[0]: [("p_drill", "Pike drill", 3), ("q_drill", "Quad drill", 4)],
        roster[1]: [("p_drill", "Pike drill", 3), ("r_drill", "Rock drill", 2)],
        roster[2]: [("s_drill", "Side drill", 6), ("p_drill", "Pike drill", 3)],
    }
    for athlete_id, drills in written.items():
        plan = by_id[athlete_id].plan
        assert plan is not None
        found = session_on(plan, held)
        assert found is not None
        session = found[1]
        others = [item for item in session.items if item.category != "mobility"]
        template = session.items[0]
        assert template.category == "mobility"
        mobility = [item_like(template, *drill) for drill in drills]
        session.items = mobility + others
    return result, seat_of(held), roster


def test_the_room_does_what_most_do_at_each_place_ties_by_name(
    edited: tuple[StudioPlan, Seat, list[str]],
) -> None:
    result, seat, roster = edited
    room = room_plan(result, seat)
    assert [a.id for a in room.attendees] == roster
    assert room.blocks[0].category == "mobility"
    assert [b.category for b in room.blocks] == sorted(
        (b.category for b in room.blocks),
        key=["mobility", "power", "strength", "accessory", "core"].index,
    )
    mobility = room.blocks[0]
    # P: two of three do it first (and the third does it second); Q beats R on its name.
    assert [(e.exercise, e.doing) for e in mobility.room] == [("p_drill", 3), ("q_drill", 1)]
    assert mobility.minutes == 9  # the third attendee's 6 + 3, the most of 7, 5 and 9
    marks = {
        a: [(m.item.exercise, m.room, m.instead_of) for m in mobility.items[a]] for a in roster
    }
    assert marks[roster[0]] == [("p_drill", True, ""), ("q_drill", True, "")]
    # R stands where the room does Q, and the second attendee does not do Q.
    assert marks[roster[1]] == [("p_drill", True, ""), ("r_drill", False, "Quad drill")]
    # S stands where the room does P, which the third attendee does second: no "instead of".
    assert marks[roster[2]] == [("s_drill", False, ""), ("p_drill", True, "")]
    # The drills are no catalog entries and no coach asked for them: the plan's choice.
    reasons = {m.reason for a in roster for m in mobility.items[a] if not m.room}
    assert reasons == {PLAN_CHOICE}
    assert (mobility.room_items, mobility.all_items) == (4, 6)


def test_the_share_is_a_hand_count(edited: tuple[StudioPlan, Seat, list[str]]) -> None:
    result, seat, _ = edited
    # Only the edited class keeps its roster: its mobility block is 4 of 6 (see above).
    result.rosters = {
        key: (roster if key == seat else []) for key, roster in result.rosters.items()
    }
    assert room_share(result)["mobility"] == (4, 6)


def test_the_share_counts_every_attendee_item_once(result: StudioPlan) -> None:
    # All attendee-items, counted straight from the plans, per category.
    by_id = result.by_id()
    every: Counter[str] = Counter()
    for held in booked_classes(result):
        for athlete_id in result.rosters[seat_of(held)]:
            plan = by_id[athlete_id].plan
            assert plan is not None
            found = session_on(plan, held)
            assert found is not None
            every.update(item.category for item in found[1].items)
    share = room_share(result)
    assert {category: total for category, (_, total) in share.items()} == dict(every)
    # Each class's blocks add up to the studio's share, and a room's exercise is done by at
    # least one attendee.
    room_items: Counter[str] = Counter()
    for held in booked_classes(result):
        for block in room_plan(result, seat_of(held)).blocks:
            room_items[block.category] += block.room_items
            assert all(1 <= e.doing <= len(result.rosters[seat_of(held)]) for e in block.room)
    assert {category: room for category, (room, _) in share.items()} == dict(room_items)
    assert list(share) == [
        c for c in ("mobility", "power", "strength", "accessory", "core") if c in share
    ]


def variants(result: StudioPlan) -> list[tuple[Seat, str, str, str, str]]:
    """(seat, athlete id, item exercise, room's exercise name, reason) of every variant."""
    found = []
    for held in booked_classes(result):
        for attendee in room_plan(result, seat_of(held)).attendees:
            for marked in attendee.items:
                if not marked.room:
                    found.append(
                        (seat_of(held), attendee.id, marked.item.exercise, marked.instead_of,
                         marked.reason)
                    )  # fmt: skip
    return found


def test_every_variant_has_a_reason_and_a_level_reason_is_true(result: StudioPlan) -> None:
    found = variants(result)
    assert found, "three runners of three levels share a room, yet no one does a variant"
    assert all(reason for *_, reason in found)
    catalog = {exercise.name: exercise for exercise in default_catalog().exercises}
    levels = ["novice", "intermediate", "advanced"]
    by_id = result.by_id()
    for _, athlete_id, _, instead_of, reason in found:
        if "(R9)" in reason:
            # The room's exercise is above this athlete's level.
            level = by_id[athlete_id].scenario.athlete.level
            assert levels.index(catalog[instead_of].level) > levels.index(level), reason


def _a_variant_the_athlete_could_do(result: StudioPlan) -> tuple[Seat, str, str]:
    """(seat, athlete id, room's exercise id) of a variant against a catalog exercise the
    athlete's level allows."""
    catalog = {exercise.name: exercise for exercise in default_catalog().exercises}
    by_id = result.by_id()
    for seat, athlete_id, _, instead_of, _ in variants(result):
        exercise = catalog.get(instead_of)
        level = by_id[athlete_id].scenario.athlete.level
        if exercise is not None and exercise.allowed_for(level) and exercise.tags:
            return seat, athlete_id, exercise.id
    pytest.fail("no variant against a catalog exercise the athlete's level allows")


def _with_scenario(result: StudioPlan, athlete_id: str, **changes: object) -> StudioPlan:
    result = copy.deepcopy(result)
    athlete = result.by_id()[athlete_id]
    scenario = athlete.scenario
    coach = scenario.coach.model_copy(update=changes.pop("coach", {}))  # type: ignore[arg-type]
    person = scenario.athlete.model_copy(update=changes.pop("athlete", {}))  # type: ignore[arg-type]
    athlete.scenario = scenario.model_copy(update={"coach": coach, "athlete": person})
    return result


def _reasons_of(result: StudioPlan, seat: Seat, athlete_id: str) -> set[str]:
    room = room_plan(result, seat)
    attendee = next(a for a in room.attendees if a.id == athlete_id)
    return {marked.reason for marked in attendee.items if not marked.room}


def test_a_variant_says_the_coach_excludes_the_room_s_exercise(result: StudioPlan) -> None:
    seat, athlete_id, exercise = _a_variant_the_athlete_could_do(result)
    name = default_catalog().by_id()[exercise].name
    told = f"their coach excludes the room's {name} (R18)"
    assert told not in _reasons_of(result, seat, athlete_id)
    excluded = _with_scenario(result, athlete_id, coach={"exclude": [exercise]})
    assert told in _reasons_of(excluded, seat, athlete_id)


def test_a_variant_says_the_room_s_exercise_has_a_tag_they_avoid(result: StudioPlan) -> None:
    seat, athlete_id, exercise = _a_variant_the_athlete_could_do(result)
    room = default_catalog().by_id()[exercise]
    tag = sorted(room.tags)[0]
    told = f"the room's {room.name} is {tag}, which they avoid (R10)"
    assert told not in _reasons_of(result, seat, athlete_id)
    avoiding = _with_scenario(result, athlete_id, athlete={"avoid": [tag]})
    assert told in _reasons_of(avoiding, seat, athlete_id)


def test_a_variant_says_the_week_s_plyometric_sessions_are_spent(result: StudioPlan) -> None:
    # An attendee of the fullest class who trains again that week: with R5's cap at one
    # plyometric session a week, held by their other session, they throw a medicine ball
    # where the other attendees do pogo hops.
    result = copy.deepcopy(result)
    held = fullest(result)
    roster = result.rosters[seat_of(held)]
    by_id = result.by_id()
    week = result.studio.block.week_of(held.date)

    def other_session(athlete_id: str) -> Session | None:
        plan = by_id[athlete_id].plan
        assert plan is not None
        return next(
            (s for d, s in plan.sessions()
             if d.date != held.date and result.studio.block.week_of(d.date) == week),
            None,
        )  # fmt: skip

    athlete_id = next((a for a in roster if other_session(a) is not None), None)
    assert athlete_id is not None, "no attendee of the fullest class trains twice that week"
    athlete = by_id[athlete_id]
    assert athlete.plan is not None
    athlete.plan.rules["plyo_sessions_per_week"] = {"novice": 1, "intermediate": 1, "advanced": 1}
    athlete.scenario = athlete.scenario.model_copy(
        update={"athlete": athlete.scenario.athlete.model_copy(update={"avoid": []})}
    )
    for attendee in roster:
        found = session_on(by_id[attendee].plan, held)  # type: ignore[arg-type]
        assert found is not None
        session = found[1]
        template = session.items[0]
        if attendee == athlete_id:
            power = item_like(template, "own_throw", "Own throw", 3)
            power.tags = ["lower_body"]
        else:
            power = item_like(template, "pogo_hops", "Pogo hops", 3)
            power.tags = ["plyometric"]
        power.category = "power"
        session.items = [i for i in session.items if i.category != "power"] + [power]
    elsewhere = other_session(athlete_id)
    assert elsewhere is not None
    hops = item_like(elsewhere.items[0], "pogo_hops", "Pogo hops", 3)
    hops.category, hops.tags = "power", ["plyometric"]
    elsewhere.items.append(hops)
    told = "the room's Pogo hops is plyometric, and their week already holds its 1 plyometric "
    told += "session (R5)"
    assert told in _reasons_of(result, seat_of(held), athlete_id)
    # A session that holds plyometrics already is one of the week's: the cap is not why.
    own = session_on(athlete.plan, held)
    assert own is not None
    own_hops = item_like(own[1].items[0], "own_hops", "Own hops", 3)
    own_hops.category, own_hops.tags = "power", ["plyometric"]
    own[1].items.append(own_hops)
    assert told not in _reasons_of(result, seat_of(held), athlete_id)
    own[1].items.remove(own_hops)
    assert told in _reasons_of(result, seat_of(held), athlete_id)
    # Without the plyometric session elsewhere, the cap is not why.
    elsewhere.items.remove(hops)
    elsewhere.items = [i for i in elsewhere.items if "plyometric" not in i.tags]
    assert told not in _reasons_of(result, seat_of(held), athlete_id)


def test_a_date_not_held_has_no_room(result: StudioPlan) -> None:
    with pytest.raises(ValueError, match="not held"):
        room_plan(result, (CANCELLED, "thu-1830"))


# --- the class sheets -----------------------------------------------------------------------


def test_a_class_sheet_for_every_class_date_with_attendees(
    result: StudioPlan, files: dict[str, str]
) -> None:
    booked = booked_classes(result)
    sheets = {name for name in files if name.startswith("class-")}
    expected = {sheet_name(h, suffix) for h in booked for suffix in (".md", ".html")}
    assert sheets == expected


class Page(HTMLParser):
    """What the tests read of a page: links, `data-athlete` articles and rows, each element's
    attributes by its `data-date`/`data-class`, the text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.articles: list[str] = []
        self.cells: dict[tuple[str, str], dict[str, str]] = {}
        self.cell_text: dict[tuple[str, str], list[str]] = {}
        self.open_cell: tuple[str, str] | None = None
        self.depth = 0
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "article" and "data-athlete" in values:
            self.articles.append(values["data-athlete"])
        if tag == "td" and "data-date" in values:
            key = (values["data-date"], values["data-class"])
            self.cells[key] = values
            self.cell_text[key] = []
            self.open_cell, self.depth = key, 0
        elif self.open_cell is not None and tag == "td":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.open_cell is not None:
            if self.depth == 0:
                self.open_cell = None
            else:
                self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.open_cell is not None:
            self.cell_text[self.open_cell].append(data)


def named(name: str, text: str) -> bool:
    """`name` stands in `text` as a word ("Ben" is not in "Bent-knee")."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def section(markdown: str, heading: str) -> str:
    """The Markdown between `## heading` and the next `## `."""
    start = markdown.index(f"## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end >= 0 else len(markdown)]


def test_each_class_sheet_names_its_roster_and_no_one_else(
    result: StudioPlan, files: dict[str, str]
) -> None:
    everyone = {a.member.name for a in result.athletes}
    for held in booked_classes(result):
        roster = result.rosters[seat_of(held)]
        waiting = names(result, [a for a, _ in result.waitlist.get(seat_of(held), [])])
        markdown = files[sheet_name(held, ".md")]
        attendees = section(markdown, "Attendees")
        assert re.findall(r"^### (.+)$", attendees, flags=re.M) == names(result, roster)
        for other in everyone - set(names(result, roster)):
            assert not named(other, attendees)
        if waiting:
            listed = re.findall(r"^\d+\. (\S+) ", section(markdown, "Waitlist"), flags=re.M)
            assert listed == waiting
        else:
            assert "## Waitlist" not in markdown
        page = Page(files[sheet_name(held, ".html")])
        assert page.articles == roster
        assert f"{len(roster)} of {held.slot.capacity}" in "".join(page.text)
        assert f"{held.date:%a %d %b %Y}" in markdown
        assert f"{held.starts:%H:%M}-{held.ends:%H:%M}" in markdown


def test_a_class_sheet_lists_each_attendee_s_items_with_labels_and_marks(
    result: StudioPlan, files: dict[str, str]
) -> None:
    held = fullest(result)
    markdown = files[sheet_name(held, ".md")]
    room = room_plan(result, seat_of(held))
    rows = [line for line in section(markdown, "Attendees").splitlines() if line.startswith("| ")]
    item_rows = [row for row in rows if not row.startswith("| |")]
    assert len(item_rows) == sum(len(a.items) for a in room.attendees)
    for attendee in room.attendees:
        for marked in attendee.items:
            mark = "room" if marked.room else f"variant{' of ' if marked.instead_of else ''}"
            assert any(marked.item.name in row and f"| {mark}" in row for row in item_rows), (
                marked.item.name
            )
    paired = [a for a in room.attendees if any(i.pair for i in a.session.items)]
    if paired:
        assert "| A1 |" in markdown and "| A2 |" in markdown
    for block in room.blocks:
        for exercise in block.room:
            assert f"{exercise.doing} of {len(room.attendees)} do it" in markdown


def test_a_class_sheet_prints_on_one_page(result: StudioPlan) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf counts the pages (pip install pypdf)")
    if find_browser() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    held = fullest(result)
    data = render_pdf(class_sheet_html(result, room_plan(result, seat_of(held))))
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1


# --- the studio page ------------------------------------------------------------------------


def test_the_studio_page_links_reports_and_sheets_and_shows_the_places(
    result: StudioPlan, files: dict[str, str]
) -> None:
    page = Page(files["studio.html"])
    for athlete in result.athletes:
        assert f"{athlete.member.id}.html" in page.links
        assert f"{athlete.member.id}.html" in files  # the link leads to a file
    for held in booked_classes(result):
        assert sheet_name(held, ".html") in page.links
    for held in result.class_dates():
        key = (held.date.isoformat(), held.class_id)
        roster = result.rosters[seat_of(held)]
        text = " ".join(page.cell_text[key])
        assert f"{len(roster)}/{held.slot.capacity}" in text
        assert "cancelled" not in page.cells[key]["class"]
        for name in names(result, roster):
            assert named(name, text)
        for other in {a.member.name for a in result.athletes} - set(names(result, roster)):
            waiting = names(result, [a for a, _ in result.waitlist.get(seat_of(held), [])])
            assert not named(other, text) or other in waiting
    cancelled = (CANCELLED.isoformat(), "thu-1830")
    assert "cancelled" in page.cells[cancelled]["class"].split()
    assert "cancelled" in "".join(page.cell_text[cancelled])
    # Every week of the block, every slot: one cell each.
    assert len(page.cells) == 2 * len(result.studio.classes)


def test_the_studio_page_tells_the_athletes_waitlists_mode_and_share(
    result: StudioPlan, files: dict[str, str]
) -> None:
    text = " ".join("".join(Page(files["studio.html"]).text).split())
    assert result.mode in text and result.engine in text
    for athlete in result.athletes:
        assert f"{athlete.ratio:.3f}" in text and f"{athlete.solo_ratio:.3f}" in text
    by_id = result.by_id()
    for (date, class_id), queue in result.waitlist.items():
        listed = ", ".join(f"{by_id[a].member.name} ({worth:.1f})" for a, worth in queue)
        assert f"{class_id} {date:%a %d %b}: {listed}" in text
    for room, every in room_share(result).values():
        assert f"{room} of {every}" in text


def test_an_athlete_without_a_plan_is_told_why_and_not_linked(result: StudioPlan) -> None:
    result = copy.deepcopy(result)
    athlete = result.athletes[-1]
    athlete.plan, athlete.bookings = None, []
    athlete.status, athlete.message = "infeasible", "R4 and R7 leave no day\nSecond line: details"
    result.rosters = {
        k: [a for a in v if a != athlete.member.id] for k, v in result.rosters.items()
    }
    page = Page(studio_page(result)["studio.html"])
    assert f"{athlete.member.id}.html" not in page.links
    assert f"{result.athletes[0].member.id}.html" in page.links
    text = "".join(page.text)
    assert "R4 and R7 leave no day" in text and "Second line" not in text


def test_the_pages_escape_user_text(result: StudioPlan) -> None:
    hostile = copy.deepcopy(result)
    hostile.studio = hostile.studio.model_copy(update={"name": "<b>Studio</b> & co"})
    athlete = hostile.athletes[0]
    athlete.member = dataclasses.replace(athlete.member, name='<script>alert("x")</script>')
    pages = studio_page(hostile) | class_sheets(hostile)
    for name, text in pages.items():
        assert "<script" not in text and "<b>Studio" not in text, name
    assert "&lt;script&gt;" in pages["studio.html"]
    booked = [
        h for h in booked_classes(hostile) if athlete.member.id in hostile.rosters[seat_of(h)]
    ]
    assert booked
    assert "&lt;script&gt;" in pages[sheet_name(booked[0], ".md")]


# --- the calendar ---------------------------------------------------------------------------


def test_the_calendar_has_an_event_per_booked_class(result: StudioPlan) -> None:
    stamp = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    text = studio_calendar(result, stamp)["studio.ics"]
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    booked = booked_classes(result)
    assert len(events) == len(booked)
    by_start = {event.decoded("dtstart"): event for event in events}
    for held in booked:
        event = by_start[held.starts]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is None  # floating local time
        assert end - start == dt.timedelta(minutes=held.slot.minutes)
        roster = names(result, result.rosters[seat_of(held)])
        summary = str(event["summary"])
        assert held.class_id in summary
        assert f"{len(roster)}/{held.slot.capacity}" in summary
        lines = str(event["description"]).splitlines()
        assert lines[1 : 1 + len(roster)] == roster
        assert all(line not in roster for line in lines[1 + len(roster) :])
    uids = [str(event["uid"]) for event in events]
    assert len(set(uids)) == len(uids)
    later = studio_calendar(result, stamp + dt.timedelta(days=3))["studio.ics"]
    again = [str(e["uid"]) for e in icalendar.Calendar.from_ical(later).walk("VEVENT")]
    assert again == uids  # stable: a new import updates the events


def test_the_calendar_is_in_the_folder(result: StudioPlan, files: dict[str, str]) -> None:
    assert "studio.ics" in files and "studio.html" in files
    events = icalendar.Calendar.from_ical(files["studio.ics"]).walk("VEVENT")
    assert len(events) == len(booked_classes(result))


# --- in a browser ---------------------------------------------------------------------------

BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="Chromium is not installed (apt-get install chromium); the pages need a real "
    "browser for this test",
)


@needs_browser
@pytest.mark.parametrize("page", ["studio", "sheet"])
def test_the_pages_render_in_a_browser(
    page: str, result: StudioPlan, files: dict[str, str], tmp_path: Path
) -> None:
    import subprocess

    image_module = pytest.importorskip("PIL.Image", reason="Pillow decodes the screenshot")
    stat_module = pytest.importorskip("PIL.ImageStat")
    assert BROWSER is not None
    name = "studio.html" if page == "studio" else sheet_name(fullest(result), ".html")
    path = tmp_path / name
    path.write_text(files[name], encoding="utf-8")

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = browser_command(BROWSER, tmp_path / "profile", *arguments, path.as_uri())
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    dumped = run("--dump-dom", "--enable-logging=stderr", "--v=0")
    assert "</html>" in dumped.stdout, dumped.stderr[-2000:]
    console = [line for line in dumped.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    shot = tmp_path / f"{page}.png"
    run(f"--screenshot={shot}", "--window-size=1280,1400")
    assert shot.is_file(), "no screenshot"
    image = image_module.open(shot)
    assert image.size == (1280, 1400)
    grey = image.convert("L")
    assert stat_module.Stat(grey).stddev[0] > 20, "the screenshot is (nearly) one flat colour"
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 100, "too few colours for a rendered page"


def test_class_sessions_are_marked_with_their_class(result: StudioPlan) -> None:
    # room_plan finds each attendee's session by its `class`: every roster seat has one.
    by_id = result.by_id()
    for held in booked_classes(result):
        for athlete_id in result.rosters[seat_of(held)]:
            plan = by_id[athlete_id].plan
            assert plan is not None
            day = next(d for d in plan.days if d.date == held.date)
            assert day.session is not None
            assert class_of(day.session) == {
                "id": held.class_id,
                "start": held.slot.start.strftime("%H:%M"),
            }
