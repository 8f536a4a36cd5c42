"""The studio's steps around the solves (`planner.batch.studio` runs them): each member's
membership as a limit on the model, the seats their plan asks for and what each is worth,
the seats a re-solve may use, the bookings a finished plan makes, the one model of the
whole studio (`one_model`), a re-plan from a date (`Earlier`), and the studio's data
(`StudioPlan`, `AthletePlan`) and objective.

A member is solved against `studio_scenario` (their scenario under the studio's situation);
these helpers add what a scenario cannot say: at most `classes_per_week` classes a week, and,
after the seat assignment, only the class dates granted.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace

from planner.domain.calendar import build_calendar
from planner.domain.plan import Plan, Session, class_of, set_class
from planner.domain.scenario import Scenario
from planner.domain.studio import ClassDate, Member, Studio
from planner.io.digest import scenario_sha256
from planner.pipeline.solve import Churn, plan_of
from planner.rules import R13
from planner.solver.problem import DayLimit, Restrictions, build_problem
from planner.solver.replan import items_of
from planner.solver.seats import HARD_WEIGHT as HARD_WEIGHT  # for batch and report
from planner.solver.seats import Alternative as Alternative  # for batch
from planner.solver.seats import Assignment, Wish, assign_seats, worst_share
from planner.solver.seats import uncovered as uncovered  # for batch and report
from planner.solver.studio_model import Entrant, StudioSolution, solve_studio
from planner.solver.studio_model import Seat as Seat_

Seat = tuple[dt.date, str]  # a class date: (date, class id)

HARD_SEAT_BONUS = 1000  # a seat that holds a hard session (R13's floor) comes first
OFFER_VALUE = 1  # an offered seat is worth less than any asked-for one
KEEP_SEAT_BONUS = 500  # a re-plan keeps the seats booked before it, before new requests
BOOKING_WEIGHT = 3  # a re-plan's moved class seat costs this much more than a changed day
# How seats are given (`planner.batch.studio`): the assignment, or first come in the studio
# file's order (standing bookings), or first come in an order of each week (weekly booking).
FAIR, FIRST_COME, FIRST_COME_WEEKLY = "fair", "first come", "first come, weekly"


def week_of(scenario: Scenario, date: dt.date) -> int:
    """The scenario's block week of `date`, 1 for the first."""
    return (date - scenario.block.start).days // 7 + 1


@dataclass(frozen=True)
class Earlier:
    """The studio as planned before, for a re-plan from `since` (`--since`): the members'
    plans by id, and the seats booked from `since` on (athlete name, date, class)."""

    since: dt.date
    plans: dict[str, Plan]
    bookings: frozenset[tuple[str, dt.date, str]]

    def history(self, member: Member, restrictions: Restrictions) -> Restrictions:
        """`restrictions` with the member's days before `since` kept as they were planned
        (a member new to the studio had nothing then)."""
        plan = self.plans.get(member.id)
        if plan is None:
            days = build_calendar(member.scenario).days
            given: dict[dt.date, Session | None] = {
                d.date: None for d in days if d.date < self.since
            }
        else:
            given = {day.date: day.session for day in plan.days if day.date < self.since}
        return replace(restrictions, history=given, since=self.since)

    def seats_before(self, member: Member) -> set[Seat]:
        """The classes the member's earlier plan holds before `since` (kept as planned)."""
        plan = self.plans.get(member.id)
        if plan is None:
            return set()
        return {
            (day.date, marked["id"])
            for day, session in plan.sessions()
            if day.date < self.since and (marked := class_of(session))
        }

    def churn(self, member: Member) -> Churn | None:
        """Change the member's earlier plan as little as possible from `since`: a changed day
        costs 1, a class seat moved BOOKING_WEIGHT more."""
        plan = self.plans.get(member.id)
        if plan is None:
            return None
        days = [day for day in plan.days if day.date >= self.since]
        booked = {day.date: BOOKING_WEIGHT for day in days
                  if day.session is not None and class_of(day.session)}  # fmt: skip
        return Churn({day.date: 1 for day in days}, booked=booked)


