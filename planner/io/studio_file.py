"""Reading a studio file (`planner.domain.studio`): the room's kit, its weekly classes, the
cancelled dates and the athletes, each with their scenario read from their own file (a path
relative to the studio file, read by the scenario loader) or from the squad-file fields
written inline in their entry (over the studio's block, as a squad's defaults).

Every problem is told with its file, field path and line: the studio's own at the studio
file, an athlete's scenario problems at the line of their scenario file with the athlete
named. `load_studio` raises InputError listing them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.domain.scenario import DEFER, Scenario
from planner.domain.squad import squad_keys
from planner.domain.studio import Member, Studio, StudioAthlete, cross_field_problems
from planner.errors import InputError, Location, Problem, format_location
from planner.io.scenario_file import load_scenario, with_imported_runs
from planner.io.squad_file import athlete_id, entry_scenario
from planner.io.validation import problems_from
from planner.io.yaml_source import SourceMap, load_yaml
from planner.vocabulary import describe, suggest

ATHLETES = "athletes"
_EXAMPLE_CLASS = '`{id: mon-0630, day: mon, start: "06:30", minutes: 45, capacity: 10}`'
# What a section looks like, for "expected ..., got ..." (`*` is any index).
SHAPES = {
    "": "a studio: `format: 1`, then `block:`, `kit:`, `classes:` and `athletes:`",
    "block": "the studio's planning window, e.g. `{start: 2027-01-04, weeks: 12}`",
    "kit": "a list of equipment every class can use, e.g. `[dumbbell, band, mat]`",
    "classes": f"a list of weekly classes, e.g. `- {_EXAMPLE_CLASS[1:]}",
    "classes.*": f"a class, e.g. {_EXAMPLE_CLASS}",
    "cancelled": "a list of cancelled classes, e.g. `- {date: 2027-02-15, class: mon-0630}`",
    "cancelled.*": "a cancelled class, e.g. `{date: 2027-02-15, class: mon-0630}`",
    "athletes": "a list of athletes, e.g. `- {scenario: athletes/sam.yaml, classes: [mon-0630]}`",
    "athletes.*": "an athlete, e.g. `{scenario: athletes/sam.yaml, classes: [mon-0630]}`",
    "athletes.*.classes": "a list of class ids, e.g. `[mon-0630, sat-0800]`",
}
# How to add a required field that is missing.
MISSING = {
    "block": "add `block: {start: YYYY-MM-DD, weeks: N}`, the studio's planning window",
    "block.start": "add `start: YYYY-MM-DD`, the first day of the block",
    "block.weeks": "add `weeks: N`, the number of weeks of the block",
    "classes": f"add `classes:`, the weekly class slots, e.g. `- {_EXAMPLE_CLASS[1:]}",
    "classes.*.id": "add `id:`, a short name such as mon-0630",
    "classes.*.day": "add `day:`, the weekday of the class (mon to sun)",
    "classes.*.start": 'add `start: "HH:MM"`, the time the class starts',
    "classes.*.minutes": "add `minutes:`, how long the class lasts",
    "classes.*.capacity": "add `capacity:`, the places in the class",
    "cancelled.*.date": "add `date: YYYY-MM-DD`, the day the class is not held",
    "cancelled.*.class": "add `class:`, the id of the class not held that day",
    "athletes": "add `athletes:`, each with their `scenario:` file",
}
# An athlete's entry: the membership (validated with the studio), and, without `scenario:`,
# the squad-file fields of their inline scenario (validated as that scenario).
MEMBERSHIP_FIELDS = tuple(info.alias or name for name, info in StudioAthlete.model_fields.items())
INLINE_FIELDS = tuple(key for key in squad_keys()["athlete"] if key not in MEMBERSHIP_FIELDS)

Told = Callable[[Location, str], Problem]  # a problem at a location of the studio file


@dataclass(frozen=True)
class StudioFile:
    """A studio file read whole: the studio, and each athlete with their scenario."""

    file: str | None
    studio: Studio
    members: list[Member]


def is_studio_file(path: str | Path) -> bool:
    """Does the file read as a studio file: a mapping with `classes:` and no `athlete:` (a
    scenario has one athlete and no classes)? False for anything that cannot be read, so
    that the scenario's loader tells what is wrong with it."""
    try:
        data, _ = load_yaml(Path(path), keep_going=True)
    except InputError:
        return False
    return isinstance(data, dict) and "classes" in data and "athlete" not in data


