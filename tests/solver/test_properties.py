"""Hypothesis on top (STYLE.md, habit 5).

- Every plan solved from a generated valid scenario passes the checker.
- Every mutation of a solved plan that breaks a rule is caught: plain-Python oracles
  (tests/helpers.py, written from COACHING_RULES.md) decide whether the mutated plan breaks
  R1, R2, R3, R4, R5, R7, R9, R10, R11 or R12, and the checker must agree, both ways (a broken rule
  is flagged; an unbroken one is not).
- The same seed gives the same plan.
(The brute-force optimality property lives in tests/test_bruteforce.py.)

Solves use small catalogs drawn from the default one, 1-3 weeks and short time limits.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st

from planner.check.checker import check_plan
from planner.domain.catalog import Catalog
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_catalog
from planner.pipeline import SolveOptions, plan_scenario
from planner.vocabulary import EQUIPMENT, LEVELS, TARGETS, WEEKDAYS

from ..conftest import MONDAY, make_scenario
from ..helpers import (
    ORACLES,
    SMALL_IDS,
    Case,
    catalog_of,
    is_hard,
    make_item,
    new_session,
    r17_minutes,
    refresh_figures,
    resize_item,
    solve_with,
    solved,
)

CATALOG = default_catalog()
EXERCISES = {exercise.id: exercise for exercise in CATALOG.exercises}
OPENERS = sorted(
    e.id for e in CATALOG.exercises if e.category == "mobility" and {"hip", "ankle"} & e.tags
)
GEAR = [word for word in EQUIPMENT if word != "bodyweight"]


# --- strategies ----------------------------------------------------------------------------


@st.composite
def run_entries(draw: st.DrawFn) -> object:
    kind = draw(st.sampled_from(["rest", "easy", "easy", "long", "quality", "cross"]))
    if kind == "rest":
        return "rest"
    if kind == "cross":
        return f"cross {draw(st.integers(20, 90))}min"
    distance = draw(st.integers(3, 30))
    return distance if kind == "easy" else f"{kind} {distance}"


@st.composite
def scenario_data_strategy(draw: st.DrawFn, objective: str | None = None) -> dict[str, Any]:
    """A valid scenario of 1-3 weeks: availability, runs, athlete, an optional race."""
    weeks = draw(st.integers(1, 3))
    weekly = {day: draw(st.integers(0, 60)) for day in WEEKDAYS}
    running = [
        {day: draw(run_entries()) for day in draw(st.sets(st.sampled_from(WEEKDAYS), max_size=5))}
        for _ in range(weeks)
    ]
    athlete = {
        "name": "Gen",
        "level": draw(st.sampled_from(LEVELS)),
        "equipment": sorted(draw(st.sets(st.sampled_from(GEAR), max_size=4))),
        "focus": draw(st.dictionaries(st.sampled_from(TARGETS), st.integers(0, 5), max_size=4)),
        "avoid": sorted(
            draw(
                st.sets(
                    st.sampled_from(["high_impact", "plyometric", "quad", "rotation"]), max_size=1
                )
            )
        ),
    }
    availability: dict[str, Any] = {"weekly": weekly}
    if draw(st.booleans()):
        availability["max_per_week"] = draw(st.integers(20, 150))
    if draw(st.booleans()):
        day = draw(st.sampled_from(WEEKDAYS))
        availability["equipment_by_day"] = {
            day: sorted(draw(st.sets(st.sampled_from(GEAR), min_size=1, max_size=3)))
        }
    block: dict[str, Any] = {"start": MONDAY.isoformat(), "weeks": weeks, "races": []}
    if draw(st.booleans()):
        offset = draw(st.integers(0, 7 * weeks - 1))
        block["races"] = [
            {
                "date": (MONDAY + dt.timedelta(days=offset)).isoformat(),
                "distance": draw(st.sampled_from(["5k", "10k", "half", "marathon"])),
                "priority": draw(st.sampled_from(["A", "B"])),
            }
        ]
    rules = {
        "hard_gap_days": draw(st.integers(1, 3)),
        "key_run_buffer_days": draw(st.integers(0, 2)),
        "min_session_minutes": draw(st.sampled_from([10, 15, 20])),
        "paired_sets": draw(st.booleans()),  # R17
    }
    # R18: the coach's say that always leaves a plan (an empty one at worst): excluded and
    # preferred exercises, and days pinned free.
    ids = sorted(EXERCISES)
    excluded = draw(st.sets(st.sampled_from(ids), max_size=3))
    days = [MONDAY + dt.timedelta(days=offset) for offset in range(7 * weeks)]
    coach = {
        "exclude": sorted(excluded),
        "prefer": sorted(draw(st.sets(st.sampled_from(ids), max_size=2)) - excluded),
        "tolerance": draw(st.sampled_from([0.0, 0.02, 0.1])),
        "pin": [
            {"date": date.isoformat(), "session": "none"}
            for date in sorted(draw(st.sets(st.sampled_from(days), max_size=2)))
        ],
    }
    return {
        "athlete": athlete,
        "block": block,
        "availability": availability,
        "running": {"unit": draw(st.sampled_from(["km", "mi"])), "weeks": running},
        "rules": rules,
        "objective": objective or draw(st.sampled_from(["efficiency", "efficiency", "total"])),
        "coach": coach,
    }


def _basic(category: str, **conditions: bool) -> list[str]:
    """Bodyweight, novice-level exercises of a category (so every athlete can do them)."""
    return sorted(
        e.id
        for e in CATALOG.exercises
        if e.category == category
        and not e.equipment
        and e.level == "novice"
        and all((tag in e.tags) == wanted for tag, wanted in conditions.items())
    )


@st.composite
def small_catalogs(draw: st.DrawFn) -> Catalog:
    """8-14 exercises of the default catalog: a bodyweight opener, unilateral strength move
    and anti-movement core move for sure (so that most athletes can have sessions), and a
    random mix of the rest."""
    chosen = {
        draw(st.sampled_from([e for e in OPENERS if not EXERCISES[e].equipment])),
        draw(st.sampled_from(_basic("strength", unilateral=True))),
        draw(st.sampled_from(_basic("core", rotation=False))),
    }
    chosen |= draw(st.sets(st.sampled_from(sorted(EXERCISES)), min_size=5, max_size=11))
    return catalog_of(*chosen)


# --- (a) every solved plan passes the checker ----------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_data_strategy(), catalog=small_catalogs())
def test_every_solved_plan_passes_the_checker(data: dict[str, Any], catalog: Catalog) -> None:
    # R13 is soft here, so an empty plan always satisfies the hard rules: the solver must
    # find a plan, and whatever it finds must break no hard rule and state true figures.
    scenario = make_scenario(**data)
    plan, solution, _ = solve_with(scenario, catalog, seconds=5)
    assert solution.status in ("optimal", "feasible"), solution.stats
    report = check_plan(plan, scenario, catalog=catalog)  # R15 reads the kit it was solved with
    assert report.ok, "\n".join(str(v) for v in report.violations)
    # R18's preferences cost at most their tolerance of the proven best ratio.
    bound = plan.objective.benefit_per_minute_bound
    if solution.status == "optimal" and scenario.objective == "efficiency" and bound:
        keep = 1 - scenario.coach.tolerance
        assert plan.objective.benefit_per_minute >= keep * bound - 1e-6, plan.objective
    # R17: every session's minutes are what its items and pairs take, recomputed by the
    # tests' own oracle (not the planner's code, not the checker's).
    for day in plan.days:
        if day.session:
            assert day.session.minutes == r17_minutes(day.session), (day.date, day.session)
    sessions = sum(1 for d in plan.days if d.session)
    paired = any(i.pair for d in plan.days if d.session for i in d.session.items)
    event("paired sets" if paired else "no pair")
    event(f"status {solution.status}")
    event("plan with sessions" if sessions else "empty plan")
    event(
        "hard sessions"
        if any(d.session and d.session.hard for d in plan.days)
        else "no hard session"
    )


# Targets a few weeks of anti-movement core and basic work can dose from week 1 (rotation
# waits for R9's stabilisation weeks, so a focus on it cannot be met at once).
DOSABLE_FOCUS = (
    "hip_mobility", "ankle_mobility", "max_strength", "posterior_chain", "hip_stability",
    "calf_achilles", "core_anti_extension", "posture",
)  # fmt: skip


@st.composite
def generous_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A runner whose week leaves room for the whole method: three gym days of 45-60 min
    that key runs do not block (quality on Wednesday, lift after it; long run on Sunday),
    2-6 weeks, any level and kit, focus on targets that can be dosed from week 1, and
    sometimes an A race on the last Sunday."""
    weeks = draw(st.integers(2, 6))
    minutes = st.integers(45, 60)
    week = {"tue": 8, "wed": "quality 8", "thu": 6, "sun": "long 16"}
    block: dict[str, Any] = {"start": MONDAY.isoformat(), "weeks": weeks}
    running = [dict(week) for _ in range(weeks)]
    if draw(st.booleans()):
        race_day = MONDAY + dt.timedelta(days=7 * weeks - 1)
        block["races"] = [{"date": race_day.isoformat(), "distance": "10k", "priority": "A"}]
        running[-1]["sun"] = "race 10"
    return {
        "athlete": {
            "name": "Gen",
            "level": draw(st.sampled_from(LEVELS)),
            "equipment": sorted(draw(st.sets(st.sampled_from(GEAR), max_size=4))),
            "focus": draw(
                st.dictionaries(st.sampled_from(DOSABLE_FOCUS), st.integers(0, 5), max_size=3)
            ),
        },
        "block": block,
        "availability": {
            "weekly": {"mon": draw(minutes), "wed": draw(minutes), "fri": draw(minutes)}
        },
        "running": {"unit": "km", "weeks": running},
        "objective": draw(st.sampled_from(["efficiency", "efficiency", "total"])),
    }


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=generous_scenarios())
def test_the_floor_is_met_wherever_the_availability_allows_it(data: dict[str, Any]) -> None:
    # With three free 45-60 min days a week, every loading week can hold two complete hard
    # sessions of 30 min or more (R15, R16 e), 8-12 strength sets (R16 a), a peak
    # maintenance session (b) and a light taper session (c): the plan must pass the checker
    # on every rule and miss no R13 or R16 target.
    scenario = make_scenario(**data)
    plan, solution, _ = solve_with(scenario, seconds=30)
    assert solution.status in ("optimal", "feasible"), solution.stats
    report = check_plan(plan, scenario)
    assert report.ok, "\n".join(str(v) for v in report.violations)
    missed = [str(target) for target in report.missed if target.rule in ("R13", "R16")]
    assert not missed, missed
    event(f"{len(plan.weeks)} weeks, {data['athlete']['level']}")


