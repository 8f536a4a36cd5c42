"""One row per exercise item, for spreadsheets (written with pandas).

Paired sets (R17): `pair` says `A1` or `A2` (empty when the item is done alone),
`pair_minutes` holds the pair's minutes together on both of its rows and `pair_instruction`
how to do it. `minutes` stays the item's own minutes done alone, as in the plan file, so a
session's minutes are its unpaired items' minutes plus each pair's minutes once.

The next session's load from the training log: `target_load_kg` (in each implement: one
dumbbell of a pair), `target_load_count` (the implements: 2 for a dumbbell in each hand, 1
for a bar or a single one), `target_load` (as the athlete reads it, `2 x 14 kg`) and
`target_load_why`, empty without one.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and tab or carriage
return) as a formula, so such text cells get a leading single quote ("CSV injection").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.domain.plan import Plan
from planner.report.export.common import (
    ExportOptions,
    item_lines,
    pair_minutes_of,
    run_unit,
    target_load_count,
    target_load_kg,
    target_load_text,
    target_load_why,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "date", "weekday", "week", "phase", "deload", "run_kind", "run_distance", "run_unit",
    "session_minutes", "hard_session", "after_run", "position", "pair", "exercise", "name",
    "category", "sets", "reps", "load", "rest_s", "minutes", "pair_minutes", "equipment",
    "tags", "contacts", "targets", "cue", "pair_instruction", "target_load_kg", "target_load_count",
    "target_load", "target_load_why",
)  # fmt: skip


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, with a leading quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: float | None) -> float | str:
    """A number, or an empty cell."""
    return "" if value is None else value


def item_rows(plan: Plan, unit: str = "") -> list[dict[str, Any]]:
    """One flat record per exercise item, in date and template order."""
    deload = {week.index: week.deload for week in plan.weeks}
    rows = []
    for day, session in plan.sessions():
        lines = item_lines(session)
        notes = {line.pair: line.pair_note for line in lines if line.first_of_pair}
        for position, line in enumerate(lines, start=1):
            item = line.item
            rows.append(
                {
                    "date": day.date.isoformat(),
                    "weekday": f"{day.date:%a}",
                    "week": day.week,
                    "phase": day.phase,
                    "deload": deload.get(day.week, False),
                    "run_kind": day.run.kind,
                    "run_distance": day.run.distance,
                    "run_unit": unit,
                    "session_minutes": session.minutes,
                    "hard_session": session.hard,
                    "after_run": session.after_run,
                    "position": position,
                    "pair": line.label if line.pair else "",
                    "exercise": item.exercise,
                    "name": item.name,
                    "category": item.category,
                    "sets": item.sets,
                    "reps": item.reps,
                    "load": item.load,
                    "rest_s": item.rest_s,
                    "minutes": item.minutes,
                    "pair_minutes": pair_minutes_of(session, line.pair) if line.pair else "",
                    "equipment": ";".join(item.equipment),
                    "tags": ";".join(item.tags),
                    "contacts": item.contacts,
                    "targets": ";".join(f"{t}={v:g}" for t, v in item.targets.items()),
                    "cue": item.cue,
                    "pair_instruction": notes[line.pair] if line.pair else "",
                    "target_load_kg": _cell(target_load_kg(item)),
                    "target_load_count": _cell(target_load_count(item)),
                    "target_load": target_load_text(item),
                    "target_load_why": target_load_why(item),
                }
            )
    return rows


def export(plan: Plan, options: ExportOptions) -> str:
    frame = pd.DataFrame(item_rows(plan, run_unit(plan, options)), columns=list(COLUMNS))
    frame = frame.map(neutralise)
    return str(frame.to_csv(index=False, lineterminator="\n"))
