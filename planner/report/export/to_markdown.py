"""The plan as a Markdown document: summary, week table, warnings and every session.

A session lists its items as a gym sheet does: `1`, `2`, ... for items done alone, and each
pair (R17) as its instruction line with its two items `A1` and `A2` nested under it.

User text is escaped twice over: `<`, `>` and `&` become entities (Markdown renderers pass
raw HTML through), and Markdown's own punctuation is backslash-escaped so a name cannot
turn into a link, a table cell break or emphasis.
"""

from __future__ import annotations

import html
import re

from planner.domain.plan import DayPlan, Plan, Session
from planner.pipeline.reasons import session_why
from planner.report.export.common import (
    ExportOptions,
    athlete_name,
    item_lines,
    line_prescription,
    proof_note,
    run_label,
    run_unit,
    session_kind,
    target_load_text,
    target_load_why,
    total_run_distance,
    week_label,
    week_of_day,
)

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")


def escape(text: object) -> str:
    """Text that renders literally in Markdown, on one line."""
    plain = html.escape(str(text), quote=False)
    plain = " ".join(plain.split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", plain)


def _summary(plan: Plan, unit: str) -> list[str]:
    objective = plan.objective
    bound_text = f" ({proof_note(plan)})"
    athlete = athlete_name(plan)
    lines = [f"# {escape(plan.scenario)}", ""]
    if athlete:
        lines.append(f"Athlete: **{escape(athlete)}**  ")
    lines += [
        f"Status: **{plan.status}** · {len(plan.sessions())} sessions · "
        f"{objective.minutes} gym minutes · {total_run_distance(plan):g} {unit or ''} run".rstrip()
        + "  ",
        f"Benefit per gym minute: **{objective.benefit_per_minute:.4f}**{bound_text}",
        "",
    ]
    return lines


def _weeks_table(plan: Plan, unit: str) -> list[str]:
    run_header = f"Run ({unit})" if unit else "Run"
    lines = [
        "## Weeks",
        "",
        f"| Week | Start | Phase | {run_header} | Sessions | Hard | Gym min |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for week in plan.weeks:
        phase = week_label(week) + (" · cut-back run week" if week.cutback else "")
        lines.append(
            f"| {week.index} | {week.start} | {phase} | {week.run_distance:g} | {week.sessions} "
            f"| {week.hard_sessions} | {week.minutes} |"
        )
    return [*lines, ""]


def _warnings(plan: Plan) -> list[str]:
    if not plan.warnings:
        return []
    lines = ["## Warnings", ""]
    for warning in plan.warnings:
        where = f" week {warning.week}" if warning.week is not None else ""
        fix = f" → *{escape(warning.suggestion)}*" if warning.suggestion else ""
        lines.append(f"- **{warning.rule}**{where}: {escape(warning.message)}{fix}")
    return [*lines, ""]


def _session(day: DayPlan, session: Session, unit: str) -> list[str]:
    after = ", after the run" if session.after_run else ""
    lines = [
        f"#### {day.date:%a %d %b %Y} · {session_kind(session)}{after} · {session.minutes} min "
        f"· run: {escape(run_label(day.run, unit))}",
        "",
    ]
    for line in item_lines(session):
        item = line.item
        indent = "  " if line.pair else ""  # a pair's items nest under its instruction
        if line.pair_note:
            pair, _, how = line.pair_note.partition(": ")
            lines.append(f"- **{escape(pair)}**: {escape(how)}")
        lines.append(
            f"{indent}- **{escape(line.label)}** · **{escape(item.name)}** ({item.category}): "
            f"{escape(line_prescription(line))}  "
        )
        more = bool(item.cue or target_load_text(item))
        lines.append(f"{indent}  Load: {escape(item.load)}" + ("  " if more else ""))
        if target := target_load_text(item):
            why = f" ({escape(target_load_why(item))})" if target_load_why(item) else ""
            next_line = f"{indent}  Next load: **{escape(target)}**{why}"
            lines.append(next_line + ("  " if item.cue else ""))
        if item.cue:
            lines.append(f"{indent}  *{escape(item.cue)}*")
    reasons = session_why(session)
    if reasons is not None:
        lines += ["", f"*Why this day:* {escape(reasons.day_text())}  "]
        served = "; ".join(f"{name}: {serves}" for name, serves in reasons.items)
        lines.append(f"*Why these exercises:* {escape(served)}")
    return [*lines, ""]


def _sessions(plan: Plan, unit: str) -> list[str]:
    lines = ["## Sessions", ""]
    days_by_week = week_of_day(plan)
    for week in plan.weeks:
        sessions = [(d, d.session) for d in days_by_week.get(week.index, []) if d.session]
        lines += [f"### Week {week.index} · {week_label(week)} · from {week.start}", ""]
        if not sessions:
            lines += ["No gym session this week.", ""]
        for day, session in sessions:
            assert session is not None
            lines += _session(day, session, unit)
    return lines


def export(plan: Plan, options: ExportOptions) -> str:
    unit = run_unit(plan, options)
    lines = (
        _summary(plan, unit) + _weeks_table(plan, unit) + _warnings(plan) + _sessions(plan, unit)
    )
    return "\n".join(lines).rstrip() + "\n"
