"""`planner why --keep` writes a question into a scenario's `coach:` section: the section is
replaced (or added), and every other line stays as the coach wrote it."""

from __future__ import annotations

import datetime as dt

import yaml

from planner.io.scenario_yaml import with_coach_section

COACH = {
    "exclude": ["pistol_squat"],
    "include": [],
    "prefer": [],
    "tolerance": 0.02,
    "pin": [{"date": dt.date(2027, 1, 7), "session": "none"}],
}
WRITTEN = """\
format: 1
name: Sam  # the athlete
coach:
  exclude: [goblet_squat_db]   # an old say, replaced
  tolerance: 0.05

# The running plan, as the coach wrote it.
running:
  unit: km
"""


def test_the_section_is_replaced_and_every_other_line_kept() -> None:
    text = with_coach_section(WRITTEN, COACH)
    assert text.startswith("format: 1\nname: Sam  # the athlete\ncoach:\n")
    assert text.endswith("\n# The running plan, as the coach wrote it.\nrunning:\n  unit: km\n")
    assert "goblet_squat_db" not in text and "tolerance" not in text  # the default left out
    data = yaml.safe_load(text)
    assert data["coach"] == {
        "exclude": ["pistol_squat"],
        "pin": [{"date": dt.date(2027, 1, 7), "session": "none"}],
    }
    assert "  pin:\n    - {date: 2027-01-07, session: none}\n" in text


def test_a_file_without_the_section_gets_it_at_the_end() -> None:
    text = with_coach_section("format: 1\nname: Sam", COACH)
    assert text.startswith("format: 1\nname: Sam\ncoach:\n")
    assert yaml.safe_load(text)["coach"]["exclude"] == ["pistol_squat"]
