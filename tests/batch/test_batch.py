"""Batch planning: failures are rows and never stop the others, plans are written as they
come back and kept across runs, both engines give the same bytes, and the coach's summary."""

from __future__ import annotations

import csv
import json
import pickle
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from planner.batch import BatchOptions, collect_entries, run_batch
from planner.batch.progress import progress_words
from planner.batch.run import BatchProgress, BatchReport, Row, _result
from planner.batch.summary import squad_html, summary_csv
from planner.batch.worker import CRASHED, Job, solve_job
from planner.check.checker import check_plan
from planner.cli import app
from planner.io.digest import scenario_sha256
from planner.io.plan_file import load_plan
from planner.io.squad_file import load_squad

from .conftest import ALEX_BROKEN, KIM_INFEASIBLE, ROBIN, SAM, squad_data, write_squad

runner = CliRunner()
QUICK = ["--time-limit", "20", "--seed", "3", "--jobs", "2", "--quiet"]


def _summary(outdir: Path) -> dict[str, dict[str, str]]:
    with (outdir / "summary.csv").open(encoding="utf-8") as stream:
        return {row["id"]: row for row in csv.DictReader(stream)}


def _plans(outdir: Path) -> dict[str, bytes]:
    return {path.stem: path.read_bytes() for path in sorted(outdir.glob("*.json"))}


