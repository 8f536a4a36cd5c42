"""What every export shares: options, and plain-text wording of runs, sessions and items,
paired sets (R17) included."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from planner.domain.catalog import BenefitModel, Prescription
from planner.domain.plan import DayPlan, Item, Plan, Run, Session, WeekPlan, target_load_of
from planner.errors import OutputError
from planner.io.catalog_file import default_benefit_model
from planner.vocabulary import TARGETS

DEFAULT_SESSION_HOUR = 18
DEFAULT_COMING_WEEKS = 4  # the FIT workouts' weeks when --weeks is not given
PAPERS = (None, "a4", "letter")


@dataclass(frozen=True)
class ExportOptions:
    """Choices an export needs that the plan file does not hold."""

    session_hour: int = DEFAULT_SESSION_HOUR  # ICS: local start hour of every session
    run_unit: str | None = None  # "km" or "mi"; the plan's `run_unit` field when None
    stamp: dt.datetime | None = None  # ICS DTSTAMP, FIT time created; the current time when None
    # The coming weeks: the training card (HTML print, PDF) and the FIT workouts from the week
    # holding `today` (the current date when None); the training log template from `today`
    # (the replan date of a replanned plan, else the block start, when None). `weeks`: how
    # many (None: every week of the card, DEFAULT_COMING_WEEKS workouts and log weeks).
    weeks: int | None = None
    today: dt.date | None = None
    paper: str | None = None  # the card's paper, "a4" or "letter"; None lets the printer say

    def __post_init__(self) -> None:
        if not 0 <= self.session_hour <= 23:
            raise ValueError(f"session hour {self.session_hour}: expected 0 to 23")
        if self.weeks is not None and self.weeks < 1:
            raise ValueError(f"weeks {self.weeks}: expected 1 or more")
        if self.paper not in PAPERS:
            raise ValueError(f'paper "{self.paper}": expected one of {", ".join(PAPERS[1:])}')


def run_unit(plan: Plan, options: ExportOptions) -> str:
    """The unit of run distances ("km", "mi"), or "" when nobody said."""
    extra = plan.model_extra or {}
    return options.run_unit or str(extra.get("run_unit") or extra.get("running_unit") or "")


def proof_note(plan: Plan) -> str:
    """What the plan's status proves, in words, for every format. A replanned plan's status
    is about the replan's own objective (FORMATS.md): the fewest changes among plans whose
    planned days stand within the tolerance of their best ratio."""
    objective = plan.objective
    bound, gap = objective.benefit_per_minute_bound, objective.gap()
    source = plan.replanned_from()
    if source is not None:
        extra = source.model_extra or {}
        planned, best = extra.get("planned_benefit_per_minute"), extra.get("planned_bound")
        tolerance = extra.get("tolerance", 0.0)
        days = f"planned days {planned:.4f} per min" if planned is not None else "planned days"
        if best:
            days += f", {100 * (1 - planned / best):.1f} % below their proven best {best:.4f}"
        proof = "the fewest changes proven" if plan.status == "optimal" else "not proven"
        return f"{days} (tolerance {100 * tolerance:g} %); {proof}"
    if plan.status == "optimal" and gap:
        return f"proven best {bound:.4f}; the coach's preferences cost {100 * gap:.1f} % (R18)"
    if plan.status == "optimal":
        return "proven optimal"
    if bound:
        return f"proven bound {bound:.4f}, gap {100 * gap:.1f} %"
    return plan.status


def athlete_name(plan: Plan) -> str:
    return str((plan.model_extra or {}).get("athlete") or "")


def run_label(run: Run, unit: str = "") -> str:
    """`long 16 mi`, `easy 5 km`, `cross 60 min`, `rest`."""
    if run.kind == "rest":
        return "rest"
    if run.kind == "cross":
        return f"cross {run.minutes} min" if run.minutes else "cross"
    suffix = f" {unit}" if unit else ""
    return f"{run.kind} {run.distance:g}{suffix}" if run.distance else run.kind


def session_kind(session: Session) -> str:
    return "hard" if session.hard else "light"


def session_title(session: Session) -> str:
    """`Strength & mobility: hard session, 42 min`."""
    after = ", after the run" if session.after_run else ""
    return f"Strength & mobility: {session_kind(session)} session{after}, {session.minutes} min"


def prescription(item: Item) -> str:
    """`3 × 8/side, rest 90 s, 6 min`: an item done alone."""
    rest = f", rest {item.rest_s} s" if item.rest_s else ""
    return f"{item.sets} × {item.reps}{rest}, {item.minutes} min"


def target_load_text(item: Item) -> str:
    """`2 x 14 kg`: the item's next session load from the training log, or ""."""
    target = target_load_of(item)
    return str(target.get("text") or "") if target else ""


