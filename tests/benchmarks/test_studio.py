"""The studio benchmark's inputs and its table.

The generator (`benchmarks.studio_instances`) is checked without solving: the same studio for
the same seed, a valid studio file of any size, the mix of athletes the benchmark promises,
and capacities that leave the popular slots short of their estimate. One tiny end-to-end run
of the benchmark (three athletes who all want Monday's single place) checks the table's
invariants: no class over capacity under either policy, no hard-rule violation, and the
weeks short of the floor consistent with the athletes short.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from benchmarks.studio import (
    COLUMNS,
    FAIR,
    FIRST_COME,
    FIRST_COME_WEEKLY,
    RESULTS_FILE,
    Demand,
    StudioRun,
    broken,
    medians,
    parse,
    record,
    run,
    table,
)
from benchmarks.studio_instances import (
    MIN_CAPACITY,
    SLOTS,
    class_count,
    make_chain,
    make_studio,
    mix,
    studio_file,
    studio_yaml,
)
from planner.io.studio_file import load_studio
from planner.vocabulary import WEEKDAYS

SIZES = (3, 20, 60, 200)


@pytest.mark.parametrize("athletes", SIZES)
def test_a_generated_studio_is_the_same_for_the_same_seed(athletes: int) -> None:
    assert make_studio(athletes, 7) == make_studio(athletes, 7)
    assert make_studio(athletes, 7)["athletes"] != make_studio(athletes, 8)["athletes"]


@pytest.mark.parametrize("athletes", SIZES)
def test_a_generated_studio_reads_as_a_studio_file(athletes: int) -> None:
    data = make_studio(athletes, 0)
    read = studio_file(data)
    assert len(read.members) == athletes
    assert len({member.id for member in read.members}) == athletes  # a file name each
    studio = read.studio
    assert [slot.id for slot in studio.classes] == [
        slot.id for slot in SLOTS[: class_count(athletes)]
    ]
    # One class is cancelled: 8 weeks of every slot, less one.
    assert len(studio.class_dates()) == 8 * len(studio.classes) - 1
    for member in read.members:
        # Their block starts with the studio's and ends on their race, in or after it.
        block = member.scenario.block
        assert block.start == studio.block.start
        assert all(race.date == block.last_day for race in block.races)
        listed = [slot.day for slot in studio.slots_of(member.athlete)]
        if member.athlete.classes is not None:
            assert len(listed) == len(set(listed))  # at most one class a weekday
        assert studio.class_dates_for(member)


def test_the_written_studio_file_reads_back_the_same(tmp_path: Path) -> None:
    # What `--write-studio` writes is what the benchmark plans.
    data = make_studio(20, 3)
    path = tmp_path / "studio.yaml"
    path.write_text(studio_yaml(data), encoding="utf-8")
    from_file = load_studio(path)
    assert [m.scenario for m in from_file.members] == [
        m.scenario for m in studio_file(data).members
    ]
    assert from_file.studio == studio_file(data).studio


def test_the_timetable_grows_with_the_studio() -> None:
    assert [class_count(n) for n in (3, 20, 60, 200, 1000)] == [5, 5, 6, 20, len(SLOTS)]


def test_a_generated_studio_has_the_promised_mix() -> None:
    found = mix(make_studio(200, 0))
    assert set(found["level"]) == {"novice", "intermediate", "advanced"}
    assert set(found["kit"]) == {"none", "band", "dumbbells", "full"}
    races = set(found["race"])
    assert "none" in races
    for distance in ("5k", "10k", "half", "marathon"):
        assert f"{distance} in the block" in races
    assert any(race.endswith("after the block") for race in races)
    assert set(found["classes_per_week"]) == {"1", "2", "3"}
    assert set(found["home"]) == {"true", "false"}
    assert {"0", "1", "2", "3", "4"} <= set(found["slots"])  # "0": every class (the default)


def test_the_popular_slots_hold_fewer_than_the_others() -> None:
    # Capacities come from an estimate of the seats asked for: a popular slot holds less
    # than its estimate, another more, and every class holds at least MIN_CAPACITY.
    data = make_studio(200, 0)
    capacity = {item["id"]: item["capacity"] for item in data["classes"]}
    assert min(capacity.values()) >= MIN_CAPACITY
    listed: dict[str, int] = dict.fromkeys(capacity, 0)
    for entry in data["athletes"]:
        for class_id in entry.get("classes", capacity):
            listed[class_id] += 1
    popular = [slot.id for slot in SLOTS if slot.popular and slot.id in capacity]
    others = [slot.id for slot in SLOTS if not slot.popular and slot.id in capacity]

    def places_per_lister(ids: list[str]) -> float:
        return sum(capacity[i] for i in ids) / sum(listed[i] for i in ids)

    assert places_per_lister(popular) < places_per_lister(others)


def test_a_chain_is_studios_of_their_own() -> None:
    chain = make_chain(3, 10, seed=5)
    assert len({studio["name"] for studio in chain}) == 3
    assert chain[0]["athletes"] == make_studio(10, 5)["athletes"]
    assert chain[1]["athletes"] == make_studio(10, 6)["athletes"]


# --- one tiny run --------------------------------------------------------------------------

WEEK = {"tue": 5, "sat": "long 10"}  # Monday and Thursday can both hold a hard session


def tiny_studio() -> dict[str, Any]:
    """Three athletes, two weeks, a Monday class of one place and a Thursday class of three:
    each wants both classes each week, so Monday's place is contested."""
    athletes = [
        {"name": name, "level": "intermediate", "equipment": ["band"],
         "running": {"unit": "km", "weeks": [WEEK, WEEK]}, "classes_per_week": 2}
        for name in ("Ada", "Ben", "Cy")
    ]  # fmt: skip
    return {
        "format": 1,
        "name": "Tiny studio",
        "block": {"start": dt.date(2027, 1, 4), "weeks": 2},
        "kit": ["dumbbell", "band", "mat"],
        "classes": [
            {"id": "mon-0630", "day": "mon", "start": "06:30", "minutes": 45, "capacity": 1},
            {"id": "thu-0630", "day": "thu", "start": "06:30", "minutes": 45, "capacity": 3},
        ],
        "athletes": athletes,
    }