# --- (b) every mutation that breaks a rule is caught ---------------------------------------


def _mutation_scenarios() -> list[Scenario]:
    gym = make_scenario(
        athlete={"name": "Mo", "level": "intermediate", "equipment": ["band", "dumbbell"]},
        block={"start": MONDAY.isoformat(), "weeks": 2},
        availability={
            "weekly": {"mon": 40, "tue": 25, "wed": 40, "thu": 20, "fri": 45, "sat": 60},
            "max_per_week": 100,
            "equipment_by_day": {"sat": ["barbell", "rack"]},
        },
        running={
            "unit": "km",
            "weeks": [{"tue": 6, "wed": "quality 8", "thu": 6, "sun": "long 16"}] * 2,
        },
        rules={"paired_sets": True},  # R17: Mo's lifts hold core sets in their rests
    )
    race_day = MONDAY + dt.timedelta(days=13)
    race = make_scenario(
        athlete={"name": "Nia", "level": "novice", "equipment": [], "avoid": ["high_impact"]},
        block={
            "start": MONDAY.isoformat(),
            "weeks": 2,
            "races": [{"date": race_day.isoformat(), "distance": "10k", "priority": "B"}],
        },
        availability={"weekly": {"mon": 30, "wed": 30, "fri": 30, "sat": 30, "sun": 30}},
        running={
            "unit": "km",
            "weeks": [
                {"wed": "quality 6", "sun": "long 12"},
                {"wed": "quality 5", "sun": "race 10"},
            ],
        },
    )
    return [gym, race]


