"""Reading one workout's words: the kind of run a title names, its distance and its minutes.

Every shape (calendar events, spreadsheet cells, TrainingPeaks rows) ends up here, so a title
reads the same wherever it comes from. The rules are in the package docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from planner.vocabulary import KM_PER_MILE, RACE_DISTANCES

# How sure a kind is: `named` by a word (easy, tempo, long), `generic` (just "run", a bare
# number, TrainingPeaks' "Workout type: Run"), or `guessed` (nothing recognisable).
Certainty = Literal["named", "generic", "guessed"]
SKIP = "skip"  # the kind of an event that is not a run (strength, yoga, notes)
EASY_PACE_MIN_PER_KM = 6.0  # pace used to estimate a run's distance from its minutes

_RULES: tuple[tuple[str, Certainty, re.Pattern[str]], ...] = (
    ("cross", "named", re.compile(
        r"\b(bike|biking|ride|cycl\w*|spin|swim\w*|cross(?![\s-]*country)\w*|elliptical"
        r"|rowing|rad)\b"
    )),
    ("long", "named", re.compile(r"\blong\b")),
    ("quality", "named", re.compile(r"\b(race pace|marathon pace|goal pace|h?mp)\b")),
    ("race", "named", re.compile(r"\b(race|marathon|parkrun|triathlon|duathlon|aquathlon)\b")),
    ("rest", "named", re.compile(r"^\s*(rest|off)\b|\bday off\b|\brest day\b")),
    ("quality", "named", re.compile(
        r"\b(intervals?|tempo|hills?|fartlek|threshold|track|repeats?|progression|speed|vo2\w*"
        r"|workout)\b|\d+\s*[x×]\s*\d+"
    )),
    ("easy", "named", re.compile(r"\b(easy|recovery|shakeout|aerobic)\b")),
    ("quality", "named", re.compile(r"\bpace\b")),  # "5 m pace" in published plan tables
    ("easy", "generic", re.compile(r"\b(run|running|jog|jogging)\b")),
    (SKIP, "named", re.compile(
        r"\b(strength|gym|yoga|pilates|mobility|mobili[sz]ation|stretch\w*|weights?|note|core"
        r"|sets of|squats?|lunges?|planks?|stabi|black-roll|foam roll\w*)\b"
    )),
)  # fmt: skip

# TrainingPeaks' workout types (`Workout type: Bike` in a feed, `WorkoutType` in an export).
WORKOUT_TYPES: dict[str, tuple[str, Certainty]] = {
    "run": ("easy", "generic"),
    "bike": ("cross", "named"),
    "mtb": ("cross", "named"),
    "swim": ("cross", "named"),
    "rowing": ("cross", "named"),
    "x-train": ("cross", "named"),
    "xc-ski": ("cross", "named"),
    "walk": ("cross", "named"),
    "brick": ("cross", "named"),
    "day off": ("rest", "named"),
    "strength": (SKIP, "named"),
    "other": (SKIP, "generic"),  # a title that names a run wins over these two
    "custom": (SKIP, "generic"),
    "note": (SKIP, "named"),
}
_WORKOUT_TYPE = re.compile(r"^\s*workout\s*type\s*:\s*(?P<type>[^\n]+?)\s*$", re.I | re.M)

_REPEATS = re.compile(r"\d+\s*[x×]\s*\(?\d+(?:[.,]\d+)?\s*(?:km|k|mi|m)?\b", re.IGNORECASE)
_NUMBER = r"(?P<amount>\d+(?:[.,]\d+)?)"
# Durations written with `m` for minutes: `45m - 50m`, `50m - 1h0m`, `1h0m`, `1h`.
_HM = r"(?:\d+h\s*\d*m?|\d+m)"
_DURATION_RANGE = re.compile(rf"\b(?P<low>{_HM})\s*[-–]\s*(?P<high>{_HM})(?![a-z])", re.I)
_HOURS_MINUTES = re.compile(r"\b(?P<hours>\d+)h\s*(?P<minutes>\d+)\s*m(?:in)?\b", re.I)
_MINUTES = re.compile(
    rf"{_NUMBER}\s*(?P<unit>min|mins|minutes|minuten|h|hr|hrs|hours?|std)\b", re.IGNORECASE
)
_CLOCK = re.compile(r"\bplanned\s*time\s*:\s*(?P<hours>\d+):(?P<minutes>\d{2})\b", re.I)
_DISTANCE = re.compile(
    rf"{_NUMBER}\s*(?P<unit>kilomet(?:er|re)s?|km|k|miles?|mi|met(?:er|re)s?|m)(?![a-z]|/h)",
    re.IGNORECASE,
)
_LABELLED = re.compile(
    rf"\b(?:distance|total)\s*[:=]?\s*{_NUMBER}\s*(?P<unit>kilomet(?:er|re)s?|km|k|miles?|mi)\b",
    re.IGNORECASE,
)
_RUN_WORD_AFTER = re.compile(r"\s*(run|runs|pace|easy|tempo|long|jog)\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(?P<amount>\d+(?:[.,]\d+)?)\s*$")
_DECORATION = re.compile(r"[^\w\s.,:;()+\-–/×x%'&#]", re.UNICODE)  # emoji, bullets, symbols
_RACE_NAMES = (
    ("half marathon", "half"),
    ("half", "half"),
    ("marathon", "marathon"),
    ("ultra", "ultra"),
    ("10k", "10k"),
    ("5k", "5k"),
    ("olympi\\w*", "10k"),  # an olympic-distance triathlon ends with a 10 km run
    ("sprint triathlon", "5k"),
)


@dataclass(frozen=True)
class Distance:
    amount: float
    unit: str  # "km", "mi" or "m"

    @property
    def km(self) -> float:
        return {"km": self.amount, "mi": self.amount * KM_PER_MILE, "m": self.amount / 1000}[
            self.unit
        ]

    def in_unit(self, unit: str) -> float:
        return round(self.km / KM_PER_MILE if unit == "mi" else self.km, 2)


@dataclass(frozen=True)
class Kind:
    kind: str  # a run kind, or SKIP
    certainty: Certainty
    reason: str = ""  # how a guess was made


def plain(text: str) -> str:
    """The text without emoji, bullets and decorations, in lower case, spaces squeezed."""
    return " ".join(_DECORATION.sub(" ", text).lower().split())


def kind_from_words(text: str) -> Kind | None:
    """The kind that the first matching word rule gives, or None."""
    words = plain(text)
    for kind, certainty, pattern in _RULES:
        if match := pattern.search(words):
            return Kind(kind, certainty, f'"{match[0].strip()}"' if kind == SKIP else "")
    if _BARE_NUMBER.match(words):
        return Kind("easy", "generic")
    return None


def workout_type(description: str) -> Kind | None:
    """The kind a TrainingPeaks `Workout type: X` line gives."""
    match = _WORKOUT_TYPE.search(description)
    if match is None:
        return None
    return workout_type_kind(match["type"])


def workout_type_kind(name: str) -> Kind | None:
    found = WORKOUT_TYPES.get(name.strip().lower())
    return Kind(*found, f'workout type "{name.strip()}"') if found else None


def without_workout_type(description: str) -> str:
    return _WORKOUT_TYPE.sub(" ", description)


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def read_kind(title: str, description: str = "") -> Kind | None:
    """The kind of a workout: from the title's words, else the description's workout type,
    first line or words. None when nothing is recognisable."""
    found = kind_from_words(title)
    if found is not None:
        return found
    found = workout_type(description)
    if found is not None:
        return found
    rest = without_workout_type(description)
    found = kind_from_words(first_line(rest))
    if found is not None:
        return found
    found = kind_from_words(rest)
    if found is not None:
        return Kind(found.kind, "guessed", "from a word in the description")
    return None


# --- distances -----------------------------------------------------------------------------


def _unit_word(word: str) -> str:
    word = word.lower()
    if word in ("km", "k") or word.startswith("kilomet"):
        return "km"
    if word in ("mi", "mile", "miles"):
        return "mi"
    return "m"


def _without_durations(text: str) -> str:
    text = _DURATION_RANGE.sub(" ", text)
    return _HOURS_MINUTES.sub(" ", text)


def distances(text: str, unit: str) -> list[Distance]:
    """Every distance written in `text`, skipping repeat patterns (6x800m) and durations.

    A bare `m` after a number is read as the runner reads it: metres for a track distance
    (100 or more, as in 800m), miles for a run's length when the plan is in miles or a run
    word follows (`3 m run`), and otherwise minutes (`30m`), which is no distance.
    """
    cleaned = _without_durations(_REPEATS.sub(" ", text))
    found = []
    for match in _DISTANCE.finditer(cleaned):
        amount = float(match["amount"].replace(",", "."))
        word = match["unit"]
        if word.lower() != "m":
            found.append(Distance(amount, _unit_word(word)))
        elif amount >= 100:
            found.append(Distance(amount, "m"))
        elif unit == "mi" or _RUN_WORD_AFTER.match(cleaned, match.end()):
            found.append(Distance(amount, "mi"))
    return found


def total_distance(text: str, unit: str) -> Distance | None:
    """The session's total: the longest distance written (`1km Repeats • 6.5km` is 6.5 km)."""
    return max(distances(text, unit), key=lambda distance: distance.km, default=None)


