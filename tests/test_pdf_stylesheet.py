"""The print stylesheets reach WeasyPrint with their custom properties written out: the same workbook, both palettes."""

import pytest
from leadmanage_exporters import pdf
from leadmanage_exporters.pdf_css import palette, written_out
from leadmanage_exporters.pdf_forms import field_stylesheet
from leadmanage_exporters.responses import LearnerRecord

from leadmanage_xblock.core.rendering import static_text

LEARNER = LearnerRecord("kai", full_name="Kai Ito", ratings={"goals_r1": 2}, reflection={"roles_today": "Two lines."})


@pytest.fixture
def sheets_as_written(monkeypatch):
    """Lets WeasyPrint resolve every ``var()`` itself, as it did before the sheets were written out."""
    caches = (pdf._print_css, pdf._field_css)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(pdf, "written_out", lambda css, values: css)
    yield
    for cache in caches:  # the next test gets the written-out sheets again
        cache.cache_clear()


@pytest.fixture
def written_out_workbooks(builtin_lesson):
    """The personalised fillable workbook in colour and in grayscale, made with the written-out sheets."""
    return {gray: pdf.PdfExporter(fillable=True, grayscale=gray).export(builtin_lesson, LEARNER) for gray in (0, 1)}


def test_written_out_sheets_make_the_very_bytes_the_sheets_with_custom_properties_make(
    builtin_lesson, written_out_workbooks, sheets_as_written
):
    for gray, data in written_out_workbooks.items():
        assert pdf.PdfExporter(fillable=True, grayscale=gray).export(builtin_lesson, LEARNER) == data, gray


@pytest.mark.parametrize("grayscale", [False, True])
@pytest.mark.parametrize("sheet", ["print.css", "print-fields.css"])
def test_every_custom_property_is_written_out_in_both_palettes(sheet, grayscale):
    text = static_text("css/print.css") if sheet == "print.css" else field_stylesheet()
    assert "var(" not in written_out(text, palette(static_text("css/print.css"), grayscale))


def test_the_grayscale_palette_replaces_the_colours_and_keeps_the_sizes():
    colour, gray = (palette(static_text("css/print.css"), grayscale) for grayscale in (False, True))
    assert colour["accent"] == "#1f4e6b"
    assert gray["accent"] == "#222"
    assert colour["pitch"] == gray["pitch"] == "8mm"
