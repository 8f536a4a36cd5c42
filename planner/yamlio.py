"""Safe YAML loading that remembers where every value came from.

Scenario files are written by hand, so error messages point at the line. The loader:
- refuses files over `MAX_FILE_BYTES`, files that are not UTF-8, and empty files;
- builds plain Python values itself from the YAML node tree (safe scalars only);
- counts nodes while expanding aliases, so an alias bomb stops early.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from planner.errors import InputError, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000

Location = tuple[str | int, ...]


class SourceMap:
    """Maps a field location, such as ("running", "weeks", 3, "sat"), to its YAML line."""

    def __init__(self, file: str | None = None) -> None:
        self.file = file
        self.lines: dict[Location, int] = {}

    def line_of(self, location: Location) -> int | None:
        """The line of `location`, or of its nearest parent that has one."""
        while True:
            if location in self.lines:
                return self.lines[location]
            if not location:
                return None
            location = location[:-1]


def format_location(location: Location) -> str:
    """('running', 'weeks', 3, 'sat') -> 'running.weeks[3].sat'."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Builder:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, location: Location) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError(
                [
                    Problem(
                        "",
                        f"the YAML expands to more than {MAX_NODES} values "
                        "(aliases nested too deep?); refusing to load it",
                        self.source.file,
                    )
                ]
            )
        self.source.lines.setdefault(location, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, location)
                if isinstance(key, list | dict):
                    key = str(key)
                self.source.lines[(*location, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*location, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*location, index)) for index, item in enumerate(node.value)]
        return self.constructor.construct_object(node, deep=True)


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Read a YAML file safely. Returns the data and its source map, or raises InputError."""
    name = str(path)
    source = SourceMap(name)

    def fail(message: str, line: int | None = None) -> InputError:
        return InputError([Problem("", message, name, line)])

    try:
        size = path.stat().st_size
    except OSError as error:
        raise fail(f"cannot read the file: {error.strerror or error}") from None
    if size > MAX_FILE_BYTES:
        raise fail(f"the file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 10**6} MB")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise fail(
            f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    except OSError as error:
        raise fail(f"cannot read the file: {error.strerror or error}") from None
    return parse_yaml(text, source)


def parse_yaml(text: str, source: SourceMap | None = None) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values and a source map."""
    source = source or SourceMap()
    if not text.strip():
        raise InputError([Problem("", "the file is empty; expected a scenario", source.file)])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(
            [Problem("", f"not valid YAML: {problem}", source.file, line)]
        ) from None
    if node is None:
        raise InputError([Problem("", "the file is empty; expected a scenario", source.file)])
    try:
        data = _Builder(source).build(node, ())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError([Problem("", f"not valid YAML: {error}", source.file, line)]) from None
    return data, source
