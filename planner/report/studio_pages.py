"""The studio's pages for people (FORMATS.md, "Studio file"): a class sheet per class date,
the studio page and the calendar of the classes.

- `class-YYYY-MM-DD-ID.md` and `.html`, for every class date with at least one attendee:
  the class, its kit and places taken; the room's plan (`planner.pipeline.studio_room`):
  each block of the template with its minutes and the room's exercises, and how many do
  each; then each attendee's items (A1/A2 for a pair, sets × reps, rest, what to lift),
  each marked as the room's exercise or their own variant with the reason; and the date's
  waitlist. The HTML sheet prints on one page where an estimate of its rows allows (it
  shrinks a crowded sheet, down to SMALLEST_ZOOM).
- `studio.html`: the block's weeks as a grid of the class slots (each date's places taken,
  its roster linking each athlete's report `ID.html`, its class sheet, or that it is
  cancelled); then the athletes, the waitlists, how the studio was planned and how much of
  each block the room does together. One self-contained file with the plan report's style.
- `studio.ics`: an event per class date with at least one attendee, in floating local
  time at the class's start, for the class's minutes, its roster in the description. UIDs
  are stable (studio, class and date), so that importing a new plan updates the events.

User text goes through the plan exports' escaping: `html.escape` for HTML, the Markdown
export's `escape`, the `icalendar` library for the calendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import quote

import icalendar

from planner import __version__
from planner.domain.studio import ClassDate, StudioClass
from planner.pipeline.studio import AthletePlan, StudioPlan
from planner.pipeline.studio_room import (
    Attendee,
    AttendeeItem,
    Block,
    RoomPlan,
    booked_classes,
    room_plan,
    room_share,
)
from planner.report.export.card import fitting_zoom, rest_note, sets_reps
from planner.report.export.common import ItemLine, item_lines, what_to_lift
from planner.report.export.to_html import CATEGORY_COLOURS, esc
from planner.report.export.to_html import CSS as REPORT_CSS
from planner.report.export.to_ics import PRODID
from planner.report.export.to_markdown import escape as md
from planner.vocabulary import WEEKDAYS


def sheet_name(held: ClassDate, suffix: str) -> str:
    """`class-2027-01-04-mon-0630.html`."""
    return f"class-{held.date:%Y-%m-%d}-{held.class_id}{suffix}"


def report_link(athlete_id: str) -> str:
    """The athlete's report, beside the studio's pages."""
    return f"{quote(athlete_id)}.html"


def _times(held: ClassDate) -> str:
    return f"{held.starts:%H:%M}-{held.ends:%H:%M}"


def _mark(marked: AttendeeItem) -> str:
    """`room`, or `variant of X: why`."""
    if marked.room:
        return "room"
    instead = f" of {marked.instead_of}" if marked.instead_of else ""
    return f"variant{instead}: {marked.reason}"


def _lines(attendee: Attendee) -> list[tuple[ItemLine, AttendeeItem]]:
    """The attendee's items as a gym sheet numbers them (A1/A2 for a pair), with the room's
    marks."""
    marks = {id(marked.item): marked for marked in attendee.items}
    return [(line, marks[id(line.item)]) for line in item_lines(attendee.session)]


def _session_line(attendee: Attendee) -> str:
    session, day = attendee.session, attendee.day
    kind = "hard" if session.hard else "light"
    return f"{kind} session, {session.minutes} min · week {day.week}, {day.phase}"


def _doing(room: RoomPlan, doing: int) -> str:
    return f"{doing} of {len(room.attendees)} do it"


# --- the class sheet: Markdown --------------------------------------------------------------


def class_sheet_md(result: StudioPlan, room: RoomPlan) -> str:
    """The class sheet of one class date as Markdown."""
    held = room.held
    out = [
        f"# {md(result.studio.name)}: class {md(held.class_id)}",
        "",
        f"**{held.date:%a %d %b %Y}**, {_times(held)} ({held.slot.minutes} min) · "
        f"{len(room.attendees)} of {room.capacity} places taken  ",
        f"Room kit: {md(', '.join(result.studio.kit) or 'bodyweight only')}",
        "",
        "## The room's plan",
        "",
        "| Block | Minutes | The room's exercise | Doing it |",
        "|---|---:|---|---:|",
    ]
    for block in room.blocks:
        for position, exercise in enumerate(block.room):
            first = position == 0
            out.append(
                f"| {block.category if first else ''} | {block.minutes if first else ''} | "
                f"{md(exercise.name)} | {_doing(room, exercise.doing)} |"
            )
    out += ["", "## Attendees", ""]
    for attendee in room.attendees:
        out += [
            f"### {md(attendee.name)}",
            "",
            f"{md(_session_line(attendee))} · [their plan]({report_link(attendee.id)})",
            "",
            "| | Exercise | Sets × reps | Rest | Load | Room or variant |",
            "|---|---|---|---|---|---|",
        ]
        for line, marked in _lines(attendee):
            item = line.item
            out.append(
                f"| {md(line.label)} | {md(item.name)} ({item.category}) | "
                f"{md(sets_reps(line))} | {md(rest_note(line) or '-')} | "
                f"{md(what_to_lift(item))} | {md(_mark(marked))} |"
            )
        out.append("")
    if room.waitlist:
        out += ["## Waitlist", ""]
        out += [
            f"{place}. {md(name)} (the seat is worth {worth:.1f} benefit points to them)"
            for place, (_, name, worth) in enumerate(room.waitlist, start=1)
        ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- the class sheet: HTML ------------------------------------------------------------------

# The printed sheet: sizes in pt and mm, shared by its print CSS and the estimate of its
# height. It is laid out for the narrower page of A4 and US Letter (190 mm inside 10 mm
# margins) and must fit the shorter (259 mm), with SAFETY_MM kept for the estimate's errors.
PT_MM = 25.4 / 72
PAGE_MARGIN_MM = 10
PRINT_WIDTH_MM = 210 - 2 * PAGE_MARGIN_MM
PRINT_HEIGHT_MM = 279 - 2 * PAGE_MARGIN_MM
SAFETY_MM = 12
SMALLEST_ZOOM = 0.6  # a crowded sheet shrinks this far, then takes a second page
BODY_PT, SMALL_PT, H1_PT, H2_PT, H3_PT = 9.5, 8, 15, 11.5, 10.5
LINE = 1.25  # line height, in font sizes
PAD_MM = 0.7  # a cell's padding, top and bottom
# Column widths of an attendee's table and of the room's plan, as shares of the page.
ITEM_COLUMNS = {"no": 0.04, "exercise": 0.22, "sets": 0.11, "rest": 0.1, "load": 0.23, "mark": 0.3}
ROOM_COLUMNS = {"block": 0.12, "minutes": 0.08, "exercises": 0.8}


def _wrapped(text: str, width_mm: float, points: float) -> int:
    """Lines `text` takes in a cell `width_mm` wide: characters at a little over the average
    width of running text, which also covers the room lost at word breaks."""
    per_line = max(1, int((width_mm - 2.4) / (points * PT_MM * 0.52)))
    return max(1, -(-len(text) // per_line))


def _rows_mm(points: float, lines: int) -> float:
    return lines * points * LINE * PT_MM


def _cell_row_mm(cells: list[tuple[str, float, float]]) -> float:
    """A table row's height: its tallest cell of (text, width mm, points)."""
    tallest = max(_rows_mm(points, _wrapped(text, width, points)) for text, width, points in cells)
    return tallest + 2 * PAD_MM


