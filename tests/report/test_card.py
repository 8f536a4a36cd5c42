"""The training card (the HTML report's print layout): a page per week printed, each session a
table with the target load, blank cells for the load used and the RPE, and the cue; the weeks
to come; and a fit estimate that keeps every week on one page of A4 and of US Letter.

What Chromium makes of it (page count, a printed page) is in test_card_browser.py.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from planner.domain.plan import Plan, Session
from planner.errors import OutputError
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_plan
from planner.report.export.card import (
    LARGEST_ZOOM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    SMALLEST_ZOOM,
    card_css,
    week_height_mm,
    week_zoom,
)
from planner.report.export.common import coming_weeks, week_of_day, what_to_lift

DATA = Path(__file__).resolve().parent.parent / "data"
PAIRS = Path(__file__).resolve().parent / "data" / "plan_pairs.json"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(DATA / "plan_marathon.json")


@pytest.fixture(scope="module")
def paired() -> Plan:
    return load_plan(PAIRS)


def card_of(page: str) -> str:
    return page[page.index('<div id="card"') :]


def with_target_loads(plan: Plan) -> Plan:
    """The plan with a `target_load` on every strength item (as the load suggestions add)."""
    data = plan.model_dump(mode="json")
    for day in data["days"]:
        for item in (day["session"] or {}).get("items", []):
            if item["category"] == "strength":
                item["target_load"] = {
                    "kg": 14.0, "count": 2, "text": "2 × 14 kg", "why": "RPE 7 last week",
                }  # fmt: skip
    return Plan.model_validate(data)


def test_the_card_holds_every_week_and_every_item(plan: Plan) -> None:
    card = card_of(str(export_plan(plan, "html", ExportOptions(run_unit="mi"))))
    assert card.count('<div class="card-week"') == len(plan.weeks)
    assert card.count('<div class="card-session') == len(plan.sessions())
    items = sum(len(session.items) for _, session in plan.sessions())
    assert card.count('<tr class="cd-main">') == items
    # Two blank cells (load used, RPE) per item, spanning its row and its cue's.
    assert card.count('<td class="cd-blank" rowspan="2"></td>') == 2 * items
    assert card.count("<th>Load used</th>") == card.count("<th>RPE</th>") == len(plan.sessions())
    for _, session in plan.sessions():
        for item in session.items:
            assert f"{item.sets} × {item.reps}" in card
            assert item.cue in card


def test_the_card_shows_the_target_load_else_the_load_guidance(plan: Plan) -> None:
    loaded = with_target_loads(plan)
    card = card_of(str(export_plan(loaded, "html")))
    strength = [i for _, s in loaded.sessions() for i in s.items if i.category == "strength"]
    other = [i for _, s in loaded.sessions() for i in s.items if i.category != "strength"]
    assert strength and other
    targets = re.findall(r'<td class="cd-target">(.*?)</td>', card)
    # The load, and why in small type under it.
    shown = '2 × 14 kg<span class="cd-why">RPE 7 last week</span>'
    assert targets.count(shown) == len(strength)
    assert "table.card-table .cd-why { display: block; font-size: 7.5pt;" in card_css(None)
    assert all(what_to_lift(item) == item.load for item in other)
    assert all(html.escape(item.load) in targets for item in other)


def test_pairs_print_with_their_labels_and_instruction(paired: Plan) -> None:
    card = card_of(str(export_plan(paired, "html")))
    labels = re.findall(r'<td class="cd-no" rowspan="2">(\w+)</td>', card)
    assert "A1" in labels and "A2" in labels
    assert labels.count("A1") == labels.count("A2")
    pairs = sum(len({i.pair for i in s.items if i.pair}) for _, s in paired.sessions())
    assert card.count('<tr class="cd-note">') == pairs
    assert "straight into A2" in card


def test_weeks_to_come_start_at_the_current_week() -> None:
    plan = load_plan(PAIRS)  # 8 weeks from Mon 5 Apr 2027
    before = coming_weeks(plan, 4, dt.date(2027, 1, 1))
    assert [w.index for w in before] == [1, 2, 3, 4]
    during = coming_weeks(plan, 4, dt.date(2027, 4, 21))  # a Wednesday of week 3
    assert [w.index for w in during] == [3, 4, 5, 6]
    assert [w.index for w in coming_weeks(plan, 4, dt.date(2027, 5, 26))] == [8]
    assert coming_weeks(plan, None) == plan.weeks
    with pytest.raises(OutputError, match="no weeks to come"):
        coming_weeks(plan, 4, dt.date(2027, 6, 30))
    options = ExportOptions(weeks=2, today=dt.date(2027, 4, 21))
    card = card_of(str(export_plan(plan, "html", options)))
    assert re.findall(r'data-week="(\d+)"', card) == ["3", "4"]


def test_user_text_on_the_card_is_escaped(plan: Plan) -> None:
    data = plan.model_dump(mode="json")
    first = next(day for day in data["days"] if day["session"])
    first["session"]["items"][0]["name"] = "<img src=x onerror=alert(1)>"
    first["session"]["items"][0]["target_load"] = {"kg": None, "text": "<b>12</b>", "why": ""}
    card = card_of(str(export_plan(Plan.model_validate(data), "html")))
    assert "<img" not in card and "&lt;img src=x" in card
    assert "<b>12</b>" not in card and "&lt;b&gt;12&lt;/b&gt;" in card


def test_print_shows_only_the_card_on_the_chosen_paper(plan: Plan) -> None:
    page = str(export_plan(plan, "html", ExportOptions(paper="a4")))
    assert "@media print" in page and "main > :not(#card) { display: none !important; }" in page
    assert "@page { size: A4;" in page
    assert "@page { size: auto;" in str(export_plan(plan, "html"))
    with pytest.raises(ValueError, match="paper"):
        ExportOptions(paper="a3")


def crowded_session(plan: Plan) -> Session:
    """The longest session of the paired plan, with every item given a long target load."""
    _, longest = max(plan.sessions(), key=lambda pair: len(pair[1].items))
    data = longest.model_dump(mode="json")
    for item in data["items"]:
        item["target_load"] = {
            "kg": 22.5, "count": 2, "text": "2 × 22.5 kg",
            "why": "last time 3 x 5/side at 2 x 20 kg, RPE 6.5: up one step (target RPE 8)",
        }  # fmt: skip
    return Session.model_validate(data)


def test_every_week_fits_a_page_of_either_paper(paired: Plan, plan: Plan) -> None:
    # The estimate keeps a week's page within the smaller of A4 and Letter at its zoom; a
    # short week prints larger, a crowded one smaller, never below SMALLEST_ZOOM.
    for subject in (paired, plan):
        days = week_of_day(subject)
        for week in subject.weeks:
            sessions = [d.session for d in days[week.index] if d.session is not None]
            zoom = week_zoom(sessions)
            assert SMALLEST_ZOOM < zoom <= LARGEST_ZOOM
            assert zoom * week_height_mm(sessions, PAGE_WIDTH_MM / zoom) <= PAGE_HEIGHT_MM
    busiest = [crowded_session(paired)] * 3  # three nine-item sessions: the worst case
    assert week_zoom(busiest) >= SMALLEST_ZOOM
    assert week_zoom(busiest[:1]) > week_zoom(busiest)
