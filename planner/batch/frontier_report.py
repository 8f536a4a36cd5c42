"""The frontier for people: a terminal table, a CSV, an SVG chart, and an HTML page holding
both. Every format shows the same rows (`Frontier.rows`: the points and the efficiency
optimum, by minutes a week)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner import __version__
from planner.batch.frontier import ANY_DAY, EXTRA_DAY_MINUTES, Frontier, PerDay, Point
from planner.batch.summary import SQUAD_CSS
from planner.report.export.charts import FONT, GYM_COLOUR, MUTED, axis_top, esc
from planner.report.export.to_csv import neutralise

CSV_COLUMNS = (
    "cap_min_per_week", "status", "gap_percent", "kept_from", "benefit", "minutes",
    "min_per_week", "benefit_per_minute", "missed_targets", "marginal_benefit_per_min", "buys",
    "marks",
    "solve_s", "message",
)  # fmt: skip
BUYS = "what the added minutes buy"
Justify = Literal["left", "right"]
PER_DAY_COLUMNS: tuple[tuple[str, Justify], ...] = (
    ("day", "left"), ("status", "left"), ("gap %", "right"), ("benefit +", "right"),
    (BUYS, "left"),
)  # fmt: skip
COLUMNS: tuple[tuple[str, Justify], ...] = (
    ("cap min/wk", "right"), ("status", "left"), ("gap %", "right"), ("benefit", "right"),
    ("min/wk", "right"), ("benefit/min", "right"), ("missed", "right"), ("marginal", "right"),
    (BUYS, "left"), ("", "left"),
)  # fmt: skip
STATUS_STYLES = {"optimal": "green", "feasible": "yellow"}
EFFICIENCY_COLOUR = "#d97706"
KNEE_COLOUR = "#059669"


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _status(point: Point) -> str:
    if point.kept_from is not None:
        return f"{point.status}, kept from {point.kept_from}"
    return point.status


def _gap(point: Point) -> str:
    gap = point.gap
    if gap is None and point.cap is None and point.plan is not None:
        gap = point.plan.objective.gap()  # the efficiency optimum: its gap on the ratio
    return _number(None if gap is None else 100 * gap, 1)


def frontier_table(result: Frontier) -> Table:
    weeks = len(result.points[0].plan.weeks) if result.points and result.points[0].plan else 0
    table = Table(
        title=f"{result.scenario.name}: the most benefit within each weekly cap ({weeks} weeks)",
        title_justify="left",
    )
    for name, justify in COLUMNS:
        table.add_column(name, justify=justify, no_wrap=name != BUYS)
    for point in result.rows():
        style = STATUS_STYLES.get(point.status, "red")
        table.add_row(
            "solve" if point.cap is None else str(point.cap),
            Text(_status(point), style=style),
            _gap(point),
            _number(point.benefit, 1),
            _number(point.per_week, 0),
            _number(point.ratio, 3),
            str(point.missed) if point.plan else "",
            _number(point.marginal, 2),
            point.buys or _first_line(point.message),
            Text(", ".join(point.marks), style="bold"),
        )
    return table


def per_day_rows(per_day: PerDay) -> list[tuple[str, str, str, str, str]]:
    """(day, status, gap, benefit gained, what the minutes buy) for each weekday, most
    first. A gain smaller than the gaps is within what the solves left unproven."""
    rows = []
    for option in per_day.options:
        point = option.point
        gained = _number(option.gain, 1) if point.plan else ""
        label = option.day if option.day == ANY_DAY else f"+{EXTRA_DAY_MINUTES} min {option.day}"
        buys = option.buys or _first_line(point.message)
        rows.append((label, _status(point), _gap(point), gained, buys))
    return rows


def per_day_title(per_day: PerDay) -> str:
    return (
        f"{EXTRA_DAY_MINUTES} more minutes on one weekday: the most benefit within "
        f"{per_day.cap + EXTRA_DAY_MINUTES} min a week against {per_day.cap} "
        f"(benefit {per_day.reference.benefit:.1f}, {_status(per_day.reference)})"
    )


def per_day_table(per_day: PerDay) -> Table:
    table = Table(title=per_day_title(per_day), title_justify="left")
    for name, justify in PER_DAY_COLUMNS:
        table.add_column(name, justify=justify, no_wrap=name != BUYS)
    for day, status, gap, gained, buys in per_day_rows(per_day):
        style = STATUS_STYLES.get(status, "red")
        table.add_row(day, Text(status, style=style), gap, gained, buys)
    return table


def print_frontier(result: Frontier, console: Console) -> None:
    console.print(frontier_table(result))
    if result.per_day is not None:
        console.print(per_day_table(result.per_day))
        console.print(
            "benefit +: against the reference; a gain smaller than the solves' gaps is within "
            "what they left unproven.",
            style=MUTED,
            highlight=False,
        )
    console.print(
        "missed: dose targets missed, in weeks (R13 hard sessions, R16 minimum dose, R19 "
        "heavy sets); marginal: benefit per extra gym minute against the row above; `solve` is "
        "the plan `planner solve` writes (the most benefit per minute, the dose first). The knee "
        "is where more minutes start to buy markedly less; which point to train at is the "
        "coach's call.",
        style=MUTED,
        highlight=False,
    )
    console.print(
        f"{len(result.points) + 1} solves in {result.wall_s:.0f} s on {result.engine}.",
        style=MUTED,
        highlight=False,
    )


def frontier_csv(result: Frontier) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for point in result.rows():
        writer.writerow(
            {
                "cap_min_per_week": "" if point.cap is None else point.cap,
                "status": point.status,
                "gap_percent": _gap(point),
                "kept_from": "" if point.kept_from is None else point.kept_from,
                "benefit": _number(point.benefit, 2),
                "minutes": point.minutes,
                "min_per_week": _number(point.per_week, 1),
                "benefit_per_minute": _number(point.ratio, 4),
                "missed_targets": point.missed if point.plan else "",
                "marginal_benefit_per_min": _number(point.marginal, 4),
                "buys": neutralise(point.buys),
                "marks": "; ".join(point.marks),
                "solve_s": _number(point.solve_s, 1),
                "message": neutralise(point.message),
            }
        )
    return buffer.getvalue()


def frontier_svg(result: Frontier, width: int = 760) -> str:
    """Benefit against mean gym minutes a week: the frontier's line, the efficiency optimum
    and the knee marked."""
    height = 340
    left, right, top, bottom = 64, 24, 36, 48
    plot_width, plot_height = width - left - right, height - top - bottom
    rows = [p for p in result.rows() if p.plan is not None]
    x_top = axis_top(max((p.per_week for p in rows), default=0))
    y_top = axis_top(max((p.benefit for p in rows), default=0))

    def x_of(value: float) -> float:
        return left + plot_width * value / x_top

    def y_of(value: float) -> float:
        return top + plot_height * (1 - value / y_top)

    parts = [
        f'<svg class="chart frontier-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Benefit against gym minutes a week" {FONT} font-size="12">'
    ]
    for index in range(5):
        y_value, x_value = y_top * index / 4, x_top * index / 4
        y, x = y_of(y_value), x_of(x_value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
            'stroke="#94a3b8" stroke-opacity="0.35"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{y_value:g}</text>"
            f'<text x="{x:.1f}" y="{top + plot_height + 16}" text-anchor="middle" '
            f'fill="{MUTED}">{x_value:g}</text>'
        )
    line = [p for p in rows if p.cap is not None]
    path = " ".join(f"{x_of(p.per_week):.1f},{y_of(p.benefit):.1f}" for p in line)
    parts.append(
        f'<polyline class="frontier-line" points="{path}" fill="none" stroke="{GYM_COLOUR}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for point in rows:
        colour = GYM_COLOUR
        if point.cap is None:
            colour = EFFICIENCY_COLOUR
        elif "knee" in point.marks:
            colour = KNEE_COLOUR
        tip = (
            f"{'planner solve' if point.cap is None else f'cap {point.cap} min/wk'}: "
            f"{point.per_week:.0f} min/wk, benefit {point.benefit:.1f}, "
            f"{point.ratio:.3f}/min ({_status(point)})"
        )
        if point.marks:
            tip += f"; {', '.join(point.marks)}"
        radius = 6 if point.marks else 4
        parts.append(
            f'<circle cx="{x_of(point.per_week):.1f}" cy="{y_of(point.benefit):.1f}" '
            f'r="{radius}" fill="{colour}" stroke="#ffffff" stroke-width="1.5">'
            f"<title>{esc(tip)}</title></circle>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" '
        f'y2="{top + plot_height}" stroke="{MUTED}"/>'
        f'<text x="{left + plot_width / 2:.1f}" y="{height - 10}" text-anchor="middle" '
        f'fill="#0f172a">gym minutes a week (mean)</text>'
        f'<text x="{left}" y="20" fill="#0f172a">benefit over the block</text>'
        f'<circle cx="{left + plot_width - 230}" cy="16" r="5" fill="{EFFICIENCY_COLOUR}"/>'
        f'<text x="{left + plot_width - 220}" y="20" fill="#0f172a">efficiency optimum</text>'
        f'<circle cx="{left + plot_width - 90}" cy="16" r="5" fill="{KNEE_COLOUR}"/>'
        f'<text x="{left + plot_width - 80}" y="20" fill="#0f172a">knee</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def frontier_html(result: Frontier) -> str:
    """A single-file page: the chart and the table."""
    rows = []
    for point in result.rows():
        rows.append(
            "<tr>"
            f'<td class="num">{esc("solve" if point.cap is None else point.cap)}</td>'
            f"<td>{esc(_status(point))}</td>"
            f'<td class="num">{_gap(point)}</td>'
            f'<td class="num">{_number(point.benefit, 1)}</td>'
            f'<td class="num">{_number(point.per_week, 0)}</td>'
            f'<td class="num">{_number(point.ratio, 3)}</td>'
            f'<td class="num">{point.missed if point.plan else ""}</td>'
            f'<td class="num">{_number(point.marginal, 2)}</td>'
            f"<td>{esc(point.buys or _first_line(point.message))}</td>"
            f"<td><strong>{esc(', '.join(point.marks))}</strong></td>"
            "</tr>"
        )
    header = "".join(f"<th>{esc(name)}</th>" for name, _ in COLUMNS)
    days = ""
    if result.per_day is not None:
        cells = "".join(f"<th>{esc(name)}</th>" for name, _ in PER_DAY_COLUMNS)
        body = "\n".join(
            f'<tr><td>{esc(day)}</td><td>{esc(status)}</td><td class="num">{gap}</td>'
            f'<td class="num">{gained}</td><td>{esc(buys)}</td></tr>'
            for day, status, gap, gained, buys in per_day_rows(result.per_day)
        )
        days = (
            f"<h2>{esc(per_day_title(result.per_day))}</h2>\n"
            f'<div class="wrap"><table><thead><tr>{cells}</tr></thead>'
            f"<tbody>\n{body}\n</tbody></table></div>"
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = esc(result.scenario.name)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: what more gym time buys</title>
<style>{CSS}</style>
</head>
<body>
<h1>{title}: what more gym time buys</h1>
<p class="meta">Each row is the most benefit a plan can hold within that many gym minutes a
week, every coaching rule and the coach's say kept; `solve` is the plan with the most benefit
per minute. Made {stamp} by planner {esc(__version__)}: {len(result.points) + 1} solves in
{result.wall_s:.0f} s on {esc(result.engine)}.</p>
{frontier_svg(result)}
<div class="wrap"><table>
<thead><tr>{header}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table></div>
{days}
</body>
</html>
"""


# The squad summary's page style, with room for the chart.
CSS = (
    SQUAD_CSS
    + """
svg.chart { width: 100%; height: auto; max-width: 760px; display: block; margin: 0 0 1rem; }
"""
)
