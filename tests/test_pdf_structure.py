"""The printed workbook's structure: paper, outline, contents page numbers, tagging, fonts, forms."""

import io
import re

import pdfplumber
import pikepdf
import pytest
from pdf_helpers import MM, PAPER_POINTS, reader, render_builtin, squash

EDITIONS_AND_PAPERS = [(edition, paper) for edition in ("learner", "facilitator") for paper in ("a4", "letter")]


def expected_sections(lesson, edition):
    titles = [lesson.introduction.title]
    titles += [f"{number}. {dimension.title}" for number, dimension in enumerate(lesson.dimensions, start=1)]
    titles += [lesson.balancing.title, lesson.quiz.title, lesson.profile.title]
    titles += [lesson.reflection.title, lesson.action_plan.title, lesson.closing.title]
    return [lesson.facilitator.title, *titles, "Answer key"] if edition == "facilitator" else titles


def outline(pdf):
    return [(entry.title, pdf.get_destination_page_number(entry) + 1) for entry in pdf.outline]


def contents_page_numbers(pdf):
    """(title, printed page number) for every line of the contents page."""
    text = pdf.pages[1].extract_text()
    heading, *lines = text.splitlines()
    entries = lines[: lines.index(heading)]  # the running header repeats the heading after the list
    return [re.fullmatch(r"(.+?)\s+(\d+)", line).groups() for line in entries]


@pytest.mark.parametrize(("edition", "paper"), EDITIONS_AND_PAPERS)
def test_every_page_has_the_chosen_paper_size(edition, paper):
    width, height = PAPER_POINTS[paper]
    for page in reader(render_builtin(edition, paper)).pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


@pytest.mark.parametrize(("edition", "paper"), EDITIONS_AND_PAPERS)
def test_outline_has_one_bookmark_per_section(edition, paper, builtin_lesson):
    pdf = reader(render_builtin(edition, paper))
    assert [title for title, _ in outline(pdf)] == expected_sections(builtin_lesson, edition)
    assert all(not isinstance(entry, list) for entry in pdf.outline), "sections have no nested bookmarks"


@pytest.mark.parametrize(("edition", "paper"), EDITIONS_AND_PAPERS)
def test_contents_page_numbers_are_the_pages_sections_start_on(edition, paper):
    pdf = reader(render_builtin(edition, paper))
    printed = contents_page_numbers(pdf)
    assert [squash(title) for title, _ in printed] == [squash(title) for title, _ in outline(pdf)]
    assert [int(number) for _, number in printed] == [page for _, page in outline(pdf)]
    # and each section's title really is at the top of that page
    for title, page in outline(pdf):
        assert squash(title) in squash(pdf.pages[page - 1].extract_text())


@pytest.mark.parametrize(("edition", "paper"), EDITIONS_AND_PAPERS)
def test_footer_numbers_every_page_n_of_m(edition, paper):
    pages = reader(render_builtin(edition, paper)).pages
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page.extract_text()


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_tagged_pdf_ua_with_language_and_title(edition, builtin_lesson):
    with pikepdf.open(io.BytesIO(render_builtin(edition))) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked
        assert str(root.Lang) == builtin_lesson.language
        assert root.ViewerPreferences.DisplayDocTitle
        metadata = pdf.open_metadata()
        assert metadata["dc:title"] == builtin_lesson.title
        assert metadata["pdfuaid:part"] == "1"


def structure_elements(pdf):
    stack, found = [pdf.Root.StructTreeRoot], []
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        children = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in children:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def test_every_figure_has_alt_text():
    from leadmanage_exporters.responses import LearnerRecord
    from pdf_helpers import render

    from leadmanage_xblock.core.content import load_builtin_lesson

    learner = LearnerRecord("sam", ratings={"goals_r1": 1, "people_r1": 5})
    with pikepdf.open(io.BytesIO(render(load_builtin_lesson(), learner))) as pdf:
        figures = [element for element in structure_elements(pdf) if element.S == "/Figure"]
        assert figures, "the profile chart is tagged as a figure"
        assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


@pytest.mark.parametrize(("edition", "paper"), EDITIONS_AND_PAPERS)
def test_fonts_are_embedded_and_subset(edition, paper):
    with pikepdf.open(io.BytesIO(render_builtin(edition, paper))) as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.get("/Font", {}).values()}
        assert fonts
        for font in fonts.values():
            descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
            assert re.match(r"/[A-Z]{6}\+", str(font.BaseFont)), f"{font.BaseFont} is not a subset"


@pytest.mark.parametrize(("edition", "paper"), EDITIONS_AND_PAPERS)
def test_no_text_below_9pt_and_nothing_outside_the_page(edition, paper):
    width, height = PAPER_POINTS[paper]
    with pdfplumber.open(io.BytesIO(render_builtin(edition, paper))) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for char in page.chars:
                where = f"{char['text']!r} on page {number}"
                assert char["size"] >= 8.99, f"{where} is {char['size']:.1f} pt"
                assert char["x0"] >= 10 * MM, f"{where} runs off the left"
                assert char["x1"] <= width - 10 * MM, f"{where} runs off the right"
                assert char["top"] >= 10 * MM, f"{where} runs off the top"
                assert char["bottom"] <= height - 10 * MM, f"{where} runs off the bottom"


def test_personalised_chart_text_is_9pt_or_more(builtin_lesson):
    from leadmanage_exporters.responses import LearnerRecord
    from pdf_helpers import render

    data = render(builtin_lesson, LearnerRecord("sam", ratings={"goals_r1": 2}))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert min(char["size"] for page in pdf.pages for char in page.chars) >= 8.99


def test_no_form_fields_unless_fillable():
    assert not reader(render_builtin("learner")).get_fields()
    assert not reader(render_builtin("facilitator")).get_fields()


def test_letter_and_a4_keep_the_same_sections():
    a4, letter = reader(render_builtin("learner", "a4")), reader(render_builtin("learner", "letter"))
    assert [title for title, _ in outline(a4)] == [title for title, _ in outline(letter)]
