"""Batch throughput: athlete-plans per core-hour, on the local engine with 1 and 2 processes
and on a 2-worker Dask LocalCluster, side by side (`make bench-batch`).

    python -m benchmarks.batch            # 16 athletes of 12-18 weeks, 3 runs per engine
    python -m benchmarks.batch --quick    # a smoke run: 4 athletes of 4-5 weeks, 1 run

The squad is built here, the same every time (`build_squad`): a spring marathon squad whose
athletes differ in level, kit, focus, gym days and block length (12 to 18 weeks, all ending
on race day), each with their own running plan. Every run solves every athlete again
(`force`) into a fresh folder. Per run: wall time from engine start to the last plan
written, plans, proven optima, and the sum of the solves' own times; throughput is plans
per core-hour, `plans / (wall_s * cores / 3600)`, where cores are the solves run at once.
The engine's overhead is the core time not spent solving: `wall_s * cores - sum(solve_s)`.
Results: benchmarks/results/batch.md and batch.csv (`-quick` for a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from benchmarks.report import load_average, machine, markdown_table
from planner.batch import BatchOptions, collect_entries, run_batch

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RACE_DAY = dt.date(2027, 5, 9)  # a Sunday
NAMES = (
    "Sam", "Alex", "Kim", "Robin", "Jo", "Priya", "Mateo", "Aiko", "Lena", "Tomás",
    "Grace", "Omar", "Ines", "Noah", "Freya", "Yusuf", "Mia", "Ravi", "Elin", "Kofi",
)  # fmt: skip
LEVELS = ("novice", "intermediate", "advanced", "intermediate")
KITS = (
    ["band"],
    ["band", "dumbbell"],
    ["band", "dumbbell", "box", "medicine_ball"],
    ["kettlebell", "band", "step"],
    ["band", "dumbbell", "barbell", "rack", "bench"],
)
FOCUS = (
    {"hip_stability": 5, "ankle_mobility": 3},
    {"max_strength": 4, "posterior_chain": 3},
    {"calf_achilles": 4, "power": 3},
    {"core_anti_rotation": 4, "hip_mobility": 3},
)
DAYS = (
    {"mon": 40, "wed": 30, "fri": 40},
    {"mon": 45, "thu": 45, "sat": 30},
    {"tue": 30, "fri": 45, "sun": 30},
    {"mon": 30, "wed": 45, "fri": 30, "sat": 20},
)


@dataclass(frozen=True)
class Engine:
    label: str
    engine: str
    jobs: int


ENGINES = (Engine("local, 1 process", "local", 1), Engine("local, 2 processes", "local", 2),
           Engine("dask LocalCluster, 2 workers", "dask", 2))  # fmt: skip


def running_weeks(weeks: int, peak_km: float) -> list[dict[str, Any]]:
    """A marathon build: ramping volume, a cut-back every 4th week, a 2-week taper, and the
    race on the last Sunday."""
    plan = []
    for week in range(1, weeks + 1):
        share = 0.7 + 0.3 * min(1.0, week / max(1, weeks - 2))
        if week % 4 == 0:
            share *= 0.8
        if week > weeks - 2:
            share *= 0.75 if week == weeks - 1 else 0.5
        volume = peak_km * share
        entry: dict[str, Any] = {
            "tue": round(0.15 * volume),
            "wed": f"quality {round(0.2 * volume)}",
            "thu": round(0.15 * volume),
            "sun": f"long {round(0.35 * volume)}",
        }
        if week == weeks:
            entry = {"tue": 6, "thu": "quality 5", "sat": 4, "sun": "race 42.2"}
        plan.append(entry)
    return plan


def build_squad(athletes: int, min_weeks: int, max_weeks: int) -> dict[str, Any]:
    """The benchmark squad: `athletes` athletes of `min_weeks` to `max_weeks` weeks."""
    span = max_weeks - min_weeks + 1
    entries = []
    for index in range(athletes):
        weeks = min_weeks + index % span
        start = RACE_DAY - dt.timedelta(days=7 * weeks - 1)
        name = NAMES[index % len(NAMES)] + ("" if index < len(NAMES) else f" {index + 1}")
        entries.append(
            {
                "name": name,
                "level": LEVELS[index % len(LEVELS)],
                "equipment": list(KITS[index % len(KITS)]),
                "focus": dict(FOCUS[index % len(FOCUS)]),
                "block": {"start": start, "weeks": weeks},
                "availability": {"weekly": dict(DAYS[index % len(DAYS)])},
                "running": {"unit": "km", "weeks": running_weeks(weeks, 50 + 5 * (index % 5))},
            }
        )
    return {
        "format": 1,
        "name": "Spring marathon squad",
        "defaults": {
            "block": {"races": [{"date": RACE_DAY, "distance": "marathon"}]},
            "availability": {"max_per_week": 120},
        },
        "athletes": entries,
    }


def squad_yaml(squad: dict[str, Any]) -> str:
    """The squad as a squad file: one line per running week."""
    return yaml.safe_dump(
        squad, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )


def run_once(squad: Path, engine: Engine, options: BatchOptions, repetition: int) -> dict[str, Any]:
    title, entries = collect_entries(squad)
    chosen = BatchOptions(
        time_limit=options.time_limit, seed=options.seed, engine=engine.engine,
        jobs=engine.jobs, force=True,
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as folder:
        started = time.monotonic()
        report = run_batch(title, entries, Path(folder), chosen)
        wall = time.monotonic() - started
        plans = {path.stem: path.read_bytes() for path in Path(folder).glob("*.json")}
    cores = engine.jobs
    solve_s = sum(row.solve_s or 0.0 for row in report.rows)
    planned = sum(row.has_plan for row in report.rows)
    return {
        "engine": engine.label,
        "repetition": repetition,
        "cores": cores,
        "athletes": len(report.rows),
        "plans": planned,
        "optimal": sum(row.status == "optimal" for row in report.rows),
        "wall_s": wall,
        "solve_s_sum": solve_s,
        "solve_s_median": statistics.median(row.solve_s or 0.0 for row in report.rows),
        "plans_per_core_hour": planned / (wall * cores / 3600) if wall else float("nan"),
        "overhead_core_s_per_athlete": (wall * cores - solve_s) / max(1, len(report.rows)),
        "plan_kib_median": statistics.median(len(data) for data in plans.values()) / 1024
        if plans
        else float("nan"),
        "_plans": plans,
    }


def summarize(runs: pd.DataFrame) -> pd.DataFrame:
    grouped = runs.groupby("engine", sort=False)
    return pd.DataFrame(
        {
            "cores": grouped["cores"].first(),
            "runs": grouped["wall_s"].count(),
            "plans": grouped["plans"].median(),
            "optimal": grouped["optimal"].median(),
            "wall s (median)": grouped["wall_s"].median(),
            "solve s per athlete (median)": grouped["solve_s_median"].median(),
            "plans per core-hour (median)": grouped["plans_per_core_hour"].median(),
            "overhead core-s per athlete (median)": grouped["overhead_core_s_per_athlete"].median(),
            "plan KiB (median)": grouped["plan_kib_median"].median(),
        }
    ).reset_index()


TABLE_FORMATS = {
    "plans": "{:.0f}",
    "optimal": "{:.0f}",
    "wall s (median)": "{:.1f}",
    "solve s per athlete (median)": "{:.1f}",
    "plans per core-hour (median)": "{:.0f}",
    "overhead core-s per athlete (median)": "{:.2f}",
    "plan KiB (median)": "{:.0f}",
}

SCALING_NOTE = """## Scaling to a multi-machine cluster

