"""Planning a studio (`planner studio`): every member's plan, with no class over capacity.

The studio is decomposed, so that it scales to hundreds of athletes on the batch engine:

1. **Alone.** Each member is solved against their scenario under the studio's situation
   (`studio_scenario`: class days with the class's minutes and the room's kit, home days
   with their own), with every class they may attend open and at most their membership a
   week. This is their best plan in the studio (Bₐ*, Mₐ*), solved in parallel.
2. **Seats.** Where the plans ask for more seats than a class date holds (a contested
   seat), each athlete who asks for one is solved again without the contested class dates
   (half the time limit, in parallel): their real alternative and the floor it keeps. A
   central assignment (`planner.solver.seats`) then grants seats: nobody beyond their share
   of the losses (a hard session a mesocycle), then the fewest athletes short of their
   floor, then the fewest seats uncovered; an athlete may be granted their alternative
   whole, and one who loses a seat is offered the spare seats of the same week.
3. **Again.** Each athlete who lost a seat (and was not granted their alternative) is solved
   again, from their first plan, with only the class dates granted open (the whole time
   limit), in parallel; an athlete granted their alternative is solved on from it (the
   other half), kept where better. Everyone else keeps their first plan, which is the best
   they can have. A place these plans leave free goes to its waitlist, best first (one
   more re-solve each, kept when the floor is no worse).
4. **One model** (a small studio): the plan of steps 1-3 starts one CP-SAT model of every
   athlete (`planner.solver.studio_model`), which may move anyone's classes, and proves a
   bound on the studio's objective. An athlete it makes no better (floor, then benefit per
   minute) goes back to their plan of step 3 where its classes have room (`keep_the_start`).
5. **The room.** Each athlete with classes is solved again on their bookings with the room's
   exercises of their classes preferred (R18's `prefer`, within the coach's tolerance), so
   that the room does one thing at a time where it can; kept only when the floor is no
   worse and the benefit per minute within that tolerance. A place steps 4 and 5 leave free
   goes to its waitlist as in 3.

A seat asked for and not granted is on that class date's waitlist, ranked by what it is
worth to each athlete (benefit points of the session it held). A re-plan from a date
(`Earlier`, `--since`) runs steps 1-3 from the plans before it.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from planner.batch.engines import default_jobs
from planner.batch.run import BatchOptions, solve_jobs
from planner.batch.worker import Job, Outcome
from planner.domain.plan import Plan
from planner.domain.studio import Studio, studio_scenario
from planner.errors import InputError
from planner.errors import Problem as InputProblem
from planner.io.catalog_file import default_catalog
from planner.io.studio_file import StudioFile
from planner.io.studio_folder import ROSTERS, load_plans, load_rosters
from planner.pipeline import Restrictions
from planner.pipeline.studio import (
    FAIR,
    FIRST_COME_WEEKLY,
    Alternative,
    AthletePlan,
    Earlier,
    Seat,
    StudioPlan,
    Wish,
    alternative,
    assign,
    booking_changes,
    contested,
    first_come,
    floor_warnings,
    membership,
    one_model,
    seat_limits,
    seat_values,
    settle,
    standing,
    uncovered,
    wishes,
)
from planner.pipeline.studio_room import preferring, room_menu, room_share


@dataclass
class Alone:
    """Step 1: each member's best plan in the studio, every class open."""

    athletes: dict[str, AthletePlan]
    engine: str
    seconds: float
    earlier: Earlier | None = None  # a re-plan from a date: the studio as planned before


# Of the time limit: a probe or a free place's re-solve, which starts from the plan alone
# and is kept only when it serves; the re-solve of an athlete who lost a seat is their plan,
# and gets it all (at half, those re-solves lost a tenth of their benefit per minute and
# more to the time limit alone).
PROBE_SHARE, AGAIN_SHARE = 0.5, 1.0
ONE_MODEL_ATHLETES = 40  # up to this many, `auto` improves the plan in one model
AUTO, ONE, DECOMPOSED = "auto", "one", "decomposed"
MODES = (AUTO, ONE, DECOMPOSED)


