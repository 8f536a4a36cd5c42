"""The independent checker: re-derives every rule of planner.rules and the objective from a
plan.

It reads only the plan, the scenario (through its calendar: phases, runs, races) and the
benefit model data. It shares no code with the CP-SAT encoding, so a bug in the model
cannot hide here. Every finding names its rule id. A broken hard rule is a violation; a
missed dose target (R13, R14) is reported apart, as a missed target, unless the scenario
says `rules.strict: true`, which makes the targets hard.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.domain.calendar import Calendar, build_calendar
from planner.domain.catalog import BenefitModel, Catalog, Exercise, set_contributions
from planner.domain.plan import DayPlan, Item, Plan, Session, is_missed, is_partial
from planner.domain.replan import Event, avoided_from, return_limits, situation
from planner.domain.scenario import Pin, Scenario
from planner.io.catalog_file import default_benefit_model, default_catalog
from planner.rules import (
    MAX_ALIGNED_LOADING_WEEKS,
    MAX_SESSIONS,
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    R17,
    R18,
    R19,
    R20,
    RULES,
    Rule,
)
from planner.vocabulary import (
    ANTI_MOVEMENT_TAGS,
    CATEGORIES,
    HARD_CATEGORIES,
    KEY_RUN_KINDS,
    LEVELS,
    LOAD_EQUIPMENT,
    OPENER_TAGS,
    WEEKDAYS,
)

TOLERANCE = 1e-3
WARM_UP_MINUTES = 5  # R15's revision
HEAVY_REPS = range(3, 7)  # R19: 3-6 reps
FOCUS_ACCESSORY_TARGETS = (
    "hip_stability", "calf_achilles", "posture", "posterior_chain", "knee_resilience",
)  # fmt: skip


def _reps(item: Item) -> int | None:
    """The rep count of an item's prescription ("5", "5/side"); None for timed work."""
    count = item.reps.removesuffix("/side")
    return int(count) if count.isdigit() else None


def _loaded_lower_body(item: Item) -> bool:
    """An externally loaded lower-body strength item (R19)."""
    return (
        item.category == "strength"
        and "lower_body" in item.tags
        and bool(set(item.equipment) & LOAD_EQUIPMENT)
    )


def _heavy(item: Item) -> bool:
    """A loaded lower-body strength item at 3-6 reps (R19)."""
    return _loaded_lower_body(item) and _reps(item) in HEAVY_REPS


def _pair_leads(items: list[Item]) -> dict[str, Item]:
    """Each pair label's first item (R17: a pair stands in its first item's block)."""
    leads: dict[str, Item] = {}
    for item in items:
        if item.pair:
            leads.setdefault(item.pair, item)
    return leads


def _region(item: Item) -> str | None:
    if "lower_body" in item.tags:
        return "lower"
    return "upper" if "upper_body" in item.tags else None


def _forbidden_pair(first: Item, second: Item, contrast_ok: bool) -> str | None:
    """Why R17 forbids `first` then `second` as a pair, or None when it allows them."""
    categories = {first.category, second.category}
    if "power" in categories:
        if not (_heavy(first) and "plyometric" in second.tags):
            return "a power item outside a contrast pair (a heavy lift, then plyometrics)"
        return None if contrast_ok else "a contrast pair for a novice or outside build and peak"
    work = {"strength", "accessory"}
    if first.category in work and second.category in work:
        if {_region(first), _region(second)} == {"lower", "upper"}:
            return None
        if first.category == second.category == "strength" and _region(first) == "lower":
            return "two lower-body strength items"
        return "two items that compete (not one lower- and one upper-body)"
    if categories & work and categories & {"core", "mobility"}:
        return None
    return f"a {first.category} item with a {second.category} item"


def _largest_target(targets: dict[str, float]) -> set[str]:
    largest = max(targets.values(), default=0.0)
    return {target for target, amount in targets.items() if amount == largest}


def _is_hard(items: list[Item]) -> bool:
    """Power or strength work makes a session hard."""
    return any(item.category in HARD_CATEGORIES for item in items)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    week: int | None = None
    date: dt.date | None = None

    def __str__(self) -> str:
        where = f" {self.date}" if self.date else f" week {self.week}" if self.week else ""
        return f"{self.rule}{where}: {self.message}"


@dataclass(frozen=True)
class Figures:
    benefit: float
    minutes: int
    benefit_per_minute: float


