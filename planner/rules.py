"""The coaching rules (COACHING_RULES.md), one registry entry per rule id.

Every part of the planner that deals with a rule looks it up here: the CP-SAT encoding
(`model`, a function of `planner.solver.model`), the independent checker (`check`, a method
of `planner.check.checker`), the explainer's wording (`words`, and `relax`: what a coach can
change), and the tests, which a meta-test holds to three per rule. The entry also says
which scenario keys the rule reads and whether it links weeks.

The decomposition contract (`links_weeks`). The solver's Dinkelbach-by-parts bound solves
runs of weeks on their own and relies on this: a rule that links weeks, encoded for a part
of the block, skips (or counts as met) every condition that reaches a week outside the
part. The part's model is then a relaxation of the whole, so its optimum is a bound. A
rule that does not link weeks encodes each group of weeks by itself: the whole model's
constraints are exactly the parts' together. `tests/solver/test_decomposition.py` holds
every rule to its side of this contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RuleKind = Literal["hard", "dose"]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # the rule in a coach's words
    kind: RuleKind  # hard: a plan that breaks it is wrong; dose: a target, hard with `strict`
    keys: tuple[str, ...]  # scenario keys it reads (`rules.` keys unless a path is given)
    links_weeks: bool  # its conditions reach across weeks (see the decomposition contract)
    model: str  # the function of planner.solver.model that encodes it
    check: str  # the method of planner.check.checker that re-derives it
    words: str  # the explainer's phrase: "{gap}" is rules.hard_gap_days
    relax: str  # what to change in the scenario to relax it

    @property
    def hard(self) -> bool:
        return self.kind == "hard"


R1 = Rule(
    "R1", "sessions fit the time available each day and week", "hard",
    ("min_session_minutes", "availability.weekly", "availability.exceptions",
     "availability.max_per_week"),
    False, "add_time_budget", "check_r1_time", "the time budget",
    "give those days more minutes in availability, or raise availability.max_per_week",
)  # fmt: skip
R2 = Rule(
    "R2", "every session follows the template, opening with hip or ankle mobility", "hard",
    (), False, "add_session_template", "check_r2_template", "the session template",
    "add hip or ankle mobility exercises the athlete can do",
)  # fmt: skip
R3 = Rule(
    "R3", "hard sessions at least 48 hours apart", "hard", ("hard_gap_days",),
    True, "add_hard_session_spacing", "check_r3_spacing",
    "hard sessions at least {gap} days apart", "e.g. rules.hard_gap_days: 1",
)  # fmt: skip
R4 = Rule(
    "R4", "no hard session the day before a key run or on a long-run day", "hard",
    ("key_run_buffer_days",), False, "add_key_run_protection", "check_r4_key_runs",
    "no hard session the day before a key run or on a long-run day",
    "move the key runs, or set rules.key_run_buffer_days: 0",
)  # fmt: skip
R5 = Rule(
    "R5", "plyometric contacts and sessions within the level's cap", "hard",
    ("plyo_contacts", "plyo_sessions_per_week"), False, "add_plyometric_limits",
    "check_r5_plyometrics", "the plyometric limits",
    "raise rules.plyo_contacts or rules.plyo_sessions_per_week for the level",
)  # fmt: skip
R6 = Rule(
    "R6", "taper weeks are lighter than the weeks before", "hard",
    ("taper_max_sessions", "taper_volume"), True, "add_taper_limits", "check_r6_taper",
    "the taper volume cap", "raise rules.taper_volume",
)  # fmt: skip
R7 = Rule(
    "R7", "no hard session in the days before a race, no session on race day or after", "hard",
    ("race_hard_free_days",), False, "add_key_run_protection", "check_r7_races",
    "the hard-free days before a race", "lower rules.race_hard_free_days for that distance",
)  # fmt: skip
R8 = Rule(
    "R8", "a deload week after at most 3 loading weeks, lighter than the last", "hard",
    ("max_loading_weeks", "deload_volume"), True, "add_deload_volume", "check_r8_deloads",
    "the deload volume cap", "raise rules.deload_volume",
)  # fmt: skip
R9 = Rule(
    "R9", "stabilisation before rotation, basic before advanced plyometrics", "hard",
    ("progression_weeks",), True, "add_progressions", "check_r9_progressions",
    "the progression gates (rotation, advanced plyometrics)",
    "add anti-movement core or basic plyometrics earlier, or lower rules.progression_weeks",
)  # fmt: skip
R10 = Rule(
    "R10", "equipment only where the athlete has it, no avoided exercises", "hard",
    ("athlete.equipment", "athlete.avoid", "availability.equipment_by_day"),
    False, "add_equipment_by_day", "check_r10_equipment",
    "equipment only on the days it is available",
    "add the equipment to athlete.equipment or availability.equipment_by_day",
)  # fmt: skip
R11 = Rule(
    "R11", "at least half the strength sets unilateral", "hard", ("unilateral_share",),
    False, "add_unilateral_share", "check_r11_unilateral",
    "the unilateral share of strength sets", "lower rules.unilateral_share",
)  # fmt: skip
R12 = Rule(
    "R12", "weekly gym minutes ramp up gradually", "hard", ("ramp", "ramp_extra_minutes"),
    True, "add_load_ramp", "check_r12_ramp", "the weekly ramp limit",
    "raise rules.ramp or rules.ramp_extra_minutes",
)  # fmt: skip
R13 = Rule(
    "R13", "enough hard sessions each week for the phase", "dose", ("strict",),
    True, "add_hard_session_targets", "check_r13_sessions", "the hard-session target",
    "accept fewer hard sessions, e.g. with rules.strict: false",
)  # fmt: skip
R14 = Rule(
    "R14", "main exercises repeat and progress within a mesocycle", "dose", (),
    True, "add_no_novelty", "check_r14_repetition",
    "the same main exercises through a mesocycle", "start a new mesocycle with a deload",
)  # fmt: skip

R15 = Rule(
    "R15", "complete sessions: every block of the template in a loading week's hard session",
    "hard", ("plyo_sessions_per_week", "athlete.equipment"), False, "add_complete_sessions",
    "check_r15_complete", "complete sessions (mobility, power, strength, accessory, core)",
    "give the session's day more minutes, or add equipment for non-plyometric power",
)  # fmt: skip
R16 = Rule(
    "R16", "a minimum effective dose: strength sets, full sessions, peak and taper sessions",
    "dose", ("strength_sets", "full_session_minutes", "strict", "athlete.focus"), False,
    "add_minimum_dose", "check_r16_dose", "the minimum effective dose",
    "give the week's hard-session days more minutes, e.g. 40 min",
)  # fmt: skip

R17 = Rule(
    "R17", "paired sets (A1/A2) join items that do not compete, with equal sets", "hard",
    ("paired_sets",), False, "add_paired_sets", "check_r17_pairs", "the pairing rules",
    "leave the items unpaired",
)  # fmt: skip
R18 = Rule(
    "R18", "the coach's say: excluded exercises never appear, included ones are main "
    "exercises of every loading mesocycle, pinned days hold what is pinned", "hard",
    ("coach.exclude", "coach.include", "coach.pin"), False, "add_coach_say",
    "check_r18_coach", "the coach's say (coach.include, coach.pin)",
    "move or drop the pin in coach.pin, or take the exercise out of coach.include",
)  # fmt: skip
R19 = Rule(
    "R19", "heavy strength where the kit allows: loaded lower-body lifts at 3-6 reps", "dose",
    ("athlete.equipment", "availability.equipment_by_day", "strict"), False,
    "add_heavy_strength", "check_r19_heavy", "heavy loaded lower-body strength",
    "add loaded equipment (dumbbells, kettlebells, a barbell) on a day that can hold a hard "
    "session, or give that day more minutes",
)  # fmt: skip
R20 = Rule(
    "R20", "recovery after racing: no hard session or plyometrics in the days after a race",
    "hard", ("race_recovery_days",), False, "add_race_recovery", "check_r20_recovery",
    "the recovery days after a race", "lower rules.race_recovery_days for that distance",
)  # fmt: skip

RULES: tuple[Rule, ...] = (
    R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16, R17, R18, R19,
    R20,
)  # fmt: skip
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# R13's numbers, shared by the problem (slots and floors) and the checker.
MIN_HARD_SESSIONS = {"base": 2, "build": 2, "peak": 1, "taper": 0}
MIN_HARD_SESSIONS_DELOAD = 1
MAX_SESSIONS = {"base": 3, "build": 3, "peak": 2}
# R8's revision: a deload waits for the running plan's cut-back week up to this many loading
# weeks in a row.
MAX_ALIGNED_LOADING_WEEKS = 5
RAMP_WEEKS = 3  # R12's revision: a loading week compares with the mean of the last 3


def rule(rule_id: str) -> Rule:
    """The rule with this id; KeyError names the unknown id."""
    try:
        return BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; the rules are {', '.join(BY_ID)}") from None