def plan_studio(
    read: StudioFile,
    options: BatchOptions,
    on_step: Callable[[str], None] | None = None,
    seats: str = FAIR,
    mode: str = AUTO,
    model_time: float = 120.0,
    earlier: Earlier | None = None,
) -> StudioPlan:
    """Plan every member of the studio (see the module's docstring); `seats` is how seats
    are given: FAIR (the assignment) or a baseline a studio uses today (FIRST_COME in the
    studio file's order, FIRST_COME_WEEKLY in an order of each week's own). With
    `mode` ONE (or AUTO up to ONE_MODEL_ATHLETES athletes), the decomposed plan is the start
    of one model of the whole studio, solved for `model_time` seconds.

    With `earlier`, a re-plan from its date: each member's days before it are kept as they
    were planned (nothing for a member new to the studio), their plan changes as little as
    possible (a moved class seat weighs more than a changed exercise), and the seats they
    held are kept before new requests. The one model does not run then."""
    alone = solve_alone(read, options, on_step, earlier)
    result = seat_studio(read, alone, options, on_step, seats)
    if earlier is None:
        improve_studio(result, options, on_step, mode, model_time)
    return result


def improve_studio(
    result: StudioPlan,
    options: BatchOptions,
    on_step: Callable[[str], None] | None = None,
    mode: str = AUTO,
    model_time: float = 120.0,
) -> None:
    """Steps 4 and 5 on the seated studio: the one model (with `mode` ONE, or AUTO up to
    ONE_MODEL_ATHLETES athletes), then the room, then the places they leave free."""
    athletes = len(result.athletes)
    if mode == ONE or (mode == AUTO and athletes <= ONE_MODEL_ATHLETES):
        if on_step:
            on_step(f"One model of the whole studio, from that plan: each athlete's plan "
                    f"completed into it, then {model_time:g} s of search ...")  # fmt: skip
        workers = options.jobs or default_jobs()
        if one_model(result, model_time, workers, options.seed):
            solved = result.one_model
            assert solved is not None
            stages = ", ".join(
                f"{name} {status.lower()}" for name, status in solved.statuses.items()
            )
            outside = (
                f"{len(solved.outside)} whose plan it cannot hold kept it; "
                if solved.outside
                else ""
            )
            result.mode += (f"; then one model of {athletes} athletes ({stages}; {outside}"
                            f"{solved.kept_start} it made no better kept their plan)")  # fmt: skip
        else:
            result.mode += (f"; the one model of {athletes} athletes found no whole plan in "
                            f"{model_time:g} s (the plan above kept)")  # fmt: skip
    share_the_room(result, options, on_step)
    fill_free_places(result, options, on_step)  # the one model or the room may free a place


def share_the_room(
    result: StudioPlan, options: BatchOptions, on_step: Callable[[str], None] | None = None
) -> None:
    """The room does one thing at a time: each athlete with classes is solved again on their
    bookings, from their plan, with the room's exercises of their classes preferred (R18's
    `prefer`, within the coach's tolerance of their best ratio), in parallel. A plan is kept
    only when its floor is no worse and its benefit per minute within that tolerance of the
    plan it replaces (`shares_well`)."""
    catalog = default_catalog()
    menu = room_menu(result, catalog)
    before = room_share(result, catalog)
    athletes = {a.member.id: a for a in result.athletes if a.plan is not None and a.bookings}
    if on_step:
        on_step(f"Sharing the room: {len(athletes)} athletes solved again on their bookings ...")
    jobs = []
    for athlete in athletes.values():
        booked = {(held.date, held.class_id) for held in athlete.bookings}
        job = _seated(result.studio, athlete, booked, options, None, athlete.plan)
        jobs.append(replace(job, scenario=preferring(athlete, menu, catalog)))
    kept = {athlete_id: (a.plan, a.resolved) for athlete_id, a in athletes.items()}
    _solve(jobs, options, athletes, solo=False)
    for athlete_id, athlete in athletes.items():
        old, athlete.resolved = kept[athlete_id]  # "solved again" is about a lost seat
        assert old is not None
        if not shares_well(athlete.plan, old, athlete.scenario.coach.tolerance):
            athlete.plan, athlete.status = old, old.status
    settle(result)
    result.room_before, result.room_after = before, room_share(result, catalog)
    result.mode += "; then the room shared"


