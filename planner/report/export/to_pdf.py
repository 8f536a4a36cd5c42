"""The training card as a PDF: the HTML report (its print layout, `planner.report.export.card`)
printed by headless Chromium.

Why Chromium: the card is the HTML report's own print layout, so the PDF is exactly what a
browser prints from the report, laid out by the engine that renders it on screen (CSS paged
media, `zoom`, page breaks); Linux distributions package it (Debian's `chromium`), and macOS and
Windows users mostly have Chrome already. It adds no Python dependency. WeasyPrint would need
Pango and other system libraries and implements its own subset of CSS.

The browser is found as PLANNER_CHROMIUM, else the first of BROWSERS on the PATH, else the
usual places of Chrome and Chromium on macOS and Windows. Without one, `require_browser`
raises OutputError naming what to install (exit 3), before any solve.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from planner.domain.plan import Plan
from planner.errors import OutputError
from planner.report.export.common import ExportOptions
from planner.report.export.to_html import export as export_html

BROWSER_VARIABLE = "PLANNER_CHROMIUM"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
KNOWN_PLACES = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)
TIMEOUT_S = 120
MISSING = (
    "writing a PDF needs Chromium or Google Chrome, and none was found. Install it "
    "(Debian or Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium; "
    "macOS or Windows: Google Chrome), or set PLANNER_CHROMIUM to the browser's path. "
    "Without a browser, -o plan.html writes the report, and printing it gives the same card."
)


def find_browser() -> str | None:
    """The path of a Chromium-family browser, or None."""
    named = os.environ.get(BROWSER_VARIABLE)
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in KNOWN_PLACES if Path(place).is_file()), None)


def require_browser() -> str:
    """The browser, or OutputError saying what to install."""
    browser = find_browser()
    if browser is None:
        raise OutputError(MISSING)
    return browser


def browser_command(browser: str, profile: Path, *arguments: str) -> list[str]:
    """Headless Chromium with a throw-away profile and nothing fetched from the network. The
    sandbox stays on, except for root, whom Chromium refuses to run sandboxed."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [
        browser, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-sync",
        "--disable-component-update", "--mute-audio", "--hide-scrollbars",
        f"--user-data-dir={profile}", *(["--no-sandbox"] if as_root else []), *arguments,
    ]  # fmt: skip


def render_pdf(html: str, browser: str | None = None) -> bytes:
    """Print `html` to PDF bytes with headless Chromium; OutputError when it fails."""
    browser = browser or require_browser()
    with tempfile.TemporaryDirectory(prefix="planner-pdf-") as folder:
        page, target = Path(folder) / "card.html", Path(folder) / "card.pdf"
        page.write_text(html, encoding="utf-8")
        command = browser_command(
            browser, Path(folder) / "profile", "--no-pdf-header-footer",
            "--print-to-pdf-no-header", f"--print-to-pdf={target}", page.as_uri(),
        )  # fmt: skip
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise OutputError(f"the browser could not print the PDF ({browser}): {error}") from None
        data = target.read_bytes() if target.is_file() else b""
    if not data.startswith(b"%PDF"):
        said = (result.stderr or "").strip().splitlines()[-3:]
        detail = "; ".join(said) if said else f"exit code {result.returncode}"
        raise OutputError(f"the browser could not print the PDF ({browser}): {detail}")
    return data


def export(plan: Plan, options: ExportOptions) -> bytes:
    """The training card as a PDF: a page per week printed (`options.weeks`, `paper`)."""
    return render_pdf(str(export_html(plan, options)))
