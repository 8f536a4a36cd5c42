"""The lint runs with the tests: ruff's rules of pyproject.toml, the complexity ceiling
(C901) among them, on the package, the tests and the benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_the_code_passes_the_lint() -> None:
    result = ruff("check", "planner", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_complexity_ceiling_catches_a_branching_function(tmp_path: Path) -> None:
    # The ceiling can fail: a function of 22 branches breaks it.
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(22))
    source = tmp_path / "branchy.py"
    source.write_text(f"def pick(x: int) -> int:\n{branches}    return -1\n", encoding="utf-8")
    result = ruff("check", "--config", str(ROOT / "pyproject.toml"), str(source))
    assert result.returncode == 1 and "C901" in result.stdout, result.stdout
