"""Two baselines that keep every hard coaching rule, to compare valid plans with valid plans.

- **rule-aware greedy** (`rule_aware_greedy_plan`): the day-by-day picker of a workout app that
  asks the independent checker before it adds anything. It walks the block's days in order and
  builds each session item by item in template order (a hip or ankle mobility opener, then
  power, strength, accessory, core), always taking the exercise and set count of best marginal
  benefit per minute among those after which the plan still has no hard-rule violation.
- **local search** (`local_search_plan`): hill climbing over whole plans from the greedy's plan,
  with random moves that the checker must accept, and restarts from the best plan.

Both use the checker (`planner.check.checker.check_plan`) as their only judge of the rules:
a plan counts as valid when the checker reports no violation. Missed dose targets (R13, R14,
R16, R19) are the checker's `missed` findings, not violations, so they never make a move
infeasible; with `rules.strict: true` the checker reports them as violations and both
baselines then keep them too. Their figures (benefit, minutes, benefit per minute) are the
checker's, computed as for the other baselines (`benchmarks.baselines._plan`).

Both leave every item unpaired: R17's paired sets (`Item.pair`) are the optimizer's, and a
baseline's session takes the sum of its items' minutes. Prescriptions follow the solver's
(`prescription_for` with the week's mesocycle: a novice's strength work changes after the
first mesocycle), and an item's benefit is its set contributions with the set's intensity, as
the checker counts them.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from benchmarks.baselines import catalog_item, doable_exercises
from planner.check.checker import CheckReport, Violation, check_plan
from planner.domain.calendar import Calendar, Day, build_calendar
from planner.domain.catalog import (
    BenefitModel,
    Catalog,
    Exercise,
    Prescription,
    item_minutes,
    prescription_for,
    set_contributions,
)
from planner.domain.plan import Item, Objective, Plan, Session
from planner.domain.scenario import Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.solver.plan_builder import weeks_and_days
from planner.vocabulary import CATEGORIES, HARD_CATEGORIES, OPENER_TAGS

RULE_AWARE_GREEDY = "rule_aware_greedy"
LOCAL_SEARCH = "local_search"
DEFAULT_TIME_LIMIT = 60.0  # the optimizer's limit in the suite (120 s for 52-week blocks)
WARM_UP_MINUTES = 5  # R15's revision: a hard session's mobility block lasts 5 min or more
# Violations about a day that only a hard session can cause there: once a power or strength
# option draws one of these on a day, no power or strength option is tried there again.
HARD_DAY_RULES = frozenset({"R3", "R4", "R7", "R20"})
WEEKLY_CAP_RULES = frozenset({"R1", "R6", "R12"})  # caps on a week's (or day's) minutes
VOLUME_RULES = WEEKLY_CAP_RULES | {"R5", "R8", "R11"}  # more sets never help these
FLOOR_RULES = ("R13", "R16")  # the floor the local search penalises
WINDOW_WEEKS = 6  # weeks before the day's week that the greedy's step checks keep


# --- picks and sessions --------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """One session item: an exercise, its prescription for the week and a number of sets."""

    exercise: Exercise
    prescription: Prescription
    sets: int
    minutes: int
    dose: Mapping[str, float]  # set contributions x sets, as the checker counts them

    @property
    def category(self) -> str:
        return self.exercise.category

    @property
    def hard(self) -> bool:
        return self.exercise.category in HARD_CATEGORIES


def _order(pick: Pick) -> tuple[int, bool, bool, str]:
    """Template order: mobility (hips and ankles first), power, strength, accessory, core."""
    return (
        CATEGORIES.index(pick.category),
        not (pick.category == "mobility" and bool(pick.exercise.tags & OPENER_TAGS)),
        "unilateral" not in pick.exercise.tags,
        pick.exercise.id,
    )


def _item(pick: Pick) -> Item:
    return catalog_item(pick.exercise, pick.prescription, pick.sets, pick.minutes, pick.dose)


# --- the block: calendar, options, the checker ---------------------------------------------


@dataclass
class Block:
    """What both baselines share for one scenario: the calendar, each day's options, the
    benefit model, and the checker as the judge of every plan they consider."""

    scenario: Scenario
    catalog: Catalog
    model: BenefitModel
    calendar: Calendar = field(init=False)
    days: dict[dt.date, Day] = field(init=False)
    deload_weeks: set[int] = field(init=False)
    first_mesocycle: set[int] = field(init=False)
    checks: int = 0
    check_seconds: float = 0.0
    _options: dict[dt.date, list[Pick]] = field(default_factory=dict)
    _items: dict[int, Item] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.calendar = build_calendar(self.scenario)
        self.days = {day.date: day for day in self.calendar.days}
        self.deload_weeks = {week.index for week in self.calendar.weeks if week.deload}
        self.first_mesocycle = _first_mesocycle(self.calendar)
        self.pool = doable_exercises(self.scenario, self.catalog)
        # The empty plan's weeks and days, copied with the sessions of each plan checked.
        self._weeks, self._days = weeks_and_days(self.calendar.weeks, {})
        self._position = {day.date: index for index, day in enumerate(self._days)}

    def item(self, pick: Pick) -> Item:
        """The plan item of an option (options live as long as the block, so are cached)."""
        item = self._items.get(id(pick))
        if item is None:
            item = self._items[id(pick)] = _item(pick)
        return item

    def session(self, picks: Sequence[Pick], date: dt.date) -> Session:
        day = self.days[date]
        ordered = [picks[0], *sorted(picks[1:], key=_order)]
        hard = any(pick.hard for pick in picks)
        loading = day.phase != "taper" and day.week not in self.deload_weeks
        return Session(
            minutes=sum(pick.minutes for pick in picks),
            hard=hard,
            after_run=hard and day.run.kind == "quality",  # run first, lift later that day
            items=[self.item(pick) for pick in ordered],
            kind=("full" if loading else "deload") if hard else "light",
        )

    def options(self, date: dt.date) -> list[Pick]:
        """Every (exercise, sets) the athlete may do on the day: level, avoided tags, the
        day's equipment; the prescription of the week's mesocycle."""
        if date not in self._options:
            day = self.days[date]
            level = self.scenario.athlete.level
            first = day.week in self.first_mesocycle
            options = []
            for exercise in self.pool:
                if not exercise.equipment <= day.equipment:
                    continue
                prescription = prescription_for(exercise, level, first)
                per_set = set_contributions(exercise, level, first, self.model)
                low, high = prescription.sets
                for sets in range(low, high + 1):
                    options.append(
                        Pick(
                            exercise,
                            prescription,
                            sets,
                            item_minutes(exercise, prescription, sets, self.model),
                            {target: sets * amount for target, amount in per_set.items()},
                        )
                    )
            self._options[date] = options
        return self._options[date]

    def window(self, week: int) -> int:
        """The first week whose sessions a check of `week` needs: the `WINDOW_WEEKS` before
        it (the week before for R3's spacing, a mesocycle of up to 5 loading weeks for R8's
        deload, R9's 3 weeks of earlier work), and R12's and R6's reference weeks."""
        earliest = week - WINDOW_WEEKS
        earliest = min([earliest, *self.calendar.ramp_reference_weeks(week)])
        earliest = min([earliest, *(w.index for w in self.calendar.taper_reference_weeks(week))])
        return max(1, earliest)

    def gain(self, week: int, dose: Mapping[str, float], pick: Pick) -> float:
        """The pick's marginal benefit on the week's concave benefit, given the week's dose."""
        phase = self.calendar.weeks[week - 1].phase
        athlete = self.scenario.athlete
        total = 0.0
        for target, amount in pick.dose.items():
            focus = athlete.focus_weight(target)
            held = dose.get(target, 0.0)
            total += self.model.target_week_benefit(
                target, held + amount, phase, focus
            ) - self.model.target_week_benefit(target, held, phase, focus)
        return total

    def plan(
        self, sessions: Mapping[dt.date, Sequence[Pick]], baseline: str, quick: bool = False
    ) -> Plan:
        """A plan in the optimizer's format, its objective not yet filled in. `quick` copies
        the empty plan's days and weeks instead of building them again (for the checks)."""
        placed = {date: self.session(picks, date) for date, picks in sessions.items() if picks}
        if quick:
            days = list(self._days)
            weeks = list(self._weeks)
            touched: defaultdict[int, list[Session]] = defaultdict(list)
            for date, session in placed.items():
                position = self._position[date]
                days[position] = days[position].model_copy(update={"session": session})
                touched[days[position].week].append(session)
            for index, held in touched.items():
                weeks[index - 1] = weeks[index - 1].model_copy(
                    update={
                        "minutes": sum(s.minutes for s in held),
                        "sessions": len(held),
                        "hard_sessions": sum(s.hard for s in held),
                    }
                )
        else:
            weeks, days = weeks_and_days(self.calendar.weeks, placed)
        rules = self.scenario.rules.model_dump()
        rules["objective"] = self.scenario.objective
        return Plan(
            scenario=self.scenario.name,
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

    def check(self, sessions: Mapping[dt.date, Sequence[Pick]]) -> CheckReport:
        """The checker's report on the whole plan of `sessions`."""
        start = time.perf_counter()
        plan = self.plan(sessions, "", quick=True)
        report = check_plan(plan, self.scenario, self.model, self.catalog)
        self.checks += 1
        self.check_seconds += time.perf_counter() - start
        return report

    def finish(self, sessions: Mapping[dt.date, Sequence[Pick]], baseline: str) -> Plan:
        """The plan with the checker's figures as its objective."""
        draft = self.plan(sessions, baseline)
        report = check_plan(draft, self.scenario, self.model, self.catalog)
        if report.figures is None:  # the days come from the calendar, so this never happens
            raise RuntimeError(f"{baseline}: the plan does not cover the block")
        figures = report.figures
        objective = Objective(
            benefit=round(figures.benefit, 4),
            minutes=figures.minutes,
            benefit_per_minute=round(figures.benefit_per_minute, 6),
            benefit_per_minute_bound=None,
        )
        return draft.model_copy(update={"objective": objective})


def violations(report: CheckReport) -> list[str]:
    """The hard-rule findings of a report (and the dose targets, with `strict`), without the
    objective's: the plans checked here state a placeholder objective."""
    return [v.rule for v in report.violations if v.rule != "objective"]


def _first_mesocycle(calendar: Calendar) -> set[int]:
    """The weeks of the first mesocycle, its closing deload or taper included (a novice's
    first strength prescriptions and the intensity of a set depend on it)."""
    weeks: set[int] = set()
    for week in calendar.weeks:
        if not weeks and not week.loading:
            continue
        previous = calendar.weeks[week.index - 2]
        if weeks and week.loading and (not previous.loading or previous.phase != week.phase):
            break
        weeks.add(week.index)
    return weeks


def _add_dose(total: dict[str, float], picks: Iterable[Pick]) -> dict[str, float]:
    result = dict(total)
    for pick in picks:
        for target, amount in pick.dose.items():
            result[target] = result.get(target, 0.0) + amount
    return result


# --- rule-aware greedy ---------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A required step of a session's template: one item of `category`, optionally one that
    carries `tag`; `optional` slots may stay empty when no option passes the checker."""

    category: str
    tag: str | None = None
    optional: bool = False
    warm_up: bool = False  # a mobility item while the warm-up is under 5 minutes


# The session kinds the greedy tries on a day, in order. A loading week's hard session holds
# the whole template (R15): a hip and an ankle opener and a 5-minute warm-up, power where it
# can be placed, two strength moves (R16 (a)), an accessory and core. A deload or taper hard
# session holds mobility, strength and core; a light session mobility and core.
FULL = (
    Slot("mobility", "opener"), Slot("mobility", "other joint"), Slot("mobility", warm_up=True),
    Slot("power", optional=True), Slot("strength"), Slot("strength", optional=True),
    Slot("accessory"), Slot("core"),
)  # fmt: skip
REDUCED = (
    Slot("mobility", "opener"), Slot("mobility", warm_up=True), Slot("strength"),
    Slot("strength", optional=True), Slot("core"),
)  # fmt: skip
LIGHT = (Slot("mobility", "opener"), Slot("core"))


class _Greedy:
    def __init__(self, block: Block, deadline: float) -> None:
        self.block = block
        self.deadline = deadline
        self.sessions: dict[dt.date, list[Pick]] = {}
        self.hard_blocked: set[dt.date] = set()
        self.gated: set[tuple[int, str]] = set()  # (week, exercise) that R9 keeps out
        self.caps = {c: block.model.items_per_session[c][1] for c in CATEGORIES}

    def out_of_time(self) -> bool:
        return time.perf_counter() > self.deadline

    def passes(
        self, date: dt.date, picks: list[Pick], pending: bool, whole: bool = False
    ) -> set[str]:
        """The rules the plan with `picks` on `date` breaks by the checker (none: it passes).
        While the session is still being built (`pending`), its own R15 findings (blocks the
        template adds later) wait.

        Unless `whole`, the checker sees only the weeks that the rules link to the day's week
        (`window`) and counts the findings of that week and later: the weeks before are fixed
        and passed already. Leaving earlier sessions out only tightens the rules that look
        back (R6, R8, R9 and R12 compare with what the earlier weeks hold), so the check is
        stricter than the whole one where it differs; the session is kept only after a check
        of the whole plan (`build`)."""
        week = self.block.days[date].week
        if whole:
            held: Mapping[dt.date, Sequence[Pick]] = self.sessions
        else:
            earliest = self.block.window(week)
            held = {d: s for d, s in self.sessions.items() if self.block.days[d].week >= earliest}
        report = self.block.check({**held, date: picks})
        found = [
            v
            for v in report.violations
            if v.rule != "objective"
            and not (pending and v.rule == "R15" and v.date == date)
            and (whole or self.located(v) is None or self.located(v) >= week)  # type: ignore[operator]
        ]
        first_hard = any(p.hard for p in picks) and not any(p.hard for p in picks[:-1])
        if first_hard and any(v.rule in HARD_DAY_RULES and v.date == date for v in found):
            self.hard_blocked.add(date)
        return {v.rule for v in found}

    def located(self, violation: Violation) -> int | None:
        """The week a finding is about, if any."""
        if violation.week is not None:
            return violation.week
        if violation.date is not None and violation.date in self.block.days:
            return self.block.days[violation.date].week
        return None

    def best(
        self,
        date: dt.date,
        picks: list[Pick],
        candidates: list[Pick],
        week_dose: dict[str, float],
        pending: bool,
        positive_only: bool,
    ) -> Pick | None:
        """The candidate of best marginal benefit per minute that the checker accepts."""
        block = self.block
        week = block.days[date].week
        dose = _add_dose(week_dose, picks)
        scored = []
        for pick in candidates:
            gain = block.gain(week, dose, pick)
            if positive_only and gain <= 1e-12:
                continue
            scored.append((-(gain / pick.minutes), pick.minutes, pick.exercise.id, pick.sets, pick))
        scored.sort(key=lambda entry: entry[:4])
        longest = math.inf  # options this long break a weekly cap
        most_sets: dict[str, int] = {}  # exercise -> sets that broke a volume cap
        for *_, pick in scored:
            if self.out_of_time():
                return None
            if pick.hard and date in self.hard_blocked:
                continue
            if pick.minutes >= longest or (week, pick.exercise.id) in self.gated:
                continue
            if pick.sets >= most_sets.get(pick.exercise.id, math.inf):
                continue
            broken = self.passes(date, [*picks, pick], pending)
            if not broken:
                return pick
            # Skip what fails the same way: the weekly minutes caps (R1, R6, R12) only
            # tighten with longer items; more sets of an exercise only add to the volume
            # that R5, R8 and R11 cap; R9's gates stay shut for the rest of the week.
            if broken <= WEEKLY_CAP_RULES:
                longest = pick.minutes
            if broken <= VOLUME_RULES:
                most_sets[pick.exercise.id] = pick.sets
            if broken == {"R9"}:
                self.gated.add((week, pick.exercise.id))
        return None

    def mesocycle_exercises(self, week: int) -> set[str]:
        """The exercises of the loading weeks right before a deload week (its mesocycle): a
        deload keeps them with fewer sets (R8), so the greedy offers it nothing else."""
        weeks = self.block.calendar.weeks
        mesocycle: list[int] = []
        for earlier in reversed(weeks[: week - 1]):
            if not earlier.loading or (
                mesocycle and earlier.phase != weeks[mesocycle[-1] - 1].phase
            ):
                break
            mesocycle.append(earlier.index)
        return {
            p.exercise.id
            for d, picks in self.sessions.items()
            if self.block.days[d].week in mesocycle
            for p in picks
        }

    def fits(self, slot: Slot, pick: Pick, picks: list[Pick]) -> bool:
        if pick.category != slot.category:
            return False
        if any(p.exercise.id == pick.exercise.id for p in picks):
            return False
        if sum(p.category == pick.category for p in picks) >= self.caps[pick.category]:
            return False
        tags = pick.exercise.tags
        if slot.tag == "opener":
            return bool(tags & OPENER_TAGS)
        if slot.tag == "other joint":
            held = {t for p in picks if p.category == "mobility" for t in p.exercise.tags}
            return bool(tags & (OPENER_TAGS - held))
        return True

    def build(self, date: dt.date, budget: int, template: Sequence[Slot]) -> list[Pick] | None:
        """One session of the template's kind, then filled with what adds most per minute;
        None when a required slot finds no option the checker accepts."""
        block = self.block
        day = block.days[date]
        week_dose = _add_dose(
            {}, (p for d, s in self.sessions.items() if block.days[d].week == day.week for p in s)
        )
        options = block.options(date)
        if block.calendar.weeks[day.week - 1].deload:
            held = self.mesocycle_exercises(day.week)
            options = [p for p in options if p.exercise.id in held]
        smallest = {
            category: min((p.minutes for p in options if p.category == category), default=0)
            for category in CATEGORIES
        }
        picks: list[Pick] = []
        for index, slot in enumerate(template):
            if slot.tag == "other joint":
                held = {t for p in picks for t in p.exercise.tags}
                if held >= OPENER_TAGS:
                    continue
            later = template[index + 1 :]
            reserve = sum(smallest[s.category] for s in later if not s.optional)
            while True:  # once, or for the warm-up until it lasts 5 minutes
                warm_up = sum(p.minutes for p in picks if p.category == "mobility")
                if slot.warm_up and warm_up >= WARM_UP_MINUTES:
                    break
                room = budget - sum(p.minutes for p in picks) - reserve
                candidates = [p for p in options if p.minutes <= room and self.fits(slot, p, picks)]
                pick = self.best(date, picks, candidates, week_dose, True, False)
                if pick is None:
                    if slot.optional or slot.warm_up:
                        break  # a short warm-up fails R15 in the check below
                    return None
                picks.append(pick)
                if not slot.warm_up:
                    break
        if not picks or self.passes(date, picks, pending=False, whole=True):
            return None
        complete = list(picks)
        hard = any(p.hard for p in picks)
        # Fill the day's time with whatever adds the most benefit per minute.
        while not self.out_of_time():
            room = budget - sum(p.minutes for p in picks)
            taken = {p.exercise.id for p in picks}
            count: defaultdict[str, int] = defaultdict(int)
            for p in picks:
                count[p.category] += 1
            candidates = [
                p
                for p in options
                if p.minutes <= room
                and p.exercise.id not in taken
                and count[p.category] < self.caps[p.category]
                and (hard or not p.hard)  # a light session stays light
            ]
            pick = self.best(date, picks, candidates, week_dose, False, True)
            if pick is None:
                break
            picks.append(pick)
        if len(picks) > len(complete) and self.passes(date, picks, pending=False, whole=True):
            return complete  # the fill passed only the windowed checks
        return picks

    def run(self) -> None:
        scenario = self.block.scenario
        minimum = scenario.rules.min_session_minutes
        cap = scenario.availability.max_per_week
        for week in self.block.calendar.weeks:
            used = 0
            for day in week.days:
                if self.out_of_time():
                    return
                budget = (
                    day.available_minutes if cap is None else min(day.available_minutes, cap - used)
                )
                if budget < minimum:
                    continue
                loading = week.loading
                for template in ((FULL if loading else REDUCED), LIGHT):
                    if template is not LIGHT and day.date in self.hard_blocked:
                        continue
                    picks = self.build(day.date, budget, template)
                    if picks:
                        self.sessions[day.date] = picks
                        used += sum(p.minutes for p in picks)
                        break


def rule_aware_greedy_sessions(
    block: Block, time_limit: float = DEFAULT_TIME_LIMIT
) -> dict[dt.date, list[Pick]]:
    greedy = _Greedy(block, time.perf_counter() + time_limit)
    greedy.run()
    return greedy.sessions


def rule_aware_greedy_plan(
    scenario: Scenario,
    catalog: Catalog | None = None,
    benefit: BenefitModel | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Plan:
    """The rule-aware greedy's plan: day by day, item by item, only what the checker accepts.

    It walks the block's days in order. On each day with at least `min_session_minutes`
    (within `max_per_week`), it first tries a hard session of the week's kind, then a light
    one, and keeps the first that the checker accepts with the rest of the plan:

    - a loading week's hard session: a hip or ankle opener, a mobility item for the other
      joint and more mobility until the warm-up lasts 5 minutes, power (left out where no
      power item passes), two strength moves (the second left out where none passes), an
      accessory and core (R15's template);
    - a deload or taper week's hard session: opener and warm-up, strength, core;
    - a light session: opener and core.

    Each slot takes the (exercise, sets) of best marginal benefit per minute, its gain measured
    on the week's concave benefit (same benefit model, focus and phase as the optimizer), among
    the options that fit the day (keeping the smallest option of each later slot's block) and
    after which the checker finds no violation (the session's own R15 findings wait until
    its template is complete). Then the session is filled with the best item of any block
    (items per session within the benefit model's caps) while one adds benefit and passes.
    A plan that passed every step passes the checker as a whole: later days never make an
    earlier day's session break a rule, since every check covers the whole block.

    `time_limit` (seconds) stops the walk: the days not reached stay empty, which breaks no
    hard rule. Deterministic (no randomness), unless the time limit cuts the walk.
    """
    block = Block(scenario, catalog or default_catalog(), benefit or default_benefit_model())
    sessions = rule_aware_greedy_sessions(block, time_limit)
    return block.finish(sessions, RULE_AWARE_GREEDY)


# --- local search --------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """The local search's objective, compared lexicographically: fewer weeks that miss a
    floor target (a week with any of the checker's R13 or R16 findings) first, then more
    benefit per minute. Weeks, not findings: R16 reports some findings per session, so
    counting findings would reward removing sessions from a week that misses its floor."""

    missed: int
    ratio: float

    def better_than(self, other: Score) -> bool:
        if self.missed != other.missed:
            return self.missed < other.missed
        return self.ratio > other.ratio + 1e-9


def score(report: CheckReport) -> Score | None:
    """None for a plan the checker rejects (a violation)."""
    if violations(report) or report.figures is None:
        return None
    weeks = {(target.week, target.date) for target in report.missed if target.rule in FLOOR_RULES}
    missed = len(
        {week for week, _ in weeks if week is not None}
        | {date for week, date in weeks if week is None}
    )
    return Score(missed, report.figures.benefit_per_minute)


Sessions = dict[dt.date, list[Pick]]


class _LocalSearch:
    def __init__(self, block: Block, rng: random.Random) -> None:
        self.block = block
        self.rng = rng
        scenario = block.scenario
        self.minimum = scenario.rules.min_session_minutes
        self.cap = scenario.availability.max_per_week
        self.caps = {c: block.model.items_per_session[c][1] for c in CATEGORIES}
        self.dates = [
            day.date for day in block.calendar.days if day.available_minutes >= self.minimum
        ]

    def room(self, sessions: Sessions, date: dt.date) -> int:
        """Minutes a session on `date` may take: the day's, within `max_per_week`."""
        day = self.block.days[date]
        if self.cap is None:
            return day.available_minutes
        week = day.week
        used = sum(
            p.minutes
            for d, picks in sessions.items()
            if self.block.days[d].week == week and d != date
            for p in picks
        )
        return min(day.available_minutes, self.cap - used)

    def move(self, sessions: Sessions) -> Sessions | None:
        """One random move, or None when the drawn move cannot be made here."""
        rng = self.rng
        held = sorted(sessions)
        kind = rng.choice(("add", "drop", "swap", "sets", "sets", "move", "session", "remove"))
        if not held:
            kind = "session"
        if kind == "session":  # copy a session onto an empty day of its week or the next
            empty = [d for d in self.dates if d not in sessions]
            if not empty or not held:
                return None
            date = rng.choice(empty)
            week = self.block.days[date].week
            near = [d for d in held if abs(self.block.days[d].week - week) <= 1]
            if not near:
                return None
            source = sessions[rng.choice(near)]
            picks = self.restate(source, date)
            if picks is None or sum(p.minutes for p in picks) > self.room(sessions, date):
                return None
            return {**sessions, date: picks}
        date = rng.choice(held)
        picks = sessions[date]
        if kind == "remove":
            return {d: s for d, s in sessions.items() if d != date}
        if kind == "move":  # the whole session to an empty day of the same week
            week = self.block.days[date].week
            empty = [d for d in self.dates if d not in sessions and self.block.days[d].week == week]
            if not empty:
                return None
            target = rng.choice(empty)
            moved = self.restate(picks, target)
            if moved is None:
                return None
            rest = {d: s for d, s in sessions.items() if d != date}
            if sum(p.minutes for p in moved) > self.room(rest, target):
                return None
            return {**rest, target: moved}
        options = self.block.options(date)
        room = self.room(sessions, date) - sum(p.minutes for p in picks)
        taken = {p.exercise.id for p in picks}
        if kind == "add":
            count: defaultdict[str, int] = defaultdict(int)
            for p in picks:
                count[p.category] += 1
            choices = [
                p
                for p in options
                if p.exercise.id not in taken
                and count[p.category] < self.caps[p.category]
                and p.minutes <= room
            ]
            if not choices:
                return None
            return {**sessions, date: [*picks, rng.choice(choices)]}
        index = rng.randrange(len(picks))
        old = picks[index]
        if kind == "drop":
            if index == 0 or len(picks) == 1:  # the opener stays; drop the session instead
                return None
            return {**sessions, date: picks[:index] + picks[index + 1 :]}
        if kind == "swap":
            choices = [
                p
                for p in options
                if p.category == old.category
                and p.exercise.id not in taken
                and p.sets == min(max(old.sets, p.prescription.sets[0]), p.prescription.sets[1])
                and p.minutes - old.minutes <= room
                and (index > 0 or p.exercise.tags & OPENER_TAGS)
            ]
            if not choices:
                return None
            new = rng.choice(choices)
        else:  # sets: one more or one fewer
            step = rng.choice((-1, 1))
            same = [p for p in options if p.exercise.id == old.exercise.id]
            matches = [p for p in same if p.sets == old.sets + step]
            if not matches or matches[0].minutes - old.minutes > room:
                return None
            new = matches[0]
        return {**sessions, date: [*picks[:index], new, *picks[index + 1 :]]}

    def restate(self, picks: Sequence[Pick], date: dt.date) -> list[Pick] | None:
        """The same exercises and sets on another date (its week's prescription), or None
        when one of them cannot be done that day (equipment)."""
        options = {(p.exercise.id, p.sets): p for p in self.block.options(date)}
        moved = []
        for pick in picks:
            match = options.get((pick.exercise.id, pick.sets))
            if match is None:
                return None
            moved.append(match)
        return moved


def local_search_sessions(
    block: Block,
    start: Sessions,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    max_moves: int | None = None,
    patience: int = 300,
    kick: int = 3,
    on_improvement: Callable[[int, Score], None] | None = None,
) -> tuple[Sessions, Score]:
    """Hill climbing with restarts. Each move is checked on the whole plan; it is taken when
    the checker finds no violation and the score improves. After `patience` moves without an
    improvement, the search restarts from the best plan with `kick` random moves that the
    checker accepts whatever their score. It returns the best plan seen, so it never ends
    worse than `start` (which must pass the checker)."""
    deadline = time.perf_counter() + time_limit
    rng = random.Random(seed)
    search = _LocalSearch(block, rng)
    first = score(block.check(start))
    if first is None:
        raise ValueError("the local search must start from a plan that passes the checker")
    best, best_score = dict(start), first
    current, current_score = dict(start), first
    moves = stale = 0
    while time.perf_counter() < deadline and (max_moves is None or moves < max_moves):
        moves += 1
        candidate = search.move(current)
        if candidate is None:
            continue
        found = score(block.check(candidate))
        if found is not None and found.better_than(current_score):
            current, current_score, stale = candidate, found, 0
            if found.better_than(best_score):
                best, best_score = candidate, found
                if on_improvement:
                    on_improvement(moves, found)
            continue
        stale += 1
        if stale >= patience:  # restart from the best plan, shaken by a few valid moves
            current, current_score, stale = dict(best), best_score, 0
            shaken = 0
            for _ in range(kick * 10):
                if shaken >= kick or time.perf_counter() >= deadline:
                    break
                if max_moves is not None and moves >= max_moves:
                    break
                moves += 1
                candidate = search.move(current)
                found = None if candidate is None else score(block.check(candidate))
                if candidate is not None and found is not None:
                    current, current_score, shaken = candidate, found, shaken + 1
    return best, best_score


def local_search_plan(
    scenario: Scenario,
    catalog: Catalog | None = None,
    benefit: BenefitModel | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    max_moves: int | None = None,
) -> Plan:
    """Local search over whole plans, from the rule-aware greedy's plan.

    Moves: add an item to a session, drop an item (not the opener), swap an item for another
    exercise of its block (the opener for another hip or ankle item), one set more or fewer,
    move a session to an empty day of its week, copy a session onto an empty day of its
    week or the next, and remove a session. A move is taken when the checker finds no
    violation in the whole plan and the objective improves. The objective is lexicographic
    (`Score`): fewer weeks missing a floor target (a week with any of the checker's R13 or
    R16 findings; each such week a penalty larger than any benefit per minute) first, then
    more benefit per minute (the checker's). R14 and R19 are not penalised. Hill climbing
    with restarts (`local_search_sessions`); the result is the best plan seen, never worse
    than its start.

    The greedy gets a share of `time_limit` (at most half) and the search the rest, so the
    whole run takes the optimizer's wall time. Seeded: with `max_moves` the result depends
    on the seed only; with the time limit alone, on how many moves the machine makes in
    time.
    """
    begun = time.perf_counter()
    block = Block(scenario, catalog or default_catalog(), benefit or default_benefit_model())
    start_sessions = rule_aware_greedy_sessions(block, time_limit / 2)
    left = time_limit - (time.perf_counter() - begun)
    sessions, _ = local_search_sessions(block, start_sessions, left, seed, max_moves)
    return block.finish(sessions, LOCAL_SEARCH)
