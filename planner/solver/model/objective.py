"""The objective's benefit: each target's concave weekly benefit as a hypograph. (The floor's
terms are the shortfalls of `dose`, weighed by `PlanModel.floor_terms`.)"""

from __future__ import annotations

from planner.solver.model.variables import PlanModel
from planner.solver.problem import curve_units


def add_benefit(plan: PlanModel) -> None:
    """The concave weekly benefit per target as a hypograph: benefit <= each segment line
    (exact for a concave piecewise-linear curve, and tight in the linear relaxation)."""
    model, problem = plan.model, plan.problem
    for group in problem.groups:
        g = group.index
        fixed = plan.fixed(g)
        for target in group.weights:
            already = fixed.dose.get(target, 0)  # a replan's fixed days of the week
            dose = already + sum(
                var * opt.dose.get(target, 0)  # type: ignore[attr-defined]
                for s in range(group.n_slots)
                for var, _, opt in plan.slot_terms(g, s)
                if opt.dose.get(target, 0)  # type: ignore[attr-defined]
            )
            for segment in problem.curves[target]:
                model.add(
                    plan.benefit[g, target]
                    <= segment.value_at_start + segment.slope * (dose - segment.start)
                )
            # Concave with curve(0) = 0 means subadditive: the week's benefit is at most the
            # sum of what each item would give alone. Redundant for integers, but it stops
            # the linear relaxation from buying the steep first part of every curve with
            # fractions of items.
            model.add(
                plan.benefit[g, target]
                <= curve_units(problem, target, already)
                + sum(
                    var * curve_units(problem, target, opt.dose[target])  # type: ignore[attr-defined]
                    for s in range(group.n_slots)
                    for var, _, opt in plan.slot_terms(g, s)
                    if opt.dose.get(target, 0)  # type: ignore[attr-defined]
                )
            )
