"""Block calendar: phases from the A race, key-run days, race windows and deloads (R8)."""

from __future__ import annotations

import datetime as dt

from planner.domain.calendar import build_calendar, pick_deloads

from ..conftest import MONDAY, make_scenario


def _weeks(n: int, week: dict[str, object]) -> dict[str, object]:
    return {"unit": "km", "weeks": [week] * n}


def test_marathon_phases_split_50_30_20_with_two_week_taper() -> None:
    race_day = MONDAY + dt.timedelta(days=18 * 7 - 1)
    race = {"date": race_day.isoformat(), "distance": "marathon"}
    scenario = make_scenario(
        block={"start": MONDAY.isoformat(), "weeks": 18, "races": [race]},
        running=_weeks(18, {"tue": 8}),
    )
    phases = [week.phase for week in build_calendar(scenario).weeks]
    # 16 weeks before a 2-week taper: 8 base, 5 build, 3 peak.
    assert phases == ["base"] * 8 + ["build"] * 5 + ["peak"] * 3 + ["taper"] * 2


def test_no_race_means_all_base() -> None:
    calendar = build_calendar(make_scenario())
    assert {week.phase for week in calendar.weeks} == {"base"}


def test_key_run_days_and_race_windows() -> None:
    race_day = MONDAY + dt.timedelta(days=13)  # Sunday of week 2
    race = {"date": race_day.isoformat(), "distance": "10k", "priority": "B"}
    scenario = make_scenario(block={"start": MONDAY.isoformat(), "weeks": 2, "races": [race]})
    days = {day.date: day for day in build_calendar(scenario).days}
    wednesday = MONDAY + dt.timedelta(days=2)  # before Thursday's quality run
    assert days[wednesday].key_run_next and not days[wednesday].hard_allowed
    assert days[MONDAY].hard_allowed
    # 10k: 5 hard-free days before the race; no session on race day.
    assert days[race_day - dt.timedelta(days=5)].hard_free_race
    assert not days[race_day - dt.timedelta(days=6)].hard_free_race
    assert not days[race_day].session_allowed


def test_deloads_fall_on_cutback_weeks_or_after_three_loading_weeks() -> None:
    phases = ["base"] * 9
    cutback = [False, False, True, False, False, False, False, False, False]
    # Week 3 is a running cut-back after 2 loading weeks: the deload goes there.
    # Then 3 loading weeks (4-6) force a deload in week 7.
    expected = [False, False, True, False, False, False, True, False, False]
    assert pick_deloads(phases, cutback, 3) == expected
