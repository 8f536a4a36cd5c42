"""Batch planning: a squad of athletes on one machine's processes or a Dask cluster.

`collect_entries` reads what to plan (a squad file, a folder, a glob); `run_batch` plans it
on an engine (`local` or `dask`) and writes each plan, its report and the squad summary.
"""

from planner.batch.inputs import collect_entries
from planner.batch.run import BatchEntry, BatchOptions, BatchProgress, BatchReport, Row, run_batch

__all__ = [
    "BatchEntry",
    "BatchOptions",
    "BatchProgress",
    "BatchReport",
    "Row",
    "collect_entries",
    "run_batch",
]