def target_load_why(item: Item) -> str:
    """Why that load: `last time 3 x 6 at 40 kg, RPE 6.5: up one step (target RPE 8)`."""
    target = target_load_of(item)
    return str(target.get("why") or "") if target else ""


def target_load_line(item: Item) -> str:
    """`2 x 14 kg (last time ...: up one step (target RPE 8))`, or "" without one."""
    text, why = target_load_text(item), target_load_why(item)
    return f"{text} ({why})" if text and why else text


# --- paired sets (R17) ---------------------------------------------------------------------


def pairs_of(session: Session) -> dict[str, tuple[Item, Item]]:
    """The session's pairs by label, each as (first, second) in the order they are done.
    A label that does not mark exactly two items is no pair (the checker reports it); its
    items read as unpaired."""
    by_label: dict[str, list[Item]] = defaultdict(list)
    for item in session.items:
        if item.pair:
            by_label[item.pair].append(item)
    return {label: (items[0], items[1]) for label, items in by_label.items() if len(items) == 2}


def work_seconds(item: Item, model: BenefitModel | None = None) -> int:
    """The work of one set in seconds, as the planner times it: the seconds of a timed set
    (`30s`), else the reps times the category's seconds per rep; twice that per side."""
    model = model or default_benefit_model()
    reps = Prescription(sets=(1, 1), reps=item.reps, rest_s=0)  # parses N, N/side, Ns, Ns/side
    work = reps.count if reps.is_timed else reps.count * model.seconds_per_rep[item.category]
    return 2 * work if reps.per_side else work


def _round_seconds(first: Item, second: Item, model: BenefitModel) -> int:
    """R17: one round of a pair takes the longest of either item's set time alone (work, rest
    and a transition) and both items' work with a transition after each."""
    work_first, work_second = work_seconds(first, model), work_seconds(second, model)
    transition = model.transition_s
    return max(
        work_first + first.rest_s + transition,
        work_second + second.rest_s + transition,
        work_first + work_second + 2 * transition,
    )


def pair_rounds(first: Item, second: Item) -> int:
    """Rounds of a pair: its sets (R17 gives both items the same number)."""
    return max(first.sets, second.sets)


def pair_minutes_of(session: Session, label: str, model: BenefitModel | None = None) -> int:
    """Whole minutes the pair `label` of `session` takes (R17's formula, rounded up as an
    item's minutes are): what it adds to the session's minutes."""
    model = model or default_benefit_model()
    first, second = pairs_of(session)[label]
    return math.ceil(pair_rounds(first, second) * _round_seconds(first, second, model) / 60)


def pair_rest_s(session: Session, label: str, model: BenefitModel | None = None) -> int:
    """The rest after the second item of a pair, before the next round. The second item
    follows the first straight away (a transition), so the round's remaining time is the rest:
    enough that each item keeps at least its own rest between its own sets."""
    model = model or default_benefit_model()
    first, second = pairs_of(session)[label]
    busy = work_seconds(first, model) + work_seconds(second, model) + 2 * model.transition_s
    return _round_seconds(first, second, model) - busy


def pair_instruction(session: Session, label: str, model: BenefitModel | None = None) -> str:
    """How to do a pair, in one line every export uses:
    `A1/A2: alternate one set of each for 3 rounds, A2 straight after A1, rest 110 s after A2;
    together 14 min`."""
    first, second = pairs_of(session)[label]
    one, two = f"{label}1", f"{label}2"
    rounds = pair_rounds(first, second)
    rest = pair_rest_s(session, label, model)
    after = f"rest {rest} s after {two}" if rest else f"no rest after {two}"
    return (
        f"{one}/{two}: alternate one set of each for {rounds} round{'s' if rounds != 1 else ''}, "
        f"{two} straight after {one}, {after}; "
        f"together {pair_minutes_of(session, label, model)} min"
    )


@dataclass(frozen=True)
class ItemLine:
    """One item as a session sheet shows it.

    - `label`: `1`, `2`, ... for items done alone (numbered among themselves), `A1`, `A2`, ...
      for the two items of pair `A`;
    - `rest_s`: the rest after one set of it: its own when alone, none after a pair's first
      item (its partner follows), the rest before the next round after the second;
    - `minutes`: what it adds to the session: its own minutes alone, the whole pair's on the
      first item of a pair, None on the second;
    - `pair_note`: the pair's instruction (`pair_instruction`) on its first item, else "".
    """

    label: str
    item: Item
    rest_s: int
    minutes: int | None
    pair: str | None = None
    first_of_pair: bool = False
    pair_note: str = ""


