"""Words the scenario format and the catalog share (FORMATS.md, COACHING_RULES.md)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LEVELS = ("novice", "intermediate", "advanced")
CATEGORIES = ("mobility", "power", "strength", "accessory", "core")
RUN_KINDS = ("rest", "easy", "long", "quality", "race", "cross")
KEY_RUN_KINDS = frozenset({"long", "quality", "race"})
HARD_CATEGORIES = frozenset({"power", "strength"})  # items that make a session hard
# Words runners use for a run kind, and the kind the format has for them.
RUN_KIND_SYNONYMS = {
    "tempo": "quality", "intervals": "quality", "interval": "quality", "threshold": "quality",
    "track": "quality", "hills": "quality", "hill": "quality", "fartlek": "quality",
    "workout": "quality", "speed": "quality", "recovery": "easy", "jog": "easy",
    "run": "easy", "bike": "cross", "cycling": "cross", "swim": "cross", "off": "rest",
}  # fmt: skip
PHASES = ("base", "build", "peak", "taper")
RACE_DISTANCES = {"5k": 5.0, "10k": 10.0, "half": 21.1, "marathon": 42.2, "ultra": 50.0}
KM_PER_MILE = 1.609344

EQUIPMENT = (
    "bodyweight", "mat", "band", "dumbbell", "kettlebell", "barbell", "rack", "bench",
    "box", "step", "medicine_ball", "cable", "pullup_bar", "trap_bar",
)  # fmt: skip
TARGETS = (
    "hip_mobility", "ankle_mobility", "thoracic_mobility", "power", "max_strength",
    "posterior_chain", "hip_stability", "calf_achilles", "knee_resilience", "core_anti_extension",
    "core_anti_rotation", "core_lateral", "core_rotation", "posture",
)  # fmt: skip
RULE_TAGS = (
    "unilateral", "plyometric", "plyo_advanced", "anti_extension", "anti_flexion",
    "anti_lateral_flexion", "anti_rotation", "rotation", "lower_body", "upper_body",
    "high_impact",
)  # fmt: skip
# A strength exercise's movement pattern (catalog `pattern`): knee-dominant (squats, lunges,
# split squats, step-ups), hip-dominant (deadlifts, RDLs, hip thrusts, Nordics) or upper body.
PATTERNS = ("knee", "hip", "upper")
# Equipment that holds an external load (R19's "kit that holds external load").
LOAD_EQUIPMENT = frozenset({"dumbbell", "kettlebell", "barbell", "trap_bar", "cable"})
ANTI_MOVEMENT_TAGS = frozenset(
    {"anti_extension", "anti_flexion", "anti_lateral_flexion", "anti_rotation"}
)
OPENER_TAGS = frozenset({"hip", "ankle"})


def suggest(word: str, choices: Iterable[str]) -> str:
    """' — did you mean "sat"?' when a close match exists, else ''.

    Case, spaces and hyphens are ignored (`Medicine ball` -> `medicine_ball`), and a word
    that starts with a choice or begins one (`saturday` -> `sat`) counts as close.
    """
    choices = list(choices)
    match = closest(word, choices)
    return f' — did you mean "{match}"?' if match else ""


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice `word` most likely meant, or None."""
    choices = list(choices)
    text = re.sub(r"[\s-]+", "_", str(word).strip().lower())
    folded = {choice.lower(): choice for choice in choices}
    if text in folded:
        return folded[text]
    if len(text) >= 3:
        for key, choice in folded.items():
            if len(key) >= 2 and (text.startswith(key) or key.startswith(text)):
                return choice
    matches = difflib.get_close_matches(text, list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


# Words people write for a vocabulary word, by vocabulary: `beginner` means `novice`.
SYNONYMS: dict[str, dict[str, str]] = {
    "level": {"beginner": "novice", "new": "novice", "elite": "advanced", "expert": "advanced"},
    "tag": {"jumping": "plyometric", "jumps": "plyometric", "hops": "plyometric",
            "plyo": "plyometric", "plyos": "plyometric", "impact": "high_impact"},
    "equipment": {"dumbbells": "dumbbell", "bands": "band", "resistance_band": "band",
                  "kettlebells": "kettlebell", "pull_up_bar": "pullup_bar", "yoga_mat": "mat"},
    "unit": {"miles": "mi", "mile": "mi", "kilometers": "km", "kilometres": "km", "k": "km"},
}  # fmt: skip


def unknown_word(
    kind: str, word: object, choices: Iterable[str], synonyms: dict[str, str] | None = None
) -> str:
    """The message for a word outside a vocabulary, with a suggestion."""
    choices = list(choices)
    meant = (synonyms or {}).get(str(word).strip().lower().replace(" ", "_"))
    if meant in choices:
        return f'unknown {kind} "{word}" — did you mean "{meant}"?'
    hint = suggest(str(word), choices)
    if not hint:
        hint = f" (expected one of: {', '.join(choices)})"
    return f'unknown {kind} "{word}"{hint}'


def describe(value: object) -> str:
    """A YAML value in words, for "got ..." in a message: `the text "abc"`, `a list`."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on and off as true or false)"
    if isinstance(value, int | float):
        return f"the number {value:g}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'the text "{shown}"'
    if isinstance(value, dict):
        return "a mapping (`key: value` pairs)"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"{value!r}"
