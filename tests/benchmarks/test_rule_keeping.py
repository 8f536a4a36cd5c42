"""The baselines that keep every hard rule (benchmarks/rule_keeping.py): the rule-aware
greedy and the local search. They promise plans that the checker passes with no violation,
the same plan for the same seed (and move budget), and a local search that never ends worse
than its start. The 4-week 5k block of the suite keeps each test to a few seconds."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarks.metrics import (
    LOCAL_SEARCH,
    RULE_AWARE_GREEDY,
    Case,
    baseline_row,
    pair_figures,
    summarize,
    with_baseline_budget,
)
from benchmarks.report import BREAKS_RULES, PLANNER_LABELS, VS_VALID, _matched_table, _quality_table
from benchmarks.rule_keeping import (
    Block,
    local_search_plan,
    local_search_sessions,
    rule_aware_greedy_plan,
    rule_aware_greedy_sessions,
    score,
)
from benchmarks.scenarios import load_suite
from planner.check.checker import check_plan
from planner.domain.plan import Plan
from planner.io.catalog_file import default_benefit_model, default_catalog

SHORT = "04_short_5k_4wk"
SCENARIO = load_suite([SHORT])[SHORT]
MOVES = 250  # a move budget makes the local search deterministic for a seed


@pytest.fixture(scope="module")
def greedy() -> Plan:
    return rule_aware_greedy_plan(SCENARIO, time_limit=20)


def test_rule_aware_greedy_keeps_every_hard_rule(greedy: Plan) -> None:
    # Every step of the greedy asked the checker, and each session was kept only after a
    # check of the whole plan: the independent checker finds no violation, and the figures
    # the plan states are the checker's (no objective mismatch either).
    report = check_plan(Plan.model_validate_json(greedy.to_json()), SCENARIO)
    assert report.violations == [], [str(v) for v in report.violations]
    assert report.figures is not None
    assert greedy.objective.minutes == report.figures.minutes
    assert greedy.objective.benefit_per_minute == pytest.approx(
        report.figures.benefit_per_minute, abs=1e-6
    )
    # It is a plan, not an empty block: three 30-minute days a week hold sessions.
    assert len(greedy.sessions()) >= 4
    assert all(not item.pair for _, s in greedy.sessions() for item in s.items)


def test_rule_aware_greedy_is_deterministic(greedy: Plan) -> None:
    assert rule_aware_greedy_plan(SCENARIO, time_limit=20).to_json() == greedy.to_json()


def test_rule_aware_greedy_stops_at_its_time_limit() -> None:
    # With no time at all it walks no day: an empty plan, which breaks no hard rule.
    plan = rule_aware_greedy_plan(SCENARIO, time_limit=0)
    assert plan.sessions() == []
    assert check_plan(plan, SCENARIO).violations == []


@pytest.fixture(scope="module")
def searched() -> Plan:
    return local_search_plan(SCENARIO, time_limit=60, seed=3, max_moves=MOVES)


def test_local_search_keeps_every_hard_rule(searched: Plan) -> None:
    report = check_plan(Plan.model_validate_json(searched.to_json()), SCENARIO)
    assert report.violations == [], [str(v) for v in report.violations]
    assert searched.baseline == LOCAL_SEARCH  # type: ignore[attr-defined]


def test_local_search_is_deterministic_for_a_seed(searched: Plan) -> None:
    again = local_search_plan(SCENARIO, time_limit=60, seed=3, max_moves=MOVES)
    assert again.to_json() == searched.to_json()


def test_local_search_never_ends_worse_than_its_start() -> None:
    # From the greedy's plan, the search keeps the best plan it saw: its score (missed R13
    # and R16 targets first, then benefit per minute) is at least the start's, whatever the
    # seed; on this block it finds a better one.
    block = Block(SCENARIO, default_catalog(), default_benefit_model())
    start = rule_aware_greedy_sessions(block, 20)
    start_score = score(block.check(start))
    assert start_score is not None
    improved = False
    for seed in (0, 1):
        sessions, end_score = local_search_sessions(block, start, 60, seed, max_moves=MOVES)
        checked = score(block.check(sessions))
        assert checked == end_score
        assert not start_score.better_than(end_score)
        improved |= end_score.better_than(start_score)
    assert improved


def test_a_plan_without_pairs_saves_no_minutes(greedy: Plan) -> None:
    assert pair_figures(greedy) == (0, 0)


def test_paired_items_count_as_pairs_and_their_saved_minutes(greedy: Plan) -> None:
    # Pair two items of a session and take 3 minutes off the session: one pair, 3 minutes.
    day, session = greedy.sessions()[0]
    items = list(session.items)
    items[-2] = items[-2].model_copy(update={"pair": "A"})
    items[-1] = items[-1].model_copy(update={"pair": "A"})
    paired = session.model_copy(update={"items": items, "minutes": session.minutes - 3})
    days = [d.model_copy(update={"session": paired}) if d is day else d for d in greedy.days]
    assert pair_figures(greedy.model_copy(update={"days": days})) == (1, 3)


# --- into the benchmark ---------------------------------------------------------------------


def test_rule_keeping_baselines_in_the_summary_and_the_report() -> None:
    # One case of the short block with the optimizer's 4-second limit: both rule-keeping
    # baselines run in it with that limit, pass the checker (0 violations) and fill the pair
    # columns; the quality table compares the optimizer with them only, and the matched
    # table gives every baseline its own median row.
    case = Case("suite", SHORT, SCENARIO, None, 0, 2, 4.0, (RULE_AWARE_GREEDY, LOCAL_SEARCH))
    plans: dict[tuple[str, str], Plan] = {}
    rows = [baseline_row(case, planner, 0, plans) for planner in case.planners]
    runs = pd.DataFrame(rows)
    assert (runs["violations"] == 0).all()
    assert (runs["time_limit_s"] == 4.0).all()
    assert (runs["solve_time_s"] < 4.0 + 2.0).all()
    assert (runs["pairs_used"] == 0).all() and (runs["pair_minutes_saved"] == 0).all()
    summary = summarize(runs)

    optimizer = summary.iloc[[0]].assign(planner="optimizer", bound=4.0, gap_pct=0.0)
    optimizer["benefit_per_minute"] = 2 * summary["benefit_per_minute"].max()
    table = _quality_table(pd.concat([summary, optimizer], ignore_index=True))
    assert table[VS_VALID].iloc[0] == pytest.approx(100.0)
    assert not any(BREAKS_RULES in str(column) for column in table.columns)

    matched = []
    for planner in case.planners:
        budgeted = with_baseline_budget(
            Case("matched", SHORT, SCENARIO, None, 0, 2, 4.0, ("optimizer",), planner), plans
        )
        assert budgeted.budget_minutes is not None
        assert budgeted.scenario.availability.max_per_week == budgeted.budget_minutes
        matched.append(
            {"scenario": SHORT, "budget_of": planner, "budget_minutes": budgeted.budget_minutes,
             "benefit": 100.0, "minutes": 300, "violations": 0, "missed": 0,
             "status": "optimal"}
        )  # fmt: skip
    result = _matched_table(summary, pd.DataFrame(matched))
    labels = [PLANNER_LABELS[RULE_AWARE_GREEDY], PLANNER_LABELS[LOCAL_SEARCH]]
    assert list(result["baseline"]) == [labels[0], labels[0], labels[1], labels[1]]
    assert list(result["scenario"]).count("**median**") == 2
