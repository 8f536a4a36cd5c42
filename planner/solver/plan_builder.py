"""Turn a Solution into a Plan: sessions in template order, prescriptions and load guidance,
week summaries, objective figures and warnings for missed dose targets (R13, R14, R16, R19)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence

from planner import __version__
from planner.domain.calendar import Day, Week
from planner.domain.catalog import (
    ACCESSORY_RPE,
    BenefitModel,
    in_chart,
    percent_1rm,
    reps_in_reserve,
    target_rpe,
)
from planner.domain.pairs import PAIR_LABELS
from planner.domain.plan import (
    DayPlan,
    Item,
    Objective,
    Plan,
    Run,
    Session,
    Warning_,
    WeekPlan,
)
from planner.domain.scenario import Scenario
from planner.rules import R6, R7, R8, R12, R13, R14, R19, R20
from planner.solver.model import (
    FOCUS_DOSE,
    HEAVY_EXERCISES,
    HEAVY_SETS,
    NOVICE_LOADED_SETS,
    RULE_OF_PART,
    STRENGTH_EXERCISES,
    WARM_UP_MINUTES,
    planned_pair,
)
from planner.solver.problem import (
    DOSE_SCALE,
    Candidate,
    Group,
    Problem,
    Restrictions,
    evaluate,
    slot_minutes,
    usable_exercises,
)
from planner.solver.solution import Pick, Solution, SolveStatus
from planner.vocabulary import CATEGORIES, HARD_CATEGORIES, LOAD_EQUIPMENT, OPENER_TAGS

LOAD_BY_CATEGORY = {
    "mobility": "easy, controlled range",
    "power": "maximal intent, full recovery between sets",
    "accessory": f"moderate: RPE {ACCESSORY_RPE:g}, leave {reps_in_reserve(ACCESSORY_RPE)} reps "
    "in reserve",
    "core": "own the position; stop when form breaks",
}


def load_guidance(candidate: Candidate, group: Group, week: int) -> str:
    """Load guidance, progressing across a mesocycle's loading weeks (R14). The RPE a note
    states is the item's `target_rpe` (catalog), the one the load suggestions aim at too. A
    loaded strength item names its RPE, its reps in reserve and the %1RM the chart gives for
    its reps and RPE (`percent_1rm`, Helms et al. 2016): RPE 8 for heavy sets of 3-6 reps
    (R19), RPE 7 for the higher reps of a novice's first mesocycle. A bodyweight item
    progresses by tempo and pause at RPE 7. An accessory leaves 2-3 reps in reserve (RPE
    7.5). Deload and taper items keep the movements with fewer sets at RPE 6."""
    exercise, prescription = candidate.exercise, candidate.prescription
    easy = group.kind in ("deload", "taper")
    rpe = target_rpe(exercise.category, prescription.reps, exercise.loaded, easy)
    if exercise.category == "power":
        if group.kind == "deload":
            return "deload: same movements, about 2/3 of the sets; fast and crisp"
        if group.kind == "taper":
            return "taper: a few fast, crisp reps; full recovery"
    if rpe is None:
        return LOAD_BY_CATEGORY[exercise.category]
    reserve = f"{reps_in_reserve(rpe)} reps in reserve"
    if exercise.category == "accessory":
        if easy:
            return f"{group.kind}: easy, RPE {rpe:g}, {reserve}"
        return LOAD_BY_CATEGORY["accessory"]
    if group.kind == "deload":
        return f"deload: same movements, about 2/3 of the sets, RPE {rpe:g}"
    if group.kind == "taper":
        return f"taper: same movements, fewer sets, RPE {rpe:g}: light and crisp"
    position = group.weeks.index(week) + 1
    progress = f"week {position} of {group.size}: "
    if not exercise.loaded or prescription.is_timed:
        if position == 1:
            return f"bodyweight: 3 s lowering; RPE {rpe:g}"
        return (
            progress + f"bodyweight: slower 4 s lowering or a 2 s pause at the bottom; RPE {rpe:g}"
        )
    if position > 1:
        return progress + f"add 2.5-5% load vs last week; RPE {rpe:g}"
    side = " per side" if prescription.per_side else ""
    reps = f"{prescription.count} reps{side} at RPE {rpe:g}"
    if not in_chart(prescription.count, rpe):  # beyond the chart: no %1RM
        return f"{reps}, {reserve}"
    percent = percent_1rm(prescription.count, rpe)
    return f"{reps} (about {percent:.0f}% 1RM), {reserve}"


def _item(candidate: Candidate, sets: int, group: Group, week: int) -> Item:
    option = next(o for o in candidate.options if o.sets == sets)
    exercise = candidate.exercise
    return Item(
        exercise=exercise.id,
        name=exercise.name,
        category=exercise.category,
        sets=sets,
        reps=candidate.prescription.reps,
        load=load_guidance(candidate, group, week),
        rest_s=candidate.prescription.rest_s,
        minutes=option.minutes,
        equipment=sorted(exercise.equipment),
        tags=sorted(exercise.tags),
        contacts=option.contacts,
        targets={t: units / DOSE_SCALE for t, units in sorted(option.dose.items())},
        cue=exercise.cue,
    )


def _template_order(item: Item) -> tuple[int, bool, bool, str]:
    """Mobility (hips and ankles first), power, strength, accessory, core; unilateral moves
    first within a category."""
    opener = bool(OPENER_TAGS & set(item.tags))
    return (
        CATEGORIES.index(item.category),
        not opener,
        "unilateral" not in item.tags,
        item.exercise,
    )


def _in_order(items: list[Item], picks: Sequence[Pick]) -> list[Item]:
    """The session's items in template order, each pair (R17) in its first item's block with
    its second item right after it, labelled A, B, ... in the order they come."""
    by_id = {item.exercise: item for item in items}
    partner = {}
    for pick in picks:
        if pick.pair:
            first = next(p for p in picks if p.pair == pick.pair)
            if first is not pick:
                partner[first.exercise] = pick.exercise
    seconds = set(partner.values())
    leads = sorted((i for i in items if i.exercise not in seconds), key=_template_order)
    result: list[Item] = []
    labels = iter(PAIR_LABELS)
    for item in leads:
        if item.exercise in partner:
            label = next(labels)
            result += [
                item.model_copy(update={"pair": label}),
                by_id[partner[item.exercise]].model_copy(update={"pair": label}),
            ]
        else:
            result.append(item)
    return result


def _session(solution: Solution, group: Group, slot: int, day: Day) -> Session:
    by_id = {c.id: c for c in group.candidates}
    picks = solution.contents[group.index][slot]
    items = _in_order([_item(by_id[p.exercise], p.sets, group, day.week) for p in picks], picks)
    hard = any(item.category in HARD_CATEGORIES for item in items)
    return Session(
        minutes=slot_minutes(group, picks),
        hard=hard,
        after_run=hard and day.run.kind == "quality",
        items=items,
        kind=("full" if group.kind == "loading" else "deload") if hard else "light",
    )


def _label(week: Week) -> str:
    return "deload" if week.deload else week.phase


def min_hard_session_minutes(problem: Problem, week: int, dose: bool = False) -> int:
    """The shortest hard session R15 allows in a week: every block in a loading week
    (mobility, power, strength, accessory, core), mobility, strength and core otherwise,
    after a warm-up of `WARM_UP_MINUTES`; with `dose`, R16's two strength exercises. Each
    block takes its shortest item, and the work blocks pair where R17 lets them."""
    group = problem.group_of_week()[week]
    blocks = ["strength", "core"]
    if group.kind == "loading":
        blocks += ["power", "accessory"]

    def shortest(category: str, count: int = 1) -> list[Pick]:
        ranked = sorted(
            (c for c in group.candidates if c.exercise.category == category),
            key=lambda c: (c.options[0].minutes, c.id),
        )
        return [Pick(c.id, c.options[0].sets) for c in ranked[:count]]

    mobility = [o.minutes for c in group.candidates for o in c.options[:1]
                if c.exercise.category == "mobility"]  # fmt: skip
    opener = min(mobility, default=0) * (2 if group.kind == "loading" else 1)
    work = [
        pick
        for category in blocks
        for pick in shortest(category, STRENGTH_EXERCISES if dose and category == "strength" else 1)
    ]
    warm_up = max(opener, WARM_UP_MINUTES)
    return max(problem.scenario.rules.min_session_minutes, warm_up + _best_paired(group, work))


def _best_paired(group: Group, picks: list[Pick]) -> int:
    """The fewest minutes these items take, alone or in the pairs the planner makes
    (`planned_pair`; any matching, as a session holds few items)."""
    if not picks:
        return 0
    first, rest = picks[0], picks[1:]
    best = slot_minutes(group, [first]) + _best_paired(group, rest)
    by_id = {c.id: c.pairable for c in group.candidates}
    for other in rest:
        if other.sets != first.sets or not planned_pair(
            group, by_id[first.exercise], by_id[other.exercise]
        ):
            continue
        left = [p for p in rest if p is not other]
        pair = [first._replace(pair=1), other._replace(pair=1)]
        best = min(best, slot_minutes(group, pair) + _best_paired(group, left))
    return best


def _shortfall_warning(problem: Problem, week: Week, group: Group, missing: int) -> Warning_:
    have = group.min_hard - missing
    minimum = problem.scenario.rules.min_session_minutes
    blocked = [d for d in week.days if not d.hard_allowed and d.available_minutes >= minimum]
    needed = math.ceil(min_hard_session_minutes(problem, week.index) / 5) * 5
    short = [d for d in week.days if d.hard_allowed and d.available_minutes < needed]
    if short:
        day = short[0]
        suggestion = (
            f"give {day.weekday.capitalize()} {needed} min instead of {day.available_minutes}"
        )
    elif blocked:
        reasons = ", ".join(
            f"{d.weekday.capitalize()} ({d.hard_blockers()[0][1]})" for d in blocked[:3]
        )
        suggestion = f"free a day for a hard session: {reasons}"
    else:
        suggestion = "add gym time on a day that is not before a key run"
    return Warning_(
        rule=R13.id,
        week=week.index,
        message=(
            f"{have} hard session{'s' if have != 1 else ''} in a {_label(week)} week; "
            f"the target is {group.min_hard}"
        ),
        suggestion=suggestion,
    )


def _hard_days(problem: Problem, week: Week) -> str:
    days = [d for d in problem.session_days(week) if d.hard_allowed]
    if not days:
        return "no day that week may hold a hard session"
    listed = ", ".join(f"{d.weekday.capitalize()} {d.available_minutes} min" for d in days)
    return f"the days that may hold a hard session offer {listed}"


def _dose_warning(
    problem: Problem,
    week: Week,
    part: str,
    detail: str,
    missing: int,
    ramp_limit: float | None = None,
) -> Warning_:
    """R16 and R19: what is missing in a week, what really stands in the way (the rule that
    blocks the days, R12's ramp, or the days' minutes), and what would meet it."""
    rules, level = problem.scenario.rules, problem.scenario.athlete.level
    full = rules.full_session_minutes
    messages = {
        "sets": f"{rules.strength_sets[level] - missing} lower-body strength sets; "
        f"the target is {rules.strength_sets[level]}",
        "exercises": f"a hard session with {STRENGTH_EXERCISES - missing} strength "
        f"exercise(s); the target is {STRENGTH_EXERCISES}",
        "patterns": "a hard session without both a knee- and a hip-dominant strength exercise",
        "maintenance": "no maintenance session (2 strength exercises, 4 sets)",
        "taper": "no session in the taper week",
        "focus": f"focus target {detail} gets a dose of {FOCUS_DOSE - missing / DOSE_SCALE:g}; "
        f"the target is {FOCUS_DOSE}",
        "focus_accessory": f"no accessory for the focus target {detail}",
        "session_minutes": f"a hard session {missing} min short of {full} min",
        "week_minutes": f"{missing} gym minutes short of the week's minimum",
        "heavy_session": "a hard session on a day with loaded kit holds no heavy lift "
        "(loaded lower-body, 3-6 reps)",
        "heavy_exercises": f"{HEAVY_EXERCISES - missing} different heavy lift(s); "
        f"the target is {HEAVY_EXERCISES}",
        "heavy_sets": f"{HEAVY_SETS - missing} heavy sets; the target is {HEAVY_SETS}",
        "loaded_sets": f"{NOVICE_LOADED_SETS - missing} sets of a loaded lower-body lift; "
        f"the target is {NOVICE_LOADED_SETS}",
    }
    rule = RULE_OF_PART[part]
    why = _in_the_way(problem, week, rule)
    suggestion = f"give a hard-session day {max(full, 40)} min"
    if part == "taper":
        suggestion = "free a day before the race's hard-free window for a light session"
    elif why:
        suggestion = why[1]
    elif ramp_limit is not None:
        why = (
            f"R12's ramp caps week {week.index} at {ramp_limit:.0f} min",
            "accept a slower build-up, or raise rules.ramp or rules.ramp_extra_minutes",
        )
        suggestion = why[1]
    reason = why[0] if why else _hard_days(problem, week)
    return Warning_(
        rule=rule, week=week.index, message=f"{messages[part]} ({reason})", suggestion=suggestion
    )


RACE_RULES = (R7.id, R20.id)


def _in_the_way(problem: Problem, week: Week, rule: str) -> tuple[str, str] | None:
    """(what stands in the way, what would help) when a rule blocks the days a dose target
    needs: R19's loaded kit only on days that cannot hold a hard session, or the days that
    R7's race window or R20's recovery leave without hard work."""
    days = problem.session_days(week)
    if rule == R19.id:
        kit = [d for d in days if d.equipment & LOAD_EQUIPMENT]
        if kit and not any(d.hard_allowed for d in kit):
            names = " and ".join(d.weekday.capitalize() for d in kit)
            loads = ", ".join(sorted(set().union(*(d.equipment & LOAD_EQUIPMENT for d in kit))))
            reasons = "; ".join(
                f"{d.weekday.capitalize()} is {d.hard_blockers()[0][1]}" for d in kit
            )
            return (
                f"{names} {'has' if len(kit) == 1 else 'have'} the {loads}, but no hard "
                f"session may fall there: {reasons}",
                f"bring the {loads} to a day that can hold a hard session, or move the key run",
            )
    blocked = [d for d in days if d.hard_blockers() and d.hard_blockers()[0][0] in RACE_RULES]
    if blocked and not any(d.hard_allowed for d in days):
        reasons = ", ".join(
            f"{d.weekday.capitalize()} ({d.hard_blockers()[0][1]})" for d in blocked
        )
        return f"no day may hold a hard session: {reasons}", "none needed: the race comes first"
    return None


def variety_warnings(problem: Problem, sessions: dict[dt.date, Session]) -> list[Warning_]:
    """R14's variety: a new mesocycle that keeps every strength exercise of the one before,
    where the athlete's candidates offer another. The model does not ask it (it would link
    every mesocycle to the next), so the plan says where it happens."""
    usable = usable_exercises(problem.scenario, problem.catalog)
    offered = {exercise.id for exercise in usable if exercise.category == "strength"}
    warnings = []
    runs = problem.calendar.mesocycles()
    for previous, current in itertools.pairwise(runs):
        if problem.weeks[current[0] - 1].phase == "peak":
            continue  # the peak maintains the build's lifts (R14: nothing new in a peak)
        held = [
            {
                item.exercise
                for week in weeks
                for day in problem.weeks[week - 1].days
                if day.date in sessions
                for item in sessions[day.date].items
                if item.category == "strength"
            }
            for weeks in (previous, current)
        ]
        if held[1] and held[1] <= held[0] and offered - held[0]:
            warnings.append(
                Warning_(
                    rule=R14.id,
                    week=current[0],
                    message=f"{_span(current)} {'keeps' if len(current) == 1 else 'keep'} "
                    f"every strength exercise of {_span(previous)} (a new mesocycle usually "
                    "changes one)",
                    suggestion="swap one lift for a variant or another implement for these "
                    "weeks; the plan keeps them because they give the most per minute",
                )
            )
    return warnings


def _span(weeks: list[int]) -> str:
    return f"week {weeks[0]}" if len(weeks) == 1 else f"weeks {weeks[0]}-{weeks[-1]}"


def ramp_limit(problem: Problem, week: int, minutes: dict[int, int]) -> float | None:
    """R12's cap on a week's minutes when the week has reached it (within 5 min), else
    None: the ramp, not the days, is then what holds the week's dose back."""
    cap = dict(weekly_caps(problem, week, minutes)).get(R12.id)
    return cap if cap is not None and minutes[week] >= cap - 5 else None


