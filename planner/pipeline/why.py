"""`planner why`: a coach's "what if" about a plan, answered by solving again.

A question is the coach's say (R18) a little extended: force an exercise (on a day, or in
every hard week), keep a day free, move a session, swap one exercise for another, or ask for
a session of a kind on a day. The answer solves the scenario with the question added to its
`coach:` section and compares the new plan with the old one: what it costs in benefit per
minute and in the floor (R13, R16), which days change, and whether the answer is proven. When
no plan can do it, the explanation names the rules in the way, with changes that are each
checked by solving again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from planner.domain.catalog import Catalog
from planner.domain.diff import DayChange, day_label, diff_plans
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.errors import InfeasibleError, InputError, Problem
from planner.io.catalog_file import default_catalog
from planner.pipeline.solve import NO_PLAN, Churn, Result, solve_scenario
from planner.solver.problem import unusable
from planner.solver.run import SolveOptions
from planner.vocabulary import suggest

FLOOR_RULES = ("R13", "R16")


@dataclass(frozen=True)
class Question:
    """What the coach asks, as additions to the scenario's `coach:` section."""

    words: list[str] = field(default_factory=list)  # the question in a coach's words
    exclude: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    pins: list[dict[str, object]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.exclude or self.include or self.pins)

    def merged(self, other: Question) -> Question:
        return Question(
            self.words + other.words,
            self.exclude + other.exclude,
            self.include + other.include,
            self.pins + other.pins,
        )


def _date(flag: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            [Problem(flag, f'"{text}" is not a date: write it as YYYY-MM-DD')]
        ) from None


def _split(flag: str, text: str, separator: str, example: str) -> tuple[str, str]:
    if separator not in text:
        raise InputError([Problem(flag, f'"{text}": write it like {example}')])
    first, second = text.split(separator, 1)
    return first.strip(), second.strip()


def force(text: str) -> Question:
    """`EXERCISE@DATE`: a session that day holding it; `EXERCISE`: in every hard week."""
    if "@" in text:
        exercise, day = _split("--force", text, "@", "back_squat@2027-02-10")
        date = _date("--force", day)
        pin = {"date": date, "exercises": [exercise]}
        return Question([f"{exercise} on {day_label(date)}"], pins=[pin])
    return Question([f"{text.strip()} in every week with a hard session"], include=[text.strip()])


def forbid(text: str) -> Question:
    date = _date("--forbid", text)
    return Question([f"no session on {day_label(date)}"], pins=[{"date": date, "session": "none"}])


def move(text: str, plan: Plan) -> Question:
    """`FROM:TO`: the session of FROM on TO instead, of the same kind."""
    first, second = _split("--move", text, ":", "2027-02-10:2027-02-11")
    source, target = _date("--move", first), _date("--move", second)
    session = next((d.session for d in plan.days if d.date == source), None)
    if session is None:
        raise InputError([Problem("--move", f"the plan has no session on {source} to move")])
    kind = "hard" if session.hard else "light"
    return Question(
        [f"the {kind} session of {day_label(source)} on {day_label(target)}"],
        pins=[{"date": source, "session": "none"}, {"date": target, "session": kind}],
    )


def swap(text: str) -> Question:
    """`OLD:NEW`: never OLD, NEW in every week with a hard session."""
    old, new = _split("--swap", text, ":", "goblet_squat_db:back_squat")
    return Question([f"{new} instead of {old}"], exclude=[old], include=[new])


def session(text: str) -> Question:
    """`DATE:hard|light|none`."""
    first, kind = _split("--session", text, ":", "2027-02-10:light")
    date = _date("--session", first)
    if kind not in ("hard", "light", "none"):
        raise InputError([Problem("--session", f'"{kind}": write hard, light or none')])
    what = "no session" if kind == "none" else f"a {kind} session"
    return Question([f"{what} on {day_label(date)}"], pins=[{"date": date, "session": kind}])


def with_question(scenario: Scenario, question: Question, catalog: Catalog) -> Scenario:
    """The scenario with the question added to its coach's say: a pinned date replaces the
    coach's own pin of that date. Unknown ids exit 3 with a "did you mean"."""
    ids = catalog.by_id()
    named = [
        (flag, word)
        for flag, words in (("exclude", question.exclude), ("include", question.include))
        for word in words
    ] + [("pin", word) for pin in question.pins for word in pin.get("exercises", [])]  # type: ignore[attr-defined]
    problems = [
        Problem(f"question ({flag})", f'unknown exercise "{word}"' + suggest(word, ids))
        for flag, word in named
        if word not in ids
    ]
    first, last = scenario.block.start, scenario.block.last_day
    problems += [
        Problem("question", f"{pin['date']} is outside the block ({first} to {last})")
        for pin in question.pins
        if not first <= pin["date"] <= last  # type: ignore[operator]
    ]
    if problems:
        raise InputError(problems)
    coach = scenario.coach.model_dump()
    dates = {pin["date"] for pin in question.pins}
    coach["exclude"] = list(dict.fromkeys(coach["exclude"] + question.exclude))
    included = dict.fromkeys(coach["include"] + question.include)
    coach["include"] = [e for e in included if e not in coach["exclude"]]
    coach["prefer"] = [e for e in coach["prefer"] if e not in coach["exclude"]]
    coach["pin"] = [pin for pin in coach["pin"] if pin["date"] not in dates] + question.pins
    data = scenario.model_dump(by_alias=True, exclude_none=True) | {"coach": coach}
    try:
        return Scenario.model_validate(data)
    except ValueError as error:
        raise InputError([Problem("question", str(error))]) from None


