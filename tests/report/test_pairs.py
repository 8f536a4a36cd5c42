"""Paired sets (R17) in every export: pairs are numbered A1/A2 as gyms write them, each pair
has one instruction line (one shared wording), and the minutes shown add up to the session's.

`data/plan_pairs.json` is a stored solve of scenarios/default.yaml with 17 pairs in 13
sessions; a fresh solve of a tiny scenario checks that the exports' timing of a pair is the
solver's, to the minute.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from rich.console import Console

from planner.domain.catalog import BenefitModel
from planner.domain.plan import DayPlan, Item, Plan, Session
from planner.io.catalog_file import default_benefit_model
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_plan
from planner.report.export.common import (
    item_lines,
    line_prescription,
    pair_instruction,
    pair_minutes_of,
    pair_rest_s,
    pairs_of,
    session_text,
    work_seconds,
)
from planner.report.render import session_card

PAIRED_PLAN = Path(__file__).resolve().parent / "data" / "plan_pairs.json"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(PAIRED_PLAN)


@pytest.fixture(scope="module")
def fresh() -> Plan:
    """A plan solved now (two weeks, three days), so the solver's pairs of today are read."""
    from ..conftest import make_scenario, solve_fast

    return solve_fast(make_scenario(rules={"paired_sets": True}), seconds=5)


def paired_sessions(plan: Plan) -> list[tuple[DayPlan, Session]]:
    return [(day, session) for day, session in plan.sessions() if pairs_of(session)]


def model(seconds_per_rep: int = 4, transition_s: int = 10) -> BenefitModel:
    """The catalog's benefit model with fixed timing, so the sums below hold whatever the
    model file says."""
    per_rep = dict.fromkeys(default_benefit_model().seconds_per_rep, seconds_per_rep)
    return default_benefit_model().model_copy(
        update={"seconds_per_rep": per_rep, "transition_s": transition_s}
    )


def item(exercise: str, category: str, sets: int, reps: str, rest_s: int, **extra: object) -> Item:
    return Item(
        exercise=exercise, name=exercise.replace("_", " ").capitalize(), category=category,
        sets=sets, reps=reps, load="bodyweight", rest_s=rest_s, minutes=extra.pop("minutes", 1),
        equipment=[], tags=[], contacts=0, targets={}, **extra,
    )  # fmt: skip


# --- the shared helpers, by hand ------------------------------------------------------------


def test_a_heavy_lift_rest_holds_its_partner() -> None:
    # RDL 3 x 5, 150 s rest: work 5 x 4 s = 20 s; alone a set takes 20 + 150 + 10 = 180 s.
    # Hollow hold 3 x 30s, 30 s rest: work 30 s; alone 30 + 30 + 10 = 70 s.
    # Both back to back with a transition each: 20 + 30 + 20 = 70 s. A round is the longest,
    # 180 s: 3 rounds are 540 s, 9 min, the RDL's own time; the hollow hold costs nothing.
    # After A2 the athlete rests 180 - 70 = 110 s, and the RDL keeps its 150 s between sets
    # (the hollow hold and two transitions fill the other 40 s).
    timing = model()
    session = Session(
        minutes=10, hard=True, after_run=False,
        items=[item("ankle_rocks", "mobility", 1, "10/side", 0, minutes=1),
               item("romanian_deadlift", "strength", 3, "5", 150, minutes=9, pair="A"),
               item("hollow_hold", "core", 3, "30s", 30, minutes=4, pair="A")],
    )  # fmt: skip
    assert work_seconds(session.items[1], timing) == 20
    assert pair_minutes_of(session, "A", timing) == 9
    assert pair_rest_s(session, "A", timing) == 110
    assert pair_instruction(session, "A", timing) == (
        "A1/A2: alternate one set of each for 3 rounds, A2 straight after A1, "
        "rest 110 s after A2; together 9 min"
    )
    lines = item_lines(session, timing)
    assert [line.label for line in lines] == ["1", "A1", "A2"]
    assert [line.minutes for line in lines] == [1, 9, None]  # 1 + 9 = the session's 10
    assert [line.rest_s for line in lines] == [0, 0, 110]
    assert line_prescription(lines[1]) == "3 × 5, straight into A2"
    assert line_prescription(lines[2]) == "3 × 30s, rest 110 s"
    assert line_prescription(lines[0]) == "1 × 10/side, 1 min"  # alone, as before