@pytest.fixture(scope="module")
def mutation_bases() -> list[Case]:
    catalog = catalog_of(
        *SMALL_IDS, "back_squat", "reverse_lunge_barbell", "bird_dog", "russian_twist"
    )
    cases = [solved(scenario, catalog) for scenario in _mutation_scenarios()]
    for case in cases:
        assert case.check().ok, case.check().violations
        assert any(d.session for d in case.plan.days)
        # The R15 oracle never excuses power: it holds where the athlete has a power
        # exercise that is not plyometric (R5 cannot then leave a session without power).
        athlete = case.scenario.athlete
        assert any(
            e.category == "power"
            and "plyometric" not in e.tags
            and e.allowed_for(athlete.level)
            and e.equipment <= set(athlete.equipment)
            and not e.tags & set(athlete.avoid)
            for e in CATALOG.exercises
        )
    return cases


MUTATIONS = ("move", "add", "remove", "sets", "minutes", "swap_order", "forbidden", "new_session")


def _sessions(plan: Plan) -> list[Any]:
    return [d for d in plan.days if d.session is not None]


def mutate(data: st.DataObject, case: Case) -> tuple[Plan, list[str]]:
    """Apply 1-3 random edits to a copy of the case's plan; keep the derived figures (hard
    and after_run flags, week sums, objective) consistent as the plan builder would."""
    plan = case.plan.model_copy(deep=True)
    scenario = case.scenario
    level = scenario.athlete.level
    applied = []
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(MUTATIONS))
        sessions = _sessions(plan)
        if not sessions and kind != "new_session":
            continue
        applied.append(kind)
        if kind == "new_session":
            empty = [d for d in plan.days if d.session is None]
            if not empty:
                continue
            target = data.draw(st.sampled_from(empty))
            items = [make_item(data.draw(st.sampled_from(OPENERS)), 1, level)]
            other = data.draw(st.sampled_from(sorted(EXERCISES)))
            if other not in {i.exercise for i in items}:
                items.append(make_item(other, data.draw(st.integers(1, 4)), level))
            target.session = new_session(*items)
            continue
        day = data.draw(st.sampled_from(sessions))
        session = day.session
        items = session.items
        if kind == "move":
            target = data.draw(st.sampled_from(plan.days))
            day.session, target.session = target.session, day.session
        elif kind in ("add", "forbidden"):
            if kind == "forbidden":
                own = set(scenario.athlete.equipment)
                pool = sorted(e.id for e in CATALOG.exercises if e.equipment - own)
            else:
                pool = sorted(EXERCISES)
            item = make_item(data.draw(st.sampled_from(pool)), data.draw(st.integers(1, 5)), level)
            items.insert(data.draw(st.integers(0, len(items))), item)
            session.minutes += item.minutes
        elif kind == "remove":
            item = items.pop(data.draw(st.integers(0, len(items) - 1)))
            session.minutes -= item.minutes
            if not items:
                day.session = None
        elif kind == "sets":
            index = data.draw(st.integers(0, len(items) - 1))
            resized = resize_item(items[index], data.draw(st.integers(1, 6)), level)
            session.minutes += resized.minutes - items[index].minutes
            items[index] = resized
        elif kind == "minutes":
            session.minutes = data.draw(st.integers(0, 90))
        elif kind == "swap_order" and len(items) >= 2:
            first, second = data.draw(
                st.lists(st.integers(0, len(items) - 1), min_size=2, max_size=2, unique=True)
            )
            items[first], items[second] = items[second], items[first]
    for day in plan.days:
        if day.session is not None:
            day.session.hard = is_hard(day.session)
            day.session.after_run = day.session.hard and day.run.kind == "quality"
    return refresh_figures(plan, scenario, case.catalog), applied


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_rule_breaking_mutation_is_flagged(
    mutation_bases: list[Case], data: st.DataObject
) -> None:
    # The oracles re-derive each rule from its text; the checker must flag exactly the
    # rules the oracles find broken (among those the oracles cover).
    case = data.draw(st.sampled_from(mutation_bases))
    plan, applied = mutate(data, case)
    # The checker reads exercise levels (R9) from the catalog: give it the full one, since
    # the mutations add exercises from outside the small catalog the plan was solved with.
    report = check_plan(plan, case.scenario)
    flagged = report.rules() | report.missed_rules()  # R16 is a dose target: a missed one
    for rule in sorted(flagged):
        event(f"flagged {rule}")
    for rule, oracle in ORACLES.items():
        broken = oracle(plan, case.scenario)
        assert broken == (rule in flagged), (
            f"{rule}: oracle says {'broken' if broken else 'fine'}, "
            f"checker flagged {sorted(flagged)} "
            f"after {applied}"
        )
    # The figures were kept consistent, so the objective is never the complaint.
    assert "objective" not in flagged and "plan" not in flagged


