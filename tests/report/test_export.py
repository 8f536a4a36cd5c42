"""Exports: every format round-trips to the plan's facts, and user text is escaped for each
format's syntax (HTML, CSV formulas, iCalendar)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from planner.domain.plan import Plan
from planner.errors import OutputError
from planner.io.plan_file import load_plan
from planner.report.export import (
    ExportOptions,
    export_plan,
    export_targets,
    format_for_path,
    write_exports,
)
from planner.report.export.charts import nice_ceiling, phase_segments
from planner.report.export.to_csv import neutralise

DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE_NAME = '<script>alert("x")</script>, Sam;\nnew line'
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def plan() -> Plan:
    """A real solved plan (scenarios/marathon_18wk.yaml), stored so exports need no solve."""
    return load_plan(DATA / "plan_marathon.json")


def hostile(plan: Plan) -> Plan:
    """The plan with user text that each format must escape."""
    data = plan.model_dump(mode="json")
    data["scenario"] = HOSTILE_NAME
    data["athlete"] = "<img src=x onerror=alert(1)>"
    first = next(day for day in data["days"] if day["session"])
    first["session"]["items"][0]["name"] = FORMULA_NAME
    first["session"]["items"][0]["cue"] = "+1 then -2, @home\nand a second line; with <b>tags</b>"
    first["session"]["items"][0]["load"] = "-10% | *bold* [link](x)"
    return Plan.model_validate(data)


def all_items(plan: Plan) -> list[tuple[dt.date, object]]:
    return [(day.date, item) for day, session in plan.sessions() for item in session.items]


# --- choosing formats ----------------------------------------------------------------------


def test_format_comes_from_extension_or_flag() -> None:
    assert format_for_path("plan.ICS") == "ics"
    assert format_for_path("report.htm") == "html"
    assert format_for_path("plan.txt") is None
    paths = [Path("a.json"), Path("b.csv")]
    assert export_targets(paths) == [(Path("a.json"), "json"), (Path("b.csv"), "csv")]
    assert export_targets([Path("plan.txt")], "md") == [(Path("plan.txt"), "md")]
    with pytest.raises(ValueError, match="cannot tell the format"):
        export_targets([Path("plan.txt")])
    with pytest.raises(ValueError, match="unknown format"):
        export_targets([Path("a.json")], "docx")
    with pytest.raises(ValueError, match="unknown export format"):
        export_plan(load_plan(DATA / "plan_marathon.json"), "docx")
    # A folder of watch workouts takes --format beside files named by their extension.
    both = [Path("plan.pdf"), Path("watch")]
    assert export_targets(both, "fit") == [(Path("plan.pdf"), "pdf"), (Path("watch"), "fit")]
    with pytest.raises(ValueError, match="applies to one output"):
        export_targets([Path("watch"), Path("other")], "fit")
    with pytest.raises(ValueError, match="-o DIR"):
        export_targets([], "fit")
    with pytest.raises(ValueError, match="cannot be printed"):
        export_targets([], "pdf")


def test_write_exports_is_atomic_and_refuses_overwrite(plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    write_exports(plan, [(target, "md")])
    before = target.read_text(encoding="utf-8")
    with pytest.raises(OutputError, match="already exists"):
        write_exports(plan, [(target, "md")])
    write_exports(plan, [(target, "md")], force=True)
    assert target.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]  # no temporary files left


# --- JSON ----------------------------------------------------------------------------------


def test_json_is_the_canonical_plan(plan: Plan, tmp_path: Path) -> None:
    text = export_plan(plan, "json")
    assert text == plan.to_json()
    (tmp_path / "p.json").write_text(str(text), encoding="utf-8")
    assert load_plan(tmp_path / "p.json") == plan


# --- CSV -----------------------------------------------------------------------------------


def test_csv_round_trips_through_pandas(plan: Plan) -> None:
    frame = pd.read_csv(io.StringIO(str(export_plan(plan, "csv", ExportOptions(run_unit="mi")))))
    items = all_items(plan)
    assert len(frame) == len(items)  # one row per exercise item
    for row, (date, item) in zip(frame.itertuples(), items, strict=True):
        assert row.date == date.isoformat()
        assert (row.exercise, row.name, row.category) == (item.exercise, item.name, item.category)
        assert (row.sets, str(row.reps), row.minutes, row.rest_s) == (
            item.sets, item.reps, item.minutes, item.rest_s,
        )  # fmt: skip
    session_minutes = frame.groupby("date")["minutes"].sum()
    for day, session in plan.sessions():
        assert session_minutes[day.date.isoformat()] == session.minutes
    assert set(frame["run_unit"]) == {"mi"}


def test_csv_neutralises_formulas(plan: Plan) -> None:
    frame = pd.read_csv(io.StringIO(str(export_plan(hostile(plan), "csv"))), keep_default_na=False)
    first = frame.iloc[0]
    assert first["name"] == "'" + FORMULA_NAME  # would run as a formula without the quote
    assert first["cue"].startswith("'+1 then -2")
    assert first["load"].startswith("'-10%")
    assert not any(str(cell).startswith(("=", "+", "-", "@")) for cell in frame.to_numpy().ravel())
    assert frame.iloc[1]["name"] == plan.sessions()[0][1].items[1].name  # plain text untouched


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("plain", "plain"), (3, 3), ("a=b", "a=b")],
)  # fmt: skip
def test_neutralise(cell: object, expected: object) -> None:
    assert neutralise(cell) == expected


# --- ICS -----------------------------------------------------------------------------------


def events_of(content: str | bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


def test_ics_has_one_event_per_session_on_the_right_dates(plan: Plan) -> None:
    events = events_of(export_plan(plan, "ics", ExportOptions(run_unit="mi")))
    sessions = plan.sessions()
    assert len(events) == len(sessions)
    for event, (day, session) in zip(events, sessions, strict=True):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert start == dt.datetime.combine(day.date, dt.time(18))  # default hour, local time
        assert end - start == dt.timedelta(minutes=session.minutes)
        description = str(event["DESCRIPTION"])
        assert all(item.name in description for item in session.items)  # the full session
        assert f"{session.minutes} min" in str(event["SUMMARY"])


def test_ics_session_hour_and_stable_uids(plan: Plan) -> None:
    early = events_of(export_plan(plan, "ics", ExportOptions(session_hour=7)))
    again = events_of(export_plan(plan, "ics", ExportOptions(session_hour=7)))
    assert {event["DTSTART"].dt.hour for event in early} == {7}
    uids = [str(event["UID"]) for event in early]
    assert len(set(uids)) == len(uids)
    assert uids == [str(event["UID"]) for event in again]  # re-export updates, not duplicates
    with pytest.raises(ValueError, match="session hour"):
        ExportOptions(session_hour=24)


def test_ics_escapes_commas_semicolons_and_newlines(plan: Plan) -> None:
    content = export_plan(hostile(plan), "ics")
    assert isinstance(content, bytes)
    raw = content.decode("utf-8")
    unfolded = re.sub(r"\r\n[ \t]", "", raw)
    name_line = next(line for line in unfolded.split("\r\n") if line.startswith("X-WR-CALNAME"))
    assert "Sam\\;\\nnew line" in name_line and "\\," in name_line
    for line in unfolded.split("\r\n"):  # every line is a property: no raw newline leaked
        assert not line or re.match(r"^[A-Z-]+[;:]", line), line
    first = events_of(content)[0]
    description = str(first["DESCRIPTION"])
    assert FORMULA_NAME in description
    assert "+1 then -2, @home\nand a second line; with <b>tags</b>" in description  # round trip
    calendar = icalendar.Calendar.from_ical(content)  # X- properties come back still escaped
    raw_name = str(calendar["X-WR-CALNAME"])
    unescaped = raw_name.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
    assert unescaped == HOSTILE_NAME + ": gym sessions"


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_has_weeks_sessions_and_warnings(plan: Plan) -> None:
    text = str(export_plan(plan, "md", ExportOptions(run_unit="mi")))
    assert text.startswith(f"# {plan.scenario}")
    assert "| Week | Start | Phase | Run (mi) |" in text
    assert text.count("\n#### ") == len(plan.sessions())
    for warning in plan.warnings:
        assert warning.rule in text


def test_markdown_escapes_html_and_markdown(plan: Plan) -> None:
    text = str(export_plan(hostile(plan), "md"))
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    assert "\\| \\*bold\\* \\[link\\](x)" in text  # no table break, emphasis or link


# --- HTML ----------------------------------------------------------------------------------


def test_html_report_has_every_section(plan: Plan) -> None:
    page = str(export_plan(plan, "html", ExportOptions(run_unit="mi")))
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport"' in page and "@media (max-width" in page  # phones
    assert "@media print" in page
    for section in ("phases", "calendar", "volume", "dose", "sessions", "warnings"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") == 2  # phase band and volume chart
    assert page.count('class="gym-bar"') == len(plan.weeks)
    assert page.count('<article class="card') == len(plan.sessions())
    assert page.count('<td class="day') == len(plan.days) + page.count("day outside")
    assert "race 26.2 mi" in page


def test_html_report_is_self_contained(plan: Plan) -> None:
    page = str(export_plan(plan, "html"))
    for forbidden in ("<script", "<link", "src=", "@import", "http://", "https://", "url(http"):
        assert forbidden not in page


def test_html_escapes_user_text(plan: Plan) -> None:
    page = str(export_plan(hostile(plan), "html"))
    assert "<script" not in page and "<img" not in page and "<b>tags" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;tags&lt;/b&gt;" in page


def test_chart_helpers() -> None:
    assert [nice_ceiling(v) for v in (0.3, 7, 11, 24, 26, 480)] == [0.5, 10, 20, 25, 50, 500]
    plan = load_plan(DATA / "plan_marathon.json")
    segments = phase_segments(plan.weeks)
    assert [phase for phase, _, _ in segments] == ["base", "build", "peak", "taper"]
    assert segments[-1][2] == len(plan.weeks) - 1


def test_exports_of_a_fresh_solve_agree(tmp_path: Path) -> None:
    """A plan solved now (not the stored one) exports consistently in every format."""
    from ..conftest import make_scenario, solve_fast

    fresh = solve_fast(make_scenario(), seconds=5)
    extensions = ("json", "csv", "md", "ics", "html")
    targets = export_targets([tmp_path / f"p.{ext}" for ext in extensions])
    write_exports(fresh, targets, ExportOptions(run_unit="km"))
    assert json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["days"]
    rows = pd.read_csv(tmp_path / "p.csv")
    assert len(rows) == sum(len(session.items) for _, session in fresh.sessions())
    assert len(events_of((tmp_path / "p.ics").read_bytes())) == len(fresh.sessions())
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert page.count("<article") == len(fresh.sessions())
