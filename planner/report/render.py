"""Readable terminal output with rich: the plan (summary, week overview, session cards,
warnings with suggested fixes) and the exercise catalog.

User text (names, cues, load guidance) is always wrapped in `Text`, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from planner.domain.catalog import Catalog, Exercise
from planner.domain.plan import (
    DayPlan,
    Item,
    Plan,
    Session,
    WeekPlan,
    is_missed,
    week_ranges,
)
from planner.pipeline.reasons import SessionWhy, session_why
from planner.report.export.common import (
    ItemLine,
    item_lines,
    proof_note,
    target_load_text,
    target_load_why,
)

PHASE_STYLES = {"base": "blue", "build": "dark_orange", "peak": "red", "taper": "green"}
CATEGORY_STYLES = {
    "mobility": "cyan",
    "power": "magenta",
    "strength": "blue",
    "accessory": "green",
    "core": "dark_orange",
}
STATUS_STYLES = {"optimal": "bold green", "feasible": "bold yellow"}
BAR_WIDTH = 12


# --- summary and weeks ---------------------------------------------------------------------


def summary_text(plan: Plan, unit: str = "") -> Text:
    """Scenario, athlete, status and the objective with its bound and gap."""
    objective = plan.objective
    athlete = str((plan.model_extra or {}).get("athlete") or "")
    text = Text.assemble((plan.scenario, "bold"))
    if athlete:
        text.append(f" · {athlete}", style="dim")
    text.append("\nstatus ")
    text.append(plan.status, style=STATUS_STYLES.get(plan.status, "bold red"))
    run_total = sum(week.run_distance for week in plan.weeks)
    text.append(
        f" · {len(plan.sessions())} sessions · {objective.minutes} gym min · "
        f"{run_total:g}{' ' + unit if unit else ''} run\n"
    )
    text.append(f"{objective.benefit_per_minute:.4f} benefit/min", style="bold green")
    text.append(f" (benefit {objective.benefit:.1f})")
    style = "green" if plan.status == "optimal" else "yellow"
    text.append(f" · {proof_note(plan)}", style=style)
    return text


def _minutes_bar(minutes: int, most: int) -> Text:
    filled = round(BAR_WIDTH * minutes / most) if most else 0
    return Text("█" * filled + "·" * (BAR_WIDTH - filled), style="grey50")


def overview_table(plan: Plan, unit: str = "") -> Table:
    """One row per week: phase, deload and cut-back, run volume, sessions and gym minutes."""
    table = Table(title="Weeks", header_style="bold", title_justify="left", expand=False)
    table.add_column("wk", justify="right")
    table.add_column("start")
    table.add_column("phase")
    table.add_column(f"run {unit}".strip(), justify="right")
    table.add_column("sessions", justify="right")
    table.add_column("gym min", justify="right")
    table.add_column("", no_wrap=True)
    most = max((week.minutes for week in plan.weeks), default=0)
    for week in plan.weeks:
        table.add_row(
            str(week.index),
            f"{week.start:%d %b}",
            _phase_text(week),
            f"{week.run_distance:g}",
            f"{week.sessions} ({week.hard_sessions} hard)" if week.sessions else "—",
            str(week.minutes),
            _minutes_bar(week.minutes, most),
        )
    return table


def _phase_text(week: WeekPlan) -> Text:
    text = Text(week.phase, style=PHASE_STYLES.get(week.phase, ""))
    if week.deload:
        text.append(" deload", style="bold")
    if week.cutback:
        text.append(" ↓run", style="dim")
    return text


# --- session cards -------------------------------------------------------------------------


def _item_cell(item: Item) -> Text:
    text = Text(item.name, style="bold")
    text.append(f"  {item.category}", style=CATEGORY_STYLES.get(item.category, "dim"))
    text.append(f"\n{item.load}", style="cyan")
    if target := target_load_text(item):
        text.append("\nnext: ", style="dim")
        text.append(target, style="bold green")
        if why := target_load_why(item):
            text.append(f" ({why})", style="dim")
    if item.cue:
        text.append(f"\n{item.cue}", style="italic dim")
    return text


def _run_text(day: DayPlan, unit: str) -> str:
    run = day.run
    if run.kind == "rest":
        return "rest day"
    if run.kind == "cross":
        return f"cross {run.minutes} min"
    return f"run: {run.kind} {run.distance:g}{' ' + unit if unit else ''}"


def _rest_text(line: ItemLine) -> str:
    if line.first_of_pair:
        return f"→ {line.pair}2"  # its partner follows straight away
    return f"{line.rest_s} s" if line.rest_s else "—"


def session_card(day: DayPlan, session: Session, unit: str = "", why: bool = False) -> Panel:
    """One session: items in template order with sets × reps, load, rest, minutes and cue.
    A pair (R17) is numbered A1/A2 under a row with its instruction; its minutes together
    stand on A1 (A2 shows —), so the minutes column adds up to the session's. With `why`,
    the rules that closed the week's other days and what each item serves."""
    table = Table(show_header=True, header_style="dim", box=None, pad_edge=False, expand=True)
    table.add_column("#", justify="right", width=2)
    table.add_column("exercise · load · cue", ratio=1)
    table.add_column("sets × reps", no_wrap=True)
    table.add_column("rest", justify="right", no_wrap=True)
    table.add_column("min", justify="right", no_wrap=True)
    for line in item_lines(session):
        item = line.item
        if line.pair_note:
            table.add_row("", Text(line.pair_note, style="bold"), "", "", "")
        table.add_row(
            Text(line.label, style=CATEGORY_STYLES.get(item.category, "")),
            _item_cell(item),
            Text(f"{item.sets} × {item.reps}"),
            _rest_text(line),
            "—" if line.minutes is None else str(line.minutes),
        )
    kind = "hard" if session.hard else "light"
    after = " · after the run" if session.after_run else ""
    title = Text.assemble(
        (f"{day.date:%a %d %b}", "bold"),
        f" · {kind}{after} · {session.minutes} min · {_run_text(day, unit)}",
    )
    border = "grey70" if not session.hard else PHASE_STYLES.get(day.phase, "white")
    reasons = session_why(session) if why else None
    body: Table | Group = table if reasons is None else Group(table, _why_text(reasons))
    return Panel(body, title=title, title_align="left", border_style=border)