def _room_text(room: RoomPlan, block: Block) -> str:
    return " · ".join(
        f"{exercise.name} ({_doing(room, exercise.doing)})" for exercise in block.room
    )


def sheet_height_mm(room: RoomPlan, width_mm: float = PRINT_WIDTH_MM) -> float:
    """An estimate of the printed sheet's height laid out `width_mm` wide, before any zoom:
    its heading, the room's plan (a row per block), each attendee's heading and items (a
    pair's instruction a row of its own), and the waitlist."""
    item = {name: share * width_mm for name, share in ITEM_COLUMNS.items()}
    height = _rows_mm(H1_PT, 1) + 2 * _rows_mm(BODY_PT, 1) + 4
    height += _rows_mm(H2_PT, 1) + 3 + _cell_row_mm([("Block", width_mm, BODY_PT)])
    for block in room.blocks:
        exercises = ROOM_COLUMNS["exercises"] * width_mm
        height += _cell_row_mm([(_room_text(room, block), exercises, BODY_PT)])
    height += _rows_mm(H2_PT, 1) + 3
    for attendee in room.attendees:
        height += _rows_mm(H3_PT, 1) + _rows_mm(BODY_PT, 1) + 3
        height += _cell_row_mm([("Sets × reps", item["sets"], BODY_PT)])
        for line, marked in _lines(attendee):
            if line.pair_note:
                height += _cell_row_mm([(line.pair_note, width_mm, SMALL_PT)])
            height += _cell_row_mm([
                (line.item.name, item["exercise"], BODY_PT),
                (sets_reps(line), item["sets"], BODY_PT),
                (rest_note(line), item["rest"], BODY_PT),
                (what_to_lift(line.item), item["load"], BODY_PT),
                (_mark(marked), item["mark"], SMALL_PT),
            ])  # fmt: skip
    if room.waitlist:
        height += _rows_mm(H2_PT, 1) + 3 + len(room.waitlist) * _rows_mm(BODY_PT, 1)
    return height


