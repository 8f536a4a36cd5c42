"""The squad file: defaults merged into each athlete's scenario, and mistakes reported at the
athlete's index and field, with the line of the squad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.squad import SquadAthlete, squad_keys
from planner.errors import InputError
from planner.io.squad_file import athlete_id, load_squad

from .conftest import ALEX_BROKEN, SAM, WEEKS, squad_data, write_squad

runner = CliRunner()


def test_defaults_are_merged_into_each_athlete(tmp_path: Path) -> None:
    athletes = [
        SAM,
        # Availability merges key by key: Robin's weekly minutes replace the default's,
        # the squad's max_per_week stays.
        {"name": "Robin", "availability": {"weekly": {"tue": 45, "sat": 60}}},
        {
            "name": "Jo",
            "rules": {"hard_gap_days": 3},
            "running": {"unit": "mi", "weeks": [{}] * WEEKS},
        },
    ]
    data = squad_data(athletes)
    data["defaults"]["availability"]["max_per_week"] = 100
    data["defaults"]["rules"] = {"key_run_buffer_days": 0}
    squad = load_squad(write_squad(tmp_path, data))
    sam, robin, jo = (entry.scenario for entry in squad.entries)
    assert sam is not None and robin is not None and jo is not None
    assert sam.name == "Test squad, Sam" and sam.athlete.name == "Sam"
    assert sam.athlete.level == "novice" and sam.athlete.equipment == ["band", "dumbbell"]
    assert robin.athlete.level == "intermediate"
    assert robin.availability.weekly == {"tue": 45, "sat": 60}
    assert robin.availability.max_per_week == 100
    # Rules merge too; the running plan is replaced whole.
    assert jo.rules.hard_gap_days == 3 and jo.rules.key_run_buffer_days == 0
    assert jo.running.unit == "mi" and jo.runs_by_date() == {}
    assert sam.running.unit == "km" and len(sam.runs_by_date()) == 3 * WEEKS
    assert [entry.id for entry in squad.entries] == ["sam", "robin", "jo"]


def test_a_broken_athlete_names_its_index_field_and_line(tmp_path: Path) -> None:
    broken = {**ALEX_BROKEN, "equipmnt": ["band"], "availability": {"weekly": {"mon": "abc"}}}
    path = write_squad(tmp_path, squad_data([SAM, broken]))
    squad = load_squad(path)
    assert squad.entries[0].scenario is not None and squad.entries[0].error is None
    alex = squad.entries[1]
    assert alex.scenario is None and alex.error is not None
    problems = {problem.path: problem for problem in alex.error.problems}
    assert set(problems) == {
        "athletes[1].level",
        "athletes[1].equipmnt",
        "athletes[1].availability.weekly.mon",
    }
    assert 'unknown level "expret"' in problems["athletes[1].level"].message
    assert 'did you mean "equipment"' in problems["athletes[1].equipmnt"].message
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in problems.values():
        assert problem.file == str(path)
        assert problem.line is not None
        key = problem.path.rsplit(".", 1)[-1]
        assert key in lines[problem.line - 1], (problem, lines[problem.line - 1])


def test_a_mistake_in_the_defaults_is_told_where_it_was_written(tmp_path: Path) -> None:
    data = squad_data([SAM])
    data["defaults"]["block"]["weeks"] = "four"
    squad = load_squad(write_squad(tmp_path, data))
    error = squad.entries[0].error
    assert error is not None
    assert [problem.path for problem in error.problems] == ["defaults.block.weeks"]


def test_a_missing_section_is_named_for_the_athlete(tmp_path: Path) -> None:
    data = squad_data([SAM])
    del data["defaults"]["availability"]
    error = load_squad(write_squad(tmp_path, data)).entries[0].error
    assert error is not None
    assert [problem.path for problem in error.problems] == ["athletes[0].availability"]


def test_two_athletes_with_the_same_file_name_are_told_apart(tmp_path: Path) -> None:
    squad = load_squad(write_squad(tmp_path, squad_data([SAM, {"name": "sam"}])))
    assert squad.entries[0].error is None
    error = squad.entries[1].error
    assert error is not None and "same plan file name (sam.json)" in str(error)


def test_a_running_import_is_read_beside_the_squad_file(tmp_path: Path) -> None:
    (tmp_path / "plan.csv").write_text(
        "date,kind,distance\n2027-01-05,easy,8\n2027-01-10,long,16\n", encoding="utf-8"
    )
    data = squad_data([SAM], running={"unit": "km", "import": "plan.csv"})
    scenario = load_squad(write_squad(tmp_path, data)).entries[0].scenario
    assert scenario is not None and len(scenario.runs_by_date()) == 2


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"athletes": []}, "athletes"),
        ({"teams": []}, "teams"),
        ({"format": 2}, "format"),
        ({"defaults": {"athlete": {"name": "X"}}}, "defaults.athlete.name"),
    ],
)
def test_a_broken_squad_file_is_one_input_error(
    tmp_path: Path, change: dict[str, object], path: str
) -> None:
    data = squad_data([SAM]) | change
    with pytest.raises(InputError) as caught:
        load_squad(write_squad(tmp_path, data))
    assert path in [problem.path for problem in caught.value.problems]


def test_athlete_ids_are_file_name_safe() -> None:
    assert athlete_id("Zoë O'Neil", 0) == "zoe-o-neil"
    assert athlete_id("../../etc", 0) == "etc"
    assert athlete_id("李", 4) == "athlete-5"


def test_schema_squad_describes_the_squad_file() -> None:
    result = runner.invoke(app, ["schema", "--squad"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["title"] == "Squad"
    assert set(schema["properties"]) == set(squad_keys()[""])
    assert schema["required"] == ["athletes"]
    # The schema and the loader share one key vocabulary.
    assert set(SquadAthlete.model_fields) == set(squad_keys()["athlete"])


EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "squads" / "spring_marathon_16.yaml"


def test_the_example_squad_is_the_benchmark_squad_and_every_athlete_is_valid() -> None:
    import yaml

    from benchmarks.batch import build_squad

    assert yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")) == build_squad(16, 12, 18)
    squad = load_squad(EXAMPLE)
    assert len(squad.entries) == 16
    assert all(entry.error is None for entry in squad.entries), [
        str(entry.error) for entry in squad.entries if entry.error
    ]
    weeks = {entry.scenario.block.n_weeks for entry in squad.entries if entry.scenario}
    assert weeks == set(range(12, 19))


def test_the_coachs_say_merges_key_by_key_and_unknown_ids_name_the_athlete(
    tmp_path: Path,
) -> None:
    # R18 in a squad: the defaults exclude pistol squats for everyone; Sam's own pin adds to
    # that, and Robin's own `exclude` replaces the default's list.
    athletes = [
        {**SAM, "coach": {"pin": [{"date": "2027-01-06", "session": "none"}]}},
        {"name": "Robin", "coach": {"exclude": ["nordic_curl"]}},
        {"name": "Jo", "coach": {"include": ["back_sqaut"]}},
    ]
    data = squad_data(athletes)
    data["defaults"]["coach"] = {"exclude": ["pistol_squat"]}
    squad = load_squad(write_squad(tmp_path, data))
    sam, robin, jo = squad.entries
    assert sam.scenario is not None and robin.scenario is not None
    assert sam.scenario.coach.exclude == ["pistol_squat"]
    assert [pin.session for pin in sam.scenario.coach.pin] == ["none"]
    assert robin.scenario.coach.exclude == ["nordic_curl"]
    assert jo.scenario is None and jo.error is not None
    assert 'athletes[2].coach.include[0]: unknown exercise "back_sqaut"' in str(jo.error)
    assert 'did you mean "back_squat"' in str(jo.error)
