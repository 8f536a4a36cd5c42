"""The training log reader (FORMATS.md, "Training log (CSV)"): the per-exercise columns
beside date,status,minutes, the three-column form, and every kind of malformed row named by
file, line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.domain.loads import Lift, Load
from planner.errors import InputError
from planner.io.catalog_file import default_catalog
from planner.io.done_log import LogEntry, read_training_log

HEADER = "date,status,minutes,exercise,sets,reps,load_kg,rpe\n"
IDS = default_catalog().by_id()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_formats_example_reads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "2027-01-06,done,,split_squat_db,3,6/side,2x12,7.5\n"
        + "2027-01-06,done,,pogo_hops,3,10,,\n"
        + "2027-01-10,missed,,,,,,\n"
        + "2027-01-13,partial,20,,,,,\n",
    )
    log = read_training_log(path, IDS)
    assert log.entries == [
        LogEntry(dt.date(2027, 1, 6), "done", None, 2),
        LogEntry(dt.date(2027, 1, 10), "missed", None, 4),
        LogEntry(dt.date(2027, 1, 13), "partial", 20, 5),
    ]
    assert log.lifts == [
        Lift(dt.date(2027, 1, 6), "split_squat_db", 3, "6/side", Load(12, 2), 7.5, 2),
        Lift(dt.date(2027, 1, 6), "pogo_hops", 3, "10", None, None, 3),
    ]


def test_the_three_column_form_stays_valid(tmp_path: Path) -> None:
    path = write(
        tmp_path, "date,status,minutes\n2027-01-04,done\n# a note\n\n2027-01-06,partial,15\n"
    )
    assert read_training_log(path).entries == [
        LogEntry(dt.date(2027, 1, 4), "done", None, 2),
        LogEntry(dt.date(2027, 1, 6), "partial", 15, 5),
    ]
    assert read_training_log(path).lifts == []


def test_template_rows_not_filled_are_skipped_and_a_load_means_done(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "2027-01-06,,,split_squat_db,3,6/side,,\n"  # not filled yet
        + "2027-01-08,,,goblet_squat_db,3,5,20,8\n",  # a load and an RPE: done
    )
    log = read_training_log(path, IDS)
    assert log.entries == [LogEntry(dt.date(2027, 1, 8), "done", None, 3)]
    assert [lift.exercise for lift in log.lifts] == ["goblet_squat_db"]


def test_a_day_with_a_session_row_and_exercise_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "2027-01-13,partial,20,,,,,\n"
        + "2027-01-13,partial,,split_squat_db,2,6/side,2x12,8\n"
        + "2027-01-13,partial,,split_squat_db,1,6/side,2x10,7\n",  # a back-off set
    )
    log = read_training_log(path, IDS)
    assert log.entries == [LogEntry(dt.date(2027, 1, 13), "partial", 20, 2)]
    assert [lift.load for lift in log.lifts] == [Load(12, 2), Load(10, 2)]


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("2027-13-01,done,,,,,,", "date", "not a date"),
        ("2027-01-06,skipped,,,,,,", "status", 'unknown status "skipped"'),
        ("2027-01-06,done,abc,,,,,", "minutes", "not a whole number"),
        ("2027-01-06,done,20,,,,,", "minutes", "only for a partial"),
        ("2027-01-06,done,,split_squat_dbb,3,6/side,2x12,8", "exercise", 'mean "split_squat_db"'),
        ("2027-01-06,done,,split_squat_db,three,6/side,2x12,8", "sets", "whole number"),
        ("2027-01-06,done,,split_squat_db,,6/side,2x12,8", "sets", "empty"),
        ("2027-01-06,done,,split_squat_db,3,6-8,2x12,8", "reps", "not reps"),
        ("2027-01-06,done,,split_squat_db,3,6/side,2y12,8", "load_kg", "not a load"),
        ("2027-01-06,done,,split_squat_db,3,6/side,3x12,8", "load_kg", "implements"),
        ("2027-01-06,done,,split_squat_db,3,6/side,2x12,11", "rpe", "1 to 10"),
        ("2027-01-06,done,,split_squat_db,3,6/side,2x12,7.3", "rpe", "half points"),
        ("2027-01-06,done,,split_squat_db,3,6/side,2x12,hard", "rpe", "not an RPE"),
        ("2027-01-06,missed,,split_squat_db,3,6/side,2x12,", "load_kg", "missed session"),
        ("2027-01-06,done,,,3,6/side,,", "sets", "without an exercise"),
        ("2027-01-06,,,,,,,", "status", "no status"),
        ("2027-01-06,done,,a,b,c,d,e,f", "", "got 9 fields"),
    ],
)  # fmt: skip
def test_a_malformed_row_names_file_line_and_field(
    tmp_path: Path, row: str, field: str, words: str
) -> None:
    path = write(tmp_path, HEADER + "2027-01-04,done\n" + row + "\n")
    with pytest.raises(InputError) as raised:
        read_training_log(path, IDS)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == (str(path), 3)
    assert problem.path == (field or "--done") and words in problem.message
    assert str(problem).startswith(f"{path}:3: {field or '--done'}: ")


def test_rows_of_one_day_agree(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "2027-01-06,done,,split_squat_db,3,6/side,2x12,8\n"
        + "2027-01-06,missed,,pogo_hops,3,10,,\n"
        + "2027-01-13,partial,20,,,,,\n"
        + "2027-01-13,partial,25,pogo_hops,3,10,,\n"
        + "2027-01-20,done\n"
        + "2027-01-20,done\n",
    )
    with pytest.raises(InputError) as raised:
        read_training_log(path, IDS)
    found = [(p.line, p.path, p.message) for p in raised.value.problems]
    assert found[0][:2] == (3, "status") and "on line 2" in found[0][2]
    assert found[1][:2] == (5, "minutes") and "20 on line 4" in found[1][2]
    assert found[2][:2] == (7, "--done") and "listed twice (also on line 6)" in found[2][2]


def test_a_wrong_header_and_an_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "date,exercise,status\n2027-01-06,done\n")
    with pytest.raises(InputError, match=r"log.csv:1: --log: expected the columns"):
        read_training_log(path, flag="--log")
    with pytest.raises(InputError, match="cannot read the log"):
        read_training_log(tmp_path / "missing.csv")


def test_one_definition_of_the_log_columns() -> None:
    # The template writes the columns the reader reads: one tuple, not two that agree today.
    from planner.io import done_log
    from planner.report.export import to_log

    assert to_log.COLUMNS is done_log.COLUMNS
    assert not hasattr(done_log, "read_done_log")  # `read_training_log(path).entries`
