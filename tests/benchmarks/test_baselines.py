"""The benchmark baselines: plans in the optimizer's format that the checker can judge.

The baselines ignore most coaching rules on purpose, so these tests assert what they do
promise: the time budget, the session template, the athlete's equipment, figures the checker
recomputes identically, a greedy that stops only when nothing more fits or helps, and a
fixed program that is the same every week. Also the benchmark inputs: resized blocks and
catalog subsets.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.baselines import (
    BASELINES,
    FIXED_PROGRAM,
    GREEDY,
    doable_exercises,
    fixed_program,
    fixed_program_plan,
    greedy_plan,
    plan_item,
    prescribed_options,
)
from benchmarks.scenarios import load_suite, subset_catalog, with_weeks
from planner.check.checker import check_plan
from planner.domain.calendar import build_calendar
from planner.domain.plan import Plan
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.vocabulary import CATEGORIES, WEEKDAYS

from ..conftest import make_scenario

SUITE = load_suite()


@pytest.fixture(scope="module")
def baseline_plans() -> dict[tuple[str, str], Plan]:
    return {
        (name, kind): build(s) for name, s in SUITE.items() for kind, build in BASELINES.items()
    }


@pytest.mark.parametrize("kind", [GREEDY, FIXED_PROGRAM])
@pytest.mark.parametrize("name", sorted(SUITE))
def test_checker_recomputes_the_stated_figures(
    baseline_plans: dict[tuple[str, str], Plan], name: str, kind: str
) -> None:
    # The objective is filled from the checker's figures, so a second, independent check
    # of the written plan (after a JSON round trip) must agree and flag no mismatch.
    plan = Plan.model_validate_json(baseline_plans[name, kind].to_json())
    report = check_plan(plan, SUITE[name])
    assert report.figures is not None
    assert "objective" not in report.rules() and "plan" not in report.rules()
    assert plan.objective.minutes == report.figures.minutes
    assert plan.objective.benefit == pytest.approx(report.figures.benefit, abs=1e-4)
    assert plan.objective.benefit_per_minute == pytest.approx(
        report.figures.benefit_per_minute, abs=1e-6
    )


@pytest.mark.parametrize("kind", [GREEDY, FIXED_PROGRAM])
@pytest.mark.parametrize("name", sorted(SUITE))
def test_baselines_keep_time_template_and_equipment(
    baseline_plans: dict[tuple[str, str], Plan], name: str, kind: str
) -> None:
    # Both baselines respect the runner's time (R1), open with hip or ankle mobility and
    # keep template order (R2), and use only equipment the athlete has that day (R10).
    # The other rules are theirs to break; the benchmarks count those.
    report = check_plan(baseline_plans[name, kind], SUITE[name])
    assert not report.rules() & {"R1", "R2", "R10"}, [str(v) for v in report.violations]


def test_baselines_break_rules_the_optimizer_keeps(
    baseline_plans: dict[tuple[str, str], Plan],
) -> None:
    # A rule-blind planner on a marathon block must run into the taper and race rules
    # (R6, R7) somewhere: otherwise the violation counts in the benchmarks mean nothing.
    broken = Counter(
        rule for plan_key, plan in baseline_plans.items()
        for rule in check_plan(plan, SUITE[plan_key[0]]).rules()
    )  # fmt: skip
    assert broken["R6"] > 0 and broken["R7"] > 0


def test_greedy_fills_the_day_until_nothing_fits_or_helps() -> None:
    # Without max_per_week, a greedy session stops only when no more item fits the day or
    # adds benefit. Benefit is concave in the week's dose, so an item that adds nothing when
    # the greedy stopped adds nothing at the end of the week either: appending any item that
    # still fits must not raise the checker's benefit.
    scenario = make_scenario(
        availability={"weekly": {"mon": 25, "wed": 20, "fri": 45}},
        athlete={"level": "novice", "equipment": ["band"], "focus": {"hip_stability": 3}},
    )
    model = default_benefit_model()
    plan = greedy_plan(scenario)
    benefit = check_plan(plan, scenario).figures
    assert benefit is not None
    pool = doable_exercises(scenario, default_catalog())
    equipment = {day.date: day.equipment for day in build_calendar(scenario).days}
    for index, day in enumerate(plan.days):
        if day.available_minutes < scenario.rules.min_session_minutes:
            assert day.session is None
            continue
        assert day.session is not None
        left = day.available_minutes - day.session.minutes
        assert left >= 0
        taken = {item.exercise for item in day.session.items}
        count = Counter(item.category for item in day.session.items)
        for exercise in pool:
            if (
                not exercise.equipment <= equipment[day.date]
                or exercise.id in taken
                or count[exercise.category] >= model.items_per_session[exercise.category][1]
            ):
                continue
            smallest = prescribed_options(exercise, scenario.athlete.level)[0]
            if smallest.minutes(model) > left:
                continue
            item = plan_item(smallest, model)
            session = day.session.model_copy(
                update={"items": [*day.session.items, item], "minutes": day.session.minutes}
            )
            days = list(plan.days)
            days[index] = day.model_copy(update={"session": session})
            figures = check_plan(plan.model_copy(update={"days": days}), scenario).figures
            assert figures is not None
            assert figures.benefit <= benefit.benefit + 1e-9, (day.date, exercise.id, left)


def test_greedy_respects_max_per_week() -> None:
    # 25 + 20 + 45 minutes are offered, but the week may hold only 50.
    scenario = make_scenario(
        availability={"weekly": {"mon": 25, "wed": 20, "fri": 45}, "max_per_week": 50}
    )
    plan = greedy_plan(scenario)
    assert all(0 < week.minutes <= 50 for week in plan.weeks)
    assert "R1" not in check_plan(plan, scenario).rules()


def test_greedy_opens_with_hip_or_ankle_mobility_then_template_order() -> None:
    plan = greedy_plan(make_scenario())
    for _, session in plan.sessions():
        assert session.items[0].category == "mobility"
        assert {"hip", "ankle"} & set(session.items[0].tags)
        order = [CATEGORIES.index(item.category) for item in session.items]
        assert order == sorted(order)


def test_fixed_program_is_the_same_every_week() -> None:
    # Four 60-minute days (Mon, Tue, Thu, Sat) every week and no weekly cap: sessions A and
    # B land on Monday and Tuesday each week, with the same exercises and sets.
    scenario = SUITE["09_generous_4x60_fullgym_marathon_16wk"]
    plan = fixed_program_plan(scenario)
    weeks: dict[int, list[tuple[str, tuple[tuple[str, int], ...]]]] = {}
    for day, session in plan.sessions():
        items = tuple((item.exercise, item.sets) for item in session.items)
        weeks.setdefault(day.week, []).append((WEEKDAYS[day.date.weekday()], items))
    assert len(weeks) == scenario.block.n_weeks
    first = weeks[1]
    assert [weekday for weekday, _ in first] == ["mon", "tue"]
    assert all(sessions == first for sessions in weeks.values())
    program = fixed_program(scenario)
    assert [item for item, _ in first[0][1]] == [e.id for e in program[0]]


def test_fixed_program_falls_back_to_bodyweight_and_trims_to_the_day() -> None:
    # A bodyweight-only athlete gets bodyweight variants; 20-minute days force trimming.
    scenario = SUITE["07_bodyweight_novice_10k_8wk"]
    for exercises in fixed_program(scenario):
        assert all(not exercise.equipment for exercise in exercises)
    plan = fixed_program_plan(scenario)
    calendar = build_calendar(scenario)
    for week in calendar.weeks:
        days = [d for d in week.days if d.available_minutes >= scenario.rules.min_session_minutes]
        planned = [day for day, _ in plan.sessions() if day.week == week.index]
        assert [day.date for day in planned] == [day.date for day in days[:2]]
        for day in planned:
            assert day.session is not None
            assert day.session.minutes <= day.available_minutes


def test_baselines_are_deterministic() -> None:
    scenario = SUITE["04_short_5k_4wk"]
    for build in BASELINES.values():
        assert build(scenario).to_json() == build(scenario).to_json()


# --- benchmark inputs ----------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [4, 8, 16, 26, 52])
def test_resized_blocks_keep_the_race_on_the_last_day(weeks: int) -> None:
    base = SUITE["09_generous_4x60_fullgym_marathon_16wk"]
    resized = with_weeks(base, weeks)
    assert resized.block.n_weeks == weeks
    assert resized.block.last_day == base.block.last_day
    assert [race.date for race in resized.block.races] == [base.block.races[-1].date]
    assert resized.running.weeks is not None and base.running.weeks is not None
    assert resized.running.weeks[-4:] == base.running.weeks[-4:]


def test_catalog_subsets_are_deterministic_and_keep_what_the_athlete_needs() -> None:
    scenario = SUITE["09_generous_4x60_fullgym_marathon_16wk"]
    catalog = default_catalog()
    subset = subset_catalog(catalog, 40, scenario)
    assert len(subset.exercises) == 40
    assert subset == subset_catalog(catalog, 40, scenario)
    assert {e.category for e in subset.exercises} == set(CATEGORIES)
    used = set().union(*(e.equipment for e in catalog.exercises))
    kept = set().union(*(e.equipment for e in subset.exercises))
    assert used & set(scenario.athlete.equipment) <= kept
    openers = [e for e in subset.exercises if e.category == "mobility"]
    assert any("hip" in e.tags for e in openers) and any("ankle" in e.tags for e in openers)
    assert subset_catalog(catalog, 1000, scenario) is catalog