def parse_distance(text: str, unit: str = "km") -> Distance | None:
    """The first distance written in `text`."""
    found = distances(text, unit)
    return found[0] if found else None


def labelled_distance(text: str) -> Distance | None:
    """A `distance: 12 km` or `total: 8 mi` figure in a description."""
    match = _LABELLED.search(text)
    if not match:
        return None
    return Distance(float(match["amount"].replace(",", ".")), _unit_word(match["unit"]))


def bare_number(text: str) -> float | None:
    """`6` (a run of that distance in the plan's unit), else None."""
    match = _BARE_NUMBER.match(plain(text))
    return float(match["amount"].replace(",", ".")) if match else None


def race_distance_from_name(title: str) -> Distance | None:
    text = plain(title)
    for words, key in _RACE_NAMES:
        if re.search(rf"\b{words}\b", text):
            return Distance(RACE_DISTANCES[key], "km")
    return None


# --- minutes -------------------------------------------------------------------------------


def _hm_minutes(text: str) -> int:
    """`45m` -> 45, `1h0m` -> 60, `1h` -> 60."""
    match = re.fullmatch(r"\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*", text, re.IGNORECASE)
    if not match:
        return 0
    return int(match[1] or 0) * 60 + int(match[2] or 0)


def parse_minutes(text: str) -> int | None:
    """Minutes written in `text`: `Planned Time: 1:00`, `45m - 50m` (the middle), `1h0m`,
    `60 min`, `1.5 h`."""
    if match := _CLOCK.search(text):
        return int(match["hours"]) * 60 + int(match["minutes"])
    if match := _DURATION_RANGE.search(text):
        low, high = _hm_minutes(match["low"]), _hm_minutes(match["high"])
        if low and high:
            return round((low + high) / 2)
    if match := _HOURS_MINUTES.search(text):
        return int(match["hours"]) * 60 + int(match["minutes"])
    if match := _MINUTES.search(text):
        amount = float(match["amount"].replace(",", "."))
        hours = match["unit"].lower().startswith(("h", "std"))
        return round(amount * 60 if hours else amount)
    return None


def estimated_distance(minutes: int, unit: str) -> float:
    """The distance of an easy run of `minutes` (EASY_PACE_MIN_PER_KM), in `unit`."""
    return Distance(minutes / EASY_PACE_MIN_PER_KM, "km").in_unit(unit)