class _Checker:
    def __init__(
        self, plan: Plan, scenario: Scenario, benefit: BenefitModel, catalog: Catalog
    ) -> None:
        self.plan = plan
        self.scenario = scenario
        self.rules = scenario.rules
        self.benefit = benefit
        self.catalog = catalog.by_id()
        self.calendar: Calendar = build_calendar(scenario)
        # A replanned plan: tags avoided from a date on, limits of the first week back.
        self.events: list[Event] = []
        self.avoid_from: dict[str, dt.date] = {}
        self.violations: list[Violation] = []
        self.missed: list[Violation] = []
        self.days_by_week: dict[int, list[DayPlan]] = defaultdict(list)
        for day in plan.days:
            self.days_by_week[day.week].append(day)
        self._first_mesocycle = self.first_mesocycle()

    def flag(
        self, rule: Rule | str, message: str, week: int | None = None, date: dt.date | None = None
    ) -> None:
        """Record a finding: a violation, or a missed target for a dose rule (not strict).
        A plain string names a finding about the plan file itself ("plan", "objective")."""
        if isinstance(rule, Rule) and not rule.hard and not self.rules.strict:
            self.missed.append(Violation(rule.id, message, week, date))
            return
        rule_id = rule.id if isinstance(rule, Rule) else rule
        self.violations.append(Violation(rule_id, message, week, date))

    def week_minutes(self, week: int) -> int:
        return sum(day.session.minutes for day in self.days_by_week[week] if day.session)

    def done_minutes(self, week: int) -> int:
        return sum(day.session.minutes for day in self.done_days(week) if day.session)

    def done_days(self, week: int) -> list[DayPlan]:
        """A replanned plan's days of a week that are facts: done before its replan date,
        missed, or done in part. A weekly link (R6, R8, R12) that they alone break gives way
        to them: the week may hold what was done, nothing more."""
        source = self.plan.replanned_from()
        if source is None:
            return []
        return [
            day
            for day in self.days_by_week[week]
            if day.date < source.date
            or is_missed(day)
            or (day.session is not None and is_partial(day.session))
        ]

    def sessions(self) -> list[tuple[DayPlan, Session]]:
        return self.plan.sessions()

    # --- structure ---------------------------------------------------------------------

    def check_structure(self) -> bool:
        expected = [day.date for day in self.calendar.days]
        got = [day.date for day in self.plan.days]
        if got != expected:
            self.flag(
                "plan",
                f"the plan's days do not cover the block {expected[0]} to {expected[-1]} in order",
            )
            return False
        for day, truth in zip(self.plan.days, self.calendar.days, strict=True):
            if day.week != truth.week or day.phase != truth.phase:
                self.flag(
                    "plan",
                    f"week/phase is {day.week}/{day.phase}; "
                    f"the block says {truth.week}/{truth.phase}",
                    day.week,
                    day.date,
                )
            if day.available_minutes != truth.available_minutes:
                self.flag(
                    "plan",
                    f"available minutes {day.available_minutes}; "
                    f"the scenario says {truth.available_minutes}",
                    day.week,
                    day.date,
                )
        truth_weeks = {week.index: week for week in self.calendar.weeks}
        if [week.index for week in self.plan.weeks] != list(truth_weeks):
            self.flag("plan", "the plan's weeks do not match the block's weeks")
            return False
        for week in self.plan.weeks:
            truth_week = truth_weeks[week.index]
            if (week.phase, week.deload) != (truth_week.phase, truth_week.deload):
                labelled = f"{week.phase}{' deload' if week.deload else ''}"
                block = f"{truth_week.phase}{' deload' if truth_week.deload else ''}"
                self.flag(
                    "plan",
                    f"week {week.index} is labelled {labelled}; the block says {block}",
                    week.index,
                )
            if week.minutes != self.week_minutes(week.index):
                self.flag(
                    "plan",
                    f"week minutes {week.minutes} are not the sum of its sessions "
                    f"({self.week_minutes(week.index)})",
                    week.index,
                )
        return True

    # --- hard rules ----------------------------------------------------------------------

    def check_r1_time(self) -> None:
        minimum = self.rules.min_session_minutes
        truth = {day.date: day for day in self.calendar.days}
        for day, session in self.sessions():
            available = truth[day.date].available_minutes
            if available < minimum:
                self.flag(
                    R1,
                    f"session on a day with {available} min available (minimum {minimum})",
                    day.week,
                    day.date,
                )
            if session.minutes > available:
                self.flag(
                    R1,
                    f"session of {session.minutes} min on a day with {available} min",
                    day.week,
                    day.date,
                )
        cap = self.scenario.availability.max_per_week
        if cap is not None:
            for week in self.days_by_week:
                if self.week_minutes(week) > cap:
                    self.flag(
                        R1, f"{self.week_minutes(week)} gym minutes; max_per_week is {cap}", week
                    )

    def check_r2_template(self) -> None:
        for day, session in self.sessions():
            items = session.items
            if not items or items[0].category != "mobility" or not set(items[0].tags) & OPENER_TAGS:
                self.flag(
                    R2,
                    "the session does not open with a hip or ankle mobility item",
                    day.week,
                    day.date,
                )
            leads = _pair_leads(items)
            order = [
                CATEGORIES.index(lead.category) if lead.category in CATEGORIES else -1
                for lead in (leads.get(item.pair, item) if item.pair else item for item in items)
            ]
            if order != sorted(order) or -1 in order:
                self.flag(
                    R2,
                    "items are not in template order (mobility, power, strength, accessory, core)",
                    day.week,
                    day.date,
                )
            ids = [item.exercise for item in items]
            if len(ids) != len(set(ids)):
                self.flag(R2, "an exercise appears twice in the session", day.week, day.date)
            needed = self.session_minutes(session)
            if session.minutes < needed:
                self.flag(
                    R2,
                    f"session minutes {session.minutes} do not cover its items ({needed}, "
                    "each pair counted by R17)",
                    day.week,
                    day.date,
                )
            hard = _is_hard(items)
            if session.hard != hard:
                self.flag(
                    R2,
                    f"session marked hard={session.hard} but its items say {hard}",
                    day.week,
                    day.date,
                )

    def hard_dates(self) -> list[DayPlan]:
        return [day for day, session in self.sessions() if _is_hard(session.items)]

    def check_r3_spacing(self) -> None:
        gap = self.rules.hard_gap_days
        hard = self.hard_dates()
        for first, second in itertools.pairwise(hard):
            if (second.date - first.date).days < gap:
                self.flag(
                    R3,
                    f"hard sessions on {first.date} and {second.date} "
                    f"are less than {gap} days apart",
                    second.week,
                    second.date,
                )

    def check_r4_key_runs(self) -> None:
        runs = {day.date: day.run.kind for day in self.calendar.days}
        race_dates = {race.date for race in self.scenario.block.races}
        buffer = self.rules.key_run_buffer_days
        for day in self.hard_dates():
            kind = runs.get(day.date, "rest")
            if kind in ("long", "race") or day.date in race_dates:
                self.flag(
                    R4,
                    f"hard session on a {kind if kind != 'rest' else 'race'} day",
                    day.week,
                    day.date,
                )
            for ahead in range(1, buffer + 1):
                later = day.date + dt.timedelta(days=ahead)
                if runs.get(later) in KEY_RUN_KINDS or later in race_dates:
                    self.flag(
                        R4,
                        f"hard session {ahead} day(s) before a key run on {later}",
                        day.week,
                        day.date,
                    )
            if kind == "quality" and day.session and not day.session.after_run:
                self.flag(
                    R4,
                    "hard session on a quality-run day not marked after_run",
                    day.week,
                    day.date,
                )

    def check_r5_plyometrics(self) -> None:
        level = self.scenario.athlete.level
        cap = self.rules.plyo_contacts[level]
        weekly = self.rules.plyo_sessions_per_week[level]
        per_week: dict[int, int] = defaultdict(int)
        for day, session in self.sessions():
            plyo = [item for item in session.items if "plyometric" in item.tags]
            contacts = sum(item.contacts for item in plyo)
            if contacts > cap:
                self.flag(
                    R5,
                    f"{contacts} ground contacts; the {level} cap is {cap}",
                    day.week,
                    day.date,
                )
            if plyo:
                per_week[day.week] += 1
        for week, count in per_week.items():
            if count > weekly:
                self.flag(R5, f"{count} plyometric sessions; a {level} may do {weekly}", week)

    def check_r6_taper(self) -> None:
        for week in self.calendar.weeks:
            if week.phase != "taper":
                continue
            sessions = sum(1 for day in self.days_by_week[week.index] if day.session)
            if sessions > self.rules.taper_max_sessions:
                self.flag(
                    R6,
                    f"{sessions} sessions in a taper week "
                    f"(at most {self.rules.taper_max_sessions})",
                    week.index,
                )
            reference = self.calendar.taper_reference_weeks(week.index)
            if reference:
                mean = sum(self.week_minutes(w.index) for w in reference) / len(reference)
                limit = self.rules.taper_volume * mean
                if self.week_minutes(week.index) > max(limit + 1e-9, self.done_minutes(week.index)):
                    self.flag(
                        R6,
                        f"{self.week_minutes(week.index)} min in a taper week; at most {limit:.1f} "
                        f"({self.rules.taper_volume:g} x {mean:.1f})",
                        week.index,
                    )

    def check_r7_races(self) -> None:
        sessions = dict((day.date, session) for day, session in self.sessions())
        for race in self.scenario.block.races:
            free = self.rules.race_hard_free_days[race.distance_class]
            for offset in (0, 1):
                date = race.date + dt.timedelta(days=offset)
                if date in sessions:
                    self.flag(
                        R7,
                        f"a session on {'race day' if offset == 0 else 'the day after the race'} "
                        f"({race.date})",
                        None,
                        date,
                    )
            for offset in range(1, free + 1):
                date = race.date - dt.timedelta(days=offset)
                session = sessions.get(date)
                if session and _is_hard(session.items):
                    self.flag(
                        R7,
                        f"hard session {offset} days before the {race.priority} race "
                        f"on {race.date} (hard-free: {free} days)",
                        None,
                        date,
                    )

    def week_items(self, week: int) -> list[Item]:
        return [i for d in self.days_by_week[week] if d.session for i in d.session.items]

    def check_r8_deloads(self) -> None:
        """At most `max_loading_weeks` loading weeks in a row in base and build, or up to
        `MAX_ALIGNED_LOADING_WEEKS` when the deload waits for a running cut-back week; a
        deload's minutes, strength sets and plyometric contacts at most `deload_volume` x
        the last loading week's, and no exercise its mesocycle's loading weeks did not
        hold (a week that life empties is a deload too)."""
        share = self.rules.deload_volume
        streak, last_loading = 0, None
        mesocycle: list[int] = []

        def items(days: list[DayPlan]) -> list[Item]:
            return [i for d in days if d.session for i in d.session.items]

        figures: dict[str, Callable[[list[DayPlan]], int]] = {
            "min": lambda days: sum(d.session.minutes for d in days if d.session),
            "strength sets": lambda days: sum(
                i.sets for i in items(days) if i.category == "strength"
            ),
            "plyometric contacts": lambda days: sum(i.contacts for i in items(days)),
        }
        for week in self.calendar.weeks:
            if week.phase == "taper":
                streak, mesocycle = 0, []
                continue
            if week.deload:
                allowed = self.rules.max_loading_weeks
                if week.cutback:
                    allowed = max(allowed, MAX_ALIGNED_LOADING_WEEKS)
                if streak > allowed:
                    self.flag(
                        R8, f"{streak} loading weeks in a row before this deload "
                        f"(at most {allowed})", week.index,
                    )  # fmt: skip
                if last_loading is not None:
                    for name, figure in figures.items():
                        limit = share * figure(self.days_by_week[last_loading])
                        amount = figure(self.days_by_week[week.index])
                        done = figure(self.done_days(week.index))
                        if amount > max(limit + 1e-9, done):
                            self.flag(
                                R8, f"deload week has {amount} {name}; at most "
                                f"{limit:.1f} ({share:g} x week {last_loading})", week.index,
                            )  # fmt: skip
                held = {i.exercise for w in mesocycle for i in self.week_items(w)}
                new = sorted({i.exercise for i in self.week_items(week.index)} - held)
                if mesocycle and new:
                    self.flag(
                        R8, f"the deload brings in {', '.join(new)}, not held in its "
                        f"mesocycle (weeks {mesocycle[0]}-{mesocycle[-1]})", week.index,
                    )  # fmt: skip
                streak, mesocycle = 0, []
                continue
            last_loading = week.index
            if mesocycle and self.calendar.weeks[mesocycle[-1] - 1].phase != week.phase:
                mesocycle = []
            mesocycle.append(week.index)
            if week.phase in ("base", "build"):
                streak += 1
                if streak > max(self.rules.max_loading_weeks, MAX_ALIGNED_LOADING_WEEKS):
                    self.flag(
                        R8,
                        f"{streak} loading weeks in a row without a deload "
                        f"(at most {self.rules.max_loading_weeks})",
                        week.index,
                    )

    def check_r9_progressions(self) -> None:
        level = self.scenario.athlete.level
        needed = self.rules.progression_weeks
        anti_weeks: set[int] = set()
        plyo_weeks: set[int] = set()
        for week in sorted(self.days_by_week):
            items = [i for d in self.days_by_week[week] if d.session for i in d.session.items]
            for item in items:
                entry = self.catalog.get(item.exercise)
                if entry is not None and LEVELS.index(entry.level) > LEVELS.index(level):
                    self.flag(
                        R9,
                        f"{item.exercise} is {entry.level}-level; the athlete is {level}",
                        week,
                    )
                if "rotation" in item.tags and len([w for w in anti_weeks if w < week]) < needed:
                    self.flag(
                        R9,
                        f"rotation work ({item.exercise}) "
                        f"before {needed} weeks of anti-movement core",
                        week,
                    )
                if "plyo_advanced" in item.tags:
                    if level == "novice":
                        self.flag(R9, f"advanced plyometric {item.exercise} for a novice", week)
                    elif len([w for w in plyo_weeks if w < week]) < needed:
                        self.flag(
                            R9,
                            f"advanced plyometric {item.exercise} "
                            f"before {needed} weeks of basic plyometrics",
                            week,
                        )
            if any(i.category == "core" and set(i.tags) & ANTI_MOVEMENT_TAGS for i in items):
                anti_weeks.add(week)
            if any("plyometric" in i.tags and "plyo_advanced" not in i.tags for i in items):
                plyo_weeks.add(week)

    def check_r10_equipment(self) -> None:
        own = set(self.scenario.athlete.equipment) | {"bodyweight"}
        by_day = self.scenario.availability.equipment_by_day
        avoid = set(self.scenario.athlete.avoid)
        for day, session in self.sessions():
            weekday = WEEKDAYS[day.date.weekday()]
            available = own | set(by_day.get(weekday, []))
            for item in session.items:
                missing = set(item.equipment) - available
                if missing:
                    self.flag(
                        R10,
                        f"{item.exercise} needs {', '.join(sorted(missing))}, "
                        f"not available on {weekday}",
                        day.week,
                        day.date,
                    )
                avoided = set(item.tags) & avoid
                avoided |= {t for t in item.tags if t in self.avoid_from}
                avoided -= {t for t in avoided if day.date < self.avoid_from.get(t, day.date)}
                if avoided:
                    self.flag(
                        R10,
                        f"{item.exercise} has avoided tag(s) {', '.join(sorted(avoided))}",
                        day.week,
                        day.date,
                    )

    def check_r11_unilateral(self) -> None:
        share = self.rules.unilateral_share
        for week, days in self.days_by_week.items():
            items = [
                i for d in days if d.session for i in d.session.items if i.category == "strength"
            ]
            total = sum(i.sets for i in items)
            unilateral = sum(i.sets for i in items if "unilateral" in i.tags)
            if total and unilateral < share * total - 1e-9:
                self.flag(
                    R11,
                    f"{unilateral} of {total} strength sets are unilateral; "
                    f"at least {share:.0%} required",
                    week,
                )

    def check_r12_ramp(self) -> None:
        """A loading week's minutes are at most `ramp` x the mean of the last 3 loading
        weeks that life did not empty plus `ramp_extra_minutes`, and never less than that
        mean plus one full session; the week after a deload, taper or empty week is exempt."""
        rules = self.rules
        for week in self.calendar.weeks:
            reference = self.calendar.ramp_reference_weeks(week.index)
            if not reference:
                continue
            mean = sum(self.week_minutes(ref) for ref in reference) / len(reference)
            limit = max(
                rules.ramp * mean + rules.ramp_extra_minutes, mean + rules.full_session_minutes
            )
            if self.week_minutes(week.index) > max(limit + 1e-9, self.done_minutes(week.index)):
                self.flag(
                    R12,
                    f"{self.week_minutes(week.index)} min after a mean of {mean:.1f} in weeks "
                    f"{', '.join(map(str, reference))} (at most {limit:.1f})",
                    week.index,
                )

    # --- dose targets ----------------------------------------------------------------------

    def check_r13_sessions(self) -> None:
        """Hard sessions per week: base and build >= 2, peak >= 1, a deload week >= 1
        (never more than the week has sessions); sessions per week: at most 3 in base and
        build, at most 2 in peak."""
        for week in self.calendar.weeks:
            sessions = [d.session for d in self.days_by_week[week.index] if d.session]
            hard = sum(1 for session in sessions if _is_hard(session.items))
            if week.phase == "taper":
                continue
            wanted = week.hard_target(self.rules.hard_gap_days, self.rules.min_session_minutes)
            if hard < wanted:
                label = "deload" if week.deload else week.phase
                self.flag(
                    R13, f"{hard} hard session(s) in a {label} week; {wanted} wanted", week.index
                )
            most = MAX_SESSIONS[week.phase]
            if len(sessions) > most:
                self.flag(
                    R13,
                    f"{len(sessions)} sessions in a {week.phase} week; at most {most}",
                    week.index,
                )

    def check_r14_repetition(self) -> None:
        """Within a mesocycle (a run of loading weeks of one phase between deloads), the
        main strength and power exercises repeat: no loading week brings one that the
        mesocycle's own main exercises do not hold. Those are the set most of its weeks hold
        (of equally common sets the largest, then the earliest), so one week that swaps or
        adds an exercise is flagged even when that makes it the fullest week. A week may
        hold fewer (less time that week). Load progression is in the plan's load guidance
        and is not re-derived here."""
        for mesocycle in self.calendar.mesocycles():
            main = {week: self.main_exercises(week) for week in mesocycle}
            held = Counter(frozenset(main[week]) for week in mesocycle)
            reference = min(
                mesocycle,
                key=lambda week: (-held[frozenset(main[week])], -len(main[week]), week),
            )
            for week in mesocycle:
                new = sorted(main[week] - main[reference])
                if new:
                    self.flag(
                        R14,
                        f"main exercise(s) {', '.join(new)} not among the mesocycle's main "
                        f"exercises (weeks {mesocycle[0]}-{mesocycle[-1]}, as week "
                        f"{reference} holds them)",
                        week,
                    )
        # The revision: a new mesocycle changes a main strength exercise where it can. A
        # peak maintains what came before (nothing new in it), so it is not asked.
        usable = {e.id for e in self.usable() if e.category == "strength"}
        for previous, mesocycle in itertools.pairwise(self.calendar.mesocycles()):
            if self.calendar.weeks[mesocycle[0] - 1].phase == "peak":
                continue
            strength = [
                {i.exercise for w in weeks for i in self.week_items(w) if i.category == "strength"}
                for weeks in (previous, mesocycle)
            ]
            if strength[1] and strength[1] <= strength[0] and usable - strength[0]:
                self.flag(
                    R14, f"the mesocycle of weeks {mesocycle[0]}-{mesocycle[-1]} keeps every "
                    "strength exercise of the one before", mesocycle[0],
                )  # fmt: skip
        # The revision: nothing new in a deload, peak or taper week.
        seen: set[str] = set()
        for block_week in self.calendar.weeks:
            counted = {
                i.exercise
                for i in self.week_items(block_week.index)
                if i.category == "strength" or "plyometric" in i.tags
            }
            novel = sorted(counted - seen)
            if novel and (not block_week.loading or block_week.phase == "peak"):
                kind = "deload" if block_week.deload else block_week.phase
                self.flag(
                    R14, f"{', '.join(novel)} first appear(s) in a {kind} week", block_week.index
                )
            seen |= counted

    def main_exercises(self, week: int) -> set[str]:
        return {
            item.exercise
            for day in self.days_by_week[week]
            if day.session
            for item in day.session.items
            if item.category in HARD_CATEGORIES
        }

    # --- complete sessions and the minimum effective dose ---------------------------------

    def power_exercises(self, week: int) -> list[bool]:
        """For each power exercise the athlete could place in `week` (level, kit on some
        day, nothing avoided, R9's gate for advanced plyometrics): is it plyometric?"""
        athlete = self.scenario.athlete
        kit = set(athlete.equipment) | {"bodyweight"}
        for extra in self.scenario.availability.equipment_by_day.values():
            kit |= set(extra)
        basic_weeks = sum(
            1
            for earlier in range(1, week)
            if any(
                "plyometric" in i.tags and "plyo_advanced" not in i.tags
                for d in self.days_by_week[earlier]
                if d.session
                for i in d.session.items
            )
        )
        gated = basic_weeks < self.rules.progression_weeks
        return [
            exercise.plyometric
            for exercise in self.catalog.values()
            if exercise.category == "power"
            and exercise.allowed_for(athlete.level)
            and exercise.equipment <= kit
            and not exercise.tags & set(athlete.avoid)
            and not (gated and "plyo_advanced" in exercise.tags)
        ]

    def check_r15_complete(self) -> None:
        """A loading week's hard session holds mobility (a hip and an ankle item), power,
        strength, accessory and core; power may be missing only when the athlete has no
        non-plyometric power exercise and the week's other sessions spend R5's plyometric
        sessions. A deload or taper hard session holds mobility, strength and core; a light
        session mobility and core."""
        weeks = {week.index: week for week in self.calendar.weeks}
        weekly = self.rules.plyo_sessions_per_week[self.scenario.athlete.level]
        for day, session in self.sessions():
            if is_partial(session):
                continue  # a replan's history: done in part, as it happened
            power = self.power_exercises(day.week)
            only_plyometric = all(power)  # no power at all, or plyometric power only
            blocks = {item.category for item in session.items}
            mobility_tags = {t for i in session.items if i.category == "mobility" for t in i.tags}
            if not _is_hard(session.items):
                wanted, kind = {"mobility", "core"}, "light"
            elif weeks[day.week].loading:
                wanted, kind = set(CATEGORIES), "full"
                for joint in ("hip", "ankle"):
                    if joint not in mobility_tags:
                        self.flag(
                            R15, f"the mobility block has no {joint} item", day.week, day.date
                        )
                if "power" not in blocks and only_plyometric:
                    plyo_elsewhere = sum(
                        1
                        for other in self.days_by_week[day.week]
                        if other.session is not None
                        and other.date != day.date
                        and any("plyometric" in i.tags for i in other.session.items)
                    )
                    if not power or plyo_elsewhere >= weekly:
                        wanted.discard("power")
            else:
                wanted, kind = {"mobility", "strength", "core"}, "deload"
            missing = [category for category in CATEGORIES if category in wanted - blocks]
            if missing:
                self.flag(
                    R15,
                    f"a {kind} session without its {', '.join(missing)} block",
                    day.week,
                    day.date,
                )
            # A paired mobility item stands in its partner's block: not the warm-up.
            warm_up = sum(
                i.minutes for i in session.items if i.category == "mobility" and not i.pair
            )
            if _is_hard(session.items) and warm_up < WARM_UP_MINUTES:
                self.flag(
                    R15,
                    f"a {warm_up}-min warm-up (mobility block) before a hard session; "
                    f"at least {WARM_UP_MINUTES} min",
                    day.week,
                    day.date,
                )

    def check_r16_dose(self) -> None:
        """(a) base/build loading weeks: `strength_sets` strength sets, 2 strength exercises
        per hard session; (b) peak: a maintenance session (2 strength exercises, 4 sets);
        (c) taper: a session where a day allows; (d) focus targets weighted 4-5: a dose of 3
        in base/build loading weeks; (e) loading weeks' hard sessions last
        `full_session_minutes` or their whole day; (f) base/build loading weeks hold
        min(60, half the minutes of the days that may hold a hard session)."""
        rules, athlete = self.rules, self.scenario.athlete
        minimum = rules.min_session_minutes
        for week in self.calendar.weeks:
            sessions = [d.session for d in self.days_by_week[week.index] if d.session]
            hard = [s for s in sessions if _is_hard(s.items)]

            def strength(session: Session) -> list[Item]:
                return [item for item in session.items if item.category == "strength"]

            preparing = week.loading and week.phase in ("base", "build")
            weekly = preparing and not week.recovering  # R20's days are asked nothing
            if weekly:
                sets = sum(
                    item.sets for s in sessions for item in strength(s) if "lower_body" in item.tags
                )
                wanted = rules.strength_sets[athlete.level]
                if sets < wanted:
                    self.flag(
                        R16, f"{sets} lower-body strength sets; the target is {wanted}", week.index
                    )
                for target, weight in athlete.focus.items():
                    if weight < 4:
                        continue
                    dose = sum(
                        self.item_dose(i, week.index).get(target, 0.0)
                        for s in sessions
                        for i in s.items
                    )
                    if dose < 3 - TOLERANCE:
                        self.flag(
                            R16, f"focus target {target} gets a dose of {dose:g}; "
                            "the target is 3", week.index,
                        )  # fmt: skip
                    served = any(
                        i.category == "accessory" and target in _largest_target(i.targets)
                        for s in sessions
                        for i in s.items
                    )
                    if target in FOCUS_ACCESSORY_TARGETS and not served and self.serves(target):
                        self.flag(
                            R16, f"no accessory for the focus target {target} (R15's revision: "
                            "the accessory block serves the athlete's imbalances)", week.index,
                        )  # fmt: skip
            if preparing:
                patterns = self.usable_patterns()
                for session in hard:
                    exercises = {item.exercise for item in strength(session)}
                    if len(exercises) < 2:
                        self.flag(
                            R16, f"a hard session with {len(exercises)} strength exercise(s); "
                            "the target is 2", week.index,
                        )  # fmt: skip
                    held = {self.catalog[e].pattern for e in exercises if e in self.catalog}
                    lacking = sorted(patterns - held)
                    if lacking:
                        self.flag(
                            R16, f"a hard session without a {' or '.join(lacking)}-dominant "
                            "strength exercise", week.index,
                        )  # fmt: skip
            if (
                week.loading
                and week.phase == "peak"
                and not any(
                    len({i.exercise for i in strength(s)}) >= 2
                    and sum(i.sets for i in strength(s)) >= 4
                    for s in sessions
                )
            ):
                self.flag(R16, "no maintenance session (2 strength exercises, 4 sets)", week.index)
            offered = any(day.takes_session(minimum) for day in week.days)
            if week.phase == "taper" and not sessions and offered:
                self.flag(
                    R16, "a taper week without a session, though a day allows one", week.index
                )
            if week.loading:
                for day in self.days_by_week[week.index]:
                    if day.session is None or not _is_hard(day.session.items):
                        continue
                    need = min(rules.full_session_minutes, day.available_minutes)
                    if day.session.minutes < need:
                        self.flag(
                            R16,
                            f"a {day.session.minutes}-min hard session; the target is {need} min",
                            day.week, day.date,
                        )  # fmt: skip
            if weekly:
                offer = sum(
                    day.available_minutes
                    for day in week.days
                    if day.takes_session(minimum) and day.hard_allowed
                )
                wanted = min(60, offer // 2)
                have = self.week_minutes(week.index)
                if have < wanted:
                    self.flag(R16, f"{have} gym minutes; the target is {wanted}", week.index)

    def usable(self) -> list[Exercise]:
        """The catalog exercises the athlete may do at all: level, kit on some day, nothing
        avoided, nothing the coach excludes (R18)."""
        athlete = self.scenario.athlete
        kit = set(athlete.equipment) | {"bodyweight"}
        for extra in self.scenario.availability.equipment_by_day.values():
            kit |= set(extra)
        return [
            exercise
            for exercise in self.catalog.values()
            if exercise.allowed_for(athlete.level)
            and exercise.equipment <= kit
            and not exercise.tags & set(athlete.avoid)
            and exercise.id not in self.scenario.coach.exclude
        ]

    def usable_patterns(self) -> set[str]:
        """R16 (a)'s revision: the knee- and hip-dominant lower-body patterns the kit allows."""
        return {
            e.pattern
            for e in self.usable()
            if e.category == "strength" and "lower_body" in e.tags and e.pattern in ("knee", "hip")
        }

    def serves(self, target: str) -> bool:
        """Can the athlete do an accessory whose largest contribution is `target`?"""
        return any(
            e.category == "accessory" and target in _largest_target(e.targets)
            for e in self.usable()
        )

    def set_seconds(self, item: Item) -> tuple[int, int]:
        """An item's work and whole set (work, rest, transition) in seconds, from its reps,
        its category's seconds per rep and the benefit model's transition."""
        count, side = item.reps.removesuffix("/side"), item.reps.endswith("/side")
        if count.endswith("s"):
            work = int(count.removesuffix("s"))
        else:
            work = int(count) * self.benefit.seconds_per_rep[item.category]
        work *= 2 if side else 1
        return work, work + item.rest_s + self.benefit.transition_s

    def session_minutes(self, session: Session) -> int:
        """The session's minutes recomputed: an item alone its sets' work, rest and
        transitions; a pair of s sets R17's s x max(set A, set B, work A + work B + 2
        transitions); each rounded up to whole minutes."""
        minutes = 0
        pairs: dict[str, list[Item]] = defaultdict(list)
        for item in session.items:
            if item.pair:
                pairs[item.pair].append(item)
            else:
                minutes += math.ceil(item.sets * self.set_seconds(item)[1] / 60)
        transition = self.benefit.transition_s
        for members in pairs.values():
            if len(members) != 2:  # R17 flags it; count the items alone
                minutes += sum(math.ceil(i.sets * self.set_seconds(i)[1] / 60) for i in members)
                continue
            (work_a, set_a), (work_b, set_b) = (self.set_seconds(i) for i in members)
            longest = max(set_a, set_b, work_a + work_b + 2 * transition)
            minutes += math.ceil(max(i.sets for i in members) * longest / 60)
        return minutes

    def check_r17_pairs(self) -> None:
        """A pair label is shared by exactly two items with the same sets, joining items that
        do not compete (a lower- and an upper-body item, or strength or accessory work with
        core or mobility that is not the session's opener); a power item only in the one
        contrast pair of a session: a heavy lower-body lift, then plyometrics, for an
        intermediate or advanced athlete in a build or peak week."""
        level = self.scenario.athlete.level
        for day, session in self.sessions():
            pairs: dict[str, list[Item]] = defaultdict(list)
            for item in session.items:
                if item.pair:
                    pairs[item.pair].append(item)
            contrast_ok = level != "novice" and day.phase in ("build", "peak")
            contrasts = 0
            for label, members in pairs.items():
                names = " and ".join(i.exercise for i in members)
                if len(members) != 2:
                    self.flag(R17, f"pair {label} holds {len(members)} items ({names})",
                              day.week, day.date)  # fmt: skip
                    continue
                first, second = members
                if first.sets != second.sets:
                    sets = f"{first.sets} and {second.sets} sets"
                    self.flag(R17, f"pair {label} ({names}) has {sets}", day.week, day.date)
                if session.items[0] in members:
                    self.flag(R17, f"pair {label} ({names}) holds the session's opening mobility "
                              "item", day.week, day.date)  # fmt: skip
                why = _forbidden_pair(first, second, contrast_ok)
                if why:
                    self.flag(R17, f"pair {label} ({names}): {why}", day.week, day.date)
                elif "power" in (first.category, second.category):
                    contrasts += 1
            if contrasts > 1:
                self.flag(R17, f"{contrasts} contrast pairs in one session; at most one",
                          day.week, day.date)  # fmt: skip

    def check_r18_coach(self) -> None:
        """The coach's say: no excluded exercise; a pinned day holds what is pinned; each
        included exercise the athlete may do (level, kit on some day, nothing avoided) is in
        every loading week (base, build, peak; no deload) that holds a hard session. Days
        and weeks before a replan's date are history: what was done stands."""
        source = self.plan.replanned_from()
        since = source.date if source is not None else self.plan.days[0].date
        excluded = set(self.scenario.coach.exclude)
        for day, session in self.sessions():
            for item in session.items:
                if item.exercise in excluded:
                    self.flag(R18, f"{item.exercise} is in coach.exclude", day.week, day.date)
        days = {day.date: day for day in self.plan.days}
        for pin in self.scenario.coach.pin:
            if pin.date >= since:
                self.check_pin(pin, days[pin.date])
        self.check_includes(since)

    def check_pin(self, pin: Pin, day: DayPlan) -> None:
        held = day.session
        if pin.session == "none":
            if held is not None:
                self.flag(R18, "the coach pins no session on this day", day.week, day.date)
            return
        if held is None:
            self.flag(R18, "the coach pins a session on this day; it has none", day.week, day.date)
            return
        kind = "hard" if _is_hard(held.items) else "light"
        if pin.session is not None and kind != pin.session:
            message = f"the coach pins a {pin.session} session; this one is {kind}"
            self.flag(R18, message, day.week, day.date)
        missing = sorted(set(pin.exercises or ()) - {item.exercise for item in held.items})
        if missing:
            self.flag(R18, f"the pinned session lacks {', '.join(missing)}", day.week, day.date)

    def check_includes(self, since: dt.date) -> None:
        may = {e.id for e in self.usable()}
        for week in self.calendar.weeks:
            if not week.loading or week.start + dt.timedelta(days=6) < since:
                continue
            sessions = [d.session for d in self.days_by_week[week.index] if d.session]
            if not any(_is_hard(session.items) for session in sessions):
                continue
            held = {item.exercise for session in sessions for item in session.items}
            for exercise in self.scenario.coach.include:
                if exercise in may and exercise not in held:
                    message = f"{exercise} is in coach.include; this week lacks it"
                    self.flag(R18, message, week.index)

    def check_r19_heavy(self) -> None:
        """Heavy strength where the kit allows. Intermediate and advanced: a loading week's
        hard session on a day whose kit holds external load holds a loaded lower-body
        strength item at 3-6 reps, and a base or build loading week with such a day 2
        different ones and 6 sets of them. A novice: a loaded lower-body item of 3 sets in
        each loading week from the second mesocycle on. Nothing is asked where the catalog
        has no such exercise for the athlete, or of a week with R20's recovery days (the
        weekly parts)."""
        athlete = self.scenario.athlete
        level = athlete.level
        own = set(athlete.equipment)
        by_day = self.scenario.availability.equipment_by_day

        def kit_day(date: dt.date) -> bool:
            return bool((own | set(by_day.get(WEEKDAYS[date.weekday()], []))) & LOAD_EQUIPMENT)

        loaded = [
            e for e in self.usable()
            if e.category == "strength" and "lower_body" in e.tags and e.equipment & LOAD_EQUIPMENT
        ]  # fmt: skip
        if not loaded:
            return
        minimum = self.rules.min_session_minutes
        mesocycles = self.calendar.mesocycles()
        first_mesocycle = set(mesocycles[0]) if mesocycles else set()
        for week in self.calendar.weeks:
            if not week.loading:
                continue
            kit_days = [d for d in week.days if d.takes_session(minimum) and kit_day(d.date)]
            if not kit_days:
                continue
            items = self.week_items(week.index)
            weekly = week.phase in ("base", "build") and not week.recovering
            if level == "novice":
                sets = sum(i.sets for i in items if _loaded_lower_body(i))
                if weekly and week.index not in first_mesocycle and sets < 3:
                    self.flag(
                        R19, f"{sets} sets of loaded lower-body lifts; the target is 3", week.index
                    )
                continue
            for day in self.days_by_week[week.index]:
                held = day.session.items if day.session else []
                if _is_hard(held) and kit_day(day.date) and not any(map(_heavy, held)):
                    self.flag(
                        R19, "a hard session on a day with loaded kit and no heavy lift "
                        "(loaded lower-body, 3-6 reps)", day.week, day.date,
                    )  # fmt: skip
            if weekly:
                heavy = [i for i in items if _heavy(i)]
                exercises = {i.exercise for i in heavy}
                sets = sum(i.sets for i in heavy)
                if len(exercises) < 2 or sets < 6:
                    self.flag(
                        R19, f"{len(exercises)} heavy lift(s) with {sets} sets; the target is 2 "
                        "with 6 sets", week.index,
                    )  # fmt: skip

    def check_r20_recovery(self) -> None:
        """No hard session and no plyometric item in `race_recovery_days` after a race."""
        sessions = dict((day.date, session) for day, session in self.sessions())
        for race in self.scenario.block.races:
            days = self.rules.race_recovery_days[race.distance_class]
            for offset in range(1, days + 1):
                date = race.date + dt.timedelta(days=offset)
                session = sessions.get(date)
                if session is None:
                    continue
                if _is_hard(session.items) or any("plyometric" in i.tags for i in session.items):
                    self.flag(
                        R20, f"a hard or plyometric session {offset} day(s) after the "
                        f"{race.priority} race on {race.date} (recovery: {days} days)",
                        None, date,
                    )  # fmt: skip

    # --- objective -----------------------------------------------------------------------

    def first_mesocycle(self) -> set[int]:
        """The weeks of the first mesocycle: its loading weeks and the deload or taper that
        closes it (a novice's first strength prescriptions, and the intensity of a set)."""
        weeks: set[int] = set()
        for week in self.calendar.weeks:
            if not weeks and not week.loading:
                continue  # before the first loading week
            previous = self.calendar.weeks[week.index - 2]
            if weeks and week.loading and (not previous.loading or previous.phase != week.phase):
                break  # the next mesocycle begins
            weeks.add(week.index)
        return weeks

    def item_dose(self, item: Item, week: int) -> dict[str, float]:
        """Set-contributions of an item, re-derived from the catalog where it knows the
        exercise: a strength set's `max_strength` counts by its intensity (benefit model
        `strength_intensity`), whatever the plan states."""
        exercise = self.catalog.get(item.exercise)
        if exercise is None:
            return item.targets
        level = self.scenario.athlete.level
        first = week in self._first_mesocycle
        per_set = set_contributions(exercise, level, first, self.benefit)
        return {target: item.sets * amount for target, amount in per_set.items()}

    def figures(self) -> Figures:
        benefit = 0.0
        athlete = self.scenario.athlete
        phases = {week.index: week.phase for week in self.calendar.weeks}
        for week, days in self.days_by_week.items():
            dose: dict[str, float] = defaultdict(float)
            for day in days:
                if day.session:
                    for item in day.session.items:
                        for target, amount in self.item_dose(item, week).items():
                            dose[target] += amount
            for target, amount in dose.items():
                benefit += self.benefit.target_week_benefit(
                    target, amount, phases[week], athlete.focus_weight(target)
                )
        minutes = sum(session.minutes for _, session in self.sessions())
        return Figures(benefit, minutes, benefit / minutes if minutes else 0.0)

    def check_objective(self) -> Figures:
        figures = self.figures()
        stated = self.plan.objective
        if stated.minutes != figures.minutes:
            self.flag(
                "objective", f"minutes {stated.minutes}; the sessions add up to {figures.minutes}"
            )
        if abs(stated.benefit - figures.benefit) > TOLERANCE * max(1.0, figures.benefit):
            self.flag("objective", f"benefit {stated.benefit}; recomputed {figures.benefit:.4f}")
        if abs(stated.benefit_per_minute - figures.benefit_per_minute) > TOLERANCE * max(
            1.0, figures.benefit_per_minute
        ):
            self.flag(
                "objective",
                f"benefit per minute {stated.benefit_per_minute}; "
                f"recomputed {figures.benefit_per_minute:.6f}",
            )
        bound = stated.benefit_per_minute_bound
        if bound is not None and bound < figures.benefit_per_minute - TOLERANCE:
            self.flag("objective", f"bound {bound} is below the plan's own ratio")
        return figures

    # --- a replanned plan ---------------------------------------------------------------------

    def check_replan(self) -> None:
        """A missed day holds no session; the first week back after an illness holds at
        most its cap of gym minutes and no plyometrics in its first days."""
        for day in self.plan.days:
            if is_missed(day) and day.session is not None:
                self.flag("plan", "a day marked missed holds a session", day.week, day.date)
        sessions = dict((day.date, session) for day, session in self.sessions())
        for window, cap, no_plyo in return_limits(self.events):
            used = sum(sessions[d].minutes for d in window if d in sessions)
            if cap is not None and used > cap:
                self.flag(
                    "return",
                    f"{used} gym minutes in the first week back after an illness "
                    f"({window[0]} to {window[-1]}); at most {cap}",
                    None,
                    window[0],
                )
            for date in no_plyo:
                session = sessions.get(date)
                if session and any("plyometric" in i.tags for i in session.items):
                    self.flag(
                        "return",
                        "plyometrics in the first days back after an illness",
                        None,
                        date,
                    )


# One check per rule, in rule order, looked up in the registry.
CHECKS: list[Callable[[_Checker], None]] = [getattr(_Checker, rule.check) for rule in RULES]


@dataclass(frozen=True)
class CheckReport:
    violations: list[Violation]  # broken hard rules (and dose targets, with `strict`)
    figures: Figures | None
    missed: list[Violation] = field(default_factory=list)  # missed dose targets

    @property
    def ok(self) -> bool:
        """No hard rule is broken (missed dose targets are warnings)."""
        return not self.violations

    def rules(self) -> set[str]:
        return {violation.rule for violation in self.violations}

    def missed_rules(self) -> set[str]:
        return {target.rule for target in self.missed}


def check_plan(
    plan: Plan,
    scenario: Scenario,
    benefit: BenefitModel | None = None,
    catalog: Catalog | None = None,
) -> CheckReport:
    source = plan.replanned_from()
    events = [] if source is None else [Event.model_validate(e) for e in source.events]
    # A replanned plan is checked against the scenario as its events left it.
    scenario = situation(scenario, events)
    checker = _Checker(
        plan, scenario, benefit or default_benefit_model(), catalog or default_catalog()
    )
    checker.events = events
    checker.avoid_from = avoided_from(events)
    if not checker.check_structure():
        return CheckReport(checker.violations, None)
    for check in CHECKS:
        check(checker)
    checker.check_replan()
    figures = checker.check_objective()
    return CheckReport(checker.violations, figures, checker.missed)
