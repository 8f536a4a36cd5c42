"""The training log template (README, "From plan to practice"): one row per planned
exercise of the coming weeks, in the training log's columns (FORMATS.md, "Training log
(CSV)"), with the planned sets and reps and empty status, load and RPE cells for the athlete
to fill. `planner replan --done` and `--log` read it back: a row not filled yet is skipped.

The coming weeks start at `ExportOptions.today` (the replan date of a replanned plan, or the
block start, when not given) and last `ExportOptions.weeks` weeks (4 when not given)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from planner.domain.plan import Plan
from planner.io.done_log import COLUMNS
from planner.report.export.common import DEFAULT_COMING_WEEKS, ExportOptions


def log_start(plan: Plan, options: ExportOptions) -> dt.date:
    """The first day of the template: the option's, a replan's date, or the block start."""
    if options.today is not None:
        return options.today
    source = plan.replanned_from()
    if source is not None:
        return source.date
    return plan.days[0].date if plan.days else dt.date.today()


def export(plan: Plan, options: ExportOptions) -> str:
    start = log_start(plan, options)
    end = start + dt.timedelta(weeks=options.weeks or DEFAULT_COMING_WEEKS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for day, session in plan.sessions():
        if not start <= day.date < end:
            continue
        for item in session.items:
            planned = {"date": day.date.isoformat(), "exercise": item.exercise,
                       "sets": item.sets, "reps": item.reps}  # fmt: skip
            writer.writerow([planned.get(column, "") for column in COLUMNS])
    return out.getvalue()
