"""Studio benchmark: `planner studio`'s fair seat assignment against first come, first
served, all seated from one step 1 (every athlete planned alone, every class open).

    python -m benchmarks.studio --studio scenarios/studio/studio.yaml   # the bundled example
    python -m benchmarks.studio --athletes 60 --seed 0                  # a generated studio
    python -m benchmarks.studio --athletes 200 --engine dask --jobs 2   # a 2-worker LocalCluster
    python -m benchmarks.studio --athletes 50 --studios 4               # a chain of 4 studios
    python -m benchmarks.studio --studio scenarios/studio/studio.yaml --repeat 3  # 3 seeds

For each studio (the file given, or `benchmarks.studio_instances.make_studio`):

1. `solve_alone` once: each athlete's best plan in the studio, every class open.
2. `seat_studio` with the fair assignment (FAIR: each athlete who asks for a contested seat
   solved without the contested dates, then the assignment: nobody beyond their share of
   the losses, the fewest athletes short, spare seats of the week offered) and with two
   baselines, first come, first served, as a studio's booking page gives seats: each
   athlete books every seat their plan asks for while the class has room, in the studio
   file's order (FIRST_COME: standing bookings, the same athletes first every week), or
   week by week in an order of that week (FIRST_COME_WEEKLY: the booking opens a week
   ahead and who is first varies, shuffled with the solver seed); in each, every athlete
   who lost a seat is solved again with the seats granted.

Per policy, one row: wall seconds per step (`alone` is step 1, shared by the rows; `seats`
until the first solve of step 2; `again` the rest: the solves without the contested seats,
the assignment and the re-solves), seats taken of the capacity of the class dates, class
dates over capacity (0, or the studio is broken), the athletes short of their floor (a plan
with more missed-floor findings, R13/R16/R19 week by week, than their plan alone) and those
with no plan, the benefit per minute lost against their plan alone (total and mean over the
athletes; `AthletePlan.loss`, which counts a plan better than alone as no loss), the worst-off
athlete's share of the seats' worth they asked for (recomputed from the seats granted, so that
every policy is measured alike), the worst-off athlete's share of their benefit per minute
alone, the athletes whose plan beats their plan alone (a re-solve starts from that plan and
gets a time limit of its own, so with short limits it may find better), the waitlisted
seats and those of them on class dates that ended with a free place (a seat granted to an
athlete whose re-solve did not use it is not offered on), and the hard-rule violations the
independent checker finds in every plan against its studio scenario.

Before the rows, the seats the plans alone ask for: in all and beyond capacity, and slot by
slot where some date is asked for beyond its capacity (the generated studios aim at 20-30 %
at their popular slots).

With `--repeat N`, the whole benchmark runs with N solver seeds (the given one and the next
N-1): one table per seed, then the median of each column per policy over the seeds (one
run's figures move with the seed, most of all the benefit per minute lost).

Results are appended to benchmarks/results/studio.txt, with the command, the machine (as
the other benchmarks record it) and the load average. Each step starts its engine afresh (a
process pool, or a Dask LocalCluster), and its wall time includes that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.report import load_average, machine, markdown_table
from benchmarks.studio_instances import WEEKS, make_chain, make_studio, studio_file, studio_yaml
from planner.batch import BatchOptions
from planner.batch.studio import ONE, Alone, improve_studio, seat_studio, solve_alone
from planner.check.checker import check_plan
from planner.io.studio_file import StudioFile, load_studio
from planner.pipeline.studio import (
    FAIR,
    FIRST_COME,
    FIRST_COME_WEEKLY,
    StudioPlan,
    floor_warnings,
    wishes,
    worst_share,
)
from planner.solver.seats import Wish

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RESULTS_FILE = "studio.txt"
POLICIES = (FAIR, FIRST_COME, FIRST_COME_WEEKLY)

Say = Callable[[str], None]


@dataclass
class Demand:
    """The seats the plans alone ask for, against the class dates' capacity."""

    asked: int = 0
    beyond: int = 0  # asked beyond capacity, over the class dates
    capacity: int = 0
    slots: dict[str, tuple[int, int]] = field(default_factory=dict)  # contested: asked, beyond

    def text(self) -> str:
        share = f"{self.beyond / self.asked:.0%}" if self.asked else "–"
        line = (
            f"seats the plans alone ask for: {self.asked} of {self.capacity} places; "
            f"{self.beyond} beyond capacity ({share})"
        )
        if self.slots:
            contested = ", ".join(
                f"{slot} {beyond} of {asked} ({beyond / asked:.0%})"
                for slot, (asked, beyond) in self.slots.items()
            )
            line += f"; beyond capacity at the contested slots: {contested}"
        return line


