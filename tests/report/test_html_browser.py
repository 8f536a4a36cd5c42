"""The HTML report in a real browser: headless Chromium parses it without console errors,
keeps hostile user text inert, draws the SVG charts, and renders a page that is not blank on
a desktop and on a phone. Screenshots go to tests/artifacts/ (not committed).

Skipped, with the reason, when no Chromium is installed. `PLANNER_CHROMIUM` may name the
browser binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from planner.domain.plan import Plan
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_plan

Image = pytest.importorskip(
    "PIL.Image", reason="Pillow decodes the screenshots (pip install pillow)"
)
ImageStat = pytest.importorskip("PIL.ImageStat")

HERE = Path(__file__).resolve().parent.parent
ARTIFACTS = HERE / "artifacts"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = os.environ.get("PLANNER_CHROMIUM") or next(
    (found for name in BROWSER_NAMES if (found := shutil.which(name))), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium); the HTML report needs a real "
    "browser for this test",
)

BASE_BLUE = (37, 99, 235)  # charts.PHASE_COLOURS["base"]
TAPER_GREEN = (5, 150, 105)  # charts.PHASE_COLOURS["taper"]


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a throw-away profile and no network chatter."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        "--disable-extensions", "--mute-audio", f"--user-data-dir={tmp_path / 'profile'}",
        *arguments,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def plan() -> Plan:
    """The stored solve of scenarios/marathon_18wk.yaml (18 weeks, all four phases)."""
    return load_plan(HERE / "data" / "plan_marathon.json")


@pytest.fixture(scope="module")
def report(plan: Plan) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "report_marathon.html"
    path.write_text(str(export_plan(plan, "html", ExportOptions(run_unit="mi"))), encoding="utf-8")
    return path


def screenshot(tmp_path: Path, page: Path, name: str, width: int, height: int) -> Path:
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)
    result = chromium(
        tmp_path, f"--screenshot={target}", f"--window-size={width},{height}", page.as_uri()
    )
    assert target.exists(), f"no screenshot; Chromium said:\n{result.stderr[-2000:]}"
    return target


def count_near(image: object, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    """Pixels within `tolerance` of `colour` on every channel."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)  # type: ignore[attr-defined]
    return int((np.abs(pixels - np.array(colour)) <= tolerance).all(axis=-1).sum())


def assert_not_blank(path: Path, width: int, height: int) -> object:
    image = Image.open(path)
    assert image.size == (width, height)
    grey = image.convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 20, "the screenshot is (nearly) one flat colour"
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 100, "too few colours for a rendered report"
    return image


def test_browser_parses_the_report_without_errors_and_keeps_user_text_inert(
    plan: Plan, tmp_path: Path
) -> None:
    data = plan.model_dump(mode="json")
    data["scenario"] = '<script>console.error("xss-scenario")</script>Spring marathon'
    first = next(day for day in data["days"] if day["session"])
    first["session"]["items"][0]["name"] = '<img src=x onerror=console.error("xss-img")>Squat'
    page = tmp_path / "hostile.html"
    page.write_text(str(export_plan(Plan.model_validate(data), "html")), encoding="utf-8")

    result = chromium(tmp_path, "--dump-dom", "--enable-logging=stderr", "--v=0", page.as_uri())
    dom = result.stdout
    assert "</html>" in dom, f"Chromium rendered nothing:\n{result.stderr[-2000:]}"
    console = [
        line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line
    ]
    assert console == [], "console messages:\n" + "\n".join(console)
    assert "xss" not in result.stderr  # neither script ran
    assert "<script" not in dom and "<img" not in dom  # the names stayed text
    assert "&lt;script&gt;" in dom
    assert dom.count("<svg") == 2  # phase band and volume chart
    assert dom.count('class="gym-bar"') == len(plan.weeks)
    assert dom.count("<article") == len(plan.sessions())


def test_desktop_screenshot_shows_the_report(report: Path, tmp_path: Path) -> None:
    path = screenshot(tmp_path, report, "report_marathon_desktop.png", 1280, 2400)
    image = assert_not_blank(path, 1280, 2400)
    # The phase band and the chart backgrounds are drawn: base weeks in blue, taper in green.
    assert count_near(image, BASE_BLUE) > 2000
    assert count_near(image, TAPER_GREEN) > 300


def test_phone_screenshot_fits_the_report(report: Path, tmp_path: Path) -> None:
    path = screenshot(tmp_path, report, "report_marathon_phone.png", 390, 1800)
    image = assert_not_blank(path, 390, 1800)
    assert count_near(image, BASE_BLUE) > 300  # the phase band scaled down to the phone
    assert count_near(image, TAPER_GREEN) > 30  # ... all the way to the taper at the right edge


def test_browser_keeps_pairs_grouped(tmp_path: Path) -> None:
    """A plan with paired sets (R17): each pair is one list entry holding its instruction and
    its items A1 and A2, and the page still parses without console messages."""
    paired = load_plan(Path(__file__).resolve().parent / "data" / "plan_pairs.json")
    page = tmp_path / "pairs.html"
    page.write_text(str(export_plan(paired, "html")), encoding="utf-8")
    result = chromium(tmp_path, "--dump-dom", "--enable-logging=stderr", "--v=0", page.as_uri())
    dom = result.stdout
    assert "</html>" in dom, f"Chromium rendered nothing:\n{result.stderr[-2000:]}"
    console = [
        line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line
    ]
    assert console == [], "console messages:\n" + "\n".join(console)
    pairs = sum(
        len({item.pair for item in session.items if item.pair}) for _, session in paired.sessions()
    )
    assert dom.count('<li class="pair"><div class="pair-note"><strong>') == pairs
    assert dom.count('<span class="no">A1</span>') == dom.count('<span class="no">A2</span>') > 0
