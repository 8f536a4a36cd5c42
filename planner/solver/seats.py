"""The studio's central seat assignment: who gets which seat of a class date, when more
athletes want a class than it holds.

Each athlete asks for the class dates of their own best plan (`Wish`, worth what that
session brings them) and may be offered other class dates of the same weeks (`wanted`
False: the re-solve decides whether to use them). An offer can stand in for a lost seat of
its week, and for a lost hard session's seat where a hard session may fall on its date. An
athlete who asks for a contested seat may also have an `Alternative`: their plan solved
without the contested class dates, with the floor it keeps (a real alternative, not an
estimate); taking it grants exactly its seats. The assignment keeps every class date within
its capacity, an athlete to one class a day and to as many classes a week as they asked for.

A hard session's seat lost with no offer to stand in costs its athlete a week of R13's
floor; an alternative costs its missed-floor findings beyond their best plan's. The
assignment chooses, in this order:

1. nobody beyond their share of the losses: the worst-off athlete's lost hard sessions
   beyond one per MESOCYCLE_WEEKS weeks they asked seats in (a missed class a mesocycle
   leaves its progression, R14, intact; more than that is what a coach would not sign);
2. the fewest athletes left short of their floor (the losses that cannot be avoided fall
   on as few athletes as can carry them, within their share);
3. the squad's uncovered sessions (a week's seats asked for and neither kept nor stood in
   for, a hard session's weighing HARD_WEIGHT);
4. the benefit per minute the athletes who lose a seat lose (each one's alternative tells
   what the contested seats are worth to them per minute);
5. the fewest athletes who lose a seat they asked for (each is solved again);
6. the worth of the seats kept as asked, then the offers and alternatives taken.

The model is small (one literal per wish and per alternative). It starts from the seats
asked for while the classes have room, so it always has an assignment; each stage gets its
part of `time_limit` (20 s in all), which proves the first stages of a studio of 22 athletes
but not always the later ones (nor those of 200: `Assignment.optimal` says). `worst_share`
reports the worst-off athlete's share of the worth they asked for that they kept.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

HARD_WEIGHT = 10  # an uncovered hard session's seat against any other uncovered seat
MESOCYCLE_WEEKS = 4  # an athlete's fair share of lost hard sessions: one per this many weeks
LinearExpr = cp_model.LinearExpr
SEATS_TIME_LIMIT = 20.0


@dataclass(frozen=True)
class Wish:
    """Athlete `athlete` would take a seat of class `class_id` on `date`."""

    athlete: str
    date: dt.date
    class_id: str
    week: int  # the athlete's own block week: at most their asked-for classes per week
    value: int  # what the seat is worth to them (higher first), as the assignment weighs it
    wanted: bool = True  # in their best plan (False: an offer their re-solve may use)
    points: float = 0.0  # what the seat's session brings them, in benefit points (shown)
    hard: bool = False  # asked: holds a hard session; offered: a hard session may fall then

    @property
    def seat(self) -> tuple[dt.date, str]:
        return self.date, self.class_id


@dataclass(frozen=True)
class Alternative:
    """A plan the athlete already has besides their best one (their plan without the
    contested class dates), as the seats it books: taking it grants exactly those."""

    athlete: str
    seats: frozenset[tuple[dt.date, str]]
    floor: int  # its missed-floor findings beyond their best plan's (0: it holds the floor)
    value: int  # its seats' worth, as the wishes' values weigh them
    # Its benefit per minute below their best plan's, in thousandths (0: as good or better):
    # what losing the contested seats costs them per minute, whether they take it or not.
    ratio_loss: int = 0


@dataclass(frozen=True)
class Assignment:
    granted: frozenset[Wish]  # of an athlete who takes their alternative: its seats asked for
    worst_share: float  # the worst-off athlete's share of the value they asked for
    optimal: bool  # every stage proven
    switched: frozenset[str] = frozenset()  # the athletes granted their alternative


def assign_seats(
    wishes: Sequence[Wish],
    capacity: Mapping[tuple[dt.date, str], int],
    alternatives: Sequence[Alternative] = (),
    time_limit: float = SEATS_TIME_LIMIT,
) -> Assignment:
    """The seats granted (see the module's docstring)."""
    model = cp_model.CpModel()
    take = {wish: model.new_bool_var(f"take[{wish.athlete},{wish.date},{wish.class_id}]")
            for wish in wishes}  # fmt: skip
    switch = {alt.athlete: model.new_bool_var(f"switch[{alt.athlete}]") for alt in alternatives}
    by_seat: dict[tuple[dt.date, str], list[cp_model.IntVar]] = defaultdict(list)
    by_day: dict[tuple[str, dt.date], list[cp_model.IntVar]] = defaultdict(list)
    by_week: dict[tuple[str, int], list[Wish]] = defaultdict(list)
    for wish, var in take.items():
        by_seat[wish.seat].append(var)
        by_day[wish.athlete, wish.date].append(var)
        by_week[wish.athlete, wish.week].append(wish)
        if wish.athlete in switch:  # their alternative's seats, or their wishes
            model.add_implication(switch[wish.athlete], ~var)
    for alt in alternatives:
        for seat in alt.seats:
            by_seat[seat].append(switch[alt.athlete])
    for seat, takers in by_seat.items():
        model.add(sum(takers) <= capacity[seat])
    for takers in by_day.values():
        model.add_at_most_one(takers)
    uncovered: dict[str, list[LinearExpr]] = defaultdict(list)
    lost_hard: dict[str, list[LinearExpr]] = defaultdict(list)  # ~ weeks short of the floor
    short: dict[str, cp_model.IntVar] = {}  # the athlete loses a hard session's seat
    for (athlete, _), week_wishes in by_week.items():
        asked = [wish for wish in week_wishes if wish.wanted]
        taken = LinearExpr.sum([take[wish] for wish in week_wishes])
        model.add(taken <= len(asked))
        if not asked:
            continue
        # On their alternative, nothing of their best plan counts as missing.
        on_wishes = [~switch[athlete]] if athlete in switch else []
        missing = model.new_int_var(0, len(asked), f"missing[{athlete}]")
        model.add(missing >= len(asked) - taken).only_enforce_if(on_wishes)
        uncovered[athlete].append(missing)
        hard_asked = sum(wish.hard for wish in asked)
        if hard_asked:
            stand_ins = LinearExpr.sum([take[wish] for wish in week_wishes if wish.hard])
            hard_missing = model.new_int_var(0, hard_asked, f"hard_missing[{athlete}]")
            model.add(hard_missing >= hard_asked - stand_ins).only_enforce_if(on_wishes)
            uncovered[athlete].append(HARD_WEIGHT * hard_missing)
            lost_hard[athlete].append(hard_missing)
            if athlete not in short:
                short[athlete] = model.new_bool_var(f"short[{athlete}]")
            model.add(hard_missing <= hard_asked * short[athlete])
    for alt in alternatives:
        if alt.floor:
            uncovered[alt.athlete].append(HARD_WEIGHT * alt.floor * switch[alt.athlete])
            lost_hard[alt.athlete].append(alt.floor * switch[alt.athlete])
            if alt.athlete not in short:
                short[alt.athlete] = model.new_bool_var(f"short[{alt.athlete}]")
            model.add_implication(switch[alt.athlete], short[alt.athlete])
    shares = share_of_losses(wishes)
    worst = model.new_int_var(0, 8 * len(wishes), "worst_excess")
    for athlete, terms in lost_hard.items():
        model.add(worst >= LinearExpr.sum(terms) - shares.get(athlete, 1))
    moved: dict[str, cp_model.IntVar] = {}  # the athlete loses a seat they asked for
    for wish, var in take.items():
        if wish.wanted:
            if wish.athlete not in moved:
                moved[wish.athlete] = model.new_bool_var(f"moved[{wish.athlete}]")
            model.add(moved[wish.athlete] >= 1 - var)
    per_minute = LinearExpr.weighted_sum(
        [moved[a.athlete] for a in alternatives if a.athlete in moved],
        [a.ratio_loss for a in alternatives if a.athlete in moved],
    )
    kept = LinearExpr.weighted_sum(list(take.values()), [w.value for w in take])
    kept += LinearExpr.weighted_sum([switch[a.athlete] for a in alternatives],
                                    [a.value for a in alternatives])  # fmt: skip
    stages = [
        (worst, False),
        (LinearExpr.sum(list(short.values())), False),
        (LinearExpr.sum([LinearExpr.sum(terms) for terms in uncovered.values()]), False),
        (per_minute, False),
        (LinearExpr.sum(list(moved.values())), False),
        (kept, True),
    ]
    start = _first_come_hint(wishes, capacity)  # feasible: each stage starts from a plan
    hinted = [*take.values(), *switch.values()]
    values, optimal = _solve_in_turn(
        model, stages, hinted, [int(take[wish] in start) for wish in take] + [0] * len(switch),
        time_limit / len(stages),
    )  # fmt: skip
    chosen = dict(zip(hinted, values, strict=True))
    switched = frozenset(athlete for athlete, var in switch.items() if chosen[var])
    seats_of = {alt.athlete: alt.seats for alt in alternatives if alt.athlete in switched}
    granted = frozenset(
        wish for wish, var in take.items()
        if chosen[var] or (wish.wanted and wish.seat in seats_of.get(wish.athlete, ()))
    )  # fmt: skip
    return Assignment(granted, worst_share(wishes, granted), optimal, switched)


def _first_come_hint(
    wishes: Sequence[Wish], capacity: Mapping[tuple[dt.date, str], int]
) -> set[Wish]:
    """The seats asked for, in order while the class has room: an assignment that keeps
    every constraint, to start from."""
    room = dict(capacity)
    taken = set()
    for wish in wishes:
        if wish.wanted and room[wish.seat] > 0:
            room[wish.seat] -= 1
            taken.add(wish)
    return taken


def _solve_in_turn(
    model: cp_model.CpModel,
    stages: list[tuple[LinearExpr, bool]],
    hinted: list[cp_model.IntVar],
    start: list[int],
    stage_time: float,
) -> tuple[list[int], bool]:
    """Optimise each (objective, maximise) stage in turn from the feasible `start` values of
    `hinted`, each stage kept at its best in the next and its solution hinted; the values
    of the last stage that found one (the start if none did), and whether every stage was
    proven."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = stage_time
    solver.parameters.num_workers = 1
    values, proven = start, True
    for objective, maximise in stages:
        model.clear_hints()
        for var, value in zip(hinted, values, strict=True):
            model.add_hint(var, value)
        model.maximize(objective) if maximise else model.minimize(objective)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return values, False  # out of time before a first solution: keep the last
        proven = proven and status == cp_model.OPTIMAL
        found = round(solver.objective_value)
        model.add(objective >= found if maximise else objective <= found)
        values = [solver.value(var) for var in hinted]
    return values, proven


def share_of_losses(asked: Sequence[Wish]) -> dict[str, int]:
    """Each athlete's share of the lost hard sessions (stage 1): one per MESOCYCLE_WEEKS
    weeks they ask seats in, at least one."""
    weeks: dict[str, set[int]] = defaultdict(set)
    for wish in asked:
        if wish.wanted:
            weeks[wish.athlete].add(wish.week)
    return {athlete: max(1, math.ceil(len(w) / MESOCYCLE_WEEKS)) for athlete, w in weeks.items()}


def hard_lost(asked: Sequence[Wish], granted: frozenset[Wish] | set[Wish]) -> dict[str, int]:
    """Each athlete's hard sessions' seats neither kept nor stood in for by a hard-capable
    offer of their week (stages 1 and 2; an athlete with one is short of the floor)."""
    weeks: dict[tuple[str, int], list[Wish]] = defaultdict(list)
    for wish in asked:
        weeks[wish.athlete, wish.week].append(wish)
    lost: dict[str, int] = defaultdict(int)
    for (athlete, _), week_wishes in weeks.items():
        hard_asked = sum(w.hard for w in week_wishes if w.wanted)
        lost[athlete] += max(0, hard_asked - sum(w.hard for w in week_wishes if w in granted))
    return dict(lost)


def worst_share(asked: Sequence[Wish], granted: frozenset[Wish] | set[Wish]) -> float:
    """The worst-off athlete's share of the worth they asked for that they kept."""
    wanted: dict[str, int] = defaultdict(int)
    kept: dict[str, int] = defaultdict(int)
    for wish in asked:
        if wish.wanted:
            wanted[wish.athlete] += wish.value
            kept[wish.athlete] += wish.value if wish in granted else 0
    return min((kept[a] / wanted[a] for a in wanted if wanted[a]), default=1.0)


def uncovered(
    asked: Sequence[Wish],
    granted: frozenset[Wish] | set[Wish],
    switched: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Each athlete's uncovered sessions as the assignment counts them (stage 3): per week,
    the seats asked for and not taken, plus HARD_WEIGHT for each hard session's seat neither
    kept nor stood in for by a hard-capable offer; for an athlete on their alternative
    (`switched`: its missed-floor findings beyond their best plan's), HARD_WEIGHT for each."""
    switched = switched or {}
    weeks: dict[tuple[str, int], list[Wish]] = defaultdict(list)
    for wish in asked:
        weeks[wish.athlete, wish.week].append(wish)
    counts: dict[str, int] = defaultdict(int)
    for (athlete, _), week_wishes in weeks.items():
        if athlete in switched:
            continue
        wanted = [wish for wish in week_wishes if wish.wanted]
        taken = [wish for wish in week_wishes if wish in granted]
        hard_missing = sum(w.hard for w in wanted) - sum(w.hard for w in taken)
        counts[athlete] += len(wanted) - len(taken) + HARD_WEIGHT * max(0, hard_missing)
    for athlete, floor in switched.items():
        counts[athlete] = HARD_WEIGHT * floor
    return dict(counts)
