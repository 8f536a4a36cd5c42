"""A self-contained, single-file HTML report of a plan.

Everything is inline: CSS, and SVG charts drawn in Python (`planner.report.export.charts`). No
scripts, fonts, images or links to other files, so it opens offline, in a mail client or
on a phone. Sections: summary figures, phase bands, a calendar of the block, run volume
against gym minutes per week, dose per training target per week (a heatmap table),
warnings with suggested fixes, and a card per session. The layout is responsive; what prints
is the training card (`planner.report.export.card`), a page per week. All user text goes
through `html.escape`.
"""

from __future__ import annotations

import datetime as dt
import html

from planner import __version__
from planner.domain.plan import DayPlan, Plan, Session, WeekPlan, is_missed
from planner.pipeline.reasons import session_why
from planner.report.export.card import card_css, card_html
from planner.report.export.charts import (
    PHASE_COLOURS,
    phase_band_svg,
    phase_colour,
    volume_chart_svg,
)
from planner.report.export.common import (
    ExportOptions,
    ItemLine,
    athlete_name,
    dose_by_week,
    item_lines,
    line_prescription,
    proof_note,
    run_label,
    run_unit,
    target_load_text,
    target_load_why,
    total_run_distance,
    week_label,
    week_of_day,
)
from planner.vocabulary import KEY_RUN_KINDS, WEEKDAYS

CATEGORY_COLOURS = {
    "mobility": "#0891b2",
    "power": "#c026d3",
    "strength": "#2563eb",
    "accessory": "#65a30d",
    "core": "#ea580c",
}

