"""The command line: quick, init, solve, schema and exercises, checked on what they print and
write, plus the scenario builder behind quick/init and the live progress line."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.quick import QuickAnswers, build_quick_scenario, parse_days, parse_race
from planner.domain.running_plan import (
    block_dates,
    hard_session_days,
    next_monday,
    spread_week,
    usual_running_week,
    weekly_volumes,
)
from planner.errors import InputError
from planner.io.scenario_file import load_scenario
from planner.pipeline import Progress
from planner.report.export.to_pdf import find_browser
from planner.report.progress import LiveProgress, progress_text, should_show
from planner.vocabulary import WEEKDAYS

from ..conftest import scenario_data

runner = CliRunner()
TODAY = dt.date(2026, 11, 25)  # a Wednesday
QUICK_SMALL = [
    "quick", "--days", "mon:40,wed:30,fri:40", "--weeks", "2", "--start", "2027-01-04",
    "--runs", "tue:easy,thu:quality,sun:long", "--weekly", "32km",
    "--equipment", "band,dumbbell", "--name", "Tess", "--time-limit", "5", "--seed", "1",
]  # fmt: skip


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """The small conftest scenario as a YAML file."""
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(scenario_data(), sort_keys=False), encoding="utf-8")
    return path


# --- the scenario builder ------------------------------------------------------------------


def test_next_monday() -> None:
    assert next_monday(TODAY) == dt.date(2026, 11, 30)
    assert next_monday(dt.date(2026, 11, 30)) == dt.date(2026, 12, 7)  # a Monday: the next one


def test_race_is_the_last_day_of_a_block_that_starts_on_a_monday() -> None:
    race = parse_race("2027-04-18:half")  # a Sunday
    dates = block_dates(None, 12, race, TODAY)
    assert dates.start == dt.date(2027, 1, 25) and dates.start.weekday() == 0
    assert dates.end == race.date and dates.weeks == 12
    # 12 weeks from Monday 25 Jan end on Sunday 18 Apr: the race falls in the last week.
    saturday = block_dates(None, 3, parse_race("2027-04-17:10k"), TODAY)
    assert saturday.start == dt.date(2027, 3, 29) and saturday.end == dt.date(2027, 4, 17)


def test_default_block_is_twelve_weeks_from_next_monday() -> None:
    dates = block_dates(None, None, None, TODAY)
    assert (dates.start, dates.weeks, dates.end) == (dt.date(2026, 11, 30), 12, None)


def test_weekly_volumes_ramp_cut_back_and_taper() -> None:
    volumes = weekly_volumes(12, 40.0, taper_weeks=1)
    assert volumes[3] < 0.9 * volumes[2] and volumes[7] < 0.9 * volumes[6]  # cut-back weeks 4, 8
    assert volumes[-1] < 0.6 * volumes[-2]  # a 1-week taper before a half
    marathon = weekly_volumes(18, 40.0, taper_weeks=2)
    assert marathon[-2] < marathon[-3] and marathon[-1] < marathon[-2]  # a 2-week taper
    loading = [v for i, v in enumerate(marathon[:-2]) if (i + 1) % 4]
    assert loading == sorted(loading)  # the ramp only rises outside cut-back weeks


def test_spread_week_shares() -> None:
    runs = spread_week(50.0, {"tue": "easy", "thu": "quality", "sat": "easy", "sun": "long"})
    assert runs == {"tue": 12.5, "thu": 10.0, "sat": 12.5, "sun": 15.0}  # long 30 %, quality 20 %


def test_quick_running_plan_is_realistic() -> None:
    built = build_quick_scenario(
        QuickAnswers(
            days="mon:45,wed:30,sat:60",
            race="2027-04-18:half",
            weeks=12,
            runs="tue:easy,thu:tempo,sat:long,sun:easy",
            weekly="40km",
            today=TODAY,
        )
    )
    scenario = built.scenario
    runs = scenario.runs_by_date()
    assert runs[dt.date(2027, 4, 18)].kind == "race" and runs[dt.date(2027, 4, 18)].distance == 21.1
    assert not any(run.kind == "long" for date, run in runs.items() if date >= dt.date(2027, 4, 12))
    assert scenario.block.races[0].distance == "half"
    first_week = [run for date, run in runs.items() if date < dt.date(2027, 2, 1)]
    assert 34 <= sum(run.distance for run in first_week) <= 38  # ramps from 90 % of 40 km
    assert {run.kind for run in first_week} == {"easy", "quality", "long"}  # "tempo" is quality
    assert "cut-back" in built.week_notes[3] and "race week" in built.week_notes[-1]


def test_quick_in_miles_converts_the_race() -> None:
    built = build_quick_scenario(
        QuickAnswers(days="mon:45", race="2027-05-09:marathon", weeks=16, runs="sun:long",
                     weekly="30mi", today=TODAY)
    )  # fmt: skip
    assert built.scenario.running.unit == "mi"
    assert built.scenario.runs_by_date()[dt.date(2027, 5, 9)].distance == 26.2


def test_saved_yaml_loads_back_to_the_same_scenario(tmp_path: Path) -> None:
    built = build_quick_scenario(
        QuickAnswers(days="mon:45,thu:30", race="2027-04-18:10k", runs="tue:easy,sun:long",
                     weekly="25mi", equipment="band", focus="hip_stability:5",
                     level="novice", name="Ana: 'quoted' # not a comment", today=TODAY)
    )  # fmt: skip
    path = tmp_path / "s.yaml"
    path.write_text(built.to_yaml(), encoding="utf-8")
    assert load_scenario(path) == built.scenario
    text = path.read_text(encoding="utf-8")
    assert "weekly: {mon: 45, tue: 0, wed: 0, thu: 30" in text  # one line, FORMATS.md layout
    assert "&id" not in text and "*id" not in text  # no YAML anchors


@pytest.mark.parametrize(
    ("answers", "flag", "words"),
    [
        ({"days": "mon:abc"}, "--days", '"abc" is not a whole number of minutes'),
        ({"days": "mon45"}, "--days", "needs a colon"),
        ({"days": "mnday:45"}, "--days", 'did you mean "mon"'),
        ({"days": "mon:45", "race": "2027-04-18"}, "--race", "DATE:DISTANCE"),
        ({"days": "mon:45", "race": "2027-04-18:halfmarathon"}, "--race", "race distance"),
        ({"days": "mon:45", "weekly": "40"}, "--weekly", "needs a unit"),
        ({"days": "mon:45", "runs": "tue:sprint"}, "--runs", 'unknown run kind "sprint"'),
        ({"days": "mon:45", "equipment": "dumbell"}, "--equipment", 'did you mean "dumbbell"'),
        ({"days": "mon:45", "focus": "hips:3"}, "--focus", "unknown training target"),
        ({"days": "mon:45", "level": "pro"}, "--level", 'unknown level "pro"'),
        ({"days": "mon:45", "start": "tomorrow"}, "--start", "is not a date"),
        ({"days": "mon:45", "weeks": 200}, "--start/--weeks/--race", "expected 1 to 104"),
    ],
)
def test_bad_answers_name_the_flag(answers: dict[str, object], flag: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build_quick_scenario(QuickAnswers(today=TODAY, **answers))  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.path == flag and words in problem.message


def test_parse_days_fills_every_weekday() -> None:
    assert parse_days("Monday:45, sat:60min") == {
        "mon": 45, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 60, "sun": 0,
    }  # fmt: skip


# --- quick ---------------------------------------------------------------------------------


def test_quick_solves_saves_and_exports(tmp_path: Path) -> None:
    saved, report = tmp_path / "s.yaml", tmp_path / "plan.csv"
    result = runner.invoke(app, [*QUICK_SMALL, "--save", str(saved), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert "Weeks" in result.stdout and "Wrote" in result.stdout  # the readable plan
    assert "Mon 04 Jan" in result.stdout or "Wed 06 Jan" in result.stdout  # a session card
    scenario = load_scenario(saved)
    assert scenario.name == "2-week block, Tess" and scenario.block.start == dt.date(2027, 1, 4)
    assert scenario.runs_by_date()[dt.date(2027, 1, 10)].kind == "long"
    assert report.read_text(encoding="utf-8").startswith("date,weekday,week,phase")
    again = runner.invoke(app, [*QUICK_SMALL, "--save", str(saved)])
    assert again.exit_code == 3 and "already exists; use --force" in again.output


def test_quick_json_prints_only_the_plan() -> None:
    result = runner.invoke(app, [*QUICK_SMALL, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["format"] == "planner.plan/1" and plan["scenario"] == "2-week block, Tess"
    assert len(plan["days"]) == 14 and plan["status"] in ("optimal", "feasible")


def test_quick_without_run_flags_plans_the_usual_running_week() -> None:
    # A runner who types only their gym time still runs: the usual week (a long run, a
    # quality run, two easy runs) is placed around the gym days. With Mon, Wed and Sat, a
    # Thursday quality run and a Sunday long run would block Wednesday and Saturday (R4) and
    # leave one hard day; a Wednesday quality run (lift after it) keeps Mon and Wed hard.
    args = ["quick", "--days", "wed:40,sat:40,mon:40", "--weeks", "2", "--start", "2027-01-04"]
    result = runner.invoke(app, [*args, "--json", "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    kinds = {dt.date.fromisoformat(day["date"]): day["run"]["kind"] for day in plan["days"]}
    assert list(kinds.values()).count("long") == 2
    assert list(kinds.values()).count("quality") == 2
    assert {date.weekday() for date, kind in kinds.items() if kind == "long"} == {6}
    for week in plan["weeks"]:
        assert week["hard_sessions"] == 2, week
    for day in plan["days"]:
        if day["session"] and day["session"]["hard"]:
            date = dt.date.fromisoformat(day["date"])
            assert kinds.get(date + dt.timedelta(days=1)) not in ("long", "quality", "race")
            assert day["run"]["kind"] != "long"


@pytest.mark.parametrize(
    ("days", "hard_days"),
    [
        ("mon:45,wed:30,sat:60", 2),  # the runner: one hard day with Thu/Sun key runs
        ("mon:40,thu:40,sat:60", 2),
        ("tue:30,thu:30", 2),
        ("fri:40,sat:40", 1),  # two days in a row: R3 allows one hard session a week
        ("mon:20,wed:20", 0),  # no day reaches full_session_minutes
    ],
)
def test_usual_running_week_leaves_the_gym_days_their_hard_sessions(
    days: str, hard_days: int
) -> None:
    gym = parse_days(days)
    week = usual_running_week(gym)
    assert sorted(week.values()) == ["easy", "easy", "long", "quality"]
    long_day = next(day for day, kind in week.items() if kind == "long")
    quality_day = next(day for day, kind in week.items() if kind == "quality")
    chosen = hard_session_days(gym, long_day, quality_day)
    assert len(chosen) == hard_days
    # The hard days really are free of R4's protected days and R3-spaced, re-derived here.
    key_runs = {WEEKDAYS.index(long_day), WEEKDAYS.index(quality_day)}
    for day in chosen:
        index = WEEKDAYS.index(day)
        assert (index + 1) % 7 not in key_runs and day != long_day and gym[day] >= 30
    if len(chosen) == 2:
        gap = abs(WEEKDAYS.index(chosen[0]) - WEEKDAYS.index(chosen[1]))
        assert min(gap, 7 - gap) >= 2
    if hard_days == 2:  # in these cases a weekend long run costs no hard session, so it stays
        assert long_day in ("sat", "sun")


def test_quick_bad_flag_exits_3_naming_flag_and_problem() -> None:
    result = runner.invoke(app, ["quick", "--days", "mon:abc"])
    assert result.exit_code == 3
    assert "--days" in result.output and '"abc" is not a whole number of minutes' in result.output
    assert "Traceback" not in result.output


# --- init ----------------------------------------------------------------------------------


def test_init_asks_in_plain_words_and_writes_a_scenario(tmp_path: Path) -> None:
    answers = [
        "Sam",  # name
        "",  # level: keep intermediate
        "band, dumbell",  # equipment, misspelt: asked again
        "band, dumbbell",
        "mon:45, wed:30, sat:60",  # days
        "2027-04-18:half",  # race
        "12",  # weeks up to the race
        "tue:easy, thu:quality, sat:long",  # runs
        "40km",  # weekly distance
        "hip_stability:5",  # focus
    ]
    path = tmp_path / "scenario.yaml"
    result = runner.invoke(app, ["init", str(path)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "What is your name?" in result.output and "How far do you run" in result.output
    assert 'did you mean "dumbbell"' in result.output  # the bad answer was explained
    scenario = load_scenario(path)
    assert scenario.athlete.name == "Sam" and scenario.athlete.equipment == ["band", "dumbbell"]
    assert scenario.athlete.focus == {"hip_stability": 5}
    assert scenario.availability.weekly["wed"] == 30
    assert scenario.block.start == dt.date(2027, 1, 25) and scenario.block.last_day == dt.date(
        2027, 4, 18
    )
    assert scenario.runs_by_date()[dt.date(2027, 4, 18)].kind == "race"
    assert f"planner solve {path}" in result.output


def test_init_without_race_or_runs(tmp_path: Path) -> None:
    answers = ["Lee", "novice", "", "tue:30, thu:30", "", "8", "", ""]
    path = tmp_path / "s.yaml"
    result = runner.invoke(app, ["init", str(path)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    scenario = load_scenario(path)
    assert scenario.block.n_weeks == 8 and scenario.block.races == []
    assert scenario.athlete.level == "novice" and scenario.runs_by_date() == {}


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["init", str(path)], input="\n")
    assert result.exit_code == 3 and "already exists" in result.output
    assert path.read_text(encoding="utf-8") == "keep me"


# --- solve ---------------------------------------------------------------------------------


def test_solve_prints_the_plan_and_writes_files(scenario_file: Path, tmp_path: Path) -> None:
    plan_json, calendar = tmp_path / "plan.json", tmp_path / "plan.ics"
    args = ["solve", str(scenario_file), "-o", str(plan_json), "-o", str(calendar),
            "--time-limit", "5", "--seed", "1", "--session-hour", "7"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Test block" in out and "benefit/min" in out  # summary
    assert "Weeks" in out and "gym min" in out  # week overview
    assert "sets × reps" in out and "Week 1" in out  # session cards
    plan = json.loads(plan_json.read_text(encoding="utf-8"))
    for day in (d for d in plan["days"] if d["session"]):
        assert f"{dt.date.fromisoformat(day['date']):%a %d %b}" in out
    assert b"DTSTART:" in calendar.read_bytes() and b"T070000" in calendar.read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 3 and "already exists; use --force" in again.output


def test_solve_format_prints_an_export(scenario_file: Path) -> None:
    result = runner.invoke(
        app, ["solve", str(scenario_file), "--format", "md", "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Test block") and "## Sessions" in result.stdout


def test_solve_usage_and_input_errors(scenario_file: Path, tmp_path: Path) -> None:
    unknown = runner.invoke(app, ["solve", str(scenario_file), "-o", str(tmp_path / "p.xyz")])
    assert unknown.exit_code == 2 and "cannot tell the format" in unknown.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        scenario_file.read_text(encoding="utf-8").replace("band", "bnad"), encoding="utf-8"
    )
    invalid = runner.invoke(app, ["solve", str(bad)])
    assert invalid.exit_code == 3 and 'unknown equipment "bnad"' in invalid.output


def test_quiet_prints_nothing(scenario_file: Path, tmp_path: Path) -> None:
    args = [
        "solve",
        str(scenario_file),
        "--quiet",
        "--time-limit",
        "5",
        "-o",
        str(tmp_path / "p.html"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and result.output == ""
    assert (tmp_path / "p.html").exists()


# --- schema and exercises ------------------------------------------------------------------


def test_schema_is_the_scenario_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"athlete", "block", "availability", "running"} <= set(schema["properties"])
    assert "block" in schema["required"] and "availability" in schema["required"]
    running = schema["$defs"]["Running"]["properties"]
    assert "import" in running and "import_" not in running  # by alias, as in the file


def test_exercises_filters_the_catalog() -> None:
    wide = {"COLUMNS": "200"}
    everything = runner.invoke(app, ["exercises"], env=wide)
    assert everything.exit_code == 0 and "ankle_rocks" in everything.stdout
    core = runner.invoke(app, ["exercises", "--tag", "anti_rotation"], env=wide)
    assert "bird_dog" in core.stdout and "russian_twist" not in core.stdout
    banded = runner.invoke(
        app, ["exercises", "--equipment", "band", "--category", "strength"], env=wide
    )
    assert "split_squat_bw" in banded.stdout  # bodyweight is always there
    assert "back_squat" not in banded.stdout and "split_squat_db" not in banded.stdout
    assert "dead_bug" not in banded.stdout  # another category


def test_exercises_unknown_words_exit_3() -> None:
    result = runner.invoke(app, ["exercises", "--category", "strenght", "--tag", "unilaterl"])
    assert result.exit_code == 3
    assert (
        'did you mean "strength"' in result.output and 'did you mean "unilateral"' in result.output
    )


# --- live progress -------------------------------------------------------------------------


def test_progress_line_shows_time_best_bound_and_gap() -> None:
    text = progress_text(12.34, 4.0597, 6.8249, "ratio").plain
    assert text.startswith(" 12.3 s") and "best 4.0597 benefit/min" in text
    assert "bound 6.8249" in text and "gap 40.5 %" in text and "benefit per gym minute" in text
    assert "no plan yet" in progress_text(0.5, None, None, "floor").plain


def test_live_progress_draws_on_a_terminal_only() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120)
    with LiveProgress(console, enabled=True) as live:
        live(Progress(0.4, 3.5, None, "ratio"))
        live(Progress(0.9, 4.25, None, "ratio"))
        live(Progress(1.2, 4.0, 4.5, "ratio"))  # a worse plan does not lower the best
        console.print(live)  # force one frame, as the refresh thread would
    assert live.best == 4.25 and live.bound == 4.5 and live.updates == 3
    drawn = Text.from_ansi(stream.getvalue()).plain
    assert "best 4.2500 benefit/min" in drawn and "gap 5.6 %" in drawn
    assert not should_show(False, io.StringIO())  # a pipe or file: no live line
    assert not should_show(True, stream)


# --- from plan to practice: the training card (pdf) and the watch workouts (fit) -----------


def test_solve_writes_the_watch_workouts_beside_other_files(
    scenario_file: Path, tmp_path: Path
) -> None:
    plan_json, watch = tmp_path / "plan.json", tmp_path / "watch"
    args = ["solve", str(scenario_file), "-o", str(plan_json), "-o", str(watch),
            "--format", "fit", "--weeks", "1", "--weeks-from", "2027-01-01",
            "--time-limit", "5", "--seed", "1"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    plan = json.loads(plan_json.read_text(encoding="utf-8"))
    week_one = [d for d in plan["days"] if d["session"] and d["week"] == 1]
    written = sorted(path.name for path in watch.iterdir())
    assert written == [f"{d['date']}-week01-{'hard' if d['session']['hard'] else 'light'}.fit"
                       for d in week_one]  # fmt: skip
    assert all((watch / name).read_bytes()[8:12] == b".FIT" for name in written)
    assert result.stdout.count("Wrote") == len(written) + 1  # the plan and each workout


def test_fit_and_pdf_need_an_output_and_a_known_date(scenario_file: Path) -> None:
    for fmt in ("fit", "pdf"):
        result = runner.invoke(app, ["solve", str(scenario_file), "--format", fmt])
        assert result.exit_code == 2 and "-o" in result.output
    bad = runner.invoke(
        app, ["solve", str(scenario_file), "-o", "w", "--format", "fit", "--weeks-from", "May"]
    )
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_a_pdf_without_a_browser_exits_3_before_solving(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLANNER_CHROMIUM", str(tmp_path / "no-browser"))
    monkeypatch.setattr("planner.report.export.to_pdf.KNOWN_PLACES", ())
    card = tmp_path / "plan.pdf"
    result = runner.invoke(app, ["solve", str(scenario_file), "-o", str(card)])
    assert result.exit_code == 3
    assert "apt-get install chromium" in result.output and "Week 1" not in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["small.yaml"]  # nothing written


@pytest.mark.skipif(
    find_browser() is None, reason="Chromium is not installed (apt-get install chromium)"
)
def test_solve_writes_the_training_card_pdf(scenario_file: Path, tmp_path: Path) -> None:
    card = tmp_path / "plan.pdf"
    args = ["solve", str(scenario_file), "-o", str(card), "--paper", "letter", "--quiet",
            "--time-limit", "5", "--seed", "1"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = card.read_bytes()
    assert data.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2  # the 2-week block, a page a week
    assert round(float(reader.pages[0].mediabox.height)) == 792  # US Letter
