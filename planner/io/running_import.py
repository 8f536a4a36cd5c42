"""The running-plan importer's earlier home; it now lives in `planner.io.imports`."""

from __future__ import annotations

from planner.io.imports import MAX_IMPORT_BYTES, import_running_plan, read_running_plan
from planner.io.imports.text import (
    Distance,
    labelled_distance,
    parse_minutes,
    race_distance_from_name,
)
from planner.io.imports.text import parse_distance as _parse_distance
from planner.io.imports.text import read_kind as _read_kind

__all__ = [
    "MAX_IMPORT_BYTES",
    "Distance",
    "classify_title",
    "import_running_plan",
    "labelled_distance",
    "parse_distance",
    "parse_minutes",
    "race_distance_from_name",
    "read_running_plan",
    "run_from_text",
]


def classify_title(title: str) -> str | None:
    """The run kind an event title names, None for a known non-run event (strength, yoga).

    Raises ValueError when the title names nothing recognisable.
    """
    found = _read_kind(title)
    if found is None:
        raise ValueError(
            f'cannot tell what kind of run "{title}" is; name it with a word such as easy, '
            "long, tempo, intervals, race, rest or bike"
        )
    return None if found.kind == "skip" else found.kind


def parse_distance(text: str, unit: str = "km") -> Distance | None:
    """The first distance written in `text`, skipping repeat patterns such as 6x800m."""
    return _parse_distance(text, unit)


def run_from_text(title: str, description: str, unit: str) -> tuple[str, float, int] | None:
    """(kind, distance in `unit`, minutes) of one event, None for an event that is not a run."""
    import datetime as dt

    from planner.io.imports.report import ImportSettings, LeftOut
    from planner.io.imports.workout import Source, read_workout

    read = read_workout(Source(dt.date(2000, 1, 1), title, description), ImportSettings(unit=unit))
    if isinstance(read, LeftOut):
        return None
    return read.kind, read.distance, read.minutes