def _why_text(reasons: SessionWhy) -> Text:
    text = Text.assemble(("Why this day: ", "bold"), reasons.day_text())
    for name, serves in reasons.items:
        text.append("\n")
        text.append(f"{name}: ", style="dim")
        text.append(serves)
    return text


def session_cards(plan: Plan, unit: str = "", why: bool = False) -> list[Rule | Panel]:
    """Cards grouped under a rule per week."""
    renderables: list[Rule | Panel] = []
    by_week: dict[int, list[tuple[DayPlan, Session]]] = {}
    for day, session in plan.sessions():
        by_week.setdefault(day.week, []).append((day, session))
    for week in plan.weeks:
        label = f"Week {week.index} · {week.phase}" + (" · deload" if week.deload else "")
        renderables.append(Rule(Text(label, style=PHASE_STYLES.get(week.phase, "")), align="left"))
        for day, session in by_week.get(week.index, []):
            renderables.append(session_card(day, session, unit, why))
    return renderables


def warnings_panel(plan: Plan) -> Panel | None:
    """Missed targets and the smallest change that would meet them."""
    if not plan.warnings:
        return None
    lines = []
    for warning in plan.warnings:
        where = f" week {warning.week}" if warning.week is not None else ""
        if warning.weeks:
            where = f" weeks {week_ranges(warning.weeks)}"
        line = Text.assemble((f"{warning.rule}{where}", "bold yellow"), ": ", warning.message)
        if warning.suggestion:
            line.append("\n   fix: ", style="green")
            line.append(warning.suggestion)
        lines.append(line)
    return Panel(Group(*lines), title="Warnings", title_align="left", border_style="yellow")


def render_plan(
    plan: Plan,
    console: Console | None = None,
    cards: bool = True,
    unit: str = "",
    why: bool = False,
) -> None:
    """Print the plan: summary, week overview, session cards (with `why`, the reasons for
    each session's day and items), then warnings."""
    console = console or Console()
    console.print(Panel(summary_text(plan, unit), border_style="green", expand=False))
    console.print(overview_table(plan, unit))
    if cards:
        for renderable in session_cards(plan, unit, why):
            console.print(renderable)
    panel = warnings_panel(plan)
    if panel is not None:
        console.print(panel)


# --- the exercise catalog ------------------------------------------------------------------


def select_exercises(
    catalog: Catalog,
    category: str | None = None,
    equipment: Iterable[str] | None = None,
    tag: str | None = None,
) -> list[Exercise]:
    """Exercises of a category, doable with the given equipment (bodyweight is always there),
    carrying a tag. `None` means no filter."""
    available = None if equipment is None else set(equipment) | {"bodyweight"}
    return [
        exercise
        for exercise in catalog.exercises
        if (category is None or exercise.category == category)
        and (available is None or exercise.equipment <= available)
        and (tag is None or tag in exercise.tags)
    ]


