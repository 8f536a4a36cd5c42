"""`planner batch`: a whole squad, on a local pool or a Dask cluster."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    QuietOption,
    SeedOption,
    app,
    err,
    run_guarded,
)


@app.command()
def batch(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="A squad file, a folder of scenario files, or a glob such as 'squad/*.yaml'.",
        ),
    ],
    outdir: Annotated[
        Path,
        typer.Option("--output", "-o", help="Folder for the plans, their reports and the summary."),
    ],
    engine: Annotated[
        str, typer.Option(help="local (a process pool on this machine) or dask.")
    ] = "local",
    jobs: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Solves at once: local processes, or LocalCluster workers "
            "(default: one per core).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address, e.g. tcp://HOST:8786 (default: a "
            "LocalCluster on this machine)."
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per athlete, as for solve.")] = 60.0,
    seed: SeedOption = 0,
    force: Annotated[
        bool, typer.Option(help="Solve every athlete again, even those with a plan already.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Plan a squad: every athlete of a squad file or folder, one solve per core, locally or on
    a Dask cluster. Exits 0 when every athlete has a plan, 6 when some have none."""
    from planner.batch import BatchOptions, collect_entries, run_batch
    from planner.batch.engines import ENGINES
    from planner.batch.progress import BatchProgressBar
    from planner.batch.summary import print_summary
    from planner.report.progress import should_show

    if engine not in ENGINES:
        raise typer.BadParameter(f"expected one of: {', '.join(ENGINES)}", param_hint="'--engine'")
    if scheduler is not None and engine != "dask":
        raise typer.BadParameter("needs --engine dask", param_hint="'--scheduler'")
    options = BatchOptions(time_limit, seed, engine, jobs, scheduler, force)

    def action() -> int:
        title, entries = collect_entries(source)
        enabled = should_show(quiet, sys.stderr)
        with BatchProgressBar(len(entries), enabled=enabled) as bar:
            report = run_batch(title, entries, outdir, options, on_progress=bar)
        if not quiet:
            # A pipe or file gets the whole table: 120 columns, not the default 80.
            width = None if sys.stdout.isatty() else 120
            print_summary(report, Console(soft_wrap=True, width=width))
        if report.interrupted:
            err.print("Interrupted: the plans written so far are kept; run again to finish.")
            return 130
        return report.exit_code

    code = run_guarded(action)
    if code:
        raise typer.Exit(code)
