"""The watch workouts (`-o DIR --format fit`): every FIT file decodes without error with a
second, independent decoder (fitdecode, not the fit-tool that wrote it), and its steps, reps,
times, rests and repeats match the plan's session item for item. The expected steps are
derived here from the plan items, not from the exporter's own step list.

The Garmin exercise table names, for every catalog exercise, a category (and a name) that
fitdecode's own copy of the FIT profile knows.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from planner.domain.plan import Item, Plan, Session
from planner.errors import InputError, OutputError
from planner.io.catalog_file import default_catalog
from planner.io.garmin_file import FALLBACK_CATEGORIES, garmin_exercises, read_garmin_exercises
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_folder, write_exports
from planner.report.export.common import pair_rest_s

fitdecode = pytest.importorskip(
    "fitdecode", reason="fitdecode decodes the FIT files independently (pip install fitdecode)"
)

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent.parent / "planner" / "models"
BEFORE = dt.date(2027, 1, 1)
STAMP = dt.datetime(2027, 1, 1, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module", params=["plan_pairs", "plan_marathon"])
def plan(request: pytest.FixtureRequest) -> Plan:
    folder = HERE / "data" if request.param == "plan_pairs" else HERE.parent / "data"
    return load_plan(folder / f"{request.param}.json")


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Message name -> each message's fields, by fitdecode (CRC checked)."""
    messages: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                fields = {field.name: field.value for field in frame.fields}
                messages.setdefault(frame.name, []).append(fields)
    return messages


def reps_of(item: Item) -> tuple[int, bool, bool]:
    """(count, timed, per side) from the plan's reps text: `8`, `8/side`, `30s`, `30s/side`."""
    match = re.fullmatch(r"(\d+)(s?)(/side)?", item.reps)
    assert match, item.reps
    return int(match[1]), bool(match[2]), bool(match[3])


def expected_steps(session: Session) -> list[tuple[Any, ...]]:
    """The steps a watch should run, from the items: each set a step (reps or seconds, of
    both sides for a set of each side), its rest, a repeat of `sets` runs; a pair's two sets
    before one rest."""
    steps: list[tuple[Any, ...]] = []
    items = session.items
    labels = [item.pair for item in items]
    done: set[int] = set()
    for index, item in enumerate(items):
        if index in done:
            continue
        partner = next(
            (j for j in range(index + 1, len(items)) if item.pair and labels[j] == item.pair),
            None,
        )
        group = [item] if partner is None else [item, items[partner]]
        done.update({index} | ({partner} if partner is not None else set()))
        first = len(steps)
        for member in group:
            count, timed, per_side = reps_of(member)
            both = 2 if per_side else 1  # a set of each side: one step of both, reps or time
            steps.append(("time" if timed else "reps", count * both, member.exercise))
        rest = item.rest_s if partner is None else pair_rest_s(session, item.pair or "")
        if rest:
            steps.append(("rest", rest))
        if item.sets > 1:
            steps.append(("repeat", first, item.sets))
    return steps


