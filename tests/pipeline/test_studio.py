"""Planning a studio: no class over capacity, no athlete over their membership, the seats
given fairly (against first come, first served), the one model started from the decomposed
plan, and every folder clean under the independent check."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

from planner.batch import BatchOptions
from planner.batch.studio import (
    Alone,
    fill_free_places,
    plan_studio,
    read_earlier,
    seat_studio,
    share_the_room,
    solve_alone,
)
from planner.check.studio import check_studio
from planner.io.studio_file import StudioFile, load_studio
from planner.pipeline.studio import (
    FIRST_COME,
    StudioPlan,
    assign,
    first_come,
    keep_the_start,
    one_model,
    settle,
    studio_objective,
    wishes,
)
from planner.report.studio import studio_files
from planner.solver import studio_model
from planner.solver.replan import items_of
from planner.solver.seats import Wish, hard_lost, share_of_losses
from planner.solver.studio_model import Entrant

# Two weeks; Monday's class holds one athlete and all three want it (their hard sessions fit
# Monday and Thursday: Tuesday is easy and the long run is on Sunday).
STUDIO = """\
format: 1
name: Tiny studio
block: {start: 2027-01-04, weeks: 2}
kit: [dumbbell, kettlebell, band, mat]
classes:
  - {id: mon-0700, day: mon, start: "07:00", minutes: 45, capacity: 1}
  - {id: thu-1800, day: thu, start: "18:00", minutes: 45, capacity: 3}
athletes:
  - name: Ana
    running: {unit: km, weeks: [{tue: 8, sun: long 16}, {tue: 8, sun: long 16}]}
  - name: Ben
    level: novice
    running: {unit: km, weeks: [{tue: 6, sun: long 12}, {tue: 6, sun: long 12}]}
  - name: Cy
    level: advanced
    running: {unit: km, weeks: [{tue: 10, sun: long 20}, {tue: 10, sun: long 20}]}
    classes_per_week: 1
