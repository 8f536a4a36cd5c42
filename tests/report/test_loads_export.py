"""The next load and why in every export, and the training log template: `-o log.csv` or
`--format log`, one row per planned exercise of the coming weeks, read back by the reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from planner.domain.loads import Lift, Load, with_target_loads
from planner.domain.plan import Plan
from planner.io.catalog_file import default_catalog
from planner.io.done_log import read_training_log
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_plan, export_targets, format_for_path
from planner.report.render import render_loads, session_cards

from ..helpers.plans import make_item

DATA = Path(__file__).resolve().parent.parent / "data"
MONDAY = dt.date(2027, 1, 4)
WHY = "last time 3 x 5 at 2 x 12 kg, RPE 6.5: up one step (target RPE 8)"


@pytest.fixture(scope="module")
def plan() -> Plan:
    """The stored marathon plan, its first week's bodyweight squat a goblet squat, with the
    loads of the week of 11 Jan from a log of the week before."""
    data = load_plan(DATA / "plan_marathon.json").model_dump(mode="json")
    for day in data["days"]:
        for index, item in enumerate((day["session"] or {}).get("items", [])):
            if item["exercise"] == "skater_squat" and day["week"] <= 2:
                item.update(make_item("goblet_squat_db", 3).model_dump(mode="json"))
                day["session"]["items"][index] = item
    log = [Lift(MONDAY, "goblet_squat_db", 3, "5", Load(12, 2), 6.5)]
    return with_target_loads(
        Plan.model_validate(data), log, default_catalog(), MONDAY + dt.timedelta(7)
    )


def test_the_plan_carries_the_next_load(plan: Plan) -> None:
    day = next(d for d in plan.days if d.date == dt.date(2027, 1, 11))
    assert day.session is not None
    item = next(i for i in day.session.items if i.exercise == "goblet_squat_db")
    assert item.model_extra is not None
    # kg in each hand, and two dumbbells: one meaning in the plan, the CSV and the watch.
    assert item.model_extra["target_load"] == {
        "kg": 14.0, "count": 2, "text": "2 x 14 kg", "why": WHY,
    }  # fmt: skip


@pytest.mark.parametrize("fmt", ["md", "html", "ics"])
def test_every_export_shows_the_load_and_why(plan: Plan, fmt: str) -> None:
    content = export_plan(plan, fmt, ExportOptions(stamp=dt.datetime(2027, 1, 1)))
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    if fmt == "ics":
        events = icalendar.Calendar.from_ical(content).walk("VEVENT")
        text = "\n".join(str(event["description"]) for event in events)
    assert "2 x 14 kg" in text
    assert "up one step (target RPE 8)" in text


def test_csv_has_the_load_columns(plan: Plan) -> None:
    frame = pd.read_csv(io.StringIO(str(export_plan(plan, "csv"))))
    row = frame[(frame["date"] == "2027-01-11") & (frame["exercise"] == "goblet_squat_db")]
    assert row.iloc[0]["target_load_kg"] == 14.0  # in each hand
    assert row.iloc[0]["target_load_count"] == 2
    assert row.iloc[0]["target_load"] == "2 x 14 kg" and row.iloc[0]["target_load_why"] == WHY


def test_the_csv_reads_the_target_kg_as_every_export_does(plan: Plan) -> None:
    # One reader (`common.target_load_kg`): a flag or a text where kilograms belong is no
    # number, in the CSV as on the watch.
    from planner.report.export.common import target_load_kg
    from planner.report.export.to_csv import item_rows

    data = plan.model_dump(mode="json")
    for day in data["days"]:
        for item in (day["session"] or {}).get("items", []):
            if item.get("target_load"):
                item["target_load"]["kg"] = True
    odd = Plan.model_validate(data)
    items = [item for _, session in odd.sessions() for item in session.items]
    assert any(item.model_extra and item.model_extra.get("target_load") for item in items)
    assert all(target_load_kg(item) is None for item in items)
    assert {row["target_load_kg"] for row in item_rows(odd)} == {""}


def test_the_watch_weighs_one_dumbbell_of_the_pair(plan: Plan) -> None:
    fitdecode = pytest.importorskip("fitdecode")
    from planner.report.export import export_folder

    options = ExportOptions(weeks=1, today=MONDAY + dt.timedelta(7), stamp=dt.datetime(2027, 1, 1))
    files = export_folder(plan, "fit", options)
    data = next(content for name, content in files.items() if name.startswith("2027-01-11"))
    with fitdecode.FitReader(data) as reader:
        steps = [
            frame
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step"
        ]
    weights = [s.get_value("exercise_weight") for s in steps if s.has_field("exercise_weight")]
    weights = [weight for weight in weights if weight]
    assert weights == [pytest.approx(14.0)]  # 2 x 14 kg: 14 kg a hand, as the CSV says
    # The notes say the load and, shortened, why.
    texts = [s.get_value("notes") for s in steps if s.has_field("notes")]
    (notes,) = [text for text in texts if "2 x 14 kg" in text]
    assert notes.startswith(f"Load: 2 x 14 kg. Why: {WHY.removeprefix('last time ')}. Cue: ")


def test_a_long_reason_is_shortened_to_leave_the_cue_room() -> None:
    from planner.domain.catalog import Prescription
    from planner.domain.plan import set_target_load
    from planner.report.export.to_fit import MIN_WHY_BYTES, NOTES_BYTES, WHY_BYTES, step_notes

    item = make_item("goblet_squat_db", 3)
    why = "last time 3 x 8 at 20 kg, RPE 7 (6 reps now, 8 then): estimated 1RM " + "x" * 200
    set_target_load(item, {"kg": 20.0, "count": 1, "text": "20 kg", "why": why})
    notes = step_notes(item, Prescription(sets=(1, 1), reps=item.reps, rest_s=0))
    assert len(notes.encode("utf-8")) <= NOTES_BYTES
    assert notes.startswith("Load: 20 kg. Why: 3 x 8 at 20 kg, RPE 7 (6 reps now, 8 then)")
    reason = notes[notes.index("Why: ") + 5 : notes.index(". Cue: ")]
    assert reason.endswith("…") and MIN_WHY_BYTES <= len(reason.encode()) <= WHY_BYTES
    assert notes.endswith(f"Cue: {item.cue}")  # the cue whole


def test_the_terminal_shows_the_load_and_why(plan: Plan) -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200)
    for renderable in session_cards(plan):
        console.print(renderable)
    render_loads(plan, console, MONDAY + dt.timedelta(7))
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "next: 2 x 14 kg" in printed and WHY in printed
    assert "The coming week's loads" in printed and "Mon 11 Jan" in printed


# --- the training log template -----------------------------------------------------------------


def test_a_log_file_name_asks_for_the_template() -> None:
    assert format_for_path("log.csv") == "log" and format_for_path("out/LOG.CSV") == "log"
    # Only that name: a CSV the athlete keeps as a log is written as the plan's rows, or
    # refused as existing, never taken for the template by its name.
    assert format_for_path("sam_log.CSV") == "csv" and format_for_path("week-log.csv") == "csv"
    assert format_for_path("catalog.csv") == "csv" and format_for_path("plan.csv") == "csv"
    assert export_targets([Path("next.csv")], "log") == [(Path("next.csv"), "log")]


def test_the_template_holds_the_coming_four_weeks_and_reads_back(
    plan: Plan, tmp_path: Path
) -> None:
    start = dt.date(2027, 1, 11)
    text = str(export_plan(plan, "log", ExportOptions(today=start)))
    rows = list(csv.DictReader(io.StringIO(text)))
    planned = [
        (day.date.isoformat(), item.exercise, str(item.sets), item.reps)
        for day, session in plan.sessions()
        if start <= day.date < start + dt.timedelta(weeks=4)
        for item in session.items
    ]
    assert [(r["date"], r["exercise"], r["sets"], r["reps"]) for r in rows] == planned
    assert all(r["status"] == r["load_kg"] == r["rpe"] == "" for r in rows)
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    # Read back as written: nothing done yet.
    assert read_training_log(path, default_catalog().by_id()).entries == []
    # Filled in part: the first session done with its loads, the second missed.
    dates = sorted({r["date"] for r in rows})
    for row in rows:
        if row["date"] == dates[0]:
            row["status"] = "done"
            if row["exercise"] == "goblet_squat_db":
                row["load_kg"], row["rpe"] = "2x14", "8"
        elif row["date"] == dates[1]:
            row["status"] = "missed"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    log = read_training_log(path, default_catalog().by_id())
    assert [(e.date.isoformat(), e.status) for e in log.entries] == [
        (dates[0], "done"),
        (dates[1], "missed"),
    ]
    goblet = [lift for lift in log.lifts if lift.exercise == "goblet_squat_db"]
    assert [(lift.load, lift.rpe) for lift in goblet] == [(Load(14, 2), 8.0)]


def test_the_template_starts_at_the_block_or_the_replan_date(plan: Plan) -> None:
    text = str(export_plan(plan, "log"))
    first = text.splitlines()[1].split(",")[0]
    assert first == plan.sessions()[0][0].date.isoformat()
    one_week = str(export_plan(plan, "log", ExportOptions(weeks=1)))
    assert max(line.split(",")[0] for line in one_week.splitlines()[1:]) < "2027-01-11"
