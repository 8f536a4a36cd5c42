"""`planner studio`: group classes with fixed times and capacity, planned for all their
runners at once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    ForceOption,
    QuietOption,
    SeedOption,
    app,
    err,
    parse_date_option,
    run_guarded,
)


@app.command()
def studio(
    studio_file: Annotated[Path, typer.Argument(metavar="STUDIO", help="Studio YAML file.")],
    outdir: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Folder for the plans, rosters, class sheets and calendar."
        ),
    ],
    engine: Annotated[
        str, typer.Option(help="local (a process pool on this machine) or dask.")
    ] = "local",
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Solves at once (default: one per core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a LocalCluster on this machine)."),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(help="Seconds per athlete alone, and per re-solve after a lost seat."),
    ] = 15.0,
    mode: Annotated[
        str,
        typer.Option(
            help="auto (one model up to 40 athletes), one (always), or decomposed (never): "
            "the decomposed plan is the start of one CP-SAT model of the whole studio."
        ),
    ] = "auto",
    model_time: Annotated[
        float,
        typer.Option(
            help="Seconds of search for the one model of the whole studio (after each "
            "athlete's plan is completed into it, which takes up to as long again)."
        ),
    ] = 120.0,
    since: Annotated[
        str | None,
        typer.Option(
            help="Re-plan the studio planned in the output folder from this date "
            "(YYYY-MM-DD): days before it kept, bookings changed as little as possible."
        ),
    ] = None,
    seed: SeedOption = 0,
    force: ForceOption = False,
    quiet: QuietOption = False,
) -> None:
    """Plan a studio: every athlete's plan around their running, with no class over its
    capacity, each athlete at their classes a week at most. Writes each athlete's plan, the
    rosters, a class sheet per class date, the studio page and its calendar. Exits 0 when
    every athlete has a plan, 6 when some have none."""
    from planner.batch import BatchOptions
    from planner.batch.engines import ENGINES
    from planner.batch.studio import MODES, plan_studio, read_earlier
    from planner.io.output import check_folder_files, write_folder
    from planner.io.studio_file import load_studio
    from planner.report.studio import STUDIO_SUFFIXES, print_studio_summary, studio_files

    if engine not in ENGINES:
        raise typer.BadParameter(f"expected one of: {', '.join(ENGINES)}", param_hint="'--engine'")
    if mode not in MODES:
        raise typer.BadParameter(f"expected one of: {', '.join(MODES)}", param_hint="'--mode'")
    if scheduler is not None and engine != "dask":
        raise typer.BadParameter("needs --engine dask", param_hint="'--scheduler'")
    options = BatchOptions(time_limit, seed, engine, jobs, scheduler)

    start = parse_date_option(since, "--since")

    def ours(path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in STUDIO_SUFFIXES

    def action() -> int:
        read = load_studio(studio_file)
        earlier = None if start is None else read_earlier(outdir, read, start)
        replace = force or earlier is not None  # a re-plan replaces the studio's folder
        check_folder_files(outdir, (), replace, ours)
        say = (lambda _: None) if quiet else (lambda text: err.print(text))
        if earlier is not None:
            for member in read.members:
                if member.id not in earlier.plans and member.athlete.joined is None:
                    say(f"{member.name} is new since {start}: planned as if they did no gym "
                        f"work before it (R12 ramps them up from nothing); to start them "
                        f"fresh, give their entry `joined: {start}`.")  # fmt: skip
        result = plan_studio(
            read, options, on_step=say, mode=mode, model_time=model_time, earlier=earlier
        )
        write_folder(outdir, studio_files(result), replace, ours)
        if not quiet:
            width = None if sys.stdout.isatty() else 120
            print_studio_summary(result, Console(soft_wrap=True, width=width))
        return 6 if any(athlete.plan is None for athlete in result.athletes) else 0

    code = run_guarded(action)
    if code:
        raise typer.Exit(code)
