"""Every benchmark script imports: a renamed helper in `planner` must not leave a script
that fails only when someone runs it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

SCRIPTS = sorted(
    path.stem
    for path in (Path(__file__).resolve().parents[2] / "benchmarks").glob("*.py")
    if path.stem != "__init__"
)


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_imports(name: str) -> None:
    module = importlib.import_module(f"benchmarks.{name}")
    assert module.__name__ == f"benchmarks.{name}"


def test_the_scripts_are_found() -> None:
    assert {"run", "replan", "batch"} <= set(SCRIPTS)