def booking_changes(result: StudioPlan, earlier: Earlier) -> list[tuple[str, dt.date, str, str]]:
    """The seats booked or given up from `since` against the earlier plan: (athlete name,
    date, class, "added" | "removed"), in date order."""
    now = {
        (athlete.member.name, held.date, held.class_id)
        for athlete in result.athletes
        for held in athlete.bookings
        if held.date >= earlier.since
    }
    changes = [(*seat, "added") for seat in now - earlier.bookings]
    changes += [(*seat, "removed") for seat in earlier.bookings - now]
    return sorted(changes, key=lambda change: (change[1], change[2], change[0]))


def membership(
    studio: Studio, member: Member, open_dates: set[dt.date] | None = None
) -> Restrictions:
    """At most the member's classes a week over their class dates (of `open_dates`, or
    all)."""
    by_week: dict[int, set[dt.date]] = defaultdict(set)
    for held in studio.class_dates_for(member):
        if open_dates is None or held.date in open_dates:
            by_week[week_of(member.scenario, held.date)].add(held.date)
    limits = tuple(
        DayLimit(tuple(sorted(dates)), None, (), sessions=member.athlete.classes_per_week)
        for _, dates in sorted(by_week.items())
        if len(dates) > member.athlete.classes_per_week
    )
    return Restrictions(limits=limits)


def session_value(plan: Plan, session: Session) -> float:
    """What a session brings its athlete, in benefit points: the plan's benefit in the
    session's share of the plan's dose."""

    def dose(of: Session) -> float:
        return sum(sum(item.targets.values()) for item in of.items)

    total = sum(dose(held) for _, held in plan.sessions())
    return plan.objective.benefit * dose(session) / total if total else 0.0


def seat_value(plan: Plan, session: Session) -> int:
    """A class seat's worth to the athlete, as the seat assignment weighs it: its session's
    benefit points (in tenths, at least 2), and a hard session first (R13's floor)."""
    points = session_value(plan, session)
    return max(2, round(10 * points)) + (HARD_SEAT_BONUS if session.hard else 0)


def class_on(
    studio: Studio,
    member: Member,
    date: dt.date,
    minutes: int,
    granted: set[Seat] | None = None,
) -> ClassDate | None:
    """The class the member attends on `date` for a session of `minutes`: the first of their
    class dates that day long enough (of the `granted` seats, when given), else None."""
    for held in studio.class_dates_for(member):
        allowed = granted is None or (held.date, held.class_id) in granted
        if held.date == date and held.slot.minutes >= minutes and allowed:
            return held
    return None


def wishes(studio: Studio, athlete: AthletePlan, earlier: Earlier | None = None) -> list[Wish]:
    """The seats the athlete's plan alone asks for, each worth its session (a hard session
    first, a seat they hold in the `earlier` plan before that), and an offer of every other
    class date of each week they ask for seats in (one where a hard session may fall can
    stand in for a hard session). With `earlier`, only from its date."""
    member, plan = athlete.member, athlete.solo
    if plan is None:
        return []
    since = earlier.since if earlier else None
    holds = earlier.bookings if earlier else frozenset()
    asked: list[Wish] = []
    for day, session in plan.sessions():
        held = class_on(studio, member, day.date, session.minutes)
        if held is None or (since is not None and day.date < since):
            continue
        points = session_value(plan, session)
        value = seat_value(plan, session)
        if (member.name, held.date, held.class_id) in holds:
            value += KEEP_SEAT_BONUS
        asked.append(Wish(member.id, held.date, held.class_id, day.week, value, True, points,
                          session.hard))  # fmt: skip
    asked_days = {wish.date for wish in asked}
    asked_weeks = {wish.week for wish in asked}
    hard_days = {day.date for day in build_calendar(athlete.scenario).days if day.hard_allowed}
    offers = [
        Wish(member.id, held.date, held.class_id, week_of(member.scenario, held.date),
             OFFER_VALUE, wanted=False, hard=held.date in hard_days)
        for held in studio.class_dates_for(member)
        if held.date not in asked_days and week_of(member.scenario, held.date) in asked_weeks
        and (since is None or held.date >= since)
    ]  # fmt: skip
    return asked + offers


