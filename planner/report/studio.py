"""What `planner studio` writes into its folder (FORMATS.md, "Studio file"), and the terminal
summary.

- `ID.json`: each athlete's plan, its class sessions marked with `class`;
- `ID.scenario.yaml`: the scenario the plan was made for (theirs under the studio's
  situation), so that `planner check ID.scenario.yaml ID.json` checks one athlete alone;
- `ID.html`: the athlete's report;
- `rosters.csv`: one row per booked seat, `date,class,start,athlete`;
- `athletes.csv`: one row per athlete: classes, benefit per minute against their best plan
  alone, missed floor, and why an athlete has no plan;
- the class sheets, `studio.html` and `studio.ics` (`planner.report.studio_pages`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from planner.io.scenario_yaml import scenario_yaml
from planner.io.studio_folder import ROSTER_COLUMNS, ROSTERS
from planner.pipeline.studio import HARD_WEIGHT, AthletePlan, StudioPlan, studio_objective
from planner.report.export import ExportOptions, export_plan
from planner.report.studio_pages import class_sheets, studio_calendar, studio_page

SCENARIO_HEADER = (
    "# This athlete's scenario under the studio's situation, written by `planner studio`:\n"
    "# class days with the class's minutes and the room's kit, home days with their own.\n"
    "# Their plan (the .json beside it) was made for it: `planner check` this file and it.\n"
)

# The files `planner studio` may write into its folder, by suffix: `--force` replaces a folder
# that holds nothing else.
STUDIO_SUFFIXES = frozenset({".json", ".yaml", ".html", ".csv", ".md", ".ics", ".png"})


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def rosters_csv(result: StudioPlan) -> str:
    by_id = result.by_id()
    rows: list[list[object]] = []
    for held in result.class_dates():
        for athlete_id in result.rosters[held.date, held.class_id]:
            start = held.slot.start.strftime("%H:%M")
            rows.append(
                [held.date.isoformat(), held.class_id, start, by_id[athlete_id].member.name]
            )
    return _csv(list(ROSTER_COLUMNS), rows)


def athletes_csv(result: StudioPlan) -> str:
    rows: list[list[object]] = []
    for athlete in result.athletes:
        plan = athlete.plan
        rows.append([
            athlete.member.id, athlete.member.name, athlete.status, len(athlete.bookings),
            athlete.weekly_classes(),
            f"{athlete.ratio:.4f}" if plan else "", f"{athlete.solo_ratio:.4f}",
            f"{athlete.loss:.4f}", athlete.missed if plan else "",
            "yes" if athlete.resolved else "no",
            athlete.message.splitlines()[0] if athlete.message else "",
        ])  # fmt: skip
    return _csv(
        ["id", "athlete", "status", "classes", "classes_per_week", "benefit_per_minute",
         "alone_benefit_per_minute", "loss", "missed_floor", "solved_again", "why_no_plan"],
        rows,
    )  # fmt: skip


def athlete_files(athlete: AthletePlan) -> dict[str, str]:
    """The athlete's plan, its scenario and their report (nothing without a plan)."""
    plan = athlete.plan
    if plan is None:
        return {}
    scenario = athlete.scenario
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    unit = scenario.running.unit if scenario.runs_by_date() else None
    report = export_plan(plan, "html", ExportOptions(run_unit=unit))
    identity = athlete.member.id
    return {
        f"{identity}.json": plan.to_json(),
        f"{identity}.scenario.yaml": SCENARIO_HEADER + scenario_yaml(data).split("\n", 2)[2],
        f"{identity}.html": report if isinstance(report, str) else report.decode("utf-8"),
    }


# Further pages of the folder (class sheets, the studio page, the calendar), each a function
# of the studio's plan to {file name: text}.
PAGES: list[Callable[[StudioPlan], dict[str, str]]] = [class_sheets, studio_page, studio_calendar]


def studio_files(result: StudioPlan) -> dict[str, bytes]:
    """Every file of the studio's folder, by name."""
    files: dict[str, str] = {}
    for athlete in result.athletes:
        files |= athlete_files(athlete)
    files[ROSTERS] = rosters_csv(result)
    files["athletes.csv"] = athletes_csv(result)
    if result.since is not None:
        rows: list[list[object]] = [
            [d.isoformat(), c, n, change] for n, d, c, change in result.changes
        ]
        files["bookings_changed.csv"] = _csv(["date", "class", "athlete", "change"], rows)
    for page in PAGES:
        files |= page(result)
    return {name: text.encode("utf-8") for name, text in files.items()}


