"""What a solve returns, in the project's own types (no solver objects)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class SolveStatus(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class Pick(NamedTuple):
    """One item of a slot: an exercise with its sets, and its pair (R17): 0 when done alone,
    else a number it shares with exactly one other item of the slot, the first of the two
    done first."""

    exercise: str
    sets: int
    pair: int = 0


@dataclass
class Solution:
    status: SolveStatus
    # group index -> slot -> items (empty list: the slot is unused)
    contents: dict[int, list[list[Pick]]] = field(default_factory=dict)
    # (week, slot) -> date of that session
    placements: dict[tuple[int, int], dt.date] = field(default_factory=dict)
    benefit_units: int = 0
    minutes: int = 0
    ratio_bound: float | None = None  # proven upper bound on benefit per minute (points)
    benefit_bound: float | None = None  # proven upper bound on benefit (total mode, points)
    shortfall: dict[int, int] = field(default_factory=dict)  # group -> missing hard sessions/week
    # R16's non-zero shortfalls: (part, group, week or 0 for each week of the group, detail)
    dose_shortfall: dict[tuple[str, int, int, str], int] = field(default_factory=dict)
    stats: dict[str, object] = field(default_factory=dict)
    deterministic: bool = False  # picked independently of thread timing (same seed, same plan)
