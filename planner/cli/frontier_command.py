"""`planner frontier`: what more (or less) gym time a week buys."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    ForceOption,
    QuietOption,
    SeedOption,
    app,
    err,
    note_guesses,
    run_guarded,
)
from planner.io.output import check_target

if TYPE_CHECKING:
    from planner.batch.frontier import Frontier

FRONTIER_FORMATS = (".csv", ".svg", ".html")


@app.command()
def frontier(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    minutes: Annotated[
        str | None,
        typer.Option(
            help="Weekly caps: LO:HI:STEP (e.g. 60:240:20) or a list (60,90,120). Default: "
            "--points caps from 20 min to what the week offers."
        ),
    ] = None,
    points: Annotated[
        int, typer.Option(min=2, max=40, help="Caps when --minutes is not given.")
    ] = 8,
    around: Annotated[
        bool,
        typer.Option(
            help="Place the caps from half to 1.5 times the efficiency optimum's minutes "
            "(solved first)."
        ),
    ] = False,
    per_day: Annotated[
        bool,
        typer.Option(
            "--per-day",
            help="Also ask which weekday's 10 more minutes buy most (a solve per weekday, at "
            "the efficiency optimum's fullest week).",
        ),
    ] = False,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the frontier here: .csv, .svg (the chart) or .html "
            "(chart and table). Repeat for several files.",
        ),
    ] = None,
    plans: Annotated[
        Path | None,
        typer.Option(help="Folder for each point's plan (cap-MIN.json, efficiency.json)."),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per point.")] = 45.0,
    seed: SeedOption = 0,
    engine: Annotated[
        str, typer.Option(help="local (a process pool on this machine) or dask.")
    ] = "local",
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Solves at once (default: one per core).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (with --engine dask).")
    ] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
) -> None:
    """What more (or less) gym time buys: the most benefit within each weekly cap, every
    rule and the coach's say kept, beside the plan with the most benefit per minute; marks
    the efficiency optimum and the knee."""
    from planner.batch import BatchOptions
    from planner.batch.engines import ENGINES
    from planner.batch.frontier import (
        caps_around,
        default_caps,
        parse_minutes,
        solve_efficiency,
    )
    from planner.batch.frontier import frontier as solve_frontier
    from planner.batch.frontier import per_day as solve_per_day
    from planner.io.scenario_file import load_scenario_with_import

    if engine not in ENGINES:
        raise typer.BadParameter(f"expected one of: {', '.join(ENGINES)}", param_hint="'--engine'")
    if around and minutes is not None:
        raise typer.BadParameter("give --minutes or --around, not both", param_hint="'--around'")
    for path in output or []:
        if path.suffix.lower() not in FRONTIER_FORMATS:
            raise typer.BadParameter(
                f"{path}: expected one of {', '.join(FRONTIER_FORMATS)}", param_hint="'--output'"
            )
    options = BatchOptions(time_limit, seed, engine, jobs, scheduler)

    def action() -> int:
        for path in output or []:
            check_target(path, force)
        loaded, imported = load_scenario_with_import(scenario)
        if imported is not None and imported.guesses and not quiet:
            note_guesses(imported.guesses)
        efficiency = None
        if around:
            efficiency = solve_efficiency(loaded, options)
            caps = caps_around(efficiency.per_week, loaded, points)
        elif minutes is not None:
            caps = parse_minutes(minutes)
        else:
            caps = default_caps(loaded, points)
        if plans is not None:
            plans.mkdir(parents=True, exist_ok=True)
        for path in _plan_files(plans, caps):
            check_target(path, force)
        if not quiet:
            listed = ", ".join(map(str, caps))
            also = "" if around else ", and the efficiency optimum"
            err.print(
                f"Solving the most benefit within {listed} min a week{also}, {time_limit:g} s "
                "each...",
                highlight=False,
            )
        result = solve_frontier(loaded, caps, options, efficiency)
        if all(point.plan is None for point in [result.efficiency, *result.points]):
            # No plan at any cap: the scenario's own problem, in `planner solve`'s words.
            err.print(result.efficiency.message, highlight=False, markup=False)
            return result.efficiency.exit_code or 5
        if per_day:
            if not quiet:
                err.print("Solving 10 more minutes on each weekday...", highlight=False)
            result.per_day = solve_per_day(loaded, result.efficiency, options)
        _write(result, output or [], plans, force)
        if not quiet:
            width = None if sys.stdout.isatty() else 140
            from planner.batch.frontier_report import print_frontier

            print_frontier(result, Console(soft_wrap=True, width=width))
            for path in output or []:
                Console().print(f"Wrote {path}", highlight=False, markup=False)
        return 0

    code = run_guarded(action)
    if code:
        raise typer.Exit(code)


def _write(result: Frontier, outputs: list[Path], plans: Path | None, force: bool) -> None:
    from planner.batch.frontier_report import frontier_csv, frontier_html, frontier_svg
    from planner.io.output import write_atomic

    writers = {".csv": frontier_csv, ".svg": frontier_svg, ".html": frontier_html}
    for path in outputs:
        write_atomic(path, writers[path.suffix.lower()](result), force=force)
    if plans is None:
        return
    points = [result.efficiency, *result.points]
    for point, path in zip(points, _plan_files(plans, [p.cap for p in result.points]), strict=True):
        if point.plan is not None:
            write_atomic(path, point.plan.to_json(), force=force)


def _plan_files(plans: Path | None, caps: Sequence[int | None]) -> list[Path]:
    """Where `--plans` puts the efficiency optimum's plan, then each cap's."""
    if plans is None:
        return []
    return [plans / "efficiency.json", *(plans / f"cap-{cap}.json" for cap in caps)]
