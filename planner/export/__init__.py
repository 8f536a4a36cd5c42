"""Plan exports, one module per format, chosen by the output file's extension or `--format`.

`export_plan(plan, fmt, options)` returns the file content: text for json, csv, md and html,
bytes for ics. Every format escapes user text (athlete, scenario and exercise names, notes)
for its own syntax.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.export.common import ExportOptions
from planner.plan import Plan

FORMATS = ("json", "csv", "md", "ics", "html")
EXTENSIONS = {
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
}

__all__ = ["EXTENSIONS", "FORMATS", "ExportOptions", "export_plan", "format_for_path"]


def format_for_path(path: str | Path) -> str | None:
    """The export format a file name asks for (`plan.ics` -> `ics`), or None if unknown."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def _exporters() -> dict[str, Callable[[Plan, ExportOptions], str | bytes]]:
    from planner.export import to_csv, to_html, to_ics, to_json, to_markdown

    return {
        "json": to_json.export,
        "csv": to_csv.export,
        "md": to_markdown.export,
        "ics": to_ics.export,
        "html": to_html.export,
    }


def export_plan(plan: Plan, fmt: str, options: ExportOptions | None = None) -> str | bytes:
    """The plan as a file of format `fmt` (one of FORMATS)."""
    exporters = _exporters()
    if fmt not in exporters:
        raise ValueError(f'unknown export format "{fmt}"; expected one of: {", ".join(FORMATS)}')
    return exporters[fmt](plan, options or ExportOptions())
