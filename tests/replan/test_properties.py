"""Hypothesis on top: any day of the block, any mix of events; the replanned plan keeps
its history, passes the checker over the whole block, and every event's promise holds."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.plan import Plan, is_missed
from planner.domain.scenario import Scenario
from planner.pipeline import SolveStatus
from planner.pipeline.replan import ReplanRequest

from .conftest import WEEKS, block_scenario, check, on, replan, solve

SCENARIO: Scenario = block_scenario()
OLD: list[Plan] = []  # solved once, on first use


def old_plan() -> Plan:
    if not OLD:
        OLD.append(solve(SCENARIO))
    return OLD[0]


@st.composite
def requests(draw: st.DrawFn) -> ReplanRequest:
    plan = old_plan()
    today = on(1, 0) + dt.timedelta(days=draw(st.integers(1, 7 * WEEKS - 1)))
    done = [d.date for d in plan.days if d.session is not None and d.date < today]
    request = ReplanRequest(today=today)
    request.missed = sorted(draw(st.sets(st.sampled_from(done), max_size=2))) if done else []
    if draw(st.booleans()):
        start = today + dt.timedelta(days=draw(st.integers(-2, 3)))
        request.sick = [(start, start + dt.timedelta(days=draw(st.integers(0, 4))))]
    if draw(st.booleans()):
        request.minutes = [
            (draw(st.sampled_from(["mon", "fri", "sat"])), draw(st.sampled_from([0, 20])))
        ]
    if draw(st.booleans()):
        request.avoid = [draw(st.sampled_from(["plyometric", "quad"]))]
    return request


@settings(max_examples=8, deadline=None)  # each example is a replan
@given(requests())
def test_any_events_keep_history_and_rules(request: ReplanRequest) -> None:
    plan = old_plan()
    result = replan(SCENARIO, plan, request)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), result.status
    new = result.plan
    assert new is not None
    report = check(new, SCENARIO)
    assert report.ok, report.violations
    old_days = {d.date: d.session for d in plan.days}
    sick = {
        begin + dt.timedelta(days=i)
        for begin, end in request.sick
        for i in range((end - begin).days + 1)
    }
    for day in new.days:
        if day.date < request.today:
            if day.date in request.missed or day.date in sick:
                assert day.session is None
                assert is_missed(day) == (old_days[day.date] is not None)
            else:
                assert day.session == old_days[day.date]
        elif day.session is not None:
            assert day.date not in sick
            for tag in request.avoid:
                assert all(tag not in item.tags for item in day.session.items)
