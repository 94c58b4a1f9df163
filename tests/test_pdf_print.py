"""Print options a trainer notices on paper: grayscale, and a clear message when WeasyPrint is missing."""

import io
import subprocess
import sys

import pdfplumber
import pytest
from leadmanage_exporters.cli import cli
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import render, render_builtin, squash
from PIL import Image, ImageChops

LEARNER = LearnerRecord("sam", answers={"goals_s1": "a", "goals_s2": "c"}, ratings={"goals_r1": 1, "people_r1": 5})


def most_colourful_pixel(data: bytes, tmp_path) -> int:
    """The largest difference between colour channels of any pixel, over every page at 20 dpi."""
    pdf = tmp_path / "workbook.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(tmp_path / "page")], check=True)
    spread = 0
    for png in tmp_path.glob("page-*.png"):
        red, green, blue = Image.open(png).convert("RGB").split()
        for first, second in ((red, green), (green, blue), (red, blue)):
            spread = max(spread, ImageChops.difference(first, second).getextrema()[1])
    return spread


def test_grayscale_edition_uses_no_colour_at_all(builtin_lesson, tmp_path):
    colour = render(builtin_lesson, LEARNER)
    assert most_colourful_pixel(colour, tmp_path / "colour") > 40, "the colour edition has colour to remove"
    gray = render(builtin_lesson, LEARNER, grayscale=True)
    assert most_colourful_pixel(gray, tmp_path / "gray") <= 6


def dark_share_per_page(data: bytes, folder) -> list[float]:
    """The share of each page's area printed darker than mid-grey, at 20 dpi (text alone stays far below 5 %)."""
    pdf = folder / "workbook.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-gray", "-r", "20", str(pdf), str(folder / "page")], check=True)
    shares = []
    for image in sorted(folder.glob("page-*.pgm")):
        histogram = Image.open(image).histogram()
        shares.append(sum(histogram[:128]) / sum(histogram))
    return shares


def test_grayscale_edition_prints_no_large_dark_area_and_a_black_title(builtin_lesson, tmp_path):
    """Toner goes on text and rules: the cover was a near-black band with the title reversed out of it in white."""
    data = render_builtin("learner", grayscale=True)
    shares = dark_share_per_page(data, tmp_path / "gray")
    assert max(shares) < 0.05, f"page {shares.index(max(shares)) + 1} is {max(shares):.0%} dark"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        title = [char for char in pdf.pages[0].chars if char["size"] >= 20]
    assert squash("".join(char["text"] for char in title)) == squash(builtin_lesson.title)
    assert all(max(char["non_stroking_color"]) < 0.2 for char in title), "the cover's title is black (on white)"


@pytest.fixture
def tmp_path(tmp_path):
    for name in ("colour", "gray"):
        (tmp_path / name).mkdir()
    return tmp_path


def test_missing_weasyprint_is_reported_with_what_to_do(monkeypatch, runner):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what Python does when the import fails
    reason = PdfExporter.unavailable_reason()
    assert "WeasyPrint cannot be loaded" in reason
    assert "make setup" in reason
    result = runner.invoke(cli, ["export", "pdf", "-o", "never.pdf"])
    assert result.exit_code == 1
    assert "the pdf exporter cannot run here" in result.output


def test_weasyprint_is_available_here():
    assert PdfExporter.unavailable_reason() is None


@pytest.mark.parametrize(("option", "value"), [("edition", "trainer"), ("paper", "a5")])
def test_unknown_edition_or_paper_is_refused(option, value):
    with pytest.raises(ValueError, match=f"unknown {option}"):
        PdfExporter(**{option: value})