def print_zoom(room: RoomPlan) -> float:
    """The largest zoom (1, 0.98, ... down to SMALLEST_ZOOM) at which the sheet's estimated
    height fits one page; a longer sheet takes a second page. Zoomed, the layout is 1/zoom
    times as wide, so the text wraps less: each step lays the sheet out again."""
    return fitting_zoom(
        lambda width: sheet_height_mm(room, width), PRINT_WIDTH_MM,
        PRINT_HEIGHT_MM - SAFETY_MM, 1.0, SMALLEST_ZOOM,
    )  # fmt: skip


def sheet_css(zoom: float) -> str:
    """The sheet's own styles on top of the plan report's: on screen, and in print with the
    sizes the estimate uses, shrunk by `zoom`."""
    columns = "".join(
        f"table.{table} col.c-{name} {{ width: {100 * width:g}%; }}\n"
        for table, widths in (("items", ITEM_COLUMNS), ("room", ROOM_COLUMNS))
        for name, width in widths.items()
    )
    return f"""
.meta {{ color: var(--muted); margin: 0; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
table.room td.block {{ white-space: nowrap; }}
.doing {{ color: var(--muted); white-space: nowrap; }}
article.attendee {{ margin-top: 14px; break-inside: avoid; page-break-inside: avoid; }}
article.attendee h3 {{ margin: 0 0 2px; }}
article.attendee h3 a {{ font-size: .8rem; font-weight: 400; margin-left: 6px; }}
tr.variant td.mark {{ color: #b45309; }}
tr.room td.mark {{ color: #047857; }}
tr.pair-note td {{ background: #eef2ff; font-size: .8rem; }}
td.mark {{ font-size: .8rem; }}
@media print {{
  @page {{ size: auto; margin: {PAGE_MARGIN_MM}mm; }}
  html, body {{ background: #fff; }}
  body {{ font-size: {BODY_PT}pt; line-height: {LINE}; }}
  main {{ max-width: none; padding: 0; margin: 0;{f" zoom: {zoom:g};" if zoom != 1 else ""} }}
  header.hero, section {{ border: none; padding: 0; margin: 0 0 2mm; border-radius: 0; }}
  h1 {{ font-size: {H1_PT}pt; margin: 0; }}
  h2 {{ font-size: {H2_PT}pt; margin: 1mm 0 2mm; }}
  h3 {{ font-size: {H3_PT}pt; }}
  table {{ table-layout: fixed; width: 100%; font-size: {BODY_PT}pt; }}
  {columns}
  th, td {{ padding: {PAD_MM}mm 1.2mm; line-height: {LINE}; }}
  td.mark, tr.pair-note td {{ font-size: {SMALL_PT}pt; }}
  table.items .cat {{ display: none; }}
  article.attendee {{ margin-top: 3mm; }}
  a {{ color: inherit; text-decoration: none; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


def _page(title: str, body: str, extra_css: str) -> str:
    generated = f'<meta name="generator" content="planner {esc(__version__)}">'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{generated}<title>{esc(title)}</title><style>{REPORT_CSS}{extra_css}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _category(category: str) -> str:
    colour = CATEGORY_COLOURS.get(category, "#64748b")
    return f'<span class="cat" style="background:{colour}">{esc(category)}</span>'


def _colgroup(widths: dict[str, float]) -> str:
    return "<colgroup>" + "".join(f'<col class="c-{name}">' for name in widths) + "</colgroup>"


def _room_table(room: RoomPlan) -> str:
    rows = []
    for block in room.blocks:
        exercises = " · ".join(
            f'<span class="exercise">{esc(exercise.name)}</span> '
            f'<span class="doing">({esc(_doing(room, exercise.doing))})</span>'
            for exercise in block.room
        )
        rows.append(
            f'<tr data-block="{esc(block.category)}"><td class="block">'
            f'{_category(block.category)}</td><td class="num">{block.minutes}</td>'
            f"<td>{exercises}</td></tr>"
        )
    return (
        '<section id="room"><h2>The room\'s plan</h2><table class="room">'
        f"{_colgroup(ROOM_COLUMNS)}<thead><tr><th>Block</th><th>Minutes</th>"
        "<th>The room's exercises, in order</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _attendee_html(attendee: Attendee) -> str:
    rows = []
    for line, marked in _lines(attendee):
        item = line.item
        if line.pair_note:
            rows.append(f'<tr class="pair-note"><td colspan="6">{esc(line.pair_note)}</td></tr>')
        kind = "room" if marked.room else "variant"
        rows.append(
            f'<tr class="{kind}"><td>{esc(line.label)}</td><td>{esc(item.name)} '
            f"{_category(item.category)}</td><td>{esc(sets_reps(line))}</td>"
            f"<td>{esc(rest_note(line) or '-')}</td><td>{esc(what_to_lift(item))}</td>"
            f'<td class="mark">{esc(_mark(marked))}</td></tr>'
        )
    return (
        f'<article class="attendee" data-athlete="{esc(attendee.id)}">'
        f'<h3>{esc(attendee.name)}<a href="{esc(report_link(attendee.id))}">their plan</a></h3>'
        f'<p class="meta">{esc(_session_line(attendee))}</p>'
        f'<table class="items">{_colgroup(ITEM_COLUMNS)}<thead><tr><th></th><th>Exercise</th>'
        "<th>Sets × reps</th><th>Rest</th><th>Load</th><th>Room or variant</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></article>"
    )


def class_sheet_html(result: StudioPlan, room: RoomPlan) -> str:
    """The class sheet of one class date as a self-contained HTML page."""
    held = room.held
    kit = ", ".join(result.studio.kit) or "bodyweight only"
    header = (
        f'<header class="hero"><h1>{esc(result.studio.name)}: class {esc(held.class_id)}</h1>'
        f'<p class="meta"><strong>{held.date:%a %d %b %Y}</strong>, {_times(held)} '
        f'({held.slot.minutes} min) · <span class="seats">{len(room.attendees)} of '
        f"{room.capacity}</span> places taken</p>"
        f'<p class="meta">Room kit: {esc(kit)}</p></header>'
    )
    attendees = "".join(_attendee_html(attendee) for attendee in room.attendees)
    waitlist = ""
    if room.waitlist:
        names = "".join(
            f"<li>{esc(name)} (the seat is worth {worth:.1f} benefit points to them)</li>"
            for _, name, worth in room.waitlist
        )
        waitlist = f'<section id="waitlist"><h2>Waitlist</h2><ol>{names}</ol></section>'
    body = (
        f'{header}{_room_table(room)}<section id="attendees"><h2>Attendees</h2>'
        f"{attendees}</section>{waitlist}"
    )
    title = f"{result.studio.name}: class {held.class_id}, {held.date:%a %d %b %Y}"
    return _page(title, body, sheet_css(print_zoom(room)))


def class_sheets(result: StudioPlan) -> dict[str, str]:
    """A class sheet, Markdown and HTML, for every class date with at least one attendee."""
    files: dict[str, str] = {}
    for held in booked_classes(result):
        room = room_plan(result, (held.date, held.class_id))
        files[sheet_name(held, ".md")] = class_sheet_md(result, room)
        files[sheet_name(held, ".html")] = class_sheet_html(result, room)
    return files


# --- the studio page ------------------------------------------------------------------------

STUDIO_CSS = """
table.grid { table-layout: fixed; min-width: 560px; }
table.grid th.week { width: 110px; }
table.grid th.week .dates { display: block; color: var(--muted); font-weight: 400;
  font-size: .75rem; }