def test_the_mutations_do_break_each_covered_rule(mutation_bases: list[Case]) -> None:
    # Guard against a vacuous property: a fixed set of targeted edits makes every oracle
    # fire at least once on the bases (so the property above really exercises each rule).
    fired: set[str] = set()
    for case in mutation_bases:
        level = case.scenario.athlete.level
        for edit in range(8):
            plan = case.plan.model_copy(deep=True)
            sessions = _sessions(plan)
            first = sessions[0]
            if edit == 0:  # minutes over the day, items reversed
                first.session.minutes = first.available_minutes + 5
                first.session.items.reverse()
            elif edit == 1:  # every session on consecutive days from the first Monday
                moved = [d.session for d in sessions]
                for d in plan.days:
                    d.session = None
                for d, session in zip(plan.days, moved, strict=False):
                    d.session = session
            elif edit == 2:  # plyometric overload and a barbell item
                first.session.items.insert(1, make_item("pogo_hops", 5, level))
                first.session.items.insert(1, make_item("lateral_line_hops", 5, level))
                first.session.items.append(make_item("hang_power_clean", 3, level))
            elif edit == 3:  # heavy bilateral strength items and early rotation work
                first.session.items.insert(1, make_item("tempo_squat_bw", 6, level))
                first.session.items.insert(1, make_item("push_up", 6, level))
                first.session.items.append(make_item("russian_twist", 2, level))
            elif edit == 4:  # hard sessions on every day
                for d in plan.days:
                    d.session = sessions[0].session.model_copy(deep=True)
            elif edit == 5:  # an empty first week, so week 2 ramps up from nothing
                for d in plan.days:
                    if d.week == 1:
                        d.session = None
            elif edit == 6:  # no accessory block anywhere: incomplete sessions (R15)
                for session in (d.session for d in sessions):
                    session.items = [i for i in session.items if i.category != "accessory"]
            elif edit == 7:  # one set of each strength exercise: under the dose (R16)
                for session in (d.session for d in sessions):
                    session.items = [
                        resize_item(i, 1, level) if i.category == "strength" else i
                        for i in session.items
                    ]
            for d in plan.days:
                if d.session is not None:
                    d.session.hard = is_hard(d.session)
                    d.session.after_run = d.session.hard and d.run.kind == "quality"
            plan = refresh_figures(plan, case.scenario, case.catalog)
            fired |= {rule for rule, oracle in ORACLES.items() if oracle(plan, case.scenario)}
    assert fired == set(ORACLES)