def item_lines(session: Session, model: BenefitModel | None = None) -> list[ItemLine]:
    """The session's items in order, numbered and timed the way a gym sheet writes them."""
    model = model or default_benefit_model()
    pairs = pairs_of(session)
    lines = []
    number = 0
    for item in session.items:
        label = item.pair if item.pair in pairs else None
        if label is None:
            number += 1
            lines.append(ItemLine(str(number), item, rest_s=item.rest_s, minutes=item.minutes))
        elif item is pairs[label][0]:
            lines.append(
                ItemLine(
                    f"{label}1",
                    item,
                    rest_s=0,
                    minutes=pair_minutes_of(session, label, model),
                    pair=label,
                    first_of_pair=True,
                    pair_note=pair_instruction(session, label, model),
                )
            )
        else:
            rest_s = pair_rest_s(session, label, model)
            lines.append(ItemLine(f"{label}2", item, rest_s=rest_s, minutes=None, pair=label))
    return lines


def line_prescription(line: ItemLine) -> str:
    """`3 × 8/side, rest 90 s, 6 min` alone; `3 × 5, straight into A2` for a pair's first
    item; `3 × 30s, rest 110 s` for its second (the pair's minutes are in its instruction)."""
    item = line.item
    if line.pair is None:
        return prescription(item)
    if line.first_of_pair:
        return f"{item.sets} × {item.reps}, straight into {line.pair}2"
    rest = f", rest {line.rest_s} s" if line.rest_s else ", no rest"
    return f"{item.sets} × {item.reps}{rest}"


def session_text(day: DayPlan, session: Session, unit: str = "") -> str:
    """The whole session as plain text lines: what a calendar description shows."""
    lines = [
        f"{session_title(session)} · week {day.week}, {day.phase}",
        f"Run today: {run_label(day.run, unit)}",
        "",
    ]
    for line in item_lines(session):
        item = line.item
        if line.pair_note:
            lines.append(line.pair_note)
        lines.append(f"{line.label}. {item.name} ({item.category}): {line_prescription(line)}")
        lines.append(f"   Load: {item.load}")
        if target := target_load_line(item):
            lines.append(f"   Next load: {target}")
        if item.cue:
            lines.append(f"   Cue: {item.cue}")
    return "\n".join(lines)


def week_of_day(plan: Plan) -> dict[int, list[DayPlan]]:
    days: dict[int, list[DayPlan]] = defaultdict(list)
    for day in plan.days:
        days[day.week].append(day)
    return dict(days)


def dose_by_week(plan: Plan) -> dict[str, dict[int, float]]:
    """Training target -> week -> dose (sets weighted by contribution), targets in the
    FORMATS.md order, only targets that get any dose."""
    dose: dict[str, dict[int, float]] = {target: {} for target in TARGETS}
    for day, session in plan.sessions():
        for item in session.items:
            for target, amount in item.targets.items():
                per_week = dose.setdefault(target, {})
                per_week[day.week] = per_week.get(day.week, 0.0) + amount
    return {target: weeks for target, weeks in dose.items() if any(weeks.values())}


def week_label(week: WeekPlan) -> str:
    """`base`, `base · deload`, `build · cut-back run week`."""
    label = week.phase
    if week.deload:
        label += " · deload"
    return label


def total_run_distance(plan: Plan) -> float:
    return round(sum(week.run_distance for week in plan.weeks), 1)


# --- what the athlete takes to the gym: the coming weeks and each item's target load ---------


def coming_weeks(plan: Plan, count: int | None, today: dt.date | None = None) -> list[WeekPlan]:
    """The `count` weeks from the one holding `today` (from the first week while the block
    has not begun); every week when `count` is None. Raises OutputError once the block is
    over: a card or a watch workout of the past helps no one."""
    if count is None:
        return list(plan.weeks)
    today = today or dt.date.today()
    last_day = plan.days[-1].date if plan.days else None
    if last_day is None or today > last_day:
        ended = f"ended on {last_day:%a %d %b %Y}" if last_day else "has no days"
        raise OutputError(
            f"the plan {ended}, before today ({today:%d %b %Y}): there are no weeks to come"
        )
    ends = {week.index: week.start + dt.timedelta(days=6) for week in plan.weeks}
    current = [week for week in plan.weeks if ends[week.index] >= today]
    return current[:count]


def what_to_lift(item: Item) -> str:
    """What to lift: the target load's text when the plan gives one, else the load guidance."""
    return target_load_text(item) or item.load


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def target_load_kg(item: Item) -> float | None:
    """The target load in kilograms in each implement (one dumbbell of a pair), when the plan
    gives a number."""
    return _number((target_load_of(item) or {}).get("kg"))


def target_load_count(item: Item) -> int | None:
    """How many implements the target load is (2: a dumbbell in each hand), when the plan
    gives kilograms; 1 when it gives kilograms and no count."""
    if target_load_kg(item) is None:
        return None
    count = _number((target_load_of(item) or {}).get("count"))
    return int(count) if count is not None and count >= 1 else 1