def seat_values(wishes_of: list[Wish]) -> dict[tuple[str, dt.date, str], float]:
    """Each asked-for seat's worth in benefit points, by (athlete, date, class)."""
    return {(w.athlete, w.date, w.class_id): w.points for w in wishes_of if w.wanted}


def assign(
    studio: Studio, all_wishes: list[Wish], alternatives: list[Alternative] | None = None
) -> Assignment:
    """The seats granted (`assign_seats`); `alternatives`: plans without the contested
    seats."""
    capacity = {(held.date, held.class_id): held.slot.capacity for held in studio.class_dates()}
    return assign_seats(all_wishes, capacity, alternatives or ())


def contested(studio: Studio, all_wishes: list[Wish]) -> set[Seat]:
    """The class dates the plans alone ask for beyond their capacity."""
    asked: dict[Seat, int] = defaultdict(int)
    for wish in all_wishes:
        asked[wish.seat] += wish.wanted
    places = {(held.date, held.class_id): held.slot.capacity for held in studio.class_dates()}
    return {seat for seat, count in asked.items() if count > places[seat]}


def alternative(
    studio: Studio,
    athlete: AthletePlan,
    plan: Plan,
    granted: set[Seat],
    earlier: Earlier | None = None,
) -> Alternative:
    """The athlete's `plan` on the `granted` seats (their plan without the contested ones)
    as an alternative to their best plan: the seats it books (from the `earlier` plan's
    date, when given), its missed-floor findings beyond their best plan's, its seats' worth,
    and its benefit per minute below their best plan's."""
    assert athlete.solo is not None
    since = earlier.since if earlier else None
    seats, value = set(), 0
    for day, session in plan.sessions():
        held = class_on(studio, athlete.member, day.date, session.minutes, granted)
        if held is not None and (since is None or held.date >= since):
            seats.add((held.date, held.class_id))
            value += seat_value(plan, session)
    floor = max(0, floor_warnings(plan) - floor_warnings(athlete.solo))
    per_minute = athlete.solo.objective.benefit_per_minute - plan.objective.benefit_per_minute
    ratio_loss = max(0, round(1000 * per_minute))
    return Alternative(athlete.member.id, frozenset(seats), floor, value, ratio_loss)


def seat_limits(
    studio: Studio, member: Member, granted: set[Seat], earlier: Earlier | None = None
) -> Restrictions:
    """The membership, no session on a class date the member was not granted (from the
    `earlier` plan's date, when given), and on a granted date with a longer class too, at
    most the granted class's minutes (their scenario stays the studio's, so that the plan is
    checked against it)."""
    held = studio.class_dates_for(member)
    since = earlier.since if earlier else None
    before = {h.date for h in held if since is not None and h.date < since}  # kept as planned
    open_dates = {date for date, _ in granted} | before
    closed = tuple(sorted({h.date for h in held} - open_dates))
    limits = membership(studio, member, open_dates).limits
    if closed:
        limits += (DayLimit(closed, None, (), sessions=0),)
    for h in held:
        longest = max(other.slot.minutes for other in held if other.date == h.date)
        if (h.date, h.class_id) in granted and h.slot.minutes < longest:
            limits += (DayLimit((h.date,), h.slot.minutes, ()),)
    return Restrictions(limits=limits)


