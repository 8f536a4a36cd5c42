"""`planner replan` on the command line: a diff a runner understands, a checkable plan,
and exit code 3 (naming the flag, or the file and line) for bad input, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.plan import Plan
from planner.io.plan_file import load_plan

from ..conftest import scenario_data
from .conftest import RUNS, WEEKS

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The replan conftest's scenario as a file, and its plan from `planner solve`."""
    folder = tmp_path_factory.mktemp("replan_cli")
    data = scenario_data(
        block={"start": "2027-01-04", "weeks": WEEKS},
        availability={"weekly": {"mon": 40, "wed": 30, "fri": 40, "sat": 30}},
        running={"unit": "km", "weeks": [RUNS] * WEEKS},
    )
    scenario = folder / "block.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plan = folder / "plan.json"
    args = ["solve", str(scenario), "-o", str(plan), "--time-limit", "20", "--seed", "1"]
    result = runner.invoke(app, [*args, "--quiet"])
    assert result.exit_code == 0, result.output
    return scenario, plan


def _first_session(plan: Plan, week: int) -> str:
    return next(str(d.date) for d in plan.days if d.week == week and d.session is not None)


def test_replan_prints_the_diff_and_writes_a_checkable_plan(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    scenario, plan = files
    missed = _first_session(load_plan(plan), 2)
    out = tmp_path / "new.json"
    html = tmp_path / "new.html"
    args = ["replan", str(scenario), str(plan), "--today", "2027-01-13", "--missed", missed]
    args += ["-o", str(out), "-o", str(html), "--time-limit", "30", "--seed", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Missed:" in result.output and "changed day" in result.output
    assert "the events cost" in result.output
    new = load_plan(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["replanned_from"]["date"] == "2027-01-13"
    assert len(data["replanned_from"]["sha256"]) == 64
    printed = " ".join(result.output.replace("│", " ").split())  # the panel's lines joined
    for change in data["changes"]:
        assert set(change) >= {"date", "change", "from", "to", "reason"}
        # Each change is printed on its own line of the diff, with its reason.
        assert " ".join(change["reason"].split(";")[0][:20].split()) in printed
    assert any(d.model_extra and d.model_extra.get("missed") for d in new.days)
    checked = runner.invoke(app, ["check", str(scenario), str(out)])
    assert checked.exit_code == 0, checked.output
    report = html.read_text(encoding="utf-8")
    assert "missed" in report
    if data["changes"]:
        assert 'class="day changed' in report or "day changed" in report


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--today", "2026-12-01"], "--today"),  # before the block
        (["--today", "2027-01-40"], "--today"),
        (["--today", "2027-01-13", "--missed", "2027-01-05"], "--missed"),  # no session then
        (["--today", "2027-01-13", "--sick", "2027-01-14"], "--sick"),  # not FROM..TO
        (["--today", "2027-01-13", "--minutes", "thurs:abc"], "--minutes"),
        (["--today", "2027-01-13", "--avoid", "hi_impact"], "--avoid"),
    ],
)
def test_bad_flags_exit_3_naming_the_flag(
    files: tuple[Path, Path], tmp_path: Path, flags: list[str], named: str
) -> None:
    scenario, plan = files
    out = tmp_path / "new.json"
    result = runner.invoke(app, ["replan", str(scenario), str(plan), *flags, "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert named in result.output
    assert not out.exists()


def test_malformed_log_exits_3_naming_file_and_line(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    scenario, plan = files
    log = tmp_path / "log.csv"
    log.write_text("date,status,minutes\n2027-01-04,done\n2027-01-06,skipped\n", encoding="utf-8")
    out = tmp_path / "new.json"
    args = ["replan", str(scenario), str(plan), "--today", "2027-01-13", "--done", str(log)]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert f"{log}:3" in result.output and "skipped" in result.output
    assert not out.exists()


def test_plan_of_another_scenario_exits_3(files: tuple[Path, Path], tmp_path: Path) -> None:
    """A plan whose recorded sha256 is not the scenario's, and a plan without one whose days
    differ from the scenario's: both rejected, naming the plan."""
    scenario, plan = files
    other = tmp_path / "other.yaml"
    text = scenario.read_text(encoding="utf-8").replace("fri: 40", "fri: 35")
    other.write_text(text, encoding="utf-8")
    out = tmp_path / "new.json"
    result = runner.invoke(
        app, ["replan", str(other), str(plan), "--today", "2027-01-13", "-o", str(out)]
    )
    assert result.exit_code == 3, result.output
    assert "PLAN" in result.output and "another scenario" in result.output
    assert not out.exists()
    # The sha256 is of the scenario's content, so a comment changes nothing ...
    first = tmp_path / "first.json"
    ok = runner.invoke(
        app, ["replan", str(scenario), str(plan), "--today", "2027-01-13", "-o", str(first),
              "--quiet"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    commented = tmp_path / "commented.yaml"
    commented.write_text(scenario.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    same = runner.invoke(
        app, ["replan", str(commented), str(first), "--today", "2027-01-20", "-o", str(out),
              "--quiet"],
    )  # fmt: skip
    assert same.exit_code == 0, same.output
    # ... while a changed scenario (a new focus, same days) is rejected by it.
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    data["athlete"]["focus"] = {"posture": 5}
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    again_out = tmp_path / "again.json"
    again = runner.invoke(
        app, ["replan", str(changed), str(first), "--today", "2027-01-20", "-o", str(again_out)]
    )
    assert again.exit_code == 3 and "sha256" in again.output
    assert not again_out.exists()


def test_infeasible_exits_4(files: tuple[Path, Path], tmp_path: Path) -> None:
    """Infeasible exits 4 and writes nothing: with `rules.strict: true` the missed hard
    session of week 1 cannot be made up (Wed and Sat may not hold a hard session, Fri
    already does), so R13 is broken. (Exit 5, no plan in time, is the solve's path.)"""
    scenario, _ = files
    strict = tmp_path / "strict.yaml"
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    data["rules"] = {"strict": True}
    strict.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    strict_plan = tmp_path / "strict.json"
    solved = runner.invoke(
        app, ["solve", str(strict), "-o", str(strict_plan), "--time-limit", "20", "--quiet"]
    )
    assert solved.exit_code == 0, solved.output
    missed = _first_session(load_plan(strict_plan), 1)
    out = tmp_path / "new.json"
    args = ["replan", str(strict), str(strict_plan), "--today", "2027-01-06", "--missed", missed]
    result = runner.invoke(app, [*args, "-o", str(out), "--time-limit", "30"])
    assert result.exit_code == 4, result.output
    assert "R13" in result.output and not out.exists()


def test_log_of_several_days(files: tuple[Path, Path], tmp_path: Path) -> None:
    """`--done` with a done, a missed and a partial session: the missed day is a day off
    marked missed, the partial one keeps the items that fit its minutes (marked partial),
    the done one is as planned; the checker accepts the whole block."""
    scenario, plan = files
    old = load_plan(plan)
    days = [d for d in old.days if d.week == 1 and d.session is not None][:2]
    week2 = next(d for d in old.days if d.week == 2 and d.session is not None)
    assert len(days) == 2 and week2.session is not None
    log = tmp_path / "log.csv"
    log.write_text(
        f"date,status,minutes\n{days[0].date},done\n{days[1].date},missed\n"
        f"{week2.date},partial,15\n",
        encoding="utf-8",
    )
    out = tmp_path / "new.json"
    today = week2.date.isoformat()
    args = ["replan", str(scenario), str(plan), "--today", today, "--done", str(log)]
    result = runner.invoke(app, [*args, "-o", str(out), "--time-limit", "30", "--quiet"])
    assert result.exit_code == 0, result.output
    new = {d.date: d for d in load_plan(out).days}
    assert new[days[0].date].session == days[0].session
    assert new[days[1].date].session is None
    assert (new[days[1].date].model_extra or {}).get("missed")
    partial = new[week2.date].session
    assert partial is not None and (partial.model_extra or {}).get("partial")
    assert partial.minutes <= 15 < week2.session.minutes
    assert [i.exercise for i in partial.items] == [
        i.exercise for i in week2.session.items[: len(partial.items)]
    ]
    checked = runner.invoke(app, ["check", str(scenario), str(out)])
    assert checked.exit_code == 0, checked.output
