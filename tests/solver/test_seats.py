"""The studio's seat assignment: capacity, one class a day, no more seats a week than asked,
the worst-off athlete first, and offers that fill a lost seat."""

from __future__ import annotations

import datetime as dt

from planner.solver.seats import Wish, assign_seats

MON, WED, FRI = dt.date(2027, 1, 4), dt.date(2027, 1, 6), dt.date(2027, 1, 8)


def wish(athlete: str, date: dt.date, value: int = 10, wanted: bool = True) -> Wish:
    return Wish(athlete, date, "class", 1, value, wanted)


def test_the_athlete_with_no_other_seat_gets_the_contested_one() -> None:
    # Ana asks for Monday and Wednesday, Ben for Monday only; Monday holds one. Giving
    # Monday to Ana keeps the most value too (she is worth more), but leaves Ben nothing.
    wishes = [wish("ana", MON, 30), wish("ana", WED, 10), wish("ben", MON, 10)]
    capacity = {(MON, "class"): 1, (WED, "class"): 5}
    assignment = assign_seats(wishes, capacity)
    assert wish("ben", MON, 10) in assignment.granted
    assert wish("ana", MON, 30) not in assignment.granted
    assert wish("ana", WED, 10) in assignment.granted
    assert assignment.worst_share == 0.25  # Ana keeps 10 of the 40 she asked for
    assert assignment.optimal


def test_capacity_one_class_a_day_and_the_seats_asked_for_a_week() -> None:
    wishes = [wish(name, MON) for name in "abcdef"]
    wishes += [wish("a", MON, 1, wanted=False), wish("a", WED, 1, wanted=False)]
    wishes += [wish("a", FRI, 1, wanted=False)]
    capacity = {(MON, "class"): 3, (WED, "class"): 3, (FRI, "class"): 3}
    granted = assign_seats(wishes, capacity).granted
    assert sum(1 for w in granted if w.date == MON) == 3
    assert sum(1 for w in granted if w.athlete == "a") <= 1  # "a" asked for one seat a week


def test_a_lost_seat_is_offered_another_date_of_the_week() -> None:
    wishes = [wish("ana", MON, 20), wish("ben", MON, 10), wish("ben", FRI, 1, wanted=False)]
    capacity = {(MON, "class"): 1, (FRI, "class"): 1}
    granted = assign_seats(wishes, capacity).granted
    # Either way someone keeps nothing they asked for; then the value decides: Ana's Monday
    # (20) and Ben's offered Friday (1) beat Ben's Monday (10).
    assert granted == {wish("ana", MON, 20), wish("ben", FRI, 1, wanted=False)}
