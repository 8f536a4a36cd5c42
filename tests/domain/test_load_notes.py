"""Load notes that agree with their reps (COACHING_RULES.md, Revisions, "Load notes"): a
loaded strength item's %1RM is the chart's for its reps and RPE, a bodyweight item progresses
by tempo and pause, and deload and taper notes keep the movements with fewer sets."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from planner.domain.catalog import percent_1rm
from planner.domain.loads import target_rpe
from planner.domain.plan import WeekPlan
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.solver.plan_builder import load_guidance
from planner.solver.problem import Candidate, Group, _candidate
from planner.vocabulary import LEVELS

from ..helpers.plans import make_item

EXERCISES = default_catalog().by_id()
MODEL = default_benefit_model()


def group(kind: str = "loading", weeks: tuple[int, ...] = (1, 2, 3), first: bool = True) -> Group:
    return Group(
        index=0,
        weeks=weeks,
        kind=kind,
        phase="taper" if kind == "taper" else "base",
        mesocycle=1,
        first_mesocycle=first,
        n_slots=3,
        min_hard=2,
        candidates=(),
        weights={},
    )


def candidate(exercise_id: str, level: str, first: bool = True) -> Candidate:
    return _candidate(EXERCISES[exercise_id], level, first, MODEL)


def test_a_heavy_item_names_its_rpe_reserve_and_the_charts_percent() -> None:
    # 5 reps at RPE 8 leave 2 in reserve: the chart's 81.1 % 1RM.
    note = load_guidance(candidate("split_squat_db", "intermediate"), group(), 1)
    assert note == "5 reps per side at RPE 8 (about 81% 1RM), 2 reps in reserve"
    note = load_guidance(candidate("back_squat", "advanced"), group(), 1)
    assert note == "5 reps at RPE 8 (about 81% 1RM), 2 reps in reserve"


def test_a_heavy_item_adds_load_week_by_week_at_the_same_rpe() -> None:
    note = load_guidance(candidate("trap_bar_deadlift", "intermediate"), group(), 2)
    assert note == "week 2 of 3: add 2.5-5% load vs last week; RPE 8"


def test_a_novices_first_mesocycle_lifts_8_reps_at_rpe_7() -> None:
    # 8 reps with 3 in reserve: 70.7 % 1RM, the chart's value, not 80 %.
    note = load_guidance(candidate("goblet_squat_db", "novice"), group(), 1)
    assert note == "8 reps at RPE 7 (about 71% 1RM), 3 reps in reserve"
    # From the second mesocycle a novice lifts 3 x 6: heavy, RPE 8, 78.6 %.
    later = load_guidance(candidate("goblet_squat_db", "novice", False), group(first=False), 1)
    assert later == "6 reps at RPE 8 (about 79% 1RM), 2 reps in reserve"


@pytest.mark.parametrize("exercise_id", ["split_squat_bw", "pull_up", "inverted_row"])
def test_a_bodyweight_item_progresses_by_tempo_and_pause(exercise_id: str) -> None:
    # The inverted row hangs from a barbell, but the body is the load: no %1RM.
    first = load_guidance(candidate(exercise_id, "intermediate"), group(), 1)
    later = load_guidance(candidate(exercise_id, "intermediate"), group(), 3)
    assert first.startswith("bodyweight") and "lowering" in first
    assert "pause" in later and "lowering" in later and later.startswith("week 3 of 3")
    assert "%" not in first + later


@pytest.mark.parametrize("exercise_id", ["back_squat", "split_squat_bw"])
def test_deload_and_taper_keep_the_movements_with_fewer_sets(exercise_id: str) -> None:
    item = candidate(exercise_id, "intermediate")
    assert load_guidance(item, group("deload", (4,)), 4) == (
        "deload: same movements, about 2/3 of the sets, RPE 6"
    )
    assert load_guidance(item, group("taper", (9,)), 9) == (
        "taper: same movements, fewer sets, RPE 6: light and crisp"
    )


NOTE = re.compile(r"^(?P<reps>\d+) reps(?: per side)? at RPE (?P<rpe>[\d.]+) \(about (?P<pct>\d+)%")


def test_no_note_states_a_percent_the_chart_contradicts() -> None:
    # Every strength exercise, level and stage: the %1RM a note states is the chart's for the
    # reps and RPE the same note states, and they are the item's own reps.
    stated = 0
    for exercise in EXERCISES.values():
        if exercise.category != "strength":
            continue
        for level in LEVELS[LEVELS.index(exercise.level) :]:
            for first in (True, False):
                item = candidate(exercise.id, level, first)
                note = load_guidance(item, group(first=first), 1)
                if "%" not in note:
                    assert not exercise.loaded, (exercise.id, note)
                    continue
                match = NOTE.match(note)
                assert match, note
                reps, rpe = int(match["reps"]), float(match["rpe"])
                assert reps == item.prescription.count, (exercise.id, note)
                assert int(match["pct"]) == round(percent_1rm(reps, rpe)), (exercise.id, note)
                stated += 1
    assert stated > 50  # the loaded lifts of three levels and two stages


STATED_RPE = re.compile(r"RPE (\d+(?:\.5)?)\b")


@pytest.mark.parametrize("kind", ["loading", "deload", "taper"])
def test_every_note_states_the_rpe_the_load_suggestions_aim_at(kind: str) -> None:
    # One target RPE per item (catalog.target_rpe): the note says it, and the suggestions
    # compare the logged RPE with it. An accessory leaves 2-3 reps in reserve (RPE 7.5) and
    # eases to RPE 6 in a deload or taper week like the rest; a bodyweight item aims at RPE 7
    # at every step of its tempo.
    weeks = (1, 2) if kind == "loading" else (4,)
    checked = 0
    for exercise in EXERCISES.values():
        if exercise.category not in ("strength", "accessory"):
            continue
        for level in LEVELS[LEVELS.index(exercise.level) :]:
            for first in (True, False):
                for week in weeks:
                    note = load_guidance(
                        candidate(exercise.id, level, first), group(kind, weeks, first), week
                    )
                    item = make_item(exercise.id, 3, level, first)
                    plan_week = WeekPlan(
                        index=week, start=dt.date(2027, 1, 4), deload=kind == "deload",
                        phase="taper" if kind == "taper" else "base", minutes=60, sessions=2,
                        hard_sessions=2, run_distance=30,
                    )  # fmt: skip
                    # What the suggestions compare the log with (a bodyweight accessory gets
                    # none; its note still says the RPE of an accessory).
                    aim = target_rpe(item, plan_week, exercise.loaded)
                    if aim is None:
                        assert exercise.category == "accessory" and not exercise.loaded
                        aim = target_rpe(item, plan_week, loaded=True)
                    stated = [float(rpe) for rpe in STATED_RPE.findall(note)]
                    assert stated == [aim], (exercise.id, level, kind, note)
                    checked += 1
    assert checked > 100