def print_studio_summary(result: StudioPlan, console: Console) -> None:
    """Classes filled, each athlete's classes a week, who misses what and why."""
    studio = result.studio
    held = result.class_dates()
    seats = sum(h.slot.capacity for h in held)
    taken = sum(len(result.rosters[h.date, h.class_id]) for h in held)
    full = sum(len(result.rosters[h.date, h.class_id]) >= h.slot.capacity for h in held)
    console.print(
        f"[bold]{studio.name}[/bold]: {len(result.athletes)} athletes, {len(held)} class dates; "
        f"{taken} of {seats} seats taken, {full} classes full."
    )
    console.print(f"Mode: {result.mode} ({result.engine}).")
    table = Table(show_edge=False, pad_edge=False)
    for column in ("athlete", "status", "classes a week", "per min", "alone", "missed floor"):
        table.add_column(column, justify="left" if column in ("athlete", "status") else "right")
    for athlete in result.athletes:
        if athlete.plan is None:
            table.add_row(athlete.member.name, athlete.status, "", "", "", "")
            continue
        table.add_row(
            athlete.member.name, athlete.status + (" (again)" if athlete.resolved else ""),
            athlete.weekly_classes(), f"{athlete.ratio:.3f}", f"{athlete.solo_ratio:.3f}",
            str(athlete.missed),
        )  # fmt: skip
    console.print(table)
    for athlete in result.athletes:
        if athlete.plan is None:
            reason = athlete.message.splitlines()[0] if athlete.message else athlete.status
            console.print(f"{athlete.member.name}: no plan. {reason}")
    by_id = result.by_id()
    places = {(h.date, h.class_id): h.slot.capacity for h in held}
    for (date, class_id), queue in sorted(result.waitlist.items()):
        names = ", ".join(f"{by_id[a].member.name} ({worth:.1f})" for a, worth in queue)
        filled = f"{len(result.rosters[date, class_id])} of {places[date, class_id]}"
        console.print(f"Waitlist {class_id} {date:%a %d %b} ({filled} taken): {names}")
    planned = [athlete.plan for athlete in result.athletes if athlete.plan is not None]
    proven = sum(plan.status == "optimal" for plan in planned)
    widest = max((plan.objective.gap() for plan in planned), default=0.0)
    console.print(
        f"Plans proven optimal: {proven} of {len(planned)}; the widest gap between an "
        f"athlete's benefit per minute and its proven bound: {100 * widest:.1f} %."
    )
    objective = studio_objective(result)
    bound = "no bound" if objective.bound is None else f"proven bound {objective.bound:.0f}"
    gap = (
        "" if objective.gap is None else f", within {100 * objective.gap:.2f} % of the squad's best"
    )
    console.print(
        "Studio objective (Σ Mₐ*·Bₐ − Bₐ*·Mₐ against each athlete's best alone, points x min): "
        f"{objective.found:.0f}, {bound}{gap}."
    )
    if result.since is not None:
        added = sum(change == "added" for *_, change in result.changes)
        console.print(
            f"Bookings changed from {result.since}: {len(result.changes)} "
            f"({added} added, {len(result.changes) - added} removed); earlier days kept."
        )
        for name, date, class_id, change in result.changes:
            console.print(f"  {change:>7} {date:%a %d %b} {class_id}: {name}")
    if result.room_after:
        parts = []
        for category, (room, every) in result.room_after.items():
            was_room, was_every = result.room_before.get(category, (0, 0))
            was = f" (was {100 * was_room / was_every:.0f} %)" if was_every else ""
            parts.append(f"{category} {100 * room / every:.0f} %{was}" if every else category)
        console.print("The room's exercise, share of attendees' items: " + ", ".join(parts) + ".")
    share = f"{100 * result.worst_share:.0f} %"
    proof = "proven" if result.seats_optimal else "not proven"
    left = result.uncovered
    console.print(
        f"Seats ({proof}): the worst-off athlete has {max(left.values(), default=0)} "
        f"uncovered (a hard session's seat counts {HARD_WEIGHT}), the squad "
        f"{sum(left.values())}; the worst-off kept {share} of the seats' worth they asked for."
    )