@pytest.mark.slow  # twelve short solves on one process
def test_a_tiny_benchmark_run_keeps_its_invariants(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(studio_yaml(tiny_studio()), encoding="utf-8")
    argv = ["--studio", str(path), "--time-limit", "2", "--jobs", "1", "--out", str(tmp_path)]
    argv += ["--model-time", "0"]  # the policies only: the one model has its own tests
    runs, text = run(parse(argv), "python -m benchmarks.studio --studio tiny.yaml")
    (studio,) = runs
    rows = {row["policy"]: row for row in studio.rows}
    assert list(rows) == [FAIR, FIRST_COME, FIRST_COME_WEEKLY]
    for row in rows.values():
        assert row["athletes"] == 3 and row["no plan"] == 0
        assert row["over capacity"] == 0  # no class date holds more than its places
        assert row["checker violations"] == 0
        assert row["seats taken"] <= row["capacity"] == 2 * 1 + 2 * 3
        assert 0.0 <= row["worst seat share"] <= 1.0
        assert row["total s"] == pytest.approx(row["alone s"] + row["seats s"] + row["again s"])
    for row in rows.values():  # weeks short, in all and for the worst-off athlete
        assert 0 <= row["worst weeks short"] <= row["weeks short"]
        assert (row["short of floor"] == 0) == (row["weeks short"] == 0)
    assert not broken(runs)
    # Only Monday's single place can be asked for beyond capacity.
    assert set(studio.demand.slots) <= {"mon-0630"}
    # The record is appended to the results file, with the machine and the table.
    assert (tmp_path / RESULTS_FILE).read_text(encoding="utf-8") == text
    assert "- machine: platform " in text and "| athletes | policy |" in text
    assert text.rstrip().endswith("invariants: hold")
    assert list(table(runs)["policy"]) == [FAIR, FIRST_COME, FIRST_COME_WEEKLY]


def a_run(seed: int, fair: tuple[int, float], first_come: tuple[int, float]) -> StudioRun:
    """A benchmark run of seed `seed` whose rows have (short of floor, loss total)."""
    rows = []
    for policy, (short, loss) in ((FAIR, fair), (FIRST_COME, first_come)):
        row: dict[str, Any] = dict.fromkeys(COLUMNS, 0)
        row |= {"policy": policy, "short of floor": short, "loss total": loss}
        rows.append(row)
    return StudioRun("Studio", 22, 5, 39, 1.0, "local", 22, Demand(), rows, seed)


def test_medians_over_seeds_are_taken_per_policy() -> None:
    runs = [a_run(0, (4, 0.5), (9, 0.2)), a_run(1, (6, 0.1), (7, 0.4))]
    runs.append(a_run(2, (5, 0.3), (8, 0.9)))
    assert list(table(runs)["seed"]) == [0, 0, 1, 1, 2, 2]
    middle = medians(runs).set_index("policy")
    assert list(middle.index) == [FAIR, FIRST_COME]
    assert middle.loc[FAIR, "short of floor"] == 5  # a count stays a count
    assert middle["short of floor"].dtype.kind == "i"
    assert middle.loc[FAIR, "loss total"] == pytest.approx(0.3)
    assert middle.loc[FIRST_COME, "loss total"] == pytest.approx(0.4)
    assert "seed" not in middle.columns
    text = record(runs, "settings", "0.0", "python -m benchmarks.studio --repeat 3")
    assert "- studio, solver seed 2: Studio: 22 athletes" in text
    assert "Medians over solver seeds 0, 1, 2:" in text


def test_repeat_is_at_least_one() -> None:
    assert parse(["--repeat", "3"]).repeat == 3
    with pytest.raises(SystemExit):
        parse(["--repeat", "0"])


def test_no_weekday_is_unknown() -> None:
    assert {slot.day for slot in SLOTS} <= set(WEEKDAYS)
