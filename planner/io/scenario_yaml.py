"""A scenario built in code, written as the YAML file a coach would write by hand: short
sections on one line (`{mon: 45, wed: 30}`), one running week per line with a comment that
says what the week is."""

from __future__ import annotations

from typing import Any

import yaml


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: `{mon: 45, wed: 30}`."""


class _FlowList(list[Any]):
    """A list written on one line: `[band, dumbbell]`."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a hand-edited file reads better without anchors

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(
    _FlowMap,
    lambda dumper, data: dumper.represent_mapping(
        "tag:yaml.org,2002:map", data.items(), flow_style=True
    ),
)
_Dumper.add_representer(
    _FlowList,
    lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True),
)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)


def _flow(value: Any, depth: int) -> Any:
    """Nested mappings and lists below `depth` become one-line flow collections."""
    if isinstance(value, dict):
        items = {key: _flow(item, depth - 1) for key, item in value.items()}
        return _FlowMap(items) if depth <= 0 else items
    if isinstance(value, list):
        items_list = [_flow(item, depth - 1) for item in value]
        return (
            _FlowList(items_list)
            if depth <= 0 and not any(isinstance(i, dict) for i in value)
            else items_list
        )
    return value


HEADER = (
    "# Scenario built by `planner quick` / `planner init`. Edit it freely: FORMATS.md\n"
    "# describes every field. Solve it with `planner solve FILE`.\n"
)


def scenario_yaml(data: dict[str, Any], week_notes: list[str] | None = None) -> str:
    """The scenario as readable YAML in the FORMATS.md layout, one line per running week."""
    parts = [HEADER]
    for key, value in data.items():
        if key == "running" and "weeks" in value:
            parts.append(_running_yaml(value, week_notes or []))
        else:
            parts.append(_dump({key: _flow(value, 1)}))
    return "".join(parts)


def _running_yaml(running: dict[str, Any], notes: list[str]) -> str:
    head = _dump({"running": {k: v for k, v in running.items() if k != "weeks"}})
    lines = [head, "  weeks:\n"]
    entries = [_dump(_FlowMap(week)).strip() for week in running["weeks"]]
    width = max((len(entry) for entry in entries), default=0)
    for index, entry in enumerate(entries):
        note = f"  # {notes[index]}" if index < len(notes) else ""
        lines.append(f"    - {entry.ljust(width)}{note}".rstrip() + "\n")
    return "".join(lines)


DEFAULT_TOLERANCE = 0.02  # R18's default, left out of a written `coach:` section


def coach_yaml(coach: dict[str, Any]) -> str:
    """The `coach:` section as a coach writes it: lists on one line, one pin per line, the
    defaults (empty lists, the default tolerance) left out."""
    kept = {key: value for key, value in coach.items() if value not in ([], None)}
    if kept.get("tolerance") == DEFAULT_TOLERANCE:
        kept.pop("tolerance")
    return _dump({"coach": _flow(kept, 1)})


def with_coach_section(text: str, coach: dict[str, Any]) -> str:
    """A scenario file's text with its top-level `coach:` section replaced by `coach` (or
    added at the end): every other line, comments included, stays as the coach wrote it."""
    lines = text.splitlines(keepends=True)
    top_level = [
        index
        for index, line in enumerate(lines)
        if line[:1].isalpha() and ":" in line and not line.startswith(("#", " "))
    ]
    start = next((i for i in top_level if lines[i].split(":", 1)[0].strip() == "coach"), None)
    section = coach_yaml(coach)
    if start is None:
        body = "".join(lines)
        return body + ("" if not body or body.endswith("\n") else "\n") + section
    end = next((i for i in top_level if i > start), len(lines))
    # Blank lines and comments just above the next key stay with it.
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[:start]) + section + "".join(lines[end:])
