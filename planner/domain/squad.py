"""The squad file (README, "Squad file"): a coach's athletes who share a block.

A squad file holds shared `defaults` (any scenario section but the name) and a list of
`athletes`, each with the fields that differ. Each athlete becomes one scenario:

- `name` (required) is the athlete's name; the scenario is named "SQUAD, ATHLETE";
- `level`, `equipment`, `focus` and `avoid` replace those of `defaults.athlete`;
- `block`, `availability`, `rules` and `coach` (R18) are merged key by key into the
  defaults' sections:
  a key the athlete gives replaces the default's value whole (`availability.weekly` is
  replaced, `availability.max_per_week` kept);
- `running` replaces the defaults' running plan whole (a running plan is one source:
  `weeks`, `days` or `import`); `objective` replaces the default.

These models give the squad file its JSON Schema (`planner schema --squad`) and its key
vocabulary. The content of each athlete's scenario is validated as a Scenario, after the
merge (`planner.io.squad_file`), so that a mistake is reported once, where it was written.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.domain.scenario import (
    Availability,
    Coach,
    EquipmentWord,
    Level,
    Race,
    Rules,
    Running,
    TargetWord,
)

SQUAD_FORMAT: Literal[1] = 1
ATHLETE_FIELDS = ("level", "equipment", "focus", "avoid")  # go to the scenario's `athlete`
MERGED_SECTIONS = ("block", "availability", "rules", "coach")  # merged key by key
REPLACED_SECTIONS = ("running", "objective")  # replace the defaults' whole


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AthleteDefaults(_Strict):
    """`defaults.athlete`: what most athletes of the squad have."""

    level: Level | None = None
    equipment: list[EquipmentWord] | None = None
    focus: dict[TargetWord, int] | None = Field(default=None, description="0..5 per target")
    avoid: list[str] | None = Field(default=None, description="catalog tags to exclude")


class BlockFields(_Strict):
    """The scenario's `block`, every key optional (the defaults usually give it whole)."""

    start: dt.date | None = None
    weeks: int | None = None
    end: dt.date | None = None
    races: list[Race] | None = None


class SquadDefaults(_Strict):
    """What every athlete shares unless their own entry says otherwise."""

    athlete: AthleteDefaults | None = None
    block: BlockFields | None = None
    availability: Availability | None = None
    running: Running | None = None
    rules: Rules | None = None
    objective: Literal["efficiency", "total"] | None = None
    coach: Coach | None = None


class SquadAthlete(AthleteDefaults):
    """One athlete: a name, and what differs from the defaults."""

    name: str = Field(description="the athlete's name; also names their plan files")
    block: BlockFields | None = None
    availability: Availability | None = None
    running: Running | None = Field(default=None, description="their own running plan, whole")
    rules: Rules | None = None
    objective: Literal["efficiency", "total"] | None = None
    coach: Coach | None = Field(default=None, description="the coach's say (R18), key by key")


class Squad(_Strict):
    """The squad file (`format: 1`)."""

    format: Literal[1] = SQUAD_FORMAT
    name: str = Field(default="Squad", description="the squad; each plan is named SQUAD, NAME")
    defaults: SquadDefaults = Field(default_factory=SquadDefaults)
    athletes: list[SquadAthlete] = Field(min_length=1)


def squad_keys() -> dict[str, tuple[str, ...]]:
    """The keys each part of a squad file may hold (by alias), for its validation."""

    def keys(model: type[BaseModel]) -> tuple[str, ...]:
        return tuple(info.alias or name for name, info in model.model_fields.items())

    return {"": keys(Squad), "defaults": keys(SquadDefaults), "athlete": keys(SquadAthlete)}
