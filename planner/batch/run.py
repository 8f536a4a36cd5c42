"""A batch: many athletes' solves on one engine, with nothing lost and nothing repeated.

- Each athlete's outcome is a `Row`: a plan, or why there is none (bad input,
  infeasible, no plan in time, a crash, a lost worker), with the message `planner solve`
  would print. One athlete's failure never stops the others.
- Plans are written as they come back, whole or not at all: first the athlete's HTML
  report, then the plan JSON, which records its scenario's sha256
  (`solver.scenario_sha256`). A later run skips an athlete whose plan file records the same
  scenario (unless `force`), so an interrupted batch picks up where it stopped; a plan made
  for a scenario that has changed since is solved again and replaced.
- At most `slots` solves are handed to the engine at a time, so that the batch knows when
  each one started: a solve with no answer by `time_limit + grace` is reported as timed out
  and the batch goes on.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from planner.batch.engines import Engine, start_engine
from planner.batch.results import BatchReport, Row
from planner.batch.summary import write_summary
from planner.batch.worker import (
    CRASHED,
    INTERRUPTED,
    INVALID,
    NOT_WRITTEN,
    PLANNED,
    TIMED_OUT,
    Job,
    Outcome,
    failure,
    solve_job,
)
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.errors import InputError, OutputError, PlannerError, error_text
from planner.io.digest import scenario_sha256
from planner.io.output import write_atomic
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_plan

POLL_S = 0.25  # how often the batch looks at its solves (and redraws progress)


@dataclass(frozen=True)
class BatchEntry:
    """One athlete to plan: a valid scenario, or the input error that stops it."""

    id: str  # names the files: ID.json (the plan), ID.html (the athlete's report)
    name: str
    source: str  # where it was written: a scenario file, or `athletes[3]` of a squad file
    scenario: Scenario | None
    error: InputError | None = None


@dataclass
class BatchOptions:
    time_limit: float = 60.0  # per athlete, as for `planner solve`
    seed: int = 0
    engine: str = "local"
    jobs: int | None = None  # local processes, or LocalCluster workers; None: one per core
    scheduler: str | None = None  # a Dask scheduler's address (engine dask)
    force: bool = False  # solve every athlete again, even with a plan for the same scenario
    grace_s: float | None = None  # past the time limit, before a solve counts as lost

    def cap_s(self) -> float:
        """The hard per-solve cap: the time limit, plus room to start a worker and send the
        plan back (at least 30 s, or half the time limit)."""
        grace = self.grace_s if self.grace_s is not None else max(30.0, 0.5 * self.time_limit)
        return self.time_limit + grace


@dataclass(frozen=True)
class BatchProgress:
    total: int  # athletes in the batch
    done: int  # with a plan (solved now or kept)
    failed: int  # without one
    running: int
    queued: int
    elapsed_s: float
    remaining_s: float | None  # an estimate, once a solve has come back


def plan_paths(outdir: Path, athlete: str) -> tuple[Path, Path]:
    """The athlete's plan file and HTML report."""
    return outdir / f"{athlete}.json", outdir / f"{athlete}.html"