@pytest.mark.slow
def test_a_broken_and_an_infeasible_athlete_do_not_stop_the_others(tmp_path: Path) -> None:
    squad = write_squad(tmp_path, squad_data([SAM, ALEX_BROKEN, KIM_INFEASIBLE, ROBIN]))
    outdir = tmp_path / "plans"
    result = runner.invoke(app, ["batch", str(squad), "-o", str(outdir), *QUICK])
    assert result.exit_code == 6, result.output
    # The others get plans that the independent checker passes.
    entries = {entry.id: entry for entry in load_squad(squad).entries}
    assert set(_plans(outdir)) == {"sam", "robin"}
    for athlete in ("sam", "robin"):
        scenario = entries[athlete].scenario
        assert scenario is not None
        plan = load_plan(outdir / f"{athlete}.json")
        assert plan.status == "optimal"
        assert check_plan(plan, scenario).ok
        assert (outdir / f"{athlete}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    # The summary names both failures, with the words `planner solve` prints.
    rows = _summary(outdir)
    assert rows["sam"]["status"] == rows["robin"]["status"] == "optimal"
    assert rows["alex"]["athlete"] == "Alex" and rows["alex"]["status"] == "invalid"
    assert rows["alex"]["message"].startswith("Invalid input (1 problem):")
    assert 'athletes[1].level: unknown level "expret"' in rows["alex"]["message"]
    assert rows["kim"]["status"] == "infeasible"
    assert rows["kim"]["message"].startswith("No plan satisfies the hard rules")
    assert "(R4)" in rows["kim"]["message"]
    page = (outdir / "squad.html").read_text(encoding="utf-8")
    assert '<a href="sam.html">Sam</a>' in page and "expret" in page


@pytest.mark.slow
def test_a_failed_athlete_gets_exactly_what_planner_solve_prints(tmp_path: Path) -> None:
    # A folder of scenario files: one invalid, one strict-infeasible. Each row's message is
    # what `planner solve FILE` prints on stderr for the same file.
    folder = tmp_path / "squad"
    folder.mkdir()
    data = squad_data([])["defaults"]
    base = {"format": 1, "name": "Block", **{k: v for k, v in data.items() if k != "athlete"}}
    broken = base | {"athlete": {"name": "Alex", "level": "expret"}}
    infeasible = base | {"athlete": {"name": "Kim"}, "rules": {"strict": True},
                         "availability": KIM_INFEASIBLE["availability"]}  # fmt: skip
    for name, scenario in (("alex", broken), ("kim", infeasible)):
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    outdir = tmp_path / "plans"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(outdir), *QUICK])
    assert result.exit_code == 6, result.output
    rows = _summary(outdir)
    for name, code in (("alex", 3), ("kim", 4)):
        solved = runner.invoke(
            app, ["solve", str(folder / f"{name}.yaml"), "--time-limit", "20", "--seed", "3"]
        )
        assert solved.exit_code == code
        assert rows[name]["message"] == solved.stderr.rstrip("\n")


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    """A 2-worker Dask LocalCluster (processes, 1 thread each), closed after the tests."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close(timeout=30)


@pytest.mark.slow
def test_local_and_dask_engines_give_byte_identical_plans(
    tmp_path: Path, good_squad: Path, dask_cluster: str
) -> None:
    title, entries = collect_entries(good_squad)
    # A generous cap: the solves end when proven (seconds), and a wall-clock cut would
    # void the promise of identical bytes (README, "Reproducible") on a loaded machine.
    options = BatchOptions(time_limit=60, seed=3, jobs=2)
    local = run_batch(title, entries, tmp_path / "local", options)
    on_dask = BatchOptions(time_limit=60, seed=3, engine="dask", scheduler=dask_cluster)
    dask = run_batch(title, entries, tmp_path / "dask", on_dask)
    assert local.exit_code == dask.exit_code == 0
    assert dask.engine.startswith("dask") and dask.slots == 2
    for report in (local, dask):
        assert all(row.status == "optimal" for row in report.rows), report.rows
    for path in (tmp_path / "local").glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["solver"]["deterministic"]
    local_plans, dask_plans = _plans(tmp_path / "local"), _plans(tmp_path / "dask")
    assert set(local_plans) == {"sam", "robin", "jo"}
    # Plans carry no timings; proven optima with the same seed are the same bytes.
    assert local_plans == dask_plans


@pytest.mark.slow
def test_the_dask_engine_starts_its_own_local_cluster(tmp_path: Path) -> None:
    squad = write_squad(tmp_path, squad_data([SAM]))
    args = ["batch", str(squad), "-o", str(tmp_path / "out"), "--engine", "dask"]
    result = runner.invoke(app, [*args, "--jobs", "1", "--time-limit", "20", "--quiet"])
    assert result.exit_code == 0, result.output
    assert load_plan(tmp_path / "out" / "sam.json").status == "optimal"


@pytest.mark.slow
def test_an_interrupted_batch_resumes_without_solving_anything_twice(
    tmp_path: Path, good_squad: Path
) -> None:
    title, entries = collect_entries(good_squad)
    outdir = tmp_path / "plans"
    options = BatchOptions(time_limit=20, seed=3, jobs=1)

    def stop_after_first(row: Row) -> None:
        raise KeyboardInterrupt  # Ctrl-C right after the first plan is written

    first = run_batch(title, entries, outdir, options, on_outcome=stop_after_first)
    assert first.interrupted and first.exit_code == 6
    assert len(first.solved) == 1
    assert set(_plans(outdir)) == set(first.solved)
    assert [row.status for row in first.rows].count("interrupted") == 2
    written = _plans(outdir)

    second = run_batch(title, entries, outdir, options)
    assert not second.interrupted and second.exit_code == 0
    # Nothing solved twice, nothing missing.
    assert not set(first.solved) & set(second.solved)
    assert set(first.solved) | set(second.solved) == {entry.id for entry in entries}
    assert set(_plans(outdir)) == {entry.id for entry in entries}
    kept = [row for row in second.rows if row.kept]
    assert [row.id for row in kept] == first.solved
    assert all(_plans(outdir)[athlete] == written[athlete] for athlete in first.solved)

    # A third run has nothing to do; --force solves everyone again.
    third = run_batch(title, entries, outdir, options)
    assert third.solved == [] and third.exit_code == 0


@pytest.mark.slow
def test_a_changed_athlete_is_solved_again_and_only_that_one(tmp_path: Path) -> None:
    outdir = tmp_path / "plans"
    squad = write_squad(tmp_path, squad_data([SAM, ROBIN]))
    title, entries = collect_entries(squad)
    options = BatchOptions(time_limit=20, seed=3, jobs=2)
    assert sorted(run_batch(title, entries, outdir, options).solved) == ["robin", "sam"]
    write_squad(tmp_path, squad_data([SAM, {**ROBIN, "level": "advanced"}]))
    title, entries = collect_entries(squad)
    again = run_batch(title, entries, outdir, options)
    assert again.solved == ["robin"]
    robin = json.loads((outdir / "robin.json").read_text(encoding="utf-8"))
    assert robin["solver"]["scenario_sha256"] == scenario_sha256(entries[1].scenario)  # type: ignore[arg-type]
    # The command line on the same folder: nothing to solve, and the coach's table.
    result = runner.invoke(app, ["batch", str(squad), "-o", str(outdir), *QUICK[:4]])
    assert result.exit_code == 0, result.output
    assert "Test squad: 2 athletes: 2 with a plan (2 kept from an earlier run), 0 without" in (
        result.stdout
    )
    assert "optimal (kept)" in result.stdout and "robin.html" in result.stdout
    forced = run_batch(title, entries, outdir, BatchOptions(20, 3, jobs=2, force=True))
    assert sorted(forced.solved) == ["robin", "sam"]


def test_a_plan_with_its_scenario_sha256_passes_planner_check(tmp_path: Path) -> None:
    squad = write_squad(tmp_path, squad_data([SAM]))
    entry = load_squad(squad).entries[0]
    assert entry.scenario is not None
    outcome = solve_job(Job("sam", entry.scenario, 20, 3))
    assert outcome.status == "optimal" and outcome.plan_json is not None
    assert pickle.loads(pickle.dumps(outcome)) == outcome  # plain data, for any engine
    plan_data = json.loads(outcome.plan_json)
    assert plan_data["solver"]["scenario_sha256"] == scenario_sha256(entry.scenario)
    assert plan_data["solver"]["workers"] == 1  # one CP-SAT worker per solve
    (tmp_path / "sam.json").write_text(outcome.plan_json, encoding="utf-8")
    (tmp_path / "sam.yaml").write_text(entry.scenario.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "sam.yaml"), str(tmp_path / "sam.json")])
    assert result.exit_code == 0, result.output
    assert "clean" in result.output


def test_a_crash_in_a_solve_is_that_athletes_row(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.pipeline

    def explode(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(planner.pipeline, "solve_scenario", explode)
    entry = collect_entries(Path(__file__).parents[2] / "scenarios" / "default.yaml")[1][0]
    assert entry.scenario is not None
    outcome = solve_job(Job(entry.id, entry.scenario, 5, 0))
    assert outcome.status == CRASHED and outcome.exit_code == 1
    assert outcome.message == "The solve crashed: ZeroDivisionError: boom"


def test_a_lost_worker_is_that_athletes_row() -> None:
    future: Future[Any] = Future()
    future.set_exception(BrokenProcessPool("a process terminated abruptly"))
    outcome = _result(future, Job("sam", None, 5, 0))  # type: ignore[arg-type]
    assert outcome.status == CRASHED
    assert "was lost (BrokenProcessPool: a process terminated abruptly)" in outcome.message
    assert "run the batch again" in outcome.message


def test_a_solve_past_its_hard_cap_is_given_up(tmp_path: Path) -> None:
    # No grace: a worker process takes longer than 0 s to start, so the solve is given up
    # as timed out, and the batch still ends with its summary.
    squad = write_squad(tmp_path, squad_data([SAM]))
    title, entries = collect_entries(squad)
    options = BatchOptions(time_limit=0.01, seed=0, jobs=1, grace_s=0.0)
    report = run_batch(title, entries, tmp_path / "out", options)
    assert [row.status for row in report.rows] == ["timed out"]
    assert report.exit_code == 6
    assert "No answer within 0.01 s" in report.rows[0].message


def test_nothing_to_plan_is_invalid_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path / "none-*.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 3
    assert "nothing to plan: the pattern matches no files" in result.stderr
    result = runner.invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--scheduler",
                                 "tcp://x:8786"])  # fmt: skip
    assert result.exit_code == 2


def test_summary_files_escape_what_coaches_type() -> None:
    row = Row("x", "=cmd()<script>", "athletes[0]", "invalid", "Invalid input (1 problem):")
    report = BatchReport("<Squad>", Path("."), "local", [row])
    assert "'=cmd()<script>" in summary_csv(report)
    page = squad_html(report)
    assert "<script>" not in page and "&lt;Squad&gt;" in page


def test_progress_words() -> None:
    words = progress_words(BatchProgress(16, 9, 1, 2, 4, 30.0, 95.0))
    assert words == "10/16 done · 1 failed · 2 running · about 1 min 35 s left"


def test_the_progress_bar_stays_off_in_pipes() -> None:
    import io

    from rich.console import Console

    from planner.batch.progress import BatchProgressBar
    from planner.report.progress import should_show

    stream = io.StringIO()
    assert not should_show(False, stream)  # not a terminal: no bar
    console = Console(file=stream)
    with BatchProgressBar(3, console, enabled=False) as bar:
        bar(BatchProgress(3, 1, 0, 2, 0, 5.0, 10.0))
    assert bar.last is not None and bar.last.done == 1
    assert stream.getvalue() == ""
