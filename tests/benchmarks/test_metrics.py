"""The coach's figures of the benchmarks (benchmarks/metrics.py `coach_figures`) on small
hand-built plans, where each figure can be counted by hand, and their way into the summary
and the report's coach's table."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest

from benchmarks.baselines import GREEDY
from benchmarks.metrics import (
    COACH_COLUMNS,
    FOCUS_PREFIX,
    Case,
    baseline_row,
    coach_figures,
    is_loaded_lower_body,
    largest_targets,
    run_cases,
    summarize,
    weekly_budget,
)
from benchmarks.report import _coach_table, focus_cell
from planner.domain.plan import DayPlan, Item, Objective, Plan, Run, Session, WeekPlan

from ..conftest import MONDAY, make_scenario

# --- hand-built plans ----------------------------------------------------------------------


def item(
    exercise: str,
    category: str,
    sets: int,
    minutes: int = 5,
    tags: tuple[str, ...] = (),
    equipment: tuple[str, ...] = ("bodyweight",),
    targets: dict[str, float] | None = None,
) -> Item:
    return Item(
        exercise=exercise,
        name=exercise.replace("_", " "),
        category=category,
        sets=sets,
        reps="8",
        load="test",
        rest_s=60,
        minutes=minutes,
        equipment=list(equipment),
        tags=list(tags),
        contacts=0,
        targets=targets or {},
    )


def session(*items: Item) -> Session:
    hard = any(i.category in ("power", "strength") for i in items)
    return Session(
        minutes=sum(i.minutes for i in items), hard=hard, after_run=False, items=list(items)
    )


def plan_of(weeks: list[tuple[str, bool]], sessions: dict[tuple[int, int], Session]) -> Plan:
    """A plan of whole weeks, each (phase, deload); `sessions` by (week, weekday 0-6)."""
    week_plans, days = [], []
    for index, (phase, deload) in enumerate(weeks, start=1):
        start = MONDAY + dt.timedelta(weeks=index - 1)
        held = [s for (w, _), s in sessions.items() if w == index]
        week_plans.append(
            WeekPlan(
                index=index,
                start=start,
                phase=phase,
                deload=deload,
                minutes=sum(s.minutes for s in held),
                sessions=len(held),
                hard_sessions=sum(s.hard for s in held),
                run_distance=0.0,
            )
        )
        for weekday in range(7):
            days.append(
                DayPlan(
                    date=start + dt.timedelta(days=weekday),
                    week=index,
                    phase=phase,
                    available_minutes=60,
                    run=Run(kind="rest", distance=0.0),
                    session=sessions.get((index, weekday)),
                )
            )
    return Plan(
        scenario="hand-built",
        status="feasible",
        objective=Objective(
            benefit=0.0, minutes=0, benefit_per_minute=0.0, benefit_per_minute_bound=None
        ),
        rules={},
        warnings=[],
        weeks=week_plans,
        days=days,
    )


HIPS = item("hip_90_90", "mobility", 1, minutes=3, tags=("hip",))
ANKLES = item("ankle_rocks", "mobility", 1, minutes=2, tags=("ankle",))
CORE = item("dead_bug", "core", 2, minutes=3)
POGO = item("pogo_hops", "power", 3, minutes=4, tags=("plyometric", "lower_body"))


def loaded(exercise: str, sets: int, *equipment: str) -> Item:
    return item(exercise, "strength", sets, tags=("lower_body",), equipment=equipment)


def bodyweight(exercise: str, sets: int) -> Item:
    return item(exercise, "strength", sets, tags=("lower_body", "unilateral"))


# --- the matched study's budget ------------------------------------------------------------


def test_the_matched_budget_keeps_the_optimizers_total_within_the_baselines() -> None:
    # A lumpy plan: weeks of 28 and 27 minutes, then two empty ones. The budget is its total
    # over its weeks, so that four capped weeks never add up to more than the plan's time.
    weeks = [("base", False)] * 4
    plan = plan_of(
        weeks,
        {
            (1, 0): session(HIPS, CORE, loaded("split_squat", 3, "dumbbell")),
            (1, 3): session(HIPS, ANKLES, CORE, POGO, loaded("goblet_squat", 4, "dumbbell")),
            (2, 2): session(HIPS, ANKLES, CORE, POGO, CORE, CORE, CORE, CORE, CORE),
        },
    )
    assert [week.minutes for week in plan.weeks] == [28, 27, 0, 0]
    assert weekly_budget(plan) == 13  # 55 // 4: four weeks of 13 min are 52 <= 55


def test_baselines_run_once_when_the_optimizer_runs_three_times() -> None:
    scenario = make_scenario()
    case = Case("suite", "00_plain", scenario, None, 0, 2, 10.0, (GREEDY,))
    assert len(run_cases([case], repetitions=3)) == 3
    assert len(run_cases([case], repetitions=3, baseline_repetitions=1)) == 1


# --- loaded lower-body strength ------------------------------------------------------------


@pytest.mark.parametrize("kit", ["dumbbell", "kettlebell", "barbell", "trap_bar", "cable"])
def test_each_loading_implement_makes_a_loaded_lower_body_item(kit: str) -> None:
    assert is_loaded_lower_body(loaded("squat", 3, kit))
    # An implement next to others (a barbell and its rack) still loads the lift.
    assert is_loaded_lower_body(loaded("squat", 3, "rack", kit))


def test_what_is_not_a_loaded_lower_body_item() -> None:
    # Bodyweight, a band or a box is no external load; an upper-body lift is not lower
    # body; a loaded calf raise is an accessory, not strength.
    assert not is_loaded_lower_body(bodyweight("pistol_squat", 3))
    assert not is_loaded_lower_body(loaded("banded_squat", 3, "band"))
    assert not is_loaded_lower_body(loaded("box_step_up", 3, "box"))
    row = item("row", "strength", 3, tags=("upper_body",), equipment=("dumbbell",))
    assert not is_loaded_lower_body(row)
    calf = item("calf_raise", "accessory", 3, tags=("lower_body",), equipment=("dumbbell",))
    assert not is_loaded_lower_body(calf)


def test_loaded_lower_body_sets_per_loading_week() -> None:
    # Base weeks 1-3 hold 3 + 3 = 6, 4 and 0 loaded lower-body sets (the skater squats are
    # bodyweight, the rows upper body): the median is 4. The deload (week 4) and the peak
    # week (5), with 10 loaded sets each, are not base or build loading weeks.
    split = loaded("split_squat_db", 3, "dumbbell")
    deadlift = loaded("trap_bar_deadlift", 3, "trap_bar")
    rows = item("row", "strength", 4, tags=("upper_body",), equipment=("dumbbell",))
    skater = bodyweight("skater_squat", 3)
    heavy = loaded("back_squat", 10, "barbell", "rack")
    plan = plan_of(
        [("base", False)] * 3 + [("base", True), ("peak", False)],
        {
            (1, 0): session(HIPS, split, CORE),
            (1, 3): session(HIPS, deadlift, skater, CORE),
            (2, 0): session(HIPS, loaded("goblet_squat_kb", 4, "kettlebell"), rows, CORE),
            (3, 0): session(HIPS, skater, rows, CORE),
            (4, 0): session(HIPS, heavy, CORE),
            (5, 0): session(HIPS, heavy, CORE),
        },
    )
    figures = coach_figures(plan)
    assert figures["loaded_lower_sets"] == 4
    # All strength sets for comparison: 9, 8 and 7 (rows and skater squats count there).
    assert figures["strength_sets"] == 8


def test_no_base_or_build_loading_week_has_no_loaded_sets_figure() -> None:
    plan = plan_of([("peak", False)], {(1, 0): session(HIPS, loaded("squat", 3, "barbell"))})
    assert math.isnan(coach_figures(plan)["loaded_lower_sets"])


# --- warm-up -------------------------------------------------------------------------------


def test_warm_up_minutes_are_the_mobility_block_of_hard_sessions() -> None:
    # Hard sessions warm up for 3 + 2 = 5 min (hips and ankles), 3 min (hips only) and, in
    # the deload, 2 min: the median is 3. The light session's 10 minutes of mobility do not
    # count: it is no hard session.
    long_mobility = item("world_greatest_stretch", "mobility", 2, minutes=10, tags=("hip",))
    plan = plan_of(
        [("base", False), ("base", True)],
        {
            (1, 0): session(HIPS, ANKLES, POGO, loaded("squat", 3, "barbell"), CORE),
            (1, 2): session(long_mobility, CORE),
            (1, 4): session(HIPS, bodyweight("lunge", 3), CORE),
            (2, 0): session(ANKLES, bodyweight("lunge", 2), CORE),
        },
    )
    assert coach_figures(plan)["warmup_minutes"] == 3


def test_no_hard_session_has_no_warm_up_figure() -> None:
    plan = plan_of([("base", False)], {(1, 0): session(HIPS, CORE)})
    assert math.isnan(coach_figures(plan)["warmup_minutes"])


# --- accessories for the focus -------------------------------------------------------------


def test_an_accessory_counts_for_its_largest_contribution() -> None:
    bridge = item(
        "glute_bridge", "accessory", 2, targets={"posterior_chain": 1.5, "hip_stability": 1.0}
    )
    assert largest_targets(bridge) == {"posterior_chain"}
    even = item("even", "accessory", 2, targets={"hip_stability": 1.0, "calf_achilles": 1.0})
    assert largest_targets(even) == {"hip_stability", "calf_achilles"}
    assert largest_targets(item("plain", "accessory", 2)) == set()


def test_accessory_sets_per_loading_week_for_each_focus_target_weighted_4_or_5() -> None:
    # Focus: hip stability 5 and calf 4 get a column; posture 3 does not.
    # Week 1: side-lying abduction 3 sets (hip stability) and calf raises 2 sets (calf).
    # Week 2: glute bridges 3 sets, whose largest contribution is the posterior chain, not
    #   hip stability (it counts for neither focus column); calf raises 3 sets.
    # Week 3 (build): a banded walk that doses hip stability and calf evenly, 2 sets, counts
    #   for both; a strength move that doses hip stability is no accessory.
    # Week 4 is a deload: its 9 sets of abduction do not count.
    # Hip stability: 3, 0, 2 -> median 2. Calf: 2, 3, 2 -> median 2.
    def accessory(exercise: str, sets: int, **targets: float) -> Item:
        return item(exercise, "accessory", sets, targets={t: sets * a for t, a in targets.items()})

    abduction = accessory("side_lying_hip_abduction", 3, hip_stability=1.0)
    plan = plan_of(
        [("base", False), ("base", False), ("build", False), ("build", True)],
        {
            (1, 0): session(HIPS, abduction, CORE),
            (1, 3): session(HIPS, accessory("calf_raise", 2, calf_achilles=1.0), CORE),
            (2, 0): session(
                HIPS,
                accessory("glute_bridge", 3, posterior_chain=0.75, hip_stability=0.5),
                accessory("calf_raise", 3, calf_achilles=1.0),
                CORE,
            ),
            (3, 0): session(
                HIPS,
                item("step_down", "strength", 3, targets={"hip_stability": 3.0}),
                accessory("band_walk", 2, hip_stability=0.5, calf_achilles=0.5),
                CORE,
            ),
            (4, 0): session(HIPS, accessory("side_lying_hip_abduction", 9, hip_stability=1.0)),
        },
    )
    focus = {"hip_stability": 5, "calf_achilles": 4, "posture": 3, "power": 1}
    figures = coach_figures(plan, focus)
    assert figures[FOCUS_PREFIX + "hip_stability"] == 2
    assert figures[FOCUS_PREFIX + "calf_achilles"] == 2
    assert not any(
        key.startswith(FOCUS_PREFIX) and key.removeprefix(FOCUS_PREFIX) in ("posture", "power")
        for key in figures
    )
    # Without a focus there is no focus column.
    assert not any(key.startswith(FOCUS_PREFIX) for key in coach_figures(plan))


# --- into the summary and the report -------------------------------------------------------


def test_the_summary_and_the_coach_table_carry_the_new_figures() -> None:
    # A greedy plan for an athlete with a calf focus of 5, run twice: the summary holds the
    # medians of the coach's columns and the calf column, and the coach's table writes the
    # focus cell. Runs of an older version without the new columns still summarise.
    scenario = make_scenario(
        athlete={"name": "Cal", "level": "intermediate", "equipment": ["dumbbell", "band"],
                 "focus": {"calf_achilles": 5, "posture": 2}},
    )  # fmt: skip
    case = Case("suite", "00_calf", scenario, None, 0, 2, 10.0, (GREEDY,))
    runs = pd.DataFrame([baseline_row(case, GREEDY, repetition) for repetition in (0, 1)])
    column = FOCUS_PREFIX + "calf_achilles"
    assert column in runs and FOCUS_PREFIX + "posture" not in runs
    summary = summarize(runs)
    row = summary.iloc[0]
    for name in (*COACH_COLUMNS, column):
        assert row[name] == pytest.approx(runs[name].median(), nan_ok=True), name
    table = _coach_table(summary)
    assert list(table.columns) == [
        "scenario", "planner", "median session min", "strength sets/wk",
        "loaded lower-body sets/wk", "hard warm-up min", "complete sessions",
        "focus accessory sets/wk", "pairs used", "minutes saved by pairs",
    ]  # fmt: skip
    assert table["focus accessory sets/wk"].iloc[0] == f"calf achilles {row[column]:g}"

    older = summarize(
        runs.drop(columns=["loaded_lower_sets", "warmup_minutes", "pairs_used", column])
    )
    assert math.isnan(older.iloc[0]["loaded_lower_sets"])
    assert math.isnan(_coach_table(older)["pairs used"].iloc[0])
    assert _coach_table(older)["focus accessory sets/wk"].iloc[0] == "–"


def test_focus_cell() -> None:
    row: dict[str, Any] = {
        "scenario": "x",
        FOCUS_PREFIX + "hip_stability": 6.0,
        FOCUS_PREFIX + "calf_achilles": 2.5,
        FOCUS_PREFIX + "posture": math.nan,  # another scenario's focus
    }
    assert focus_cell(pd.Series(row)) == "hip stability 6, calf achilles 2.5"
    assert focus_cell(pd.Series({"scenario": "x"})) == "–"
