"""Words the scenario format and the catalog share (FORMATS.md, COACHING_RULES.md)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVELS = ("novice", "intermediate", "advanced")
CATEGORIES = ("mobility", "power", "strength", "accessory", "core")
RUN_KINDS = ("rest", "easy", "long", "quality", "race", "cross")
KEY_RUN_KINDS = frozenset({"long", "quality", "race"})
PHASES = ("base", "build", "peak", "taper")
RACE_DISTANCES = {"5k": 5.0, "10k": 10.0, "half": 21.1, "marathon": 42.2, "ultra": 50.0}

EQUIPMENT = (
    "bodyweight", "mat", "band", "dumbbell", "kettlebell", "barbell", "rack", "bench",
    "box", "step", "medicine_ball", "cable", "pullup_bar", "trap_bar",
)  # fmt: skip
TARGETS = (
    "hip_mobility", "ankle_mobility", "thoracic_mobility", "power", "max_strength",
    "posterior_chain", "hip_stability", "calf_achilles", "core_anti_extension",
    "core_anti_rotation", "core_lateral", "core_rotation", "posture",
)  # fmt: skip
RULE_TAGS = (
    "unilateral", "plyometric", "plyo_advanced", "anti_extension", "anti_flexion",
    "anti_lateral_flexion", "anti_rotation", "rotation", "lower_body", "upper_body",
    "high_impact",
)  # fmt: skip
ANTI_MOVEMENT_TAGS = frozenset(
    {"anti_extension", "anti_flexion", "anti_lateral_flexion", "anti_rotation"}
)
OPENER_TAGS = frozenset({"hip", "ankle"})


def suggest(word: str, choices: Iterable[str]) -> str:
    """' — did you mean "sat"?' when a close match exists, else ''."""
    matches = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return f' — did you mean "{matches[0]}"?' if matches else ""


def unknown_word(kind: str, word: object, choices: Iterable[str]) -> str:
    """The message for a word outside a vocabulary, with a suggestion."""
    choices = list(choices)
    hint = suggest(str(word), choices)
    if not hint:
        hint = f" (expected one of: {', '.join(choices)})"
    return f'unknown {kind} "{word}"{hint}'
