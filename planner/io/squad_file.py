"""Reading a squad file (`planner.domain.squad`): shared defaults and a list of athletes,
each turned into a validated Scenario, or into the InputError that names the athlete's index
and field (`athletes[3].level`) and the line of the squad file.

A broken entry spoils only its own athlete: `load_squad` raises InputError only when the
file as a whole cannot be read (not YAML, unknown top-level keys, no athletes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.domain.scenario import Scenario
from planner.domain.squad import (
    ATHLETE_FIELDS,
    MERGED_SECTIONS,
    REPLACED_SECTIONS,
    SQUAD_FORMAT,
    squad_keys,
)
from planner.errors import InputError, Location, Problem, format_location
from planner.io.catalog_file import default_catalog
from planner.io.scenario_file import scenario_from_data, with_imported_runs
from planner.io.yaml_source import SourceMap, load_yaml
from planner.vocabulary import describe, suggest

ATHLETES = "athletes"


@dataclass(frozen=True)
class SquadEntry:
    """One athlete of a squad: a valid scenario, or the error that says what is wrong."""

    index: int
    id: str  # names the athlete's files: ID.json, ID.html
    name: str
    scenario: Scenario | None
    error: InputError | None = None


@dataclass(frozen=True)
class SquadFile:
    name: str
    entries: list[SquadEntry]


def is_squad(data: Any) -> bool:
    """A YAML document is a squad file when it lists `athletes`."""
    return isinstance(data, dict) and ATHLETES in data


def athlete_id(name: str, index: int) -> str:
    """A file-name-safe id: "Zoë O'Neil" -> "zoe-o-neil"; `athlete-N` when nothing is left."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return slug or f"athlete-{index + 1}"


def load_squad(path: str | Path) -> SquadFile:
    """Read a squad file. Raises InputError when the file as a whole is broken; a broken
    athlete entry becomes that entry's `error`."""
    path = Path(path)
    data, source = load_yaml(path, keep_going=True)
    return squad_from_data(data, source, path.parent)


def squad_from_data(data: Any, source: SourceMap, folder: Path) -> SquadFile:
    """The squad in `data` (read by `load_yaml`); imports resolve in `folder`."""
    file = source.file
    keys = squad_keys()

    def problem(location: Location, message: str) -> Problem:
        return Problem(format_location(location), message, file, source.line_of(location))

    # Problems the YAML loader read past (a key given twice) belong to their athlete.
    by_athlete: dict[int, list[Problem]] = {}
    problems: list[Problem] = []
    for found in source.problems:
        match = re.match(rf"{ATHLETES}\[(\d+)\]", found.path)
        if match:
            by_athlete.setdefault(int(match[1]), []).append(found)
        else:
            problems.append(found)
    if not isinstance(data, dict):
        raise InputError([problem((), f"expected a squad file; got {describe(data)}")])
    problems += _unknown_keys(data, (), keys[""], problem)
    if data.get("format", SQUAD_FORMAT) != SQUAD_FORMAT or isinstance(data.get("format"), bool):
        problems.append(
            problem(("format",), f"this planner reads squad format 1; got "
                    f"{describe(data.get('format'))}; write `format: 1`")
        )  # fmt: skip
    name = data.get("name", "Squad")
    if not isinstance(name, str | int | float) or isinstance(name, bool):
        problems.append(problem(("name",), f"expected text, got {describe(name)}"))
        name = "Squad"
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append(
            problem(("defaults",), f"expected the shared sections, e.g. `block:` and "
                    f"`availability:`; got {describe(defaults)}")
        )  # fmt: skip
        defaults = {}
    problems += _unknown_keys(defaults, ("defaults",), keys["defaults"], problem)
    athlete_defaults = defaults.get("athlete") or {}
    if isinstance(athlete_defaults, dict):
        problems += _unknown_keys(
            athlete_defaults, ("defaults", "athlete"), ATHLETE_FIELDS, problem
        )
    athletes = data.get(ATHLETES)
    if not isinstance(athletes, list) or not athletes:
        problems.append(
            problem((ATHLETES,), "expected a list of athletes, e.g. "
                    f"`- {{name: Sam, level: novice}}`; got {describe(athletes)}")
        )  # fmt: skip
    if problems:
        raise InputError(sorted(problems, key=lambda found: found.line or 0))
    assert isinstance(athletes, list)

    entries: list[SquadEntry] = []
    used: dict[str, int] = {}
    for index, entry in enumerate(athletes):
        where: Location = (ATHLETES, index)
        entry_problems = list(by_athlete.get(index, []))
        if not isinstance(entry, dict):
            entry_problems.append(
                problem(where, "expected an athlete, e.g. `- {name: Sam, level: novice}`; "
                        f"got {describe(entry)}")
            )  # fmt: skip
            entries.append(_failed(index, f"athlete-{index + 1}", "", entry_problems))
            continue
        entry_problems += _unknown_keys(entry, where, keys["athlete"], problem)
        athlete_name = entry.get("name")
        if athlete_name is None:
            entry_problems.append(problem((*where, "name"), "required field is missing; "
                                          "add the athlete's `name:`"))  # fmt: skip
            athlete_name = f"athlete {index + 1}"
        elif not isinstance(athlete_name, str | int | float) or isinstance(athlete_name, bool):
            entry_problems.append(
                problem((*where, "name"), f"expected text, got {describe(athlete_name)}")
            )
            athlete_name = f"athlete {index + 1}"
        athlete_name = str(athlete_name)
        identity = athlete_id(athlete_name, index)
        if identity in used:
            entry_problems.append(
                problem((*where, "name"), f'"{athlete_name}" gives the same plan file name '
                        f"({identity}.json) as {ATHLETES}[{used[identity]}]; give each "
                        "athlete a different name")
            )  # fmt: skip
            identity = f"{identity}-{index + 1}"
        used.setdefault(identity, index)
        try:
            scenario = entry_scenario(str(name), athlete_name, defaults, entry, where, source)
        except InputError as error:
            entry_problems += error.problems
            scenario = None
        if scenario is not None and not entry_problems:
            try:
                scenario = with_imported_runs(scenario, folder)[0]
            except InputError as error:
                entry_problems += error.problems
        if entry_problems:
            entries.append(_failed(index, identity, athlete_name, entry_problems))
        else:
            entries.append(SquadEntry(index, identity, athlete_name, scenario))
    return SquadFile(str(name), entries)


