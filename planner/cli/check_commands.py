"""Commands that read: `check` (a plan against the rules), `schema` and `exercises`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planner.cli.common import (
    CLI,
    app,
    run_guarded,
)
from planner.errors import InputError, Problem


@app.command()
def check(
    scenario: Annotated[
        Path, typer.Argument(help="Scenario YAML file, or a studio file (with `classes:`).")
    ],
    plan: Annotated[
        Path, typer.Argument(help="Plan JSON file, or the folder `planner studio` wrote.")
    ],
) -> None:
    """Check a plan against every coaching rule and its stated objective. Exits 1 when a hard
    rule is broken; missed dose targets are listed apart and do not fail the check.

    With a studio file and the folder `planner studio` wrote for it, check every athlete's
    plan, their classes, each class's capacity and rosters.csv, from the files alone."""
    from planner.check.checker import check_plan
    from planner.io.plan_file import load_plan
    from planner.io.scenario_file import load_scenario
    from planner.io.studio_file import is_studio_file

    if is_studio_file(scenario):
        if not run_guarded(lambda: check_studio_folder(scenario, plan)):
            raise typer.Exit(1)
        return

    def action() -> bool:
        report = check_plan(load_plan(plan), load_scenario(scenario))
        out = Console()
        if report.figures:
            figures = report.figures
            out.print(
                f"benefit {figures.benefit:.4f} · {figures.minutes} min · "
                f"{figures.benefit_per_minute:.6f} benefit/min",
                highlight=False,
            )
        for violation in report.violations:
            out.print(str(violation), highlight=False, markup=False)
        if report.missed:
            out.print(f"missed dose targets ({len(report.missed)}):", highlight=False)
            for target in report.missed:
                out.print(f"  {target}", highlight=False, markup=False)
        out.print(
            "clean: no rule violations" if report.ok else f"{len(report.violations)} violation(s)"
        )
        return report.ok

    if not run_guarded(action):
        raise typer.Exit(1)


def check_studio_folder(studio_file: Path, folder: Path) -> bool:
    """`planner check STUDIO.yaml DIR`: print the studio's findings grouped by athlete and
    class date, the notes, and a last line: clean or the count. True when clean."""
    from planner.check.studio import check_studio, grouped
    from planner.io.studio_file import load_studio

    read = load_studio(studio_file)
    if not folder.is_dir():
        raise InputError(
            [Problem("", f"{studio_file} is a studio file: give the folder `planner studio` "
                     "wrote for it, not a file", str(folder))]
        )  # fmt: skip
    report = check_studio(read, folder)
    out = Console(soft_wrap=True)
    out.print(
        f"{report.studio}: {report.members} athletes, {report.plans} plans checked",
        highlight=False, markup=False,
    )  # fmt: skip
    for heading, findings in grouped(read, report.violations):
        out.print(heading, highlight=False, markup=False)
        for finding in findings:
            out.print(f"  {finding}", highlight=False, markup=False)
    if report.notes:
        out.print(
            f"notes ({len(report.notes)}: missed dose targets, athletes without a plan):",
            highlight=False,
        )
        for heading, findings in grouped(read, report.notes):
            out.print(f"  {heading}", highlight=False, markup=False)
            for finding in findings:
                out.print(f"    {finding}", highlight=False, markup=False)
    out.print(
        "clean: no violations" if report.ok else f"{len(report.violations)} violation(s)",
        highlight=False,
    )
    return report.ok


@app.command()
def schema(
    squad: Annotated[
        bool, typer.Option("--squad", help="The squad file's schema (`planner batch`).")
    ] = False,
) -> None:
    """Print the JSON Schema of the scenario file (or of the squad file)."""
    import json

    from planner.domain.scenario import Scenario
    from planner.domain.squad import Squad

    model = Squad if squad else Scenario
    typer.echo(json.dumps(model.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@app.command()
def exercises(
    category: Annotated[
        str | None, typer.Option(help="mobility, power, strength, accessory or core.")
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(help="Only exercises doable with this equipment, e.g. band,dumbbell."),
    ] = None,
    tag: Annotated[
        str | None, typer.Option(help="Only exercises with this tag, e.g. unilateral.")
    ] = None,
) -> None:
    """List the exercise catalog."""
    from planner.cli.quick import parse_equipment
    from planner.io.catalog_file import default_catalog
    from planner.report.render import exercise_table, select_exercises
    from planner.vocabulary import CATEGORIES, unknown_word

    def action() -> None:
        catalog = default_catalog()
        problems = []
        if category is not None and category not in CATEGORIES:
            problems.append(
                Problem("--category", unknown_word("category", category, CATEGORIES), CLI)
            )
        if tag is not None and tag not in catalog.tags:
            problems.append(Problem("--tag", unknown_word("tag", tag, catalog.tags), CLI))
        kit = None
        if equipment is not None:
            try:
                kit = parse_equipment(equipment)
            except ValueError as error:
                problems.append(Problem("--equipment", str(error), CLI))
        if problems:
            raise InputError(problems)
        chosen = select_exercises(catalog, category, kit, tag)
        Console().print(exercise_table(chosen))

    run_guarded(action)
