"""Regression guard from the benchmarks: on three small suite scenarios, the optimizer's plan
keeps every hard rule and gives at least the greedy baseline's benefit per minute.

No timing is asserted (speed belongs in `python -m benchmarks.run`). The time limit is
short, so the optimizer need not prove optimality here; a plan that is merely feasible must
still beat a rule-blind greedy, whose plans break rules the optimizer has to keep.
"""

from __future__ import annotations

import pytest

from benchmarks.baselines import greedy_plan
from benchmarks.scenarios import load_suite
from planner.check.checker import check_plan
from planner.pipeline import SolveOptions, plan_scenario

pytestmark = pytest.mark.slow  # suite scenarios solved whole

# The fastest suite scenarios (4, 6 and 12 weeks); each solve gets at most 25 s (at 15 s a
# slower 2-core machine once ended the 4-week block on its floor plan, below the greedy).
GUARDED = ("04_short_5k_4wk", "10_no_race_return_6wk", "03_high_mileage_55mi_12wk")
TIME_LIMIT_S = 25.0
SUITE = load_suite(list(GUARDED))


@pytest.mark.parametrize("name", GUARDED)
def test_optimizer_keeps_the_rules_and_beats_greedy(name: str) -> None:
    scenario = SUITE[name]
    plan = plan_scenario(scenario, SolveOptions(time_limit=TIME_LIMIT_S, seed=0, workers=2))
    report = check_plan(plan, scenario)
    assert report.ok, [str(violation) for violation in report.violations]
    assert report.figures is not None
    greedy = check_plan(greedy_plan(scenario), scenario).figures
    assert greedy is not None
    assert report.figures.benefit_per_minute >= greedy.benefit_per_minute, (
        f"optimizer {report.figures.benefit_per_minute:.4f} < greedy "
        f"{greedy.benefit_per_minute:.4f} benefit per minute"
    )