def weekly_caps(problem: Problem, week: int, minutes: dict[int, int]) -> list[tuple[str, float]]:
    """The caps that rules linking weeks put on a week's gym minutes, given the minutes of
    the weeks before: R6's taper volume, R8's deload volume, R12's ramp."""
    rules, calendar = problem.scenario.rules, problem.calendar
    caps = []
    if reference := calendar.ramp_reference_weeks(week):
        mean = sum(minutes[ref] for ref in reference) / len(reference)
        cap = max(rules.ramp * mean + rules.ramp_extra_minutes, mean + rules.full_session_minutes)
        caps.append((R12.id, cap))
    this = problem.weeks[week - 1]
    if this.phase == "taper" and (taper := calendar.taper_reference_weeks(week)):
        mean = sum(minutes[ref.index] for ref in taper) / len(taper)
        caps.append((R6.id, rules.taper_volume * mean))
    loading = [w for w in problem.weeks[: week - 1] if w.loading]
    if this.deload and loading:
        caps.append((R8.id, rules.deload_volume * minutes[loading[-1].index]))
    return caps


def group_warnings(warnings: list[Warning_]) -> list[Warning_]:
    """One warning for a finding that repeats week after week: the same rule, message and
    suggestion; its `weeks` lists them all ("weeks 1-3, 5")."""
    grouped: dict[tuple[str, str, str], Warning_] = {}
    result: list[Warning_] = []
    for warning in warnings:
        key = (warning.rule, warning.message, warning.suggestion)
        if warning.week is None:
            result.append(warning)
        elif key in grouped:
            first = grouped[key]
            first.weeks = [*(first.weeks or [first.week]), warning.week]  # type: ignore[list-item]
        else:
            grouped[key] = warning
            result.append(warning)
    return result


