"""The studio's central seat assignment: who gets which seat of a class date, when more
athletes want a class than it holds.

Each athlete asks for the class dates of their own best plan (`Wish`, worth what that
session brings them) and may be offered other class dates of the same weeks (`wanted`
False: the re-solve decides whether to use them). An offer can stand in for a lost seat of
its week, and for a lost hard session's seat where a hard session may fall on its date. The
assignment keeps every class date within its capacity, an athlete to one class a day and to
as many classes a week as they asked for, and chooses, in this order:

1. the worst-off athlete's uncovered sessions as few as can be: a week's seats asked for and
   neither kept nor stood in for by an offer, a hard session's weighing HARD_WEIGHT (the
   floor, R13, is what a lost seat costs first);
2. the fewest athletes who lose a seat they asked for (each is solved again, and a plan
   solved again may fall short where it held);
3. the uncovered sessions of the whole squad;
4. the worth of the seats kept as asked, then the offers taken.

The model is small (one literal per wish) and solved to optimality in well under a second
for hundreds of athletes. `worst_share` reports the worst-off athlete's share of the worth
they asked for that they kept.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

HARD_WEIGHT = 10  # an uncovered hard session's seat against any other uncovered seat
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
    uncovered: dict[str, list[LinearExpr]] = defaultdict(list)
    for (athlete, _), week_wishes in by_week.items():
        asked = [wish for wish in week_wishes if wish.wanted]
        taken = LinearExpr.sum([take[wish] for wish in week_wishes])
        model.add(taken <= len(asked))
        if not asked:
            continue
        hard_asked = sum(wish.hard for wish in asked)
        missing = len(asked) - taken
        uncovered[athlete].append(missing)
        if hard_asked:
            stand_ins = LinearExpr.sum([take[wish] for wish in week_wishes if wish.hard])
            hard_missing = model.new_int_var(0, hard_asked, f"hard_missing[{athlete}]")
            model.add(hard_missing >= hard_asked - stand_ins)
            uncovered[athlete].append(HARD_WEIGHT * hard_missing)
    per_athlete = [LinearExpr.sum(terms) for terms in uncovered.values()]
    worst = model.new_int_var(0, HARD_WEIGHT * 8 * len(wishes), "worst_uncovered")
    for expr in per_athlete:
        model.add(worst >= expr)
    moved: dict[str, cp_model.IntVar] = {}  # the athlete loses a seat they asked for
    for wish, var in take.items():
        if wish.wanted:
            if wish.athlete not in moved:
                moved[wish.athlete] = model.new_bool_var(f"moved[{wish.athlete}]")
            model.add(moved[wish.athlete] >= 1 - var)
    kept = LinearExpr.weighted_sum(list(take.values()), [w.value for w in take])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit / 4
    solver.parameters.num_workers = 1
    statuses = []
    stages = [
        (worst, False),
        (LinearExpr.sum(list(moved.values())), False),
        (LinearExpr.sum(per_athlete), False),
        (kept, True),
    ]
    for objective, maximise in stages:
        model.maximize(objective) if maximise else model.minimize(objective)
        status = solver.solve(model)
        statuses.append(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Assignment(frozenset(), 0.0, False)
        found = round(solver.objective_value)
        model.add(objective >= found if maximise else objective <= found)
        model.clear_hints()
        for var in take.values():
            model.add_hint(var, solver.value(var))
    granted = frozenset(wish for wish, var in take.items() if solver.value(var))
    optimal = all(status == cp_model.OPTIMAL for status in statuses)
    return Assignment(granted, worst_share(wishes, granted), optimal)


def worst_share(asked: Sequence[Wish], granted: frozenset[Wish] | set[Wish]) -> float:
    """The worst-off athlete's share of the worth they asked for that they kept."""
    wanted: dict[str, int] = defaultdict(int)
    kept: dict[str, int] = defaultdict(int)
    for wish in asked:
        if wish.wanted:
            wanted[wish.athlete] += wish.value
            kept[wish.athlete] += wish.value if wish in granted else 0
    return min((kept[a] / wanted[a] for a in wanted if wanted[a]), default=1.0)


def uncovered(asked: Sequence[Wish], granted: frozenset[Wish] | set[Wish]) -> dict[str, int]:
    """Each athlete's uncovered sessions as the assignment counts them (stage 1 and 2): per
    week, the seats asked for and not taken, plus HARD_WEIGHT for each hard session's seat
    neither kept nor stood in for by a hard-capable offer."""
    weeks: dict[tuple[str, int], list[Wish]] = defaultdict(list)
    for wish in asked:
        weeks[wish.athlete, wish.week].append(wish)
    counts: dict[str, int] = defaultdict(int)
    for (athlete, _), week_wishes in weeks.items():
        wanted = [wish for wish in week_wishes if wish.wanted]
        taken = [wish for wish in week_wishes if wish in granted]
        hard_missing = sum(w.hard for w in wanted) - sum(w.hard for w in taken)
        counts[athlete] += len(wanted) - len(taken) + HARD_WEIGHT * max(0, hard_missing)
    return dict(counts)
