"""The training card: the HTML report's print layout, and what `-o plan.pdf` renders.

One page per week, from the week holding today (`ExportOptions.weeks`; every week by
default): each session a table a runner reads on a gym floor, in its order (the items done
alone numbered 1, 2, ..., a pair as A1/A2 under its instruction) with sets × reps and the
rest, the target load (the plan's `target_load.text` when it has one, with its reason
`target_load.why` in small type under it, else the load guidance), blank cells for the load
used and the RPE, and the cue. The card is hidden on
screen and is all that prints.

A page must hold its week on A4 and on US Letter alike, so the layout is sized for the
smaller of both (188 × 257 mm inside the margins), and a crowded week is scaled down
(`zoom`) by an estimate of its height: text wrapped word by word at the fonts' average
widths, on the safe side. A week of two nine-item sessions prints at about two thirds
(names at 8 pt); a week of one short session at up to 1.24 times.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.domain.plan import DayPlan, Plan, Session, WeekPlan
from planner.report.export.common import (
    ExportOptions,
    ItemLine,
    athlete_name,
    coming_weeks,
    item_lines,
    run_label,
    run_unit,
    target_load_why,
    week_label,
    week_of_day,
    what_to_lift,
)

PAGE_MARGIN_MM = 11
# Inside the margins of both papers: A4 is the narrower (210 mm), Letter the shorter (279 mm).
PAGE_WIDTH_MM = 210 - 2 * PAGE_MARGIN_MM
PAGE_HEIGHT_MM = 279 - 2 * PAGE_MARGIN_MM
SAFETY_MM = 10  # what the estimate keeps free for its own errors
SMALLEST_ZOOM = 0.55
LARGEST_ZOOM = 1.24
PAPER_SIZES = {None: "auto", "a4": "A4", "letter": "letter"}

# Font sizes (pt) and fixed column widths (mm); the CSS below uses the same numbers.
PT_MM = 25.4 / 72
LINE = 1.25  # line height, in font sizes
PAD_MM = 1.4  # a cell's padding, each side
COLUMNS = {"no": 0.05, "rx": 0.16, "target": 0.24, "used": 0.13, "rpe": 0.07}  # of the width
NAME_PT, RX_PT, REST_PT, TARGET_PT, CUE_PT, NOTE_PT, HEAD_PT = 12.5, 12.5, 9, 10.5, 9.5, 9.5, 8
WHY_PT = 7.5  # the target load's reason, under it
SESSION_PT, WEEK_PT, DATES_PT, HOWTO_PT = 13, 18, 10.5, 8.5
HOWTO = (
    "Load used: what you lifted (2×12 = a 12 kg dumbbell in each hand). RPE: how hard the "
    "last set was, 1-10 (8 = two more reps were left; 10 = none)."
)


def card_css(paper: str | None) -> str:
    """The card's styles: hidden on screen; in print, the card alone, a week a page."""
    size = PAPER_SIZES[paper]
    columns = "".join(
        f"table.card-table col.c-{name} {{ width: {100 * share:g}%; }}\n"
        for name, share in COLUMNS.items()
    )
    return f"""
#card {{ display: none; }}
.print-note {{ color: var(--muted); font-size: .85rem; margin: 0 0 12px; }}
@media print {{
  @page {{ size: {size}; margin: {PAGE_MARGIN_MM}mm; }}
  html, body {{ background: #fff; }}
  main {{ max-width: none; padding: 0; margin: 0; }}
  main > :not(#card) {{ display: none !important; }}
  #card {{ display: block; color: #000; font-family: "Helvetica Neue", Helvetica, Arial,
    "Liberation Sans", system-ui, sans-serif; line-height: {LINE}; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
.card-week {{ break-before: page; page-break-before: always; }}
.card-week:first-child {{ break-before: auto; page-break-before: auto; }}
.card-head {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 4mm;
  border-bottom: 0.6mm solid #000; padding-bottom: 1.5mm; margin-bottom: 2mm; }}
.card-title {{ font-size: {WEEK_PT}pt; font-weight: 800; margin: 0; }}
.card-phase {{ font-weight: 600; }}
.card-dates {{ font-size: {DATES_PT}pt; }}
.card-who {{ font-size: {DATES_PT}pt; margin-left: auto; color: #333; }}
.card-howto {{ font-size: {HOWTO_PT}pt; color: #333; margin: 0 0 3mm; }}
.card-session {{ margin: 0 0 4mm; break-inside: avoid; }}
.card-session h3 {{ font-size: {SESSION_PT}pt; margin: 0 0 1.5mm; }}
.card-session h3 .cd-kind {{ display: inline-block; font-size: {HEAD_PT + 1}pt; font-weight: 700;
  text-transform: uppercase; letter-spacing: .04em; border: 0.3mm solid #000;
  border-radius: 1mm; padding: 0 1.2mm; margin-left: 1.5mm; vertical-align: 0.4mm; }}
.card-session.hard h3 .cd-kind {{ background: #000; color: #fff; }}
.card-session h3 .cd-meta {{ font-size: {DATES_PT}pt; font-weight: 400; margin-left: 1.5mm; }}
table.card-table {{ width: 100%; table-layout: fixed; border-collapse: collapse; }}
{columns}table.card-table th, table.card-table td {{ border: 0.3mm solid #555;
  padding: {PAD_MM}mm {PAD_MM + 0.4}mm; vertical-align: top; text-align: left; }}
table.card-table th {{ font-size: {HEAD_PT}pt; font-weight: 700; text-transform: uppercase;
  letter-spacing: .03em; background: #e5e7eb; }}
table.card-table td.cd-no {{ font-size: {NAME_PT}pt; font-weight: 800; text-align: center; }}
table.card-table .cd-name {{ font-size: {NAME_PT}pt; font-weight: 700; }}
table.card-table td.cd-rx {{ font-size: {RX_PT}pt; font-weight: 700; }}
table.card-table .cd-rest {{ display: block; font-size: {REST_PT}pt; font-weight: 400; }}
table.card-table td.cd-target {{ font-size: {TARGET_PT}pt; }}
table.card-table .cd-why {{ display: block; font-size: {WHY_PT}pt; color: #333; }}
table.card-table td.cd-blank {{ background: #fff; }}
table.card-table tr.cd-cue td {{ font-size: {CUE_PT}pt; font-style: italic; color: #222;
  border-top: none; padding-top: 0; }}
table.card-table tr.cd-main td.cd-ex, table.card-table tr.cd-main td.cd-rx,
table.card-table tr.cd-main td.cd-target {{ border-bottom: none; }}
table.card-table tr.cd-note td {{ font-size: {NOTE_PT}pt; background: #eef2ff;
  border-left: 1.2mm solid #1d4ed8; }}
.card-empty {{ font-size: {SESSION_PT}pt; font-style: italic; }}
"""


