"""What a batch gives back: one `Row` per athlete and the `BatchReport` of the whole run. The
batch (`run`) fills them; the summary files (`summary`) read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.batch.worker import PLANNED
from planner.domain.plan import Plan


@dataclass
class Row:
    """One athlete in the batch summary."""

    id: str
    name: str
    source: str
    status: str
    message: str = ""
    exit_code: int = 0
    kept: bool = False  # the plan was already there from an earlier run
    solve_s: float | None = None
    worker: str = ""
    weeks: int = 0
    sessions_per_week: float | None = None
    minutes_per_week: float | None = None
    benefit_per_minute: float | None = None
    gap: float | None = None  # relative gap to the proven bound; 0 when proven optimal
    warnings: int = 0
    warning_rules: str = ""
    plan_file: str | None = None  # relative to the batch folder
    report_file: str | None = None

    @property
    def has_plan(self) -> bool:
        return self.status in PLANNED

    def with_plan(self, plan: Plan, plan_file: str, report_file: str) -> Row:
        weeks = max(1, len(plan.weeks))
        objective = plan.objective
        bound = objective.benefit_per_minute_bound
        self.weeks = len(plan.weeks)
        self.sessions_per_week = sum(week.sessions for week in plan.weeks) / weeks
        self.minutes_per_week = objective.minutes / weeks
        self.benefit_per_minute = objective.benefit_per_minute
        if bound:
            self.gap = max(0.0, (bound - objective.benefit_per_minute) / bound)
        self.warnings = len(plan.warnings)
        self.warning_rules = " ".join(sorted({warning.rule for warning in plan.warnings}))
        self.plan_file, self.report_file = plan_file, report_file
        return self


@dataclass
class BatchReport:
    title: str
    outdir: Path
    engine: str
    rows: list[Row]
    solved: list[str] = field(default_factory=list)  # ids solved in this run, in order
    interrupted: bool = False
    wall_s: float = 0.0
    slots: int = 0

    @property
    def exit_code(self) -> int:
        """0 when every athlete has a plan, 6 otherwise (FORMATS.md)."""
        return 0 if all(row.has_plan for row in self.rows) else 6

    @property
    def failed(self) -> list[Row]:
        return [row for row in self.rows if not row.has_plan]
