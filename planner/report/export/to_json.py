"""The canonical plan file (FORMATS.md, `planner.plan/1`)."""

from __future__ import annotations

from planner.domain.plan import Plan
from planner.report.export.common import ExportOptions


def export(plan: Plan, options: ExportOptions) -> str:
    return plan.to_json()