def shares_well(plan: Plan | None, old: Plan, tolerance: float) -> bool:
    """Whether the plan on the room's exercises is kept over the `old` one: its floor no
    worse, and its benefit per minute within the coach's `tolerance` of the old (R18's
    `prefer`: what a preferred exercise may cost)."""
    if plan is None or floor_warnings(plan) > floor_warnings(old):
        return False
    ratio, was = plan.objective.benefit_per_minute, old.objective.benefit_per_minute
    return ratio >= (1 - tolerance) * was


def solve_alone(
    read: StudioFile,
    options: BatchOptions,
    on_step: Callable[[str], None] | None = None,
    earlier: Earlier | None = None,
) -> Alone:
    """Step 1: every member solved alone against their studio scenario, in parallel (from
    their `earlier` plan, when given)."""
    studio = read.studio
    started = time.monotonic()
    athletes = {m.id: AthletePlan(m, studio_scenario(studio, m)) for m in read.members}
    if on_step:
        on_step(f"Solving {len(athletes)} athletes alone, every class open ...")
    jobs = [
        _job(a, membership(studio, a.member), options, earlier, a.solo) for a in athletes.values()
    ]
    engine = _solve(jobs, options, athletes, solo=True)
    return Alone(athletes, engine, time.monotonic() - started, earlier)


def _seated(
    studio: Studio,
    athlete: AthletePlan,
    granted: set[Seat],
    options: BatchOptions,
    earlier: Earlier | None,
    base: Plan | None,
    share: float = PROBE_SHARE,
) -> Job:
    """The athlete's solve with only the `granted` class dates open (and, in a re-plan, those
    held before its date), from `base`, for `share` of the time limit; `athlete.granted` is
    set to those seats."""
    if earlier is not None:
        granted = granted | earlier.seats_before(athlete.member)
    athlete.granted = granted
    restrictions = seat_limits(studio, athlete.member, granted, earlier)
    return _job(athlete, restrictions, options, earlier, base, share)


def _job(
    athlete: AthletePlan,
    restrictions: Restrictions,
    options: BatchOptions,
    earlier: Earlier | None,
    base: Plan | None,
    share: float = 1.0,
) -> Job:
    """An athlete's solve, for `share` of the time limit: from `base`, or in a re-plan from
    their earlier plan, with their days before its date kept and as few changes as may be."""
    member = athlete.member
    churn = None
    if earlier is not None:
        restrictions = earlier.history(member, restrictions)
        churn = earlier.churn(member)
        base = earlier.plans.get(member.id, base)
    return Job(member.id, athlete.scenario, share * options.time_limit, options.seed, base=base,
               restrictions=restrictions, churn=churn)  # fmt: skip


