"""The CP-SAT encoding of a Problem. Each coaching rule is added by its own function.

- `variables`: `PlanModel`, the decisions and their expressions, and `add_variables`;
- the rule families: `sessions` (R1, R2, R15, R17), `days` (placement, R3, R4, R7, R10,
  R20, return limits), `weeks` (R5, R6, R8, R9, R12, R14), `dose` (R11, R13, R16, R19) and
  `coach` (R18);
- `objective`: the benefit hypograph.

`ENCODING` lists the rule functions in the order `build_model` adds them. The rule registry
(planner/rules.py) names them as attributes of this package.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.solver.model.coach import add_coach_say
from planner.solver.model.days import (
    add_day_placement,
    add_equipment_by_day,
    add_hard_session_spacing,
    add_key_run_protection,
    add_race_recovery,
    add_return_limits,
)
from planner.solver.model.dose import (
    ACCESSORY_TARGETS,
    FOCUS_DOSE,
    FOCUS_WEIGHT,
    HEAVY_EXERCISES,
    HEAVY_SETS,
    MAINTENANCE_EXERCISES,
    MAINTENANCE_SETS,
    NOVICE_LOADED_SETS,
    STRENGTH_EXERCISES,
    WEEK_MINUTES,
    add_hard_session_targets,
    add_heavy_strength,
    add_minimum_dose,
    add_unilateral_share,
)
from planner.solver.model.objective import add_benefit
from planner.solver.model.sessions import (
    WARM_UP_MINUTES,
    add_complete_sessions,
    add_paired_sets,
    add_session_template,
    add_time_budget,
    name_pairs,
    pairings,
    planned_pair,
)
from planner.solver.model.variables import (
    FLOOR_WEIGHTS,
    R13_WEIGHT,
    R16_WEIGHTS,
    R19_WEIGHTS,
    RULE_OF_PART,
    Pairing,
    PlanModel,
    add_variables,
    define_minutes,
)
from planner.solver.model.weeks import (
    add_deload_volume,
    add_load_ramp,
    add_no_novelty,
    add_plyometric_limits,
    add_progressions,
    add_taper_limits,
)
from planner.solver.problem import DOSE_SCALE, Problem

# The encoding, in the order it is built (the order fixes the model, so that a seed gives the
# same plan). Every rule of planner.rules names its function here or `add_variables` (R14).
ENCODING: list[Callable[[PlanModel], None]] = [
    add_session_template,  # R2
    add_paired_sets,  # R17
    add_day_placement,
    add_time_budget,  # R1
    add_hard_session_spacing,  # R3
    add_key_run_protection,  # R4, R7
    add_plyometric_limits,  # R5
    add_taper_limits,  # R6
    add_deload_volume,  # R8
    add_progressions,  # R9
    add_equipment_by_day,  # R10
    add_unilateral_share,  # R11
    add_load_ramp,  # R12
    add_hard_session_targets,  # R13
    add_complete_sessions,  # R15
    add_minimum_dose,  # R16
    add_heavy_strength,  # R19
    add_race_recovery,  # R20
    add_coach_say,  # R18
    add_no_novelty,  # R14
    add_benefit,
]


def build_model(
    problem: Problem,
    explain: bool = False,
    encoding: list[Callable[[PlanModel], None]] | None = None,
    model: cp_model.CpModel | None = None,
) -> PlanModel:
    """The whole model (or, with `encoding`, the variables and only those functions). With
    `explain`, rule constraints hang on switch literals. With `model`, the encoding is added
    to it (a studio's athletes share one CP-SAT model)."""
    plan = PlanModel(problem, explain=explain)
    if model is not None:
        plan.model = model
    add_variables(plan)
    for add_rule in ENCODING if encoding is None else encoding:
        add_rule(plan)
    define_minutes(plan)
    if encoding is None:
        add_return_limits(plan)
    return plan


__all__ = [
    "ACCESSORY_TARGETS", "DOSE_SCALE", "ENCODING", "FLOOR_WEIGHTS", "FOCUS_DOSE", "FOCUS_WEIGHT",
    "HEAVY_EXERCISES", "HEAVY_SETS", "MAINTENANCE_EXERCISES", "MAINTENANCE_SETS",
    "NOVICE_LOADED_SETS", "R13_WEIGHT", "R16_WEIGHTS", "R19_WEIGHTS", "RULE_OF_PART",
    "STRENGTH_EXERCISES", "WARM_UP_MINUTES", "WEEK_MINUTES", "Pairing", "PlanModel",
    "add_benefit", "add_coach_say", "add_complete_sessions", "add_day_placement",
    "add_deload_volume", "add_equipment_by_day", "add_hard_session_spacing",
    "add_hard_session_targets", "add_heavy_strength", "add_key_run_protection",
    "add_load_ramp", "add_minimum_dose", "add_no_novelty", "add_paired_sets",
    "add_plyometric_limits", "add_progressions", "add_race_recovery", "add_return_limits",
    "add_session_template", "add_taper_limits", "add_time_budget", "add_unilateral_share",
    "add_variables", "build_model", "define_minutes", "name_pairs", "pairings", "planned_pair",
]  # fmt: skip
