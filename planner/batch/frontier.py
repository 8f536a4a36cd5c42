"""`planner frontier`: what more (or less) gym time buys.

Each point of the frontier is an epsilon-constraint solve: the most benefit a plan can hold
within so many gym minutes a week (`objective: total` under `availability.max_per_week`),
every coaching rule and the coach's say (R18) kept. The points, and the efficiency optimum
(`planner solve`'s plan: the most benefit per minute), run on the batch engine, one solve per
core, so a frontier takes about as long as `points / cores` solves.

A plan within a smaller cap keeps every rule under a larger one (the cap only removes plans),
so the best benefit can never fall as the minutes grow. A point whose solve ended short of
that (its time limit, or no plan in time) takes the better plan of a smaller cap instead and
says so (`kept_from`): the frontier is monotone by construction, not by luck.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planner.batch.run import BatchOptions, solve_jobs
from planner.batch.worker import PLANNED, Job, Outcome
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.errors import InputError, Problem

EFFICIENCY = "efficiency"  # the job id of the efficiency optimum
DEFAULT_POINTS = 8
SMALLEST_CAP = 20  # minutes a week: below this no complete session fits (R15, R16)
CATEGORIES = ("mobility", "power", "strength", "accessory", "core")
MISSED_RULES = ("R13", "R16", "R19")
SHOWN_BLOCKS = 3  # template blocks named in "what the added minutes buy"


def with_weekly_cap(scenario: Scenario, minutes: int) -> Scenario:
    """The scenario asking for the most benefit within `minutes` of gym time a week (or the
    scenario's own cap, when that is smaller)."""
    data = scenario.model_dump(mode="python", by_alias=True, exclude_none=True)
    data["objective"] = "total"
    cap = data["availability"].get("max_per_week")
    data["availability"]["max_per_week"] = minutes if cap is None else min(cap, minutes)
    return Scenario.model_validate(data)


def weekly_offer(scenario: Scenario) -> int:
    """The gym minutes a usual week offers: the weekly availability, within the weekly cap."""
    availability = scenario.availability
    offer = sum(availability.weekly.values())
    if availability.max_per_week is not None:
        offer = min(offer, availability.max_per_week)
    return offer


def parse_minutes(text: str) -> tuple[int, ...]:
    """`LO:HI:STEP` (every STEP minutes from LO to HI) or `A,B,C`: weekly caps, ascending."""
    field_name = "--minutes"
    try:
        if ":" in text:
            low, high, step = (int(part) for part in text.split(":"))
            if step <= 0 or low > high:
                raise ValueError
            caps = list(range(low, high + 1, step))
        else:
            caps = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(
            [Problem(field_name, f"{text!r}: expected LO:HI:STEP, such as 60:240:20, or a list "
                     "of minutes, such as 60,90,120")]
        ) from None  # fmt: skip
    if not caps or min(caps) < 0:
        raise InputError([Problem(field_name, f"{text!r}: expected minutes of 0 or more")])
    return tuple(sorted(set(caps)))


def default_caps(scenario: Scenario, points: int = DEFAULT_POINTS) -> tuple[int, ...]:
    """`points` caps, evenly from a light session's minutes to what the week offers."""
    high = weekly_offer(scenario)
    return _spread(min(SMALLEST_CAP, high), high, points)


def caps_around(
    minutes: float, scenario: Scenario, points: int = DEFAULT_POINTS
) -> tuple[int, ...]:
    """`points` caps from half to one and a half times `minutes` a week (the efficiency
    optimum's), within what the week offers."""
    high = min(weekly_offer(scenario), math.ceil(1.5 * minutes))
    return _spread(min(high, max(SMALLEST_CAP, math.floor(0.5 * minutes))), high, points)


def _spread(low: int, high: int, points: int) -> tuple[int, ...]:
    """`points` whole minutes evenly from `low` to `high` (fewer where they round alike)."""
    if points <= 1 or high <= low:
        return (high,)
    step = (high - low) / (points - 1)
    return tuple(sorted({round(low + index * step) for index in range(points)}))


@dataclass
class Point:
    """One point of the frontier: a weekly cap and the best plan found within it."""

    cap: int | None  # minutes a week; None for the efficiency optimum
    status: str  # the solve's: optimal (proven most benefit) | feasible | why there is none
    plan: Plan | None
    message: str = ""  # why there is no plan: what `planner solve` would print
    exit_code: int = 0  # and the code it would exit with
    solve_s: float = 0.0
    kept_from: int | None = None  # the smaller cap whose plan this point keeps (see module)
    marginal: float | None = None  # benefit per extra gym minute against the point before
    buys: str = ""  # what those minutes buy, in a coach's words
    marks: list[str] = field(default_factory=list)  # "efficiency optimum", "knee"

    @property
    def label(self) -> str:
        return EFFICIENCY if self.cap is None else f"{self.cap}"

    @property
    def benefit(self) -> float:
        return self.plan.objective.benefit if self.plan else 0.0

    @property
    def minutes(self) -> int:
        return self.plan.objective.minutes if self.plan else 0

    @property
    def per_week(self) -> float:
        """The plan's mean gym minutes a week."""
        return self.minutes / len(self.plan.weeks) if self.plan and self.plan.weeks else 0.0

    @property
    def ratio(self) -> float:
        return self.plan.objective.benefit_per_minute if self.plan else 0.0

    @property
    def missed(self) -> int:
        """Dose targets the plan misses, in weeks: R13's hard sessions, R16's minimum
        effective dose, R19's heavy sets. A tight cap buys its ratio by missing them."""
        if self.plan is None:
            return 0
        return sum(
            len(warning.weeks or [warning.week])
            for warning in self.plan.warnings
            if warning.rule in MISSED_RULES
        )

    @property
    def gap(self) -> float | None:
        """How far the benefit may stand below the best within the cap (a share), from the
        solve's proven bound; None for the efficiency optimum (its gap is on the ratio) or
        a plan kept from a smaller cap."""
        if self.plan is None or self.cap is None or self.kept_from is not None:
            return None
        bound = (self.plan.model_extra or {}).get("benefit_bound")
        if bound is None or bound <= 0:
            return None
        return max(0.0, (bound - self.benefit) / bound)


@dataclass
class Frontier:
    scenario: Scenario
    points: list[Point]  # by cap, ascending
    efficiency: Point  # `planner solve`'s plan
    wall_s: float = 0.0
    engine: str = ""
    per_day: PerDay | None = None  # `--per-day`: which weekday's 10 more minutes buy most

    def rows(self) -> list[Point]:
        """The points and the efficiency optimum, by mean minutes a week."""
        rows = [*self.points, self.efficiency]
        return sorted(rows, key=lambda p: (p.per_week, p.cap is None))


def solve_efficiency(scenario: Scenario, options: BatchOptions) -> Point:
    """The efficiency optimum alone (`--around` places the caps by its minutes)."""
    job = Job(EFFICIENCY, scenario, options.time_limit, options.seed)
    outcomes: list[Outcome] = []
    solve_jobs([job], options, outcomes.append)
    return _point(outcomes[0], None)


def frontier(
    scenario: Scenario,
    caps: tuple[int, ...],
    options: BatchOptions,
    efficiency: Point | None = None,
) -> Frontier:
    """Solve the most benefit within each cap, and the efficiency optimum unless given, on
    the batch engine; then make the points monotone, and mark the efficiency optimum and
    the knee."""
    started = time.monotonic()
    jobs = [
        Job(str(cap), with_weekly_cap(scenario, cap), options.time_limit, options.seed)
        for cap in caps
    ]
    if efficiency is None:
        jobs.insert(0, Job(EFFICIENCY, scenario, options.time_limit, options.seed))
    outcomes: dict[str, Outcome] = {}

    def finish(outcome: Outcome) -> None:
        outcomes[outcome.id] = outcome

    known = [efficiency.plan] if efficiency is not None and efficiency.plan else []
    engine, _ = solve_jobs(jobs, options, finish, prepare=hint_from_neighbours(outcomes, known))
    if efficiency is None:
        efficiency = _point(outcomes[EFFICIENCY], None)
    efficiency.marks.append("efficiency optimum")
    points = [_point(outcomes[str(cap)], cap) for cap in caps]
    make_monotone(points)
    _compare_neighbours(points)
    knee = find_knee(points)
    if knee is not None:
        knee.marks.append("knee")
    return Frontier(scenario, points, efficiency, time.monotonic() - started, engine)


EXTRA_DAY_MINUTES = 10  # what `--per-day` adds to one weekday at a time
ANY_DAY = "any day"


@dataclass
class DayOption:
    """`--per-day`: the most benefit with 10 more minutes on one weekday (and 10 more in the
    weekly cap), against the same cap without them."""

    day: str  # a weekday, or ANY_DAY (10 more in the weekly cap, the days unchanged)
    point: Point
    gain: float = 0.0  # benefit over the reference
    buys: str = ""


@dataclass
class PerDay:
    reference: Point  # the most benefit within the efficiency optimum's fullest week
    options: list[DayOption]  # the most benefit first

    @property
    def cap(self) -> int:
        return self.reference.cap or 0


def with_day_minutes(scenario: Scenario, weekday: str, extra: int) -> Scenario:
    """The scenario with `extra` more minutes every `weekday` (its weekly availability)."""
    data = scenario.model_dump(mode="python", by_alias=True, exclude_none=True)
    weekly = data["availability"].setdefault("weekly", {})
    weekly[weekday] = weekly.get(weekday, 0) + extra
    return Scenario.model_validate(data)


def per_day(scenario: Scenario, efficiency: Point, options: BatchOptions) -> PerDay | None:
    """Which weekday's 10 more minutes buy the most: at the efficiency optimum's fullest
    week W, the most benefit within W a week, then within W + 10 with each weekday in turn
    given 10 more minutes (and with the days as they are), all started from the efficiency
    optimum's plan, which keeps every one of those caps. None without that plan."""
    if efficiency.plan is None:
        return None
    cap = fullest_week(efficiency.plan)
    minimum = scenario.rules.min_session_minutes
    days = [
        day
        for day, minutes in scenario.availability.weekly.items()
        if minutes + EXTRA_DAY_MINUTES >= minimum
    ]
    wider = cap + EXTRA_DAY_MINUTES
    jobs = [
        Job("reference", with_weekly_cap(scenario, cap), options.time_limit, options.seed),
        Job(ANY_DAY, with_weekly_cap(scenario, wider), options.time_limit, options.seed),
        *(
            Job(
                day,
                with_weekly_cap(with_day_minutes(scenario, day, EXTRA_DAY_MINUTES), wider),
                options.time_limit,
                options.seed,
            )
            for day in days
        ),
    ]
    jobs = [replace(job, base=efficiency.plan) for job in jobs]
    outcomes: dict[str, Outcome] = {}

    def finish(outcome: Outcome) -> None:
        outcomes[outcome.id] = outcome

    solve_jobs(jobs, options, finish)
    reference = _point(outcomes["reference"], cap)
    choices = []
    for job in jobs[1:]:
        point = _point(outcomes[job.id], wider)
        choice = DayOption(job.id, point)
        if point.plan is not None and reference.plan is not None:
            choice.gain = point.benefit - reference.benefit
            choice.buys = what_minutes_buy(reference.plan, point.plan)
        choices.append(choice)
    choices.sort(key=lambda choice: -choice.gain)
    return PerDay(reference, choices)


def hint_from_neighbours(outcomes: dict[str, Outcome], known: list[Plan]) -> Callable[[Job], Job]:
    """A cap's solve starts from the best plan found so far that keeps its cap (a smaller
    cap's, or the efficiency optimum's when its fullest week fits): a plan within a smaller
    cap keeps every rule under a larger one, so the search starts at its benefit."""

    parsed: dict[str, Plan] = {}  # each finished plan read once

    def prepare(job: Job) -> Job:
        if job.id == EFFICIENCY:
            return job
        cap = int(job.id)
        for outcome in outcomes.values():
            if outcome.plan_json is not None and outcome.id not in parsed:
                parsed[outcome.id] = Plan.model_validate_json(outcome.plan_json)
        fitting = [plan for plan in [*known, *parsed.values()] if fullest_week(plan) <= cap]
        if not fitting:
            return job
        return replace(job, base=max(fitting, key=lambda plan: plan.objective.benefit))

    return prepare


def fullest_week(plan: Plan) -> int:
    return max((week.minutes for week in plan.weeks), default=0)


def _point(outcome: Outcome, cap: int | None) -> Point:
    plan = Plan.model_validate_json(outcome.plan_json) if outcome.plan_json else None
    return Point(
        cap, outcome.status, plan, outcome.message.strip(), outcome.exit_code, outcome.solve_s
    )


def make_monotone(points: list[Point]) -> None:
    """A point whose plan holds less benefit than a smaller cap's keeps that plan instead:
    it keeps every rule under the larger cap too."""
    best: Point | None = None
    for point in points:
        if best is not None and best.plan is not None and point.benefit < best.benefit - 1e-6:
            point.plan, point.kept_from = best.plan, best.cap
            if point.status not in PLANNED:
                point.status, point.message, point.exit_code = "feasible", "", 0
            continue
        if point.plan is not None:
            best = point


def _compare_neighbours(points: list[Point]) -> None:
    previous: Point | None = None
    for point in points:
        if previous is not None and previous.plan is not None and point.plan is not None:
            extra = point.minutes - previous.minutes
            if extra > 0:
                point.marginal = (point.benefit - previous.benefit) / extra
            point.buys = what_minutes_buy(previous.plan, point.plan)
        if point.plan is not None:
            previous = point


def find_knee(points: list[Point]) -> Point | None:
    """The point farthest above the straight line from the first plan to the last, on axes
    scaled to the frontier's range (Satopaa et al. 2011, "Kneedle"): past it, more minutes
    buy markedly less. None when the frontier is a straight line or has under 3 plans."""
    planned = [p for p in points if p.plan is not None and p.kept_from is None]
    if len(planned) < 3:
        return None
    first, last = planned[0], planned[-1]
    width, height = last.per_week - first.per_week, last.benefit - first.benefit
    if width <= 0 or height <= 0:
        return None

    def lift(point: Point) -> float:
        x = (point.per_week - first.per_week) / width
        y = (point.benefit - first.benefit) / height
        return y - x

    knee = max(planned[1:-1], key=lift)
    return knee if lift(knee) > 0.05 else None


def weekly_profile(plan: Plan) -> dict[str, float]:
    """A plan's mean week: sessions, hard sessions, and sets per template block."""
    weeks = max(1, len(plan.weeks))
    counts: Counter[str] = Counter()
    for _, session in plan.sessions():
        counts["sessions"] += 1
        counts["hard sessions"] += session.hard
        for item in session.items:
            counts[f"{item.category} sets"] += item.sets
    return {name: count / weeks for name, count in counts.items()}


def what_minutes_buy(before: Plan, after: Plan) -> str:
    """What the larger plan's mean week holds more (or less) of: "sessions +0.5, strength
    sets +1.8, power sets +2.0 a week" (no leading sign, which a spreadsheet would take for
    a formula); the sessions, then the three blocks that change most, changes under 0.1 left
    out."""
    old, new = weekly_profile(before), weekly_profile(after)
    changes = {name: new.get(name, 0.0) - old.get(name, 0.0) for name in (*old, *new)}
    sessions = [name for name in ("sessions", "hard sessions") if abs(changes[name]) >= 0.1]
    sets = sorted(
        (name for name in changes if name.endswith(" sets") and abs(changes[name]) >= 0.1),
        key=lambda name: -abs(changes[name]),
    )
    shown = [(name, changes[name]) for name in [*sessions, *sets[:SHOWN_BLOCKS]]]
    if not shown:
        return "the same week"
    words = [f"{name} {change:+.1f}" for name, change in shown]
    return ", ".join(words) + " a week"
