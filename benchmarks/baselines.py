"""Two simpler planners to compare the optimizer with.

- **greedy** fills each available day, one session at a time, with the exercise of the best
  marginal benefit per minute, as common workout apps pick.
- **fixed program** is a classic twice-a-week runner's strength routine: the same two
  sessions every week on the first two available days.

Both return a `planner.domain.plan.Plan` in the optimizer's format, so the same independent checker
judges all three. They respect only the time budget (the day's minutes, `min_session_minutes`
and `max_per_week`) and what the athlete can do (level, equipment, avoided tags). Every other
coaching rule is ignored on purpose, and the checker counts what they break. Their figures
(benefit, minutes, benefit per minute) are computed by the checker, not by the baselines.

The plans say `status: feasible` only because the plan format has no other word for "a plan
was written"; whether they follow the rules is the checker's call. Neither baseline knows
mesocycles, so both use the catalog's prescription for the athlete's level throughout.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from planner.check.checker import check_plan
from planner.domain.calendar import Calendar, Day, build_calendar
from planner.domain.catalog import (
    BenefitModel,
    Catalog,
    Exercise,
    Prescription,
    contacts_per_set,
    item_minutes,
    prescription_for,
)
from planner.domain.plan import Item, Objective, Plan, Session
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.solver.plan_builder import LOAD_BY_CATEGORY, weeks_and_days
from planner.vocabulary import CATEGORIES, OPENER_TAGS

GREEDY = "greedy"
FIXED_PROGRAM = "fixed_program"
STRENGTH_LOAD = "RPE 7-8: leave 2-3 reps in reserve"

# The classic routine: one tuple per session, one tuple of catalog ids per slot, best first.
# A slot takes the first id the athlete can do (level, own equipment, avoided tags), so the
# bodyweight variant comes last; a slot with no doable id is left out.
FIXED_SESSIONS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (  # A: hips, single-leg strength, calves, anti-extension and lateral core
        ("worlds_greatest_stretch", "hip_90_90_switches", "leg_swings_front_back"),
        ("split_squat_db", "step_up_db", "reverse_lunge_db", "split_squat_bw"),
        ("single_leg_rdl_db", "single_leg_rdl_kb", "single_leg_rdl_bw"),
        ("single_leg_calf_raise_db", "single_leg_calf_raise"),
        ("front_plank", "dead_bug"),
        ("side_plank",),
    ),
    (  # B: ankles, low-level plyometrics, squat, glutes, adductors or abductors, dead bug
        ("banded_ankle_mobilisation", "ankle_rocks", "soleus_wall_stretch"),
        ("pogo_hops", "a_skips"),
        ("goblet_squat_db", "single_leg_box_squat", "tempo_squat_bw"),
        ("single_leg_glute_bridge",),
        ("copenhagen_plank", "side_lying_hip_abduction"),
        ("dead_bug", "bird_dog"),
    ),
)


@dataclass(frozen=True)
class Choice:
    """One session item: an exercise, its prescription and a number of sets."""

    exercise: Exercise
    prescription: Prescription
    sets: int

    def minutes(self, model: BenefitModel) -> int:
        return item_minutes(self.exercise, self.prescription, self.sets, model)

    def dose(self) -> dict[str, float]:
        """Set-contributions per training target, as the checker adds them up."""
        return {target: self.sets * amount for target, amount in self.exercise.targets.items()}


def doable_exercises(scenario: Scenario, catalog: Catalog) -> list[Exercise]:
    """Exercises the athlete may do at all: level and avoided tags (equipment is per day)."""
    athlete = scenario.athlete
    avoid = set(athlete.avoid)
    return [e for e in catalog.exercises if e.allowed_for(athlete.level) and not e.tags & avoid]


def _is_opener(exercise: Exercise) -> bool:
    return exercise.category == "mobility" and bool(exercise.tags & OPENER_TAGS)


def _week_budget(scenario: Scenario, day: Day, used_this_week: int) -> int:
    """Minutes a session may take on `day`: the day's time, within `max_per_week`."""
    cap = scenario.availability.max_per_week
    if cap is None:
        return day.available_minutes
    return min(day.available_minutes, cap - used_this_week)


# --- greedy --------------------------------------------------------------------------------


