"""`planner import`: a coach sees how a feed was read, line by line, before solving; `--json`
for scripts; `--save` writes a scenario; bad feeds exit 3 naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.io.scenario_file import load_scenario

runner = CliRunner()
IMPORTS = Path(__file__).resolve().parent.parent / "data" / "imports"
WIDE = {"COLUMNS": "200"}  # one table row per line


@pytest.mark.parametrize(
    ("name", "unit", "rows"),
    [
        # (date, kind, distance, minutes, line) of rows a coach checks against the feed
        ("tp_real.ics", "km", [("2022-05-17", "cross", "", "60", "5"),
                               ("2022-05-19", "easy", "7.87", "40", "46"),
                               ("2022-07-10", "race", "10", "", "78")]),
        ("runna_shape.ics", "km", [("2026-08-17", "quality", "6.5", "50", "6"),
                                   ("2026-08-23", "long", "8", "55", "39")]),
        ("higdon_tool.ics", "mi", [("2027-01-05", "easy", "3", "", "74"),
                                   ("2027-01-09", "long", "6", "", "50")]),
    ],
)  # fmt: skip
def test_import_prints_a_table_to_check(name: str, unit: str, rows: list[tuple[str, ...]]) -> None:
    result = runner.invoke(app, ["import", str(IMPORTS / name), "--unit", unit], env=WIDE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for date, kind, distance, minutes, line in rows:
        row = next(text for text in lines if date in text)  # the days table comes first
        cells = [cell.strip() for cell in row.split("│")[1:-1]]
        assert cells[0] == date and cells[2] == kind
        assert cells[3:6] == [distance, minutes, line]


def test_import_lists_what_was_left_out_and_the_guesses() -> None:
    result = runner.invoke(app, ["import", str(IMPORTS / "tp_real.ics"), "--unit", "km"], env=WIDE)
    out = result.stdout
    assert "left out" in out and "Other: Black-Roll & Stretching" in out
    assert "estimated from 45 min" in out  # the guess, on its row
    assert "3 left out · 1 guess" in out


def test_import_json() -> None:
    args = ["import", str(IMPORTS / "google_rrule.ics"), "--unit", "mi", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["timezone"] == "America/New_York" and data["unit"] == "mi"
    by_date = {day["date"]: day for day in data["days"]}
    assert by_date["2027-01-06"]["kind"] == "quality"  # 02:30 UTC on the 7th, in New York
    assert by_date["2027-01-06"]["lines"] == [14]


def test_import_start_and_weeks_keep_the_block() -> None:
    args = ["import", str(IMPORTS / "higdon_tool.ics"), "--unit", "mi", "--json",
            "--start", "2027-01-11", "--weeks", "1"]  # fmt: skip
    data = json.loads(runner.invoke(app, args).stdout)
    dates = [day["date"] for day in data["days"]]
    assert dates[0] == "2027-01-11" and dates[-1] == "2027-01-17" and len(dates) == 7


def test_import_strict_exits_3_on_a_guess() -> None:
    result = runner.invoke(
        app, ["import", str(IMPORTS / "higdon_tool.ics"), "--unit", "mi", "--strict"]
    )
    assert result.exit_code == 3
    assert "higdon_tool.ics:50" in result.output and "strict" in result.output


def test_import_save_writes_a_scenario(tmp_path: Path) -> None:
    target = tmp_path / "scenario.yaml"
    args = ["import", str(IMPORTS / "week_grid.csv"), "--unit", "mi", "--start", "2027-01-04",
            "--weeks", "3", "--save", str(target)]  # fmt: skip
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 0, result.output
    scenario = load_scenario(target)
    assert scenario.block.n_weeks == 3 and scenario.running.unit == "mi"
    runs = scenario.runs_by_date()
    assert [(run.kind, run.distance) for run in runs.values()][:6] == [
        ("easy", 3.0), ("easy", 3.0), ("easy", 3.0), ("long", 5.0), ("cross", 0.0),
        ("easy", 3.0),
    ]  # fmt: skip
    assert [race.distance_km for race in scenario.block.races] == [21.1]  # the half marathon
    again = runner.invoke(app, args)
    assert again.exit_code == 3 and "already exists; use --force" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date,kind\n", "plan.ics:1"),  # not a calendar
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270105\n"
            "RRULE:FREQ=WEEKLY;UNTIL=soon\nSUMMARY:Easy 5 km\nEND:VEVENT\nEND:VCALENDAR\n",
            "plan.ics:2",  # a broken recurrence, on its event's line
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Atlantis/Main:20270105T070000\n"
            "SUMMARY:Easy 5 km\nEND:VEVENT\nEND:VCALENDAR\n",
            "plan.ics:2",  # an unknown time zone
        ),
    ],
)
def test_malformed_feeds_exit_3_without_a_traceback(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "plan.ics"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--unit", "km"])
    assert result.exit_code == 3, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_usage_errors_exit_2() -> None:
    feed = str(IMPORTS / "tp_real.ics")
    assert runner.invoke(app, ["import", feed, "--unit", "miles"]).exit_code == 2
    assert runner.invoke(app, ["import", feed, "--unit", "km", "--weeks", "2"]).exit_code == 2
    assert runner.invoke(app, ["import", feed, "--unit", "km", "--start", "May 1"]).exit_code == 2
    zone = runner.invoke(app, ["import", feed, "--unit", "km", "--timezone", "Mars/Olympus"])
    assert zone.exit_code == 2 and "Mars/Olympus" in zone.output


def test_schema_shows_the_import_mapping_and_timezone() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert "timezone" in schema["properties"]
    spec = schema["$defs"]["ImportSpec"]["properties"]
    assert {"file", "strict", "kinds"} <= set(spec)
    assert "skip" in json.dumps(spec["kinds"])
    running_import = json.dumps(schema["$defs"]["Running"]["properties"]["import"])
    assert '"type": "string"' in running_import and "ImportSpec" in running_import


def test_solve_lists_the_import_guesses(tmp_path: Path) -> None:
    (tmp_path / "plan.ics").write_bytes((IMPORTS / "higdon_tool.ics").read_bytes())
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "format: 1\nblock: {start: 2027-01-04, weeks: 2}\n"
        "availability: {weekly: {mon: 30, wed: 30, fri: 30}}\n"
        "running: {unit: mi, import: plan.ics}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["solve", str(scenario), "--time-limit", "5", "--json"])
    assert result.exit_code == 0, result.output
    assert "read with 2 guesses" in result.stderr and "plan.ics:50" in result.stderr
    plan = json.loads(result.stdout)
    saturday = next(day for day in plan["days"] if day["date"] == "2027-01-09")
    assert saturday["run"] == {"kind": "long", "distance": 6.0, "minutes": 0}


def test_import_kind_overrides_a_title() -> None:
    feed = str(IMPORTS / "runna_shape.ics")
    args = ["import", feed, "--unit", "km", "--json", "--kind", "First Walk Run=skip",
            "--kind", "over and unders=long"]  # fmt: skip
    data = json.loads(runner.invoke(app, args).stdout)
    by_date = {day["date"]: day["kind"] for day in data["days"]}
    assert "2026-08-18" not in by_date and by_date["2026-08-19"] == "long"
    bad = runner.invoke(app, ["import", feed, "--unit", "km", "--kind", "Loading Up=sprint"])
    assert bad.exit_code == 2 and "sprint" in bad.output
