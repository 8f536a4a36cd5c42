"""Safe YAML loading that remembers where every value came from.

Scenario files are written by hand, so error messages point at the line. The loader:
- refuses files over `MAX_FILE_BYTES`, files that are not UTF-8, and empty files;
- builds plain Python values itself from the YAML node tree (safe scalars only), with
  mapping keys as text;
- counts nodes while expanding aliases, so an alias bomb stops early, and refuses values
  that contain themselves or nest deeper than `MAX_DEPTH`;
- notes a key given twice in one mapping as a problem (YAML would keep the last silently).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from planner.errors import InputError, Location, Problem, format_location

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64


# Hints for the YAML mistakes people make most when they write a file by hand.
_YAML_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        "check the indentation of this line and the one above, put a space after each "
        "colon, and quote text that contains `: `",
    ),
    ("could not find expected ':'", "each line inside a section reads `key: value`"),
    ("did not find expected key", "check the indentation: keys of one section line up"),
    ("expected ',' or ']'", "close the list with `]`, and separate items with commas"),
    (
        "expected ',' or '}'",
        "close the mapping with `}`, and separate pairs with commas",
    ),
    ("found undefined alias", "an `*alias` needs an `&anchor` earlier in the file"),
    (
        "could not determine a constructor",
        "only plain values are allowed: no `!!python` or other tags",
    ),
)


class SourceMap:
    """Maps a field location, such as ("running", "weeks", 3, "sat"), to its YAML line.

    `problems` collects what the loader found but could still read past (a key given twice).
    """

    def __init__(self, file: str | None = None) -> None:
        self.file = file
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []

    def line_of(self, location: Location) -> int | None:
        """The line of `location`, or of its nearest parent that has one."""
        while True:
            if location in self.lines:
                return self.lines[location]
            if not location:
                return None
            location = location[:-1]


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Builder:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.nodes = 0
        self.open: set[int] = set()  # ids of the collections being built: a cycle check
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, message: str, node: yaml.Node, location: Location) -> InputError:
        line = self.source.lines.get(location, _line(node))
        return InputError([Problem(format_location(location), message, self.source.file, line)])

    def build(self, node: yaml.Node, location: Location) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            # Name the top-level field being expanded: the alias bomb starts there.
            raise self.fail(
                f"the file expands to more than {MAX_NODES} values through its aliases "
                "(`*name`); a scenario needs far fewer: write the values out instead",
                node,
                location[:1],
            )
        if len(location) > MAX_DEPTH:
            raise self.fail(f"values nested more than {MAX_DEPTH} levels deep", node, ())
        self.source.lines.setdefault(location, _line(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self.open:
                raise self.fail(
                    "an alias (`*name`) refers to a value that contains it; "
                    "a value cannot contain itself",
                    node,
                    location,
                )
            self.open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self.build_mapping(node, location)
                return [
                    self.build(item, (*location, index)) for index, item in enumerate(node.value)
                ]
            finally:
                self.open.discard(id(node))
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, OverflowError):
            # e.g. 2027-02-30 looks like a date to YAML but is not on the calendar: keep
            # the text, and let validation say what it expected there.
            return str(node.value)

    def build_mapping(self, node: yaml.MappingNode, location: Location) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)  # resolves `<<: *defaults` merge keys
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, location)
            key = key if isinstance(key, str) else _key_text(key)
            line = _line(key_node)
            if key in result:
                self.source.problems.append(
                    Problem(
                        format_location((*location, key)),
                        f'"{key}" is given twice'
                        + (f" (first on line {first_line[key]})" if first_line[key] != line else "")
                        + "; keep one",
                        self.source.file,
                        line,
                    )
                )
                continue
            first_line[key] = line
            self.source.lines[(*location, key)] = line
            result[key] = self.build(value_node, (*location, key))
        return result


def _key_text(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return str(key).lower()
    return str(key)


def load_yaml(path: Path, keep_going: bool = False) -> tuple[Any, SourceMap]:
    """Read a YAML file safely. Returns the data and its source map, or raises InputError.

    With `keep_going`, problems the loader could read past stay in `source.problems` for
    the caller to report with its own; otherwise they are raised here.
    """
    name = str(path)
    source = SourceMap(name)

    def fail(message: str, line: int | None = None) -> InputError:
        return InputError([Problem("", message, name, line)])

    try:
        if path.is_dir():
            raise fail("this is a folder; give the scenario file inside it")
        size = path.stat().st_size
    except OSError as error:
        raise fail(f"cannot read the file: {error.strerror or error}") from None
    if size > MAX_FILE_BYTES:
        raise fail(
            f"the file is {size / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB "
            "(a scenario is a few kB)"
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise fail(f"cannot read the file: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise fail(
            f"the file is not UTF-8 text (byte {error.start} is 0x{raw[error.start]:02x}); "
            "save it as UTF-8 (plain text) and try again",
            line,
        ) from None
    return parse_yaml(text, source, keep_going)


def parse_yaml(
    text: str, source: SourceMap | None = None, keep_going: bool = False
) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values and a source map (see `load_yaml`)."""
    source = source or SourceMap()
    text = text.removeprefix("\ufeff")
    empty = InputError([Problem("", "the file is empty; expected a scenario", source.file)])
    if not text.strip():
        raise empty
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            raise empty
        data = _Builder(source).build(node, ())
    except yaml.YAMLError as error:
        raise InputError([_yaml_problem(error, source)]) from None
    except RecursionError:
        raise InputError(
            [Problem("", f"values nested too deep (at most {MAX_DEPTH} levels)", source.file)]
        ) from None
    if source.problems and not keep_going:
        raise InputError(list(source.problems))
    return data, source


def _yaml_problem(error: yaml.YAMLError, source: SourceMap) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    message = f"not valid YAML: {problem}"
    if context and context_mark is not None and context_mark.line + 1 != line:
        message += f" ({context} that starts on line {context_mark.line + 1})"
    described = f"{problem} {context or ''}"
    for needle, hint in _YAML_HINTS:
        if needle in described:
            message += f"; {hint}"
            break
    return Problem("", message, source.file, line)
