"""The exercise catalog and the benefit model (data files in `planner/models/`, read by
`planner.io.catalog_file`). Validation names the entry: unknown categories, equipment, tags
or targets are errors."""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from planner.vocabulary import (
    CATEGORIES,
    EQUIPMENT,
    HARD_CATEGORIES,
    LEVELS,
    PHASES,
    TARGETS,
    unknown_word,
)

_REPS = re.compile(r"^(?P<count>\d+)(?P<seconds>s)?(?P<side>/side)?$")


class Prescription(BaseModel):
    """Sets range, reps (`8`, `8/side`, `30s`, `30s/side`) and rest for one level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sets: tuple[int, int]
    reps: str
    rest_s: int = Field(ge=0, le=300)

    @field_validator("sets")
    @classmethod
    def _sets(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not 1 <= low <= high <= 6:
            raise ValueError(f"sets {list(value)}: expected [min, max] with 1 <= min <= max <= 6")
        return value

    @field_validator("reps")
    @classmethod
    def _reps(cls, value: str) -> str:
        if not _REPS.match(str(value)):
            raise ValueError(f'reps "{value}": expected N, N/side, Ns or Ns/side')
        return value

    @property
    def per_side(self) -> bool:
        return self.reps.endswith("/side")

    @property
    def is_timed(self) -> bool:
        match = _REPS.match(self.reps)
        assert match
        return bool(match["seconds"])

    @property
    def count(self) -> int:
        match = _REPS.match(self.reps)
        assert match
        return int(match["count"])


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    category: Literal["mobility", "power", "strength", "accessory", "core"]
    equipment: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    level: Literal["novice", "intermediate", "advanced"] = "novice"
    prescription: dict[str, Prescription]
    targets: dict[str, float]
    cue: str

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: Any) -> Any:
        if value not in CATEGORIES:
            raise ValueError(unknown_word("category", value, CATEGORIES))
        return value

    @field_validator("equipment")
    @classmethod
    def _equipment(cls, value: frozenset[str]) -> frozenset[str]:
        for word in sorted(value):
            if word not in EQUIPMENT:
                raise ValueError(unknown_word("equipment", word, EQUIPMENT))
        return value - {"bodyweight"}

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: dict[str, float]) -> dict[str, float]:
        for target, amount in value.items():
            if target not in TARGETS:
                raise ValueError(unknown_word("target", target, TARGETS))
            if amount <= 0 or (amount * 4) != int(amount * 4):
                raise ValueError(f"{target}: {amount}; expected a positive multiple of 0.25")
        if not value:
            raise ValueError("an exercise needs at least one target")
        return value

    @field_validator("prescription")
    @classmethod
    def _levels(cls, value: dict[str, Prescription]) -> dict[str, Prescription]:
        for level in value:
            if level not in LEVELS:
                raise ValueError(unknown_word("level", level, LEVELS))
        return value

    @property
    def plyometric(self) -> bool:
        return "plyometric" in self.tags

    @property
    def hard(self) -> bool:
        """Power and strength items make a session hard."""
        return self.category in HARD_CATEGORIES

    def allowed_for(self, level: str) -> bool:
        return LEVELS.index(self.level) <= LEVELS.index(level)


class BenefitModel(BaseModel):
    """The concave benefit of a week's dose per target (models/benefit.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    points: int = Field(gt=0)
    effective_weekly_dose: dict[str, int]
    target_value: dict[str, float]
    curve_quarters: tuple[Fraction, Fraction, Fraction, Fraction]
    phase_weights: dict[str, dict[str, float]]
    seconds_per_rep: dict[str, int]
    transition_s: int = Field(ge=0)
    items_per_session: dict[str, tuple[int, int]]

    @field_validator("curve_quarters", mode="before")
    @classmethod
    def _quarters(cls, value: Any) -> Any:
        quarters = [Fraction(str(item)) for item in value]
        if sum(quarters) != 1 or any(b > a for a, b in itertools.pairwise(quarters)):
            raise ValueError("curve_quarters must be non-increasing and sum to 1 (concave curve)")
        return tuple(quarters)

    @field_validator("effective_weekly_dose")
    @classmethod
    def _doses(cls, value: dict[str, int]) -> dict[str, int]:
        missing = set(TARGETS) - set(value)
        if missing:
            raise ValueError(f"no effective dose for: {', '.join(sorted(missing))}")
        for target, dose in value.items():
            if target not in TARGETS:
                raise ValueError(unknown_word("target", target, TARGETS))
            if dose <= 0:
                raise ValueError(f"{target}: the effective dose must be positive")
        return value

    @field_validator("phase_weights")
    @classmethod
    def _phases(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for phase, weights in value.items():
            if phase not in PHASES:
                raise ValueError(unknown_word("phase", phase, PHASES))
            for target, weight in weights.items():
                if target not in TARGETS:
                    raise ValueError(unknown_word("target", target, TARGETS))
                if weight < 0 or weight * 4 != int(weight * 4):
                    raise ValueError(f"{phase}.{target}: use multiples of 0.25")
        return value

    @field_validator("target_value")
    @classmethod
    def _values(cls, value: dict[str, float]) -> dict[str, float]:
        for target, amount in value.items():
            if target not in TARGETS:
                raise ValueError(unknown_word("target", target, TARGETS))
            if amount < 0 or amount * 4 != int(amount * 4):
                raise ValueError(f"{target}: use non-negative multiples of 0.25")
        return value

    def phase_weight(self, phase: str, target: str) -> float:
        return self.phase_weights.get(phase, {}).get(target, 1.0)

    def weight(self, phase: str, target: str, focus: int) -> float:
        """focus x target value x phase weight: a multiple of 1/16."""
        return focus * self.target_value.get(target, 1.0) * self.phase_weight(phase, target)

    def curve(self, fraction: float) -> float:
        """Value in [0, 1] of a dose at `fraction` of the effective weekly dose."""
        value = 0.0
        for quarter, gain in enumerate(self.curve_quarters):
            value += float(gain) * min(max(fraction - quarter * 0.25, 0.0), 0.25) * 4
        return value

    def target_week_benefit(self, target: str, dose: float, phase: str, focus: int) -> float:
        effective = self.effective_weekly_dose[target]
        return self.points * self.weight(phase, target, focus) * self.curve(dose / effective)


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tags: tuple[str, ...]
    exercises: tuple[Exercise, ...]

    def by_id(self) -> dict[str, Exercise]:
        return {exercise.id: exercise for exercise in self.exercises}


# --- prescriptions and minutes -------------------------------------------------------------


def prescription_for(exercise: Exercise, level: str, first_mesocycle: bool) -> Prescription:
    """The item's prescription for an athlete's level (COACHING_RULES.md, Prescriptions).

    Novice strength work is 2-3 x 8-10 in the first mesocycle, then 3 x 5-6.
    """
    prescription = exercise.prescription.get(level)
    if prescription is None:  # fall back to the highest level the entry prescribes
        prescription = exercise.prescription[max(exercise.prescription, key=LEVELS.index)]
    if exercise.category == "strength" and level == "novice" and not first_mesocycle:
        side = "/side" if prescription.per_side else ""
        return Prescription(sets=(3, 3), reps=f"6{side}", rest_s=max(prescription.rest_s, 120))
    return prescription


def seconds_per_set(exercise: Exercise, prescription: Prescription, model: BenefitModel) -> int:
    if prescription.is_timed:
        work = prescription.count
    else:
        work = prescription.count * model.seconds_per_rep[exercise.category]
    if prescription.per_side:
        work *= 2
    return work + prescription.rest_s + model.transition_s


def item_minutes(
    exercise: Exercise, prescription: Prescription, sets: int, model: BenefitModel
) -> int:
    """Whole minutes for `sets` sets: work, rest and transitions, rounded up."""
    return math.ceil(sets * seconds_per_set(exercise, prescription, model) / 60)


def contacts_per_set(exercise: Exercise, prescription: Prescription) -> int:
    """Ground contacts per set: the rep count of a plyometric item (twice when per side)."""
    if not exercise.plyometric or prescription.is_timed:
        return 0
    return prescription.count * (2 if prescription.per_side else 1)
