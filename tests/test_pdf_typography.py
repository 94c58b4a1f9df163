"""The workbooks' type, as a trainer sees it laying the editions side by side: one body size, headings above it.

The learner and personalised editions were once set in 13 pt by accident (the page root's class `wb-learner` also
matched a rule for a cover paragraph), against 11 pt in the facilitator edition and 10.5 pt on the dimension pages.
Sizes are read from the PDFs with pdfplumber, for every edition, paper and language (``pdf_pages``).
"""

from collections import Counter

import pytest
from pdf_pages import WORKBOOKS, chapters, pages, squashed

from leadmanage_xblock.core.content import load_builtin_lesson

#: Print practice for a serif workbook read at arm's length.
BODY_SIZES = (10.5, 11.5)


def body_size(language: str, edition: str, paper: str) -> float:
    """The size most of a workbook's text (the cover aside) is set in."""
    return sum((page.sizes for page in pages(language, edition, paper)), Counter()).most_common(1)[0][0]


def reading_chapters(lesson) -> list[str]:
    """The titles of the chapters of running text: introduction, each dimension, balancing, closing."""
    titles = [lesson.introduction.title, lesson.balancing.title, lesson.closing.title]
    titles += [f"{number}. {dimension.title}" for number, dimension in enumerate(lesson.dimensions, start=1)]
    return [squashed(title) for title in titles]


def test_body_text_is_one_size_in_every_edition_paper_and_language():
    sizes = {"-".join(workbook): body_size(*workbook) for workbook in WORKBOOKS}
    assert len(set(sizes.values())) == 1, f"body text sizes differ: {sizes}"
    assert all(BODY_SIZES[0] <= size <= BODY_SIZES[1] for size in sizes.values())


@pytest.mark.parametrize(("language", "edition", "paper"), WORKBOOKS)
def test_every_page_of_running_text_is_set_at_the_body_size(language, edition, paper):
    """The dimension pages' two columns included: no chapter reads smaller or larger than the rest."""
    body, by_title = body_size(language, edition, paper), chapters(language, edition, paper)
    for title in reading_chapters(load_builtin_lesson(language)):
        for page in by_title[title]:
            assert page.body_size == body, f"page {page.number} ({title}) is mostly {page.body_size} pt, not {body} pt"


def test_chapter_titles_are_one_size_and_the_largest_text_on_their_page():
    """The top of the type scale: every chapter opens with a title in the same size, above anything else there."""
    openings = [page for workbook in WORKBOOKS for page in pages(*workbook) if page.opens_chapter]
    assert len({page.first_size for page in openings}) == 1, sorted({page.first_size for page in openings})
    for page in openings:
        assert page.first_size == max(page.sizes), f"page {page.number} has text larger than its title"
        assert page.first_size >= 1.5 * BODY_SIZES[1], "a title stands well above the body text"