def weeks_and_days(
    calendar_weeks: Sequence[Week],
    sessions: dict[dt.date, Session],
    mesocycles: dict[int, int] | None = None,
) -> tuple[list[WeekPlan], list[DayPlan]]:
    """The plan's week summaries and days for sessions placed on dates of the calendar."""
    weeks, days = [], []
    for week in calendar_weeks:
        week_sessions = [sessions[d.date] for d in week.days if d.date in sessions]
        weeks.append(
            WeekPlan(
                index=week.index,
                start=week.start,
                phase=week.phase,
                deload=week.deload,
                minutes=sum(s.minutes for s in week_sessions),
                sessions=len(week_sessions),
                hard_sessions=sum(s.hard for s in week_sessions),
                run_distance=week.run_distance,
                mesocycle=(mesocycles or {}).get(week.index),
                cutback=week.cutback,
            )
        )
        for day in week.days:
            days.append(
                DayPlan(
                    date=day.date,
                    week=day.week,
                    phase=day.phase,
                    available_minutes=day.available_minutes,
                    run=Run(kind=day.run.kind, distance=day.run.distance, minutes=day.run.minutes),
                    session=sessions.get(day.date),
                )
            )
    return weeks, days


def build_plan(
    problem: Problem,
    solution: Solution,
    settings: dict[str, object] | None = None,
    restrictions: Restrictions | None = None,
    base: Plan | None = None,
) -> Plan:
    """The plan of a solution. A re-solve's given days (`restrictions`) hold their sessions
    as given; a day whose new session holds the base plan's items, paired alike, for the
    same minutes keeps the base plan's session as written (its load guidance too), and weeks
    whose days are all given keep the base plan's mesocycle and warnings. With given days
    the figures are the whole block's, and the bound is `whole_block_bound`'s."""
    restrictions = restrictions if restrictions is not None else Restrictions()
    scenario = problem.scenario
    by_week = problem.group_of_week()
    sessions = {date: s for date, s in restrictions.sessions().items() if s is not None}
    before = {day.date: day.session for day in base.days} if base is not None else {}
    for (week_index, slot), date in sorted(solution.placements.items()):
        group = by_week[week_index]
        day = next(d for d in problem.weeks[week_index - 1].days if d.date == date)
        if solution.contents[group.index][slot]:
            session = _session(solution, group, slot, day)
            kept = before.get(date)
            sessions[date] = kept if kept is not None and _same(kept, session) else session

    mesocycles = {w.index: w.mesocycle for w in base.weeks if w.mesocycle} if base else {}
    mesocycles |= {week: group.mesocycle for week, group in by_week.items()}
    weeks, days = weeks_and_days(problem.weeks, sessions, mesocycles)
    for day_plan in days:
        if day_plan.date in restrictions.missed and day_plan.session is None:
            day_plan.missed = True  # type: ignore[attr-defined]
    warnings = (
        [w for w in base.warnings if w.week is not None and w.week not in by_week]
        if (base and restrictions)
        else []
    )
    minutes_by_week = {week.index: week.minutes for week in weeks}
    for week in problem.weeks:
        if week.index not in by_week:
            continue
        of_week = by_week[week.index]
        missing = solution.shortfall.get(of_week.index, 0)
        if missing:
            warnings.append(_shortfall_warning(problem, week, of_week, missing))
        limit = ramp_limit(problem, week.index, minutes_by_week)
        for (part, g, in_week, detail), short in sorted(solution.dose_shortfall.items()):
            if g == of_week.index and in_week in (0, week.index):
                warnings.append(_dose_warning(problem, week, part, detail, short, limit))
    warnings += [w for w in variety_warnings(problem, sessions) if w.week in by_week]
    warnings += [w for w in history_link_warnings(problem, minutes_by_week) if w not in warnings]
    planned_units, planned_minutes = evaluate(problem, solution.contents)
    planned_benefit = problem.benefit_points(planned_units)
    if restrictions:
        benefit, minutes = block_figures(days, problem.weeks, scenario, problem.benefit)
        given = (benefit - planned_benefit, minutes - planned_minutes)
        bound = whole_block_bound(problem, *given, solution)
    else:
        benefit, minutes = planned_benefit, planned_minutes
        bound = solution.ratio_bound
    ratio = benefit / minutes if minutes else 0.0
    # The proven best ratio; with R18's preferences the plan may stand below it, within the
    # coach's tolerance.
    if bound is None and solution.status == SolveStatus.OPTIMAL:
        bound = ratio
    rules = scenario.rules.model_dump()
    rules["objective"] = scenario.objective
    extra: dict[str, object] = {"planner_version": __version__, "athlete": scenario.athlete.name}
    if settings:
        extra["solver"] = settings
    if solution.benefit_bound is not None:
        extra["benefit_bound"] = round(solution.benefit_bound, 4)
    return Plan(
        scenario=scenario.name,
        status=str(solution.status),
        objective=Objective(
            benefit=round(benefit, 4),
            minutes=minutes,
            benefit_per_minute=round(ratio, 6),
            benefit_per_minute_bound=None if bound is None else round(max(bound, ratio), 6),
        ),
        rules=rules,
        warnings=warnings,
        weeks=weeks,
        days=days,
        **extra,
    )


