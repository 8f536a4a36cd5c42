"""Reading a scenario: YAML text or file to a validated Scenario, or InputError listing every
problem. Running-plan imports resolve beside the scenario file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.domain.scenario import DEFER, Scenario, cross_field_problems
from planner.errors import InputError, Problem, format_location
from planner.io.catalog_file import default_catalog
from planner.io.imports import ImportReport, ImportSettings, read_running_plan
from planner.io.validation import SHAPES, problems_from
from planner.io.yaml_source import SourceMap, load_yaml, parse_yaml
from planner.vocabulary import describe


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in the order of the file (problems of the whole file first)."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda problem: problem.line or 0)


def scenario_from_data(
    data: Any,
    source: SourceMap | None = None,
    tags: Iterable[str] | None = None,
    exercises: Iterable[str] | None = None,
) -> Scenario:
    """Validate already-parsed data into a Scenario, or raise InputError listing every problem.

    `tags` and `exercises` are the catalog's tag and exercise-id vocabularies; when given,
    `athlete.avoid` and the coach's ids (R18) are checked against them.
    """
    source = source or SourceMap()
    problems = list(source.problems)
    if not isinstance(data, dict):
        problems.append(Problem("", f"expected {SHAPES['']}; got {describe(data)}", source.file, 1))
        raise InputError(problems)
    try:
        Scenario.model_validate(data, context=DEFER)
    except ValidationError as error:
        problems += problems_from(error, source, Scenario)
    for location, message in cross_field_problems(data, tags, exercises):
        problems.append(
            Problem(format_location(location), message, source.file, source.line_of(location))
        )
    if problems:
        raise InputError(_in_file_order(problems))
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:  # a cross-field check the second pass does not mirror
        raise InputError(problems_from(error, source, Scenario)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; imports of running plans resolve beside it.

    Avoided tags (`athlete.avoid`) and the coach's exercise ids are checked against the
    catalog.
    """
    return load_scenario_with_import(path)[0]


def load_scenario_with_import(path: str | Path) -> tuple[Scenario, ImportReport | None]:
    """The scenario, with its imported runs as `running.days`, and how the import was read
    (None when the scenario imports nothing)."""
    path = Path(path)
    data, source = load_yaml(path, keep_going=True)
    catalog = default_catalog()
    scenario = scenario_from_data(data, source, catalog.tags, catalog.by_id())
    return with_imported_runs(scenario, path.parent)


def with_imported_runs(scenario: Scenario, folder: Path) -> tuple[Scenario, ImportReport | None]:
    """The scenario with its imported running plan (`running.import`, a file relative to
    `folder`) read into `running.days`, and how it was read (None: nothing imported)."""
    spec = scenario.running.import_
    if spec is None:
        return scenario, None
    report = read_running_plan(folder / spec.file, ImportSettings.for_scenario(scenario))
    running = scenario.running.model_copy(update={"days": report.run_days(), "import_": None})
    return scenario.model_copy(update={"running": running}), report


def scenario_from_text(
    text: str,
    name: str | None = None,
    tags: Iterable[str] | None = None,
    exercises: Iterable[str] | None = None,
) -> Scenario:
    data, source = parse_yaml(text, SourceMap(name), keep_going=True)
    return scenario_from_data(data, source, tags, exercises)
