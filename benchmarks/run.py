"""Run the benchmarks: `python -m benchmarks.run --quick` or `--full`.

`--quick` is a smoke run of a few minutes (4 short suite scenarios, 10 s limits, one run,
a reduced scaling grid). `--full` runs everything: the whole suite with the four baselines
(two that keep every hard rule, given the optimizer's time limit, and two that break rules), and
the scaling studies (block length 4 to 52 weeks, catalog size 40, 80 and full, 1 and 2
workers), 3 optimizer runs each with a 60 s limit per solve (120 s for the 52-week blocks;
the baselines run once), and the matched-budget study (one run per case). It takes a long
time. Results go to benchmarks/results/: report.md, results.csv (one row per case and
planner), runs.csv (one row per run, with the progress reports) and PNG plots; a quick run
writes the same files with a `-quick` suffix.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.metrics import (
    OPTIMIZER,
    RULE_BREAKING,
    RULE_KEEPING,
    Case,
    log_row,
    run_cases,
    summarize,
)
from benchmarks.report import RunInfo, git_commit, load_average, write_report
from benchmarks.scenarios import load_suite, subset_catalog, with_weeks
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_catalog

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCALING_SCENARIO = "09_generous_4x60_fullgym_marathon_16wk"


@dataclass(frozen=True)
class Mode:
    name: str
    suite: tuple[str, ...] | None  # file-name prefixes; None: the whole suite
    time_limit: float
    long_time_limit: float  # for blocks of `long_weeks` weeks or more
    long_weeks: int
    repetitions: int
    baseline_repetitions: int  # runs per baseline on the suite (their plans barely vary)
    matched_repetitions: int  # runs per matched-budget case (its solves prove quickly)
    suite_workers: int
    weeks: tuple[int, ...]
    catalog_sizes: tuple[int | None, ...]  # None: the full catalog
    weeks_workers: tuple[int, ...]
    catalog_workers: tuple[int, ...]


QUICK = Mode(
    name="quick",
    suite=("04", "07", "08", "10"),
    time_limit=10.0,
    long_time_limit=10.0,
    long_weeks=52,
    repetitions=1,
    baseline_repetitions=1,
    matched_repetitions=1,
    suite_workers=2,
    weeks=(4, 8, 16),
    catalog_sizes=(40, None),
    weeks_workers=(1, 2),
    catalog_workers=(1, 2),
)
FULL = Mode(
    name="full",
    suite=None,
    time_limit=60.0,
    long_time_limit=120.0,
    long_weeks=52,
    repetitions=3,
    baseline_repetitions=1,
    matched_repetitions=1,
    suite_workers=2,
    weeks=(4, 8, 16, 26, 52),
    catalog_sizes=(40, 80, None),
    weeks_workers=(1, 2),
    catalog_workers=(1, 2),
)


def matched_cases(name: str, scenario: Scenario, mode: Mode, time_limit: float) -> list[Case]:
    """The optimizer with `objective: total` within each rule-keeping baseline's own minutes
    (valid plans against valid plans). The budget is read when the case runs, from the
    baseline's suite plan (`run_cases`), so the time-limited baselines are not run twice."""
    return [
        Case(
            study="matched",
            name=name,
            scenario=scenario,
            catalog=None,
            catalog_size=len(default_catalog().exercises),
            workers=mode.suite_workers,
            time_limit=time_limit,
            planners=(OPTIMIZER,),
            budget_of=planner,
            repetitions=mode.matched_repetitions,
        )
        for planner in RULE_KEEPING
    ]


def build_cases(mode: Mode, only: str | None = None) -> list[Case]:
    """The suite cases (optimizer and the four baselines), the matched-budget cases, then the
    scaling cases (optimizer)."""
    catalog = default_catalog()
    full_size = len(catalog.exercises)

    def limit(weeks: int) -> float:
        return mode.long_time_limit if weeks >= mode.long_weeks else mode.time_limit

    cases = []
    if only in (None, "suite"):
        for name, scenario in load_suite(list(mode.suite) if mode.suite else None).items():
            cases.append(
                Case(
                    study="suite",
                    name=name,
                    scenario=scenario,
                    catalog=None,
                    catalog_size=full_size,
                    workers=mode.suite_workers,
                    time_limit=limit(scenario.block.n_weeks),
                    planners=(OPTIMIZER, *RULE_KEEPING, *RULE_BREAKING),
                )
            )
    if only in (None, "suite"):
        for name, scenario in load_suite(list(mode.suite) if mode.suite else None).items():
            cases += matched_cases(name, scenario, mode, limit(scenario.block.n_weeks))
    if only in (None, "scaling"):
        base = load_suite([SCALING_SCENARIO])[SCALING_SCENARIO]
        for weeks in mode.weeks:
            for workers in mode.weeks_workers:
                cases.append(
                    Case(
                        study="weeks",
                        name=SCALING_SCENARIO,
                        scenario=with_weeks(base, weeks),
                        catalog=None,
                        catalog_size=full_size,
                        workers=workers,
                        time_limit=limit(weeks),
                        planners=(OPTIMIZER,),
                    )
                )
        for size in mode.catalog_sizes:
            subset = None if size is None else subset_catalog(catalog, size, base)
            count = full_size if subset is None else len(subset.exercises)
            for workers in mode.catalog_workers:
                cases.append(
                    Case(
                        study="catalog",
                        name=SCALING_SCENARIO,
                        scenario=base,
                        catalog=subset,
                        catalog_size=count,
                        workers=workers,
                        time_limit=limit(base.block.n_weeks),
                        planners=(OPTIMIZER,),
                    )
                )
    return cases


