"""Infeasibility and missed targets explained in coaching language, with relaxations that
are verified by solving again.

The solver finds a minimal set of conflicting (rule, week) pairs; this module turns it into
sentences such as "Week 3 (base) needs 2 hard sessions (R13), but only Wed (30 min) and
Sat (60 min) have time: Wed is the day before a key run (R4) ..." and tries the cheapest
changes (more minutes on a day, one fewer hard session, relaxing a rule for a week) until
some make the scenario feasible.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from planner.domain.calendar import Day, Week
from planner.domain.scenario import Exception_, Scenario
from planner.rules import BY_ID, R1, R3, R4, R7, R10, R13, R16, R18
from planner.solver.conflicts import Explainer, RuleWeek
from planner.solver.plan_builder import min_hard_session_minutes
from planner.solver.problem import Problem, build_problem, unusable
from planner.solver.run import Deadline
from planner.vocabulary import WEEKDAYS

# Rules told in the sentence about a week's days, not in a sentence of their own.
DESCRIBED_BY_DAY = {rule.id for rule in (R1, R3, R4, R7, R10, R13, R18)}


@dataclass(frozen=True)
class Relaxation:
    """A change that makes the scenario feasible, checked by solving again: either a
    changed scenario (more minutes), or rules switched off in some weeks."""

    text: str
    scenario: Scenario | None = None
    relaxed: frozenset[RuleWeek] = frozenset()

    def __str__(self) -> str:
        return self.text


@dataclass
class Explanation:
    conflict: list[RuleWeek]
    sentences: list[str]
    relaxations: list[Relaxation] = field(default_factory=list)

    def text(self) -> str:
        lines = list(self.sentences)
        if self.relaxations:
            lines.append("Changes that make it work (each checked by solving again):")
            lines.extend(f"  - {relaxation.text}" for relaxation in self.relaxations)
        return "\n".join(lines)

    def rules(self) -> set[str]:
        return {rule for rule, _ in self.conflict}


DAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


def _weekday(day: Day) -> str:
    return day.weekday.capitalize()


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _why_not(day: Day, rules: set[str], needed: int, problem: Problem) -> str | None:
    reasons = [reason for rule, reason in day.hard_blockers() if rule in rules]
    if R1.id in rules and day.available_minutes < needed:
        reasons.append(f"too short for a hard session of about {needed} min (R1)")
    extra = set().union(*problem.scenario.availability.equipment_by_day.values())
    if R10.id in rules and extra - day.equipment:
        missing = ", ".join(sorted(extra - day.equipment))
        reasons.append(f"without the {missing} that other days have (R10)")
    return ", ".join(reasons) or None


def describe(problem: Problem, conflict: list[RuleWeek]) -> list[str]:
    rules = {rule for rule, _ in conflict}
    minimum = problem.scenario.rules.min_session_minutes
    sentences = []
    for week_index in sorted({week for rule, week in conflict if rule == R13.id}):
        week: Week = problem.weeks[week_index - 1]
        group = problem.group_of_week()[week_index]
        label = "deload" if week.deload else week.phase
        sessions = f"{group.min_hard} hard session{'s' if group.min_hard != 1 else ''}"
        need = f"Week {week_index} ({label}, from {week.start}) needs {sessions} (R13)"
        with_time = problem.session_days(week)
        if not with_time:
            sentences.append(f"{need}, but no day that week has {minimum} min or more (R1).")
            continue
        needed = min_hard_session_minutes(problem, week_index)
        listed = _and([f"{_weekday(d)} ({d.available_minutes} min)" for d in with_time])
        blocked = []
        for day in with_time:
            reason = _why_not(day, rules, needed, problem)
            if reason:
                blocked.append(f"{_weekday(day)} is {reason}")
        only = "only " if len(with_time) < 7 else ""
        sentence = f"{need}, but {only}{listed} {'has' if len(with_time) == 1 else 'have'} time"
        if blocked:
            sentence += ": " + "; ".join(blocked)
        if R3.id in rules:
            gap = problem.scenario.rules.hard_gap_days
            sentence += f"; and hard sessions must be at least {gap} days apart (R3)"
        sentences.append(sentence + ".")
    for week_index in sorted({week for rule, week in conflict if rule == R18.id}):
        sentences.append(_coach_sentence(problem, week_index, rules))
    others = sorted({(rule, week) for rule, week in conflict if rule not in DESCRIBED_BY_DAY})
    gap = problem.scenario.rules.hard_gap_days
    for dose_week in sorted({week for rule, week in others if rule == R16.id}):
        blockers = [
            f"{BY_ID[rule].words.format(gap=gap)} ({rule}"
            + (f", week {week})" if week != dose_week else ")")
            for rule, week in conflict
            if rule not in (R13.id, R16.id)
        ]
        sentence = f"Week {dose_week} cannot reach its minimum effective dose (R16)"
        if blockers:
            sentence += " under " + _and(blockers)
        sentences.append(sentence + ".")
    if any(rule == R16.id for rule, _ in others):
        others = []  # the R16 sentence names every other rule of the conflict
    for rule, other_week in others:
        words = BY_ID[rule].words.format(gap=problem.scenario.rules.hard_gap_days)
        sentences.append(f"In week {other_week}, {words} ({rule}) is part of the conflict.")
    if not sentences:
        words = ", ".join(f"{rule} (week {week})" for rule, week in conflict)
        sentences.append(f"These requirements cannot all hold: {words}.")
    return sentences


def _coach_sentence(problem: Problem, week_index: int, rules: set[str]) -> str:
    """R18 in a conflict: what the coach asks of the week (its pins, by date and index in
    coach.pin, and the included exercises), and what stands in the way on a pinned day."""
    coach = problem.scenario.coach
    minimum = problem.scenario.rules.min_session_minutes
    days = {day.date: day for day in problem.weeks[week_index - 1].days}
    asks = []
    for index, pin in enumerate(coach.pin):
        day = days.get(pin.date)
        if day is None:
            continue
        where = f"on {_weekday(day)} {day.date} (coach.pin[{index}], R18)"
        if pin.session == "none":
            asks.append(f"pins no session {where}")
            continue
        what = f"a {pin.session} session" if pin.session else "a session"
        if pin.exercises:
            what += f" with {', '.join(pin.exercises)}"
        blockers = []
        if not day.session_allowed:
            blockers.append("race day or the day after (R7)")
        elif day.available_minutes < minimum:
            blockers.append(
                f"{day.available_minutes} min long, under the {minimum}-min minimum (R1)"
            )
        if pin.session == "hard":
            blockers += [reason for rule, reason in day.hard_blockers() if rule in rules]
        ask = f"pins {what} {where}"
        if blockers:
            ask += f", but that day is {_and(blockers)}"
        exercises = problem.catalog.by_id()
        cannot = [
            found[1]
            for exercise in pin.exercises or ()
            if exercise in exercises
            and (found := unusable(problem.scenario, exercises[exercise])) is not None
        ]
        asks.append(ask + (f", but {_and(cannot)}" if cannot else ""))
    if coach.include:
        asks.append(
            f"asks for {_and(list(coach.include))} in every week with a hard session "
            "(coach.include, R18)"
        )
    return f"Week {week_index}: the coach " + "; and ".join(asks) + "."


def _with_minutes(
    scenario: Scenario, weekday: str | None, date: dt.date | None, minutes: int
) -> Scenario:
    availability = scenario.availability
    if weekday is not None:
        weekly = dict(availability.weekly) | {weekday: minutes}
        availability = availability.model_copy(update={"weekly": weekly})
    if date is not None:
        exceptions = [e for e in availability.exceptions if e.date != date]
        exceptions.append(Exception_(date=date, minutes=minutes))
        availability = availability.model_copy(update={"exceptions": exceptions})
    return scenario.model_copy(update={"availability": availability})


def _availability_relaxations(
    explainer: Explainer,
    conflict: list[RuleWeek],
    target_weeks: list[int] | None,
    targets: tuple[str, ...],
) -> list[Relaxation]:
    """More minutes on weekdays that may hold a hard session, cheapest first; a single
    weekday, then pairs. Each is verified by solving the changed scenario."""
    problem = explainer.problem
    scenario = problem.scenario
    # R16 wants full sessions of `full_session_minutes`; R13 any hard session R15 allows.
    full = scenario.rules.full_session_minutes if R16.id in targets else 0
    changes: dict[str, tuple[int, int]] = {}  # weekday -> (minutes wanted, increase)
    for _, week_index in conflict:
        shortest = max(full, min_hard_session_minutes(problem, week_index, dose=bool(full)))
        # A full session's shortest items rarely fit its blocks exactly (the knee and hip
        # patterns, R11's unilateral share): ask for 5 min of slack, in steps of 5.
        needed = int(math.ceil((shortest + (5 if full else 0)) / 5) * 5)
        for day in problem.weeks[week_index - 1].days:
            now = scenario.availability.weekly.get(day.weekday, 0)
            if day.session_allowed and day.hard_allowed and now < needed:
                changes[day.weekday] = (needed, needed - now)
    ranked = sorted(changes, key=lambda weekday: (changes[weekday][1], weekday))[:4]
    trials: list[tuple[str, ...]] = [(weekday,) for weekday in ranked]
    trials += [(a, b) for i, a in enumerate(ranked) for b in ranked[i + 1 :]]
    found: list[tuple[tuple[str, ...], Scenario]] = []
    for weekdays in trials:
        if len(found) >= 3 or any(set(done) <= set(weekdays) for done, _ in found):
            continue
        changed = scenario
        for weekday in weekdays:
            changed = _with_minutes(changed, weekday, None, changes[weekday][0])
        trial = Explainer(build_problem(changed), explainer.time_limit, deadline=explainer.deadline)
        if trial.feasible(trial.keys(target_weeks, targets)):
            found.append((weekdays, changed))
    return [
        Relaxation(
            " and ".join(
                f"give {DAY_NAMES[w]}s {changes[w][0]} min "
                f"(now {scenario.availability.weekly.get(w, 0)})"
                for w in weekdays
            ),
            scenario=changed,
        )
        for weekdays, changed in found
    ]


def _weeks_text(weeks: list[int]) -> str:
    return ("week " if len(weeks) == 1 else "weeks ") + ", ".join(map(str, weeks))


def _rule_relaxations(
    explainer: Explainer,
    conflict: list[RuleWeek],
    target_weeks: list[int] | None,
    offer_fewer_sessions: bool,
    targets: tuple[str, ...],
    limit: int = 12,
) -> list[Relaxation]:
    """Relax one rule in as few weeks as it takes: relax it where it conflicts, look for
    the next conflict, and stop when the rest is feasible or another rule is to blame."""
    found: list[Relaxation] = []
    every = explainer.keys(target_weeks, targets)
    gap = explainer.problem.scenario.rules.hard_gap_days
    for rule in sorted({rule for rule, _ in conflict}):
        if not BY_ID[rule].hard and not offer_fewer_sessions:
            continue
        relaxed = {(rule, week) for r, week in conflict if r == rule}
        for _ in range(limit):
            remaining = [key for key in every if key not in relaxed]
            next_conflict = explainer.minimal_conflict(remaining)
            if next_conflict is None:
                weeks = sorted(week for _, week in relaxed)
                if rule == R13.id:
                    text = (
                        f"accept fewer hard sessions in {_weeks_text(weeks)} (R13), "
                        "e.g. with rules.strict: false"
                    )
                elif rule == R16.id:
                    text = (
                        f"accept less than the minimum dose in {_weeks_text(weeks)} (R16), "
                        "e.g. with rules.strict: false"
                    )
                else:
                    text = (
                        f"relax {BY_ID[rule].words.format(gap=gap)} in {_weeks_text(weeks)} "
                        f"({rule}; {BY_ID[rule].relax})"
                    )
                found.append(Relaxation(text, relaxed=frozenset(relaxed)))
                break
            more = {(r, week) for r, week in next_conflict if r == rule}
            if not more:
                break
            relaxed |= more
    return found


def explain(
    problem: Problem,
    target_weeks: list[int] | None = None,
    time_limit: float = 10.0,
    deadline: Deadline | None = None,
    targets: tuple[str, ...] = (R13.id,),
) -> Explanation | None:
    """Why the hard rules (with R13 for `target_weeks`, or all weeks) leave no plan. For a
    missed soft target (`target_weeks` given), "accept fewer sessions" is not offered: the
    plan already does that. Raises OutOfTime when `deadline` comes first."""
    explainer = Explainer(problem, time_limit, deadline=deadline)
    conflict = explainer.minimal_conflict(explainer.keys(target_weeks, targets))
    if conflict is None and target_weeks is None and problem.scenario.rules.strict:
        # The hard rules and R13 can hold together: R16, strict too, is what conflicts.
        targets = (R13.id, R16.id)
        conflict = explainer.minimal_conflict(explainer.keys(None, targets))
    if conflict is None:
        return None
    # A changed scenario must solve as a whole: with `strict`, every dose rule holds.
    strict = target_weeks is None and problem.scenario.rules.strict
    relaxations = _availability_relaxations(
        explainer, conflict, target_weeks, (R13.id, R16.id) if strict else targets
    )
    relaxations += _rule_relaxations(
        explainer, conflict, target_weeks, target_weeks is None, targets
    )
    return Explanation(conflict, describe(problem, conflict), relaxations)
