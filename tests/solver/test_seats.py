"""The studio's seat assignment: capacity, one class a day, no more seats a week than asked,
and what a lost seat costs: a hard session's most, nobody beyond their share, as few
athletes short as can be, an offer of another date or a plan without the contested seats
standing in."""

from __future__ import annotations

import datetime as dt

from planner.solver.seats import Alternative, Wish, assign_seats, uncovered

MON, TUE, WED, FRI = (dt.date(2027, 1, d) for d in (4, 5, 6, 8))
ONE_EACH = {(day, "class"): 1 for day in (MON, TUE, WED, FRI)}


def wish(athlete: str, date: dt.date, value: int = 10, hard: bool = True, week: int = 1) -> Wish:
    return Wish(athlete, date, "class", week, value, True, hard=hard)


def offer(athlete: str, date: dt.date, hard: bool = True) -> Wish:
    return Wish(athlete, date, "class", 1, 1, wanted=False, hard=hard)


def test_a_hard_session_keeps_its_seat_over_a_worthier_light_one() -> None:
    wishes = [wish("ana", MON, 30, hard=False), wish("ben", MON, 10)]
    assignment = assign_seats(wishes, ONE_EACH)
    assert assignment.granted == {wish("ben", MON, 10)}
    assert assignment.worst_share == 0.0  # Ana kept nothing she asked for
    assert assignment.optimal


def test_nobody_loses_beyond_their_share() -> None:
    # Both ask for Monday and Tuesday of one week; one seat each day. One athlete keeping
    # both would leave the other two hard sessions short, beyond a share of one.
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


def weekly(athlete: str, weeks: range, value: int = 10) -> list[Wish]:
    """A hard Monday class a week for `weeks` (block weeks from 1)."""
    return [wish(athlete, MON + dt.timedelta(weeks=w - 1), value, week=w) for w in weeks]


def test_unavoidable_losses_fall_on_as_few_athletes_as_their_share_allows() -> None:
    # Eight weeks of a hard Monday class each (a share of 8 / 4 = 2 lost): one seat on the
    # first two Mondays, two after. Two losses fall on one athlete, within their share.
    mondays = {(MON + dt.timedelta(weeks=w), "class"): 1 if w < 2 else 2 for w in range(8)}
    both = weekly("ana", range(1, 9)) + weekly("ben", range(1, 9))
    lost = uncovered(both, assign_seats(both, mondays).granted)
    assert sorted(lost.values()) == [0, 22]
    # One seat on every Monday: eight losses, 4 each (2 beyond the share of both) rather than
    # 6 and 2 (4 beyond one's share).
    mondays = {(MON + dt.timedelta(weeks=w), "class"): 1 for w in range(8)}
    lost = uncovered(both, assign_seats(both, mondays).granted)
    assert sorted(lost.values()) == [44, 44]


def test_a_plan_without_the_contested_seats_is_granted_whole_when_it_keeps_the_floor() -> None:
    # Ana and Ben both want the one Monday seat; Ben's plan without it (Wednesday instead)
    # keeps his floor, so he takes it and nobody is short.
    wishes = [wish("ana", MON, 20), wish("ben", MON, 30)]
    ben_elsewhere = Alternative("ben", frozenset({(WED, "class")}), floor=0, value=5)
    assignment = assign_seats(wishes, ONE_EACH, [ben_elsewhere])
    assert assignment.switched == {"ben"}
    assert assignment.granted == {wish("ana", MON, 20)}
    # Without the Wednesday place, the alternative cannot be granted: one of them loses.
    assignment = assign_seats(wishes, {(MON, "class"): 1, (WED, "class"): 0}, [ben_elsewhere])
    assert not assignment.switched
    assert len(assignment.granted) == 1
    # An alternative that misses the floor a week is a loss like Ben's lost seat, less the
    # seat left uncovered: Ben takes it, short of the floor; Ana keeps her seat.
    ben_short = Alternative("ben", frozenset({(WED, "class")}), floor=1, value=5)
    assignment = assign_seats(wishes, ONE_EACH, [ben_short])
    assert assignment.switched == {"ben"}
    assert uncovered(wishes, assignment.granted, {"ben": 1}) == {"ana": 0, "ben": 10}


def test_the_seat_goes_to_whom_it_is_worth_most_per_minute() -> None:
    # One Monday seat, light sessions, and a Friday offer for each: whoever loses keeps their
    # floor. Without Monday, Ana's plan loses 0.5 benefit per minute, Ben's nothing; Ana's
    # seat is the worthier one as the wishes count, but Ben gives his up.
    wishes = [wish("ana", MON, 10, hard=False), offer("ana", FRI, hard=False)]
    wishes += [wish("ben", MON, 30, hard=False), offer("ben", FRI, hard=False)]
    capacity = {(MON, "class"): 1, (FRI, "class"): 2, (TUE, "class"): 0}
    alternatives = [
        Alternative("ana", frozenset({(TUE, "class")}), floor=0, value=1, ratio_loss=500),
        Alternative("ben", frozenset({(TUE, "class")}), floor=0, value=1, ratio_loss=0),
    ]
    granted = assign_seats(wishes, capacity, alternatives).granted
    assert wish("ana", MON, 10, hard=False) in granted
    assert wish("ben", MON, 30, hard=False) not in granted