def load_studio(path: str | Path) -> StudioFile:
    """Read a studio file and every athlete's scenario, or raise InputError listing every
    problem (exit 3)."""
    path = Path(path)
    data, source = load_yaml(path, keep_going=True)
    return studio_from_data(data, source, path.parent)


def studio_from_data(data: Any, source: SourceMap, folder: Path) -> StudioFile:
    """The studio in `data` (read by `load_yaml`); athletes' scenario files and running-plan
    imports resolve in `folder`."""

    def problem(location: Location, message: str) -> Problem:
        return Problem(format_location(location), message, source.file, source.line_of(location))

    if not isinstance(data, dict):
        raise InputError([problem((), f"expected {SHAPES['']}; got {describe(data)}")])
    problems = list(source.problems)
    studio_data, entries = _split_athletes(data, problem, problems)
    try:
        Studio.model_validate(studio_data, context=DEFER)
    except ValidationError as error:
        problems += problems_from(error, source, Studio, SHAPES, MISSING)
    problems += [problem(location, message) for location, message in
                 cross_field_problems(studio_data)]  # fmt: skip
    readings = _AthleteReader(data, source, folder, problem)
    for index, entry in entries.items():
        readings.read(index, entry)
    problems += readings.problems
    if problems:
        # The studio file's problems in its order, then each athlete's file in turn.
        unique = list(dict.fromkeys(problems))
        ours = [found for found in unique if found.file == source.file]
        theirs = [found for found in unique if found.file != source.file]
        raise InputError(sorted(ours, key=lambda found: found.line or 0) + theirs)
    studio = Studio.model_validate(studio_data)
    members = [
        Member(index, identity, name, scenario, studio.athletes[index])
        for index, (identity, name, scenario) in sorted(readings.found.items())
    ]
    return StudioFile(source.file, studio, members)


