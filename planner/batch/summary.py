"""The coach's view of a batch: one row per athlete, as a terminal table, `summary.csv` and
`squad.html` (a single file that links to each athlete's own report)."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner import __version__
from planner.batch.results import BatchReport, Row
from planner.batch.worker import INTERRUPTED
from planner.io.output import write_atomic
from planner.report.export.to_csv import neutralise

SUMMARY_CSV = "summary.csv"
SQUAD_HTML = "squad.html"
CSV_COLUMNS = (
    "athlete", "id", "source", "status", "kept", "weeks", "sessions_per_week",
    "gym_minutes_per_week", "benefit_per_minute", "gap_percent", "warnings", "warning_rules",
    "solve_s", "plan", "report", "message",
)  # fmt: skip
STATUS_STYLES = {"optimal": "green", "feasible": "yellow"}


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _gap(row: Row) -> str:
    return "" if row.gap is None else f"{100 * row.gap:.1f}"


def csv_rows(report: BatchReport) -> list[dict[str, object]]:
    return [
        {
            "athlete": row.name,
            "id": row.id,
            "source": row.source,
            "status": row.status,
            "kept": "yes" if row.kept else "no",
            "weeks": row.weeks or "",
            "sessions_per_week": _number(row.sessions_per_week, 2),
            "gym_minutes_per_week": _number(row.minutes_per_week, 1),
            "benefit_per_minute": _number(row.benefit_per_minute, 4),
            "gap_percent": _gap(row),
            "warnings": row.warnings if row.has_plan else "",
            "warning_rules": row.warning_rules,
            "solve_s": _number(row.solve_s, 1),
            "plan": row.plan_file or "",
            "report": row.report_file or "",
            "message": row.message,
        }
        for row in report.rows
    ]


def summary_csv(report: BatchReport) -> str:
    """One row per athlete; text a spreadsheet would run as a formula gets a leading quote."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in csv_rows(report):
        writer.writerow({key: neutralise(value) for key, value in record.items()})
    return buffer.getvalue()


def counts(report: BatchReport) -> str:
    """`16 athletes: 15 with a plan (3 kept from an earlier run), 1 without`."""
    planned = [row for row in report.rows if row.has_plan]
    kept = sum(row.kept for row in planned)
    text = f"{len(report.rows)} athlete{'s' if len(report.rows) != 1 else ''}: "
    text += f"{len(planned)} with a plan"
    if kept:
        text += f" ({kept} kept from an earlier run)"
    text += f", {len(report.rows) - len(planned)} without"
    return text


def summary_table(report: BatchReport) -> Table:
    table = Table(title=f"{report.title}: {counts(report)}", title_justify="left")
    table.add_column("athlete", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("sess/wk", justify="right", no_wrap=True)
    table.add_column("min/wk", justify="right", no_wrap=True)
    table.add_column("benefit/min", justify="right", no_wrap=True)
    table.add_column("gap %", justify="right", no_wrap=True)
    table.add_column("warn", justify="right", no_wrap=True)
    table.add_column("report", no_wrap=True)
    for row in report.rows:
        status = row.status + (" (kept)" if row.kept else "")
        table.add_row(
            row.name,
            Text(status, style=STATUS_STYLES.get(row.status, "red")),
            _number(row.sessions_per_week, 1),
            _number(row.minutes_per_week, 0),
            _number(row.benefit_per_minute, 4),
            _gap(row),
            str(row.warnings) if row.has_plan else "",
            row.report_file or "",
        )
    return table


def print_summary(report: BatchReport, console: Console) -> None:
    """The table, then each failure's message in full (the words of `planner solve`)."""
    console.print(summary_table(report))
    waiting = [row for row in report.failed if row.status == INTERRUPTED]
    for row in report.failed:
        if row.status != INTERRUPTED:
            console.print(f"\n{row.name} ({row.source}): {row.status}", style="bold red",
                          highlight=False, markup=False)  # fmt: skip
            console.print(row.message, highlight=False, markup=False)
    if waiting:
        names = ", ".join(row.name for row in waiting)
        console.print(
            f"\nNot planned yet (the batch was stopped): {names}. Run the batch again to plan "
            "them; the plans already written are kept.",
            highlight=False,
            markup=False,
        )
    where = report.outdir
    console.print(
        f"\nPlans and reports in {where}; summary in {where / SUMMARY_CSV} and "
        f"{where / SQUAD_HTML}.",
        highlight=False,
        markup=False,
    )


SQUAD_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem;
  color: #1d2430; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.meta { color: #5b6473; margin: 0 0 1rem; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; min-width: 100%; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid #dde2ea; text-align: left;
  vertical-align: top; }
th { background: #f3f5f9; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; }
.optimal { color: #1b7a3a; } .feasible { color: #9a6b00; } .failed { color: #b3261e; }
td.message { white-space: pre-wrap; font-size: .85rem; color: #3b4350; max-width: 40rem; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
"""


def squad_html(report: BatchReport) -> str:
    """A single-file page: the squad's table, each name linking to the athlete's report."""
    esc = html.escape
    cells = []
    for row in report.rows:
        name = esc(row.name)
        if row.report_file:
            name = f'<a href="{esc(row.report_file)}">{name}</a>'
        status_class = row.status if row.has_plan else "failed"
        status = esc(row.status + (" (kept)" if row.kept else ""))
        warnings = ""
        if row.has_plan:
            warnings = str(row.warnings) + (f" ({esc(row.warning_rules)})" if row.warnings else "")
        cells.append(
            "<tr>"
            f"<td>{name}</td>"
            f'<td class="status {status_class}">{status}</td>'
            f'<td class="num">{_number(row.sessions_per_week, 1)}</td>'
            f'<td class="num">{_number(row.minutes_per_week, 0)}</td>'
            f'<td class="num">{_number(row.benefit_per_minute, 4)}</td>'
            f'<td class="num">{_gap(row)}</td>'
            f'<td class="num">{warnings}</td>'
            f'<td class="message">{esc(row.message)}</td>'
            "</tr>"
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = esc(report.title)
    interrupted = ""
    if report.interrupted:
        interrupted = " The batch was interrupted; run it again to finish."
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: squad plans</title>
<style>{SQUAD_CSS}</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{esc(counts(report))}.{esc(interrupted)} Planned {stamp} by planner
{esc(__version__)} on {esc(report.engine)}. Each name opens the athlete's report.</p>
<div class="wrap"><table>
<thead><tr><th>athlete</th><th>status</th><th>sessions/wk</th><th>gym min/wk</th>
<th>benefit/min</th><th>gap %</th><th>warnings</th><th>why no plan</th></tr></thead>
<tbody>
{chr(10).join(cells)}
</tbody>
</table></div>
</body>
</html>
"""


def write_summary(report: BatchReport) -> None:
    """summary.csv and squad.html in the batch folder (rewritten by every run: they
    describe the folder's plans)."""
    write_atomic(report.outdir / SUMMARY_CSV, summary_csv(report), force=True)
    write_atomic(report.outdir / SQUAD_HTML, squad_html(report), force=True)
