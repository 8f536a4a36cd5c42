"""A plain install works anywhere: the wheel carries the catalog, the benefit model and
py.typed, and `planner solve` runs from a folder that is not the source tree."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (built,) = out.glob("planner-*.whl")
    return built


def test_the_wheel_ships_its_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in (
        "models/catalog.yaml", "models/benefit.yaml", "models/garmin_exercises.csv",
        "models/README.md", "py.typed",
    ):  # fmt: skip
        assert f"planner/{data}" in names, f"{data} is not in the wheel"


@pytest.mark.slow
def test_a_fresh_virtualenv_solves_the_default_scenario_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    # The new virtualenv borrows this environment's dependencies (ortools, pydantic, ...)
    # through a .pth line, which adds their folder but runs none of its .pth files (so not
    # the editable install): the planner itself comes from the wheel alone.
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall",
         str(wheel)],
        check=True,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    located = subprocess.run(
        [python, "-c", "import planner; print(planner.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert str(ROOT) not in located.stdout, located.stdout
    planner = env / "bin" / "planner"
    scenario = ROOT / "scenarios" / "default.yaml"
    plan = elsewhere / "plan.json"
    solved = subprocess.run(
        [planner, "solve", str(scenario), "-o", str(plan), "--time-limit", "10", "--quiet"],
        cwd=elsewhere, capture_output=True, text=True,
    )  # fmt: skip
    assert solved.returncode == 0, solved.stderr
    assert json.loads(plan.read_text())["status"] in ("optimal", "feasible")
    checked = subprocess.run(
        [planner, "check", str(scenario), str(plan)], cwd=elsewhere, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
