"""Readable terminal output of a plan, with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from planner.plan import Plan


def overview_table(plan: Plan) -> Table:
    table = Table(title="Weeks", header_style="bold", expand=False)
    for column in ("week", "start", "phase", "run", "sessions", "hard", "gym min"):
        table.add_column(column, justify="right" if column not in ("phase", "start") else "left")
    for week in plan.weeks:
        phase = week.phase + (" (deload)" if week.deload else "")
        table.add_row(
            str(week.index), str(week.start), phase, f"{week.run_distance:g}",
            str(week.sessions), str(week.hard_sessions), str(week.minutes),
        )  # fmt: skip
    return table


def session_card(plan: Plan, day_index: int) -> Panel:
    day = plan.days[day_index]
    session = day.session
    assert session is not None
    table = Table(show_header=True, header_style="dim", box=None, pad_edge=False)
    for column in ("", "exercise", "sets x reps", "load", "rest", "min"):
        table.add_column(column)
    for item in session.items:
        table.add_row(
            item.category[:3], Text(item.name), f"{item.sets} x {item.reps}", Text(item.load),
            f"{item.rest_s}s", str(item.minutes),
        )  # fmt: skip
        if item.cue:
            table.add_row("", Text(item.cue, style="italic dim"), "", "", "", "")
    kind = "hard" if session.hard else "light"
    after = ", after the run" if session.after_run else ""
    run = f"run: {day.run.kind} {day.run.distance:g}" if day.run.kind != "rest" else "rest day"
    title = f"{day.date:%a %d %b} · week {day.week} {day.phase} · {kind}{after} · {session.minutes} min · {run}"
    return Panel(table, title=Text(title), title_align="left")


def render_plan(plan: Plan, console: Console | None = None, cards: bool = True) -> None:
    console = console or Console()
    objective = plan.objective
    bound = objective.benefit_per_minute_bound
    header = Text.assemble(
        (plan.scenario, "bold"),
        f"\nstatus {plan.status} · benefit {objective.benefit:.1f} · {objective.minutes} gym min · ",
        (f"{objective.benefit_per_minute:.4f} benefit/min", "bold green"),
        f" (bound {bound:.4f})" if bound is not None else "",
    )
    console.print(header)
    console.print(overview_table(plan))
    if cards:
        for index, day in enumerate(plan.days):
            if day.session is not None:
                console.print(session_card(plan, index))
    if plan.warnings:
        lines = [
            Text(f"{w.rule} week {w.week}: {w.message}" + (f" → {w.suggestion}" if w.suggestion else ""))
            for w in plan.warnings
        ]
        console.print(Panel(Group(*lines), title="Warnings", border_style="yellow"))