def exercise_table(exercises: list[Exercise]) -> Table:
    """The catalog, narrow enough for an 80-column terminal: name over id, category over
    level, equipment over tags, then the contribution of one set to each target."""
    table = Table(title=f"{len(exercises)} exercises", title_justify="left", header_style="bold")
    table.add_column("exercise / id", ratio=3, overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("equipment / tags", ratio=3)
    table.add_column("targets per set", ratio=2)
    for exercise in exercises:
        table.add_row(
            Text.assemble((exercise.name, "bold"), "\n", (exercise.id, "dim")),
            Text.assemble(
                (exercise.category, CATEGORY_STYLES.get(exercise.category, "")),
                "\n",
                exercise.level,
            ),
            Text.assemble(
                ", ".join(sorted(exercise.equipment)) or "bodyweight",
                "\n",
                (", ".join(sorted(exercise.tags)), "dim"),
            ),
            Text("\n".join(f"{target} {amount:g}" for target, amount in exercise.targets.items())),
        )
    return table


# --- a replanned plan ----------------------------------------------------------------------


def _day_label(date: dt.date) -> str:
    return f"{date:%a} {date.day} {date:%b}"


def change_lines(plan: Plan) -> list[str]:
    """A replanned plan's changes in a runner's words, one line per change:
    "Thu 11 Feb: hard session moved to Fri 12 Feb, because ..."."""
    sessions = {day.date: day.session for day in plan.days}
    lines = []
    for change in plan.changes():
        where = _day_label(change.date)
        because = f", because {change.reason}" if change.reason else ""
        if change.change == "moved" and change.to:
            target = dt.date.fromisoformat(change.to)
            moved = sessions.get(target)
            kind = "hard" if moved is not None and moved.hard else "light"
            lines.append(f"{where}: {kind} session moved to {_day_label(target)}{because}")
        elif change.change == "added":
            lines.append(f"{where}: added a {change.to}{because}")
        elif change.change == "removed":
            lines.append(f"{where}: removed the {change.from_}{because}")
        else:
            detail = (change.model_extra or {}).get("detail")
            now = sessions.get(change.date)
            if detail and now is not None:
                kind = "hard" if now.hard else "light"
                lines.append(f"{where}: {kind} session, now {now.minutes} min ({detail}){because}")
            else:
                lines.append(f"{where}: now a {change.to} (was a {change.from_}){because}")
    return lines


def render_changes(plan: Plan, console: Console | None = None) -> None:
    """Print what a replan changed, what was missed, and what the events cost."""
    console = console or Console()
    source = plan.replanned_from()
    if source is None:
        return
    extra = source.model_extra or {}
    missed = [_day_label(day.date) for day in plan.days if is_missed(day)]
    text = Text()
    text.append(f"Replanned from {_day_label(source.date)}", style="bold")
    if missed:
        text.append(f"\nMissed: {', '.join(missed)}")
    lines = change_lines(plan)
    changed = extra.get("changed_days", len(lines))
    text.append(f"\n{changed} changed day{'s' if changed != 1 else ''}")
    if "benefit_before" in extra:
        before, after = extra["benefit_before"], extra["benefit_after"]
        cost = extra.get("benefit_cost", before - after)
        share = f" ({cost / before:.1%})" if before else ""
        text.append(f"; benefit {before:g} → {after:g}: the events cost {cost:g}{share}")
    for line in lines:
        text.append(f"\n  {line}")
    if not lines:
        text.append("\n  no day changed")
    console.print(Panel(text, title="Changes", border_style="yellow", expand=False))


def render_loads(plan: Plan, console: Console | None = None, start: dt.date | None = None) -> None:
    """Print the coming sessions' loads from the training log (`target_load`), each with its
    reason; nothing when no item has one."""
    console = console or Console()
    text = Text()
    for day, session in plan.sessions():
        if start is not None and day.date < start:
            continue
        for item in session.items:
            if not (target := target_load_text(item)):
                continue
            text.append(f"\n{_day_label(day.date)}  ", style="dim")
            text.append(f"{item.name}: ", style="bold")
            text.append(target, style="bold green")
            if why := target_load_why(item):
                text.append(f"\n    {why}", style="dim")
    if text.plain:
        title = "The coming week's loads"
        console.print(Panel(text[1:], title=title, border_style="green", expand=False))