def run_batch(
    title: str,
    entries: list[BatchEntry],
    outdir: str | Path,
    options: BatchOptions | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    on_outcome: Callable[[Row], None] | None = None,
) -> BatchReport:
    """Plan every entry into `outdir`; returns the summary (also written there as
    summary.csv and squad.html). Ctrl-C (KeyboardInterrupt) stops the batch with every plan
    written so far kept, and returns a report with `interrupted` set."""
    options = options or BatchOptions()
    started = time.monotonic()
    outdir = _prepare(Path(outdir))
    report = BatchReport(title, outdir, options.engine, [])
    rows: dict[str, Row] = {}
    jobs: list[tuple[Job, BatchEntry]] = []
    for entry in entries:
        if entry.scenario is None:
            error = entry.error or InputError([])
            rows[entry.id] = Row(
                entry.id, entry.name, entry.source, INVALID, error_text(error), error.exit_code
            )
            continue
        kept = None if options.force else _kept(entry, outdir)
        if kept is not None:
            rows[entry.id] = kept
        else:
            job = Job(entry.id, entry.scenario, options.time_limit, options.seed)
            jobs.append((job, entry))
    by_id = {entry.id: entry for entry in entries}

    def finish(outcome: Outcome) -> None:
        entry = by_id[outcome.id]
        row = _row(entry, outcome, outdir)
        rows[entry.id] = row
        report.solved.append(entry.id)
        if on_outcome is not None:
            on_outcome(row)

    def progress(running: int, queued: int, solve_times: list[float], slots: int) -> None:
        if on_progress is None:
            return
        done = sum(row.has_plan for row in rows.values())
        remaining = None
        if solve_times:
            mean = sum(solve_times) / len(solve_times)
            remaining = (queued + running) * mean / max(1, slots)
        on_progress(
            BatchProgress(
                len(entries), done, len(rows) - done, running, queued,
                time.monotonic() - started, remaining,
            )
        )  # fmt: skip

    if jobs:
        try:
            report.engine, report.slots = solve_jobs(
                [job for job, _ in jobs], options, finish, progress
            )
        except KeyboardInterrupt:
            report.interrupted = True
    else:
        progress(0, 0, [], 1)
    for entry in entries:
        if entry.id not in rows:
            rows[entry.id] = Row(
                entry.id, entry.name, entry.source, INTERRUPTED,
                "The batch was stopped before this athlete's plan came back; run the batch "
                "again to plan the athletes it has not planned yet.", 130,
            )  # fmt: skip
    report.rows = [rows[entry.id] for entry in entries]
    report.wall_s = time.monotonic() - started
    write_summary(report)
    return report


def solve_jobs(
    jobs: list[Job],
    options: BatchOptions,
    finish: Callable[[Outcome], None],
    progress: Callable[[int, int, list[float], int], None] | None = None,
    prepare: Callable[[Job], Job] | None = None,
) -> tuple[str, int]:
    """Solve `jobs` on the options' engine, handing each outcome to `finish` as it comes back;
    returns the engine's description and the most solves it ran at once. `prepare` sees
    each job just before it starts (after the outcomes so far): a frontier gives it the plan
    of a finished neighbour as its hint. Ctrl-C stops the solves still running and is
    raised again."""
    engine = start_engine(options.engine, options.jobs, options.scheduler)
    try:
        return engine.description, _drive(engine, jobs, options, finish, progress, prepare)
    except KeyboardInterrupt:
        engine.close(now=True)
        raise
    finally:
        engine.close()


def _drive(
    engine: Engine,
    jobs: list[Job],
    options: BatchOptions,
    finish: Callable[[Outcome], None],
    progress: Callable[[int, int, list[float], int], None] | None,
    prepare: Callable[[Job], Job] | None = None,
) -> int:
    """Hand the jobs to the engine, at most `slots` at a time; returns the slots used."""
    queue = deque(jobs)
    running: dict[Future[Outcome], tuple[Job, float]] = {}
    abandoned: set[Future[Outcome]] = set()  # timed out, still holding a slot
    solve_times: list[float] = []
    slots = engine.slots()
    most = slots
    checked = time.monotonic()
    while queue or running:
        if engine.client is not None and time.monotonic() - checked > 2.0:
            slots, checked = engine.slots(), time.monotonic()  # a cluster may grow or shrink
            most = max(most, slots)
        abandoned = {future for future in abandoned if not future.done()}
        while queue and len(running) + len(abandoned) < slots:
            job = queue.popleft()
            if prepare is not None:
                job = prepare(job)
            try:
                future = engine.executor.submit(solve_job, job)
            except (BrokenProcessPool, RuntimeError) as error:
                finish(_lost(job, error))
                continue
            running[future] = (job, time.monotonic())
        if not running:
            if queue and abandoned:  # every slot holds a timed-out solve
                wait(abandoned, timeout=POLL_S, return_when=FIRST_COMPLETED)
            continue
        finished, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in finished:
            job, _ = running.pop(future)
            outcome = _result(future, job)
            if outcome.status != CRASHED:
                solve_times.append(outcome.solve_s)
            finish(outcome)
        now = time.monotonic()
        for future, (job, submitted) in list(running.items()):
            if now - submitted > options.cap_s():
                running.pop(future)
                future.cancel()
                abandoned.add(future)
                message = (
                    f"No answer within {options.cap_s():g} s (the time limit of "
                    f"{options.time_limit:g} s and the grace for starting and sending back); "
                    "the solve was given up."
                )
                finish(Outcome(job.id, TIMED_OUT, 5, message, None, now - submitted, ""))
        if progress is not None:
            progress(len(running), len(queue), solve_times, slots)
    if any(not future.done() for future in abandoned):
        engine.close(now=True)  # do not wait for solves that were given up
    return most


