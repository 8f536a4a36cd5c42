"""`planner why`: a coach's question answered by solving again with it as the coach's say
(R18), compared with the plan asked about: the cost, the days that change, or the rules in
the way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.check.checker import check_plan
from planner.cli import app
from planner.domain.diff import diff_plans
from planner.errors import InfeasibleError, InputError
from planner.io.catalog_file import default_catalog
from planner.io.plan_file import load_plan
from planner.io.scenario_file import load_scenario
from planner.pipeline import SolveOptions
from planner.pipeline.why import Question, ask, forbid, force, move, session, swap, with_question

from ..conftest import scenario_data
from ..helpers import Case, all_items, day, one_week, small_catalog, solved

MON, TUE, WED, THU, FRI, SAT, SUN = (day(offset) for offset in range(7))
WEEK = ({"mon": 40, "wed": 40, "fri": 40, "sat": 40}, {"sun": "long 16"})
OPTIONS = SolveOptions(time_limit=20, seed=1, workers=2, explain=True)
runner = CliRunner()


@pytest.fixture(scope="module")
def planned() -> Case:
    case = solved(one_week(*WEEK), small_catalog())
    assert case.solution.status == "optimal"
    return case


def test_forcing_an_exercise_the_plan_left_out_costs_and_shows_the_day(planned: Case) -> None:
    used = {item.exercise for item in all_items(planned.plan)}
    assert "skater_hops" not in used
    hard_day = next(d.date for d in planned.plan.days if d.session and d.session.hard)
    answer = ask(
        planned.scenario, planned.plan, force(f"skater_hops@{hard_day}"), OPTIONS, small_catalog()
    )
    plan = answer.plan
    assert plan is not None and plan.status == "optimal"
    on_day = next(d.session for d in plan.days if d.date == hard_day)
    assert on_day is not None and "skater_hops" in {i.exercise for i in on_day.items}
    # Against a proven optimum a question never gains.
    assert plan.objective.benefit_per_minute <= planned.plan.objective.benefit_per_minute + 1e-9
    assert hard_day in {change.date for change in answer.changes}
    asked = with_question(planned.scenario, answer.question, small_catalog())
    assert check_plan(plan, asked, catalog=small_catalog()).ok
    text = "\n".join(answer.lines())
    assert "Question: skater_hops on" in text and "the fewest changes within 2 %" in text
    # One day asked about, one day changed: the answer is the plan, amended.
    assert [change.date for change in answer.changes] == [hard_day]
    assert "Days that change" in text


def test_forbidding_a_session_day_moves_the_session(planned: Case) -> None:
    busy = next(d.date for d in planned.plan.days if d.session)
    answer = ask(planned.scenario, planned.plan, forbid(busy.isoformat()), OPTIONS, small_catalog())
    assert answer.plan is not None
    assert next(d.session for d in answer.plan.days if d.date == busy) is None
    # The week still needs its sessions (R13): the session goes to another day of its week.
    (change,) = [c for c in answer.changes if c.date == busy]
    assert change.change == "moved" and change.to is not None and change.to != busy
    assert next(d.session for d in answer.plan.days if d.date == change.to) is not None
    assert "moved to" in change.text()


def test_a_hard_session_the_day_before_the_long_run_names_r4_and_the_date(planned: Case) -> None:
    answer = ask(planned.scenario, planned.plan, session(f"{SAT}:hard"), OPTIONS, small_catalog())
    assert answer.plan is None and answer.result is not None
    assert answer.result.status == "infeasible"
    explanation = answer.result.explanation
    assert explanation is not None and {"R4", "R18"} <= explanation.rules()
    assert "Sat 2027-01-09" in explanation.text() and "(R4)" in explanation.text()


def test_an_exercise_the_kit_lacks_names_r10(planned: Case) -> None:
    # The conftest athlete has a dumbbell and a band: no barbell for back squats.
    with pytest.raises(InfeasibleError, match=r"back_squat needs barbell.*\(R10\)"):
        ask(planned.scenario, planned.plan, force("back_squat"), OPTIONS)
    answer = ask(planned.scenario, planned.plan, force(f"back_squat@{MON}"), OPTIONS)
    assert answer.plan is None and answer.result is not None
    assert answer.result.explanation is not None
    assert "R10" in answer.result.explanation.rules()
    assert "back_squat needs barbell" in answer.result.explanation.text()


def test_questions_read_their_flags_and_refuse_unknown_words(planned: Case) -> None:
    source = next(d for d in planned.plan.days if d.session)
    target = next(d for d in planned.plan.days if d.session is None and d.week == source.week)
    kind = "hard" if source.session.hard else "light"  # type: ignore[union-attr]
    moved = move(f"{source.date}:{target.date}", planned.plan)
    assert moved.pins == [{"date": source.date, "session": "none"},
                          {"date": target.date, "session": kind}]  # fmt: skip
    with pytest.raises(InputError, match="no session on"):
        move(f"{target.date}:{source.date}", planned.plan)
    swapped = swap("goblet_squat_db:split_squat_db")
    assert (swapped.exclude, swapped.include) == (["goblet_squat_db"], ["split_squat_db"])
    with pytest.raises(InputError, match='did you mean "back_squat"'):
        with_question(planned.scenario, force("back_sqat"), default_catalog())
    with pytest.raises(InputError, match="outside the block"):
        with_question(planned.scenario, forbid("2030-01-01"), small_catalog())
    with pytest.raises(InputError, match="not a date"):
        forbid("Wednesday")
    assert not Question()


def test_the_diff_pairs_a_session_that_left_a_day_with_its_new_day(planned: Case) -> None:
    plan = planned.plan.model_copy(deep=True)
    days = {d.date: d for d in plan.days}
    source = next(d.date for d in plan.days if d.session)
    target = next(d for d in plan.days if d.session is None and d.week == days[source].week)
    target.session, days[source].session = days[source].session, None
    changes = diff_plans(planned.plan, plan)
    assert [(c.date, c.change, c.to) for c in changes] == [(source, "moved", target.date)]
    assert diff_plans(planned.plan, planned.plan) == []


def test_the_command_answers_and_applies(tmp_path: Path) -> None:
    data = scenario_data()
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    first = tmp_path / "plan.json"
    solved_now = runner.invoke(app, ["solve", str(scenario), "-o", str(first), "--quiet",
                                     "--time-limit", "30"])  # fmt: skip
    assert solved_now.exit_code == 0, solved_now.output
    plan = load_plan(first)
    busy = next(d.date for d in plan.days if d.session)
    new = tmp_path / "new.json"
    result = runner.invoke(app, ["why", str(scenario), str(first), "--forbid", str(busy),
                                 "--apply", "-o", str(new), "--time-limit", "30"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Question: no session on" in result.stdout and "Answer: possible" in result.stdout
    assert next(d.session for d in load_plan(new).days if d.date == busy) is None
    kept = runner.invoke(app, ["why", str(scenario), str(first), "--forbid", str(busy), "--keep",
                               "--time-limit", "30"])  # fmt: skip
    assert kept.exit_code == 0, kept.output
    written = load_scenario(scenario)
    assert [(p.date, p.session) for p in written.coach.pin] == [(busy, "none")]
    blocked = runner.invoke(app, ["why", str(scenario), str(first), "--force", "back_squat"])
    assert blocked.exit_code == 4 and "(R10)" in blocked.output
    unknown = runner.invoke(app, ["why", str(scenario), str(first), "--force", "back_sqat"])
    assert unknown.exit_code == 3 and 'did you mean "back_squat"' in unknown.output
