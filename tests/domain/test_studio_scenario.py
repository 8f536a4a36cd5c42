"""A member's scenario under the studio's situation: class days take the class's minutes
and the room's kit, home days keep the athlete's own, a class date not held offers
nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.domain.calendar import build_calendar
from planner.domain.studio import studio_scenario
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