@dataclass
class Answer:
    question: Question
    before: Plan
    plan: Plan | None
    changes: list[DayChange]
    # The whole solve, run when the fewest-changes solve found no plan: it says why not.
    result: Result | None = None
    tolerance: float | None = None  # of the fewest-changes plan (None: a whole solve's)

    def plan_or_raise(self, time_limit: float) -> Plan:
        """The answer's plan; InfeasibleError (exit 4) naming the rules in the way, or
        NoPlanFoundError (exit 5), without one."""
        if self.plan is not None:
            return self.plan
        assert self.result is not None
        return self.result.plan_or_raise(time_limit)

    def floor_missed(self, plan: Plan) -> int:
        return sum(1 for warning in plan.warnings if warning.rule in FLOOR_RULES)

    def lines(self) -> list[str]:
        """The answer in a coach's words."""
        asked = "; ".join(self.question.words)
        lines = [f"Question: {asked}"]
        plan = self.plan
        if plan is None:
            return lines
        old, new = self.before.objective, plan.objective
        cost = (old.benefit_per_minute - new.benefit_per_minute) / old.benefit_per_minute
        proven = _proven(plan, self.tolerance)
        lines.append(
            f"Answer: possible. Benefit per gym minute {old.benefit_per_minute:.4f} -> "
            f"{new.benefit_per_minute:.4f} ({-100 * cost:+.1f} %), {new.minutes} gym min "
            f"(was {old.minutes}); {proven}."
        )
        if self.before.status != "optimal":
            lines.append(
                f"  (the plan asked about is {self.before.status}, not proven optimal: "
                "a negative cost means a better plan exists)"
            )
        missed_before, missed_now = self.floor_missed(self.before), self.floor_missed(plan)
        lines.append(
            f"Floor (R13, R16): {missed_now} missed target warning(s), was {missed_before}."
        )
        if self.changes:
            lines.append(f"Days that change ({len(self.changes)}):")
            lines += [f"  {change.text()}" for change in self.changes]
        else:
            lines.append("No day changes: the plan already does it.")
        return lines


def ask(
    scenario: Scenario,
    plan: Plan,
    question: Question,
    options: SolveOptions,
    catalog: Catalog | None = None,
) -> Answer:
    """Solve the scenario with the question added to the coach's say and compare. An
    exercise asked for that the athlete may not do at all is InfeasibleError naming the
    rule (R18 asks an included exercise only where level and kit allow it)."""
    catalog_used = catalog or default_catalog()
    asked = with_question(scenario, question, catalog_used)
    exercises = catalog_used.by_id()
    for exercise in question.include:
        reason = unusable(asked, exercises[exercise])
        if reason is not None:
            raise InfeasibleError(f"{NO_PLAN}\nThe question asks for {exercise}, but {reason[1]}.")
    # The fewest changes to the plan that answer the question, within the tolerance of the
    # best plan that does: a coach asking about one day sees that day move, not a new plan.
    quiet = replace(options, explain=False)
    churn = Churn({day.date: 1 for day in plan.days})
    nearest = solve_scenario(asked, quiet, catalog_used, base=plan, churn=churn)
    if nearest.plan is not None:
        changes = diff_plans(plan, nearest.plan)
        return Answer(question, plan, nearest.plan, changes, tolerance=churn.tolerance)
    result = solve_scenario(asked, options, catalog)
    changes = diff_plans(plan, result.plan) if result.plan is not None else []
    return Answer(question, plan, result.plan, changes, result)


def _proven(plan: Plan, tolerance: float | None) -> str:
    """What the answer's status proves: a fewest-changes plan is proven when no plan within
    the tolerance changes fewer days; a whole solve's when its ratio is the best."""
    if tolerance is None:
        return {
            "optimal": "proven optimal",
            "feasible": f"not proven (bound {plan.objective.benefit_per_minute_bound})",
        }.get(plan.status, plan.status)
    within = f"within {100 * tolerance:g} % of the best plan that does it"
    if plan.status == "optimal":
        return f"the fewest changes {within}, proven"
    return f"few changes {within}, not proven the fewest"