CSS = """
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --paper: #ffffff;
  --wash: #f8fafc; --accent: #2563eb; --hard: #334155; --light: #94a3b8; --run: #db2777; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--wash); color: var(--ink); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 16px 48px; }
header.hero { background: var(--paper); border: 1px solid var(--line); border-radius: 14px;
  padding: 20px 22px; margin-bottom: 20px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; line-height: 1.2; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h3 { font-size: 1.02rem; margin: 22px 0 10px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.stat { background: var(--wash); border: 1px solid var(--line); border-radius: 10px;
  padding: 10px 12px; }
.stat .value { font-size: 1.25rem; font-weight: 650; display: block; }
.stat .label { color: var(--muted); font-size: .8rem; text-transform: uppercase;
  letter-spacing: .04em; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 14px;
  padding: 18px 20px; margin-bottom: 20px; }
.chart { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; color: var(--muted);
  font-size: .85rem; margin-top: 8px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 3px;
  margin-right: 5px; vertical-align: -1px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border: 1px solid var(--line); padding: 5px 6px; vertical-align: top; }
th { background: var(--wash); font-weight: 600; text-align: left; }
table.calendar { table-layout: fixed; min-width: 640px; }
table.calendar th.week { width: 92px; }
table.calendar td { height: 58px; }
td.day .date { color: var(--muted); font-size: .75rem; }
td.day.outside { background:
  repeating-linear-gradient(45deg, #f8fafc, #f8fafc 6px, #f1f5f9 6px, #f1f5f9 12px); }
td.day.race { background: #fdf2f8; }
td.day.changed { outline: 2px dashed #d97706; outline-offset: -3px; }
td.day.changed .date::after { content: " changed"; color: #b45309; font-weight: 600; }
.chip.gym.missed { background: #fee2e2; color: #991b1b; text-decoration: line-through; }
.chip .short, .calendar-key { display: none; }
td.day { overflow: hidden; }
.chip { max-width: 100%; overflow: hidden; text-overflow: ellipsis; vertical-align: top;
  display: inline-block; border-radius: 999px; padding: 0 7px; font-size: .75rem;
  margin: 2px 2px 0 0; white-space: nowrap; }
.chip.run { background: #fce7f3; color: #9d174d; }
.chip.run.key { background: var(--run); color: #fff; }
.chip.gym { background: #e2e8f0; color: var(--ink); }
.chip.gym.hard { background: var(--hard); color: #fff; }
.week-head { border-left: 5px solid var(--accent); }
.week-head .phase { display: block; color: var(--muted); font-weight: 400; font-size: .75rem; }
table.heatmap td { text-align: center; min-width: 34px; font-variant-numeric: tabular-nums; }
table.heatmap th.target { white-space: nowrap; }
table.weeks { width: auto; min-width: 60%; }
table.weeks td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.warnings { margin: 0; padding-left: 18px; }
ul.warnings li { margin-bottom: 8px; }
.fix { color: #047857; }
.week-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 12px; }
article.card { border: 1px solid var(--line); border-radius: 12px; padding: 12px 14px;
  background: var(--paper);
  break-inside: avoid; page-break-inside: avoid; }
article.card.hard { border-top: 4px solid var(--hard); }
article.card.light { border-top: 4px solid var(--light); }
.card h4 { margin: 0; font-size: 1rem; }
.card .meta { color: var(--muted); font-size: .82rem; margin: 2px 0 8px; }
.badge { display: inline-block; font-size: .7rem; border-radius: 6px; padding: 1px 6px;
  margin-left: 4px;
  background: var(--wash); border: 1px solid var(--line); color: var(--muted);
  vertical-align: 2px; }
ol.items { margin: 0; padding-left: 0; list-style: none; }
ol.items li { margin: 0 0 8px; }
.no { display: inline-block; min-width: 1.9em; font-weight: 650; color: var(--muted);
  font-variant-numeric: tabular-nums; }
li.pair { border-left: 3px solid var(--accent); padding-left: 8px; }
.pair-note { font-size: .85rem; margin-bottom: 4px; }
li.pair ol.items li:last-child { margin-bottom: 0; }
.item-name { font-weight: 600; }
.cat { font-size: .7rem; color: #fff; border-radius: 5px; padding: 0 5px; margin-left: 4px;
  vertical-align: 1px; }
.rx { font-variant-numeric: tabular-nums; }
.load { color: var(--muted); font-size: .85rem; }
.next-load { font-size: .85rem; }
.next-load .why { color: var(--muted); }
.cue { font-style: italic; font-size: .85rem; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: .8rem; text-align: center; margin-top: 28px; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: 12px 8px 32px; }
  header.hero, section { padding: 14px 12px; border-radius: 10px; }
  h1 { font-size: 1.3rem; }
  .week-cards { grid-template-columns: 1fr; }
  .stat .value { font-size: 1.1rem; }
  .calendar-key { display: block; color: var(--muted); font-size: .75rem; }
  .chip .long { display: none; }
  .chip .short { display: inline; }
  table.calendar { min-width: 0; font-size: .7rem; }
  table.calendar th { padding: 3px 2px; }
  table.calendar th.week { width: 46px; }
  table.calendar td { height: auto; padding: 3px 2px; }
  td.day .date { font-size: .62rem; }
  .chip { padding: 0 3px; font-size: .68rem; }
  .week-head .phase { font-size: .6rem; }
}
details.why { margin-top: .5rem; font-size: .85em; color: var(--muted); }
details.why summary { cursor: pointer; }
details.why ul { margin: .25rem 0 0; padding-left: 1.1rem; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- sections ------------------------------------------------------------------------------


def _stat(label: str, value: str) -> str:
    return (
        f'<div class="stat"><span class="value">{esc(value)}</span>'
        f'<span class="label">{esc(label)}</span></div>'
    )


def header_html(plan: Plan, unit: str) -> str:
    objective = plan.objective
    weeks = plan.weeks
    first, last = (
        plan.days[0].date if plan.days else None,
        plan.days[-1].date if plan.days else None,
    )
    athlete = athlete_name(plan)
    subtitle = " · ".join(
        part
        for part in (
            f"for {athlete}" if athlete else "",
            f"{first:%d %b %Y} to {last:%d %b %Y}" if first and last else "",
            f"{len(weeks)} weeks",
        )
        if part
    )
    ratio = f"{objective.benefit_per_minute:.3f}"
    bound_note = f" ({proof_note(plan)})"
    stats = [
        _stat("status", plan.status),
        _stat(
            "gym sessions", f"{len(plan.sessions())} ({sum(w.hard_sessions for w in weeks)} hard)"
        ),
        _stat("gym minutes", f"{objective.minutes}"),
        _stat(f"run ({unit})" if unit else "run distance", f"{total_run_distance(plan):g}"),
        _stat("benefit / gym min" + bound_note, ratio),
    ]
    return (
        '<header class="hero">'
        f"<h1>{esc(plan.scenario)}</h1>"
        f'<p class="subtitle">Strength &amp; mobility plan {esc(subtitle)}</p>'
        f'<div class="stats">{"".join(stats)}</div>'
        "</header>"
    )


def _phase_legend() -> str:
    items = [
        f'<span><span class="swatch" style="background:{colour}"></span>{esc(phase)}</span>'
        for phase, colour in PHASE_COLOURS.items()
    ]
    items.append(
        '<span><span class="swatch" style="background:#94a3b8"></span>striped: deload week</span>'
    )
    return f'<div class="legend">{"".join(items)}</div>'


def phases_html(plan: Plan) -> str:
    return (
        '<section id="phases"><h2>Phases</h2>'
        f"{phase_band_svg(plan.weeks)}{_phase_legend()}</section>"
    )


RUN_LETTERS = {"easy": "E", "long": "L", "quality": "Q", "race": "R", "cross": "X"}
CALENDAR_KEY = (
    '<p class="calendar-key">E easy · Q quality · L long · R race · X cross-training '
    "(distance, or minutes ′) · dark: hard gym session, grey: light (minutes)</p>"
)


def _chip(classes: str, long_text: str, short_text: str) -> str:
    """A calendar chip with a full label, and a short one that phones show instead."""
    return (
        f'<span class="chip {classes}"><span class="long">{esc(long_text)}</span>'
        f'<span class="short">{esc(short_text)}</span></span>'
    )


def _run_short(day: DayPlan) -> str:
    letter = RUN_LETTERS.get(day.run.kind, "?")
    if day.run.kind == "cross":
        return f"{letter}{day.run.minutes}′" if day.run.minutes else letter
    return f"{letter}{day.run.distance:g}" if day.run.distance else letter


def _changed_days(plan: Plan) -> dict[dt.date, str]:
    """A replanned plan's changed days (both ends of a move) with their change and reason."""
    marks: dict[dt.date, str] = {}
    for change in plan.changes():
        marks[change.date] = f"{change.change}: {change.reason}"
        if change.change == "moved" and change.to:
            marks[dt.date.fromisoformat(change.to)] = f"moved here: {change.reason}"
    return marks