def seat_studio(
    read: StudioFile,
    alone: Alone,
    options: BatchOptions,
    on_step: Callable[[str], None] | None = None,
    seats: str = FAIR,
) -> StudioPlan:
    """Steps 2 and 3: the seats, and the athletes who lost one solved again. `alone` is
    copied, so that one step 1 can be seated in several ways (a benchmark)."""
    studio = read.studio
    started = time.monotonic()
    athletes = copy.deepcopy(alone.athletes)
    earlier = alone.earlier
    asked = [wish for a in athletes.values() if a.solo for wish in wishes(studio, a, earlier)]
    probes: dict[str, AthletePlan] = {}
    alternatives: list[Alternative] = []
    if seats == FAIR:
        probes = without_contested(read, athletes, asked, options, on_step, earlier)
        alternatives = [
            alternative(studio, athletes[a], probe.plan, probe.granted or set(), earlier)
            for a, probe in probes.items() if probe.plan is not None
        ]  # fmt: skip
        assignment = assign(studio, asked, alternatives)
    else:
        weekly = options.seed if seats == FIRST_COME_WEEKLY else None
        assignment = first_come(studio, asked, list(athletes), weekly)
    granted: dict[str, set[Seat]] = {a: set() for a in athletes}
    for wish in assignment.granted:
        granted[wish.athlete].add(wish.seat)
    for athlete_id in assignment.switched:  # their plan without the contested seats
        athlete, probe = athletes[athlete_id], probes[athlete_id]
        athlete.plan, athlete.status, athlete.resolved = probe.plan, probe.status, True
        athlete.granted = probe.granted
    lost = {wish.athlete for wish in asked if wish.wanted and wish not in assignment.granted}
    lost -= assignment.switched

    again = [
        _seated(studio, athletes[a], granted[a], options, earlier, athletes[a].solo, AGAIN_SHARE)
        for a in sorted(lost)
    ]
    again += [  # their plan without the contested seats, solved on (it had half the time)
        _seated(studio, athletes[a], athletes[a].granted or set(), options, earlier,
                athletes[a].plan)
        for a in sorted(assignment.switched)
    ]  # fmt: skip
    if again:
        if on_step:
            on_step(f"{len(lost)} athletes lost a seat; solving them again with the seats "
                    f"granted (and {len(assignment.switched)} on without the contested "
                    "seats) ...")  # fmt: skip
        _solve(again, options, athletes, solo=False)
    for athlete_id in assignment.switched:  # the plan solved on, where it is better
        athlete, probe = athletes[athlete_id], probes[athlete_id]
        assert probe.plan is not None
        if athlete.plan is None or standing(probe.plan) < standing(athlete.plan):
            athlete.plan, athlete.status = probe.plan, probe.status
    waitlist: dict[Seat, list[tuple[str, float]]] = {}
    for (athlete_id, date, class_id), worth in seat_values(asked).items():
        if (date, class_id) not in granted[athlete_id]:
            waitlist.setdefault((date, class_id), []).append((athlete_id, worth))
    for queue in waitlist.values():
        queue.sort(key=lambda entry: (-entry[1], entry[0]))
    how = "seats first come, first served" + (
        ", week by week" if seats == FIRST_COME_WEEKLY else ""
    )
    if seats == FAIR:
        how = (f"{len(probes)} without the contested seats, one seat assignment "
               f"({len(assignment.switched)} took that plan)")  # fmt: skip
    mode = f"decomposed: {len(athletes)} athletes alone, {how}, {len(again)} solved again"
    result = StudioPlan(
        studio, list(athletes.values()), {}, waitlist, mode, alone.engine,
        worst_share=assignment.worst_share, seats_optimal=assignment.optimal,
    )  # fmt: skip
    switched = {a.athlete: a.floor for a in alternatives if a.athlete in assignment.switched}
    result.uncovered = uncovered(asked, assignment.granted, switched)
    settle(result)
    if seats == FAIR:
        fill_free_places(result, options, on_step, earlier)
    result.seconds = {"alone": alone.seconds, "seats": time.monotonic() - started}
    result.seconds["total"] = result.seconds["alone"] + result.seconds["seats"]
    if earlier is not None:
        result.since = earlier.since
        result.changes = booking_changes(result, earlier)
        result.mode += f", from {earlier.since}"
    return result