def test_a_pair_without_rest_is_work_back_to_back() -> None:
    # Side plank 2 x 30s/side (work 60 s, no rest) and band walk 2 x 10/side (work 10 x 4 x 2
    # = 80 s, no rest): alone 70 s and 90 s a set; back to back 60 + 80 + 20 = 160 s, which is
    # the round. 2 rounds: 320 s, 6 min (rounded up); no rest is left after A2.
    timing = model()
    session = Session(
        minutes=6, hard=False, after_run=False,
        items=[item("band_walk", "accessory", 2, "10/side", 0, pair="B"),
               item("side_plank", "core", 2, "30s/side", 0, pair="B")],
    )  # fmt: skip
    assert work_seconds(session.items[0], timing) == 80  # per side doubles the work
    assert work_seconds(session.items[1], timing) == 60
    assert pair_minutes_of(session, "B", timing) == 6
    assert pair_rest_s(session, "B", timing) == 0
    assert pair_instruction(session, "B", timing).endswith("no rest after B2; together 6 min")
    assert [line.label for line in item_lines(session, timing)] == ["B1", "B2"]


def test_a_label_on_one_item_is_no_pair() -> None:
    session = Session(
        minutes=3, hard=False, after_run=False,
        items=[item("hollow_hold", "core", 3, "30s", 30, minutes=3, pair="A")],
    )  # fmt: skip
    assert pairs_of(session) == {}
    assert [(line.label, line.minutes) for line in item_lines(session)] == [("1", 3)]


# --- the minutes add up ---------------------------------------------------------------------


def assert_minutes_add_up(plan: Plan) -> int:
    """Every session's minutes are its unpaired items' plus each pair's once; returns the
    number of pairs seen."""
    pairs = 0
    for day, session in plan.sessions():
        lines = item_lines(session)
        shown = sum(line.minutes for line in lines if line.minutes is not None)
        assert shown == session.minutes, (day.date, shown, session.minutes)
        pairs += sum(line.first_of_pair for line in lines)
    return pairs


def test_minutes_add_up_in_the_stored_plan(plan: Plan) -> None:
    assert assert_minutes_add_up(plan) == 17
    # and the pairs save time: the items alone would take longer
    assert all(
        sum(i.minutes for i in session.items) > session.minutes
        for _, session in paired_sessions(plan)
    )


def test_minutes_add_up_in_a_fresh_solve(fresh: Plan) -> None:
    assert fresh.status in ("optimal", "feasible")
    assert assert_minutes_add_up(fresh) > 0  # the tiny scenario pairs too


# --- each format ----------------------------------------------------------------------------


def test_csv_has_the_pair_columns(plan: Plan) -> None:
    frame = pd.read_csv(io.StringIO(str(export_plan(plan, "csv"))), keep_default_na=False)
    assert len(frame) == sum(len(session.items) for _, session in plan.sessions())
    assert set(frame["pair"]) - {""} and all(
        re.fullmatch(r"([A-H][12])?", p) for p in frame["pair"]
    )
    for (day, session), (date, rows) in zip(plan.sessions(), frame.groupby("date"), strict=True):
        assert date == day.date.isoformat()
        assert list(rows["minutes"]) == [i.minutes for i in session.items]  # each alone
        alone = rows[rows["pair"] == ""]
        firsts = rows[rows["pair"].str.endswith("1")]
        assert alone["minutes"].sum() + firsts["pair_minutes"].astype(int).sum() == session.minutes
        for label, (first, second) in pairs_of(session).items():
            both = rows[rows["pair"].isin([f"{label}1", f"{label}2"])]
            assert list(both["exercise"]) == [first.exercise, second.exercise]
            assert list(both["pair"]) == [f"{label}1", f"{label}2"]
            assert set(both["pair_instruction"]) == {pair_instruction(session, label)}
            assert set(both["pair_minutes"].astype(int)) == {pair_minutes_of(session, label)}
        assert set(alone["pair_minutes"]) <= {""} and set(alone["pair_instruction"]) <= {""}


