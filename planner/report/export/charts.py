"""Inline SVG charts for the HTML report, drawn in Python (no JavaScript, no external files).

Every chart scales to its container (a `viewBox` and `width: 100%`), carries `role="img"`
and an `aria-label`, and has `<title>` tooltips. All text is escaped.
"""

from __future__ import annotations

import html
import math

from planner.domain.plan import WeekPlan

PHASE_COLOURS = {"base": "#2563eb", "build": "#d97706", "peak": "#dc2626", "taper": "#059669"}
PHASE_TINTS = {"base": "#dbeafe", "build": "#fef3c7", "peak": "#fee2e2", "taper": "#d1fae5"}
GYM_COLOUR = "#334155"
RUN_COLOUR = "#db2777"
MUTED = "#64748b"
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def phase_colour(phase: str) -> str:
    return PHASE_COLOURS.get(phase, MUTED)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def axis_top(largest: float, count: int = 4) -> float:
    """The top of an axis with `count` round steps that leaves headroom above `largest`."""
    return count * nice_ceiling(largest * 1.1 / count) if largest > 0 else float(count)


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * index / count for index in range(count + 1)]


def _label_every(n_weeks: int) -> int:
    return 1 if n_weeks <= 20 else 2 if n_weeks <= 40 else 4


def phase_segments(weeks: list[WeekPlan]) -> list[tuple[str, int, int]]:
    """(phase, first index, last index) of each run of weeks in one phase (0-based)."""
    segments: list[tuple[str, int, int]] = []
    for index, week in enumerate(weeks):
        if segments and segments[-1][0] == week.phase:
            segments[-1] = (week.phase, segments[-1][1], index)
        else:
            segments.append((week.phase, index, index))
    return segments


def phase_band_svg(weeks: list[WeekPlan], width: int = 760) -> str:
    """A strip of the block's weeks coloured by phase, deload weeks striped, phase names."""
    n_weeks = max(1, len(weeks))
    height, band_top, band_height = 62, 4, 30
    step = width / n_weeks
    parts = [
        f'<svg class="chart phase-band" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Phases of the block by week" {FONT} font-size="12">',
        '<defs><pattern id="deload-stripes" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="3" height="6" fill="#ffffff" fill-opacity="0.45"/></pattern></defs>',
    ]
    for index, week in enumerate(weeks):
        x = index * step
        tip = f"Week {week.index}: {week.phase}" + (", deload" if week.deload else "")
        parts.append(
            f'<rect x="{x:.1f}" y="{band_top}" width="{step:.1f}" height="{band_height}" '
            f'fill="{phase_colour(week.phase)}"><title>{esc(tip)}</title></rect>'
        )
        if week.deload:
            parts.append(
                f'<rect x="{x:.1f}" y="{band_top}" width="{step:.1f}" height="{band_height}" '
                'fill="url(#deload-stripes)"/>'
            )
        if index % _label_every(n_weeks) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 12}" text-anchor="middle" '
                f'fill="{MUTED}">{week.index}</text>'
            )
    for phase, first, last in phase_segments(weeks):
        span = (last - first + 1) * step
        if span >= 7 * len(phase) + 8:
            parts.append(
                f'<text x="{first * step + span / 2:.1f}" y="{band_top + band_height / 2 + 4:.1f}" '
                f'text-anchor="middle" fill="#ffffff" font-weight="600">{esc(phase)}</text>'
            )
    for index in range(1, n_weeks):
        parts.append(
            f'<line x1="{index * step:.1f}" y1="{band_top}" x2="{index * step:.1f}" '
            f'y2="{band_top + band_height}" stroke="#ffffff" stroke-opacity="0.6"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def volume_chart_svg(weeks: list[WeekPlan], unit: str = "", width: int = 760) -> str:
    """Gym minutes per week (bars, left axis) against run distance (line, right axis), on
    phase-coloured week bands."""
    n_weeks = max(1, len(weeks))
    height = 320
    left, right, top, bottom = 48, 56, 40, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    step = plot_width / n_weeks
    minutes_top = axis_top(max((w.minutes for w in weeks), default=0))
    distance_top = axis_top(max((w.run_distance for w in weeks), default=0))
    run_name = f"run ({unit})" if unit else "run distance"

    def y_of(value: float, top_value: float) -> float:
        return top + plot_height * (1 - value / top_value)

    parts = [
        f'<svg class="chart volume-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Gym minutes and {esc(run_name)} per week" {FONT} font-size="12">'
    ]
    for index, week in enumerate(weeks):
        parts.append(
            f'<rect x="{left + index * step:.1f}" y="{top}" width="{step:.1f}" '
            f'height="{plot_height}" fill="{PHASE_TINTS.get(week.phase, "#f1f5f9")}"/>'
        )
    for tick in _ticks(minutes_top):
        y = y_of(tick, minutes_top)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
            'stroke="#94a3b8" stroke-opacity="0.35"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{GYM_COLOUR}">{tick:g}</text>'
        )
    for tick in _ticks(distance_top):
        y = y_of(tick, distance_top)
        parts.append(
            f'<text x="{left + plot_width + 6}" y="{y + 4:.1f}" fill="{RUN_COLOUR}">{tick:g}</text>'
        )
    bar_width = step * 0.56
    points = []
    for index, week in enumerate(weeks):
        centre = left + (index + 0.5) * step
        y = y_of(week.minutes, minutes_top)
        tip = (
            f"Week {week.index} ({week.phase}{', deload' if week.deload else ''}): "
            f"{week.minutes} gym min in {week.sessions} sessions, {week.run_distance:g} {unit} run"
        )
        parts.append(
            f'<rect class="gym-bar" x="{centre - bar_width / 2:.1f}" y="{y:.1f}" '
            f'width="{bar_width:.1f}" height="{top + plot_height - y:.1f}" rx="2" '
            f'fill="{GYM_COLOUR}"><title>{esc(tip)}</title></rect>'
        )
        points.append((centre, y_of(week.run_distance, distance_top), tip))
        if index % _label_every(n_weeks) == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{top + plot_height + 16}" text-anchor="middle" '
                f'fill="{MUTED}">{week.index}</text>'
            )
        if week.deload:
            parts.append(
                f'<text x="{centre:.1f}" y="{top + plot_height + 30}" text-anchor="middle" '
                f'fill="{MUTED}" font-size="10">D</text>'
            )
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
    parts.append(
        f'<polyline class="run-line" points="{path}" fill="none" stroke="{RUN_COLOUR}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for x, y, tip in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{RUN_COLOUR}" stroke="#ffffff" '
            f'stroke-width="1.5"><title>{esc(tip)}</title></circle>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" '
        f'y2="{top + plot_height}" stroke="{MUTED}"/>'
        f'<rect x="{left}" y="8" width="12" height="12" rx="2" fill="{GYM_COLOUR}"/>'
        f'<text x="{left + 18}" y="18" fill="#0f172a">gym minutes</text>'
        f'<line x1="{left + 120}" y1="14" x2="{left + 144}" y2="14" stroke="{RUN_COLOUR}" '
        'stroke-width="2.5"/>'
        f'<text x="{left + 150}" y="18" fill="#0f172a">{esc(run_name)}</text>'
        f'<text x="{left + plot_width}" y="18" text-anchor="end" fill="{MUTED}">'
        "week (D = deload)</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