def fill_free_places(
    result: StudioPlan,
    options: BatchOptions,
    on_step: Callable[[str], None] | None = None,
    earlier: Earlier | None = None,
) -> None:
    """A place the re-solves left free goes to its waitlist, best first: each athlete offered
    one is solved again from their plan with it open besides their bookings (half the time
    limit, in parallel), and the new plan is kept when it misses the floor less, or as
    little with a benefit per minute as good; otherwise the athlete did not need the place
    and leaves that waitlist."""
    studio = result.studio
    room = {(h.date, h.class_id): h.slot.capacity - len(result.rosters[h.date, h.class_id])
            for h in result.class_dates()}  # fmt: skip
    athletes = result.by_id()
    offered: dict[str, set[Seat]] = {}
    for seat, queue in sorted(result.waitlist.items()):
        for athlete_id, _ in queue:
            athlete = athletes[athlete_id]
            booked_dates = {held.date for held in athlete.bookings}
            if room[seat] > 0 and athlete.plan is not None and seat[0] not in booked_dates:
                offered.setdefault(athlete_id, set()).add(seat)
                room[seat] -= 1
    if not offered:
        return
    if on_step:
        places = sum(len(seats) for seats in offered.values())
        on_step(f"{places} free places offered to {len(offered)} waitlisted athletes; solving "
                "them again ...")  # fmt: skip
    kept, jobs = {}, []
    for athlete_id, seats in offered.items():
        athlete = athletes[athlete_id]
        kept[athlete_id] = (athlete.plan, athlete.granted, athlete.resolved)
        booked = {(held.date, held.class_id) for held in athlete.bookings}
        jobs.append(_seated(studio, athlete, booked | seats, options, earlier, athlete.plan))
    _solve(jobs, options, {a: athletes[a] for a in offered}, solo=False)
    better = 0
    for athlete_id, (old, granted, resolved) in kept.items():
        athlete = athletes[athlete_id]
        assert old is not None
        if athlete.plan is None or standing(athlete.plan) > standing(old):
            athlete.plan, athlete.status = old, old.status
            athlete.granted, athlete.resolved = granted, resolved
            for seat in offered[athlete_id]:  # offered and not needed: no longer waiting
                result.waitlist[seat] = [e for e in result.waitlist[seat] if e[0] != athlete_id]
        else:
            better += 1
    settle(result)
    result.mode += f"; {better} of {len(offered)} waitlisted took a free place"


def without_contested(
    read: StudioFile,
    athletes: dict[str, AthletePlan],
    asked: list[Wish],
    options: BatchOptions,
    on_step: Callable[[str], None] | None = None,
    earlier: Earlier | None = None,
) -> dict[str, AthletePlan]:
    """Each athlete who asks for a contested seat (`contested`), solved again from their plan
    alone with no contested class date open (half the time limit), in parallel: their real
    alternative, which the seat assignment may grant whole. Copies: `athletes` is unchanged."""
    studio = read.studio
    full = contested(studio, asked)
    askers = sorted({wish.athlete for wish in asked if wish.wanted and wish.seat in full})
    probes = {athlete_id: copy.copy(athletes[athlete_id]) for athlete_id in askers}
    jobs = []
    for probe in probes.values():
        open_seats = {(held.date, held.class_id) for held in studio.class_dates_for(probe.member)
                      if (held.date, held.class_id) not in full}  # fmt: skip
        jobs.append(_seated(studio, probe, open_seats, options, earlier, probe.solo))
    if jobs:
        if on_step:
            on_step(f"{len(jobs)} athletes ask for a contested seat; solving each without the "
                    f"contested class dates ...")  # fmt: skip
        _solve(jobs, options, probes, solo=False)
    return probes


def read_earlier(folder: Path, read: StudioFile, since: dt.date) -> Earlier:
    """The studio as `planner studio` planned it into `folder`, for a re-plan from `since`:
    the members' plans and the seats booked from `since` (InputError, exit 3, when the
    folder holds no studio plan)."""
    if not (folder / ROSTERS).is_file():
        raise InputError([InputProblem(
            "--since", f"re-plans the studio planned in {folder}, which holds no {ROSTERS}; "
            "plan the studio into it first (without --since)",
        )])  # fmt: skip
    plans = load_plans(folder, [member.id for member in read.members])
    bookings = frozenset(
        (row.athlete, row.date, row.class_id) for row in load_rosters(folder) if row.date >= since
    )
    return Earlier(since, plans, bookings)


def _solve(
    jobs: list[Job], options: BatchOptions, athletes: dict[str, AthletePlan], solo: bool
) -> str:
    """Solve `jobs` on the engine; each athlete's plan (and, `solo`, their best plan)."""

    def finish(outcome: Outcome) -> None:
        athlete = athletes[outcome.id]
        athlete.status = outcome.status
        athlete.message = outcome.message
        plan = Plan.model_validate_json(outcome.plan_json) if outcome.plan_json else None
        athlete.plan = plan
        if solo:
            athlete.solo = plan
        else:
            athlete.resolved = True

    engine, _ = solve_jobs(jobs, options, finish)
    return engine
