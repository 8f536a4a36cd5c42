"""The plan checks itself: three small tests for every rule (STYLE.md, habit 4).

For each rule:
(a) a feasible case where the rule binds: solved, accepted by the independent checker, and
    an assertion that shows the rule shaped the plan;
(b) an infeasible twin in strict mode (`rules.strict`, so R13's hard-session targets are
    hard): the rule makes those targets impossible and `plan_scenario` raises
    InfeasibleError; a control with the rule relaxed (and everything else equal) is feasible,
    which shows that it is the rule, not something else, that leaves no plan. R6 and R12 can
    never cause infeasibility; their tests say why and check the closest honest equivalent;
(c) a plan that breaks exactly that rule, made by a minimal edit of a clean solved plan with
    every derived figure (session, week and objective) recomputed, so the checker must flag
    that rule id and nothing else.

The feasible cases use small catalogs so that each solve is proven optimal in well under a
second; the strict twins use the full catalog through `plan_scenario`, as a user would.
Dates: the block starts on Monday 2027-01-04, so `day(0)` is Monday and `day(6)` Sunday.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from ortools.sat.python import cp_model

from planner.check.checker import check_plan
from planner.domain.plan import DayPlan, Item, Plan, Session
from planner.domain.scenario import Scenario
from planner.errors import InfeasibleError
from planner.io.catalog_file import default_catalog
from planner.pipeline import plan_scenario, solve_scenario
from planner.solver.model import ENCODING, add_paired_sets, build_model
from planner.solver.problem import build_problem
from planner.vocabulary import CATEGORIES

from .conftest import fast_options
from .helpers import (
    SMALL_IDS,
    Case,
    all_items,
    catalog_of,
    day,
    day_plan,
    hard_dates,
    insert_item,
    is_hard,
    make_item,
    move_session,
    new_session,
    one_week,
    r17_minutes,
    refresh_figures,
    resize_item,
    session_dates,
    small_catalog,
    solve_with,
    solved,
    swap_sessions,
)

MON, TUE, WED, THU, FRI, SAT, SUN = (day(offset) for offset in range(7))
STRICT = {"strict": True}
PAIRED = {"paired_sets": True}  # R17: the solver pairs sets


def assert_strict_infeasible(scenario: Scenario) -> None:
    """Strict mode leaves no plan: plan_scenario (full catalog) raises InfeasibleError."""
    assert scenario.rules.strict
    with pytest.raises(InfeasibleError):
        plan_scenario(scenario, fast_options(10))


def assert_strict_feasible(scenario: Scenario) -> None:
    """The control: with the rule relaxed, strict mode finds a plan (full catalog) that meets
    every R13 target and passes the checker. A short limit is enough to find one."""
    assert scenario.rules.strict
    case = solved(scenario, None, seconds=1.5)
    assert case.solution.status in ("optimal", "feasible")
    assert not any(case.solution.shortfall.values())
    assert case.check().ok, case.check().violations


def assert_flags_only(case: Case, plan: Plan, rule: str) -> None:
    """The checker flags `rule` and no other rule (the figures were kept consistent)."""
    report = case.check(plan)
    assert rule in report.rules(), report.violations
    assert report.rules() == {rule}, report.violations


def assert_clean(case: Case) -> None:
    report = case.check()
    assert case.solution.status == "optimal"
    assert report.ok, report.violations


def _uses(session: Session, equipment: str) -> bool:
    return any(equipment in item.equipment for item in session.items)


def plyometric_sessions(plan: Plan) -> list[DayPlan]:
    return [
        d for d in plan.days if d.session and any("plyometric" in i.tags for i in d.session.items)
    ]


# === R1: time budget ========================================================================


@pytest.fixture(scope="module")
def r1_case() -> Case:
    # Monday has 14 min (under the 15-min minimum), Wednesday 30, Friday 45; 60 min a week.
    return solved(one_week({"mon": 14, "wed": 30, "fri": 45}, max_per_week=60), small_catalog())


def test_r1_feasible_sessions_fit_the_days_and_the_week(r1_case: Case) -> None:
    # Monday is the natural first hard day (no run follows it), but with 14 min it is below
    # min_session_minutes, so R1 pushes both hard sessions to Wednesday and Friday, caps
    # Wednesday's at its 30 min, and keeps the week within max_per_week (60).
    assert_clean(r1_case)
    plan = r1_case.plan
    assert MON not in session_dates(plan)
    assert hard_dates(plan) == [WED, FRI]
    assert day_plan(plan, WED).session.minutes <= 30
    assert all(d.session.minutes <= d.available_minutes for d in plan.days if d.session)
    assert plan.weeks[0].minutes <= 60


def test_r1_budget_binds_under_the_total_objective() -> None:
    # With `objective: total` the planner fills the time it is given, so the limits are
    # visibly what stops it: Monday (14 min) stays empty, Wednesday's session stays within 25
    # min, and the week stays within its max_per_week of 70 min, where the same athlete
    # without the weekly cap trains longer (the contrast solve).
    weekly = {"mon": 14, "wed": 25, "fri": 60}
    case = solved(one_week(weekly, max_per_week=70, objective="total"), small_catalog())
    assert_clean(case)
    assert MON not in session_dates(case.plan)
    assert day_plan(case.plan, WED).session.minutes <= 25
    assert case.plan.weeks[0].minutes <= 70
    uncapped = solved(one_week(weekly, objective="total"), small_catalog())
    assert uncapped.plan.weeks[0].minutes > 70


def test_r1_strict_twin_day_too_short_is_infeasible() -> None:
    # A base week needs 2 hard sessions, at most one a day. With a 45-min minimum session
    # the 40-min Monday may hold no session at all, and Wednesday (50 min) only one. (A week
    # where no day can hold a session would be empty, a deload that asks nothing of R13 (R8);
    # Wednesday keeps this week a base loading week, so it still wants 2.)
    assert_strict_infeasible(
        one_week({"mon": 40, "wed": 50}, rules=STRICT | {"min_session_minutes": 45})
    )
    # Control: with the default 15-min minimum both days hold a complete hard session.
    assert_strict_feasible(one_week({"mon": 40, "wed": 50}, rules=STRICT))


def test_r1_strict_twin_week_cap_is_infeasible() -> None:
    # Two complete hard sessions (R15) take well over 40 min; max_per_week allows 40.
    assert_strict_infeasible(one_week({"mon": 40, "wed": 40}, max_per_week=40, rules=STRICT))
    # Control: 80 min a week leave room for both.
    assert_strict_feasible(one_week({"mon": 40, "wed": 40}, max_per_week=80, rules=STRICT))


def test_r1_checker_flags_a_session_longer_than_its_day(r1_case: Case) -> None:
    # Wednesday has 30 min; claim the session takes 31 (the items still fit inside, so R2's
    # "minutes cover the items" holds). Week and objective minutes are recomputed, so only
    # R1 can object: 31 > 30 on the day.
    plan = r1_case.plan.model_copy(deep=True)
    day_plan(plan, WED).session.minutes = 31
    assert_flags_only(r1_case, refresh_figures(plan, r1_case.scenario, r1_case.catalog), "R1")


def test_r1_checker_flags_a_session_on_a_day_under_the_minimum(r1_case: Case) -> None:
    # Move Wednesday's session to Monday: Monday has 14 min, under the 15-min minimum
    # and under the session's length. The hard sessions (Monday, Friday) stay 4 days apart.
    plan = move_session(r1_case.plan, WED, MON)
    assert_flags_only(r1_case, r1_case.refreshed(plan), "R1")


# === R2: session template ===================================================================


@pytest.fixture(scope="module")
def r2_case() -> Case:
    # Hip and ankle mobility are worth nothing to this athlete (focus 0), thoracic mobility
    # is worth a lot: only R2 can make a session open with a hip or ankle item.
    focus = {"hip_mobility": 0, "ankle_mobility": 0, "thoracic_mobility": 5}
    return solved(one_week({"mon": 40, "wed": 40}, athlete={"focus": focus}), small_catalog())


def test_r2_feasible_sessions_open_with_hip_or_ankle_mobility(r2_case: Case) -> None:
    # Every session opens with a hip/ankle mobility item even though it adds no benefit for
    # this athlete, follows mobility -> power -> strength -> accessory -> core (a pair stands
    # in its first item's block, R17), and repeats no exercise.
    assert_clean(r2_case)
    order = ("mobility", "power", "strength", "accessory", "core")
    sessions = [d.session for d in r2_case.plan.days if d.session]
    assert len(sessions) == 2
    for session in sessions:
        first = session.items[0]
        assert first.category == "mobility" and {"hip", "ankle"} & set(first.tags)
        leads = {}
        for item in session.items:
            leads.setdefault(item.pair, item)
        ranks = [order.index((leads[i.pair] if i.pair else i).category) for i in session.items]
        assert ranks == sorted(ranks)
        assert len({i.exercise for i in session.items}) == len(session.items)
        assert session.minutes == r17_minutes(session)


def test_r2_strict_twin_no_opener_is_infeasible() -> None:
    # Every session must open with a hip or ankle mobility item. An athlete who avoids every
    # hip- and ankle-tagged exercise has no opener, so there can be no session at all, and
    # the 2 hard sessions of a base week are impossible.
    athlete = {"equipment": [], "avoid": ["hip", "ankle"]}
    assert_strict_infeasible(one_week({"mon": 40, "thu": 40}, athlete=athlete, rules=STRICT))
    # Control: avoiding only the shin and foot work leaves hip and ankle openers.
    athlete = {"equipment": [], "avoid": ["shin", "foot"]}
    assert_strict_feasible(one_week({"mon": 40, "thu": 40}, athlete=athlete, rules=STRICT))


@pytest.mark.parametrize("edit", ["reverse_items", "repeat_opener", "short_minutes"])
def test_r2_checker_flags_a_broken_template(r2_case: Case, edit: str) -> None:
    # Three ways to break the template, each flagged as R2 and nothing else:
    # - reversed items: the session opens with strength/core work, out of template order;
    # - the opener appears twice in the session (one more set of minutes, recomputed);
    # - the session claims fewer minutes than its items take.
    plan = r2_case.plan.model_copy(deep=True)
    session = day_plan(plan, MON).session
    if edit == "reverse_items":
        session.items.reverse()
    elif edit == "repeat_opener":
        extra = session.items[0].model_copy()
        insert_item(session, extra)
        session.minutes += extra.minutes
    else:
        session.minutes = r17_minutes(session) - 1
    assert_flags_only(r2_case, refresh_figures(plan, r2_case.scenario, r2_case.catalog), "R2")


# === R3: hard-session spacing ===============================================================


@pytest.fixture(scope="module")
def r3_case() -> Case:
    # Three free days in a row, no runs; a base week wants 2 hard sessions.
    return solved(one_week({"mon": 40, "tue": 40, "wed": 40}), small_catalog())


def test_r3_feasible_hard_sessions_two_days_apart(r3_case: Case) -> None:
    # With Monday, Tuesday and Wednesday free and a 2-day gap, the only way to place 2 hard
    # sessions is Monday and Wednesday; Tuesday may hold at most a light session.
    assert_clean(r3_case)
    assert hard_dates(r3_case.plan) == [MON, WED]
    assert not is_hard(day_plan(r3_case.plan, TUE).session)


def test_r3_strict_twin_adjacent_days_is_infeasible() -> None:
    # Only Monday and Tuesday are free: 2 hard sessions would be 1 day apart.
    assert_strict_infeasible(one_week({"mon": 40, "tue": 40}, rules=STRICT))
    # Control: with hard_gap_days 1, back-to-back hard days are allowed.
    assert_strict_feasible(one_week({"mon": 40, "tue": 40}, rules=STRICT | {"hard_gap_days": 1}))


def test_r3_checker_flags_back_to_back_hard_sessions(r3_case: Case) -> None:
    # Swap Wednesday's hard session with Tuesday (same 40 min, same equipment, no runs):
    # hard sessions on Monday and Tuesday are 1 day apart. Only R3 changes.
    plan = swap_sessions(r3_case.plan, WED, TUE)
    assert hard_dates(plan) == [MON, TUE]
    assert_flags_only(r3_case, r3_case.refreshed(plan), "R3")


# === R4: key-run protection =================================================================


@pytest.fixture(scope="module")
def r4_case() -> Case:
    # Quality run on Wednesday, long run on Sunday; gym time Monday, Wednesday, Saturday.
    scenario = one_week(
        {"mon": 40, "wed": 40, "sat": 40}, runs={"wed": "quality 8", "sun": "long 16"}
    )
    return solved(scenario, small_catalog())


def test_r4_feasible_no_hard_session_before_a_key_run(r4_case: Case) -> None:
    # Saturday is the day before the long run, so it cannot hold a hard session; the hard
    # sessions go to Monday and to the quality-run day, where the lift follows the run
    # (after_run).
    assert_clean(r4_case)
    plan = r4_case.plan
    assert hard_dates(plan) == [MON, WED]
    assert day_plan(plan, WED).session.after_run
    assert not is_hard(day_plan(plan, SAT).session)


def test_r4_strict_twin_only_days_before_key_runs_is_infeasible() -> None:
    # Gym time on Monday and Thursday, the days before Tuesday's quality run and Friday's
    # long run, and on Saturday: only Saturday can take a hard session, so the base week
    # cannot hold its 2. (Without Saturday no day could hold one: the week would be empty,
    # a deload that asks nothing of R13 (R8).)
    runs = {"tue": "quality 8", "fri": "long 16"}
    weekly = {"mon": 40, "thu": 40, "sat": 40}
    assert_strict_infeasible(one_week(weekly, runs=runs, rules=STRICT))
    # Control: without the one-day buffer, Monday and Thursday (3 days apart) are fine.
    rules = STRICT | {"key_run_buffer_days": 0}
    assert_strict_feasible(one_week(weekly, runs=runs, rules=rules))


def test_r4_checker_flags_hard_session_before_the_long_run(r4_case: Case) -> None:
    # Swap Wednesday's hard session with Saturday (empty or light), the day before Sunday's
    # long run. Saturday has the same 40 min; Monday to Saturday is 5 days (R3 holds), and a
    # light session on the quality day is fine. Only R4 breaks.
    plan = swap_sessions(r4_case.plan, WED, SAT)
    assert_flags_only(r4_case, r4_case.refreshed(plan), "R4")


def test_r4_checker_flags_quality_day_session_not_after_the_run(r4_case: Case) -> None:
    # A hard session on a quality-run day must come after the run; clear the mark.
    plan = r4_case.plan.model_copy(deep=True)
    day_plan(plan, WED).session.after_run = False
    assert_flags_only(r4_case, plan, "R4")


# === R5: plyometric limits ==================================================================


@pytest.fixture(scope="module")
def r5_case() -> Case:
    # A novice who values power highly (focus 5), with a 30-contact cap per session.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40},
        athlete={"level": "novice", "focus": {"power": 5}},
        rules={"plyo_contacts": {"novice": 30}},
    )
    return solved(scenario, small_catalog())


def test_r5_feasible_one_plyometric_session_for_a_novice(r5_case: Case) -> None:
    # Plyometrics are the cheapest power for this athlete (focus 5), yet a novice gets at
    # most one plyometric session a week, with at most 30 contacts (the custom cap): the
    # other hard session of the week has no plyometrics.
    assert_clean(r5_case)
    plan = r5_case.plan
    plyo = plyometric_sessions(plan)
    assert len(plyo) == 1
    assert sum(i.contacts for i in plyo[0].session.items) <= 30
    assert len(hard_dates(plan)) == 2


def _deload_on_friday_only(athlete: dict[str, object], **rules: object) -> Scenario:
    """Week 1 loads (dumbbell on Monday and Wednesday); week 2 is a deload week
    (max_loading_weeks 1) whose only free day is Friday, without the dumbbell.

    A deload week needs 1 hard session (R13) but, unlike a base loading week, no strength
    item (`strength_in_hard_sessions` in the benefit model), so power work alone can make
    its session hard. This is what lets R5 and R9 decide whether a hard session exists.
    """
    week2_busy = [
        {"date": day(7).isoformat(), "minutes": 0},
        {"date": day(9).isoformat(), "minutes": 0},
    ]
    return one_week(
        {"mon": 40, "wed": 40, "fri": 40},
        weeks=2,
        athlete={"equipment": []} | athlete,
        equipment_by_day={"mon": ["dumbbell"], "wed": ["dumbbell"]},
        exceptions=week2_busy,
        rules=STRICT | {"max_loading_weeks": 1} | rules,
    )


def test_r5_strict_twin_contact_cap_leaves_no_hard_work_is_infeasible() -> None:
    # The small catalog's power is plyometric only (pogo and skater hops, at least 3 x 10
    # contacts). A loading week's hard session holds power (R15) unless R5's plyometric
    # sessions of the week are spent elsewhere. With a cap of 20 contacts no plyometric
    # session fits, so no hard session can exist and the base week misses R13.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40}, rules=STRICT | {"plyo_contacts": {"intermediate": 20}}
    )
    _, solution, _ = solve_with(scenario, small_catalog(), 10)
    assert solution.status == "infeasible"
    # Control: with a cap of 30, two sessions may hold three sets of pogo hops.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40}, rules=STRICT | {"plyo_contacts": {"intermediate": 30}}
    )
    case = solved(scenario, small_catalog())
    assert case.check().ok and case.check().missed == []


@pytest.mark.parametrize("edit", ["more_contacts", "second_plyo_session"])
def test_r5_checker_flags_plyometric_overload(r5_case: Case, edit: str) -> None:
    # - one more set of the plyometric item: 10 more contacts, over the 30-contact cap;
    # - a plyometric item in the other hard session: 2 plyometric sessions for a novice.
    # Minutes grow by a few and stay within the 40 available; R11 is untouched (no strength
    # sets change).
    plan = r5_case.plan.model_copy(deep=True)
    plyo_day = plyometric_sessions(plan)[0]
    if edit == "more_contacts":
        items = plyo_day.session.items
        index = next(k for k, i in enumerate(items) if "plyometric" in i.tags)
        items[index] = resize_item(items[index], items[index].sets + 1, level="novice")
        assert sum(i.contacts for i in items) > 30
    else:
        other = next(d for d in plan.days if d.session and d is not plyo_day)
        insert_item(other.session, make_item("pogo_hops", 3, level="novice"))
    assert_flags_only(r5_case, r5_case.refreshed(plan), "R5")


# === R6: taper ==============================================================================


def _taper_scenario(**rules: object) -> Scenario:
    # A 10k A race on the second Sunday: week 1 is base, week 2 the taper.
    race = [{"date": day(13).isoformat(), "distance": "10k", "priority": "A"}]
    runs = {"tue": 6, "thu": 6}
    return one_week({"mon": 40, "wed": 40, "fri": 40}, runs=runs, weeks=2, races=race, rules=rules)


@pytest.fixture(scope="module")
def r6_case() -> Case:
    return solved(_taper_scenario(taper_max_sessions=1, taper_volume=0.4), small_catalog())


def test_r6_feasible_taper_is_lighter(r6_case: Case) -> None:
    # The taper week has at most taper_max_sessions (1) sessions and at most 0.4 x the gym
    # minutes of the week before it (the only earlier week); its session is a light one.
    assert_clean(r6_case)
    base, taper = r6_case.plan.weeks
    assert (base.phase, taper.phase) == ("base", "taper")
    assert taper.sessions == 1
    assert taper.minutes <= 0.4 * base.minutes
    assert [d.session.kind for d in r6_case.plan.days if d.week == 2 and d.session] == ["light"]


def test_r6_strict_twin_no_taper_session_is_infeasible() -> None:
    # R6's session cap at 0 leaves the taper week empty, but R16 (strict) wants a session
    # in a taper week where a day allows one: no plan.
    scenario = _taper_scenario(strict=True, taper_max_sessions=0)
    _, solution, _ = solve_with(scenario, small_catalog(), 10)
    assert solution.status == "infeasible"
    # Control: one taper session allowed; the base week still has its 2 hard sessions.
    case = solved(_taper_scenario(strict=True, taper_max_sessions=1), small_catalog())
    assert_clean(case)
    base, taper = case.plan.weeks
    assert taper.sessions == 1 and base.hard_sessions >= 2


def test_r6_checker_takes_a_taper_at_its_cap_up_to_rounding(r6_case: Case) -> None:
    # The cap as the ratio of the taper's minutes to the base week's, one float step under:
    # taper_volume x mean then comes out a hair below the taper's minutes (as 0.6 x 155/3 does,
    # 30.999999999999996 for 31). The model's integer cap is met; the checker must agree.
    base, taper = r6_case.plan.weeks
    at_cap = math.nextafter(taper.minutes / base.minutes, 0.0)
    assert at_cap * base.minutes < taper.minutes
    rules = r6_case.scenario.rules.model_copy(update={"taper_volume": at_cap})
    scenario = r6_case.scenario.model_copy(update={"rules": rules})
    report = check_plan(r6_case.plan, scenario, catalog=r6_case.catalog)
    assert report.ok, report.violations


@pytest.mark.parametrize("edit", ["extra_session", "longer_session"])
def test_r6_checker_flags_a_heavy_taper(r6_case: Case, edit: str) -> None:
    # - a light (non-hard) session on a free taper day: 2 sessions where 1 is allowed;
    # - accessory work added to the taper's session, past 0.4 x the base week.
    # The free days (Monday, Wednesday, Friday) are neither race day nor the day after, and no key
    # run follows them; a light session may sit in the hard-free window (R7, R4 hold).
    plan = r6_case.plan.model_copy(deep=True)
    base_minutes = plan.weeks[0].minutes
    if edit == "extra_session":
        free = next(d for d in plan.days if d.week == 2 and d.available_minutes and not d.session)
        free.session = new_session(make_item("deep_squat_hold", 1), make_item("dead_bug", 2))
    else:
        taper_day = next(d for d in plan.days if d.week == 2 and d.session)
        extra = ("side_lying_hip_abduction", "banded_clamshell", "hip_90_90_switches",
                 "open_book_rotation", "side_plank", "dead_bug")  # fmt: skip
        for exercise in extra:
            if exercise not in {i.exercise for i in taper_day.session.items}:
                insert_item(taper_day.session, make_item(exercise, 3))
    plan = r6_case.refreshed(plan)
    if edit == "longer_session":
        assert plan.weeks[1].sessions <= 1
        assert plan.weeks[1].minutes > 0.4 * base_minutes
    assert_flags_only(r6_case, plan, "R6")


# === R7: races ==============================================================================


def _race_week(**rules: object) -> Scenario:
    # A 10k B race on Sunday: 5 hard-free days before it (Tuesday to Saturday), no session
    # on race day. A B race does not change the phase: the week stays base.
    race = [{"date": SUN.isoformat(), "distance": "10k", "priority": "B"}]
    return one_week(
        {"mon": 40, "wed": 40, "fri": 40, "sun": 40},
        runs={"sun": "race 10"},
        races=race,
        rules=rules,
    )


@pytest.fixture(scope="module")
def r7_case() -> Case:
    return solved(_race_week(), small_catalog())


def test_r7_feasible_race_week(r7_case: Case) -> None:
    # Only Monday is outside the hard-free window, so the week has a single hard session on
    # Monday (R13 is soft: the plan reports the missing one) and nothing on race day.
    # The only warnings are dose targets that one 40-min hard day cannot meet: R13's second
    # session, R16's weekly sets and R19's two different heavy lifts (the small catalog's
    # heavy lifts are both knee-dominant, and R16 (a) wants the session's second strength
    # exercise hip-dominant), each naming Monday as the only day that may hold hard work.
    assert_clean(r7_case)
    plan = r7_case.plan
    assert hard_dates(plan) == [MON]
    assert SUN not in session_dates(plan)
    assert "R13" in [w.rule for w in plan.warnings]
    assert {w.rule for w in plan.warnings} <= {"R13", "R16", "R19"}
    assert all("Mon 40 min" in w.message for w in plan.warnings if w.rule in ("R16", "R19"))


def test_r7_strict_twin_race_window_is_infeasible() -> None:
    # Strict mode needs 2 hard sessions in this base week; only Monday is outside the
    # race's hard-free window, and Sunday is race day.
    assert_strict_infeasible(_race_week(strict=True))
    # Control: with a 2-day hard-free window, Monday and Wednesday can both be hard.
    assert_strict_feasible(_race_week(strict=True, race_hard_free_days={"shorter": 2}))


def test_r7_checker_flags_hard_session_in_the_hard_free_window(r7_case: Case) -> None:
    # Swap Monday's hard session with Wednesday (empty or light): 4 days before the race,
    # inside the 5-day window. No key run follows Wednesday (R4 holds) and it is still the
    # only hard session (R3).
    plan = swap_sessions(r7_case.plan, MON, WED)
    assert_flags_only(r7_case, r7_case.refreshed(plan), "R7")


def test_r7_checker_flags_a_session_on_race_day(r7_case: Case) -> None:
    # A light mobility-and-core session on race day: not hard (so R4 holds), 40 min are
    # available (R1), but R7 forbids any session on race day.
    plan = r7_case.plan.model_copy(deep=True)
    day_plan(plan, SUN).session = new_session(
        make_item("deep_squat_hold", 1), make_item("dead_bug", 2)
    )
    assert_flags_only(r7_case, r7_case.refreshed(plan), "R7")


# === R8: deloads ============================================================================


@pytest.fixture(scope="module")
def r8_case() -> Case:
    # max_loading_weeks 1: week 1 loads, week 2 must deload to at most half of week 1.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40},
        weeks=2,
        rules={"max_loading_weeks": 1, "deload_volume": 0.5},
    )
    return solved(scenario, small_catalog())


def test_r8_feasible_deload_week_is_lighter(r8_case: Case) -> None:
    # Week 2 is the deload; its gym minutes are at most 0.5 x week 1's, and it keeps at
    # least one hard session (R13 for a deload week).
    assert_clean(r8_case)
    loading, deload = r8_case.plan.weeks
    assert not loading.deload and deload.deload
    assert deload.minutes <= 0.5 * loading.minutes
    assert deload.hard_sessions >= 1


def test_r8_strict_twin_deload_too_small_for_a_session_is_infeasible() -> None:
    # The loading week has at most 2 x 45 = 90 min; a deload at 0.15 x that is 13 min, less
    # than a deload hard session (mobility, strength, core) takes, so the deload week cannot
    # hold its 1 hard session.
    rules = STRICT | {"max_loading_weeks": 1, "deload_volume": 0.15}
    assert_strict_infeasible(one_week({"mon": 45, "wed": 45}, weeks=2, rules=rules))
    # Control: at 0.5 x the loading week the deload week has room for one.
    rules = STRICT | {"max_loading_weeks": 1, "deload_volume": 0.5}
    assert_strict_feasible(one_week({"mon": 45, "wed": 45}, weeks=2, rules=rules))


def test_r8_checker_flags_a_deload_as_heavy_as_the_loading_week(r8_case: Case) -> None:
    # Give the deload week exactly the loading week's sessions on the same weekdays: the
    # same minutes, where at most half are allowed. Spacing, equipment and unilateral share
    # are those of week 1, the last hard session of week 1 (Friday) is at least 2 days before
    # the first of week 2, and R12 exempts a deload week.
    plan = r8_case.plan.model_copy(deep=True)
    week1 = [d for d in plan.days if d.week == 1]
    week2 = [d for d in plan.days if d.week == 2]
    for source, target in zip(week1, week2, strict=True):
        target.session = source.session.model_copy(deep=True) if source.session else None
    assert_flags_only(r8_case, r8_case.refreshed(plan), "R8")


# The checker takes week roles from the calendar, not from the plan's own labels.


def test_r8_checker_does_not_trust_the_plans_week_labels(r8_case: Case) -> None:
    # The heavy deload of the test above, with week 2 relabelled "taper" in the plan's week
    # summary (its days still say base, as the calendar does). The scenario has no race, so
    # there is no taper: the week is still a deload and must be flagged (as R8, or as a plan
    # inconsistency).
    plan = r8_case.plan.model_copy(deep=True)
    week1 = [d for d in plan.days if d.week == 1]
    week2 = [d for d in plan.days if d.week == 2]
    for source, target in zip(week1, week2, strict=True):
        target.session = source.session.model_copy(deep=True) if source.session else None
    plan = r8_case.refreshed(plan)
    plan.weeks[1].phase = "taper"
    assert r8_case.check(plan).rules() & {"R8", "plan"}


# === R9: progressions =======================================================================


@pytest.fixture(scope="module")
def r9_case() -> Case:
    # A novice who values rotation core work highly; the catalog offers a rotation move,
    # an intermediate core move, an intermediate strength move and an advanced plyometric.
    catalog = catalog_of(*SMALL_IDS, "russian_twist", "hollow_hold", "skater_squat", "bounds")
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40},
        weeks=2,
        athlete={"level": "novice", "focus": {"core_rotation": 5}},
    )
    return solved(scenario, catalog)


def test_r9_feasible_no_rotation_or_above_level_work_early(r9_case: Case) -> None:
    # Rotation work needs 3 earlier weeks of anti-movement core, impossible in a 2-week
    # block, so the russian twist never appears despite focus 5 on core rotation; nothing
    # above novice level appears either (hollow hold, skater squat, bounds).
    assert_clean(r9_case)
    used = {i.exercise for i in all_items(r9_case.plan)}
    assert used
    assert not used & {"russian_twist", "hollow_hold", "skater_squat", "bounds"}


R9_CATALOG_IDS = (
    *(i for i in SMALL_IDS if i not in ("split_squat_db", "goblet_squat_db", "single_leg_rdl_bw")),
    "skater_squat",  # intermediate
    "pistol_squat",  # advanced
)


def test_r9_strict_twin_hard_work_only_above_the_athletes_level_is_infeasible() -> None:
    # Every strength move of this catalog is above novice level. R9 keeps them out, so a
    # novice's hard sessions cannot hold the strength block R15 asks for: no plan.
    # The athlete has a band but no dumbbell, so R19 (heavy loaded lifts where the kit
    # allows) asks nothing of the bodyweight-only catalog; 45-min days leave room for a
    # complete session with two bodyweight single-leg strength moves (R16 (a)) after the
    # 5-min warm-up (R15).
    weekly = {"mon": 45, "wed": 45, "fri": 45}
    athlete = {"equipment": ["band"]}
    scenario = one_week(weekly, athlete=athlete | {"level": "novice"}, rules=STRICT)
    _, solution, _ = solve_with(scenario, catalog_of(*R9_CATALOG_IDS), 10)
    assert solution.status == "infeasible"
    # Control: an advanced athlete may do both.
    scenario = one_week(weekly, athlete=athlete | {"level": "advanced"}, rules=STRICT)
    case = solved(scenario, catalog_of(*R9_CATALOG_IDS))
    assert case.check().ok and case.check().missed == []


@pytest.mark.parametrize("exercise", ["russian_twist", "hollow_hold"])
def test_r9_checker_flags_early_rotation_or_above_level_work(r9_case: Case, exercise: str) -> None:
    # Add a core item at the end of the first session (template order holds, bodyweight):
    # a rotation move in week 1 (no earlier anti-movement weeks), or an intermediate move
    # for a novice. Minutes stay within the 40 available.
    plan = r9_case.plan.model_copy(deep=True)
    first = next(d for d in plan.days if d.session)
    insert_item(first.session, make_item(exercise, 2, level="novice"))
    assert_flags_only(r9_case, r9_case.refreshed(plan), "R9")


# === R10: equipment and avoided tags ========================================================


@pytest.fixture(scope="module")
def r10_case() -> Case:
    # A band-only athlete who can use dumbbells on Fridays (a gym day), avoids plyometrics
    # and values max strength highly.
    athlete = {"equipment": ["band"], "avoid": ["plyometric"], "focus": {"max_strength": 5}}
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40}, athlete=athlete, equipment_by_day={"fri": ["dumbbell"]}
    )
    return solved(scenario, small_catalog())


def test_r10_feasible_equipment_only_on_its_day(r10_case: Case) -> None:
    # Dumbbell moves are the strongest strength options in the catalog, and the plan uses
    # one, but only on Friday; no plyometric (avoided) item appears.
    assert_clean(r10_case)
    plan = r10_case.plan
    dumbbell_days = {d.date for d in plan.days if d.session and _uses(d.session, "dumbbell")}
    assert dumbbell_days == {FRI}
    assert not any("plyometric" in i.tags for i in all_items(plan))


def test_r10_strict_twin_equipment_only_on_days_before_key_runs_is_infeasible() -> None:
    # Without the bodyweight RDL, every strength move of the small catalog needs a
    # dumbbell, and this athlete has one only on Tuesday and Saturday, the days before the
    # quality and long runs, where R4 forbids hard sessions. Monday and Thursday, free for
    # hard work, have no strength item with its equipment (R15 needs one).
    athlete = {"equipment": []}
    runs = {"wed": "quality 8", "sun": "long 16"}
    weekly = {"mon": 40, "tue": 40, "thu": 40, "sat": 40}
    catalog = catalog_of(*(i for i in SMALL_IDS if i != "single_leg_rdl_bw"))
    dumbbell_days = {"tue": ["dumbbell"], "sat": ["dumbbell"]}
    scenario = one_week(
        weekly, runs=runs, athlete=athlete, equipment_by_day=dumbbell_days, rules=STRICT
    )
    assert solve_with(scenario, catalog, 10)[1].status == "infeasible"
    # Control: the same dumbbell on Monday and Thursday instead.
    dumbbell_days = {"mon": ["dumbbell"], "thu": ["dumbbell"]}
    scenario = one_week(
        weekly, runs=runs, athlete=athlete, equipment_by_day=dumbbell_days, rules=STRICT
    )
    case = solved(scenario, catalog)
    assert case.check().ok and case.check().missed == []


@pytest.mark.parametrize("edit", ["barbell_item", "dumbbell_on_wednesday", "avoided_tag"])
def test_r10_checker_flags_missing_equipment_or_avoided_tags(r10_case: Case, edit: str) -> None:
    # - a barbell reverse lunge (unilateral, so R11's share holds) in the hard session
    #   without the dumbbell (Monday or Wednesday), for an athlete with no barbell;
    # - Friday's dumbbell session swapped with Wednesday's (if any), when there is no
    #   dumbbell (Monday to Wednesday is still 2 days);
    # - a plyometric item (an avoided tag) added to that session (30 contacts, under the
    #   intermediate cap; one plyometric session).
    plan = r10_case.plan.model_copy(deep=True)
    bodyweight = next(d for d in plan.days if d.session and not _uses(d.session, "dumbbell"))
    if edit == "barbell_item":  # in place of a unilateral strength move, same sets
        items = bodyweight.session.items
        index = next(
            i for i, it in enumerate(items) if it.category == "strength" and "unilateral" in it.tags
        )
        items[index] = make_item("reverse_lunge_barbell", items[index].sets)
    elif edit == "dumbbell_on_wednesday":
        plan = swap_sessions(plan, FRI, WED)
    else:
        insert_item(bodyweight.session, make_item("pogo_hops", 3))
    assert_flags_only(r10_case, r10_case.refreshed(plan), "R10")


# === R11: unilateral share ==================================================================

R11_CATALOG_IDS = (
    "deep_squat_hold",
    "hip_90_90_switches",  # with the open book, room for R15's 5-min warm-up
    "open_book_rotation",
    "pogo_hops",
    "side_lying_hip_abduction",
    "goblet_squat_db",
    "romanian_deadlift_db",
    "tempo_squat_bw",
    "split_squat_bw",
    "dead_bug",
)


@pytest.fixture(scope="module")
def r11_case() -> Case:
    # The only loaded lifts are bilateral: the goblet squat (knee-dominant) and the dumbbell
    # RDL (hip-dominant). For this athlete (focus 5 on max strength, where a loaded 5-rep set
    # counts fully and a bodyweight set half) they are the most efficient pair, and they meet
    # R16 (a)'s knee and hip patterns and R19's two heavy lifts. The only unilateral strength
    # move is the bodyweight split squat.
    scenario = one_week({"mon": 40, "wed": 40, "fri": 40}, athlete={"focus": {"max_strength": 5}})
    return solved(scenario, catalog_of(*R11_CATALOG_IDS))


def test_r11_feasible_half_the_strength_sets_are_unilateral(r11_case: Case) -> None:
    # Without R11 both hard sessions would pair the goblet squat with the dumbbell RDL, no
    # unilateral set at all (see the next test); with it, at least half of the week's
    # strength sets are unilateral, and the bodyweight split squat takes the goblet squat's
    # place (the knee-dominant move) although R19 then misses its second heavy lift.
    assert_clean(r11_case)
    items = [i for i in all_items(r11_case.plan) if i.category == "strength"]
    total = sum(i.sets for i in items)
    unilateral = sum(i.sets for i in items if "unilateral" in i.tags)
    assert total > 0 and unilateral >= 0.5 * total
    assert any("unilateral" in i.tags for i in items)
    assert "split_squat_bw" in {i.exercise for i in items}


def test_r11_without_the_share_the_bilateral_move_wins() -> None:
    # The contrast for the test above: with unilateral_share 0, fewer than half the strength
    # sets are unilateral, so the share above is there because of R11.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40},
        athlete={"focus": {"max_strength": 5}},
        rules={"unilateral_share": 0.0},
    )
    plan, solution, _ = solve_with(scenario, catalog_of(*R11_CATALOG_IDS))
    assert solution.status == "optimal"
    strength = [i for i in all_items(plan) if i.category == "strength"]
    unilateral = sum(i.sets for i in strength if "unilateral" in i.tags)
    assert strength and unilateral < 0.5 * sum(i.sets for i in strength)


def test_r11_strict_twin_only_bilateral_strength_is_infeasible() -> None:
    # A bodyweight athlete who avoids plyometric and unilateral work: the only strength
    # moves left are bilateral. Any strength set would make the unilateral share 0 < 0.5, so
    # no loading-week session can hold the strength block R15 asks of a hard session.
    # Three 40-min days: the bilateral lower-body move (the tempo squat, at most 4 sets a
    # session) needs three sessions to reach R16 (a)'s 10 lower-body sets in the control.
    # No loaded kit, so R19 asks nothing.
    athlete = {"equipment": [], "avoid": ["plyometric", "unilateral"]}
    weekly = {"mon": 40, "wed": 40, "fri": 40}
    assert_strict_infeasible(one_week(weekly, athlete=athlete, rules=STRICT))
    # Control: with unilateral_share 0 the bilateral moves may make the sessions hard.
    rules = STRICT | {"unilateral_share": 0.0}
    assert_strict_feasible(one_week(weekly, athlete=athlete, rules=rules))


@pytest.mark.parametrize("edit", ["swap_for_bilateral", "fewer_unilateral_sets"])
def test_r11_checker_flags_too_few_unilateral_sets(r11_case: Case, edit: str) -> None:
    # - every unilateral strength item becomes a bilateral squat the session does not hold
    #   yet, with the same sets: 0 unilateral sets;
    # - every unilateral strength item is cut to 1 set, so the unilateral sets fall under
    #   half (the bilateral ones keep their 3 or more).
    # Both sessions stay hard (R3/R4 unchanged) and within their 40 minutes.
    plan = r11_case.plan.model_copy(deep=True)
    for d in plan.days:
        if d.session is None or not any("unilateral" in i.tags for i in d.session.items):
            continue
        held = {i.exercise for i in d.session.items}
        spare = next(e for e in ("tempo_squat_bw", "goblet_squat_db") if e not in held)
        d.session.items = [
            (make_item(spare, i.sets) if edit == "swap_for_bilateral" else resize_item(i, 1))
            if i.category == "strength" and "unilateral" in i.tags
            else i
            for i in d.session.items
        ]
    assert_flags_only(r11_case, r11_case.refreshed(plan), "R11")


# === R12: load ramp =========================================================================


def _ramp_scenario(busy_minutes: int = 37, **rules: object) -> Scenario:
    # Three base weeks; a busy first week (37 min on Monday and Wednesday, nothing Friday),
    # then 60 min on each of the three days. The first week is its own group (it cannot
    # host the sessions of the others), so weeks 1 and 2 may differ. Week 1 holds about
    # 74 min, so R12's cap for week 2 (week 1 + one 30-min full session at a ramp of 1.0)
    # falls under the 106 min that weeks 2 and 3 hold when the ramp does not bind. Items
    # done alone: paired sets (R17) would hold the same work in 98 min, under the cap.
    busy = [
        {"date": day(0).isoformat(), "minutes": busy_minutes},
        {"date": day(2).isoformat(), "minutes": busy_minutes},
        {"date": day(4).isoformat(), "minutes": 0},
    ]
    return one_week(
        {"mon": 60, "wed": 60, "fri": 60},
        weeks=3,
        exceptions=busy,
        objective="total",
        rules={"paired_sets": False} | rules,
    )


@pytest.fixture(scope="module")
def r12_case() -> Case:
    return solved(_ramp_scenario(ramp=1.0), small_catalog())


def ramp_limit(ramp: float, *earlier: int) -> float:
    """R12's cap after the given loading weeks: ramp x their mean + 15 min, and never less
    than their mean + one full session (full_session_minutes, 30)."""
    mean = sum(earlier) / len(earlier)
    return max(ramp * mean + 15, mean + 30)


def test_r12_feasible_ramp_caps_the_week_after_a_short_one(r12_case: Case) -> None:
    # The total objective wants more minutes in weeks 2 and 3 (180 min are free), but week 2
    # may have at most max(1.0 x week 1 + 15, week 1 + one 30-min full session) = week 1 +
    # 30, and week 3 at most the mean of weeks 1 and 2 + 30. The contrast solve with a ramp
    # of 3 shows that week 2 would otherwise be longer than that cap.
    assert_clean(r12_case)
    week1, week2, week3 = (w.minutes for w in r12_case.plan.weeks)
    assert week1 < week2 <= ramp_limit(1.0, week1) == week1 + 30
    assert week3 <= ramp_limit(1.0, week1, week2)
    loose = solved(_ramp_scenario(ramp=3.0), small_catalog())
    assert loose.check().ok
    assert loose.plan.weeks[1].minutes > ramp_limit(1.0, week1)


def test_r12_cannot_make_strict_mode_infeasible() -> None:
    # R12 never makes R13's targets impossible: the weeks a checked week compares with are
    # loading weeks that held sessions (never a week life emptied, and the week after an
    # empty, deload or taper week is exempt), each with at least as many required complete
    # hard sessions (base/build 2, peak 1, in that order), and the cap is never less than
    # their mean + one full session, room to repeat them. So no strict twin can fail
    # because of R12. The closest honest check: with the tightest ramp (1.0) strict mode
    # still solves (every R13 target met), and weeks 2 and 3 stay within R12's cap (week 1
    # + 30 min, one full session, more than 1.0 x week 1 + 15; then the mean of weeks 1
    # and 2 + 30) although 180 min are free. (40-min busy days: on 37 min a session cannot
    # hold the dumbbell split squat beside R16 (a)'s hip-dominant move, so the strict week 1
    # would miss R19's second heavy lift whatever R12 says.)
    case = solved(_ramp_scenario(40, strict=True, ramp=1.0), small_catalog())
    assert_clean(case)
    week1, week2, week3 = (w.minutes for w in case.plan.weeks)
    assert week2 <= ramp_limit(1.0, week1) == week1 + 30
    assert week3 <= ramp_limit(1.0, week1, week2)
    assert all(w.hard_sessions >= 2 for w in case.plan.weeks)


def add_spare_work(session: Session) -> None:
    """3 sets of every small-catalog accessory and core exercise the session lacks."""
    for exercise in ("side_lying_hip_abduction", "banded_clamshell", "dead_bug", "side_plank"):
        if exercise not in {i.exercise for i in session.items}:
            insert_item(session, make_item(exercise, 3))


@pytest.mark.parametrize("edit", ["heavier_week2", "lighter_week1"])
def test_r12_checker_flags_a_steep_ramp(r12_case: Case, edit: str) -> None:
    # - accessory and core work added to the week-2 session with the most spare minutes
    #   (the cap is week 1 + 30 min, and the longest session sits close to its 60-min day):
    #   week 2 goes past the cap;
    # - every unpaired power, accessory and core item of every week-1 session cut by one set: week 1
    #   shrinks, so week 2, close to the cap, is now over it. (Mobility keeps its sets: it is
    #   the 5-min warm-up R15 asks of a hard session; fewer plyometric contacts keep R5.)
    # Sessions stay within their days' minutes; no strength work changes, and week 3 stays
    # under the mean of weeks 1 and 2 + 30.
    plan = r12_case.plan.model_copy(deep=True)
    if edit == "heavier_week2":
        target = max(
            (d for d in plan.days if d.week == 2 and d.session),
            key=lambda d: d.available_minutes - d.session.minutes,
        )
        add_spare_work(target.session)
    else:
        for target in (d for d in plan.days if d.week == 1 and d.session):
            for index, item in enumerate(target.session.items):
                lighter = item.category in ("power", "accessory", "core") and item.sets > 1
                if lighter and not item.pair:  # a pair keeps its equal sets (R17)
                    target.session.items[index] = resize_item(item, item.sets - 1)
    plan = r12_case.refreshed(plan)
    week1, week2, week3 = (w.minutes for w in plan.weeks)
    assert week2 > ramp_limit(1.0, week1)
    assert week3 <= ramp_limit(1.0, week1, week2)
    assert_flags_only(r12_case, plan, "R12")


def test_r12_checker_does_not_trust_the_plans_week_labels(r12_case: Case) -> None:
    # A steep week 2 (accessory work added past week 1 + 30, R12's cap at a ramp of 1.0),
    # relabelled "taper" in the plan's week summary. No race, no taper: the ramp still
    # applies and must be flagged (as R12, or as a plan inconsistency).
    plan = r12_case.plan.model_copy(deep=True)
    target = max(
        (d for d in plan.days if d.week == 2 and d.session),
        key=lambda d: d.available_minutes - d.session.minutes,
    )
    add_spare_work(target.session)
    plan = r12_case.refreshed(plan)
    week1, week2, _ = (w.minutes for w in plan.weeks)
    assert week2 > ramp_limit(1.0, week1)
    plan.weeks[1].phase = "taper"
    assert r12_case.check(plan).rules() & {"R12", "plan"}


# === R13: hard sessions per week (a dose target) ============================================


@pytest.fixture(scope="module")
def r13_case() -> Case:
    # One base week with three free days and no key run the day after any of them.
    return solved(one_week({"mon": 40, "wed": 40, "fri": 40}), small_catalog())


def test_r13_feasible_a_base_week_gets_two_hard_sessions(r13_case: Case) -> None:
    # Base needs 2 hard sessions, 48 h apart: Monday, Wednesday and Friday allow that, so
    # the target is met and the checker reports no missed target.
    assert_clean(r13_case)
    assert len(hard_dates(r13_case.plan)) >= 2
    assert "R13" not in r13_case.check().missed_rules()


def test_r13_strict_twin_one_free_day_is_infeasible() -> None:
    # A base week needs 2 hard sessions and only Monday has time: strict mode has no plan.
    assert_strict_infeasible(one_week({"mon": 40}, rules=STRICT))
    # Control: Monday and Wednesday, 2 days apart, hold one hard session each.
    assert_strict_feasible(one_week({"mon": 40, "wed": 40}, rules=STRICT))


def test_r13_checker_flags_a_week_with_one_hard_session(r13_case: Case) -> None:
    # Drop a hard session: the base week holds one, where 2 are wanted. A dose target is a
    # missed target, not a violation; with `strict` it is a violation. The dropped session
    # takes its share of the week's dose with it, so the other weekly dose targets may be
    # missed too: R16's strength sets and R19's two different heavy lifts (each session
    # holds one of the week's two).
    for date in hard_dates(r13_case.plan):
        plan = r13_case.plan.model_copy(deep=True)
        day_plan(plan, date).session = None
        plan = r13_case.refreshed(plan)
        report = r13_case.check(plan)
        assert "R13" in report.missed_rules() <= {"R13", "R16", "R19"}, report.missed
        if report.ok:  # the dropped session left R11's unilateral share intact
            strict = r13_case.scenario.model_copy(
                update={"rules": r13_case.scenario.rules.model_copy(update={"strict": True})}
            )
            assert "R13" in check_plan(plan, strict, catalog=r13_case.catalog).rules()
            return
    pytest.fail("every hard session carried the week's unilateral share")


# === R14: the main exercises repeat through a mesocycle (a dose target) =====================


@pytest.fixture(scope="module")
def r14_case() -> Case:
    # Three base loading weeks (no race, max_loading_weeks 3): one mesocycle.
    return solved(one_week({"mon": 40, "wed": 40, "fri": 40}, weeks=3), small_catalog())


def strength_and_power(plan: Plan, week: int) -> set[str]:
    return {
        item.exercise
        for d in plan.days
        if d.week == week and d.session
        for item in d.session.items
        if item.category in ("strength", "power")
    }


def test_r14_feasible_the_main_exercises_repeat(r14_case: Case) -> None:
    # The sessions of a mesocycle are chosen once: weeks 1-3 hold the same strength and
    # power exercises, and the checker finds nothing to report.
    assert_clean(r14_case)
    weeks = [strength_and_power(r14_case.plan, week) for week in (1, 2, 3)]
    assert weeks[0] and weeks[0] == weeks[1] == weeks[2]
    assert r14_case.check().missed == []


def test_r14_cannot_make_strict_mode_infeasible() -> None:
    # R14 is the shape of the model (contents per mesocycle), never a constraint that can
    # conflict: the strict 3-week block has a plan that keeps it.
    scenario = one_week({"mon": 40, "wed": 40, "fri": 40}, weeks=3, rules=STRICT)
    case = solved(scenario, small_catalog())
    assert case.check().ok and case.check().missed == []


def test_r14_checker_flags_a_swapped_main_exercise(r14_case: Case) -> None:
    # In week 2, swap one strength exercise for one the mesocycle does not use, alike in
    # everything the other rules read: as unilateral (R11's share), of the same pattern
    # (R16 (a)'s knee- and hip-dominant moves) and as loaded (R19's heavy lifts; a loaded
    # lower-body lift is a heavy 5-rep one for an intermediate), with the same sets. Only R14
    # can notice (the template and the equipment are unchanged too).
    plan = r14_case.plan.model_copy(deep=True)
    used = {item.exercise for item in all_items(plan)}
    by_id = default_catalog().by_id()
    session = next(d.session for d in plan.days if d.week == 2 and is_hard(d.session))

    def spares(item: Item) -> list[str]:
        held = by_id[item.exercise]
        return [
            exercise.id
            for exercise in default_catalog().exercises
            if exercise.id not in used
            and exercise.category == "strength"
            and exercise.equipment <= {"bodyweight", "dumbbell", "band"}
            and exercise.allowed_for("intermediate")
            and ("unilateral" in exercise.tags) == ("unilateral" in item.tags)
            and exercise.pattern == held.pattern
            and exercise.loaded == held.loaded
        ]

    item, others = next(
        ((it, spares(it)) for it in session.items if it.category == "strength" and spares(it)),
        (None, []),
    )
    assert item is not None and others, "the catalog has no spare strength exercise"
    for d in plan.days:  # the swap, in every week-2 session that holds the exercise
        if d.week == 2 and d.session:
            d.session.items = [
                make_item(others[0], it.sets) if it.exercise == item.exercise else it
                for it in d.session.items
            ]
    # The spare comes from the full catalog, so figures and checks use the small catalog
    # with the spare added: the checker reads an exercise's pattern from its catalog.
    wider = Case(r14_case.scenario, catalog_of(*SMALL_IDS, others[0]), plan, r14_case.solution)
    plan = wider.refreshed(plan)
    report = wider.check(plan)
    assert report.ok, report.violations
    assert report.missed_rules() == {"R14"} and {m.week for m in report.missed} == {2}


def test_r14_checker_flags_an_added_main_exercise_that_makes_its_week_the_fullest(
    r14_case: Case,
) -> None:
    # One more strength exercise in one session of week 2 makes week 2 the mesocycle's
    # fullest week. Weeks 1 and 3 hold what most of its weeks hold, so week 2 is flagged:
    # the fullest week is no reference that a change could hide behind.
    plan = r14_case.plan.model_copy(deep=True)
    used = {item.exercise for item in all_items(plan)}
    spare = next(
        e.id
        for e in default_catalog().exercises
        if e.category == "strength" and e.id not in used and e.equipment <= {"bodyweight"}
    )
    session = next(d.session for d in plan.days if d.week == 2 and is_hard(d.session))
    session.items.append(make_item(spare, 2))
    wider = Case(r14_case.scenario, catalog_of(*SMALL_IDS, spare), plan, r14_case.solution)
    report = wider.check(wider.refreshed(plan))
    assert {m.week for m in report.missed if m.rule == "R14"} == {2}
    assert any(spare in m.message for m in report.missed if m.rule == "R14")


# === R15: complete sessions (the method's template) =========================================


@pytest.fixture(scope="module")
def r15_case() -> Case:
    # One base week with three 40-min days: time for two complete hard sessions.
    return solved(one_week({"mon": 40, "wed": 40, "fri": 40}), small_catalog())


def test_r15_feasible_loading_hard_sessions_hold_every_block(r15_case: Case) -> None:
    assert_clean(r15_case)
    hard = [d.session for d in r15_case.plan.days if is_hard(d.session)]
    assert len(hard) >= 2
    for session in hard:
        assert session.kind == "full"
        assert [c for c in CATEGORIES if any(i.category == c for i in session.items)] == list(
            CATEGORIES
        )
        mobility = {t for i in session.items if i.category == "mobility" for t in i.tags}
        assert {"hip", "ankle"} <= mobility


def test_r15_strict_twin_no_accessory_exercise_is_infeasible() -> None:
    # Without any accessory exercise no hard session of a loading week is complete, so the
    # strict week's two hard sessions (R13) cannot exist.
    scenario = one_week({"mon": 40, "wed": 40, "fri": 40}, rules=STRICT)
    accessory = {"banded_clamshell", "side_lying_hip_abduction"}
    without = catalog_of(*(i for i in SMALL_IDS if i not in accessory))
    _, solution, _ = solve_with(scenario, without, 10)
    assert solution.status == "infeasible"
    # Control: with the accessory exercises back, the strict week has its plan.
    case = solved(scenario, small_catalog())
    assert case.check().ok and case.check().missed == []


def test_r15_checker_flags_a_session_without_its_accessory_block(r15_case: Case) -> None:
    plan = r15_case.plan.model_copy(deep=True)
    date = hard_dates(plan)[0]
    session = day_plan(plan, date).session
    session.items = [i for i in session.items if i.category != "accessory"]
    plan = r15_case.refreshed(plan)
    report = r15_case.check(plan)
    assert report.rules() == {"R15"}, report.violations
    assert {v.date for v in report.violations} == {date}


def test_r15_checker_flags_a_deload_session_without_strength() -> None:
    # A deload hard session keeps mobility, strength and core; power alone is not enough.
    case = solved(
        one_week({"mon": 40, "wed": 40, "fri": 40}, weeks=4, rules={"max_loading_weeks": 3}),
        small_catalog(),
    )
    plan = case.plan.model_copy(deep=True)
    deload = next(d for d in plan.days if d.week == 4 and is_hard(d.session))
    assert deload.session.kind == "deload"
    deload.session.items = [i for i in deload.session.items if i.category != "strength"]
    if not any(i.category == "power" for i in deload.session.items):
        insert_item(deload.session, make_item("pogo_hops", 3))
    plan = case.refreshed(plan)
    assert "R15" in case.check(plan).rules()


# === R16: the minimum effective dose (a dose target) ========================================


def strength_items(session: Session) -> list[str]:
    return [item.exercise for item in session.items if item.category == "strength"]


def test_r16_feasible_a_base_week_gets_the_dose(r15_case: Case) -> None:
    plan = r15_case.plan
    assert "R16" not in r15_case.check().missed_rules()
    hard = [d.session for d in plan.days if is_hard(d.session)]
    assert all(len(set(strength_items(s))) >= 2 and s.minutes >= 30 for s in hard)
    sets = sum(i.sets for s in hard for i in s.items if i.category == "strength")
    assert sets >= r15_case.scenario.rules.strength_sets["intermediate"]
    assert plan.weeks[0].minutes >= 60


def test_r16_strict_twin_an_unreachable_set_target_is_infeasible() -> None:
    # 40 strength sets do not fit in three 40-min days: strict mode has no plan.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40}, rules=STRICT | {"strength_sets": {"intermediate": 40}}
    )
    _, solution, _ = solve_with(scenario, small_catalog(), 10)
    assert solution.status == "infeasible"


def test_r16_missed_target_is_a_warning_the_checker_agrees_with() -> None:
    # Not strict: the plan meets what it can, and says what it missed, the same weeks the
    # checker finds.
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40}, rules={"strength_sets": {"intermediate": 40}}
    )
    case = solved(scenario, small_catalog())
    report = case.check()
    assert report.ok, report.violations
    warned = [w for w in case.plan.warnings if w.rule == "R16"]
    assert warned and "strength sets" in warned[0].message and warned[0].suggestion
    assert {m.week for m in report.missed if m.rule == "R16"} == {w.week for w in warned}


def test_r16_checker_flags_a_week_with_one_strength_exercise_per_session(r15_case: Case) -> None:
    plan = r15_case.plan.model_copy(deep=True)
    for date in hard_dates(plan):
        session = day_plan(plan, date).session
        strength = [i for i in session.items if i.category == "strength"]
        keep = next(i for i in strength if "unilateral" in i.tags)  # R11 stays met
        session.items = [i for i in session.items if i.category != "strength" or i is keep]
    plan = r15_case.refreshed(plan)
    report = r15_case.check(plan)
    assert report.ok, report.violations
    assert "R16" in report.missed_rules()
    assert any("strength exercise" in m.message for m in report.missed)
    strict = r15_case.scenario.model_copy(
        update={"rules": r15_case.scenario.rules.model_copy(update={"strict": True})}
    )
    assert "R16" in check_plan(plan, strict, catalog=r15_case.catalog).rules()


# === R18: the coach's say ===================================================================

R18_COACH = {
    "exclude": ["goblet_squat_db"],  # the small catalog's strongest bilateral squat
    "include": ["skater_hops"],  # a power move the plan without the coach leaves out
    "pin": [
        {"date": MON.isoformat(), "session": "none"},
        {"date": WED.isoformat(), "session": "hard"},
        {"date": FRI.isoformat(), "exercises": ["side_plank"]},
    ],
}
R18_WEEK = ({"mon": 40, "wed": 40, "fri": 40, "sat": 40}, {"sun": "long 16"})


@pytest.fixture(scope="module")
def r18_case() -> Case:
    return solved(one_week(*R18_WEEK, coach=R18_COACH), small_catalog())


def test_r18_feasible_the_plan_follows_the_coach(r18_case: Case) -> None:
    assert_clean(r18_case)
    plan = r18_case.plan
    sessions = {d.date: d.session for d in plan.days if d.session}
    assert MON not in sessions
    assert WED in sessions and sessions[WED].hard
    assert FRI in sessions and "side_plank" in {i.exercise for i in sessions[FRI].items}
    used = {i.exercise for i in all_items(plan)}
    assert "skater_hops" in used and "goblet_squat_db" not in used
    # The coach shaped it: the plan without the coach's say breaks R18 under it.
    free = solved(one_week(*R18_WEEK), small_catalog())
    assert {i.exercise for i in all_items(free.plan)} & {"goblet_squat_db"}
    assert "R18" in r18_case.check(free.plan).rules()


def test_r18_strict_twin_a_hard_pin_before_the_long_run_is_infeasible() -> None:
    # Saturday is the day before Sunday's long run (R4): a hard session pinned there
    # cannot be; the control pins it on Friday.
    weekly, runs = R18_WEEK
    pinned = {"pin": [{"date": SAT.isoformat(), "session": "hard"}]}
    assert_strict_infeasible(one_week(weekly, runs, rules=STRICT, coach=pinned))
    pinned = {"pin": [{"date": FRI.isoformat(), "session": "hard"}]}
    assert_strict_feasible(one_week(weekly, runs, rules=STRICT, coach=pinned))


def test_r18_infeasible_pin_is_explained_by_the_pin_and_the_rule() -> None:
    weekly, runs = R18_WEEK
    pinned = {"pin": [{"date": SAT.isoformat(), "session": "hard"}]}
    result = solve_scenario(one_week(weekly, runs, coach=pinned), fast_options(10))
    assert result.status == "infeasible" and result.explanation is not None
    assert result.explanation.rules() == {"R4", "R18"}
    assert "hard session on Sat 2027-01-09 (coach.pin[0], R18)" in result.explanation.text()
    assert "the day before a key run (R4)" in result.explanation.text()


@pytest.mark.parametrize("edit", ["excluded_item", "session_on_a_free_day", "pinned_dropped",
                                  "include_missing"])  # fmt: skip
def test_r18_checker_flags_what_the_coach_did_not_ask(r18_case: Case, edit: str) -> None:
    # - the excluded goblet squat in place of Wednesday's split squat (same sets);
    # - Friday's session moved to Monday, pinned free (Friday then lacks its pinned session);
    # - the pinned side plank taken out of Friday's session (dead bugs stay its core);
    # - every skater hop replaced by pogo hops (same sets), so the week lacks the include.
    plan = r18_case.plan.model_copy(deep=True)
    sessions = {d.date: d.session for d in plan.days if d.session}
    if edit == "excluded_item":
        items = sessions[WED].items
        index = next(i for i, it in enumerate(items) if it.exercise == "split_squat_db")
        items[index] = make_item("goblet_squat_db", items[index].sets)
    elif edit == "session_on_a_free_day":
        plan = move_session(plan, FRI, MON)
    elif edit == "pinned_dropped":
        sessions[FRI].items = [i for i in sessions[FRI].items if i.exercise != "side_plank"]
    else:
        for session in sessions.values():
            for index, item in enumerate(session.items):
                if item.exercise == "skater_hops":
                    session.items[index] = make_item("pogo_hops", item.sets)
    assert_flags_only(r18_case, r18_case.refreshed(plan), "R18")


# === R19: heavy strength where the kit allows (a dose target) ===============================


def _heavy(item: Item) -> bool:
    """A loaded lower-body strength item at 3-6 reps, read from the plan alone."""
    if item.category != "strength" or "lower_body" not in item.tags:
        return False
    loaded = set(item.equipment) & {"dumbbell", "kettlebell", "barbell", "trap_bar", "cable"}
    return bool(loaded) and 3 <= int(item.reps.removesuffix("/side")) <= 6


def test_r19_feasible_every_hard_session_lifts_heavy(r15_case: Case) -> None:
    # An intermediate athlete with dumbbells: the small catalog's bodyweight single-leg RDL
    # would rest less, but R19 puts a dumbbell lift at 3-6 reps in every hard session, and
    # two different ones with 6 sets or more in the week.
    assert "R19" not in r15_case.check().missed_rules()
    hard = [d.session for d in r15_case.plan.days if is_hard(d.session)]
    assert len(hard) >= 2
    assert all(any(_heavy(i) for i in s.items) for s in hard)
    heavy = [i for s in hard for i in s.items if _heavy(i)]
    assert len({i.exercise for i in heavy}) >= 2
    assert sum(i.sets for i in heavy) >= 6


def _kit_on_saturday_only(**rules: object) -> Scenario:
    # The dumbbells are at the gym on Saturday only, and Sunday's long run rules out hard
    # work on Saturday (R4): no hard session can lift them.
    return one_week(
        {"mon": 40, "wed": 40, "sat": 40},
        runs={"sun": "long 16"},
        athlete={"equipment": ["band"]},
        equipment_by_day={"sat": ["dumbbell"]},
        rules=rules,
    )


def test_r19_strict_twin_the_only_kit_day_cannot_hold_a_hard_session() -> None:
    scenario = _kit_on_saturday_only(strict=True)
    _, solution, _ = solve_with(scenario, small_catalog(), 10)
    assert solution.status == "infeasible"
    # Not strict: the plan says why, naming the day with the kit and what rules it out.
    case = solved(_kit_on_saturday_only(), small_catalog())
    assert case.check().ok
    warned = [w for w in case.plan.warnings if w.rule == "R19"]
    assert warned and any("Sat" in w.message for w in warned), case.plan.warnings
    # Control: with the dumbbells on Wednesday too, strict mode has its plan.
    control = one_week(
        {"mon": 40, "wed": 40, "sat": 40},
        runs={"sun": "long 16"},
        athlete={"equipment": ["band"]},
        equipment_by_day={"sat": ["dumbbell"], "wed": ["dumbbell"], "mon": ["dumbbell"]},
        rules=STRICT,
    )
    assert solved(control, small_catalog()).check().ok


def test_r19_checker_flags_a_hard_session_without_a_heavy_lift(r15_case: Case) -> None:
    # Turn every heavy lift of one session into a light 10-rep set: nothing else changes
    # (the checker reads minutes from the items), so only R19 can notice.
    plan = r15_case.plan.model_copy(deep=True)
    date = hard_dates(plan)[0]
    for item in day_plan(plan, date).session.items:
        if _heavy(item):
            item.reps = item.reps.replace(item.reps.split("/")[0], "10", 1)
    plan = r15_case.refreshed(plan)
    report = r15_case.check(plan)
    assert report.ok, report.violations
    assert {m.rule for m in report.missed} == {"R19"}, report.missed
    assert any(m.date == date for m in report.missed)


# === R20: recovery after racing =============================================================


def _after_a_half(**rules: object) -> Scenario:
    # A half-marathon B race on Sunday of week 1, with a 2-day hard-free window before it
    # (R7) so that week 1 keeps its hard sessions. Week 2: Monday is the day after the race
    # (R7: no session), Wednesday is day 3 of the half's 3 recovery days (R20), Friday is free.
    race = [{"date": SUN.isoformat(), "distance": "half", "priority": "B"}]
    return one_week(
        {"mon": 40, "wed": 40, "fri": 40},
        weeks=2,
        races=race,
        rules={"race_hard_free_days": {"half": 2}} | rules,
    )


@pytest.fixture(scope="module")
def r20_case() -> Case:
    return solved(_after_a_half(), small_catalog())


def test_r20_feasible_no_hard_session_while_recovering(r20_case: Case) -> None:
    assert_clean(r20_case)
    plan = r20_case.plan
    week_two = [date for date in hard_dates(plan) if date > SUN]
    assert week_two == [SUN + dt.timedelta(days=5)]  # Friday only
    # R13 asks nothing of the recovery days: week 2's one possible hard session meets it.
    assert not [w for w in plan.warnings if w.rule == "R13" and 2 in (w.weeks or [w.week])]


def test_r20_cannot_make_strict_infeasible_it_lowers_the_targets() -> None:
    # R20 cannot leave a strict plan without a solution: R13, R16 and R19 ask nothing of
    # the recovery days. With 7 recovery days (all of week 2) the strict plan exists and
    # holds no hard session in week 2.
    case = solved(_after_a_half(strict=True, race_recovery_days={"half": 7}), small_catalog())
    assert case.check().ok, case.check().violations
    assert all(date <= SUN for date in hard_dates(case.plan))


def test_r20_checker_flags_a_hard_session_during_recovery(r20_case: Case) -> None:
    # Move Friday's hard session to Wednesday, day 3 after the race: no key run follows it
    # (R4), it is the week's only hard session (R3, R13), only R20 forbids it.
    plan = swap_sessions(r20_case.plan, SUN + dt.timedelta(days=5), SUN + dt.timedelta(days=3))
    assert_flags_only(r20_case, r20_case.refreshed(plan), "R20")


# === R17: paired sets =======================================================================


@pytest.fixture(scope="module")
def r17_case() -> Case:
    # Three 35-min days: two complete hard sessions (warm-up, jumps, two lifts, accessory,
    # core) only fit when the lifts' long rests hold the core sets.
    return solved(one_week({"mon": 35, "wed": 35, "fri": 35}, rules=PAIRED), small_catalog())


def test_r17_feasible_paired_sets_make_complete_sessions_fit(r17_case: Case) -> None:
    assert_clean(r17_case)
    assert "R16" not in r17_case.check().missed_rules()
    hard = [d.session for d in r17_case.plan.days if is_hard(d.session)]
    assert len(hard) >= 2
    for session in hard:
        assert len(set(strength_items(session))) >= 2
        assert any(item.pair for item in session.items)
        # The pairs save what the athlete lives: the items alone would not fit the day.
        assert session.minutes == r17_minutes(session) <= 35
        assert sum(item.minutes for item in session.items) > session.minutes


def test_r17_cannot_make_strict_infeasible_it_only_adds_plans() -> None:
    # R17 allows a choice and forbids none: it can add plans, never remove one, so no strict
    # twin is infeasible because of it. The closest honest twin: the strict week of 35-min
    # days has its plan because of R17, and has none with R17 left out of the encoding.
    scenario = one_week({"mon": 35, "wed": 35, "fri": 35}, rules=STRICT | PAIRED)
    problem = build_problem(scenario, small_catalog())
    statuses = []
    for encoding in (ENCODING, [f for f in ENCODING if f is not add_paired_sets]):
        plan = build_model(problem, encoding=encoding)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 20
        solver.parameters.num_workers = 2
        statuses.append(solver.solve(plan.model))
    assert statuses == [cp_model.OPTIMAL, cp_model.INFEASIBLE]


def test_r17_checker_flags_a_pair_with_unequal_sets(r17_case: Case) -> None:
    # One set fewer of a pair's second item (a core or accessory set that the lift's rest
    # held): the pair's minutes stay the lift's, the figures are recomputed, and only R17 can
    # object, as a pair alternates one set of each.
    plan = r17_case.plan.model_copy(deep=True)
    date, index = next(
        (day_.date, position)
        for day_ in plan.days
        if day_.session
        for position, item in enumerate(day_.session.items)
        if item.pair and item.sets == 3 and item.category in ("core", "accessory")
        and day_.session.items[position - 1].pair == item.pair
    )  # fmt: skip
    session = day_plan(plan, date).session
    old = session.items[index]
    session.items[index] = resize_item(old, 2).model_copy(update={"pair": old.pair})
    plan = r17_case.refreshed(plan)
    report = r17_case.check(plan)
    assert report.rules() == {"R17"}, report.violations
    assert [v.date for v in report.violations] == [date]
    assert "3 and 2 sets" in report.violations[0].message
