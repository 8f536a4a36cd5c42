"""The rules of one session: the time budget (R1), the template (R2), complete hard sessions
(R15) and paired sets (R17, with the pairings and the naming of pairs the plan builder uses)."""

from __future__ import annotations

from typing import NamedTuple

from ortools.sat.python import cp_model

from planner.domain.pairs import Pairable, ordered, pair_kind, pair_minutes, region
from planner.rules import R1, R15
from planner.solver.model.variables import Pairing, PlanModel, _selects
from planner.solver.problem import Group, Pick
from planner.vocabulary import CATEGORIES, OPENER_TAGS

WARM_UP_MINUTES = 5  # R15's revision: a hard session's mobility block


def add_session_template(plan: PlanModel) -> None:
    """R2: a session opens with a hip or ankle mobility item, follows the template order
    (mobility, power, strength, accessory, core; the order is fixed when the plan is
    written), and holds each exercise at most once. Item counts per category follow
    `items_per_session` in the benefit model. Slots are ordered (active, hard first, longer
    first) to break symmetry."""
    model, problem = plan.model, plan.problem
    limits = problem.benefit.items_per_session
    for group in problem.groups:
        g = group.index
        for s in range(group.n_slots):
            active, hard = plan.active[g, s], plan.hard[g, s]
            for candidate in group.candidates:
                model.add(plan.pick(g, s, candidate.id) <= active)
            for category in CATEGORIES:
                chosen = sum(_selects(plan, g, s, lambda e, c=category: e.category == c))
                low, high = limits[category]
                model.add(chosen >= low * active)
                model.add(chosen <= high * active)
            openers = _selects(
                plan, g, s, lambda e: e.category == "mobility" and bool(e.tags & OPENER_TAGS)
            )
            model.add(sum(openers) >= active)
            hard_items = _selects(plan, g, s, lambda e: e.hard)
            for var in hard_items:
                model.add_implication(var, hard)
            model.add(sum(hard_items) >= hard)
            minimum = problem.scenario.rules.min_session_minutes
            model.add(plan.slot_minutes(g, s) >= minimum * active)
            if s > 0:
                previous = s - 1
                model.add(plan.active[g, previous] >= active)
                model.add(plan.hard[g, previous] >= hard)
                longer = plan.slot_minutes(g, previous) >= plan.slot_minutes(g, s)
                model.add(longer).only_enforce_if(hard)
                model.add(
                    plan.slot_minutes(g, previous) >= plan.slot_minutes(g, s)
                ).only_enforce_if(plan.hard[g, previous].Not())


def add_time_budget(plan: PlanModel) -> None:
    """R1: sessions only on days with at least `min_session_minutes`; a session fits its
    day's minutes; a week's gym minutes stay within `max_per_week`."""
    model, problem = plan.model, plan.problem
    cap = problem.scenario.availability.max_per_week
    for group in problem.groups:
        g = group.index
        for week in group.weeks:
            for day in problem.session_days(problem.weeks[week - 1]):
                for s in range(group.n_slots):
                    fits = model.add(plan.slot_minutes(g, s) <= day.available_minutes)
                    fits.only_enforce_if(plan.place[week, s, day.date])
                    plan.enforce(fits, R1, week)
            if cap is not None:
                room = max(0, cap - plan.fixed(g).minutes)
                plan.enforce(model.add(plan.week_minutes(g) <= room), R1, week)


