"""The studio's seat assignment: capacity, one class a day, no more seats a week than asked,
and what a lost seat costs: a hard session's most, the worst-off athlete first, an offer of
another date standing in."""

from __future__ import annotations

import datetime as dt

from planner.solver.seats import Wish, assign_seats

MON, TUE, WED, FRI = (dt.date(2027, 1, d) for d in (4, 5, 6, 8))
ONE_EACH = {(day, "class"): 1 for day in (MON, TUE, WED, FRI)}


def wish(athlete: str, date: dt.date, value: int = 10, hard: bool = True) -> Wish:
    return Wish(athlete, date, "class", 1, value, True, hard=hard)


def offer(athlete: str, date: dt.date, hard: bool = True) -> Wish:
    return Wish(athlete, date, "class", 1, 1, wanted=False, hard=hard)


def test_a_hard_session_keeps_its_seat_over_a_worthier_light_one() -> None:
    wishes = [wish("ana", MON, 30, hard=False), wish("ben", MON, 10)]
    assignment = assign_seats(wishes, ONE_EACH)
    assert assignment.granted == {wish("ben", MON, 10)}
    assert assignment.worst_share == 0.0  # Ana kept nothing she asked for
    assert assignment.optimal


def test_the_worst_off_athlete_comes_first() -> None:
    # Both ask for Monday and Tuesday; one seat each day. One athlete keeping both would
    # leave the other with two hard sessions uncovered.
    wishes = [wish("ana", MON, 20), wish("ana", TUE, 20), wish("ben", MON), wish("ben", TUE)]
    granted = assign_seats(wishes, ONE_EACH).granted
    assert sum(w.athlete == "ana" for w in granted) == 1
    assert sum(w.athlete == "ben" for w in granted) == 1


def test_an_offer_stands_in_for_a_lost_seat() -> None:
    wishes = [wish("ana", MON, 20), wish("ben", MON, 10), offer("ben", FRI)]
    assert assign_seats(wishes, ONE_EACH).granted == {wish("ana", MON, 20), offer("ben", FRI)}


def test_an_offer_where_no_hard_session_may_fall_does_not_cover_a_hard_one() -> None:
    # Ben's Friday offer cannot hold his hard session, so Monday goes to Ben, and Ana (whose
    # Monday session is not hard) takes her offered Wednesday.
    wishes = [wish("ana", MON, 20, hard=False), offer("ana", WED, hard=False)]
    wishes += [wish("ben", MON, 10), offer("ben", FRI, hard=False)]
    granted = assign_seats(wishes, ONE_EACH).granted
    assert granted == {wish("ben", MON, 10), offer("ana", WED, hard=False)}


def test_capacity_one_class_a_day_and_the_seats_asked_for_a_week() -> None:
    wishes = [wish(name, MON) for name in "abcdef"]
    wishes += [offer("a", WED), offer("a", FRI)]
    capacity = {(MON, "class"): 3, (WED, "class"): 3, (FRI, "class"): 3}
    granted = assign_seats(wishes, capacity).granted
    assert sum(1 for w in granted if w.date == MON) == 3
    assert sum(1 for w in granted if w.athlete == "a") <= 1  # "a" asked for one seat a week
