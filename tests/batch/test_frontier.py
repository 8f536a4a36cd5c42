"""`planner frontier`: the most benefit within each weekly cap, beside the efficiency optimum,
solved on the batch engine. Every point keeps every rule (the checker says so), the benefit
never falls as the minutes grow, and the efficiency optimum is `planner solve`'s plan."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.batch import BatchOptions
from planner.batch.frontier import (
    ANY_DAY,
    EFFICIENCY,
    EXTRA_DAY_MINUTES,
    Frontier,
    Point,
    default_caps,
    find_knee,
    frontier,
    fullest_week,
    hint_from_neighbours,
    make_monotone,
    parse_minutes,
    per_day,
    what_minutes_buy,
    with_day_minutes,
    with_weekly_cap,
)
from planner.batch.frontier_report import per_day_table
from planner.batch.worker import Job, Outcome
from planner.check.checker import check_plan
from planner.cli import app
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.errors import InputError
from planner.io.plan_file import load_plan
from planner.io.scenario_file import scenario_from_data
from planner.pipeline import SolveOptions, plan_scenario, solve_scenario

from .conftest import WEEK, WEEKS

runner = CliRunner()
CAPS = (25, 45, 70, 110)


def scenario_data() -> dict[str, object]:
    return {
        "format": 1,
        "name": "Frontier block",
        "athlete": {"name": "Fran", "level": "intermediate", "equipment": ["band", "dumbbell"]},
        "block": {"start": "2027-01-04", "weeks": WEEKS},
        "availability": {"weekly": {"mon": 40, "wed": 30, "fri": 40}},
        "running": {"unit": "km", "weeks": [WEEK] * WEEKS},
        "coach": {"exclude": ["pistol_squat"]},
    }


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return scenario_from_data(scenario_data())


@pytest.fixture(scope="module")
def solved(scenario: Scenario) -> Frontier:
    return frontier(scenario, CAPS, BatchOptions(time_limit=30, seed=0, jobs=2))


def test_every_point_keeps_every_rule_and_its_cap(scenario: Scenario, solved: Frontier) -> None:
    for point in solved.points:
        assert point.plan is not None and point.cap is not None
        capped = with_weekly_cap(scenario, point.cap)
        report = check_plan(point.plan, capped)
        assert report.ok, (point.cap, [v.message for v in report.violations])
        assert max(week.minutes for week in point.plan.weeks) <= point.cap
        # The coach's say holds at every point.
        used = {i.exercise for _, s in point.plan.sessions() for i in s.items}
        assert "pistol_squat" not in used


def test_benefit_never_falls_as_minutes_grow(solved: Frontier) -> None:
    benefits = [point.benefit for point in solved.points]
    assert benefits == sorted(benefits)
    assert benefits[-1] > benefits[0]  # a larger cap buys something here


def test_the_efficiency_optimum_is_planner_solves_plan(
    scenario: Scenario, solved: Frontier
) -> None:
    alone = plan_scenario(scenario, SolveOptions(time_limit=30, seed=0, workers=1))
    efficiency = solved.efficiency
    assert efficiency.plan is not None and "efficiency optimum" in efficiency.marks
    assert efficiency.status == alone.status == "optimal"
    assert efficiency.ratio == pytest.approx(alone.objective.benefit_per_minute, rel=1e-6)
    # No plan that meets as much of the dose beats the best ratio; a tight cap's plan can
    # only by missing dose targets, and the table says how many.
    assert efficiency.missed == 0
    for point in solved.points:
        assert point.missed > 0 or point.ratio <= efficiency.ratio + 1e-9


def test_marginals_and_what_minutes_buy_compare_neighbours(solved: Frontier) -> None:
    first, *rest = solved.points
    assert first.marginal is None and first.buys == ""
    for before, point in zip(solved.points, rest, strict=False):
        if point.minutes > before.minutes:
            expected = (point.benefit - before.benefit) / (point.minutes - before.minutes)
            assert point.marginal == pytest.approx(expected)
        assert point.buys.endswith("a week")


def test_a_point_that_ended_short_keeps_the_smaller_caps_better_plan(solved: Frontier) -> None:
    best, worse = solved.points[2], solved.points[1]
    assert best.plan is not None and worse.plan is not None and best.benefit > worse.benefit
    points = [
        Point(45, "feasible", best.plan),
        Point(70, "feasible", worse.plan),  # a time limit cut this one short
        Point(110, "no plan", None, "No plan was found within 30 s"),
    ]
    make_monotone(points)
    assert [p.plan for p in points] == [best.plan, best.plan, best.plan]
    assert [p.kept_from for p in points] == [None, 45, 45]
    assert points[2].status == "feasible"


def test_the_knee_is_where_more_minutes_start_to_buy_less(solved: Frontier) -> None:
    plan = solved.points[0].plan
    assert plan is not None

    def at(cap: int, benefit: float, minutes: int) -> Point:
        copy = plan.model_copy(deep=True)
        copy.objective.benefit, copy.objective.minutes = benefit, minutes
        return Point(cap, "optimal", copy)

    weeks = len(plan.weeks)
    curve = [at(20, 0, 0), at(40, 80, 40 * weeks), at(60, 90, 60 * weeks), at(80, 95, 80 * weeks)]
    assert find_knee(curve) is curve[1]
    straight = [at(20, 0, 0), at(40, 10, 40 * weeks), at(60, 20, 60 * weeks)]
    assert find_knee(straight) is None


def test_what_minutes_buy_names_the_blocks(solved: Frontier) -> None:
    small, large = solved.points[0].plan, solved.points[-1].plan
    assert isinstance(small, Plan) and isinstance(large, Plan)
    text = what_minutes_buy(small, large)
    assert text.endswith("a week") and "sets +" in text and not text.startswith("+")
    assert what_minutes_buy(large, large) == "the same week"


def test_minutes_are_parsed_or_refused_by_name() -> None:
    assert parse_minutes("60:120:20") == (60, 80, 100, 120)
    assert parse_minutes("90,60,60") == (60, 90)
    for bad in ("60:40:10", "sixty", "60:120:0", "-5"):
        with pytest.raises(InputError, match="--minutes"):
            parse_minutes(bad)


def test_default_caps_run_from_a_light_session_to_what_the_week_offers(
    scenario: Scenario,
) -> None:
    caps = default_caps(scenario, 5)
    assert caps[0] == 20 and caps[-1] == 110 and len(caps) == 5


def test_the_command_writes_the_table_csv_chart_and_checkable_plans(tmp_path: Path) -> None:
    scenario_file = tmp_path / "s.yaml"
    scenario_file.write_text(yaml.safe_dump(scenario_data(), sort_keys=False), encoding="utf-8")
    table, chart, page, plans = (tmp_path / n for n in ("f.csv", "f.svg", "f.html", "plans"))
    args = ["frontier", str(scenario_file), "--minutes", "30,60,110", "--time-limit", "20",
            "--jobs", "2", "-o", str(table), "-o", str(chart), "-o", str(page),
            "--plans", str(plans)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "efficiency optimum" in result.stdout and "missed" in result.stdout
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert [r["cap_min_per_week"] for r in rows if r["cap_min_per_week"]] == ["30", "60", "110"]
    assert sum("efficiency optimum" in r["marks"] for r in rows) == 1
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert "<svg" in page.read_text(encoding="utf-8")
    names = sorted(p.name for p in plans.iterdir())
    assert names == ["cap-110.json", "cap-30.json", "cap-60.json", "efficiency.json"]
    for path in plans.iterdir():
        checked = runner.invoke(app, ["check", str(scenario_file), str(path)])
        assert checked.exit_code == 0, (path.name, checked.output)
        assert load_plan(path).scenario == "Frontier block"
    again = runner.invoke(app, args)
    assert again.exit_code == 3 and "--force" in again.output  # refused before solving


def test_bad_minutes_exit_3_naming_the_option(tmp_path: Path) -> None:
    scenario_file = tmp_path / "s.yaml"
    scenario_file.write_text(yaml.safe_dump(scenario_data(), sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["frontier", str(scenario_file), "--minutes", "90:30:10"])
    assert result.exit_code == 3 and "--minutes" in result.output
    wrong = runner.invoke(app, ["frontier", str(scenario_file), "-o", str(tmp_path / "f.png")])
    assert wrong.exit_code == 2 and ".svg" in wrong.output


def test_a_scenario_without_any_plan_exits_4_with_solves_words(tmp_path: Path) -> None:
    data = scenario_data()
    # Strict rules and time only on the day before the long run: no hard session anywhere.
    data["rules"] = {"strict": True}
    data["availability"] = {"weekly": {"sat": 60}}
    scenario_file = tmp_path / "s.yaml"
    scenario_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(
        app, ["frontier", str(scenario_file), "--minutes", "40,60", "--time-limit", "10"]
    )
    assert result.exit_code == 4, result.output
    assert "No plan satisfies the hard rules" in result.output


def test_a_cap_starts_from_the_best_finished_plan_that_keeps_it(solved: Frontier) -> None:
    """The frontier's hint: the best plan found so far whose fullest week fits the cap (a
    smaller cap's, or the efficiency optimum's), none when no plan fits; the efficiency
    optimum's own solve starts from nothing."""
    plans = [p.plan for p in solved.points if p.plan is not None and p.kept_from is None]
    outcomes = {
        str(i): Outcome(str(i), "optimal", 0, "", plan.to_json(), 1.0, "here")
        for i, plan in enumerate(plans)
    }
    prepare = hint_from_neighbours(outcomes, [])
    for cap in (0, 50, 80, 200):
        fitting = [plan for plan in plans if fullest_week(plan) <= cap]
        job = prepare(Job(str(cap), with_weekly_cap(solved.scenario, cap), 1.0, 0))
        if not fitting:
            assert job.base is None
        else:
            assert job.base is not None
            assert job.base.objective.benefit == max(p.objective.benefit for p in fitting)
            assert fullest_week(job.base) <= cap
    efficiency = Job(EFFICIENCY, solved.scenario, 1.0, 0)
    assert prepare(efficiency).base is None