STUDIES = {"suite": ("suite", "matched"), "scaling": ("weeks", "catalog")}


def kept_runs(path: Path, only: str | None) -> pd.DataFrame:
    """The runs of the studies a partial run (`--only`) leaves alone, from the runs file of
    an earlier run, so that the report still shows them (with the commit they ran on)."""
    if only is None or not path.exists():
        return pd.DataFrame()
    earlier = pd.read_csv(path, keep_default_na=True)
    if "commit" not in earlier:
        earlier["commit"] = "earlier"
    return earlier[~earlier["study"].isin(STUDIES[only])]


def _writer(path: Path, kept: pd.DataFrame) -> Any:
    """Rewrite the runs file after every run, so a long benchmark keeps what it has done."""
    rows: list[dict[str, Any]] = []
    commit = git_commit()

    def on_row(row: dict[str, Any]) -> None:
        log_row(row)
        rows.append(row | {"commit": commit})
        pd.concat([kept, pd.DataFrame(rows)], ignore_index=True).to_csv(path, index=False)

    return on_row


def _command(mode: Mode, args: argparse.Namespace) -> str:
    """The command line for the report, without the output folder (a local path)."""
    parts = ["python -m benchmarks.run", f"--{mode.name}"]
    if args.only:
        parts.append(f"--only {args.only}")
    if args.scenarios:
        parts.append("--scenarios " + " ".join(args.scenarios))
    if args.time_limit:
        parts.append(f"--time-limit {args.time_limit:g}")
    if args.repetitions:
        parts.append(f"--repetitions {args.repetitions}")
    if args.report_only:
        parts.append("--report-only")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="Benchmark the planner against baselines."
    )
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--quick", action="store_true", help="a few minutes: subset, short limits")
    chosen.add_argument("--full", action="store_true", help="everything (takes a long time)")
    parser.add_argument(
        "--only", choices=("suite", "scaling"), help="run one part only (suite: with matched)"
    )
    parser.add_argument("--scenarios", nargs="+", metavar="PREFIX", help="suite files to run")
    parser.add_argument("--time-limit", type=float, help="seconds per solve (all solves)")
    parser.add_argument("--repetitions", type=int, help="runs per case")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="output folder")
    parser.add_argument(
        "--report-only", action="store_true", help="rebuild the report from the runs file"
    )
    args = parser.parse_args(argv)

    mode = QUICK if args.quick else FULL
    if args.scenarios:
        mode = replace(mode, suite=tuple(args.scenarios))
    if args.time_limit:
        mode = replace(mode, time_limit=args.time_limit, long_time_limit=args.time_limit)
    if args.repetitions:
        mode = replace(mode, repetitions=args.repetitions)
    suffix = "" if mode.name == "full" else f"-{mode.name}"
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    runs_path = out / f"runs{suffix}.csv"
    load_at_start = load_average()

    if args.report_only:
        runs = pd.read_csv(runs_path, keep_default_na=True)
    else:
        cases = build_cases(mode, args.only)
        print(
            f"{len(cases)} cases, {mode.repetitions} optimizer run(s) and"
            f" {mode.baseline_repetitions} baseline run(s) each",
            file=sys.stderr,
        )
        kept = kept_runs(runs_path, args.only)
        runs = run_cases(
            cases, mode.repetitions, _writer(runs_path, kept), mode.baseline_repetitions
        )
        runs = pd.concat([kept, runs.assign(commit=git_commit())], ignore_index=True)
    summary = summarize(runs)
    summary.to_csv(out / f"results{suffix}.csv", index=False)
    info = RunInfo(
        mode=mode.name,
        command=_command(mode, args),
        scaling_scenario=SCALING_SCENARIO,
        load_at_start=load_at_start,
        studies_by_commit=(
            {str(c): list(g["study"].unique()) for c, g in runs.groupby("commit", sort=False)}
            if "commit" in runs
            else {}
        ),
    )
    report = write_report(summary, info, out, suffix)
    print(f"wrote {report.name}, results{suffix}.csv and runs{suffix}.csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