def greedy_plan(
    scenario: Scenario, catalog: Catalog | None = None, benefit: BenefitModel | None = None
) -> Plan:
    """Day by day, fill the day's time with the item of best marginal benefit per minute.

    Each session opens with the best hip or ankle mobility item, then repeatedly adds the
    (exercise, sets) option with the highest gain in the week's benefit per minute that still
    fits the day (and `max_per_week`), up to the benefit model's items per category, until
    nothing fits or nothing adds benefit. Items are written in template order. The benefit of
    an option is its marginal gain on the week's concave benefit (same model, focus and phase
    as the optimizer and the checker), so the greedy sees diminishing returns within a week.
    """
    catalog = catalog or default_catalog()
    model = benefit or default_benefit_model()
    calendar = build_calendar(scenario)
    pool = doable_exercises(scenario, catalog)
    sessions: dict[dt.date, Session] = {}
    for week in calendar.weeks:
        dose: defaultdict[str, float] = defaultdict(float)
        used = 0
        for day in week.days:
            budget = _week_budget(scenario, day, used)
            if budget < scenario.rules.min_session_minutes:
                continue
            choices = _greedy_session(scenario, model, pool, day, budget, dose)
            if choices:
                session = _session(choices, day, model)
                sessions[day.date] = session
                used += session.minutes
    return _plan(scenario, calendar, sessions, GREEDY, catalog, model)


def _greedy_session(
    scenario: Scenario,
    model: BenefitModel,
    pool: Sequence[Exercise],
    day: Day,
    budget: int,
    dose: defaultdict[str, float],
) -> list[Choice]:
    """Pick one session's items; adds their dose to the week's `dose`."""
    athlete = scenario.athlete
    usable = [exercise for exercise in pool if exercise.equipment <= day.equipment]

    def gain(choice: Choice) -> float:
        total = 0.0
        for target, amount in choice.dose().items():
            focus = athlete.focus_weight(target)
            before = model.target_week_benefit(target, dose[target], day.phase, focus)
            after = model.target_week_benefit(target, dose[target] + amount, day.phase, focus)
            total += after - before
        return total

    def best(exercises: list[Exercise], remaining: int) -> tuple[Choice, float] | None:
        options = [
            choice
            for exercise in exercises
            for choice in prescribed_options(exercise, athlete.level)
            if choice.minutes(model) <= remaining
        ]
        if not options:
            return None
        scored = [(choice, gain(choice) / choice.minutes(model)) for choice in options]
        return max(scored, key=lambda pair: (pair[1], -pair[0].minutes(model)))

    remaining = budget
    opener = best([e for e in usable if _is_opener(e)], remaining)
    if opener is None:
        return []
    choices = [opener[0]]
    while True:
        for target, amount in choices[-1].dose().items():
            dose[target] += amount
        remaining -= choices[-1].minutes(model)
        count = Counter(choice.exercise.category for choice in choices)
        taken = {choice.exercise.id for choice in choices}
        open_exercises = [
            exercise
            for exercise in usable
            if exercise.id not in taken
            and count[exercise.category] < model.items_per_session[exercise.category][1]
        ]
        pick = best(open_exercises, remaining)
        if pick is None or pick[1] <= 0:
            return choices
        choices.append(pick[0])


def prescribed_options(exercise: Exercise, level: str) -> list[Choice]:
    prescription = prescription_for(exercise, level, first_mesocycle=True)
    low, high = prescription.sets
    return [Choice(exercise, prescription, sets) for sets in range(low, high + 1)]


# --- fixed program -------------------------------------------------------------------------


def fixed_program(scenario: Scenario, catalog: Catalog | None = None) -> list[list[Exercise]]:
    """The exercises of sessions A and B for this athlete (own equipment, level, avoid)."""
    catalog = catalog or default_catalog()
    by_id = {exercise.id: exercise for exercise in doable_exercises(scenario, catalog)}
    own = set(scenario.athlete.equipment) | {"bodyweight"}
    sessions = []
    for slots in FIXED_SESSIONS:
        exercises = []
        for ids in slots:
            doable = [by_id[i] for i in ids if i in by_id and by_id[i].equipment <= own]
            if doable and doable[0] not in exercises:
                exercises.append(doable[0])
        sessions.append(exercises)
    return sessions


