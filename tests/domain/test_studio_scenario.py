"""A member's scenario under the studio's situation: class days take the class's minutes
and the room's kit, home days keep the athlete's own, a class date not held offers
nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.domain.calendar import build_calendar
from planner.domain.studio import studio_scenario
from planner.errors import InputError
from planner.io.studio_file import load_studio

STUDIO = """\
format: 1
name: Two rooms of time
block: {start: 2027-01-04, weeks: 2}
kit: [dumbbell, band, mat]
classes:
  - {id: mon-0630, day: mon, start: "06:30", minutes: 30, capacity: 4}
  - {id: mon-1800, day: mon, start: "18:00", minutes: 60, capacity: 4}
  - {id: thu-1800, day: thu, start: "18:00", minutes: 45, capacity: 4}
cancelled:
  - {date: 2027-01-11, class: mon-1800}
  - {date: 2027-01-07, class: thu-1800}
athletes:
  - name: Home
    equipment: [kettlebell]
    availability:
      weekly: {mon: 20, wed: 40, sat: 50}
      exceptions: [{date: 2027-01-13, minutes: 0}, {date: 2027-01-14, minutes: 0}]
    running: {unit: km, weeks: [{tue: 8, sun: long 14}, {tue: 8, sun: long 14}]}
    home: true
  - name: Classes
    availability: {weekly: {wed: 40}}
    running: {unit: km, weeks: [{tue: 8, sun: long 14}, {tue: 8, sun: long 14}]}
    classes: [thu-1800]
"""


def days_of(tmp_path: Path, index: int) -> dict[dt.date, tuple[int, frozenset[str]]]:
    path = tmp_path / "studio.yaml"
    path.write_text(STUDIO, encoding="utf-8")
    read = load_studio(path)
    scenario = studio_scenario(read.studio, read.members[index])
    return {
        day.date: (day.available_minutes, day.equipment) for day in build_calendar(scenario).days
    }


def test_class_days_take_the_class_and_home_days_the_athletes_own(tmp_path: Path) -> None:
    days = days_of(tmp_path, 0)
    room = frozenset({"dumbbell", "band", "mat", "bodyweight"})
    home = frozenset({"kettlebell", "bodyweight"})
    assert days[dt.date(2027, 1, 4)] == (60, room)  # Monday: the longer class held
    assert days[dt.date(2027, 1, 11)] == (30, room)  # the 60-min class cancelled
    assert days[dt.date(2027, 1, 7)] == (0, room)  # Thursday's class cancelled
    assert days[dt.date(2027, 1, 14)][0] == 0  # away on a class day: away
    assert days[dt.date(2027, 1, 6)] == (40, home)
    assert days[dt.date(2027, 1, 13)] == (0, home)  # their own day off at home stays
    assert days[dt.date(2027, 1, 9)] == (50, home)


def test_an_athlete_without_home_has_only_their_classes(tmp_path: Path) -> None:
    days = days_of(tmp_path, 1)
    offered = {date: minutes for date, (minutes, _) in days.items() if minutes}
    assert offered == {dt.date(2027, 1, 14): 45}  # Wednesday at home is not theirs here


def test_a_newcomer_has_time_off_before_they_joined_and_ramps_from_their_first_week(
    tmp_path: Path,
) -> None:
    joined = STUDIO.replace("    home: true\n", "    home: true\n    joined: 2027-01-11\n")
    path = tmp_path / "studio.yaml"
    path.write_text(joined, encoding="utf-8")
    read = load_studio(path)
    calendar = build_calendar(studio_scenario(read.studio, read.members[0]))
    assert all(day.available_minutes == 0 for day in calendar.days if day.date.day < 11)
    assert dt.date(2027, 1, 11) in {day.date for day in calendar.days if day.available_minutes}
    assert calendar.weeks[0].empty  # their week before: time off, as a holiday
    assert calendar.ramp_reference_weeks(2) == []  # R12: their first week starts fresh


def test_a_joining_date_outside_the_block_is_named(tmp_path: Path) -> None:
    path = tmp_path / "studio.yaml"
    path.write_text(STUDIO.replace("    home: true\n", "    home: true\n    joined: 2027-03-01\n"))
    with pytest.raises(InputError) as raised:
        load_studio(path)
    assert "athletes[0].joined" in str(raised.value)
    assert "outside the studio's block" in str(raised.value)
