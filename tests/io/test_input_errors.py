"""Input errors that teach: every invalid input exits with code 3 and lists every problem,
each with the file, the field path, the line and what was expected. Never a traceback.

The table below runs the real command line on each broken file in `tests/data/broken/`.
Files too big or too odd to commit (over 5 MB, not UTF-8) are written at test time.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.errors import InputError
from planner.io.catalog_file import load_catalog
from planner.io.scenario_file import load_scenario
from planner.io.yaml_source import MAX_FILE_BYTES

BROKEN = Path(__file__).resolve().parent.parent / "data" / "broken"
MODELS = Path(__file__).resolve().parents[2] / "models"


def run_cli(*args: str) -> tuple[int, str]:
    """Run `planner ARGS`; returns the exit code and the output with whitespace collapsed
    (the console wraps long lines, which must not split what the tests look for)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "1000"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised {result.exception!r}:\n{result.output}")
    return result.exit_code, " ".join(result.output.split())


def solve(path: str | Path, *extra: str, seconds: int = 5) -> tuple[int, str]:
    return run_cli("solve", str(path), "--time-limit", str(seconds), *extra)


# file, field path ("" for the whole file), line (None when the file has none), words the
# message must contain (the expectation, and a suggestion where one is obvious).
CASES: list[tuple[str, str, int | None, list[str]]] = [
    ("empty.yaml", "", None, ["the file is empty"]),
    ("comments_only.yaml", "", None, ["the file is empty"]),
    ("not_yaml.yaml", "", 5, ["not valid YAML", "starts on line 4", "close the list with `]`"]),
    ("tabs.yaml", "", 3, ["not valid YAML", "indent with spaces, not tabs"]),
    ("not_a_mapping.yaml", "", 1, ["expected a scenario", "format: 1"]),
    ("yaml_bomb.yaml", "f", 8, ["aliases", "more than 200000 values"]),
    (
        "wrong_type.yaml",
        "availability.weekly.mon",
        6,
        ['expected a whole number of minutes, got the text "lots"'],
    ),
    ("missing_required.yaml", "block.start", 3, ["required field is missing", "start: YYYY-MM-DD"]),
    ("unknown_field.yaml", "athelete", 2, ['unknown field "athelete"', 'did you mean "athlete"?']),
    (
        "unknown_weekday.yaml",
        "availability.weekly.satuday",
        6,
        ['unknown weekday "satuday"', 'did you mean "sat"?'],
    ),
    (
        "unknown_equipment.yaml",
        "athlete.equipment[1]",
        6,
        ['unknown equipment "dumbell"', 'did you mean "dumbbell"?'],
    ),
    (
        "unknown_tag.yaml",
        "athlete.avoid[1]",
        6,
        ['unknown tag "high_impakt"', 'did you mean "high_impact"?'],
    ),
    ("unknown_focus.yaml", "athlete.focus.hip_stabilty", 6, ['did you mean "hip_stability"?']),
    ("negative_minutes.yaml", "availability.weekly.mon", 5, ["-5 minutes; expected 0 to 300"]),
    (
        "absurd_minutes.yaml",
        "availability.exceptions[0].minutes",
        6,
        ["900 minutes; expected 0 to 300"],
    ),
    ("absurd_distance.yaml", "running.weeks[0].sun", 8, ['"long 900"', "expected at most 250"]),
    ("negative_distance.yaml", "running.weeks[1].tue", 8, ["a distance cannot be negative"]),
    (
        "end_before_start.yaml",
        "block.end",
        4,
        ["`end` (2026-12-20) is before `start` (2027-01-04)"],
    ),
    (
        "race_outside_block.yaml",
        "block.races[0].date",
        6,
        ["outside the block (2027-01-04 to 2027-01-17)"],
    ),
    ("weeks_mismatch.yaml", "running.weeks", 9, ["3 weeks of runs, but the block has 2 weeks"]),
    ("malformed_run.yaml", "running.weeks[1].sat", 9, ['"long six"', 'e.g. "long 6"']),
    (
        "unknown_run_kind.yaml",
        "running.weeks[0].thu",
        7,
        ['unknown run kind "tempo"', '"quality 6"'],
    ),
    (
        "duplicate_exception.yaml",
        "availability.exceptions[2].date",
        8,
        ["2027-01-06 is listed twice", "availability.exceptions[0]"],
    ),
    (
        "duplicate_run_day.yaml",
        "running.days[2].date",
        9,
        ["2027-01-05 is listed twice", "running.days[0]"],
    ),
    (
        "duplicate_race.yaml",
        "block.races[1].date",
        7,
        ["2027-02-28 is listed twice", "block.races[0]"],
    ),
    (
        "duplicate_key.yaml",
        "availability.weekly.mon",
        7,
        ['"mon" is given twice (first on line 5)'],
    ),
    ("impossible_date.yaml", "block.start", 3, ["2027-02-30 is not a day on the calendar"]),
    ("wrong_format.yaml", "format", 1, ["format 1", "got the number 2"]),
]