def test_csv_neutralises_a_hostile_pair_label(plan: Plan) -> None:
    data = plan.model_dump(mode="json")
    day = next(
        d for d in data["days"] if d["session"] and any(i["pair"] for i in d["session"]["items"])
    )
    for entry in day["session"]["items"]:
        if entry["pair"] == "A":
            entry["pair"] = "=A"
    frame = pd.read_csv(
        io.StringIO(str(export_plan(Plan.model_validate(data), "csv"))), keep_default_na=False
    )
    assert {"'=A1", "'=A2"} <= set(frame["pair"])
    assert any(str(note).startswith("'=A1/=A2: alternate") for note in frame["pair_instruction"])


def test_markdown_nests_each_pair_under_its_instruction(plan: Plan) -> None:
    text = str(export_plan(plan, "md"))
    for _, session in paired_sessions(plan):
        for label in pairs_of(session):
            _, _, how = pair_instruction(session, label).partition(": ")
            assert f"- **{label}1/{label}2**: {how}" in text
    pair_lines = re.findall(r"^- \*\*(\w)1/(?:\1)2\*\*: ", text, re.M)
    assert len(pair_lines) == 17
    assert len(re.findall(r"^  - \*\*\w1\*\* · ", text, re.M)) == 17  # A1 nested under it
    assert len(re.findall(r"^  - \*\*\w2\*\* · ", text, re.M)) == 17
    assert "straight into A2" in text


def test_ics_descriptions_show_pairs(plan: Plan) -> None:
    content = export_plan(plan, "ics")
    events = list(icalendar.Calendar.from_ical(content).walk("VEVENT"))
    by_start = {event["DTSTART"].dt.date(): str(event["DESCRIPTION"]) for event in events}
    for day, session in paired_sessions(plan):
        description = by_start[day.date]
        assert description == session_text(day, session)
        for label, (first, second) in pairs_of(session).items():
            note = pair_instruction(session, label)
            assert f"{note}\n{label}1. {first.name} " in description  # instruction, then A1
            assert f"\n{label}2. {second.name} " in description
        assert "\n1. " in description  # unpaired items keep numbers


def test_html_groups_each_pair(plan: Plan) -> None:
    page = str(export_plan(plan, "html", ExportOptions(run_unit="km")))
    assert page.count('<li class="pair">') == 17
    assert page.count('<span class="no">A1</span>') == len(paired_sessions(plan))
    for _, session in paired_sessions(plan):
        for label in pairs_of(session):
            _, _, how = pair_instruction(session, label).partition(": ")
            assert f"<strong>{label}1/{label}2</strong>: {how}</div>" in page


def test_html_escapes_a_hostile_pair_label(plan: Plan) -> None:
    data = plan.model_dump(mode="json")
    day = next(
        d for d in data["days"] if d["session"] and any(i["pair"] for i in d["session"]["items"])
    )
    for entry in day["session"]["items"]:
        if entry["pair"] == "A":
            entry["pair"] = "<b>"
    page = str(export_plan(Plan.model_validate(data), "html"))
    assert "<b>" not in page and "&lt;b&gt;1" in page


def test_terminal_card_shows_pairs_and_minutes_once(plan: Plan) -> None:
    day, session = paired_sessions(plan)[0]
    console = Console(record=True, width=200, color_system=None)
    console.print(session_card(day, session))
    text = console.export_text()
    for label, (first, _) in pairs_of(session).items():
        assert pair_instruction(session, label) in text
        row = next(
            line for line in text.splitlines() if line.startswith(f"│ {label}1  {first.name}")
        )
        assert row.rstrip(" │").endswith(f"→ {label}2   {pair_minutes_of(session, label)}")
        second = next(line for line in text.splitlines() if line.startswith(f"│ {label}2  "))
        assert second.rstrip(" │").endswith("—")  # its minutes are on A1
    assert f"{session.minutes} min" in text.splitlines()[0]