@dataclass
class StudioRun:
    """One studio's benchmark: its step 1, the demand, and one row per policy."""

    name: str
    athletes: int
    classes: int
    class_dates: int
    alone_s: float
    engine: str
    planned_alone: int
    demand: Demand
    rows: list[dict[str, Any]]
    seed: int = 0  # the solver's


def asked_wishes(read: StudioFile, alone: Alone) -> list[Wish]:
    """The seats each athlete's plan alone asks for (and the offers), as `seat_studio`
    derives them."""
    return [
        wish
        for athlete in alone.athletes.values()
        if athlete.solo is not None
        for wish in wishes(read.studio, athlete)
    ]


def demand(read: StudioFile, asked: list[Wish]) -> Demand:
    """The seats asked for at each class date against its places, summed by slot."""
    capacity = {
        (held.date, held.class_id): held.slot.capacity for held in read.studio.class_dates()
    }
    count: dict[tuple[dt.date, str], int] = defaultdict(int)
    for wish in asked:
        if wish.wanted:
            count[wish.seat] += 1
    found = Demand(capacity=sum(capacity.values()))
    by_slot: dict[str, list[int]] = {slot.id: [0, 0] for slot in read.studio.classes}
    for seat, places in capacity.items():
        beyond = max(0, count[seat] - places)
        by_slot[seat[1]][0] += count[seat]
        by_slot[seat[1]][1] += beyond
        found.asked += count[seat]
        found.beyond += beyond
    found.slots = {slot: (asked, beyond) for slot, (asked, beyond) in by_slot.items() if beyond}
    return found


def seat_worth_share(asked: list[Wish], result: StudioPlan) -> float:
    """The worst-off athlete's share of the seats' worth they asked for, from the seats the
    policy granted: every asked-for seat but those on the waitlist."""
    denied = {
        (athlete, date, class_id)
        for (date, class_id), queue in result.waitlist.items()
        for athlete, _ in queue
    }
    granted = {
        wish for wish in asked
        if wish.wanted and (wish.athlete, wish.date, wish.class_id) not in denied
    }  # fmt: skip
    return worst_share(asked, granted)


def policy_row(
    policy: str, asked: list[Wish], result: StudioPlan, seats_s: float, again_s: float
) -> dict[str, Any]:
    """The table's row of one policy (see the module's docstring)."""
    held = result.class_dates()
    taken = {(h.date, h.class_id): len(result.rosters[h.date, h.class_id]) for h in held}
    capacity = {(h.date, h.class_id): h.slot.capacity for h in held}
    athletes = result.athletes
    planned = [a for a in athletes if a.plan is not None]
    added = [max(0, a.missed - floor_warnings(a.solo)) for a in planned if a.solo is not None]
    kept = [min(1.0, a.ratio / a.solo_ratio) for a in athletes if a.solo_ratio > 0]
    violations = sum(len(check_plan(a.plan, a.scenario).violations) for a in planned if a.plan)
    waitlisted = [(seat, entry) for seat, queue in result.waitlist.items() for entry in queue]
    loss = [a.loss for a in athletes]
    return {
        "athletes": len(athletes),
        "policy": policy,
        "seats s": seats_s,
        "again s": again_s,
        "solved again": sum(a.resolved for a in athletes),
        "seats taken": sum(taken.values()),
        "capacity": sum(capacity.values()),
        "over capacity": sum(taken[seat] > capacity[seat] for seat in taken),
        "short of floor": sum(1 for weeks in added if weeks),
        "weeks short": sum(added),
        "worst weeks short": max(added, default=0),
        "no plan": len(athletes) - len(planned),
        "loss total": sum(loss),
        "loss mean": sum(loss) / len(loss) if loss else 0.0,
        "worst seat share": seat_worth_share(asked, result),
        "worst kept ratio": min(kept, default=1.0),
        "better than alone": sum(a.ratio > a.solo_ratio + 1e-9 for a in planned),
        "waitlisted": len(waitlisted),
        "waitlisted, room left": sum(taken[seat] < capacity[seat] for seat, _ in waitlisted),
        "checker violations": violations,
    }


def seat_timed(
    read: StudioFile, alone: Alone, options: BatchOptions, policy: str, say: Say | None
) -> tuple[StudioPlan, float, float]:
    """`seat_studio` with the seconds of the assignment and of the re-solves apart: it
    announces the re-solves (its `on_step`) just before it starts them."""
    started = time.monotonic()
    marks: list[float] = []

    def step(text: str) -> None:
        marks.append(time.monotonic())
        if say:
            say(text)

    result = seat_studio(read, alone, options, step, policy)
    ended = time.monotonic()
    resolves_from = marks[0] if marks else ended
    return result, resolves_from - started, ended - resolves_from