def first_come(
    studio: Studio, asked: list[Wish], order: list[str], weekly_seed: int | None = None
) -> Assignment:
    """The baseline a studio uses today: athletes book in `order`, each every seat their
    plan asks for while the class has room; no offers of other dates. With `weekly_seed`,
    the booking opens week by week (as most booking pages do) and each week the athletes
    book in an order of that week, `order` shuffled with the seed: who comes first varies
    from week to week, as it does on a real booking page."""
    room = {(held.date, held.class_id): held.slot.capacity for held in studio.class_dates()}
    rank: dict[tuple[int, str], int] = {}
    for week in range(studio.block.weeks):
        booking = list(order)
        if weekly_seed is not None:
            random.Random(f"{weekly_seed}:{week}").shuffle(booking)
        rank |= {(week, athlete): index for index, athlete in enumerate(booking)}

    def turn(wish: Wish) -> tuple[int, int, dt.date]:
        week = studio.block.week_of(wish.date) if weekly_seed is not None else 0
        return week, rank[week, wish.athlete], wish.date

    granted = set()
    for wish in sorted(asked, key=turn):
        if wish.wanted and room[wish.seat] > 0:
            room[wish.seat] -= 1
            granted.add(wish)
    return Assignment(frozenset(granted), worst_share(asked, granted), optimal=False)


def book(
    studio: Studio, member: Member, plan: Plan, granted: set[Seat] | None = None
) -> list[ClassDate]:
    """Mark each of the plan's sessions on a class date with its class (of the `granted`
    seats, when given; FORMATS.md `class`); the bookings, in date order."""
    booked = []
    for day, session in plan.sessions():
        held = class_on(studio, member, day.date, session.minutes, granted)
        if held is not None:
            set_class(session, held.class_id, held.slot.start.strftime("%H:%M"))
            booked.append(held)
    return booked


def record_scenario(plan: Plan, scenario: Scenario) -> None:
    """Record the studio scenario the plan was made for (`solver.scenario_sha256`): its
    membership and seats are limits beside it, which a solve does not record."""
    extra = plan.model_extra
    assert extra is not None  # extra="allow"
    extra.setdefault("solver", {})["scenario_sha256"] = scenario_sha256(scenario)


def one_model(result: StudioPlan, time_limit: float, workers: int = 2, seed: int = 0) -> bool:
    """Improve the decomposed studio plan in one CP-SAT model of every athlete with a plan
    (`planner.solver.studio_model`), started from it; each athlete's plan and bookings are
    replaced by the one model's. Returns whether it ran (found a plan)."""
    studio = result.studio
    placed = [a for a in result.athletes if a.plan is not None and a.solo is not None]
    entrants, restrictions = [], {}
    for athlete in placed:
        assert athlete.plan is not None and athlete.solo is not None
        member = athlete.member
        restrictions[member.id] = membership(studio, member)
        if athlete.granted is not None:  # solved again on the seats granted: its weeks
            closed = seat_limits(studio, member, athlete.granted).closed()
            restrictions[member.id] = replace(restrictions[member.id], split_at=closed)
        problem = build_problem(athlete.scenario, restrictions=restrictions[member.id])
        units_per_point = 1 / problem.benefit_points(1)
        solo = athlete.solo.objective
        seats = [Seat_(held.date, held.class_id, held.slot.minutes, held.slot.capacity)
                 for held in studio.class_dates_for(member)]  # fmt: skip
        start = {day.date: items_of(day.session) for day in athlete.plan.days}
        entrants.append(Entrant(
            member.id, problem, seats, round(solo.benefit * units_per_point), solo.minutes,
            start, frozenset((held.date, held.class_id) for held in athlete.bookings),
            solo.benefit_per_minute_bound,
        ))  # fmt: skip
    solved = solve_studio(entrants, time_limit, workers, seed)
    result.one_model = solved
    if not solved.solutions:
        return False
    settings: dict[str, object] = {"seed": seed, "workers": workers, "time_limit_s": time_limit,
                                   "deterministic": False}  # fmt: skip
    started = {a.member.id: (a.plan, a.granted, a.bookings) for a in placed}
    for athlete, entrant in zip(placed, entrants, strict=True):
        if entrant.key in solved.outside:  # their plan, which the one model could not hold
            continue
        solution = solved.solutions[entrant.key]
        plan = plan_of(entrant.problem, solution, settings, restrictions[entrant.key])
        athlete.plan = plan
        athlete.granted = solved.classes[entrant.key]
    settle(result)
    solved.kept_start = keep_the_start(result, started)
    return True


