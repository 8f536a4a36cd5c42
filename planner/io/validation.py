"""Pydantic errors in the words of the scenario file: one Problem per mistake, with its
field path, its YAML line and what was expected (a "did you mean" for unknown words)."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from planner.domain.scenario import Scenario
from planner.errors import Location, Problem, format_location
from planner.io.yaml_source import SourceMap
from planner.vocabulary import describe, suggest

# --- messages ------------------------------------------------------------------------------

# What a section or list looks like, for "expected ..., got ..." (`*` is any index or key).
SHAPES = {
    "": "a scenario: `format: 1`, then sections such as `block:` and `availability:`",
    "athlete": "athlete fields, e.g. `level: novice` and `equipment: [band]`",
    "athlete.equipment": "a list of equipment, e.g. `[band, dumbbell]`",
    "athlete.focus": "training targets with a weight 0 to 5, e.g. `{hip_stability: 5, power: 3}`",
    "athlete.avoid": "a list of catalog tags, e.g. `[high_impact]`",
    "block": "block fields, e.g. `start: 2027-01-04` and `weeks: 12`",
    "block.races": "a list of races, e.g. `- {date: 2027-05-09, distance: marathon, priority: A}`",
    "block.races.*": "a race, e.g. `{date: 2027-05-09, distance: marathon, priority: A}`",
    "availability": "availability fields, e.g. `weekly: {mon: 45, wed: 30}`",
    "availability.weekly": "gym minutes per weekday, e.g. `{mon: 45, wed: 30, sat: 60}`",
    "availability.exceptions": "a list of dates, e.g. `- {date: 2027-02-14, minutes: 0}`",
    "availability.exceptions.*": "a date and its gym minutes, "
    "e.g. `{date: 2027-02-14, minutes: 0}`",
    "availability.equipment_by_day": "extra equipment per weekday, e.g. `{sat: [barbell, rack]}`",
    "availability.equipment_by_day.*": "a list of equipment, e.g. `[barbell, rack]`",
    "running": "running fields, e.g. `unit: km` and `weeks:`",
    "running.weeks": "a list with one entry per block week, "
    "e.g. `- {tue: 5, thu: quality 6, sun: long 14}`",
    "running.weeks.*": "the week's runs by weekday, e.g. `{tue: 5, thu: quality 6, sun: long 14}`, "
    "or `{}` for a week without runs",
    "running.days": "a list of runs by date, e.g. `- {date: 2027-01-05, kind: easy, distance: 5}`",
    "running.days.*": "a run, e.g. `{date: 2027-01-05, kind: easy, distance: 5}`",
    "rules": "rule values, e.g. `hard_gap_days: 2`",
    "rules.plyo_contacts": "ground contacts per level, e.g. `{novice: 60}`",
    "rules.plyo_sessions_per_week": "plyometric sessions per week by level, e.g. `{novice: 1}`",
    "rules.race_hard_free_days": "days per race distance, e.g. `{marathon: 10}`",
    "rules.race_recovery_days": "days per race distance, e.g. `{marathon: 7}`",
}

# How to add a required field that is missing.
_MISSING = {
    "block": "add a `block:` section with `start: YYYY-MM-DD` and `weeks: N` (or `end:`)",
    "block.start": "add `start: YYYY-MM-DD`, the first day of the block",
    "availability": "add an `availability:` section with gym minutes per weekday, "
    "e.g. `weekly: {mon: 45, wed: 30}`",
    "block.races.*.date": "add the race day, `date: YYYY-MM-DD`",
    "block.races.*.distance": "add `distance:` 5k, 10k, half, marathon, ultra or a number of km",
    "availability.exceptions.*.date": "add `date: YYYY-MM-DD`",
    "availability.exceptions.*.minutes": "add `minutes:`, the gym minutes that day (0 for none)",
    "running.days.*.date": "add `date: YYYY-MM-DD`",
    "running.days.*.kind": "add `kind:` rest, easy, long, quality, race or cross",
}


def _lookup(table: dict[str, str], location: Location) -> str | None:
    """The entry for `location`, where `*` stands for a list index or (last) a map key."""
    parts = ["*" if isinstance(part, int) else str(part) for part in location]
    found = table.get(".".join(parts))
    if found is None and parts:
        found = table.get(".".join([*parts[:-1], "*"]))
    return found


def _message(
    error: Mapping[str, Any],
    location: Location,
    root: type[BaseModel] | None = None,
    shapes: dict[str, str] = SHAPES,
    missing: dict[str, str] = _MISSING,
) -> str:
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    got = describe(error.get("input"))
    if kind == "extra_forbidden":
        field = str(location[-1])
        parent = _model_at(root, location[:-1]) if root else None
        if parent is None:
            return f'unknown field "{field}"'
        names = [info.alias or name for name, info in parent.model_fields.items()]
        hint = suggest(field, names) or f" (expected one of: {', '.join(names)})"
        return f'unknown field "{field}"{hint}'
    if kind == "missing":
        how = _lookup(missing, location)
        return "required field is missing" + (f"; {how}" if how else "")
    if kind == "too_short" and (shape := _lookup(shapes, location)):
        return f"expected {shape}; got an empty list"
    if kind in ("dict_type", "model_type", "model_attributes_type", "list_type", "tuple_type"):
        shape = _lookup(shapes, location) or (
            "a list" if kind == "list_type" else "`key: value` lines"
        )
        text = f"expected {shape}; got {got}"
        if error.get("input") is None:
            text += "; fill it in or delete the line"
        elif kind == "list_type" and isinstance(error.get("input"), str):
            text += f"; write a list in brackets: `[{error['input']}]`"
        return text
    if kind in ("string_type", "string_sub_type"):
        return f"expected text, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind.startswith(("int_", "float_")):
        return f"expected a number, got {got}"
    if kind.startswith("date"):
        return f"expected a date as YYYY-MM-DD, got {got}"
    if kind == "literal_error":
        return f"{got} is not allowed; {message[0].lower()}{message[1:]}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{error.get('input')!r}: {message[0].lower()}{message[1:]}"
    return message


def _strip(annotation: Any) -> Any:
    """The type under Annotated[...] and Optional[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            models = [arg for arg in members if _is_model(_strip(arg))]
            annotation = (models or members)[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _model_at(root: type[BaseModel] | None, location: Location) -> type[BaseModel] | None:
    """The model class at `location` below `root`, following fields, lists and maps."""
    annotation: Any = root
    for part in location:
        annotation = _strip(annotation)
        if _is_model(annotation):
            fields = annotation.model_fields
            named = [info for name, info in fields.items() if part in (name, info.alias)]
            if not named:
                return None
            annotation = named[0].annotation
            continue
        args = get_args(annotation)
        if get_origin(annotation) in (list, tuple, set, frozenset) and args:
            annotation = args[0]
        elif get_origin(annotation) is dict and len(args) == 2:
            annotation = args[1]
        else:
            return None
    annotation = _strip(annotation)
    return annotation if _is_model(annotation) else None


def _clean_location(location: tuple[Any, ...]) -> Location:
    """Drop pydantic's internal steps (union members, function names) from a location."""
    cleaned: list[str | int] = []
    for part in location:
        if isinstance(part, str) and (
            part.startswith("function-") or part in ("str", "float", "int", "[key]")
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def problems_from(
    error: ValidationError,
    source: SourceMap,
    root: type[BaseModel] | None = None,
    shapes: dict[str, str] = SHAPES,
    missing: dict[str, str] = _MISSING,
) -> list[Problem]:
    """One Problem per pydantic error, with the field path and YAML line.

    `root` is the model that was validated; it lets an unknown field get a "did you mean"
    suggestion (a Scenario is recognised without it). `shapes` and `missing` say what a
    section looks like and how to add a missing field (the scenario's by default; another
    file passes its own).
    """
    root = root or (Scenario if error.title == "Scenario" else None)
    problems = []
    for item in error.errors():
        location = _clean_location(tuple(item["loc"]))
        location = tuple("import" if part == "import_" else part for part in location)
        problems.append(
            Problem(
                format_location(location),
                _message(item, location, root, shapes, missing),
                source.file,
                source.line_of(location),
            )
        )
    return problems