td.slot .date { color: var(--muted); font-size: .75rem; }
td.slot.cancelled { background:
  repeating-linear-gradient(45deg, #f8fafc, #f8fafc 6px, #fee2e2 6px, #fee2e2 12px); }
td.slot.cancelled .state { color: #991b1b; font-weight: 600; }
td.slot.full .seats { color: #b45309; }
.seats { font-weight: 600; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 60px; height: 7px; background: var(--line);
  border-radius: 4px; overflow: hidden; vertical-align: 1px; margin-left: 4px; }
.bar > span { display: block; height: 100%; background: var(--accent); }
ul.roster { list-style: none; margin: 2px 0; padding: 0; font-size: .82rem; }
.wait { color: var(--muted); font-size: .75rem; }
a.sheet { font-size: .75rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.mode { color: var(--muted); }
"""


def _slot_date(result: StudioPlan, week: int, slot: StudioClass) -> dt.date:
    """The date of `slot` in block week `week` (0 for the first)."""
    first = result.studio.block.start + dt.timedelta(days=7 * week)
    return first + dt.timedelta(days=(WEEKDAYS.index(slot.day) - first.weekday()) % 7)


def _bar(share: float) -> str:
    width = max(0.0, min(1.0, share)) * 100
    return f'<span class="bar"><span style="width:{width:.0f}%"></span></span>'


def _cell(result: StudioPlan, date: dt.date, slot: StudioClass, cancelled: bool) -> str:
    attributes = f'data-date="{date.isoformat()}" data-class="{esc(slot.id)}"'
    day = f'<div class="date">{date:%a %d %b}</div>'
    if cancelled:
        return (
            f'<td class="slot cancelled" {attributes}>{day}<div class="state">cancelled</div></td>'
        )
    by_id = result.by_id()
    roster = result.rosters.get((date, slot.id), [])
    taken = len(roster)
    state = " full" if taken >= slot.capacity else (" empty" if not taken else "")
    names = "".join(
        f'<li><a href="{esc(report_link(a))}">{esc(by_id[a].member.name)}</a></li>' for a in roster
    )
    queue = result.waitlist.get((date, slot.id), [])
    waiting = ", ".join(by_id[a].member.name for a, _ in queue)
    wait = f'<div class="wait">waitlist: {esc(waiting)}</div>' if queue else ""
    held = ClassDate(date, slot)
    sheet = (
        f'<a class="sheet" href="{esc(sheet_name(held, ".html"))}">class sheet</a>'
        if taken
        else '<div class="wait">no one booked</div>'
    )
    return (
        f'<td class="slot{state}" {attributes}>{day}<div class="seats">'
        f'<span class="taken">{taken}/{slot.capacity}</span>{_bar(taken / slot.capacity)}</div>'
        f'<ul class="roster">{names}</ul>{wait}{sheet}</td>'
    )


def weeks_grid_html(result: StudioPlan) -> str:
    """The block's weeks (rows) by the class slots (columns)."""
    studio = result.studio
    cancelled = {(item.date, item.class_) for item in studio.cancelled}
    head = "".join(
        f'<th>{esc(slot.id)}<span class="meta"> · {slot.day.capitalize()} '
        f"{slot.start:%H:%M}, {slot.minutes} min, {slot.capacity} places</span></th>"
        for slot in studio.classes
    )
    rows = []
    for week in range(studio.block.weeks):
        first = studio.block.start + dt.timedelta(days=7 * week)
        last = first + dt.timedelta(days=6)
        cells = "".join(
            _cell(result, date, slot, (date, slot.id) in cancelled)
            for slot in studio.classes
            for date in [_slot_date(result, week, slot)]
        )
        rows.append(
            f'<tr><th class="week">Week {week + 1}<span class="dates">{first:%d %b} to '
            f"{last:%d %b}</span></th>{cells}</tr>"
        )
    return (
        '<section id="weeks"><h2>Classes</h2><div class="scroll"><table class="grid"><thead>'
        f'<tr><th class="week">Week</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></div></section>"
    )


def _athlete_row(athlete: AthletePlan) -> str:
    name = esc(athlete.member.name)
    if athlete.plan is None:
        why = athlete.message.splitlines()[0] if athlete.message else athlete.status
        return (
            f'<tr data-athlete="{esc(athlete.member.id)}"><td>{name}</td>'
            f"<td>{esc(athlete.status)}</td><td></td><td></td><td></td><td></td><td></td>"
            f"<td>{esc(why)}</td></tr>"
        )
    return (
        f'<tr data-athlete="{esc(athlete.member.id)}">'
        f'<td><a href="{esc(report_link(athlete.member.id))}">{name}</a></td>'
        f"<td>{esc(athlete.status)}</td><td>{esc(athlete.weekly_classes())}</td>"
        f'<td class="num">{athlete.ratio:.3f}</td><td class="num">{athlete.solo_ratio:.3f}</td>'
        f'<td class="num">{athlete.missed}</td><td>{"yes" if athlete.resolved else "no"}</td>'
        "<td></td></tr>"
    )


def athletes_html(result: StudioPlan) -> str:
    rows = "".join(_athlete_row(athlete) for athlete in result.athletes)
    return (
        '<section id="athletes"><h2>Athletes</h2><div class="scroll"><table><thead><tr>'
        "<th>Athlete</th><th>Status</th><th>Classes each week</th><th>Benefit per min</th>"
        "<th>Alone</th><th>Missed floor</th><th>Solved again</th><th>Why no plan</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
        '<p class="meta">Benefit per minute against the athlete\'s best plan alone, with every '
        "class open; missed floor: the weeks their plan misses R13, R16 or R19; solved again: "
        "after losing a seat.</p></section>"
    )


def waitlists_html(result: StudioPlan) -> str:
    by_id = result.by_id()
    if not result.waitlist:
        return '<section id="waitlists"><h2>Waitlists</h2><p class="empty">None.</p></section>'
    items = []
    for (date, class_id), queue in sorted(result.waitlist.items()):
        names = ", ".join(f"{by_id[a].member.name} ({worth:.1f})" for a, worth in queue)
        items.append(
            f'<li data-date="{date.isoformat()}" data-class="{esc(class_id)}">'
            f"<strong>{esc(class_id)} {date:%a %d %b}</strong>: {esc(names)}</li>"
        )
    return (
        '<section id="waitlists"><h2>Waitlists</h2><p class="meta">Best first; in brackets, '
        "what the seat is worth to the athlete (benefit points of the session it held).</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def share_html(result: StudioPlan) -> str:
    rows = []
    for category, (room, every) in room_share(result).items():
        share = room / every if every else 0.0
        rows.append(
            f'<tr data-block="{esc(category)}"><td>{_category(category)}</td>'
            f'<td class="num">{room} of {every}</td>'
            f'<td class="num">{100 * share:.0f} %{_bar(share)}</td></tr>'
        )
    body = (
        "<table><thead><tr><th>Block</th><th>Attendees' items that are the room's exercise"
        f"</th><th>Share</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">No class has attendees.</p>'
    )
    return (
        '<section id="share"><h2>The room together</h2><p class="meta">Over every class '
        "with attendees: the attendees' items that are the room's exercise (the one most "
        f"attendees do at its place in the block), per block.</p>{body}</section>"
    )


def studio_page(result: StudioPlan) -> dict[str, str]:
    """`studio.html`: the week grid, the athletes, the waitlists, the mode and the room's
    share."""
    studio = result.studio
    held = result.class_dates()
    seats = sum(h.slot.capacity for h in held)
    taken = sum(len(result.rosters.get((h.date, h.class_id), [])) for h in held)
    proof = "proven" if result.seats_optimal else "not proven"
    header = (
        f'<header class="hero"><h1>{esc(studio.name)}</h1><p class="subtitle">'
        f"{studio.block.start:%d %b %Y} to {studio.block.last_day:%d %b %Y} · "
        f"{len(result.athletes)} athletes · {len(held)} class dates · {taken} of {seats} "
        f"places taken</p>"
        f'<p class="mode">Mode: {esc(result.mode)} ({esc(result.engine)}). Seats: the '
        f"worst-off athlete kept {100 * result.worst_share:.0f} % of the seats' worth they "
        f"asked for ({proof}).</p></header>"
    )
    body = (
        header + weeks_grid_html(result) + athletes_html(result) + waitlists_html(result)
        + share_html(result)
        + f"<footer>Made by planner {esc(__version__)}</footer>"
    )  # fmt: skip
    return {"studio.html": _page(f"{studio.name}: classes", body, STUDIO_CSS)}


# --- the calendar ---------------------------------------------------------------------------


def class_uid(result: StudioPlan, held: ClassDate) -> str:
    """The same class date of the same studio always gets the same UID."""
    digest = hashlib.sha256(result.studio.name.encode()).hexdigest()[:16]
    return f"{held.date:%Y%m%d}-{held.class_id}-{digest}@planner"


def studio_calendar(result: StudioPlan, stamp: dt.datetime | None = None) -> dict[str, str]:
    """`studio.ics`: an event per class date with at least one attendee (see the module);
    `stamp` is the DTSTAMP (the current time when None)."""
    by_id = result.by_id()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", icalendar.vText(f"{result.studio.name}: classes"))
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    for held in booked_classes(result):
        roster = [by_id[a].member.name for a in result.rosters[held.date, held.class_id]]
        queue = result.waitlist.get((held.date, held.class_id), [])
        lines = [f"Roster ({len(roster)} of {held.slot.capacity}):", *roster]
        if queue:
            lines.append("Waitlist: " + ", ".join(by_id[a].member.name for a, _ in queue))
        lines.append(f"Class sheet: {sheet_name(held, '.html')}")
        event = icalendar.Event()
        event.add("uid", class_uid(result, held))
        event.add("dtstamp", stamp)
        event.add("dtstart", held.starts)
        event.add("dtend", held.ends)
        seats = f"{len(roster)}/{held.slot.capacity} seats"
        event.add("summary", f"{result.studio.name}: {held.class_id}, {seats}")
        event.add("description", "\n".join(lines))
        event.add("categories", ["Training"])
        calendar.add_component(event)
    return {"studio.ics": calendar.to_ical().decode("utf-8")}