def test_a_solve_started_from_a_smaller_caps_plan_holds_at_least_its_benefit(
    scenario: Scenario, solved: Frontier
) -> None:
    """A plan within 45 min a week keeps every rule within 70: a 70-minute solve started
    from it, even a short one, holds at least its benefit."""
    smaller = next(p for p in solved.points if p.cap == 45)
    assert smaller.plan is not None
    result = solve_scenario(
        with_weekly_cap(scenario, 70),
        SolveOptions(time_limit=4, seed=0, workers=1, explain=False),
        base=smaller.plan,
    )
    assert result.plan is not None
    assert result.plan.objective.benefit >= smaller.plan.objective.benefit - 1e-6
    assert check_plan(result.plan, with_weekly_cap(scenario, 70)).ok


def test_per_day_says_which_weekdays_ten_more_minutes_buy_most(
    scenario: Scenario, solved: Frontier
) -> None:
    """One solve per weekday with time, at the efficiency optimum's fullest week W: W + 10
    minutes a week with 10 more on that day, against W. Each plan keeps its own scenario's
    rules; a proven answer never buys less than the reference (which keeps every one of
    those scenarios); the options come most first."""
    found = per_day(scenario, solved.efficiency, BatchOptions(time_limit=10, seed=0, jobs=2))
    assert found is not None and found.reference.plan is not None
    assert found.cap == fullest_week(solved.efficiency.plan)  # type: ignore[arg-type]
    assert {o.day for o in found.options} == {ANY_DAY, "mon", "wed", "fri"}
    assert [o.gain for o in found.options] == sorted((o.gain for o in found.options), reverse=True)
    for option in found.options:
        plan = option.point.plan
        assert plan is not None, option.day
        widened = with_weekly_cap(scenario, found.cap + EXTRA_DAY_MINUTES)
        if option.day != ANY_DAY:
            widened = with_weekly_cap(
                with_day_minutes(scenario, option.day, EXTRA_DAY_MINUTES),
                found.cap + EXTRA_DAY_MINUTES,
            )
        assert check_plan(plan, widened).ok, option.day
        if plan.status == "optimal" and found.reference.status == "optimal":
            assert option.gain >= -1e-6, option.day
    text = per_day_table(found)
    assert "more minutes on one weekday" in str(text.title)