def add_complete_sessions(plan: PlanModel) -> None:
    """R15: a hard session of a loading week holds all five blocks, its mobility a hip and
    an ankle item; power may be left out only when the athlete has no non-plyometric power
    exercise and R5's plyometric sessions of the week are spent (or there is no power item
    at all). Every hard session's mobility block, its warm-up, lasts `WARM_UP_MINUTES`. A
    deload hard session holds mobility, strength and core; a light session mobility and core
    (the template's minimum counts). Taper weeks hold light sessions."""
    model, problem = plan.model, plan.problem
    weekly = problem.scenario.rules.plyo_sessions_per_week[problem.scenario.athlete.level]
    for group in problem.groups:
        g = group.index
        # Advanced plyometrics cannot be placed before R9's basic weeks could have happened.
        gated = group.weeks[0] - 1 < problem.scenario.rules.progression_weeks
        power = [
            c.exercise
            for c in group.candidates
            if c.exercise.category == "power" and not (gated and "plyo_advanced" in c.exercise.tags)
        ]
        steady_power = any(not e.plyometric for e in power)
        for s in range(group.n_slots):
            hard = plan.hard[g, s]
            if group.kind == "taper":
                # The method's taper: the last heavy session is before it, then mobility,
                # light bodyweight work and core. Taper sessions are light ones.
                model.add(hard == 0)
                continue
            required = [lambda e: e.category == "strength"]
            if group.kind == "loading":
                required += [
                    lambda e: e.category == "mobility" and "hip" in e.tags,
                    lambda e: e.category == "mobility" and "ankle" in e.tags,
                    lambda e: e.category == "accessory",
                ]
            for test in required:
                plan.enforce(model.add(plan.count(g, s, test) >= hard), R15, group.weeks[0])
            warm_up = plan.item_minutes(g, s, lambda e: e.category == "mobility")
            plan.enforce(model.add(warm_up >= WARM_UP_MINUTES * hard), R15, group.weeks[0])
            if group.kind != "loading" or not power:
                continue
            powered = plan.count(g, s, lambda e: e.category == "power")
            if steady_power:
                plan.enforce(model.add(powered >= hard), R15, group.weeks[0])
                continue
            # Only plyometric power: a hard session without it needs the week's cap spent.
            spent = model.new_bool_var(f"plyo_spent[g{g},s{s}]")
            others = [plan.plyometric(g, other) for other in range(group.n_slots) if other != s]
            model.add(sum(others) + plan.fixed(g).plyo >= weekly).only_enforce_if(spent)
            plan.enforce(model.add(powered + spent >= hard), R15, group.weeks[0])


def planned_pair(group: Group, a: Pairable, b: Pairable) -> tuple[Pairable, Pairable] | None:
    """The two items in the order the planner pairs them, or None where it does not: R17
    allows the pair, a strength item leads (its long rest holds the partner's set), the
    warm-up's mobility stays whole (R15), and pairs are on (`rules.paired_sets`) but not in a
    novice's first mesocycle."""
    if not group.paired or "mobility" in (a.exercise.category, b.exercise.category):
        return None
    order = ordered(a, b, contrast=group.contrast)
    return order if order is not None and order[0].exercise.category == "strength" else None


class _Alike(NamedTuple):
    """What the pairing reads of an option: options alike in all of it pair alike."""

    category: str
    region: str | None
    heavy: bool
    plyometric: bool
    sets: int
    minutes: int
    work_s: int
    set_s: int


def pairings(group: Group) -> list[Pairing]:
    """Every pairing R17 allows in a group's sessions that saves time and is led by a strength
    item, whose long rests hold the partner's set. (R17 also allows an accessory with a core
    item; such a pair saves 2-5 min, and leaving it out halves the pairing variables, which
    the search needs to prove its optimum in time.)

    Options that pair alike form one class, so the model counts pairs per pair of classes:
    fewer variables than a literal per pair of items, and as exact (items of one class are
    interchangeable for the pairing, so counts that no class over-uses name real pairs).
    Classes that save the same with every partner merge into one.

    A novice's first mesocycle pairs nothing: the athlete learns each movement alone, with
    its full rest (and its two set options per item would double the pairings)."""
    classes: dict[_Alike, list[tuple[str, int]]] = {}
    pairable: dict[_Alike, Pairable] = {}
    for candidate in group.candidates:
        exercise = candidate.exercise
        if exercise.category == "mobility" or (
            exercise.category == "power" and not (group.contrast and exercise.plyometric)
        ):
            continue  # never paired (`planned_pair`): fewer classes
        for k, option in enumerate(candidate.options):
            key = _Alike(
                exercise.category, region(exercise), candidate.pairable.heavy,
                exercise.plyometric, option.sets, option.minutes, candidate.pairable.work_s,
                candidate.pairable.set_s,
            )  # fmt: skip
            classes.setdefault(key, []).append((candidate.id, k))
            pairable[key] = candidate.pairable
    found: dict[tuple[_Alike, _Alike], tuple[int, bool]] = {}
    keys = list(classes)
    for i, key_a in enumerate(keys):
        for key_b in keys[i + 1 :]:
            if key_a.sets != key_b.sets:
                continue
            a, b = pairable[key_a], pairable[key_b]
            order = planned_pair(group, a, b)
            if order is None:
                continue
            saves = key_a.minutes + key_b.minutes - pair_minutes(key_a.sets, a, b)
            if saves > 0:
                first, second = (key_a, key_b) if order[0] is a else (key_b, key_a)
                contrast = pair_kind(*order, contrast=group.contrast) == "contrast"
                found[first, second] = (saves, contrast)

    def signature(key: _Alike) -> tuple[object, ...]:
        """The class's savings with every other class, as first and as second item."""
        row = tuple(
            (found.get((key, other)), found.get((other, key))) for other in keys if other != key
        )
        return (key.category, key.region, key.heavy, key.plyometric, key.sets, key.minutes, row)

    merged: dict[tuple[object, ...], list[tuple[str, int]]] = {}
    root: dict[_Alike, tuple[object, ...]] = {}
    for key in keys:
        root[key] = signature(key)
        merged.setdefault(root[key], []).extend(classes[key])
    result: dict[tuple[object, object], Pairing] = {}
    for (first, second), (saves, contrast) in found.items():
        pair = (root[first], root[second])
        if pair not in result:
            result[pair] = Pairing(
                tuple(merged[pair[0]]), tuple(merged[pair[1]]),
                (first.category, second.category), first.sets, saves, contrast,
            )  # fmt: skip
    return list(result.values())