def _failed(index: int, identity: str, name: str, problems: list[Problem]) -> SquadEntry:
    unique = sorted(dict.fromkeys(problems), key=lambda found: found.line or 0)
    return SquadEntry(index, identity, name, None, InputError(unique))


def _unknown_keys(
    data: dict[str, Any], where: Location, allowed: tuple[str, ...], problem: Any
) -> list[Problem]:
    found = []
    for key in data:
        if key not in allowed:
            hint = suggest(str(key), allowed) or f" (expected one of: {', '.join(allowed)})"
            found.append(problem((*where, str(key)), f'unknown field "{key}"{hint}'))
    return found


def entry_scenario(
    team_name: str,
    athlete_name: str,
    defaults: dict[str, Any],
    entry: dict[str, Any],
    where: Location,
    source: SourceMap,
    defaults_at: Location = ("defaults",),
) -> Scenario:
    """The scenario of one athlete's entry (written at `where` in the file of `source`)
    merged over `defaults` (written at `defaults_at`), named "TEAM, ATHLETE". Raises
    InputError with each problem told at the place of the file it came from. Running-plan
    imports are left to `with_imported_runs`."""
    merged, merged_source, origins = _merge(
        team_name, athlete_name, defaults, entry, where, source, defaults_at
    )
    catalog = default_catalog()
    try:
        return scenario_from_data(merged, merged_source, catalog.tags, catalog.by_id())
    except InputError as error:
        problems = [_translate(found, origins, where) for found in error.problems]
        raise InputError(problems) from None


def _merge(
    squad_name: str,
    athlete_name: str,
    defaults: dict[str, Any],
    entry: dict[str, Any],
    where: Location,
    source: SourceMap,
    defaults_at: Location,
) -> tuple[dict[str, Any], SourceMap, dict[Location, Location]]:
    """The athlete's scenario as data, a source map that gives each of its values the line
    of the squad file it came from, and where each value came from (its squad location)."""
    merged: dict[str, Any] = {"format": 1, "name": f"{squad_name}, {athlete_name}"}
    origins: dict[Location, Location] = {(): where, ("name",): (*where, "name")}
    lines = SourceMap(source.file)

    def place(value: Any, at: Location, origin: Location) -> None:
        origins[at] = origin
        line = source.line_of(origin)
        if line is not None:
            lines.lines[at] = line
        if isinstance(value, dict):
            for key, item in value.items():
                place(item, (*at, key), (*origin, key))
        elif isinstance(value, list):
            for position, item in enumerate(value):
                place(item, (*at, position), (*origin, position))

    def section(name: str, parts: list[tuple[dict[str, Any], Location]]) -> None:
        """Merge mappings key by key (later parts win); a part that is not a mapping
        replaces what came before, and validation says what was expected."""
        result: Any = None
        for part, origin in parts:
            if name not in part:
                continue
            value = part[name]
            if isinstance(value, dict) and isinstance(result, dict):
                result = {**result, **value}
            else:
                result = dict(value) if isinstance(value, dict) else value
            if isinstance(value, dict):
                for key, item in value.items():
                    place(item, (name, key), (*origin, name, key))
                origins[(name,)] = (*origin, name)
                line = source.line_of((*origin, name))
                if line is not None:
                    lines.lines[(name,)] = line
            else:
                place(value, (name,), (*origin, name))
        if result is not None or any(name in part for part, _ in parts):
            merged[name] = result

    athlete_part = defaults.get("athlete")
    athlete: dict[str, Any] = dict(athlete_part) if isinstance(athlete_part, dict) else {}
    for key, value in athlete.items():
        place(value, ("athlete", key), (*defaults_at, "athlete", key))
    athlete["name"] = athlete_name
    origins[("athlete", "name")] = (*where, "name")
    lines.lines[("athlete", "name")] = source.line_of((*where, "name")) or 0
    for key in ATHLETE_FIELDS:
        if key in entry:
            athlete[key] = entry[key]
            place(entry[key], ("athlete", key), (*where, key))
    merged["athlete"] = athlete
    origins[("athlete",)] = where
    for name in MERGED_SECTIONS:
        section(name, [(defaults, defaults_at), (entry, where)])
    for name in REPLACED_SECTIONS:
        chosen: list[tuple[dict[str, Any], Location]] = (
            [(entry, where)] if name in entry else [(defaults, defaults_at)]
        )
        section(name, chosen)
    return merged, lines, origins


def _translate(problem: Problem, origins: dict[Location, Location], where: Location) -> Problem:
    """A problem of the merged scenario, told at the place of the squad file it came from."""
    path = problem.path
    for location in sorted(origins, key=len, reverse=True):
        if not location:
            continue
        text = format_location(location)
        if path == text or path.startswith((text + ".", text + "[")):
            path = format_location(origins[location]) + path[len(text) :]
            break
    else:
        root = format_location(where)
        path = f"{root}.{path}" if path else root
    return Problem(path, problem.message, problem.file, problem.line)
