"""`planner import`: read a running plan from a coaching platform's export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    ForceOption,
    app,
    err,
    run_guarded,
)
from planner.io.output import check_target


def _block_option(start: str | None, weeks: int | None) -> tuple[dt.date | None, dt.date | None]:
    """(first day, last day) of `--start` and `--weeks`; a usage error when they do not fit."""
    if start is None:
        if weeks is not None:
            raise typer.BadParameter("give --start with --weeks", param_hint="'--weeks'")
        return None, None
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        raise typer.BadParameter(f'"{start}": write YYYY-MM-DD', param_hint="'--start'") from None
    return first, first + dt.timedelta(days=7 * weeks - 1) if weeks else None


def _check_timezone(name: str | None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if name is not None:
            ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        message = f'unknown time zone "{name}"; write a zone name such as Europe/Berlin'
        raise typer.BadParameter(message, param_hint="'--timezone'") from None


def _kinds_option(items: list[str]) -> dict[str, str]:
    """`--kind "Loading Up=skip"` -> {"Loading Up": "skip"}; a usage error otherwise."""
    from planner.domain.scenario import IMPORT_KINDS
    from planner.vocabulary import unknown_word

    kinds = {}
    for item in items:
        words, _, kind = item.rpartition("=")
        kind = kind.strip().lower()
        if not words.strip():
            raise typer.BadParameter(f'"{item}": write TITLE WORDS=KIND', param_hint="'--kind'")
        if kind not in IMPORT_KINDS:
            message = unknown_word("run kind", kind, IMPORT_KINDS)
            raise typer.BadParameter(message, param_hint="'--kind'")
        kinds[words.strip()] = kind
    return kinds


@app.command("import")
def import_plan(
    file: Annotated[Path, typer.Argument(help="Running plan: .ics calendar or .csv sheet.")],
    unit: Annotated[str, typer.Option(help="The plan's unit: mi or km.")],
    start: Annotated[
        str | None, typer.Option(help="First day of the block, YYYY-MM-DD: keeps its dates.")
    ] = None,
    weeks: Annotated[int | None, typer.Option(min=1, help="Weeks of the block.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="The athlete's time zone, e.g. America/New_York.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Make every guess an error (exit 3).")] = False,
    kind: Annotated[
        list[str] | None,
        typer.Option(help='Read titles with these words as a kind: "Loading Up=skip". Repeat.'),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print the reading as JSON instead of tables.")
    ] = False,
    save: Annotated[
        Path | None, typer.Option(help="Write the running weeks into a scenario (YAML).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Show how a running plan is read, day by day, to check it before solving."""
    import json as json_module

    from planner.io.imports import ImportSettings, read_running_plan, scenario_yaml
    from planner.io.output import write_atomic
    from planner.report.imports import render_import

    if unit not in ("mi", "km"):
        raise typer.BadParameter(f'"{unit}": write mi or km', param_hint="'--unit'")
    first, last = _block_option(start, weeks)
    _check_timezone(timezone)
    settings = ImportSettings(unit, first, last, timezone, strict, _kinds_option(kind or []))

    def action() -> None:
        if save is not None:
            check_target(save, force)
        report = read_running_plan(file, settings)
        if json:
            typer.echo(json_module.dumps(report.to_json(), indent=2, ensure_ascii=False))
        else:
            render_import(report, Console())
        if save is not None:
            write_atomic(save, scenario_yaml(report, first, weeks, timezone), force=force)
            err.print(f"Saved the scenario to {save}", highlight=False, markup=False)

    run_guarded(action)