def decoded_steps(messages: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    steps: list[tuple[Any, ...]] = []
    for step in messages["workout_step"]:
        kind = step["duration_type"]
        if kind == "repeat_until_steps_cmplt":
            steps.append(("repeat", step["duration_step"], step["repeat_steps"]))
        elif step["intensity"] == "rest":
            steps.append(("rest", round(step["duration_time"])))
        elif kind == "time":
            steps.append(("time", round(step["duration_time"]), step["exercise"]))
        else:
            assert kind == "reps"
            steps.append(("reps", step["duration_reps"], step["exercise"]))
    return steps


SIDES = re.compile(r" (\d+)(s)?/side$")


def shows(name: str, shown: str) -> bool:
    """Is `shown` the item's `name`, or its start clipped with `…` to fit the step name?"""
    return shown == name or (shown.endswith("…") and name.startswith(shown[:-1].rstrip()))


def name_exercises(messages: dict[str, list[dict[str, Any]]], session: Session) -> None:
    """Tell each decoded exercise step its catalog id by its step name (`A1 Split squat`,
    `2 Side plank 30s/side`), whose sides must be the item's."""
    for step in messages["workout_step"]:
        name = step.get("wkt_step_name") or ""
        label, _, rest = name.partition(" ")
        sides = SIDES.search(rest)
        item = next((i for i in session.items if shows(i.name, SIDES.sub("", rest))), None)
        step["exercise"] = item.exercise if item else name
        assert step["duration_type"] != "reps" or label, name
        if item is not None:
            count, timed, per_side = reps_of(item)
            assert (sides is not None) == per_side, name
            assert sides is None or (int(sides[1]), bool(sides[2])) == (count, timed), name


def test_every_workout_decodes_and_matches_its_session(plan: Plan) -> None:
    files = export_folder(plan, "fit", ExportOptions(weeks=4, today=BEFORE, stamp=STAMP))
    sessions = {
        f"{day.date.isoformat()}-week{day.week:02d}-{'hard' if s.hard else 'light'}.fit": s
        for day, s in plan.sessions()
        if day.week <= 4
    }
    assert set(files) == set(sessions)
    for name, data in files.items():
        session = sessions[name]
        messages = decode(data)
        (file_id,) = messages["file_id"]
        assert file_id["type"] == "workout"
        (workout,) = messages["workout"]
        assert (workout["sport"], workout["sub_sport"]) == ("training", "strength_training")
        assert workout["num_valid_steps"] == len(messages["workout_step"])
        indices = [step["message_index"] for step in messages["workout_step"]]
        assert indices == list(range(len(indices)))
        name_exercises(messages, session)
        assert decoded_steps(messages) == expected_steps(session), name


def test_steps_carry_the_garmin_exercise_the_target_load_and_the_cue(plan: Plan) -> None:
    data = plan.model_dump(mode="json")
    for day in data["days"]:
        for item in (day["session"] or {}).get("items", []):
            if item["category"] == "strength":
                item["target_load"] = {"kg": 22.5, "count": 2, "text": "2 × 22.5 kg",
                                       "why": "RPE 7"}  # fmt: skip
    loaded = Plan.model_validate(data)
    table = garmin_exercises()
    files = export_folder(loaded, "fit", ExportOptions(weeks=2, today=BEFORE, stamp=STAMP))
    sessions = [s for d, s in loaded.sessions() if d.week <= 2]
    for data_file, session in zip(files.values(), sessions, strict=True):
        exercise_steps = [
            step
            for step in decode(data_file)["workout_step"]
            if step["duration_type"] in ("reps", "time") and step["intensity"] != "rest"
        ]
        assert len(exercise_steps) == len(session.items)  # one step per item (the set)
        for step, item in zip(exercise_steps, session.items, strict=True):
            place = table[item.exercise]
            assert step["exercise_category"] == place.category
            label, _, shown = step["wkt_step_name"].partition(" ")
            assert label and shows(item.name, SIDES.sub("", shown)), step["wkt_step_name"]
            assert item.cue[:40] in step["notes"]
            if item.category == "strength":
                assert "Load: 2 × 22.5 kg." in step["notes"]
                assert step["exercise_weight"] == pytest.approx(22.5)
            else:
                assert f"Load: {item.load}" in step["notes"]
            assert step["intensity"] == ("warmup" if item.category == "mobility" else "active")


def test_the_table_covers_the_catalog_in_the_fit_profile() -> None:
    # Every catalog exercise has a row, reviewed by hand, and every category and exercise
    # name is one that fitdecode's own copy of the FIT profile knows.
    table = garmin_exercises()
    catalog = {exercise.id for exercise in default_catalog().exercises}
    assert set(table) == catalog
    profile = fitdecode.profile.FIELD_TYPES
    categories = set(profile["exercise_category"].enum.values())
    for exercise, place in table.items():
        assert place.category in categories, exercise
        if place.name is not None:
            names = profile[f"{place.category}_exercise_name"].enum.values()
            assert place.name in set(names), (exercise, place.name)
    named = sum(place.name is not None for place in table.values())
    assert named >= 80  # the common ones have their own Garmin name
    assert set(FALLBACK_CATEGORIES) == {"mobility", "power", "strength", "accessory", "core"}


def test_decoded_exercise_names_match_the_table() -> None:
    paired = load_plan(HERE / "data" / "plan_pairs.json")
    profile = fitdecode.profile.FIELD_TYPES
    files = export_folder(paired, "fit", ExportOptions(weeks=1, today=BEFORE, stamp=STAMP))
    (_, session), *_ = paired.sessions()
    steps = [s for s in decode(next(iter(files.values())))["workout_step"] if "notes" in s]
    for step, item in zip([s for s in steps if s["notes"]], session.items, strict=True):
        place = garmin_exercises()[item.exercise]
        number = step.get("exercise_name")
        if place.name is None:
            assert number is None
        else:
            names = profile[f"{place.category}_exercise_name"].enum
            assert names[number] == place.name


def test_a_broken_table_line_is_named() -> None:
    text = "exercise,garmin_category,garmin_name\nsquat_x,squat,\nsquat_x,squat,\nbad id,x,y\n"
    with pytest.raises(InputError) as raised:
        read_garmin_exercises(text, "garmin.csv")
    message = str(raised.value)
    assert "garmin.csv:3: squat_x: listed twice" in message
    assert "garmin.csv:4" in message
    rows = list(csv.reader((MODELS / "garmin_exercises.csv").open(encoding="utf-8")))
    assert rows[0] == ["exercise", "garmin_category", "garmin_name"]


def test_the_folder_is_written_whole_and_never_over_a_file(tmp_path: Path) -> None:
    paired = load_plan(HERE / "data" / "plan_pairs.json")
    options = ExportOptions(weeks=4, today=BEFORE, stamp=STAMP)
    folder = tmp_path / "watch"
    written = write_exports(paired, [(folder, "fit")], options)
    assert sorted(path.name for path in folder.iterdir()) == sorted(p.name for p in written)
    assert len(written) == len([d for d, _ in paired.sessions() if d.week <= 4])
    assert not list(tmp_path.glob(".watch.*"))  # no temporary folder left behind
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_exports(paired, [(folder, "fit")], options)
    assert write_exports(paired, [(folder, "fit")], options, force=True) == written
    a_file = tmp_path / "plan.fit"
    a_file.write_bytes(b"")
    with pytest.raises(OutputError, match="is a file"):
        write_exports(paired, [(a_file, "fit")], options)
    with pytest.raises(OutputError, match="does not exist"):
        write_exports(paired, [(tmp_path / "no" / "watch", "fit")], options)
    with pytest.raises(OutputError, match="no weeks to come"):
        export_folder(paired, "fit", ExportOptions(today=dt.date(2030, 1, 1)))


def test_a_clash_or_a_failing_export_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The markdown comes first in the targets; a workout folder clash after it, or a PDF
    # that cannot be printed, must leave no markdown behind: every content is built and
    # every target checked before the first file is written.
    paired = load_plan(HERE / "data" / "plan_pairs.json")
    options = ExportOptions(weeks=1, today=BEFORE, stamp=STAMP)
    folder = tmp_path / "watch"
    (first,) = [name for name in export_folder(paired, "fit", options) if "week01" in name][:1]
    folder.mkdir()
    (folder / first).write_bytes(b"mine")
    markdown = tmp_path / "plan.md"
    with pytest.raises(OutputError, match="already exists"):
        write_exports(paired, [(markdown, "md"), (folder, "fit")], options)
    assert not markdown.exists() and (folder / first).read_bytes() == b"mine"

    def no_browser(plan: Plan, options: ExportOptions) -> bytes:
        raise OutputError("writing a PDF needs Chromium")

    monkeypatch.setattr("planner.report.export.to_pdf.export", no_browser)
    with pytest.raises(OutputError, match="Chromium"):
        write_exports(
            paired,
            [(markdown, "md"), (tmp_path / "w2", "fit"), (tmp_path / "p.pdf", "pdf")],
            options,
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["watch"]  # nothing, no temporary


def test_force_replaces_the_workout_folder_whole(tmp_path: Path) -> None:
    # A workout of an earlier plan (a session since moved) does not stay beside the new ones.
    paired = load_plan(HERE / "data" / "plan_pairs.json")
    options = ExportOptions(weeks=2, today=BEFORE, stamp=STAMP)
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "2027-01-01-week01-hard.fit").write_bytes(b"stale")
    (folder / ".DS_Store").write_bytes(b"")
    written = write_exports(paired, [(folder, "fit")], options, force=True)
    assert sorted(path.name for path in folder.iterdir()) == sorted(p.name for p in written)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["watch"]  # no temporary left
    # A folder holding more than workouts is not replaced: --force would lose the rest.
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="holds more than workouts"):
        write_exports(paired, [(folder, "fit")], options, force=True)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