def assert_reported(output: str, file: str, path: str, line: int | None, words: list[str]) -> None:
    where = f"{file}:{line}:" if line is not None else f"{file}:"
    expected = f"{where} {path}:" if path else where
    assert expected in output, f"{expected!r} not in {output!r}"
    for word in words:
        assert word in output, f"{word!r} not in {output!r}"
    assert "Traceback" not in output


def test_every_broken_file_is_in_the_table() -> None:
    tabled = {case[0] for case in CASES} | {"three_mistakes.yaml"}
    assert {path.name for path in BROKEN.glob("*.yaml")} == tabled


@pytest.mark.parametrize(("file", "path", "line", "words"), CASES, ids=[c[0] for c in CASES])
def test_broken_file(
    file: str, path: str, line: int | None, words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BROKEN)  # a short relative path keeps the messages on one line
    code, output = solve(file)
    assert code == 3, output
    assert output.startswith("Invalid input")
    assert_reported(output, file, path, line, words)


def test_a_file_with_three_mistakes_lists_all_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    code, output = solve("three_mistakes.yaml")
    assert code == 3
    assert "Invalid input (3 problems)" in output
    assert_reported(output, "three_mistakes.yaml", "athlete.level", 4, ['did you mean "novice"?'])
    assert_reported(output, "three_mistakes.yaml", "availability.weekly.sun", 9, ["400 minutes"])
    assert_reported(
        output, "three_mistakes.yaml", "rules.hard_gap", 11, ['did you mean "hard_gap_days"?']
    )