# --- the fit: how far a week's page must shrink ---------------------------------------------


def _char_mm(points: float, bold: bool = False) -> float:
    """The average width of a character of running English text (Arial-like metrics)."""
    return points * PT_MM * (0.53 if bold else 0.48)


def _lines(text: str, width_mm: float, points: float, bold: bool = False) -> int:
    """Lines `text` takes in a box `width_mm` wide, wrapped word by word."""
    if not text:
        return 0
    char = _char_mm(points, bold)
    lines, used = 1, 0.0
    for word in text.split():
        width = len(word) * char
        if used and used + char + width > width_mm:
            lines += 1 + int(width // width_mm)
            used = width % width_mm
        else:
            used += (char if used else 0) + width
    return lines


def _height_mm(points: float, lines: int) -> float:
    return lines * points * LINE * PT_MM


@dataclass(frozen=True)
class _Row:
    """What an item row holds, as text, for the estimate."""

    name: str
    rx: str
    rest: str
    target: str
    why: str
    cue: str
    note: str


def _rows(session: Session) -> list[_Row]:
    return [
        _Row(
            line.item.name,
            sets_reps(line),
            rest_note(line),
            what_to_lift(line.item),
            target_load_why(line.item),
            line.item.cue,
            line.pair_note,
        )
        for line in item_lines(session)
    ]


def _row_height_mm(row: _Row, width_mm: float) -> float:
    inner = 2 * (PAD_MM + 0.4)
    exercise = width_mm * (1 - sum(COLUMNS.values()))
    rx, target = width_mm * COLUMNS["rx"], width_mm * COLUMNS["target"]
    main = max(
        _height_mm(NAME_PT, _lines(row.name, exercise - inner, NAME_PT, bold=True)),
        _height_mm(RX_PT, _lines(row.rx, rx - inner, RX_PT, bold=True))
        + _height_mm(REST_PT, _lines(row.rest, rx - inner, REST_PT)),
        _height_mm(TARGET_PT, _lines(row.target, target - inner, TARGET_PT))
        + _height_mm(WHY_PT, _lines(row.why, target - inner, WHY_PT)),
    )
    height = main + 2 * PAD_MM
    cue_width = exercise + rx + target - inner
    height += _height_mm(CUE_PT, _lines(row.cue, cue_width, CUE_PT)) + PAD_MM
    if row.note:
        height += _height_mm(NOTE_PT, _lines(row.note, width_mm - inner, NOTE_PT)) + 2 * PAD_MM
    return height


def week_height_mm(sessions: Iterable[Session], width_mm: float = PAGE_WIDTH_MM) -> float:
    """The estimated height of a week's page laid out `width_mm` wide, before any zoom."""
    height = _height_mm(WEEK_PT, 1) + _height_mm(DATES_PT, 1) + 7
    height += _height_mm(HOWTO_PT, _lines(HOWTO, width_mm, HOWTO_PT)) + 3
    for session in sessions:
        height += _height_mm(SESSION_PT, 1) + 1.5 + 4  # heading, its gap, the gap after
        height += _height_mm(HEAD_PT, 1) + 2 * PAD_MM  # the table's header
        height += sum(_row_height_mm(row, width_mm) for row in _rows(session))
    return height


def week_zoom(sessions: list[Session]) -> float:
    """The largest zoom (LARGEST_ZOOM, ... in steps of 0.02, down to SMALLEST_ZOOM) at which
    the week's estimated height fits a page of either paper: a short week prints larger, a
    crowded one smaller. Zoomed, the layout is 1/zoom times as wide, so the text wraps
    differently: each step lays the week out again."""
    return fitting_zoom(
        lambda width: week_height_mm(sessions, width), PAGE_WIDTH_MM,
        PAGE_HEIGHT_MM - SAFETY_MM, LARGEST_ZOOM, SMALLEST_ZOOM,
    )  # fmt: skip


def fitting_zoom(
    height_mm: Callable[[float], float],
    width_mm: float,
    budget_mm: float,
    largest: float,
    smallest: float,
) -> float:
    """The largest zoom (`largest`, ... in steps of 0.02, down to `smallest`) at which a
    page's height, laid out `width_mm / zoom` wide (`height_mm` of that width), fits
    `budget_mm` once zoomed; `smallest` when none does."""
    zoom = largest
    while zoom > smallest:
        if zoom * height_mm(width_mm / zoom) <= budget_mm:
            return zoom
        zoom = round(zoom - 0.02, 2)
    return smallest


# --- the card -----------------------------------------------------------------------------


def sets_reps(line: ItemLine) -> str:
    """`3 × 8/side`."""
    return f"{line.item.sets} × {line.item.reps}"


def rest_note(line: ItemLine) -> str:
    """What follows a set: `rest 90 s`, `straight into A2`, or nothing."""
    if line.first_of_pair:
        return f"straight into {line.pair}2"
    if line.rest_s:
        return f"rest {line.rest_s} s"
    return "no rest" if line.pair else ""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def card_html(plan: Plan, options: ExportOptions) -> str:
    """The card's markup: a block per week printed, each a page."""
    unit = run_unit(plan, options)
    days_by_week = week_of_day(plan)
    athlete = athlete_name(plan) or plan.scenario
    weeks = coming_weeks(plan, options.weeks, options.today)
    pages = [_week_html(week, days_by_week.get(week.index, []), unit, athlete) for week in weeks]
    return f'<div id="card" aria-label="Training card">{"".join(pages)}</div>'


def _week_html(week: WeekPlan, days: list[DayPlan], unit: str, athlete: str) -> str:
    sessions = [(day, day.session) for day in days if day.session is not None]
    zoom = week_zoom([session for _, session in sessions])
    first, last = (days[0].date, days[-1].date) if days else (week.start, week.start)
    count = len(sessions)
    minutes = sum(session.minutes for _, session in sessions)
    head = (
        '<header class="card-head">'
        f'<h2 class="card-title">Week {week.index} '
        f'<span class="card-phase">· {esc(week_label(week))}</span></h2>'
        f'<span class="card-dates">{first:%a %d %b} to {last:%a %d %b %Y} · {count} '
        f"session{'s' if count != 1 else ''} · {minutes} min</span>"
        f'<span class="card-who">{esc(athlete)}</span></header>'
        f'<p class="card-howto">{esc(HOWTO)}</p>'
    )
    body = (
        "".join(_session_html(day, session, unit) for day, session in sessions)
        or '<p class="card-empty">No gym session this week.</p>'
    )
    style = f' style="zoom:{zoom:g}"' if zoom != 1 else ""
    return f'<div class="card-week" data-week="{week.index}"{style}>{head}{body}</div>'


def _session_html(day: DayPlan, session: Session, unit: str) -> str:
    kind = "hard" if session.hard else "light"
    after = ", after the run" if session.after_run else ""
    heading = (
        f'<h3>{day.date:%a %d %b}<span class="cd-kind">{kind}</span>'
        f'<span class="cd-meta">{session.minutes} min · run: {esc(run_label(day.run, unit))}'
        f"{after}</span></h3>"
    )
    colgroup = (
        '<colgroup><col class="c-no"><col class="c-ex"><col class="c-rx"><col class="c-target">'
        '<col class="c-used"><col class="c-rpe"></colgroup>'
    )
    head = (
        "<thead><tr><th></th><th>Exercise</th><th>Sets × reps</th><th>Target load</th>"
        "<th>Load used</th><th>RPE</th></tr></thead>"
    )
    rows = "".join(_line_rows(line) for line in item_lines(session))
    return (
        f'<div class="card-session {kind}">{heading}<table class="card-table">'
        f"{colgroup}{head}<tbody>{rows}</tbody></table></div>"
    )


def _line_rows(line: ItemLine) -> str:
    """An item's two rows: what to do (the blank cells span both) and its cue; a pair's
    instruction before its first item."""
    item = line.item
    note = ""
    if line.pair_note:
        label, _, how = line.pair_note.partition(": ")
        note = (
            f'<tr class="cd-note"><td colspan="6"><strong>{esc(label)}</strong>: '
            f"{esc(how)}</td></tr>"
        )
    rest = rest_note(line)
    rest_html = f'<span class="cd-rest">{esc(rest)}</span>' if rest else ""
    why = target_load_why(item)
    why_html = f'<span class="cd-why">{esc(why)}</span>' if why else ""
    return (
        f'{note}<tr class="cd-main"><td class="cd-no" rowspan="2">{esc(line.label)}</td>'
        f'<td class="cd-ex"><span class="cd-name">{esc(item.name)}</span></td>'
        f'<td class="cd-rx">{esc(sets_reps(line))}{rest_html}</td>'
        f'<td class="cd-target">{esc(what_to_lift(item))}{why_html}</td>'
        '<td class="cd-blank" rowspan="2"></td><td class="cd-blank" rowspan="2"></td></tr>'
        f'<tr class="cd-cue"><td colspan="3">{esc(item.cue)}</td></tr>'
    )


def pages(plan: Plan, options: ExportOptions) -> int:
    """How many pages the card prints: one per week printed."""
    return len(coming_weeks(plan, options.weeks, options.today))
