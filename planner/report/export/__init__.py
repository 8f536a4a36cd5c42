"""Plan exports, one module per format, chosen by the output file's extension or `--format`.

`export_plan(plan, fmt, options)` returns the file content: text for json, csv, md and html,
bytes for ics. Every format escapes user text (athlete, scenario and exercise names, notes)
for its own syntax.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from planner.domain.plan import Plan
from planner.io.output import write_atomic
from planner.report.export.common import ExportOptions

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

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "ExportOptions",
    "export_plan",
    "export_targets",
    "format_for_path",
    "write_exports",
]


def format_for_path(path: str | Path) -> str | None:
    """The export format a file name asks for (`plan.ics` -> `ics`), or None if unknown."""
    return EXTENSIONS.get(Path(path).suffix.lower())


MODULES = {
    "json": "to_json",
    "csv": "to_csv",
    "md": "to_markdown",
    "ics": "to_ics",
    "html": "to_html",
}


def export_plan(plan: Plan, fmt: str, options: ExportOptions | None = None) -> str | bytes:
    """The plan as a file of format `fmt` (one of FORMATS)."""
    if fmt not in MODULES:
        raise ValueError(f'unknown export format "{fmt}"; expected one of: {", ".join(FORMATS)}')
    module = importlib.import_module(f"planner.report.export.{MODULES[fmt]}")
    exporter: Callable[[Plan, ExportOptions], str | bytes] = module.export
    return exporter(plan, options or ExportOptions())


def export_targets(paths: list[Path], fmt: str | None = None) -> list[tuple[Path, str]]:
    """Pair every output file with its format: `fmt` when given (one file at most), else the
    file's extension. Raises ValueError naming the file or format it cannot place."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f'unknown format "{fmt}"; expected one of: {", ".join(FORMATS)}')
    if fmt is not None and len(paths) > 1:
        raise ValueError("--format applies to one output file; name the others by extension")
    targets = []
    for path in paths:
        chosen = fmt or format_for_path(path)
        if chosen is None:
            known = ", ".join(sorted(EXTENSIONS))
            raise ValueError(f'cannot tell the format of "{path}" ({known}); add --format')
        targets.append((path, chosen))
    return targets


def write_exports(
    plan: Plan,
    targets: list[tuple[Path, str]],
    options: ExportOptions | None = None,
    force: bool = False,
) -> list[Path]:
    """Write every export whole or not at all (`planner.io.output.write_atomic`)."""
    return [
        write_atomic(path, export_plan(plan, fmt, options), force=force) for path, fmt in targets
    ]