def add_paired_sets(plan: PlanModel) -> None:
    """R17: a session may do two of its items as a pair (A1/A2), which saves minutes by R17's
    formula (`pair_minutes`): a lift with an upper-body (or, for an upper-body lift, a
    lower-body) strength or accessory item, a lift with a core item, or one contrast pair (a
    heavy lift, then plyometrics) for intermediate and advanced athletes in build and peak
    weeks. Both items have the same sets and an item is in at most one pair. The warm-up is
    never paired (R15). The pairs are counted per pairing of option classes (`pairings`);
    the plan builder names the items (`name_pairs`)."""
    model, problem = plan.model, plan.problem
    limits = problem.benefit.items_per_session
    for group in problem.groups:
        g = group.index
        allowed = pairings(group)
        for s in range(group.n_slots):
            counts = [
                (pairing, model.new_int_var(0, min(limits[c][1] for c in pairing.categories),
                                            f"pairs[g{g},s{s},{index}]"))
                for index, pairing in enumerate(allowed)
            ]  # fmt: skip
            plan.pairs[g, s] = counts
            in_pairs: dict[tuple[tuple[str, int], ...], list[cp_model.IntVar]] = {}
            for pairing, count in counts:
                in_pairs.setdefault(pairing.first, []).append(count)
                in_pairs.setdefault(pairing.second, []).append(count)
            for options, uses in in_pairs.items():
                chosen = [plan.option[g, s, exercise, k] for exercise, k in options]
                model.add(sum(uses) <= sum(chosen))
            contrast = [count for pairing, count in counts if pairing.contrast]
            if contrast:
                model.add(sum(contrast) <= 1)


def name_pairs(
    group: Group, chosen: list[tuple[str, int]], counts: list[tuple[Pairing, int]]
) -> list[Pick]:
    """A slot's picks from its chosen (candidate id, option index) and its pair counts: each
    counted pair takes the first items of its two classes not yet paired, in the order the
    group lists its candidates, and numbers the pair 1, 2, ... with the first item first."""
    options = {c.id: c.options for c in group.candidates}
    pair_of: dict[tuple[str, int], int] = {}
    order: list[tuple[str, int]] = []
    number = 0
    for pairing, count in counts:
        for _ in range(count):
            first = next(o for o in chosen if o in pairing.first and o not in pair_of)
            second = next(o for o in chosen if o in pairing.second and o not in pair_of)
            number += 1
            pair_of[first] = pair_of[second] = number
            order += [first, second]
    alone = [o for o in chosen if o not in pair_of]
    return [
        Pick(exercise, options[exercise][k].sets, pair_of.get((exercise, k), 0))
        for exercise, k in alone + order
    ]
