"""R17, paired sets (COACHING_RULES.md): which two items may be done as a pair (A1/A2), in
which order, and how long a pair takes.

A pair is one set of each item in turn. Each item keeps at least its own rest between its own
sets, so the partner's set fills part of that rest: a pair of `s` sets takes
`s x max(set time of A, set time of B, work of A + work of B + 2 transitions)`. A heavy lift's
3-minute rest holds a set of core or upper-body work for free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from planner.domain.catalog import BenefitModel, Exercise, Prescription, heavy, seconds_per_set
from planner.vocabulary import CATEGORIES

PairKind = Literal["upper_lower", "filler", "contrast"]
PAIR_LABELS = "ABCDEFGH"  # pairs of a session are written A1/A2, B1/B2, ...
# What the model pairs (R15's revision keeps the warm-up whole, so no mobility item) and what
# R17 allows a strength or accessory item to be paired with.
WORK_CATEGORIES = frozenset({"strength", "accessory"})
FILLER_CATEGORIES = frozenset({"core", "mobility"})


def region(exercise: Exercise) -> str | None:
    """The body region R17 reads: lower (any lower-body tag wins), upper, or neither."""
    if "lower_body" in exercise.tags:
        return "lower"
    if "upper_body" in exercise.tags:
        return "upper"
    return None


@dataclass(frozen=True)
class Pairable:
    """What R17 reads of an item: its exercise, whether it is a heavy lift (R19) and its
    timing per set in seconds (work; work + rest + transition; the transition)."""

    exercise: Exercise
    heavy: bool
    work_s: int
    set_s: int
    transition_s: int

    @classmethod
    def of(cls, exercise: Exercise, prescription: Prescription, model: BenefitModel) -> Pairable:
        set_s = seconds_per_set(exercise, prescription, model)
        return cls(
            exercise,
            heavy(exercise, prescription),
            set_s - prescription.rest_s - model.transition_s,
            set_s,
            model.transition_s,
        )


def pair_kind(first: Pairable, second: Pairable, *, contrast: bool) -> PairKind | None:
    """What `first` then `second` make as a pair (R17), or None where R17 forbids it.

    - `upper_lower`: a lower-body and an upper-body strength or accessory item;
    - `filler`: a strength or accessory item with a core or mobility item (the caller keeps the
      session's opening mobility item out);
    - `contrast`: a heavy lower-body lift followed by a plyometric item, where `contrast` says
      the athlete and week allow one (intermediate or advanced, build or peak).
    Never two lower-body strength items; never a power item outside a contrast pair.
    """
    a, b = first.exercise, second.exercise
    if "power" in (a.category, b.category):
        if contrast and first.heavy and b.plyometric:
            return "contrast"
        return None
    if a.category in WORK_CATEGORIES and b.category in WORK_CATEGORIES:
        return "upper_lower" if {region(a), region(b)} == {"lower", "upper"} else None
    if {a.category, b.category} & WORK_CATEGORIES and {a.category, b.category} & FILLER_CATEGORIES:
        return "filler"
    return None


def ordered(a: Pairable, b: Pairable, *, contrast: bool) -> tuple[Pairable, Pairable] | None:
    """The two items in the order a pair does them, or None where R17 forbids the pair: the
    template order of their blocks (a pair stands in its first item's block), a heavy lift
    before its contrast jumps, a lower-body lift before an upper-body one."""
    options = [
        (first, second)
        for first, second in ((a, b), (b, a))
        if pair_kind(first, second, contrast=contrast) is not None
    ]
    if not options:
        return None
    return min(
        options,
        key=lambda pair: (
            pair_kind(*pair, contrast=contrast) != "contrast",
            CATEGORIES.index(pair[0].exercise.category),
            region(pair[0].exercise) != "lower",
        ),
    )


def pair_minutes(sets: int, a: Pairable, b: Pairable) -> int:
    """Whole minutes for `sets` rounds of a pair (R17), rounded up as an item's are."""
    seconds = max(a.set_s, b.set_s, a.work_s + b.work_s + a.transition_s + b.transition_s)
    return math.ceil(sets * seconds / 60)


def contrast_allowed(level: str, phase: str) -> bool:
    """R17: a contrast pair is for intermediate and advanced athletes in build and peak weeks."""
    return level != "novice" and phase in ("build", "peak")