"""
OPTIONS = BatchOptions(time_limit=4, jobs=2)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudioFile, Alone]:
    path = tmp_path_factory.mktemp("studio") / "studio.yaml"
    path.write_text(STUDIO, encoding="utf-8")
    read = load_studio(path)
    return read, solve_alone(read, OPTIONS)


@pytest.fixture(scope="module")
def seated(studio: tuple[StudioFile, Alone]) -> StudioPlan:
    """The tiny studio seated fairly once (steps 2 and 3); a test that changes it takes a
    copy (`fair`)."""
    read, alone = studio
    return seat_studio(read, alone, OPTIONS)


@pytest.fixture
def fair(seated: StudioPlan) -> StudioPlan:
    return copy.deepcopy(seated)


def assert_kept(result: StudioPlan, folder: Path) -> None:
    """Capacity, membership, and the independent check of the written folder."""
    for held in result.class_dates():
        assert len(result.rosters[held.date, held.class_id]) <= held.slot.capacity
    for athlete in result.athletes:
        assert (
            max(athlete.per_week().values(), default=0) <= athlete.member.athlete.classes_per_week
        )
    folder.mkdir()
    for name, content in studio_files(result).items():
        (folder / name).write_bytes(content)
    found = check_studio(load_studio(folder.parent / "studio.yaml"), folder)
    assert not found.violations, [str(v) for v in found.violations]


def test_first_come_books_in_the_file_order_or_an_order_of_each_week(
    studio: tuple[StudioFile, Alone],
) -> None:
    read, _ = studio
    order = ["ana", "ben", "cy"]
    mondays = [held for held in read.studio.class_dates() if held.class_id == "mon-0700"]
    asked = [Wish(athlete, held.date, held.class_id, week, value=1)
             for athlete in order for week, held in enumerate(mondays)]  # fmt: skip

    def monday_seats(weekly_seed: int | None) -> list[str]:
        granted = first_come(read.studio, asked, order, weekly_seed).granted
        return [wish.athlete for wish in sorted(granted, key=lambda wish: wish.date)]

    assert monday_seats(None) == ["ana", "ana"]  # standing bookings: the first in the file
    weekly = {seed: monday_seats(seed) for seed in range(8)}
    assert all(len(seats) == len(mondays) for seats in weekly.values())  # one place each
    assert weekly == {seed: monday_seats(seed) for seed in range(8)}  # the seed's order
    assert {athlete for seats in weekly.values() for athlete in seats} == set(order)
    assert any(len(set(seats)) > 1 for seats in weekly.values())  # first varies by week


def test_everyone_alone_wants_the_monday_class(studio: tuple[StudioFile, Alone]) -> None:
    _, alone = studio
    monday_lovers = [a for a in alone.athletes.values()
                     if any(d.date.weekday() == 0 and d.session for d in a.solo.days)]  # type: ignore[union-attr]  # fmt: skip
    assert len(monday_lovers) >= 2  # so the capacity of one binds


def test_seats_are_fair_and_first_come_is_not_better(
    studio: tuple[StudioFile, Alone], fair: StudioPlan, tmp_path: Path
) -> None:
    read, alone = studio
    first = seat_studio(read, alone, OPTIONS, seats=FIRST_COME)
    # First come, first served is one assignment the fair one could have made: the fair one
    # takes no one further beyond their share of the losses, and with as much beyond, leaves
    # no more athletes short.
    asked = [wish for athlete in alone.athletes.values() for wish in wishes(read.studio, athlete)]
    shares = share_of_losses(asked)

    def beyond_and_short(granted: frozenset[Wish]) -> tuple[int, int]:
        lost = hard_lost(asked, granted)
        return max(lost[a] - shares[a] for a in lost), sum(1 for a in lost if lost[a])

    first_seats = first_come(read.studio, asked, list(alone.athletes)).granted
    assert beyond_and_short(assign(read.studio, asked).granted) <= beyond_and_short(first_seats)
    assert fair.seats_optimal
    (tmp_path / "studio.yaml").write_text(STUDIO, encoding="utf-8")
    assert_kept(fair, tmp_path / "fair")
    assert_kept(first, tmp_path / "first")
    # Whoever lost the Monday seat is waitlisted for it, with what it was worth to them.
    for (date, class_id), queue in fair.waitlist.items():
        assert class_id == "mon-0700"
        for athlete_id, worth in queue:
            assert athlete_id not in fair.rosters[date, class_id]
            assert worth > 0
    assert fair.waitlist  # three want one seat


def test_the_one_model_starts_from_the_plan_and_bounds_the_objective(
    fair: StudioPlan, tmp_path: Path
) -> None:
    result = fair
    for athlete in result.athletes:  # two in the one model, to prove it in the time
        if athlete.member.name == "Cy":
            athlete.plan, athlete.status, athlete.message = None, "no plan", "left out"
    assert one_model(result, time_limit=60, workers=1)
    after = studio_objective(result)
    solved = result.one_model
    assert solved is not None
    # Proven on this tiny studio, stage by stage, and never worse than where it started:
    # lexicographically, the floor first (a lower floor may cost benefit per minute).
    assert solved.statuses == dict.fromkeys(("worst floor", "floor sum", "benefit per minute"),
                                            "OPTIMAL")  # fmt: skip
    found = (solved.worst_floor, solved.floor_sum, -solved.objective)
    started = tuple(solved.started[name] * sign for name, sign in
                    (("worst floor", 1), ("floor sum", 1), ("benefit per minute", -1)))  # fmt: skip
    assert found <= started
    assert after.bound is not None and after.found <= after.bound + 1e-6
    (tmp_path / "studio.yaml").write_text(STUDIO, encoding="utf-8")
    assert_kept(result, tmp_path / "one")


def test_a_stage_of_the_one_model_that_finds_nothing_does_not_stop_the_later_ones(
    fair: StudioPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first stage (the worst-off floor) finds no plan (made infeasible here; on a big
    # studio, its time runs out): the later stages still run, the start's worst floor holds
    # in them (no athlete made worse off for a lower sum), and the last one's bound is the
    # studio objective's.
    solve = cp_model.CpSolver.solve
    stages: list[int] = []  # the studio model's solves (not the completions of the starts)

    def first_finds_nothing(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
        if not any(var.name == "worst_floor" for var in model.proto.variables):
            return solve(solver, model)
        stages.append(1)
        if len(stages) == 1:
            nothing = model.clone()
            never = nothing.new_bool_var("never")
            nothing.add(never == 1)
            nothing.add(never == 0)
            return solve(solver, nothing)
        return solve(solver, model)

    monkeypatch.setattr(cp_model.CpSolver, "solve", first_finds_nothing)
    assert one_model(fair, time_limit=6, workers=1)
    solved = fair.one_model
    assert solved is not None and len(stages) == 3
    assert solved.statuses["worst floor"] == "INFEASIBLE"
    assert solved.worst_floor == solved.started["worst floor"]
    assert solved.floor_sum <= solved.started["floor sum"]
    assert solved.statuses["benefit per minute"] in ("OPTIMAL", "FEASIBLE")
    after = studio_objective(fair)
    assert after.bound is not None and after.found <= after.bound + 1e-6


def test_a_replan_from_a_date_keeps_history_and_counts_the_bookings_changed(
    fair: StudioPlan, tmp_path: Path
) -> None:
    before = fair
    folder = tmp_path / "plans"
    folder.mkdir()
    for name, content in studio_files(before).items():
        (folder / name).write_bytes(content)
    # From Monday of week 2: Thursday's class that week is cancelled, Cy leaves, Dee joins.
    since, cancelled = dt.date(2027, 1, 11), dt.date(2027, 1, 14)
    changed = STUDIO.replace(
        "athletes:\n", f"cancelled:\n  - {{date: {cancelled}, class: thu-1800}}\nathletes:\n"
    )
    cy = changed.index("  - name: Cy")
    dee = changed[cy:].replace("Cy", "Dee", 1) + f"    joined: {since}\n"
    changed = changed[:cy] + dee
    (tmp_path / "studio.yaml").write_text(changed, encoding="utf-8")
    read_now = load_studio(tmp_path / "studio.yaml")
    earlier = read_earlier(folder, read_now, since)
    after = plan_studio(read_now, OPTIONS, earlier=earlier)

    old = {a.member.name: a.plan for a in before.athletes}
    for athlete in after.athletes:
        assert athlete.plan is not None
        days = [day for day in athlete.plan.days if day.date < since]
        if athlete.member.name == "Dee":  # new: nothing before she came
            assert all(day.session is None for day in days)
        else:
            was = {day.date: day.session for day in old[athlete.member.name].days}  # type: ignore[union-attr]
            assert [items_of(day.session) for day in days] == [items_of(was[d.date]) for d in days]
    assert (cancelled, "thu-1800") not in after.rosters  # not held
    cy_seats = {(held.date, held.class_id) for a in before.athletes if a.member.name == "Cy"
                for held in a.bookings if held.date >= since}  # fmt: skip
    removed = {(date, class_id) for name, date, class_id, change in after.changes
               if name == "Cy" and change == "removed"}  # fmt: skip
    assert removed == cy_seats
    assert all(date >= since for _, date, _, _ in after.changes)
    assert_kept(after, tmp_path / "after")


def test_sharing_the_room_keeps_the_bookings_and_the_floor(
    fair: StudioPlan, tmp_path: Path
) -> None:
    result = fair
    seats = {a.member.id: {(h.date, h.class_id) for h in a.bookings} for a in result.athletes}
    floors = {a.member.id: a.missed for a in result.athletes}
    ratios = {a.member.id: a.ratio for a in result.athletes}
    share_the_room(result, OPTIONS)
    assert set(result.room_before) == set(result.room_after) != set()
    for athlete in result.athletes:
        assert {(h.date, h.class_id) for h in athlete.bookings} <= seats[athlete.member.id]
        assert athlete.missed <= floors[athlete.member.id]
        tolerance = athlete.scenario.coach.tolerance  # R18: what the room's exercises may cost
        assert athlete.ratio >= (1 - tolerance) * ratios[athlete.member.id] - 1e-9
    (tmp_path / "studio.yaml").write_text(STUDIO, encoding="utf-8")
    assert_kept(result, tmp_path / "room")


def test_an_athlete_whose_plan_the_one_model_cannot_hold_keeps_it_and_their_seats(
    fair: StudioPlan, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = fair
    outsider = next(a for a in result.athletes if a.bookings)
    plan, seats = outsider.plan, {(h.date, h.class_id) for h in outsider.bookings}
    complete = studio_model._complete

    def fails_for_the_outsider(
        entrant: Entrant, seconds: float
    ) -> tuple[dict[int, int] | None, bool]:
        if entrant.key == outsider.member.id:
            return None, False
        return complete(entrant, seconds)

    monkeypatch.setattr(studio_model, "_complete", fails_for_the_outsider)
    assert one_model(result, time_limit=30, workers=1)
    solved = result.one_model
    assert solved is not None and solved.outside == [outsider.member.id]
    assert outsider.plan is plan  # kept as it was, with its classes
    assert {(h.date, h.class_id) for h in outsider.bookings} == seats
    (tmp_path / "studio.yaml").write_text(STUDIO, encoding="utf-8")
    assert_kept(result, tmp_path / "one")  # the others around them: capacity kept


def test_an_athlete_the_one_model_made_no_better_goes_back_where_the_classes_have_room(
    fair: StudioPlan,
) -> None:
    result = fair
    monday = next(h for h in result.class_dates()
                  if h.class_id == "mon-0700" and result.rosters[h.date, h.class_id])  # fmt: skip
    holder = result.by_id()[result.rosters[monday.date, monday.class_id][0]]
    other = next(a for a in result.athletes if a.plan is not None and a is not holder)
    started = {a.member.id: (a.plan, a.granted, list(a.bookings)) for a in (holder, other)}
    # Both come out of "the one model" with their plan's benefit per minute lower ...
    for athlete in (holder, other):
        assert athlete.plan is not None
        athlete.plan = athlete.plan.model_copy(deep=True)
        athlete.plan.objective.benefit_per_minute -= 0.5
    settle(result)
    # ... and the other's plan before held that Monday, whose one place is the holder's.
    plan, granted, bookings = started[other.member.id]
    started[other.member.id] = (plan, granted, [*bookings, monday])
    assert keep_the_start(result, started) == 1
    assert holder.plan is started[holder.member.id][0]  # back, as it was
    assert other.plan is not started[other.member.id][0]  # no room: the one model's plan
    for held in result.class_dates():
        assert len(result.rosters[held.date, held.class_id]) <= held.slot.capacity


def test_a_place_left_free_goes_to_the_first_on_its_waitlist(fair: StudioPlan) -> None:
    result = fair
    # A waitlisted class date's holder gives up that class (their plan holds no session
    # then), so its place is free.
    seat = min(result.waitlist)
    holder = result.by_id()[result.rosters[seat][0]]
    assert holder.plan is not None
    next(day for day in holder.plan.days if day.date == seat[0]).session = None
    settle(result)
    first = result.waitlist[seat][0][0]
    assert first not in result.rosters[seat]
    fill_free_places(result, OPTIONS)
    assert result.rosters[seat] == [first]  # the place went to the first waiting, who used it
    assert first not in [athlete for athlete, _ in result.waitlist.get(seat, [])]
    assert "1 of 1 waitlisted took a free place" in result.mode
