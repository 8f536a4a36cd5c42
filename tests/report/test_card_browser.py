"""The training card printed by headless Chromium (`-o plan.pdf`): the PDF has one page per
week printed, on A4 and on US Letter, and a printed page, rendered to an image, shows the
card. The images land in pytest's tmp_path.

Skipped, with the reason, when no Chromium is installed (PLANNER_CHROMIUM may name it), or
without the dev extra's PDF readers.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest

from planner.domain.plan import Plan
from planner.errors import OutputError
from planner.io.plan_file import load_plan
from planner.report.export import ExportOptions, export_plan
from planner.report.export.to_pdf import find_browser, require_browser

pypdf = pytest.importorskip("pypdf", reason="pypdf counts the PDF's pages (pip install pypdf)")
pdfium = pytest.importorskip(
    "pypdfium2", reason="pypdfium2 renders a PDF page to an image (pip install pypdfium2)"
)
Image = pytest.importorskip("PIL.Image", reason="Pillow reads the page image (pip install pillow)")

HERE = Path(__file__).resolve().parent
needs_browser = pytest.mark.skipif(
    find_browser() is None,
    reason="Chromium is not installed (apt-get install chromium); the PDF is printed by it",
)
POINTS = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}  # page sizes in PDF points
BEFORE_THE_BLOCK = dt.date(2027, 1, 1)


@pytest.fixture(scope="module")
def paired() -> Plan:
    """8 weeks with paired sets and two nine-item sessions a week: the most crowded pages."""
    return load_plan(HERE / "data" / "plan_pairs.json")


@pytest.fixture(scope="module")
def marathon() -> Plan:
    return load_plan(HERE.parent / "data" / "plan_marathon.json")


def pdf_of(plan: Plan, **options: object) -> bytes:
    data = export_plan(plan, "pdf", ExportOptions(run_unit="mi", **options))  # type: ignore[arg-type]
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    return data


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def printed_page(data: bytes, index: int, target: Path) -> object:
    """Page `index` of the PDF as a PNG at 100 dpi, as a printer would lay it down."""
    document = pdfium.PdfDocument(data)
    document[index].render(scale=100 / 72).to_pil().save(target)
    return Image.open(target)


@needs_browser
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_has_a_page_per_week_on_either_paper(paper: str, paired: Plan) -> None:
    sizes = page_sizes(pdf_of(paired, paper=paper))
    assert len(sizes) == len(paired.weeks)
    width, height = POINTS[paper]
    assert all(abs(w - width) < 1 and abs(h - height) < 1 for w, h in sizes)


@needs_browser
def test_weeks_chooses_the_pages(marathon: Plan) -> None:
    # 18 weeks in all; --weeks 4 from before the block prints weeks 1-4, one page each, and
    # the printer's own paper (no --paper) is Chromium's default.
    assert len(page_sizes(pdf_of(marathon))) == len(marathon.weeks)
    assert len(page_sizes(pdf_of(marathon, weeks=4, today=BEFORE_THE_BLOCK))) == 4


@needs_browser
def test_a_printed_page_shows_the_card(paired: Plan, tmp_path: Path) -> None:
    data = pdf_of(paired, paper="a4", weeks=1, today=BEFORE_THE_BLOCK)
    image = printed_page(data, 0, tmp_path / "card_week1_a4.png")
    width, height = image.size
    assert abs(width - 827) <= 1 and abs(height - 1169) <= 1  # A4 at 100 dpi
    grey = np.asarray(image.convert("L"), dtype=np.int16)  # type: ignore[attr-defined]
    ink = grey < 128
    assert ink.mean() > 0.02, "the page is (nearly) blank"
    rows = np.flatnonzero(ink.any(axis=1))
    # The week fills the page from the top margin down, and stays inside the bottom margin.
    assert rows[0] < 0.1 * grey.shape[0] and rows[-1] > 0.5 * grey.shape[0]
    assert rows[-1] < grey.shape[0] - 30
    # The table's ruled lines: long dark horizontal runs, one per row at least.
    ruled = (ink.mean(axis=1) > 0.6).sum()
    items = sum(len(s.items) for d, s in paired.sessions() if d.week == 1)
    assert ruled >= items


def test_without_a_browser_the_pdf_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, marathon: Plan
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLANNER_CHROMIUM", str(tmp_path / "no-such-browser"))
    monkeypatch.setattr("planner.report.export.to_pdf.KNOWN_PLACES", ())
    with pytest.raises(OutputError, match="apt-get install chromium") as raised:
        require_browser()
    assert raised.value.exit_code == 3
    with pytest.raises(OutputError, match="PLANNER_CHROMIUM"):
        export_plan(marathon, "pdf")
