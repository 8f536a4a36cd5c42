"""Running plans as coaches and apps export them: real-shape calendar feeds (TrainingPeaks,
Runna, a calendar generated from published plan tables), Google-style recurrences in UTC,
week banners, week grids and the TrainingPeaks workouts export. Each reading below was
checked by hand against the feed; today's importer stopped on every one of these files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.io.imports import ImportReport, ImportSettings, read_running_plan
from planner.io.imports.text import distances, parse_minutes, read_kind, total_distance
from planner.io.scenario_file import load_scenario, load_scenario_with_import

IMPORTS = Path(__file__).resolve().parent.parent / "data" / "imports"
Reading = tuple[str, float, int]


def read(name: str, unit: str, **settings: object) -> ImportReport:
    return read_running_plan(IMPORTS / name, ImportSettings(unit=unit, **settings))  # type: ignore[arg-type]


def days_of(report: ImportReport) -> dict[dt.date, Reading]:
    return {day.date: (day.kind, day.distance, day.minutes) for day in report.days}


def left_out_titles(report: ImportReport) -> dict[str, dt.date | None]:
    return {item.title: item.date for item in report.left_out}


# --- the three real-shape feeds ------------------------------------------------------------


def test_trainingpeaks_feed() -> None:
    report = read("tp_real.ics", "km")
    days = days_of(report)
    # Tue 17 May: the bike ride, 60 min from "Planned Time: 1:00"; the strength session
    # that day is no run and does not change the day.
    assert days[dt.date(2022, 5, 17)] == ("cross", 0.0, 60)
    # Wed 18 May: stretching and a completed strength session: no run at all.
    assert dt.date(2022, 5, 18) not in days
    assert left_out_titles(report)["Other: Black-Roll & Stretching"] == dt.date(2022, 5, 18)
    # Thu 19 May: an easy run of 40 min planned; the completed run's distance is 7.87 km.
    assert days[dt.date(2022, 5, 19)] == ("easy", 7.87, 40)
    # Sun 22 May: the run leg of a duathlon, 11 min: a race, so the days before are kept easy.
    assert days[dt.date(2022, 5, 22)][0] == "race"
    assert days[dt.date(2022, 5, 22)][2] == 11
    # Tue 24 May: a run of 45 min; with no distance, 45 min at 6:00/km is 7.5 km (a guess).
    assert days[dt.date(2022, 5, 24)] == ("easy", 7.5, 45)
    (guess,) = report.guesses
    assert guess.line == 68 and "estimated from 45 min" in guess.message
    # Sun 10 Jul: "Triathlon Hamburg Olympisch" is a race; an olympic triathlon runs 10 km.
    assert days[dt.date(2022, 7, 10)] == ("race", 10.0, 0)
    assert len(days) == 5


def test_runna_feed() -> None:
    report = read("runna_shape.ics", "km")
    days = days_of(report)
    # "1km Repeats • 6.5km": the session's total is 6.5 km, not the 1 km repeat.
    assert days[dt.date(2026, 8, 17)][:2] == ("quality", 6.5)
    # The completed walk-run: 3.26 km ("Distance: 3.26km"), 30 min between its times.
    assert days[dt.date(2026, 8, 18)] == ("easy", 3.26, 30)
    # "Over and Unders" names no kind; the description's first line says "Tempo".
    assert days[dt.date(2026, 8, 19)][:2] == ("quality", 8.0)
    # "Loading Up • 55m - 65m" is a strength session: no run, and 55m is not 55 metres.
    assert dt.date(2026, 8, 20) not in days
    assert "🏋️ Loading Up • 55m - 65m" in left_out_titles(report)
    assert days[dt.date(2026, 8, 23)][:2] == ("long", 8.0)
    # Minutes: X-WORKOUT-ESTIMATED-DURATION is 3000 s.
    assert days[dt.date(2026, 8, 17)][2] == 50
    assert report.guesses == []


def test_generated_plan_table_calendar() -> None:
    report = read("higdon_tool.ics", "mi", start=dt.date(2027, 1, 4), last_day=dt.date(2027, 1, 17))
    days = days_of(report)
    for week in (0, 7):
        monday = dt.date(2027, 1, 4) + dt.timedelta(days=week)
        weekday = {name: monday + dt.timedelta(days=i) for i, name in enumerate("MTWRFSU")}
        # "3 m run": m is miles here, not metres.
        for name in "TWR":
            assert days[weekday[name]] == ("easy", 3.0, 0)
        assert days[weekday["M"]][0] == days[weekday["F"]][0] == "rest"
        assert days[weekday["U"]][0] == "cross"
    # A bare 6 and 7 on Saturdays: the week's long run, as published tables write it.
    assert days[dt.date(2027, 1, 9)] == ("long", 6.0, 0)
    assert days[dt.date(2027, 1, 16)] == ("long", 7.0, 0)
    assert all("long run" in guess.message for guess in report.guesses)
    assert len(report.guesses) == 2


# --- shapes synthesised for the other quirks -----------------------------------------------


def test_google_recurrences_and_utc_times() -> None:
    report = read("google_rrule.ics", "mi")
    days = days_of(report)
    assert report.timezone == "America/New_York"  # from X-WR-TIMEZONE
    # Weekly on Tuesdays, COUNT=4 with the 19th excluded: the 5th, 12th and 26th.
    tuesdays = [date for date, (kind, *_) in days.items() if date.weekday() == 1]
    assert tuesdays == [dt.date(2027, 1, 5), dt.date(2027, 1, 12), dt.date(2027, 1, 26)]
    # 02:30 UTC on 7 Jan is 21:30 on 6 Jan in New York: the run is on the 6th.
    assert days[dt.date(2027, 1, 6)] == ("quality", 6.0, 60)
    # TZID-timed weekly club run until 22 Jan 00:00 UTC: the 7th, 14th and 21st.
    assert [d for d in days if days[d][1] == 4.0] == [
        dt.date(2027, 1, 7),
        dt.date(2027, 1, 14),
        dt.date(2027, 1, 21),
    ]
    # RDATE adds the 17th, EXDATE removes the first date (the 9th).
    assert days[dt.date(2027, 1, 17)][:2] == ("long", 10.0)
    assert dt.date(2027, 1, 9) not in days


def test_scenario_time_zone_wins_over_the_calendar() -> None:
    # In Berlin, 02:30 UTC is 03:30 on the 7th: the evening run moves back to the 7th.
    report = read("google_rrule.ics", "mi", timezone="Europe/Berlin")
    assert days_of(report)[dt.date(2027, 1, 7)][0] == "quality"
    assert dt.date(2027, 1, 6) not in days_of(report)


def test_week_banners_are_left_out_and_the_long_run_is_found() -> None:
    report = read("calendar_hack.ics", "mi")
    days = days_of(report)
    banners = [item for item in report.left_out if item.title.startswith("Training Week")]
    assert [item.date for item in banners] == [dt.date(2027, 1, 4), dt.date(2027, 1, 11)]
    assert all("7 days" in item.reason for item in banners)
    assert "Yoga" in left_out_titles(report)
    # Week 1: "Run 8 mi" is twice the next run (4 mi) and 8 mi long: the long run.
    assert days[dt.date(2027, 1, 9)] == ("long", 8.0, 0)
    # Week 2: "Run 9 mi" likewise; the named tempo run of week 1 stays quality.
    assert days[dt.date(2027, 1, 16)] == ("long", 9.0, 0)
    assert days[dt.date(2027, 1, 7)] == ("quality", 4.0, 0)
    assert days[dt.date(2027, 1, 5)] == ("easy", 3.0, 0)


@pytest.mark.parametrize("name", ["week_grid.csv", "week_grid_single.csv"])
def test_week_grid(name: str) -> None:
    report = read(name, "mi", start=dt.date(2027, 1, 4))
    assert report.shape == "week grid"
    days = days_of(report)
    assert days[dt.date(2027, 1, 5)] == ("easy", 3.0, 0)  # "3 m run"
    assert days[dt.date(2027, 1, 9)] == ("long", 5.0, 0)  # a bare 5 on Saturday
    assert days[dt.date(2027, 1, 10)][0] == "cross"
    assert days[dt.date(2027, 1, 11)][0] == "rest"
    assert days[dt.date(2027, 1, 13)] == ("quality", 4.0, 0)  # "4 m pace"
    assert days[dt.date(2027, 1, 16)] == ("long", 6.0, 0)


def test_week_grid_race_day_and_an_unknown_cell() -> None:
    report = read("week_grid.csv", "mi", start=dt.date(2027, 1, 4))
    days = days_of(report)
    assert days[dt.date(2027, 1, 23)] == ("race", 13.11, 0)  # "Half Marathon", 21.1 km in mi
    # "Strides" names no kind and no distance: left out, as a guess on its line (4).
    (strides,) = [item for item in report.left_out if item.title == "Strides"]
    assert strides.guess and strides.line == 4 and strides.date == dt.date(2027, 1, 20)


def test_week_grid_needs_a_start() -> None:
    with pytest.raises(InputError, match="--start"):
        read("week_grid.csv", "mi")


def test_trainingpeaks_export() -> None:
    report = read("trainingpeaks_workouts.csv", "km")
    assert report.shape == "TrainingPeaks export"
    days = days_of(report)
    assert days[dt.date(2027, 1, 5)] == ("easy", 8.0, 45)  # 8000 m, 0.75 h
    assert days[dt.date(2027, 1, 6)][0] == "quality"  # "Hill session"
    assert days[dt.date(2027, 1, 7)] == ("cross", 0.0, 60)  # Bike, 1.0 h
    assert left_out_titles(report)["Leg circuit"] == dt.date(2027, 1, 7)  # Strength
    # 21 km is more than 1.3 × the next run (10 km) and over 13 km: the long run.
    assert days[dt.date(2027, 1, 10)] == ("long", 21.0, 105)


# --- best effort, strict and kinds ---------------------------------------------------------


def feed(tmp_path: Path, *events: tuple[str, str]) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN"]
    for number, (date, title) in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:{number}", f"DTSTART;VALUE=DATE:{date}",
                  f"SUMMARY:{title}", "END:VEVENT"]  # fmt: skip
    path = tmp_path / "plan.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n", encoding="utf-8")
    return path


def test_an_unknown_title_is_a_reported_guess(tmp_path: Path) -> None:
    path = feed(tmp_path, ("20270105", "Easy 5 km"), ("20270106", "Team photo"),
                ("20270107", "Club night 6 km"))  # fmt: skip
    report = read_running_plan(path, ImportSettings(unit="km"))
    # "Team photo" gives no distance: left out; "Club night 6 km" gives one: an easy run.
    assert days_of(report)[dt.date(2027, 1, 7)] == ("easy", 6.0, 0)
    lines = sorted(guess.line or 0 for guess in report.guesses)
    assert lines == [9, 14]  # the BEGIN:VEVENT lines of the two guesses


def test_strict_makes_every_guess_an_error(tmp_path: Path) -> None:
    path = feed(tmp_path, ("20270105", "Easy 5 km"), ("20270106", "Team photo"))
    with pytest.raises(InputError) as caught:
        read_running_plan(path, ImportSettings(unit="km", strict=True))
    (problem,) = caught.value.problems
    assert problem.line == 9 and "Team photo" in problem.message and "strict" in problem.message


def test_kinds_override_titles(tmp_path: Path) -> None:
    path = feed(tmp_path, ("20270105", "Over and Unders 8 km"), ("20270106", "Loading Up 5 km"))
    kinds = {"over and unders": "quality", "Loading Up": "skip"}
    report = read_running_plan(path, ImportSettings(unit="km", strict=True, kinds=kinds))
    assert days_of(report) == {dt.date(2027, 1, 5): ("quality", 8.0, 0)}
    assert left_out_titles(report) == {"Loading Up 5 km": dt.date(2027, 1, 6)}


# --- malformed feeds: exit 3 material, naming the file and line ----------------------------


def problem_of(tmp_path: Path, text: str, name: str = "plan.ics") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_running_plan(path, ImportSettings(unit="km"))
    (problem,) = caught.value.problems
    return str(problem)


def test_not_a_calendar(tmp_path: Path) -> None:
    problem = problem_of(tmp_path, "Week,Mon\n1,Rest\n")
    assert "plan.ics:1" in problem and "not a calendar" in problem


def test_broken_recurrence_names_its_event_line(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20270105\n"
        "SUMMARY:Easy 5 km\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART;VALUE=DATE:20270106\n"
        "RRULE:FREQ=WEEKLY;COUNT=abc\nSUMMARY:Easy 5 km\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    problem = problem_of(tmp_path, text)
    assert "plan.ics:8" in problem and "broken recurrence" in problem


def test_unknown_time_zone_names_its_event_line(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\n"
        "DTSTART;TZID=Mars/Olympus:20270105T183000\nSUMMARY:Easy 5 km\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    problem = problem_of(tmp_path, text)
    assert "plan.ics:3" in problem and 'unknown time zone "Mars/Olympus"' in problem


def test_unknown_calendar_time_zone(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Nowhere/Town\nBEGIN:VEVENT\nUID:a\n"
        "DTSTART:20270105T183000Z\nSUMMARY:Easy 5 km\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    problem = problem_of(tmp_path, text)
    assert "plan.ics:3" in problem and 'unknown time zone "Nowhere/Town"' in problem


def test_unknown_spreadsheet_header(tmp_path: Path) -> None:
    problem = problem_of(tmp_path, "when,what\n2027-01-05,easy\n", "plan.csv")
    assert "plan.csv:1" in problem and "week grid" in problem


# --- the scenario's `import:` mapping and `timezone` ---------------------------------------


def scenario_text(running_import: str, extra: str = "") -> str:
    return (
        "format: 1\nblock: {start: 2027-01-04, weeks: 2}\n"
        "availability: {weekly: {mon: 30, wed: 30}}\n"
        f"{extra}running:\n  unit: mi\n  import: {running_import}\n"
    )


def test_scenario_import_mapping(tmp_path: Path) -> None:
    (tmp_path / "plan.ics").write_bytes((IMPORTS / "google_rrule.ics").read_bytes())
    path = tmp_path / "s.yaml"
    path.write_text(
        scenario_text('{file: plan.ics, kinds: {"Club run": quality}}', "timezone: Asia/Tokyo\n"),
        encoding="utf-8",
    )
    scenario, report = load_scenario_with_import(path)
    assert report is not None and report.timezone == "Asia/Tokyo"
    runs = scenario.runs_by_date()
    # In Tokyo, 02:30 UTC is 11:30 on the 7th; the club run (18:30 New York) is on the 8th.
    assert runs[dt.date(2027, 1, 7)].kind == "quality" and runs[dt.date(2027, 1, 7)].distance == 6
    assert runs[dt.date(2027, 1, 8)].kind == "quality"  # "Club run" mapped by `kinds`


def test_scenario_strict_import_fails_on_a_guess(tmp_path: Path) -> None:
    (tmp_path / "plan.ics").write_bytes((IMPORTS / "higdon_tool.ics").read_bytes())
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text("{file: plan.ics, strict: true}"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert [problem.line for problem in caught.value.problems] == [50, 8]  # the two bare numbers


def test_scenario_rejects_an_unknown_time_zone_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        scenario_text("{file: plan.ics, kinds: {Loading: sprint}}", "timezone: Mars/Olympus\n"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    messages = " | ".join(str(problem) for problem in caught.value.problems)
    assert 'unknown time zone "Mars/Olympus"' in messages
    assert "running.import.kinds" in messages and "sprint" in messages


# --- reading words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "km"),
    [
        ("1km Repeats • 6.5km", "km", 6.5),  # the total, not the repeat
        ("3 m run", "mi", 4.83),  # miles in a plan in miles
        ("3 m run", "km", 4.83),  # a run word follows: miles, whatever the plan's unit
        ("Intervals 800m", "mi", 0.8),  # a track distance: metres
        ("Loading Up • 55m - 65m", "km", None),  # minutes, not metres
        ("Long Run • 8km • 50m - 1h0m", "km", 8.0),
        ("6x800m", "km", None),  # repeats are no distance
    ],
)
def test_distances_are_read_as_runners_write_them(text: str, unit: str, km: float | None) -> None:
    found = total_distance(text, unit)
    assert (round(found.km, 2) if found else None) == km


def test_runna_minutes_are_not_metres() -> None:
    assert distances("Tempo • 8km • 45m - 55m", "km")[0].km == 8.0
    assert len(distances("Tempo • 8km • 45m - 55m", "km")) == 1
    assert parse_minutes("Tempo • 8km • 45m - 55m") == 50
    assert parse_minutes("Long Run • 8km • 50m - 1h0m") == 55
    assert parse_minutes("Workout type: Run\nPlanned Time: 1:15") == 75


@pytest.mark.parametrize(
    ("title", "description", "kind"),
    [
        ("🏃 1km Repeats • 6.5km", "", "quality"),
        ("🏃 Over and Unders 1km • 8km", "Tempo • 8km • 45m - 55m", "quality"),
        ("🏋️ Loading Up • 55m - 65m", "Legs And Core • 55m - 65m", "skip"),
        ("Laufen LIT", "Workout type: Run\nPlanned Time: 0:40", "easy"),
        ("Triathlon Hamburg Olympisch", "", "race"),
        ("6", "", "easy"),
        ("5 m pace", "", "quality"),
    ],
)
def test_kinds_from_title_then_description(title: str, description: str, kind: str) -> None:
    found = read_kind(title, description)
    assert found is not None and found.kind == kind


def test_utc_times_without_a_zone_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART:20270107T023000Z\n"
        "SUMMARY:Easy 5 km\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    plain = read_running_plan(path, ImportSettings(unit="km"))
    assert [day.date for day in plain.days] == [dt.date(2027, 1, 7)]
    assert "dates are taken in UTC" in plain.notes[0]
    zoned = read_running_plan(path, ImportSettings(unit="km", timezone="America/Chicago"))
    assert [day.date for day in zoned.days] == [dt.date(2027, 1, 6)] and zoned.notes == ()


def test_a_repeated_property_or_a_huge_week_number_is_no_crash(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20270105\n"
        "RRULE:FREQ=WEEKLY;COUNT=2\nRRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:Easy 5 km\n"
        "SUMMARY:Easy 5 km\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    report = read_running_plan(path, ImportSettings(unit="km"))
    assert [day.date for day in report.days] == [dt.date(2027, 1, 5), dt.date(2027, 1, 12)]
    grid = tmp_path / "grid.csv"
    grid.write_text("Week,Mon,Tue,Wed\n99999,Rest,3,Rest\n", encoding="utf-8")
    with pytest.raises(InputError, match="weeks are numbered 1 to 104"):
        read_running_plan(grid, ImportSettings(unit="mi", start=dt.date(2027, 1, 4)))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("DTSTART:2027-01-05", "DTSTART"),
        ("DTSTART;VALUE=DATE:20270105\nEXDATE:garbage", "EXDATE"),
        ("DTSTART:20270105T120000\nDTEND:nope", "DTEND"),
    ],
)
def test_unreadable_dates_name_their_event_line(tmp_path: Path, body: str, field: str) -> None:
    text = (
        f"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n{body}\nSUMMARY:Easy 5 km\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    problem = problem_of(tmp_path, text)
    assert "plan.ics:2" in problem and f"VEVENT 1 {field}: cannot read it" in problem


def test_a_distance_out_of_range_names_its_line(tmp_path: Path) -> None:
    problem = problem_of(tmp_path, "date,kind,distance\n2027-01-05,easy,300\n", "plan.csv")
    assert "plan.csv:2" in problem and "300; expected 0 to 250" in problem
