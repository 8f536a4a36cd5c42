"""What a solve returns, in the project's own types (no solver objects)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class SolveStatus(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SlotItem:
    exercise: str
    sets: int


@dataclass
class Solution:
    status: SolveStatus
    # group index -> slot -> items (empty list: the slot is unused)
    contents: dict[int, list[list[SlotItem]]] = field(default_factory=dict)
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