def test_weeks_mismatch_is_reported_beside_other_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cross-field check runs although athlete.equipment has an error of its own.
    monkeypatch.chdir(BROKEN)
    code, output = solve("weeks_mismatch.yaml")
    assert code == 3
    assert "Invalid input (2 problems)" in output
    assert_reported(output, "weeks_mismatch.yaml", "athlete.equipment[1]", 4, ['"kettlebell"'])


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    line = "# a comment line that pads the file\n"
    big.write_text("format: 1\n" + line * (MAX_FILE_BYTES // len(line) + 10), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = solve("big.yaml")
    assert code == 3
    assert_reported(output, "big.yaml", "", None, ["the limit is 5 MB"])


def test_file_that_is_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "Café" saved as Latin-1: byte 0xe9 on line 2.
    (tmp_path / "latin1.yaml").write_bytes(
        "format: 1\nname: Café\nblock: {start: 2027-01-04, weeks: 2}\n".encode("latin-1")
    )
    monkeypatch.chdir(tmp_path)
    code, output = solve("latin1.yaml")
    assert code == 3
    assert_reported(output, "latin1.yaml", "", 2, ["not UTF-8", "0xe9", "save it as UTF-8"])


def test_missing_file_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = solve("nowhere.yaml")
    assert code == 3
    assert_reported(output, "nowhere.yaml", "", None, ["cannot read the file"])
    (tmp_path / "folder").mkdir()
    code, output = solve("folder")
    assert code == 3
    assert_reported(output, "folder", "", None, ["this is a folder"])


def test_catalog_entry_with_unknown_category(tmp_path: Path) -> None:
    text = (MODELS / "catalog.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # The first exercise's category, spelled wrong.
    number = next(i for i, line in enumerate(lines) if line.strip() == "category: mobility")
    lines[number] = lines[number].replace("mobility", "mobilty")
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(catalog)
    [problem] = caught.value.problems
    assert problem.path == "exercises[0].category"
    assert problem.line == number + 1
    assert problem.file == str(catalog)
    assert 'unknown category "mobilty" — did you mean "mobility"?' in problem.message


# --- safe output ---------------------------------------------------------------------------

TINY = """\
format: 1
athlete: {level: novice, equipment: [dumbbell]}
block: {start: 2027-01-04, weeks: 2}
availability:
  weekly: {mon: 40, wed: 30}
running:
  weeks:
    - {tue: 5, sat: long 10}
    - {tue: 5, sat: long 11}
"""


def test_output_path_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A regular file used as a folder: no one can write there, even root.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    before = sorted(path.name for path in tmp_path.iterdir())
    code, output = solve("tiny.yaml", "--output", "notes.txt/plan.json", "--quiet")
    assert code == 3, output
    assert "cannot write notes.txt/plan.json" in output
    assert "Traceback" not in output
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # nothing partial
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "not a folder\n"


def test_existing_output_is_not_overwritten_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (tmp_path / "plan.json").write_text("my old plan\n", encoding="utf-8")
    code, output = solve("tiny.yaml", "--output", "plan.json", "--quiet")
    assert code == 3, output
    assert "plan.json already exists; use --force to overwrite it" in output
    assert (tmp_path / "plan.json").read_text(encoding="utf-8") == "my old plan\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.json", "tiny.yaml"]


# --- random mutations of a valid scenario ----------------------------------------------------

BASE: dict[str, Any] = {
    "format": 1,
    "name": "Mutation base",
    "athlete": {
        "name": "Mo",
        "level": "intermediate",
        "equipment": ["dumbbell", "band"],
        "focus": {"hip_stability": 3},
        "avoid": ["plyo_advanced"],
    },
    "block": {
        "start": dt.date(2027, 1, 4),
        "weeks": 2,
        "races": [{"date": dt.date(2027, 1, 17), "distance": "10k", "priority": "B"}],
    },
    "availability": {
        "weekly": {"mon": 40, "wed": 30, "fri": 40},
        "max_per_week": 100,
        "exceptions": [{"date": dt.date(2027, 1, 13), "minutes": 20}],
        "equipment_by_day": {"fri": ["kettlebell"]},
    },
    "running": {
        "unit": "km",
        "weeks": [{"tue": 8, "thu": "quality 8", "sun": "long 16"}, {"tue": 6, "sun": "race 10"}],
    },
    "rules": {"hard_gap_days": 2},
    "objective": "efficiency",
}

# Values a hand-edited file could hold: wrong types, out-of-range numbers, near-miss words.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["sat", "satuday", "long 6", "long six", "cross 60min", "rest", "band", "dumbell",
         "2027-01-05", "2027-02-30", "-5", "high_impact", "novice", "10k", "mi", "{}", "[1"]
    ),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(
        st.sampled_from(["mon", "sat", "xyz", "date", "kind"]), st.integers(-5, 500), max_size=3
    ),
    st.just(dt.date(2027, 1, 6)),
)  # fmt: skip


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the nested data, containers included."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


def _mutate(data: dict[str, Any], draw: st.DataObject) -> str:
    path = draw.draw(st.sampled_from(_places(data)[1:]), label="path")
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    target = parent[path[-1]]
    operations = ["delete", "replace"]
    if isinstance(target, dict | list):
        operations.append("insert")
    operation = draw.draw(st.sampled_from(operations), label="operation")
    if operation == "delete":
        del parent[path[-1]]
    elif operation == "replace":
        parent[path[-1]] = draw.draw(VALUES, label="value")
    elif isinstance(target, dict):
        target[draw.draw(st.text(min_size=1, max_size=10), label="key")] = draw.draw(VALUES)
    else:
        target.append(draw.draw(VALUES, label="item"))
    return f"{operation} {path}"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_scenarios_solve_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    scenario = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        _mutate(scenario, data)
    folder = tmp_path_factory.mktemp("mutation")
    scenario_file = folder / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    plan_file = folder / "plan.json"

    code, output = solve(scenario_file, "--output", str(plan_file), "--quiet", seconds=3)

    assert "Traceback" not in output
    if code == 0:
        json.loads(plan_file.read_text(encoding="utf-8"))
        check_code, report = run_cli("check", str(scenario_file), str(plan_file))
        assert check_code == 0, report
        assert "clean: no rule violations" in report
    elif code == 3:
        assert output.startswith("Invalid input"), output
        assert re.search(r"scenario\.yaml(:\d+)?: ", output), output
        assert not plan_file.exists()
    else:
        # Exit 4 or 5 only for a scenario that is valid but impossible (or too hard in 3 s).
        assert code in (4, 5), output
        load_scenario(scenario_file)
        assert not plan_file.exists()