def _same(kept: Session, session: Session) -> bool:
    """Does the base plan's session hold what the solution placed there: the same items in
    the same order, paired alike (R17), for the same minutes? Then it stays as written."""

    def content(s: Session) -> list[tuple[str, int, str | None]]:
        return [(item.exercise, item.sets, item.pair) for item in s.items]

    return kept.minutes == session.minutes and content(kept) == content(session)


def block_figures(
    days: Sequence[DayPlan], weeks: Sequence[Week], scenario: Scenario, model: BenefitModel
) -> tuple[float, int]:
    """The whole block's benefit and minutes, from the sessions' doses (as the checker
    recomputes them): a re-solve's given days count with the planned ones."""
    phase = {week.index: week.phase for week in weeks}
    dose: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    minutes = 0
    for day in days:
        if day.session is None:
            continue
        minutes += day.session.minutes
        for item in day.session.items:
            for target, amount in item.targets.items():
                dose[day.week][target] += amount
    benefit = sum(
        model.target_week_benefit(t, amount, phase[w], scenario.athlete.focus_weight(t))
        for w, targets in dose.items()
        for t, amount in targets.items()
    )
    return benefit, minutes


def whole_block_bound(
    problem: Problem, given_benefit: float, given_minutes: int, solution: Solution
) -> float | None:
    """A bound on the whole block's benefit per minute of any re-solve, from what the given
    days hold and the proven bound r* on the planned days' ratio. The planned days add at
    most r* per minute, so the block's ratio (given + planned) / (given + planned minutes)
    grows with the planned minutes when r* beats the given days' own ratio: it is at most
    its value at the most minutes the planned days can hold (their days' time within each
    weekly cap), or at the most benefit they can hold when that is proven."""
    bound = solution.ratio_bound
    if bound is None:
        return None
    own = given_benefit / given_minutes if given_minutes else 0.0
    if bound <= own:
        return own
    most = planned_minutes_bound(problem)
    if solution.benefit_bound is not None:
        most = min(most, max(solution.benefit_bound, 0.0) / bound)
    if given_minutes + most <= 0:
        return bound
    return max(own, (given_benefit + bound * most) / (given_minutes + most))


