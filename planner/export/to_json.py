"""The canonical plan file (FORMATS.md, `planner.plan/1`)."""

from __future__ import annotations

from planner.export.common import ExportOptions
from planner.plan import Plan


def export(plan: Plan, options: ExportOptions) -> str:
    return plan.to_json()