Each athlete is an independent solve with one CP-SAT worker: a scenario of a few kB goes to
a worker, a plan JSON (the median size is in the table) comes back, and nothing is shared
between solves. Throughput therefore grows with the number of cores the cluster offers
(`planner batch --engine dask --scheduler tcp://HOST:8786` uses one solve per worker
thread), until one of these limits:

- the scheduler's own cost per task is about a millisecond, negligible next to solves of
  seconds to a minute, so thousands of athletes per hour are far from its limits;
- a core runs one solve at a time: start workers with `--nthreads` equal to their cores
  (and memory for that many solves, a few hundred MB each); hyper-threads add little;
- the batch keeps one solve per worker thread in flight, so a squad smaller than the
  cluster leaves cores idle, and the slowest athlete sets the wall time of a small squad;
- the plans are written by the machine that runs `planner batch`, one file per athlete.

The per-core throughput measured here is what each added core contributes, less the
engine's overhead column (start-up of the worker processes, sending scenarios and plans).
"""


def write_report(runs: pd.DataFrame, args: argparse.Namespace, identical: str, out: Path) -> Path:
    summary = summarize(runs)
    info = machine()
    lines = [
        "# Batch throughput",
        "",
        f"`{' '.join(['python -m benchmarks.batch', *sys.argv[1:]])}`, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average at start {args.load}, "
        f"at end {load_average()}.",
        "",
        f"Squad: {args.athletes} athletes, blocks of {args.min_weeks}-{args.max_weeks} weeks "
        f"ending on one marathon; time limit {args.time_limit:g} s per athlete, seed "
        f"{args.seed}, one CP-SAT worker per solve; {args.repetitions} run(s) per engine.",
        "",
        markdown_table(summary, TABLE_FORMATS),
        "",
        "Athletes whose plans are byte-identical in every run and engine, of those proven "
        f"optimal with a deterministic pick (`solver.deterministic`) in every run: {identical}."
        " (A loaded machine can cut the pick short; such plans may differ, as README says.)",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        SCALING_NOTE,
    ]
    path = out / f"batch{args.suffix}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def identical_plans(results: list[dict[str, Any]]) -> str:
    """How many athletes' plans are the same bytes in every run, among those the README's
    "Reproducible" promises it for: proven optimal with a deterministic pick in every run."""
    plans = [result["_plans"] for result in results]
    common = set.intersection(*(set(found) for found in plans)) if plans else set()

    def promised(data: bytes) -> bool:
        plan = json.loads(data)
        return bool(plan["status"] == "optimal" and plan["solver"]["deterministic"])

    covered = [athlete for athlete in sorted(common) if all(promised(p[athlete]) for p in plans)]
    same = [athlete for athlete in covered if len({found[athlete] for found in plans}) == 1]
    return f"{len(same)} of {len(covered)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (4 short athletes)")
    parser.add_argument("--athletes", type=int)
    parser.add_argument("--min-weeks", type=int)
    parser.add_argument("--max-weeks", type=int)
    parser.add_argument("--repetitions", type=int)
    parser.add_argument("--time-limit", type=float)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    defaults = (4, 4, 5, 1, 20.0) if args.quick else (16, 12, 18, 3, 60.0)
    for name, value in zip(
        ("athletes", "min_weeks", "max_weeks", "repetitions", "time_limit"), defaults, strict=True
    ):
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.suffix = "-quick" if args.quick else ""
    args.load = load_average()
    args.out.mkdir(parents=True, exist_ok=True)
    squad_path = args.out / f"batch-squad{args.suffix}.yaml"
    squad = build_squad(args.athletes, args.min_weeks, args.max_weeks)
    squad_path.write_text(squad_yaml(squad), "utf-8")
    options = BatchOptions(time_limit=args.time_limit, seed=args.seed)
    results = []
    for repetition in range(args.repetitions):
        for engine in ENGINES:
            result = run_once(squad_path, engine, options, repetition)
            results.append(result)
            print(
                f"{engine.label:30} run {repetition + 1}: {result['plans']}/{result['athletes']} "
                f"plans in {result['wall_s']:.1f} s, "
                f"{result['plans_per_core_hour']:.0f} plans per core-hour",
                flush=True,
            )
    runs = pd.DataFrame([{k: v for k, v in r.items() if k != "_plans"} for r in results])
    runs.to_csv(args.out / f"batch{args.suffix}.csv", index=False)
    path = write_report(runs, args, identical_plans(results), args.out)
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