# --- (d) the same seed gives the same plan -------------------------------------------------


def canonical_json(plan: Plan) -> str:
    """The plan file without the run statistics under `solver` that measure the parallel
    search rather than describe the plan: timings (`*_s` other than the time limit) and the
    number of CP-SAT subproblems solved, which varies with thread timing."""
    data = plan.model_dump(mode="json")
    solver = data.get("solver")
    if isinstance(solver, dict):
        measured = [k for k in solver if k.endswith("_s") and k != "time_limit_s"]
        for key in [*measured, "subproblems"]:
            solver.pop(key, None)
    return json.dumps(data, indent=2, sort_keys=True)


DETERMINISM_SETTINGS = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: solves are slow
)


def assert_same_plan_three_times(data: dict[str, Any], seed: int) -> None:
    scenario = make_scenario(**data)
    catalog = catalog_of(*SMALL_IDS)
    plans = [solve_with(scenario, catalog, seconds=5, seed=seed)[0] for _ in range(3)]
    texts = {canonical_json(plan) for plan in plans}
    assert len(texts) == 1


@DETERMINISM_SETTINGS
@given(data=scenario_data_strategy(objective="efficiency"), seed=st.integers(0, 1000))
def test_same_seed_gives_the_same_plan(data: dict[str, Any], seed: int) -> None:
    # FORMATS.md: the same scenario with the same seed gives the same plan. Two workers
    # race in CP-SAT, so equally good plans could come back in any order; the solver must
    # still settle on one. Three solves of each generated scenario must agree byte for byte.
    assert_same_plan_three_times(data, seed)


@DETERMINISM_SETTINGS
@example(
    # Seen to give 3 different plans in 8 solves (benefit 296.4 each; 279, 285 or 315 min).
    data={
        "athlete": {
            "name": "Gen",
            "level": "advanced",
            "equipment": [],
            "focus": {"core_anti_rotation": 3, "hip_mobility": 0},
            "avoid": [],
        },
        "block": {"start": "2027-01-04", "weeks": 3, "races": []},
        "availability": {
            "weekly": {"mon": 29, "tue": 10, "wed": 3, "thu": 50, "fri": 33, "sat": 35, "sun": 42},
            "max_per_week": 130,
            "equipment_by_day": {"tue": ["pullup_bar"]},
        },
        "running": {
            "unit": "mi",
            "weeks": [
                {"thu": 8},
                {},
                {"sat": 16, "fri": "quality 30", "wed": "quality 14", "mon": "cross 27min"},
            ],
        },
        "rules": {"hard_gap_days": 1, "key_run_buffer_days": 0, "min_session_minutes": 15},
        "objective": "total",
    },
    seed=27,
)
@given(data=scenario_data_strategy(objective="total"), seed=st.integers(0, 1000))
def test_same_seed_gives_the_same_plan_for_the_total_objective(
    data: dict[str, Any], seed: int
) -> None:
    assert_same_plan_three_times(data, seed)


def test_same_seed_gives_the_same_plan_file_through_the_api() -> None:
    # The same through plan_scenario and the full catalog, on the small conftest scenario
    # (proven optimal in well under the limit), four times.
    scenario = make_scenario()
    options = SolveOptions(time_limit=20, seed=5, workers=2)
    texts = {canonical_json(plan_scenario(scenario, options)) for _ in range(4)}
    assert len(texts) == 1