Start = tuple[Plan | None, set[Seat] | None, list[ClassDate]]


def keep_the_start(result: StudioPlan, started: dict[str, Start]) -> int:
    """Each athlete whose plan the one model made no better than their plan before it (its
    floor, then its benefit per minute) goes back to that plan, where its classes still have
    room: a one model stopped by its time limit may have lowered an athlete's plan without
    serving anyone. The largest gain in benefit per minute goes back first; returns how many
    went back."""
    taken = {seat: len(roster) for seat, roster in result.rosters.items()}
    capacity = {(held.date, held.class_id): held.slot.capacity for held in result.class_dates()}
    athletes = result.by_id()
    back = []
    for athlete_id, (old, _, _) in started.items():
        athlete = athletes[athlete_id]
        if old is not None and athlete.plan is not None and standing(old) < standing(athlete.plan):
            back.append((athlete.ratio - old.objective.benefit_per_minute, athlete))
    went = 0
    for _, athlete in sorted(back, key=lambda entry: entry[0]):
        old, granted, bookings = started[athlete.member.id]
        now = {(held.date, held.class_id) for held in athlete.bookings}
        then = {(held.date, held.class_id) for held in bookings}
        if all(taken[seat] < capacity[seat] for seat in then - now):
            for seat in now - then:
                taken[seat] -= 1
            for seat in then - now:
                taken[seat] += 1
            athlete.plan, athlete.granted = old, granted
            went += 1
    settle(result)
    return went


def settle(result: StudioPlan) -> None:
    """Each plan's class sessions marked and its scenario recorded; the bookings and the
    rosters from the plans, and the waitlists without those who now hold their seat."""
    result.rosters = {(held.date, held.class_id): [] for held in result.class_dates()}
    for athlete in result.athletes:
        if athlete.plan is None:
            continue
        record_scenario(athlete.plan, athlete.scenario)
        athlete.status = athlete.plan.status
        athlete.bookings = book(result.studio, athlete.member, athlete.plan, athlete.granted)
        for held in athlete.bookings:
            result.rosters[held.date, held.class_id].append(athlete.member.id)
    for seat, queue in list(result.waitlist.items()):  # a seat found later is no longer waited
        result.waitlist[seat] = [entry for entry in queue if entry[0] not in result.rosters[seat]]
        if not result.waitlist[seat]:
            del result.waitlist[seat]


@dataclass(frozen=True)
class StudioObjective:
    """The studio's benefit-per-minute objective in benefit points x minutes: the sum over
    the athletes with a plan of Mₐ*·Bₐ − Bₐ*·Mₐ against their best plan alone (0 where
    each keeps their best ratio), its proven upper bound, and the squad's Σ Mₐ*·Bₐ* that
    scales the gap."""

    found: float
    bound: float | None
    scale: float

    @property
    def gap(self) -> float | None:
        """How far the bound stands above what was found, as a share of the squad's best."""
        if self.bound is None or not self.scale:
            return None
        return max(0.0, self.bound - self.found) / self.scale


def studio_objective(result: StudioPlan) -> StudioObjective:
    """The objective of the plans as they stand, with the one model's proven bound when it
    ran (a bound given the floor stages before it, as lexicographic objectives are
    bounded). The decomposition proves no bound on the whole: each athlete's solve proves
    its own."""
    found = scale = 0.0
    for athlete in result.athletes:
        if athlete.plan is None or athlete.solo is None:
            continue
        best, now = athlete.solo.objective, athlete.plan.objective
        found += best.minutes * now.benefit - best.benefit * now.minutes
        scale += best.minutes * best.benefit
    solved = result.one_model
    bound = None
    if solved is not None and solved.bound is not None:
        bound = solved.bound * solved.points_per_unit
    return StudioObjective(found, bound, scale)


