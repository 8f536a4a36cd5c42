"""Benchmark cases, their runs, and the metrics table.

A *case* is one scenario with one catalog, worker count and time limit. A *run* is one
planner on one case with one seed (repetition). Every run's plan is judged by the
independent checker, and its figures (benefit, minutes, benefit per minute) are the
checker's, not the planner's own. `summarize` turns runs into one row per case and planner.

Definitions (also in benchmarks/README.md):

- `bound`: the optimizer's proven upper bound on benefit per minute (the ratio itself when
  the status is `optimal`); `gap_pct` = 100 * (bound - ratio) / bound.
- `solve_time_s`: wall time from `build_problem` to the finished plan, median over runs.
- `time_to_1pct_s`: seconds (same clock) until the first progress report whose ratio is
  within 1 % of the reference, the tightest bound proven by any run of the case (the optimum
  when a run proved it): the first report with ratio >= 0.99 * reference. Median over runs;
  empty when most runs never got there.
- `peak_memory_mb`: peak resident memory of the fresh process that solved (ru_maxrss),
  including the interpreter and imports (`start_memory_mb`), median over runs.
- Rule columns (`R1`..`R12`, `R15`: the hard rules) count the checker's violations per rule
  (worst run); `other` counts structure or objective mismatches. `missed_R13`, `missed_R14`,
  `missed_R16` count the dose targets the checker found missed (worst run), `missed` their sum.
- Coach's columns (median over runs): `session_minutes` is the median session length;
  `strength_sets` the median strength sets of a base or build loading week;
  `complete_sessions` the sessions holding all five template blocks, out of
  `loading_hard_sessions`, the hard sessions of loading weeks (base, build, peak; no deload);
  `loaded_lower_sets` the median sets of loaded lower-body strength items (category
  `strength`, tag `lower_body`, equipment holding an external load: dumbbell, kettlebell,
  barbell, trap bar or cable) of a base or build loading week; `warmup_minutes` the median
  minutes of a hard session's mobility block; `accessory_sets_<target>`, for each focus
  target the athlete weights 4 or 5, the median sets of a base or build loading week of the
  accessories whose largest contribution (in the item's `targets`) is that target.
- The `matched` study solves each suite scenario with `objective: total` under a rule-keeping
  baseline's own minutes (`budget_of`, `budget_minutes`: the weekly cap that keeps the
  optimizer's total within the baseline's, its total over its weeks), so that the optimizer's
  benefit is compared with the baseline's at equal time.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from benchmarks.baselines import FIXED_PROGRAM, GREEDY, fixed_program_plan, greedy_plan
from benchmarks.rule_keeping import (
    LOCAL_SEARCH,
    RULE_AWARE_GREEDY,
    local_search_plan,
    rule_aware_greedy_plan,
)
from benchmarks.scenarios import with_budget
from benchmarks.solving import OptimizerRun, run_optimizer
from planner.check.checker import check_plan
from planner.domain.catalog import Catalog
from planner.domain.plan import Item, Plan, Session
from planner.domain.scenario import Scenario
from planner.rules import RULES
from planner.vocabulary import CATEGORIES, LOAD_EQUIPMENT

OPTIMIZER = "optimizer"
# Baselines that keep every hard rule (their plans pass the checker), and the two that break
# rules on purpose; the report never mixes the two kinds in one figure.
RULE_KEEPING = (RULE_AWARE_GREEDY, LOCAL_SEARCH)
RULE_BREAKING = (GREEDY, FIXED_PROGRAM)
PLANNERS = (OPTIMIZER, *RULE_KEEPING, *RULE_BREAKING)
TIMED = (LOCAL_SEARCH, RULE_AWARE_GREEDY)  # baselines given the optimizer's time limit
# Each baseline as (scenario, time limit in seconds, seed) -> plan; the rule-breaking ones
# take neither.
BASELINE_PLANNERS: dict[str, Callable[[Scenario, float, int], Plan]] = {
    RULE_AWARE_GREEDY: lambda scenario, limit, seed: rule_aware_greedy_plan(
        scenario, time_limit=limit
    ),
    LOCAL_SEARCH: lambda scenario, limit, seed: local_search_plan(
        scenario, time_limit=limit, seed=seed
    ),
    GREEDY: lambda scenario, limit, seed: greedy_plan(scenario),
    FIXED_PROGRAM: lambda scenario, limit, seed: fixed_program_plan(scenario),
}
RULE_IDS = tuple(rule.id for rule in RULES if rule.hard)
DOSE_RULE_IDS = tuple(rule.id for rule in RULES if not rule.hard)
MISSED_COLUMNS = tuple(f"missed_{rule}" for rule in DOSE_RULE_IDS)
COACH_COLUMNS = (
    "session_minutes", "strength_sets", "complete_sessions", "loading_hard_sessions",
    "loaded_lower_sets", "warmup_minutes", "pairs_used", "pair_minutes_saved",
)  # fmt: skip
FOCUS_PREFIX = "accessory_sets_"  # + a focus target: accessory sets per base or build week
FOCUS_WEIGHT = 4  # focus targets weighted 4 or 5 get a dose and an accessory (R16 (d), R15)
GAP_TARGET = 0.01
CASE_KEYS = [
    "study", "scenario", "planner", "budget_of", "weeks", "catalog_size", "workers",
    "time_limit_s",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    study: str  # suite | weeks | catalog
    name: str  # the suite file stem the case comes from
    scenario: Scenario
    catalog: Catalog | None  # None: the full catalog
    catalog_size: int
    workers: int
    time_limit: float
    planners: tuple[str, ...]
    budget_of: str | None = None  # matched study: the baseline whose minutes cap it
    budget_minutes: int | None = None
    repetitions: int | None = None  # None: the benchmark's runs per case

    @property
    def weeks(self) -> int:
        return self.scenario.block.n_weeks


def weekly_budget(plan: Plan) -> int:
    """The weekly cap the matched study gives the optimizer: the plan's total gym minutes
    spread evenly over its weeks (rounded down), so the optimizer's total stays within the
    baseline's. A plan's median week is not its time: a plan that leaves most weeks empty
    has a median week too short for any complete session."""
    return sum(week.minutes for week in plan.weeks) // len(plan.weeks)


def is_loaded_lower_body(item: Item) -> bool:
    """A loaded lower-body strength item (R19's heavy strength): category `strength`, tag
    `lower_body`, and equipment that holds an external load."""
    return (
        item.category == "strength"
        and "lower_body" in item.tags
        and bool(LOAD_EQUIPMENT & set(item.equipment))
    )


def largest_targets(item: Item) -> set[str]:
    """The targets of the item's largest contribution (every one of them on a tie)."""
    if not item.targets:
        return set()
    largest = max(item.targets.values())
    return {target for target, amount in item.targets.items() if amount == largest}


def focus_targets(focus: Mapping[str, int]) -> list[str]:
    """The athlete's focus targets weighted 4 or 5, in the scenario's order."""
    return [target for target, weight in focus.items() if weight >= FOCUS_WEIGHT]


def warmup_minutes(session: Session) -> int:
    """The minutes of a session's mobility block: its warm-up (R15)."""
    return sum(item.minutes for item in session.items if item.category == "mobility")


def pair_figures(plan: Plan) -> tuple[int, int]:
    """R17's paired sets in a plan: the pairs used (pair labels, counted per session) and the
    minutes they save (over sessions, the items' own minutes less the session's minutes)."""
    pairs = saved = 0
    for _, session in plan.sessions():
        pairs += len({item.pair for item in session.items if getattr(item, "pair", None)})
        saved += sum(item.minutes for item in session.items) - session.minutes
    return pairs, saved


def coach_figures(plan: Plan, focus: Mapping[str, int] | None = None) -> dict[str, float]:
    """What a coach glances at first: how long the sessions are, how many strength sets a
    loading week holds (all, and loaded lower-body ones), how many loading-week hard
    sessions hold the whole template, how long a hard session warms up, and the accessory
    sets a loading week gives each focus target weighted 4 or 5 (`focus`: the athlete's)."""
    weeks = {week.index: week for week in plan.weeks}
    sessions = plan.sessions()
    targets = focus_targets(focus or {})
    strength_sets: Counter[int] = Counter()
    loaded_sets: Counter[int] = Counter()
    accessory_sets: dict[str, Counter[int]] = {target: Counter() for target in targets}
    for day, session in sessions:
        for item in session.items:
            if item.category == "strength":
                strength_sets[day.week] += item.sets
            if is_loaded_lower_body(item):
                loaded_sets[day.week] += item.sets
            if item.category == "accessory":
                for target in largest_targets(item) & set(targets):
                    accessory_sets[target][day.week] += item.sets
    base_build = [
        week.index for week in plan.weeks if week.phase in ("base", "build") and not week.deload
    ]

    def per_week(sets: Counter[int]) -> float:
        return statistics.median(sets[w] for w in base_build) if base_build else math.nan

    loading_hard = [
        session
        for day, session in sessions
        if session.hard and weeks[day.week].phase != "taper" and not weeks[day.week].deload
    ]
    complete = [s for s in loading_hard if set(CATEGORIES) <= {i.category for i in s.items}]
    hard = [session for _, session in sessions if session.hard]
    figures = {
        "session_minutes": statistics.median(s.minutes for _, s in sessions) if sessions else 0,
        "strength_sets": per_week(strength_sets),
        "complete_sessions": len(complete),
        "loading_hard_sessions": len(loading_hard),
        "loaded_lower_sets": per_week(loaded_sets),
        "warmup_minutes": statistics.median(warmup_minutes(s) for s in hard) if hard else math.nan,
    }
    figures["pairs_used"], figures["pair_minutes_saved"] = pair_figures(plan)
    for target in targets:
        figures[FOCUS_PREFIX + target] = per_week(accessory_sets[target])
    return figures


def coach_columns(scenario: Scenario) -> list[str]:
    """The coach's columns of a scenario's rows: the fixed ones and one per focus target."""
    return [*COACH_COLUMNS, *(FOCUS_PREFIX + t for t in focus_targets(scenario.athlete.focus))]


def checked_figures(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """The checker's verdict and figures for a plan: violations per hard rule, missed dose
    targets per rule, benefit, minutes, and the coach's figures."""
    report = check_plan(plan, scenario)
    counts = Counter(violation.rule for violation in report.violations)
    row: dict[str, Any] = {rule: counts.get(rule, 0) for rule in RULE_IDS}
    row["other"] = sum(n for rule, n in counts.items() if rule not in RULE_IDS)
    row["violations"] = sum(counts.values())
    missed = Counter(target.rule for target in report.missed)
    row.update({f"missed_{rule}": missed.get(rule, 0) for rule in DOSE_RULE_IDS})
    row["missed"] = sum(missed.values())
    row.update(coach_figures(plan, scenario.athlete.focus))
    figures = report.figures
    row["benefit"] = figures.benefit if figures else math.nan
    row["minutes"] = figures.minutes if figures else math.nan
    row["benefit_per_minute"] = figures.benefit_per_minute if figures else math.nan
    return row


def _base_row(case: Case, planner: str, repetition: int) -> dict[str, Any]:
    return {
        "study": case.study,
        "scenario": case.name,
        "planner": planner,
        "budget_of": case.budget_of,
        "budget_minutes": case.budget_minutes,
        "weeks": case.weeks,
        "catalog_size": case.catalog_size,
        "workers": case.workers if planner == OPTIMIZER else math.nan,
        "time_limit_s": case.time_limit if planner in (OPTIMIZER, *TIMED) else math.nan,
        "repetition": repetition,
        "seed": repetition,
    }


def optimizer_row(case: Case, repetition: int, run: OptimizerRun) -> dict[str, Any]:
    row = _base_row(case, OPTIMIZER, repetition)
    row.update(status=run.status, exercises=run.exercises, solve_time_s=run.seconds)
    row.update(peak_memory_mb=run.peak_memory_mb, start_memory_mb=run.start_memory_mb)
    bound = math.nan
    if run.plan is not None:
        row.update(checked_figures(run.plan, case.scenario))
        stated = run.plan.objective.benefit_per_minute_bound
        bound = stated if stated is not None else math.nan
    else:
        row.update(
            {
                column: math.nan
                for column in (*RULE_IDS, "other", "violations", *MISSED_COLUMNS, "missed")
            }
        )
        row.update({column: math.nan for column in coach_columns(case.scenario)})
        row.update(benefit=math.nan, minutes=math.nan, benefit_per_minute=math.nan)
    row["bound"] = bound
    gap = 100 * (bound - row["benefit_per_minute"]) / bound if bound > 0 else math.nan
    if -1e-3 < gap < 0:  # the plan file rounds the bound to 6 decimals
        gap = 0.0
    row["gap_pct"] = gap
    row["progress"] = json.dumps([[round(e.seconds, 3), e.ratio, e.bound] for e in run.events])
    return row


def baseline_row(
    case: Case, planner: str, repetition: int, plans: dict[tuple[str, str], Plan] | None = None
) -> dict[str, Any]:
    """One baseline run (seed `repetition`); its plan goes into `plans` by (scenario,
    planner) for the first run, so that the matched study can read its weekly minutes."""
    build = BASELINE_PLANNERS[planner]
    start = time.perf_counter()
    plan = build(case.scenario, case.time_limit, repetition)
    seconds = time.perf_counter() - start
    if plans is not None and case.study == "suite":
        plans.setdefault((case.name, planner), plan)
    row = _base_row(case, planner, repetition)
    row.update(status="heuristic", exercises=math.nan, solve_time_s=seconds)
    row.update(peak_memory_mb=math.nan, start_memory_mb=math.nan)
    row.update(checked_figures(plan, case.scenario))
    row.update(bound=math.nan, gap_pct=math.nan, progress="[]")
    return row


def _optimizer_run(case: Case, repetition: int) -> OptimizerRun:
    """One solve; a crash of the solving process is a result (status `error`), not the end
    of the benchmark."""
    try:
        return run_optimizer(
            case.scenario,
            time_limit=case.time_limit,
            workers=case.workers,
            seed=repetition,
            catalog=case.catalog,
        )
    except Exception as error:
        print(f"solve failed: {error!r}", file=sys.stderr)
        return OptimizerRun(
            status="error", plan=None, seconds=math.nan, stats={"error": repr(error)}
        )


def with_baseline_budget(case: Case, plans: dict[tuple[str, str], Plan]) -> Case:
    """A matched case without its budget yet gets the weekly minutes of its baseline's plan:
    the suite run's (seed 0) when there was one, else a plan made now with seed 0."""
    if case.budget_of is None or case.budget_minutes is not None:
        return case
    plan = plans.get((case.name, case.budget_of))
    if plan is None:
        plan = BASELINE_PLANNERS[case.budget_of](case.scenario, case.time_limit, 0)
        plans[(case.name, case.budget_of)] = plan
    budget = weekly_budget(plan)
    return replace(case, scenario=with_budget(case.scenario, budget), budget_minutes=budget)


def run_cases(
    cases: Iterable[Case],
    repetitions: int,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    baseline_repetitions: int | None = None,
) -> pd.DataFrame:
    """Every planner of every case, `repetitions` times (seeds 0, 1, ...), one row per run;
    the baselines `baseline_repetitions` times when given (they are deterministic, or
    nearly: only a time limit that cuts their walk varies them). Matched cases take their
    budget from the suite run of their baseline (run them after)."""
    rows = []
    plans: dict[tuple[str, str], Plan] = {}
    for case in cases:
        case = with_baseline_budget(case, plans)
        for planner in case.planners:
            runs = case.repetitions or repetitions
            if planner != OPTIMIZER and baseline_repetitions is not None:
                runs = min(runs, baseline_repetitions)
            for repetition in range(runs):
                if planner == OPTIMIZER:
                    row = optimizer_row(case, repetition, _optimizer_run(case, repetition))
                else:
                    row = baseline_row(case, planner, repetition, plans)
                rows.append(row)
                if on_row:
                    on_row(row)
    return pd.DataFrame(rows)


def log_row(row: dict[str, Any]) -> None:
    """One line per run on stderr, so a long benchmark shows where it is."""
    setting = f"{row['weeks']} wk, {row['catalog_size']} ex"
    if isinstance(row["budget_of"], str):
        setting += f", {row['budget_of']}'s {row['budget_minutes']} min a week"
    if row["planner"] == OPTIMIZER:
        setting += f", {row['workers']} workers, limit {row['time_limit_s']:g} s"
    bound = "" if math.isnan(row["bound"]) else f" (bound {row['bound']:.4f})"
    print(
        f"{row['study']:>7} {row['scenario']} [{setting}] {row['planner']} #{row['repetition']}: "
        f"{row['status']} {row['benefit_per_minute']:.4f}/min{bound}, "
        f"{row['violations']} violations, {row['solve_time_s']:.1f} s",
        file=sys.stderr,
        flush=True,
    )


# --- summary -------------------------------------------------------------------------------


def time_to_gap(
    progress: list[list[float | None]], reference: float, gap: float = GAP_TARGET
) -> float:
    """Seconds until the first report with ratio >= (1 - gap) * reference; inf if none."""
    for seconds, ratio, _bound in progress:
        if reference > 0 and ratio is not None and ratio >= (1 - gap) * reference - 1e-12:
            return float(seconds or 0.0)
    return math.inf


def _median(values: Iterable[float]) -> float:
    """Median where inf means "never": the result is NaN when most runs never got there."""
    values = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return math.nan
    middle = statistics.median(values)
    return math.nan if math.isinf(middle) else float(middle)


def _status(statuses: Iterable[str]) -> str:
    counts = Counter(statuses)
    if len(counts) == 1:
        return next(iter(counts))
    return ", ".join(f"{status} x{n}" for status, n in counts.most_common())


def summarize(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per case and planner: medians over runs, worst-case violation counts."""
    rows = []
    for keys, group in runs.groupby(CASE_KEYS, sort=False, dropna=False):
        row = dict(zip(CASE_KEYS, keys, strict=True))
        row["runs"] = len(group)
        row["status"] = _status(group["status"])
        row["exercises"] = group["exercises"].iloc[0]
        row["budget_minutes"] = group["budget_minutes"].iloc[0]
        for column in ("benefit", "minutes", "benefit_per_minute", "bound", "gap_pct"):
            row[column] = _median(group[column])
        # Runs of an earlier version may lack a column of a newer rule or coach's figure
        # (`--report-only`): it stays empty.
        focus = [column for column in runs.columns if column.startswith(FOCUS_PREFIX)]
        for column in (*COACH_COLUMNS, *focus):
            row[column] = _median(group[column]) if column in group else math.nan
        for column in (*RULE_IDS, "other", "violations", *MISSED_COLUMNS, "missed"):
            row[column] = group[column].max() if column in group else math.nan
        row["solve_time_s"] = _median(group["solve_time_s"])
        bounds = group["bound"].dropna()
        if row["planner"] == OPTIMIZER and len(bounds):
            reference = float(bounds.min())
            progress = [json.loads(text) for text in group["progress"]]
            row["time_to_1pct_s"] = _median(time_to_gap(events, reference) for events in progress)
        else:
            row["time_to_1pct_s"] = math.nan
        row["peak_memory_mb"] = _median(group["peak_memory_mb"])
        row["start_memory_mb"] = _median(group["start_memory_mb"])
        rows.append(row)
    return pd.DataFrame(rows)
