"""Reading a plan file (FORMATS.md, `planner.plan/1`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from planner.domain.plan import PLAN_FORMAT, Plan
from planner.errors import InputError, Problem
from planner.io.validation import problems_from
from planner.io.yaml_source import SourceMap


def load_plan(path: str | Path) -> Plan:
    """Read a plan file; raises InputError naming the field on a malformed plan."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem("", f"cannot read the plan: {error}", str(path))]) from None
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem("", f"not valid JSON: {error.msg}", str(path), error.lineno)]
        ) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise InputError([Problem("format", f'expected "format": "{PLAN_FORMAT}"', str(path))])
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from(error, SourceMap(str(path)))) from None
