"""The plan's `why`: each session says which rules closed the other days of its week and what
each item serves, and the terminal (`--why`), Markdown and HTML show it."""

from __future__ import annotations

import pytest
from rich.console import Console

from planner.domain.plan import Plan
from planner.pipeline.reasons import session_why
from planner.report.export import ExportOptions, export_plan
from planner.report.render import render_plan

from ..helpers import Case, day, one_week, small_catalog, solved

MON, TUE, WED, THU, FRI, SAT, SUN = (day(offset) for offset in range(7))


@pytest.fixture(scope="module")
def planned() -> Case:
    # Tue and Thu have no time (R1); Sat is the day before the Sunday long run (R4); the
    # coach keeps Fri free (R18).
    scenario = one_week(
        {"mon": 40, "wed": 40, "fri": 40, "sat": 40},
        {"sun": "long 16"},
        coach={"pin": [{"date": FRI.isoformat(), "session": "none"}]},
    )
    case = solved(scenario, small_catalog())
    assert case.solution.status == "optimal"
    return case


def reasons_by_day(plan: Plan) -> dict[str, dict[str, str]]:
    """For each session's date, what its `why` says of each other day."""
    found = {}
    for plan_day, session in plan.sessions():
        why = session_why(session)
        assert why is not None
        found[str(plan_day.date)] = dict(line.split(": ", 1) for line in why.day)
    return found


def test_a_hard_session_names_the_rule_that_closed_each_other_day(planned: Case) -> None:
    hard = {d.date for d, s in planned.plan.sessions() if s.hard}
    assert hard == {MON, WED}  # the only days a hard session may take
    monday = reasons_by_day(planned.plan)[str(MON)]
    assert monday["Tue"] == "R1, no gym time" and monday["Thu"] == "R1, no gym time"
    assert monday["Fri"] == "R18, the coach keeps it free"
    assert monday["Sat"] == "R4, the day before a key run"
    assert monday["Sun"] == "R1, no gym time"
    assert "Wed" not in monday  # it holds a session of its own


def test_r3_spacing_is_named_with_the_other_hard_session() -> None:
    scenario = one_week({"mon": 40, "tue": 40, "thu": 40}, {"sun": "long 16"})
    case = solved(scenario, small_catalog())
    hard = [d.date for d, s in case.plan.sessions() if s.hard]
    assert len(hard) == 2 and (hard[1] - hard[0]).days >= 2  # R3 kept
    reasons = reasons_by_day(case.plan)
    checked = 0
    for date in hard:
        (other,) = [h for h in hard if h != date]
        for free in (MON, TUE, THU):
            if free not in hard and abs((free - other).days) == 1:
                side = "before" if free < other else "after"
                expected = f"R3, 1 day {side} {other:%a}'s hard session"
                assert reasons[str(date)][f"{free:%a}"] == expected
                checked += 1
    assert checked  # some free day lies next to the other hard session, whichever two


def test_each_item_says_what_it_serves_and_its_share_of_the_week(planned: Case) -> None:
    for _, session in planned.plan.sessions():
        why = session_why(session)
        assert why is not None
        assert [name for name, _ in why.items] == [item.name for item in session.items]
        for item, (_, serves) in zip(session.items, why.items, strict=True):
            largest = min(item.targets, key=lambda t: (-item.targets[t], t))
            assert serves.startswith(largest.replace("_", " ")), (item.exercise, serves)
            assert "% of the week's" in serves


def test_the_terminal_markdown_and_html_show_it(planned: Case) -> None:
    console = Console(record=True, width=120)
    render_plan(planned.plan, console, why=True)
    assert "Why this day: Tue: R1, no gym time" in console.export_text()
    quiet = Console(record=True, width=120)
    render_plan(planned.plan, quiet)
    assert "Why this day" not in quiet.export_text()
    markdown = export_plan(planned.plan, "md", ExportOptions())
    assert "*Why this day:* Tue: R1, no gym time" in markdown
    assert "*Why these exercises:*" in markdown
    html = export_plan(planned.plan, "html", ExportOptions())
    assert '<details class="why">' in html and "R18, the coach keeps it free" in html


def test_a_plan_without_why_still_renders(planned: Case) -> None:
    plan = planned.plan.model_copy(deep=True)
    for _, session in plan.sessions():
        (session.model_extra or {}).pop("why", None)
    console = Console(record=True, width=120)
    render_plan(plan, console, why=True)
    assert "Why this day" not in console.export_text()
    assert "Why this day" not in export_plan(plan, "md", ExportOptions())
