"""Plan exports, one module per format, chosen by the output file's extension or `--format`.

`export_plan(plan, fmt, options)` returns the file content: text for json, csv, md, html
and log (the training log template), bytes for ics and pdf (the training card, printed by
headless Chromium). A file named `log.csv` gets the log template (any other name with
`--format log`), any other CSV the plan's rows: `training_log.csv` may well be a log the
athlete keeps, and must not be taken for a template. `fit` writes a folder, one workout
file per session of the coming weeks (`export_folder`). Every format escapes user text
(athlete, scenario and exercise names, notes) for its own syntax.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from planner.domain.plan import Plan
from planner.io.output import Content, check_folder_files, write_all
from planner.report.export.common import ExportOptions

FORMATS = ("json", "csv", "md", "ics", "html", "log", "pdf", "fit")
FOLDER_FORMATS = ("fit",)  # written as a folder of files: -o DIR --format fit
FILE_ONLY_FORMATS = ("pdf", "fit")  # binary or many files: never printed, -o is needed
EXTENSIONS = {
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}

__all__ = [
    "EXTENSIONS",
    "FOLDER_FORMATS",
    "FORMATS",
    "ExportOptions",
    "check_targets",
    "export_folder",
    "export_plan",
    "export_targets",
    "format_for_path",
    "write_exports",
]


LOG_NAME = "log.csv"  # the one file name that asks for the log template


def format_for_path(path: str | Path) -> str | None:
    """The export format a file name asks for (`plan.ics` -> `ics`, `log.csv` -> `log`, any
    other CSV -> `csv`), or None if unknown."""
    path = Path(path)
    if path.name.lower() == LOG_NAME:
        return "log"
    return EXTENSIONS.get(path.suffix.lower())


MODULES = {
    "json": "to_json",
    "csv": "to_csv",
    "md": "to_markdown",
    "ics": "to_ics",
    "html": "to_html",
    "log": "to_log",
    "pdf": "to_pdf",
}


def export_plan(plan: Plan, fmt: str, options: ExportOptions | None = None) -> str | bytes:
    """The plan as a file of format `fmt` (one of FORMATS)."""
    if fmt in FOLDER_FORMATS:
        raise ValueError(f"{fmt} writes a folder of files: use export_folder")
    if fmt not in MODULES:
        raise ValueError(f'unknown export format "{fmt}"; expected one of: {", ".join(FORMATS)}')
    module = importlib.import_module(f"planner.report.export.{MODULES[fmt]}")
    exporter: Callable[[Plan, ExportOptions], str | bytes] = module.export
    return exporter(plan, options or ExportOptions())


def export_folder(plan: Plan, fmt: str, options: ExportOptions | None = None) -> dict[str, bytes]:
    """The plan as a folder of files of format `fmt` (one of FOLDER_FORMATS): name -> bytes."""
    from planner.report.export.to_fit import workout_files

    if fmt != "fit":
        raise ValueError(f'"{fmt}" is not written as a folder')
    return workout_files(plan, options or ExportOptions())


def export_targets(paths: list[Path], fmt: str | None = None) -> list[tuple[Path, str]]:
    """Pair every output with its format: the file's extension, and `fmt` for the one output
    (a single one, or the only one whose extension names no format, such as a folder for
    fit). Raises ValueError naming the file or format it cannot place."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f'unknown format "{fmt}"; expected one of: {", ".join(FORMATS)}')
    if fmt == "fit" and not paths:
        raise ValueError("fit writes a folder of workout files: give it with -o DIR")
    if fmt in FILE_ONLY_FORMATS and not paths:
        raise ValueError(f"{fmt} cannot be printed: give a file with -o")
    unnamed = [path for path in paths if format_for_path(path) is None]
    if fmt is not None and len(paths) > 1 and len(unnamed) != 1:
        raise ValueError(
            "--format applies to one output; name the others by extension, e.g. "
            "-o plan.pdf -o watch --format fit"
        )
    targets = []
    for path in paths:
        chosen = (fmt if len(paths) == 1 or path in unnamed else None) or format_for_path(path)
        if chosen is None:
            known = ", ".join(sorted(EXTENSIONS))
            raise ValueError(f'cannot tell the format of "{path}" ({known}); add --format')
        targets.append((path, chosen))
    return targets


def check_targets(targets: list[tuple[Path, str]], force: bool = False) -> None:
    """Refuse the outputs before any work is done (OutputError): a file that exists (without
    `force`) or cannot be written, a folder for fit that cannot be made (or, with `force`,
    replaced: it holds more than workouts), a PDF without a browser to print it."""
    from planner.io.output import check_target

    for path, fmt in targets:
        if fmt in FOLDER_FORMATS:
            check_folder_files(path, (), force)  # with force: a folder of workouts only
        else:
            check_target(path, force)
        if fmt == "pdf":
            from planner.report.export.to_pdf import require_browser

            require_browser()


def write_exports(
    plan: Plan,
    targets: list[tuple[Path, str]],
    options: ExportOptions | None = None,
    force: bool = False,
) -> list[Path]:
    """Write every export, all or none: every content is built first (the PDF printed, the
    workouts encoded), then every target is checked, then all are written
    (`planner.io.output.write_all`: each under a temporary name, then renamed into place; a
    folder format's folder with `force` replaced whole). Returns the files written."""
    outputs: list[tuple[Path, Content]] = []
    for path, fmt in targets:
        if fmt in FOLDER_FORMATS:
            outputs.append((path, export_folder(plan, fmt, options)))
        else:
            outputs.append((path, export_plan(plan, fmt, options)))
    return write_all(outputs, force=force)
