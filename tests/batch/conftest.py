"""Small squads for the batch tests: 3-week blocks (one mesocycle, no deload) that solve to
proven optima in a second or two."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

WEEKS = 3
WEEK = {"tue": 8, "thu": "quality 8", "sun": "long 16"}


def squad_data(athletes: list[dict[str, Any]], **defaults: Any) -> dict[str, Any]:
    """A squad of 3-week blocks sharing availability and a running plan."""
    shared: dict[str, Any] = {
        "athlete": {"level": "intermediate", "equipment": ["band", "dumbbell"]},
        "block": {"start": "2027-01-04", "weeks": WEEKS},
        "availability": {"weekly": {"mon": 40, "wed": 30, "fri": 40}},
        "running": {"unit": "km", "weeks": [WEEK] * WEEKS},
    }
    shared.update(defaults)
    return {"format": 1, "name": "Test squad", "defaults": shared, "athletes": athletes}


# Kim's strict rules leave no plan: her only days with time (Wed, Sat) come before key runs.
KIM_INFEASIBLE = {
    "name": "Kim",
    "rules": {"strict": True},
    "availability": {"weekly": {"wed": 40, "sat": 60}},
}
ALEX_BROKEN = {"name": "Alex", "level": "expret"}  # an unknown level
SAM = {"name": "Sam", "level": "novice"}
ROBIN = {"name": "Robin", "equipment": ["band"], "focus": {"hip_stability": 5}}


def write_squad(folder: Path, data: dict[str, Any], name: str = "squad.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def good_squad(tmp_path: Path) -> Path:
    return write_squad(tmp_path, squad_data([SAM, ROBIN, {"name": "Jo", "level": "advanced"}]))
