"""Replan benchmark: a missed session in week 6 of the 18-week marathon scenario.

    python -m benchmarks.replan [--runs 3] [--time-limit 120] [--today 2027-02-09]
                                [--missed 2027-02-08]

1. Solves the whole block once (the old plan).
2. Replans it `--runs` times after the missed session (`planner replan` with
   `--today` and `--missed`), timing each replan, and prints the first one's diff, its
   changed days, what the event cost in benefit, and the checker's verdict.
3. Solves the remaining weeks from `--today` as a fresh scenario `--runs` times, for the
   time a replan should not exceed.

The scenario's Tuesdays have no gym time (`tue: 0`), so "a missed Tuesday in week 6" is
read as the week's first session (Monday 8 Feb) missed, replanned on Tuesday 9 Feb.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from rich.console import Console

from planner.check.checker import check_plan
from planner.domain.scenario import Scenario
from planner.io.digest import scenario_sha256
from planner.io.scenario_file import load_scenario
from planner.pipeline import SolveOptions, solve_scenario
from planner.pipeline.replan import ReplanRequest, replan_scenario
from planner.report.render import change_lines

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "marathon_18wk.yaml"


def remaining(scenario: Scenario, today: dt.date) -> Scenario:
    """The same athlete, runs, races and time from `today` to the end of the block."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["block"] = {
        "start": today.isoformat(),
        "end": scenario.block.last_day.isoformat(),
        "races": data["block"].get("races", []),
    }
    data["running"] = {
        "unit": scenario.running.unit,
        "days": [
            {
                "date": date.isoformat(),
                "kind": run.kind,
                "distance": run.distance,
                "minutes": run.minutes,
            }
            for date, run in sorted(scenario.runs_by_date().items())
            if date >= today
        ],
    }
    exceptions = data["availability"].get("exceptions", [])
    data["availability"]["exceptions"] = [e for e in exceptions if e["date"] >= today.isoformat()]
    return Scenario.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--today", default="2027-02-09")
    parser.add_argument("--missed", default="2027-02-08")
    args = parser.parse_args()
    today, missed = dt.date.fromisoformat(args.today), dt.date.fromisoformat(args.missed)
    out = Console(width=100)
    scenario = load_scenario(SCENARIO)
    sha = scenario_sha256(scenario)

    def options(seed: int = 0) -> SolveOptions:
        return SolveOptions(time_limit=args.time_limit, seed=seed, workers=args.workers)

    started = time.monotonic()
    fresh = solve_scenario(scenario, options())
    assert fresh.plan is not None, fresh.status
    old = fresh.plan
    out.print(
        f"old plan: {old.status}, benefit {old.objective.benefit:g}, {old.objective.minutes} min, "
        f"{time.monotonic() - started:.1f} s"
    )

    request = ReplanRequest(today=today, missed=[missed])
    times = []
    first = None
    for _ in range(args.runs):
        began = time.monotonic()
        result = replan_scenario(scenario, old, request, options(), scenario_sha256=sha)
        times.append(time.monotonic() - began)
        first = first or result
    assert first is not None and first.plan is not None, first and first.status
    new = first.plan
    source = new.replanned_from()
    assert source is not None
    extra = source.model_extra or {}
    report = check_plan(new, scenario)
    out.print(f"\nreplan on {today} after the session of {missed} was missed: {new.status}")
    out.print("diff:")
    for line in change_lines(new):
        out.print(f"  {line}", highlight=False)
    out.print(f"changed days: {extra['changed_days']} (weighted {extra['weighted_changes']})")
    out.print(
        f"benefit {extra['benefit_before']:g} -> {extra['benefit_after']:g}: "
        f"the event cost {extra['benefit_cost']:g} "
        f"({extra['benefit_cost'] / extra['benefit_before']:.2%}); minutes "
        f"{extra['minutes_before']} -> {extra['minutes_after']}"
    )
    out.print(
        f"checker: {'clean' if report.ok else report.violations}; missed targets "
        f"{sorted(report.missed_rules())}"
    )
    out.print(f"replan times (s): {', '.join(f'{t:.1f}' for t in times)}")
    out.print(f"replan median: {statistics.median(times):.1f} s")

    rest = remaining(scenario, today)
    fresh_times = []
    for _ in range(args.runs):
        began = time.monotonic()
        result_rest = solve_scenario(rest, options())
        fresh_times.append(time.monotonic() - began)
    out.print(
        f"\nfresh solve of the remaining weeks ({rest.block.start} to {rest.block.last_day}): "
        f"{result_rest.status}; times (s): {', '.join(f'{t:.1f}' for t in fresh_times)}"
    )
    out.print(f"fresh median: {statistics.median(fresh_times):.1f} s")


if __name__ == "__main__":
    main()
