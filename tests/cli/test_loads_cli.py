"""From plan to practice, as a new user does it: solve four weeks, export the training log
template, log two weeks of loads and RPE (some sessions too easy, some too hard, one
missed), replan with `--done log.csv`, and read next week's loads in kilograms, each with
its reason, in a plan that `planner check` passes."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.plan_commands import coming_start
from planner.domain.loads import Lift

from ..conftest import MONDAY, make_scenario, scenario_data

runner = CliRunner()
WEEKS = 4
LOAD = "16"  # one 16 kg dumbbell: off the standard steps, so the athlete's rack is in 2 kg
NEXT_KG = {1: 18.0, 0: 16.0, -1: 14.0}  # a step up, the same, a step down
# Logged RPE against the target, cycling over the rows: too easy, on target, over by one,
# over by two (too hard).
OFFSETS = (-1.5, 0.0, 1.0, 2.0)
# What the rule does for each in a loading week after the mesocycle's first (week 3).
STEPS = {-1.5: (1, "up one step"), 0.0: (1, "add a step"), 1.0: (0, "hold"),
         2.0: (-1, "one step down")}  # fmt: skip


def _target(row: dict[str, str]) -> float:
    """The load guidance's RPE: a heavy lift (3-6 reps) 8, a loaded accessory 7.5."""
    return 8.0 if row["category"] == "strength" else 7.5


def test_next_weeks_loads_follow_the_log(tmp_path: Path) -> None:
    data = scenario_data(
        block={"start": MONDAY.isoformat(), "weeks": WEEKS},
        running={"unit": "km", "weeks": [{"tue": 8, "thu": "quality 8", "sun": "long 16"}] * 4},
    )
    scenario = tmp_path / "block.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plan, log = tmp_path / "plan.json", tmp_path / "log.csv"
    solved = runner.invoke(
        app,
        ["solve", str(scenario), "-o", str(plan), "-o", str(log), "--time-limit", "10",
         "--seed", "1", "--quiet"],
    )  # fmt: skip
    assert solved.exit_code == 0, solved.output
    planned = json.loads(plan.read_text(encoding="utf-8"))
    weeks = {week["index"]: week for week in planned["weeks"]}
    assert not weeks[3]["deload"] and weeks[3]["mesocycle"] == weeks[2]["mesocycle"]
    items = {
        (day["date"], item["exercise"]): item
        for day in planned["days"]
        for item in (day["session"] or {}).get("items", [])
    }

    # The template: the first four weeks, every planned exercise, empty load and RPE.
    with log.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(row["date"], row["exercise"]) for row in rows} == set(items)
    assert all(row["load_kg"] == row["rpe"] == "" for row in rows)

    # Two weeks logged by hand: the first session of week 2 missed, the others done.
    third_week = (MONDAY + dt.timedelta(weeks=2)).isoformat()
    logged = [row for row in rows if row["date"] < third_week]
    missed = sorted({row["date"] for row in logged})[2]
    last: dict[str, tuple[str, float]] = {}  # exercise -> ("3 x 5", RPE) of its last log
    loaded_rows = 0
    for row in logged:
        item = items[(row["date"], row["exercise"])]
        row["status"] = "missed" if row["date"] == missed else "done"
        if row["date"] == missed or item["category"] not in ("strength", "accessory"):
            continue
        offset = OFFSETS[loaded_rows % len(OFFSETS)]
        loaded_rows += 1
        rpe = _target(item) + offset
        if set(item["equipment"]) & {"dumbbell"}:
            row["load_kg"] = LOAD
        row["rpe"] = f"{rpe:g}"
        last[row["exercise"]] = (f"{row['sets']} x {row['reps']}", rpe)
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(logged)

    new = tmp_path / "new.json"
    replanned = runner.invoke(
        app,
        ["replan", str(scenario), str(plan), "--today", third_week, "--done", str(filled),
         "-o", str(new), "--time-limit", "10", "--seed", "1"],
    )  # fmt: skip
    assert replanned.exit_code == 0, replanned.output
    assert "The coming week's loads" in replanned.output
    result = json.loads(new.read_text(encoding="utf-8"))
    assert next(d for d in result["days"] if d["date"] == missed).get("missed")

    end = (MONDAY + dt.timedelta(weeks=3)).isoformat()
    checked_loads = 0
    for day in result["days"]:
        if not third_week <= day["date"] < end or day["session"] is None:
            continue
        for item in day["session"]["items"]:
            target = item.get("target_load")
            if item["category"] not in ("strength", "accessory") or (
                item["category"] == "accessory" and "dumbbell" not in item["equipment"]
            ):
                continue
            assert target is not None, item["exercise"]
            if item["exercise"] not in last:  # only in the missed session: nothing logged
                assert target["kg"] is None
                continue
            done, rpe = last[item["exercise"]]
            steps, words = STEPS[rpe - _target(item)]
            if "dumbbell" not in item["equipment"]:  # bodyweight: a tempo step, no kg
                assert target["kg"] is None and "lowering" in target["text"]
                assert target["why"].startswith(f"last time {done}, RPE {rpe:g}: ")
                continue
            assert target["kg"] == NEXT_KG[steps], (item["exercise"], target)
            assert target["text"] == f"{NEXT_KG[steps]:g} kg"
            assert target["why"].startswith(f"last time {done} at 16 kg, RPE {rpe:g}: ")
            assert words in target["why"] and f"(target RPE {_target(item):g})" in target["why"]
            checked_loads += 1
    assert checked_loads >= 2  # the tiny block lifts dumbbells twice a week

    checked = runner.invoke(app, ["check", str(scenario), str(new)])
    assert checked.exit_code == 0, checked.output


def test_the_coming_sessions_start_after_the_log_and_a_finished_block_says_so() -> None:
    scenario = make_scenario(
        block={"start": MONDAY.isoformat(), "weeks": WEEKS},
        running={"unit": "km", "weeks": [{"tue": 8}] * WEEKS},
    )
    first, last = scenario.block.start, scenario.block.last_day

    def logged(day: dt.date) -> list[Lift]:
        return [Lift(day, "goblet_squat_db", 3, "8", None, 7.0)]

    assert coming_start(scenario, []) == (first, None)
    assert coming_start(scenario, logged(first - dt.timedelta(days=3))) == (first, None)
    assert coming_start(scenario, logged(first + dt.timedelta(days=9))) == (
        first + dt.timedelta(days=10), None,
    )  # fmt: skip
    # A log up to the block's last day leaves no session to come: not week 1 again, but the
    # block's last day, with a note saying why.
    start, note = coming_start(scenario, logged(last))
    assert start == last and note is not None
    assert "the log runs to the block's last day" in note and "no session" in note
    start, note = coming_start(scenario, logged(last + dt.timedelta(days=2)))
    assert start == last and note is not None and "past the block's last day" in note