def _result(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except CancelledError as error:
        return _lost(job, error)
    except Exception as error:  # the worker died (BrokenProcessPool, dask's KilledWorker)
        return _lost(job, error)


def _lost(job: Job, error: BaseException) -> Outcome:
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    message = (
        f"The worker solving this athlete was lost ({detail}); run the batch again to plan "
        "it (plans already written are kept)."
    )
    return Outcome(job.id, CRASHED, 1, message, None, 0.0, "")


def _row(entry: BatchEntry, outcome: Outcome, outdir: Path) -> Row:
    """The outcome as a summary row; a plan is written first (report, then plan file)."""
    row = Row(
        entry.id, entry.name, entry.source, outcome.status, outcome.message,
        outcome.exit_code, solve_s=outcome.solve_s, worker=outcome.worker,
    )  # fmt: skip
    if outcome.plan_json is None:
        return row
    plan = Plan.model_validate_json(outcome.plan_json)
    plan_path, report_path = plan_paths(outdir, entry.id)
    try:
        assert entry.scenario is not None
        write_atomic(report_path, _report_html(plan, entry.scenario), force=True)
        write_atomic(plan_path, outcome.plan_json, force=True)
    except PlannerError as error:
        lost = failure(entry.id, error)
        return Row(entry.id, entry.name, entry.source, NOT_WRITTEN, lost.message, lost.exit_code)
    return row.with_plan(plan, plan_path.name, report_path.name)


def _report_html(plan: Plan, scenario: Scenario) -> str:
    unit = scenario.running.unit if scenario.runs_by_date() else None
    content = export_plan(plan, "html", ExportOptions(run_unit=unit))
    return content.decode("utf-8") if isinstance(content, bytes) else content


def _kept(entry: BatchEntry, outdir: Path) -> Row | None:
    """The row of a plan an earlier run wrote for the same scenario, or None to solve."""
    assert entry.scenario is not None
    plan_path, report_path = plan_paths(outdir, entry.id)
    if not plan_path.exists():
        return None
    try:
        plan = load_plan(plan_path)
    except InputError:  # not a plan file (plans are written whole): not ours to replace
        message = (
            f"{plan_path} exists and is not a plan file; move it away, or use --force to replace it"
        )
        return Row(entry.id, entry.name, entry.source, NOT_WRITTEN, message, 3)
    solver = (plan.model_extra or {}).get("solver")
    recorded = solver.get("scenario_sha256") if isinstance(solver, dict) else None
    if recorded != scenario_sha256(entry.scenario) or plan.status not in PLANNED:
        return None
    if not report_path.exists():  # stopped between the two files: the report is cheap
        write_atomic(report_path, _report_html(plan, entry.scenario), force=True)
    row = Row(entry.id, entry.name, entry.source, plan.status, kept=True)
    return row.with_plan(plan, plan_path.name, report_path.name)


def _prepare(outdir: Path) -> Path:
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir} is a file; give a folder for the plans")
    try:
        outdir.mkdir(exist_ok=True)
    except FileNotFoundError:
        raise OutputError(
            f"cannot create {outdir}: the folder {outdir.parent} does not exist"
        ) from None
    except OSError as error:
        raise OutputError(f"cannot create {outdir}: {error.strerror or error}") from None
    return outdir