def benchmark_studio(
    read: StudioFile, options: BatchOptions, say: Say | None = None, model_time: float = 0.0
) -> StudioRun:
    """Step 1 once, then each policy's seats and re-solves; one row per policy. With
    `model_time`, a row after the fair one: the fair plan as `planner studio` ends it, in
    the one model of the whole studio, then the room (steps 4 and 5), its seconds in
    `again s`."""
    alone = solve_alone(read, options, say)
    asked = asked_wishes(read, alone)
    rows = []
    for policy in POLICIES:
        if say:
            say(f"Seating {len(alone.athletes)} athletes: {policy} ...")
        result, seats_s, again_s = seat_timed(read, alone, options, policy, say)
        row = policy_row(policy, asked, result, seats_s, again_s)
        row["alone s"] = alone.seconds
        row["total s"] = alone.seconds + seats_s + again_s
        rows.append(row)
        if policy == FAIR and model_time > 0:
            started = time.monotonic()
            improve_studio(result, options, say, ONE, model_time)
            one_s = time.monotonic() - started
            one = policy_row(
                f"{policy} + one model + room", asked, result, seats_s, again_s + one_s
            )
            one["alone s"] = alone.seconds
            one["total s"] = row["total s"] + one_s
            rows.append(one)
    studio = read.studio
    return StudioRun(
        studio.name, len(read.members), len(studio.classes), len(studio.class_dates()),
        alone.seconds, alone.engine,
        sum(a.solo is not None for a in alone.athletes.values()), demand(read, asked), rows,
        options.seed,
    )  # fmt: skip


COLUMNS = (
    "athletes", "policy", "alone s", "seats s", "again s", "total s", "solved again",
    "seats taken", "capacity", "over capacity", "short of floor", "weeks short",
    "worst weeks short", "no plan", "loss total",
    "loss mean", "worst seat share", "worst kept ratio", "better than alone", "waitlisted",
    "waitlisted, room left", "checker violations",
)  # fmt: skip
FORMATS = {
    "alone s": "{:.1f}",
    "seats s": "{:.1f}",
    "again s": "{:.1f}",
    "total s": "{:.1f}",
    "loss total": "{:.3f}",
    "loss mean": "{:.4f}",
    "worst seat share": "{:.3f}",
    "worst kept ratio": "{:.3f}",
}


def studio_names(runs: list[StudioRun]) -> list[str]:
    """The studios of the runs, in order: a chain's place of each is its index + 1."""
    return list(dict.fromkeys(run.name for run in runs))


def several_seeds(runs: list[StudioRun]) -> bool:
    return len({run.seed for run in runs}) > 1


def table(runs: list[StudioRun]) -> pd.DataFrame:
    """Every run's rows; with several studios, a column naming each (its place in the
    chain), with several seeds, a column naming the seed."""
    frame = pd.DataFrame([row for run in runs for row in run.rows], columns=list(COLUMNS))
    names = studio_names(runs)
    if len(names) > 1:
        frame.insert(0, "studio", [names.index(run.name) + 1 for run in runs for _ in run.rows])
    if several_seeds(runs):
        frame.insert(0, "seed", [run.seed for run in runs for _ in run.rows])
    return frame


def medians(runs: list[StudioRun]) -> pd.DataFrame:
    """Each column's median over the seeds, per policy (and studio), in the table's order."""
    frame = table(runs).drop(columns="seed", errors="ignore")
    keys = [key for key in ("studio", "policy") if key in frame.columns]
    middle = frame.groupby(keys, sort=False).median().reset_index()
    for column in middle.columns:  # counts stay counts where the median is one
        if frame[column].dtype.kind == "i" and (middle[column] % 1 == 0).all():
            middle[column] = middle[column].astype(int)
    return middle


def broken(runs: list[StudioRun]) -> list[str]:
    """What must never happen: a class over capacity, a plan breaking a hard rule."""
    found = []
    for run in runs:
        for row in run.rows:
            if row["over capacity"]:
                found.append(f"{run.name}, {row['policy']}: {row['over capacity']} classes over")
            if row["checker violations"]:
                found.append(f"{run.name}, {row['policy']}: {row['checker violations']} "
                             "hard-rule violations")  # fmt: skip
    return found


