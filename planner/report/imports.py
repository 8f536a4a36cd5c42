"""How an imported running plan was read, for a coach to check line by line before solving:
one row per day (date, kind, distance, minutes, source line, title, guess), then the events
left out and why. User text (titles) is wrapped in `Text`, never parsed as markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.io.imports import ImportReport

KIND_STYLES = {
    "long": "bold blue",
    "quality": "dark_orange",
    "race": "bold red",
    "cross": "cyan",
    "rest": "dim",
}


def _lines(lines: tuple[int, ...]) -> str:
    return ", ".join(str(line) for line in lines)


def days_table(report: ImportReport) -> Table:
    table = Table(title=f"{report.file} · read as {report.shape}", title_justify="left")
    table.add_column("date")
    table.add_column("day")
    table.add_column("kind")
    table.add_column(report.unit, justify="right")
    table.add_column("min", justify="right")
    table.add_column("line", justify="right")
    table.add_column("title")
    table.add_column("guess", style="yellow")
    for day in report.days:
        distance = f"{day.distance:g}" if day.kind not in ("rest", "cross") else ""
        table.add_row(
            str(day.date),
            day.date.strftime("%a"),
            Text(day.kind, style=KIND_STYLES.get(day.kind, "")),
            distance,
            str(day.minutes) if day.minutes else "",
            _lines(day.lines),
            Text(" + ".join(day.titles)),
            Text("\n".join(day.guesses)),
        )
    return table


def left_out_table(report: ImportReport) -> Table:
    table = Table(title="left out", title_justify="left")
    table.add_column("date")
    table.add_column("line", justify="right")
    table.add_column("title")
    table.add_column("why")
    for item in report.left_out:
        table.add_row(
            str(item.date or ""),
            str(item.line or ""),
            Text(item.title),
            Text(item.reason, style="yellow" if item.guess else ""),
        )
    return table


def render_import(report: ImportReport, console: Console) -> None:
    """The reading, day by day, then what was left out, notes and the count of guesses."""
    console.print(days_table(report))
    if report.left_out:
        console.print(left_out_table(report))
    for note in report.notes:
        console.print(Text(f"note: {note}", style="yellow"))
    runs = sum(1 for day in report.days if day.kind not in ("rest", "cross"))
    guesses = len(report.guesses)
    zone = f" · dates in {report.timezone}" if report.timezone else ""
    console.print(
        Text(
            f"{len(report.days)} days ({runs} runs) · {len(report.left_out)} left out · "
            f"{guesses} guess{'es' if guesses != 1 else ''}{zone}"
        )
    )
    if guesses:
        console.print(
            Text(
                "Check the guesses: name the kind in the title, or map it under "
                "running.import.kinds; `strict: true` turns guesses into errors.",
                style="dim",
            )
        )