def planned_minutes_bound(problem: Problem) -> float:
    """The most gym minutes the planned days of a re-solve can hold: each planned week's
    session days' time, within the weekly cap less what its given days hold."""
    cap = problem.scenario.availability.max_per_week
    total = 0
    for week in problem.scope_weeks():
        offered = sum(day.available_minutes for day in problem.session_days(week))
        if cap is not None:
            offered = min(offered, max(0, cap - problem.fixed_week(week.index).minutes))
        total += offered
    return total


def history_link_warnings(problem: Problem, minutes: dict[int, int]) -> list[Warning_]:
    """Where a replan's history already stands over a weekly link (R6, R8, R12), the link
    gave way to it (the week holds what was done and nothing more): say so."""
    warnings = []
    for week in problem.scope_weeks() + problem.history_weeks():
        done = problem.facts_week(week.index).minutes
        if not done:
            continue
        for rule, cap in weekly_caps(problem, week.index, minutes):
            if done > cap:
                warnings.append(
                    Warning_(
                        rule=rule,
                        week=week.index,
                        message=f"the {done} min done in week {week.index} already stand over "
                        f"{rule}'s {cap:.0f} min; the replan takes them as they were and adds "
                        "nothing to the week",
                        suggestion="nothing to do: the history is a fact; the following weeks "
                        "ramp from it",
                    )
                )
    return sorted(warnings, key=lambda w: w.week or 0)


# The pieces a replan builds its plan from (pipeline/replan.py).
session_of = _session
shortfall_warning = _shortfall_warning
dose_warning = _dose_warning