def standing(plan: Plan) -> tuple[int, float]:
    """How a plan ranks against another of the same athlete, lower first: its missed-floor
    findings, then its benefit per minute (the studio objective's order, for one athlete)."""
    return floor_warnings(plan), -plan.objective.benefit_per_minute


def floor_warnings(plan: Plan) -> int:
    """The plan's missed-floor findings (R13, R16, R19), each week counted."""
    floor = {R13.id, "R16", "R19"}
    return sum(len(w.weeks or [w.week]) for w in plan.warnings if w.rule in floor)


@dataclass
class AthletePlan:
    """One member's outcome: their plan in the studio, or why there is none."""

    member: Member
    scenario: Scenario  # their scenario under the studio's situation: the plan's scenario
    plan: Plan | None = None
    solo: Plan | None = None  # their best plan with every class open (step 1)
    status: str = ""
    message: str = ""  # why there is no plan
    resolved: bool = False  # solved again with the seats granted (step 3)
    granted: set[Seat] | None = None  # the seats it may book (None: any of its classes)
    bookings: list[ClassDate] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.plan.objective.benefit_per_minute if self.plan else 0.0

    @property
    def solo_ratio(self) -> float:
        return self.solo.objective.benefit_per_minute if self.solo else 0.0

    @property
    def loss(self) -> float:
        """Benefit per minute lost against the athlete's best plan alone."""
        return max(0.0, self.solo_ratio - self.ratio) if self.plan else self.solo_ratio

    @property
    def missed(self) -> int:
        """The plan's missed-floor findings (R13, R16, R19 week by week)."""
        return floor_warnings(self.plan) if self.plan else 0

    def per_week(self) -> dict[int, int]:
        """Classes booked in each week of the athlete's block."""
        weeks: dict[int, int] = {}
        for held in self.bookings:
            week = week_of(self.scenario, held.date)
            weeks[week] = weeks.get(week, 0) + 1
        return weeks

    def weekly_classes(self) -> str:
        """`2 2 1 ...`: the classes booked in each week of the athlete's block."""
        weeks = self.per_week()
        return " ".join(str(weeks.get(w, 0)) for w in range(1, self.scenario.block.n_weeks + 1))


@dataclass
class StudioPlan:
    studio: Studio
    athletes: list[AthletePlan]
    rosters: dict[Seat, list[str]]  # athlete ids, in the studio file's order
    waitlist: dict[Seat, list[tuple[str, float]]]  # (athlete id, the seat's worth), best first
    mode: str
    engine: str = ""
    worst_share: float = 1.0  # the seat assignment's worst-off share of seats asked for
    # The seat assignment's uncovered sessions (`planner.solver.seats.uncovered`) by athlete.
    uncovered: dict[str, int] = field(default_factory=dict)
    seats_optimal: bool = True
    seconds: dict[str, float] = field(default_factory=dict)
    one_model: StudioSolution | None = None  # the one model's stages, objective and bound
    since: dt.date | None = None  # a re-plan from this date (`--since`)
    # The share of attendee-items doing the room's exercise, per block: (room, all), before
    # and after the room was shared (`planner.batch.studio.share_the_room`).
    room_before: dict[str, tuple[int, int]] = field(default_factory=dict)
    room_after: dict[str, tuple[int, int]] = field(default_factory=dict)
    changes: list[tuple[str, dt.date, str, str]] = field(default_factory=list)  # its bookings

    def class_dates(self) -> list[ClassDate]:
        return self.studio.class_dates()

    def by_id(self) -> dict[str, AthletePlan]:
        return {athlete.member.id: athlete for athlete in self.athletes}
