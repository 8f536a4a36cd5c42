"""The exercise catalog and the benefit model (data files in `planner/models/`, read by
`planner.io.catalog_file`). Validation names the entry: unknown categories, equipment, tags
or targets are errors."""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from planner.vocabulary import (
    CATEGORIES,
    EQUIPMENT,
    HARD_CATEGORIES,
    LEVELS,
    LOAD_EQUIPMENT,
    PATTERNS,
    PHASES,
    TARGETS,
    unknown_word,
)

_REPS = re.compile(r"^(?P<count>\d+)(?P<seconds>s)?(?P<side>/side)?$")
HEAVY_REPS = (3, 6)  # R19: a heavy set is an externally loaded one of 3-6 reps
INTENSITY_TARGET = "max_strength"  # the target a strength set's intensity scales


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
    # Strength only, and required there: knee- or hip-dominant lower body, or upper body.
    pattern: Literal["knee", "hip", "upper"] | None = None
    # Whether the exercise moves an external load. By default its equipment decides (a
    # dumbbell, kettlebell, barbell, trap bar or cable holds load); `false` marks equipment
    # that is only a fixture, such as the bar of an inverted row.
    external_load: bool | None = None
    # A bodyweight strength exercise's harder variant (an id of the same pattern): the last
    # step of its progression, after a slower lowering and a pause (`planner.domain.loads`).
    harder: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: Any) -> Any:
        if value not in CATEGORIES:
            raise ValueError(unknown_word("category", value, CATEGORIES))
        return value

    @field_validator("pattern", mode="before")
    @classmethod
    def _pattern(cls, value: Any) -> Any:
        if value is not None and value not in PATTERNS:
            raise ValueError(unknown_word("pattern", value, PATTERNS))
        return value

    @model_validator(mode="after")
    def _pattern_and_load(self) -> Exercise:
        """A strength exercise names its pattern (R16: one knee- and one hip-dominant lift per
        hard session); no other category has one. Only load-holding equipment can hold load."""
        if self.category == "strength" and self.pattern is None:
            raise ValueError(
                f'strength exercise "{self.id}" needs a `pattern`: knee (squats, lunges, '
                "split squats, step-ups), hip (deadlifts, RDLs, hip thrusts, Nordics) or upper"
            )
        if self.category != "strength" and self.pattern is not None:
            raise ValueError(
                f'"{self.id}" is a {self.category} exercise: only strength exercises have a '
                "`pattern`"
            )
        if self.harder is not None and (self.category != "strength" or self.loaded):
            raise ValueError(
                f'"{self.id}": only a bodyweight strength exercise names a `harder` variant '
                "(a loaded one progresses by its load)"
            )
        if self.external_load and not self.equipment & LOAD_EQUIPMENT:
            raise ValueError(
                f'"{self.id}": `external_load: true` needs equipment that holds load '
                f"({', '.join(sorted(LOAD_EQUIPMENT))})"
            )
        amount = self.targets.get(INTENSITY_TARGET, 0.0)
        if self.category == "strength" and amount * 2 != int(amount * 2) and self._can_be_light():
            raise ValueError(
                f'"{self.id}": {INTENSITY_TARGET} {amount:g}; a strength set that is not heavy '
                "(bodyweight, or loaded outside 3-6 reps) may count half (benefit.yaml "
                "`strength_intensity`), so its contribution must be a multiple of 0.5"
            )
        return self

    def _can_be_light(self) -> bool:
        """Some athlete's set may count less than fully (see `intensity_factor`): a novice
        past the first mesocycle does 6 reps, others their own prescription."""
        levels = [level for level in self.prescription if level != "novice"]
        return not self.loaded or not all(
            _heavy_load(self, self.prescription[level]) for level in levels
        )

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

    @property
    def loaded(self) -> bool:
        """The exercise moves an external load: its equipment holds one (`LOAD_EQUIPMENT`),
        unless the entry says `external_load: false`."""
        if self.external_load is not None:
            return self.external_load
        return bool(self.equipment & LOAD_EQUIPMENT)

    def allowed_for(self, level: str) -> bool:
        return LEVELS.index(self.level) <= LEVELS.index(level)