def _calendar_cell(
    day: DayPlan | None, unit: str, changed: dict[dt.date, str] | None = None
) -> str:
    if day is None:
        return '<td class="day outside"></td>'
    chips = []
    if day.run.kind != "rest":
        key = " key" if day.run.kind in KEY_RUN_KINDS else ""
        chips.append(_chip(f"run{key}", run_label(day.run, unit), _run_short(day)))
    if day.session is not None:
        kind = "hard" if day.session.hard else "light"
        minutes = day.session.minutes
        chips.append(_chip(f"gym {kind}", f"gym {minutes}′ {kind}", f"{minutes}′"))
    race = " race" if day.run.kind == "race" else ""
    note = (changed or {}).get(day.date)
    title = ""
    if note is not None:
        race += " changed"
        title = f' title="{esc(note)}"'
    if is_missed(day):
        race += " missed"
        chips.append(_chip("gym missed", "missed session", "missed"))
    return (
        f'<td class="day{race}"{title}><div class="date">{day.date:%d %b}</div>'
        f"{''.join(chips)}</td>"
    )


def calendar_html(plan: Plan, unit: str) -> str:
    days_by_week = week_of_day(plan)
    changed = _changed_days(plan)
    head = "".join(f"<th>{day.capitalize()}</th>" for day in WEEKDAYS)
    rows = []
    for week in plan.weeks:
        by_weekday = {WEEKDAYS[day.date.weekday()]: day for day in days_by_week.get(week.index, [])}
        cells = "".join(
            _calendar_cell(by_weekday.get(weekday), unit, changed) for weekday in WEEKDAYS
        )
        rows.append(
            f'<tr><th class="week week-head" style="border-left-color:{phase_colour(week.phase)}">'
            f'W{week.index}<span class="phase">{esc(week_label(week))}</span></th>{cells}</tr>'
        )
    return (
        f'<section id="calendar"><h2>Calendar</h2>{CALENDAR_KEY}<div class="scroll">'
        f'<table class="calendar"><thead><tr><th class="week">Week</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _weeks_table(weeks: list[WeekPlan], unit: str) -> str:
    rows = "".join(
        f"<tr><td>{w.index}</td><td>{w.start:%d %b}</td><td>{esc(week_label(w))}"
        f"{' · cut-back run week' if w.cutback else ''}</td>"
        f'<td class="num">{w.run_distance:g}</td><td class="num">{w.sessions}</td>'
        f'<td class="num">{w.hard_sessions}</td><td class="num">{w.minutes}</td></tr>'
        for w in weeks
    )
    run = f"Run ({esc(unit)})" if unit else "Run"
    return (
        '<div class="scroll"><table class="weeks"><thead><tr><th>Week</th><th>Start</th>'
        f"<th>Phase</th><th>{run}</th><th>Sessions</th><th>Hard</th><th>Gym min</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></div>"
    )


def volume_html(plan: Plan, unit: str) -> str:
    return (
        '<section id="volume"><h2>Running and gym per week</h2>'
        f"{volume_chart_svg(plan.weeks, unit)}{_phase_legend()}"
        f"<h3>Week by week</h3>{_weeks_table(plan.weeks, unit)}</section>"
    )


def _heat_cell(value: float, top: float) -> str:
    if value <= 0:
        return "<td></td>"
    strength = value / top if top else 0.0
    alpha = 0.12 + 0.78 * strength
    colour = "#ffffff" if alpha > 0.55 else "#0f172a"
    return f'<td style="background:rgba(37,99,235,{alpha:.2f});color:{colour}">{value:g}</td>'


def dose_html(plan: Plan) -> str:
    dose = dose_by_week(plan)
    if not dose:
        return (
            '<section id="dose"><h2>Dose per training target</h2>'
            '<p class="empty">No sessions.</p></section>'
        )
    head = "".join(
        f'<th style="border-top:4px solid {phase_colour(w.phase)}">{w.index}</th>'
        for w in plan.weeks
    )
    rows = []
    for target, per_week in dose.items():
        top = max(per_week.values())
        cells = "".join(_heat_cell(round(per_week.get(w.index, 0.0), 2), top) for w in plan.weeks)
        rows.append(f'<tr><th class="target">{esc(target.replace("_", " "))}</th>{cells}</tr>')
    return (
        '<section id="dose"><h2>Dose per training target</h2>'
        '<p class="subtitle">Weekly dose (sets × contribution); darker is more, relative to the '
        "target's busiest week. The coloured line over each week is its phase.</p>"
        f'<div class="scroll"><table class="heatmap"><thead><tr><th>Target / week</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def warnings_html(plan: Plan) -> str:
    if not plan.warnings:
        return ""
    items = []
    for warning in plan.warnings:
        where = f" · week {warning.week}" if warning.week is not None else ""
        fix = (
            f'<br><span class="fix">Suggested fix: {esc(warning.suggestion)}</span>'
            if warning.suggestion
            else ""
        )
        items.append(
            f"<li><strong>{esc(warning.rule)}{where}</strong>: {esc(warning.message)}{fix}</li>"
        )
    return (
        '<section id="warnings"><h2>Warnings</h2>'
        f'<ul class="warnings">{"".join(items)}</ul></section>'
    )


def _item_html(line: ItemLine) -> str:
    item = line.item
    colour = CATEGORY_COLOURS.get(item.category, "#64748b")
    cue = f'<div class="cue">{esc(item.cue)}</div>' if item.cue else ""
    target = ""
    if text := target_load_text(item):
        why = target_load_why(item)
        target = (
            f'<div class="next-load">Next load: <strong>{esc(text)}</strong>'
            + (f' <span class="why">({esc(why)})</span>' if why else "")
            + "</div>"
        )
    return (
        f'<li><span class="no">{esc(line.label)}</span>'
        f'<span class="item-name">{esc(item.name)}</span>'
        f'<span class="cat" style="background:{colour}">{esc(item.category)}</span>'
        f'<div class="rx">{esc(line_prescription(line))}</div>'
        f'<div class="load">{esc(item.load)}</div>{target}{cue}</li>'
    )


def items_html(session: Session) -> str:
    """The session's items as a gym sheet numbers them: `1`, `2`, ... alone, and each pair
    (R17) as one entry holding its instruction and its items A1 and A2."""
    parts = []
    lines = item_lines(session)
    for index, line in enumerate(lines):
        if line.pair is None:
            parts.append(_item_html(line))
        elif line.first_of_pair:
            pair, _, how = line.pair_note.partition(": ")
            members = "".join(
                _item_html(other) for other in lines[index:] if other.pair == line.pair
            )
            parts.append(
                f'<li class="pair"><div class="pair-note"><strong>{esc(pair)}</strong>: '
                f'{esc(how)}</div><ol class="items">{members}</ol></li>'
            )
    return f'<ol class="items">{"".join(parts)}</ol>'


def session_card_html(day: DayPlan, session: Session, unit: str) -> str:
    kind = "hard" if session.hard else "light"
    badges = f'<span class="badge">{kind}</span>'
    if session.after_run:
        badges += '<span class="badge">after the run</span>'
    return (
        f'<article class="card {kind}"><h4>{day.date:%a %d %b}{badges}</h4>'
        f'<div class="meta">{session.minutes} min · run: {esc(run_label(day.run, unit))}</div>'
        f"{items_html(session)}{why_html(session)}</article>"
    )


def why_html(session: Session) -> str:
    """The rules that closed the week's other days and what each item serves, folded."""
    reasons = session_why(session)
    if reasons is None:
        return ""
    items = "".join(
        f"<li><strong>{esc(name)}</strong>: {esc(serves)}</li>" for name, serves in reasons.items
    )
    return (
        '<details class="why"><summary>Why this day and these exercises</summary>'
        f"<p>{esc(reasons.day_text())}</p><ul>{items}</ul></details>"
    )


def sessions_html(plan: Plan, unit: str) -> str:
    days_by_week = week_of_day(plan)
    parts = [
        '<section id="sessions"><h2>Sessions</h2><p class="print-note">Print this page for '
        "the training card: a page per week, each session a table with blank cells for the "
        "load you lifted and the RPE.</p>"
    ]
    for week in plan.weeks:
        sessions = [
            (d, d.session) for d in days_by_week.get(week.index, []) if d.session is not None
        ]
        parts.append(
            f'<h3 style="border-left:5px solid {phase_colour(week.phase)};padding-left:8px">'
            f"Week {week.index} · {esc(week_label(week))} · {week.sessions} session"
            f"{'s' if week.sessions != 1 else ''} · {week.minutes} min</h3>"
        )
        if not sessions:
            parts.append('<p class="empty">No gym session this week.</p>')
            continue
        cards = "".join(
            session_card_html(day, session, unit) for day, session in sessions if session
        )
        parts.append(f'<div class="week-cards">{cards}</div>')
    parts.append("</section>")
    return "".join(parts)


def footer_html(plan: Plan) -> str:
    rules = ", ".join(
        f"{esc(key)} {esc(value)}"
        for key, value in plan.rules.items()
        if not isinstance(value, dict)
    )
    return f"<footer>Made by planner {esc(__version__)} · rules used: {rules}</footer>"


def export(plan: Plan, options: ExportOptions) -> str:
    unit = run_unit(plan, options)
    body = "".join(
        (
            header_html(plan, unit),
            warnings_html(plan),
            phases_html(plan),
            calendar_html(plan, unit),
            volume_html(plan, unit),
            dose_html(plan),
            sessions_html(plan, unit),
            footer_html(plan),
            card_html(plan, options),
        )
    )
    title = esc(f"{plan.scenario}: strength & mobility plan")
    generated = f'<meta name="generator" content="planner {esc(__version__)}">'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{generated}<title>{title}</title><style>{CSS}{card_css(options.paper)}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