def _split_athletes(
    data: dict[str, Any], problem: Told, problems: list[Problem]
) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The studio's data with each athlete's membership fields only, and each athlete's
    whole entry by index. Notes fields that belong to neither, and inline scenario fields
    beside a `scenario:` file."""
    athletes = data.get(ATHLETES)
    if not isinstance(athletes, list):
        return data, {}
    allowed = (*MEMBERSHIP_FIELDS, *INLINE_FIELDS)
    memberships: list[Any] = []
    entries: dict[int, dict[str, Any]] = {}
    for index, entry in enumerate(athletes):
        if not isinstance(entry, dict):
            memberships.append(entry)  # the model says what an athlete looks like
            continue
        where: Location = (ATHLETES, index)
        for key in entry:
            if key not in allowed:
                hint = suggest(str(key), allowed) or f" (expected one of: {', '.join(allowed)})"
                problems.append(problem((*where, key), f'unknown field "{key}"{hint}'))
            elif key in INLINE_FIELDS and entry.get("scenario") is not None:
                problems.append(
                    problem((*where, key), f'"{key}" is part of a scenario, and this athlete\'s '
                            f"scenario is the file {entry['scenario']}: write it there, or drop "
                            "`scenario:` to write the athlete's scenario here")
                )  # fmt: skip
        memberships.append({key: entry[key] for key in MEMBERSHIP_FIELDS if key in entry})
        entries[index] = entry
    return {**data, ATHLETES: memberships}, entries


class _AthleteReader:
    """Reads each athlete's scenario, from their file or their inline entry, and gives each
    a name and a file name of their own."""

    def __init__(self, data: dict[str, Any], source: SourceMap, folder: Path, problem: Told):
        self.source = source
        self.folder = folder
        self.problem = problem
        self.studio_name = _text(data.get("name", "Studio")) or "Studio"
        # An inline athlete's scenario takes the studio's block; with no `availability:`
        # of their own they train in classes only.
        self.defaults: dict[str, Any] = {"availability": {}}
        if "block" in data:
            self.defaults["block"] = data["block"]
        self.problems: list[Problem] = []
        self.found: dict[int, tuple[str, str, Scenario]] = {}  # index -> id, name, scenario
        self.used: dict[str, int] = {}

    def read(self, index: int, entry: dict[str, Any]) -> None:
        where: Location = (ATHLETES, index)
        name = _text(entry.get("name"))
        file = entry.get("scenario")
        if file is not None:
            if not isinstance(file, str):
                return  # the model says what was expected
            found = self._from_file(index, name, file)
        elif name is None:
            if "name" not in entry:
                self.problems.append(
                    self.problem(where, "give the athlete's `scenario:` file, or their "
                                 "`name:` and scenario fields inline, as in a squad file")
                )  # fmt: skip
            return
        else:
            found = self._inline(index, name, entry)
        if found is None:
            return
        name, scenario = found
        identity = athlete_id(name, index)
        if identity in self.used:
            at = (*where, "name" if "name" in entry else "scenario")
            self.problems.append(
                self.problem(at, f'"{name}" gives the same plan file name ({identity}.json) as '
                             f"{ATHLETES}[{self.used[identity]}]; give each athlete a "
                             "different `name:`")
            )  # fmt: skip
            return
        self.used[identity] = index
        self.found[index] = (identity, name, scenario)

    def _from_file(self, index: int, name: str | None, file: str) -> tuple[str, Scenario] | None:
        where: Location = (ATHLETES, index, "scenario")
        path = self.folder / file
        if not path.is_file():
            self.problems.append(
                self.problem(where, f"no scenario file {file} (looked for {path}); give the "
                             "path of the athlete's scenario file relative to the studio file")
            )  # fmt: skip
            return None
        try:
            scenario = load_scenario(path)
        except InputError as error:
            who = name or _written_name(path) or path.stem
            self.problems += [
                Problem(found.path, f'athlete "{who}" ({ATHLETES}[{index}] of the studio): '
                        f"{found.message}", found.file, found.line)
                for found in error.problems
            ]  # fmt: skip
            return None
        if name is None:
            named = "name" in scenario.athlete.model_fields_set
            name = scenario.athlete.name if named else path.stem
        return name, scenario

    def _inline(self, index: int, name: str, entry: dict[str, Any]) -> tuple[str, Scenario] | None:
        where: Location = (ATHLETES, index)
        scenario_fields = {key: value for key, value in entry.items() if key in INLINE_FIELDS}
        try:
            scenario = entry_scenario(
                self.studio_name, name, self.defaults, scenario_fields, where, self.source, ()
            )
        except InputError as error:
            # A problem of the studio's block is the studio's, told once by its own check.
            own = format_location(where)
            self.problems += [
                found
                for found in error.problems
                if found.path == own or found.path.startswith((own + ".", own + "["))
            ]
            return None
        try:
            return name, with_imported_runs(scenario, self.folder)[0]
        except InputError as error:
            self.problems += error.problems
            return None


def _written_name(path: Path) -> str | None:
    """The athlete's name a broken scenario file gives, if it can be read."""
    try:
        data, _ = load_yaml(path, keep_going=True)
    except InputError:
        return None
    athlete = data.get("athlete") if isinstance(data, dict) else None
    return _text(athlete.get("name")) if isinstance(athlete, dict) else None


def _text(value: Any) -> str | None:
    """A name as text (YAML may read `name: 2027` as a number), or None."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    return None