class StrengthIntensity(BaseModel):
    """How much of a strength set's `max_strength` contribution counts, by the set's intensity
    (COACHING_RULES.md, Revisions, "Benefit"; `intensity_factor`). Each factor is 0.5 or 1,
    so that a counted contribution stays on the catalog's 0.25 grid (the planner counts dose
    in quarter sets) given that the catalog keeps the contributions that may be halved on
    multiples of 0.5."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heavy: float  # an externally loaded set of 3-6 reps
    novice_first_mesocycle: float  # any other set of a novice in the first mesocycle
    other: float  # a bodyweight set (or a loaded one outside 3-6 reps) otherwise

    @field_validator("heavy", "novice_first_mesocycle", "other")
    @classmethod
    def _factor(cls, value: float) -> float:
        if value not in (0.5, 1.0):
            raise ValueError(f"{value:g}: expected 0.5 or 1 (the share of the set that counts)")
        return value


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
    strength_intensity: StrengthIntensity

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


def _heavy_load(exercise: Exercise, prescription: Prescription) -> bool:
    """An externally loaded set of 3-6 reps (any category, any body part)."""
    low, high = HEAVY_REPS
    return exercise.loaded and not prescription.is_timed and low <= prescription.count <= high


def heavy(exercise: Exercise, prescription: Prescription) -> bool:
    """R19's heavy strength: an externally loaded lower-body strength exercise whose
    prescription is 3-6 reps (per side for a unilateral one)."""
    return (
        exercise.category == "strength"
        and "lower_body" in exercise.tags
        and _heavy_load(exercise, prescription)
    )


def intensity_factor(
    exercise: Exercise,
    prescription: Prescription,
    level: str,
    first_mesocycle: bool,
    model: BenefitModel,
) -> float:
    """The share of a strength set's `max_strength` contribution that counts (COACHING_RULES.md,
    Revisions, "Benefit"): an externally loaded set of 3-6 reps counts fully; any set of a
    novice in the first mesocycle counts fully (a loaded 8-10 too); otherwise (a bodyweight
    set, or a loaded set outside 3-6 reps) it counts `other` (half). Other categories: 1."""
    if exercise.category != "strength":
        return 1.0
    intensity = model.strength_intensity
    if _heavy_load(exercise, prescription):
        return intensity.heavy
    if level == "novice" and first_mesocycle:
        return intensity.novice_first_mesocycle
    return intensity.other


def set_contributions(
    exercise: Exercise, level: str, first_mesocycle: bool, model: BenefitModel
) -> dict[str, float]:
    """What one set contributes to each target for this athlete and stage: the catalog's
    `targets` with the set's intensity applied to `max_strength` (`intensity_factor`); the
    other targets are unchanged. Every value stays a multiple of 0.25."""
    prescription = prescription_for(exercise, level, first_mesocycle)
    factor = intensity_factor(exercise, prescription, level, first_mesocycle, model)
    contributions = dict(exercise.targets)
    if INTENSITY_TARGET in contributions:
        contributions[INTENSITY_TARGET] *= factor
    for target, amount in contributions.items():
        if amount * 4 != int(amount * 4):
            raise ValueError(
                f'"{exercise.id}": {target} {amount:g} per set for a {level} athlete is off the '
                "0.25 grid; keep contributions that may count half on multiples of 0.5"
            )
    return contributions


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


# --- load notes ----------------------------------------------------------------------------

# %1RM by RPE (rows) and reps (columns, 1 to 10): the reps-in-reserve chart in Helms, Cronin,
# Storey & Zourdos (2016), "Application of the repetitions in reserve-based rating of perceived
# exertion scale for resistance training", Strength Cond J 38(4):42-49, after M. Tuchscherer's
# Reactive Training Systems chart. RPE 10 leaves 0 reps in reserve, RPE 8 two, RPE 7 three;
# a row is the RPE 10 row shifted by its reps in reserve.
PERCENT_1RM_CHART: dict[float, tuple[float, ...]] = {
    10.0: (100.0, 95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9),
    9.5: (97.8, 93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3),
    9.0: (95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7),
    8.5: (93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4),
    8.0: (92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0),
    7.5: (90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7),
    7.0: (89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3),
    6.5: (87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0),
}


HEAVY_RPE = 8.0  # R19's heavy sets of 3-6 reps: 2 reps in reserve
LIGHTER_RPE = 7.0  # a novice's higher reps: 3 reps in reserve
EASY_RPE = 6.0  # any strength or accessory set of a deload or taper week: 4 in reserve
ACCESSORY_RPE = 7.5  # an accessory set: 2-3 reps in reserve
BODYWEIGHT_RPE = 7.0  # a bodyweight (or timed) strength set, at every step of its tempo
RPE_CATEGORIES = ("strength", "accessory")  # the categories with a target RPE


def strength_rpe(reps: int) -> float:
    """The RPE a loaded strength set of `reps` reps aims at (COACHING_RULES.md,
    Prescriptions): RPE 8 for heavy sets of 3-6 reps, RPE 7 for more reps."""
    return HEAVY_RPE if reps <= HEAVY_REPS[1] else LIGHTER_RPE


def target_rpe(category: str, reps: str, loaded: bool, easy_week: bool) -> float | None:
    """The RPE an item's sets aim at: what its load note says and what the load suggestions
    compare the logged RPE with (one function for both).

    - a deload or taper week (`easy_week`): RPE 6 for strength and accessory items;
    - an accessory: RPE 7.5 (2-3 reps in reserve);
    - a loaded strength set of reps: `strength_rpe` (8 for 3-6 reps, 7 for more);
    - a bodyweight or timed strength set: RPE 7 (the tempo, not the RPE, progresses);
    - mobility, power and core: None (no RPE to aim at).
    """
    if category not in RPE_CATEGORIES:
        return None
    if easy_week:
        return EASY_RPE
    if category == "accessory":
        return ACCESSORY_RPE
    match = _REPS.match(reps)
    if match is None:
        raise ValueError(f'reps "{reps}": expected N, N/side, Ns or Ns/side')
    if loaded and not match["seconds"]:
        return strength_rpe(int(match["count"]))
    return BODYWEIGHT_RPE


def reps_in_reserve(rpe: float) -> str:
    """`2` for RPE 8, `2-3` for RPE 7.5: the reps left in the tank."""
    reserve = 10 - rpe
    if reserve == int(reserve):
        return f"{int(reserve)}"
    return f"{math.floor(reserve)}-{math.ceil(reserve)}"


def in_chart(reps: int, rpe: float) -> bool:
    """Does the chart (`PERCENT_1RM_CHART`) hold this set: an RPE of 6.5 to 10 in half
    points, and 1 to 10 reps?"""
    row = PERCENT_1RM_CHART.get(float(rpe))
    return row is not None and 1 <= reps <= len(row)


def percent_1rm(reps: int, rpe: float) -> float:
    """The load, in % of 1RM, that makes `reps` reps a set of this RPE (`PERCENT_1RM_CHART`).
    5 reps at RPE 8 is 81.1 %; 8 reps at RPE 7 is 70.7 %."""
    row = PERCENT_1RM_CHART.get(float(rpe))
    if row is None:
        raise ValueError(f"RPE {rpe:g}: the chart has RPE 6.5 to 10 in steps of 0.5")
    if not 1 <= reps <= len(row):
        raise ValueError(f"{reps} reps: the chart has 1 to {len(row)} reps")
    return row[reps - 1]