def record(runs: list[StudioRun], settings: str, load_start: str, command: str) -> str:
    """The text appended to the results file: the command, studio, settings, machine, load,
    each studio's step 1 and demand, and the table."""
    info = machine()
    lines = [
        f"## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: `{command}`",
        "",
        f"- settings: {settings}; engine {runs[0].engine}",
        "- machine: " + "; ".join(f"{key} {value}" for key, value in info.items()),
        f"- load average at start {load_start}, at end {load_average()}",
    ]
    names = studio_names(runs)
    for run in runs:
        label = f"studio {names.index(run.name) + 1}" if len(names) > 1 else "studio"
        label += f", solver seed {run.seed}: " if several_seeds(runs) else ": "
        lines += [
            f"- {label}{run.name}: {run.athletes} athletes, {run.classes} weekly classes, "
            f"{run.class_dates} class dates; alone: {run.planned_alone} plans in "
            f"{run.alone_s:.1f} s",
            f"  - {run.demand.text()}",
        ]
    lines += ["", markdown_table(table(runs), FORMATS), ""]
    if several_seeds(runs):
        seeds = sorted({run.seed for run in runs})
        lines += [f"Medians over solver seeds {', '.join(map(str, seeds))}:", ""]
        lines += [markdown_table(medians(runs), FORMATS), ""]
    problems = broken(runs)
    lines += [f"BROKEN: {problem}" for problem in problems] or ["invariants: hold"]
    return "\n".join(lines) + "\n\n"


def studios_to_run(args: argparse.Namespace) -> list[StudioFile]:
    if args.studio is not None:
        return [load_studio(args.studio)]
    if args.studios == 1:
        chain = [make_studio(args.athletes, args.seed, args.weeks)]
    else:
        chain = make_chain(args.studios, args.athletes, args.seed, args.weeks)
    if args.write_studio is not None:
        for index, data in enumerate(chain):
            path = args.write_studio
            if len(chain) > 1:
                path = path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
            path.write_text(studio_yaml(data), encoding="utf-8")
    return [studio_file(data) for data in chain]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studio", type=Path, help="a studio file (default: a generated one)")
    parser.add_argument("--athletes", type=int, default=60, help="athletes of a generated studio")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument("--weeks", type=int, default=WEEKS, help="a generated studio's block")
    parser.add_argument("--studios", type=int, default=1, help="a chain of this many studios")
    parser.add_argument("--write-studio", type=Path, help="write the generated studio file here")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--jobs", type=int, help="solves at once (default: one per core)")
    parser.add_argument("--scheduler", help="a Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per solve")
    parser.add_argument("--solver-seed", type=int, default=0)
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="run with this many solver seeds (from --solver-seed); medians per policy",
    )  # fmt: skip
    parser.add_argument(
        "--model-time", type=float, default=120.0,
        help="seconds of the one model after the fair seats, up to 40 athletes (0: none)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    if args.scheduler is not None and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    if min(args.athletes, args.weeks, args.studios, args.repeat) < 1 or (
        args.jobs is not None and args.jobs < 1
    ):
        parser.error("--athletes, --weeks, --studios, --repeat and --jobs are at least 1")
    return args


def run(
    args: argparse.Namespace, command: str, say: Say | None = None
) -> tuple[list[StudioRun], str]:
    """Benchmark each studio the arguments name, and append the record to the results file;
    the runs and the record."""
    load_start = load_average()
    studios = studios_to_run(args)
    seeds = range(args.solver_seed, args.solver_seed + args.repeat)
    runs = []
    for seed in seeds:
        options = BatchOptions(
            time_limit=args.time_limit, seed=seed, engine=args.engine, jobs=args.jobs,
            scheduler=args.scheduler,
        )  # fmt: skip
        for read in studios:
            model_time = args.model_time if len(read.members) <= 40 else 0.0
            runs.append(benchmark_studio(read, options, say, model_time))
    settings = (
        f"time limit {args.time_limit:g} s per solve, solver seed"
        f"{'s' if args.repeat > 1 else ''} {', '.join(map(str, seeds))}, "
        f"jobs {args.jobs or 'one per core'}"
    )
    text = record(runs, settings, load_start, command)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / RESULTS_FILE).open("a", encoding="utf-8") as results:
        results.write(text)
    return runs, text


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    command = " ".join(["python -m benchmarks.studio", *(sys.argv[1:] if argv is None else argv)])
    runs, text = run(args, command, lambda line: print(line, flush=True))
    print(text, end="")
    print(f"Appended to {args.out / RESULTS_FILE}")
    return 1 if broken(runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