def fixed_program_plan(
    scenario: Scenario, catalog: Catalog | None = None, benefit: BenefitModel | None = None
) -> Plan:
    """Sessions A and B every week on the first two days with at least
    `min_session_minutes` available, each at the top of its sets range and trimmed to fit
    the day (and `max_per_week`): first fewer sets from the last item backwards, then
    items dropped from the end. The opening mobility item always stays."""
    catalog = catalog or default_catalog()
    model = benefit or default_benefit_model()
    calendar = build_calendar(scenario)
    level = scenario.athlete.level
    program = [
        [
            Choice(e, p, p.sets[1])
            for e in exercises
            for p in [prescription_for(e, level, first_mesocycle=True)]
        ]
        for exercises in fixed_program(scenario, catalog)
    ]
    minimum = scenario.rules.min_session_minutes
    sessions: dict[dt.date, Session] = {}
    for week in calendar.weeks:
        days = [day for day in week.days if day.available_minutes >= minimum]
        used = 0
        for day, template in zip(days, program, strict=False):
            budget = _week_budget(scenario, day, used)
            if budget < minimum:
                continue
            choices = _trimmed(template, budget, model)
            if choices:
                session = _session(choices, day, model)
                sessions[day.date] = session
                used += session.minutes
    return _plan(scenario, calendar, sessions, FIXED_PROGRAM, catalog, model)


def _trimmed(template: list[Choice], budget: int, model: BenefitModel) -> list[Choice]:
    choices = list(template)

    def total() -> int:
        return sum(choice.minutes(model) for choice in choices)

    for index in reversed(range(len(choices))):
        while total() > budget and choices[index].sets > choices[index].prescription.sets[0]:
            choices[index] = replace(choices[index], sets=choices[index].sets - 1)
    while total() > budget and len(choices) > 1:
        choices.pop()
    return choices if choices and total() <= budget else []


# --- plan ----------------------------------------------------------------------------------


def plan_item(choice: Choice, model: BenefitModel) -> Item:
    return catalog_item(
        choice.exercise, choice.prescription, choice.sets, choice.minutes(model), choice.dose()
    )


def catalog_item(
    exercise: Exercise,
    prescription: Prescription,
    sets: int,
    minutes: int,
    dose: dict[str, float],
) -> Item:
    """A baseline's plan item: the catalog entry with its sets, minutes and dose."""
    return Item(
        exercise=exercise.id,
        name=exercise.name,
        category=exercise.category,
        sets=sets,
        reps=prescription.reps,
        load=LOAD_BY_CATEGORY.get(exercise.category, STRENGTH_LOAD),
        rest_s=prescription.rest_s,
        minutes=minutes,
        equipment=sorted(exercise.equipment),
        tags=sorted(exercise.tags),
        contacts=sets * contacts_per_set(exercise, prescription),
        targets=dict(sorted(dose.items())),
        cue=exercise.cue,
    )


def _session(choices: list[Choice], day: Day, model: BenefitModel) -> Session:
    """Items in template order; the first choice (the opener) stays first."""

    def order(pair: tuple[int, Choice]) -> tuple[int, int]:
        position, choice = pair
        return CATEGORIES.index(choice.exercise.category), position

    items = [plan_item(choice, model) for _, choice in sorted(enumerate(choices), key=order)]
    hard = any(item.category in ("power", "strength") for item in items)
    return Session(
        minutes=sum(item.minutes for item in items),
        hard=hard,
        after_run=hard and day.run.kind == "quality",  # run first, lift later that day
        items=items,
    )


def _plan(
    scenario: Scenario,
    calendar: Calendar,
    sessions: dict[dt.date, Session],
    baseline: str,
    catalog: Catalog,
    model: BenefitModel,
) -> Plan:
    weeks, days = weeks_and_days(calendar.weeks, sessions)
    rules = scenario.rules.model_dump()
    rules["objective"] = scenario.objective
    draft = Plan(
        scenario=scenario.name,
        status="feasible",
        objective=Objective(
            benefit=0.0, minutes=0, benefit_per_minute=0.0, benefit_per_minute_bound=None
        ),
        rules=rules,
        warnings=[],
        weeks=weeks,
        days=days,
        baseline=baseline,
    )
    figures = check_plan(draft, scenario, model, catalog).figures
    if figures is None:  # the days come from the calendar, so the structure always checks
        raise RuntimeError(f"{baseline}: the plan does not cover the block")
    objective = Objective(
        benefit=round(figures.benefit, 4),
        minutes=figures.minutes,
        benefit_per_minute=round(figures.benefit_per_minute, 6),
        benefit_per_minute_bound=None,
    )
    return draft.model_copy(update={"objective": objective})


BASELINES: dict[str, Callable[[Scenario], Plan]] = {
    GREEDY: greedy_plan,
    FIXED_PROGRAM: fixed_program_plan,
}
