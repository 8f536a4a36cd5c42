"""The studio's central seat assignment: who gets which seat of a class date, when more
athletes want a class than it holds.

Each athlete asks for the class dates of their own best plan (`Wish`, worth what that
session brings them) and may be offered other class dates of the same weeks (`wanted`
False, worth less: the re-solve decides whether to use them). The assignment keeps every
class date within its capacity, an athlete to one class a day and to as many classes a week
as they asked for, and chooses, in this order:

1. the worst-off athlete's share of the value they asked for, as high as it can be (no
   athlete is left with nothing while another keeps everything);
2. the whole squad's value kept.

The model is small (one literal per wish) and solved to optimality in well under a second
for hundreds of athletes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

SHARE_SCALE = 1000  # the worst-off share is compared in thousandths
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

    @property
    def seat(self) -> tuple[dt.date, str]:
        return self.date, self.class_id


@dataclass(frozen=True)
class Assignment:
    granted: frozenset[Wish]
    worst_share: float  # the worst-off athlete's share of the value they asked for
    optimal: bool  # both stages proven


def assign_seats(
    wishes: Sequence[Wish],
    capacity: Mapping[tuple[dt.date, str], int],
    time_limit: float = SEATS_TIME_LIMIT,
) -> Assignment:
    """The seats granted (see the module's docstring)."""
    model = cp_model.CpModel()
    take = {wish: model.new_bool_var(f"take[{wish.athlete},{wish.date},{wish.class_id}]")
            for wish in wishes}  # fmt: skip
    by_seat: dict[tuple[dt.date, str], list[cp_model.IntVar]] = defaultdict(list)
    by_day: dict[tuple[str, dt.date], list[cp_model.IntVar]] = defaultdict(list)
    by_week: dict[tuple[str, int], list[Wish]] = defaultdict(list)
    for wish, var in take.items():
        by_seat[wish.seat].append(var)
        by_day[wish.athlete, wish.date].append(var)
        by_week[wish.athlete, wish.week].append(wish)
    for seat, takers in by_seat.items():
        model.add(sum(takers) <= capacity[seat])
    for takers in by_day.values():
        model.add_at_most_one(takers)
    for week_wishes in by_week.values():
        asked = sum(wish.wanted for wish in week_wishes)
        model.add(sum(take[wish] for wish in week_wishes) <= asked)

    asked_value: dict[str, int] = defaultdict(int)
    kept: dict[str, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for wish, var in take.items():
        if wish.wanted:
            asked_value[wish.athlete] += wish.value
            kept[wish.athlete].append((var, wish.value))
    worst = model.new_int_var(0, SHARE_SCALE, "worst_share")
    for athlete, total in asked_value.items():
        if total > 0:
            terms = kept[athlete]
            model.add(
                SHARE_SCALE * cp_model.LinearExpr.weighted_sum(
                    [v for v, _ in terms], [c for _, c in terms]
                ) >= total * worst
            )  # fmt: skip
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit / 2
    solver.parameters.num_workers = 1
    model.maximize(worst)
    first = solver.solve(model)
    if first not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Assignment(frozenset(), 0.0, False)
    model.add(worst >= round(solver.value(worst)))
    model.clear_hints()
    for var in take.values():
        model.add_hint(var, solver.value(var))
    model.maximize(cp_model.LinearExpr.weighted_sum(list(take.values()), [w.value for w in take]))
    second = solver.solve(model)
    granted = frozenset(wish for wish, var in take.items() if solver.value(var))
    return Assignment(
        granted,
        solver.value(worst) / SHARE_SCALE,
        first == cp_model.OPTIMAL and second == cp_model.OPTIMAL,
    )
