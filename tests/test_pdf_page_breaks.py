"""Page breaks a typesetter would sign, as properties of the printed PDFs (every edition, paper and language).

What a trainer noticed: in Letter the scoring grid and the chart it asks you to mark were on different pages; the
Spanish facilitator edition ran to 35 pages against 27 in English, one of them holding a single "Idea clave" box;
several pages were about 80 % empty. Pages are read once per session (``pdf_pages``).
"""

import io

import pdfplumber
import pytest
from pdf_helpers import MM
from pdf_pages import EDITIONS, LANGUAGES, PAPERS, WORKBOOKS, complete_learner, pages, squashed, workbook

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.rendering import translations_for

#: A page that carries on a chapter holds at least this much of its height: no tail left on a page of its own.
LEAST_FILL = 0.30
#: Spanish and Letter may take this many more pages than English A4, and no more.
MOST_EXTRA_PAGES = 0.15
#: From a question's last line to the top of its writing space (a hint may come between).
MOST_GAP_BEFORE_WRITING = 20 * 72 / 25.4
#: The workbooks with a scoring grid to fill in by hand (a personalised one has the learner's chart instead).
BLANK = [printed for printed in WORKBOOKS if printed[1] != "personalised"]
#: A box of the scoring grid, to copy one rating into: 10 mm square.
BOX = 10 * MM


def pages_holding(language: str, edition: str, paper: str, text: str) -> list:
    """The pages whose body holds ``text`` (whitespace ignored); the test fails when none does."""
    found = [page for page in pages(language, edition, paper) if squashed(text) in page.text]
    assert found, f"{text[:50]!r} is on no page"
    return found


def page_holding(language: str, edition: str, paper: str, text: str):
    """The first page whose body holds ``text``."""
    return pages_holding(language, edition, paper, text)[0]


@pytest.mark.parametrize(("language", "edition", "paper"), WORKBOOKS)
def test_no_page_is_left_mostly_empty(language, edition, paper):
    """A page that opens a chapter may be short by design (a one-page chapter); every other page is well filled."""
    for page in pages(language, edition, paper):
        if not page.opens_chapter:
            assert page.fill >= LEAST_FILL, f"page {page.number} is {page.fill:.0%} full"


@pytest.mark.parametrize("edition", EDITIONS)
def test_spanish_and_letter_keep_close_to_the_english_a4_page_count(edition):
    counts = {(language, paper): len(pages(language, edition, paper)) + 1 for language in LANGUAGES for paper in PAPERS}
    most = counts["en", "a4"] * (1 + MOST_EXTRA_PAGES)
    assert all(count <= most for count in counts.values()), counts


@pytest.mark.parametrize(("language", "edition", "paper"), BLANK)
def test_scoring_steps_grid_and_chart_share_one_page(language, edition, paper):
    """The steps say "copy into the grid below" and "mark the chart": all three are on the profile's first page."""
    lesson = load_builtin_lesson(language)
    page = page_holding(language, edition, paper, translations_for(language).gettext("Score your self-ratings"))
    for dimension in lesson.dimensions:
        assert squashed(dimension.title) in page.text, f"the grid's row for {dimension.id} is not on page {page.number}"
        chart_row = f"{dimension.leading.label} / {dimension.managing.label}"
        assert squashed(chart_row) in page.text, f"the chart's line for {dimension.id} is not on page {page.number}"


@pytest.mark.parametrize(("language", "edition", "paper"), WORKBOOKS)
def test_every_takeaway_shares_its_page_with_the_section_it_sums_up(language, edition, paper):
    lesson, label = load_builtin_lesson(language), translations_for(language).gettext("Key takeaway:")
    takeaways = [f"{label} {dimension.takeaway}" for dimension in lesson.dimensions]
    takeaways += [f"{label} {lesson.balancing.takeaway}", lesson.closing.call_to_act]
    for takeaway in takeaways:
        page = page_holding(language, edition, paper, takeaway)
        assert page.text.index(squashed(takeaway)) > 0, f"{takeaway[:40]!r} opens page {page.number} on its own"


@pytest.mark.parametrize(("language", "edition", "paper"), WORKBOOKS)
def test_every_question_shares_its_page_with_the_space_to_answer_it(language, edition, paper):
    """Ruled lines right below each question; in a personalised workbook, the learner's own words."""
    lesson = load_builtin_lesson(language)
    for question in [question for dimension in lesson.dimensions for question in dimension.self_check]:
        assert_writing_space_below(language, edition, paper, question)
    learner = complete_learner(lesson)
    prompts = {prompt.text: learner.reflection[prompt.id] for prompt in lesson.reflection.prompts}
    prompts |= {field.label: learner.action_plan[field.id] for field in lesson.action_plan.fields}
    for prompt, answer in prompts.items():
        if edition == "personalised":
            page = page_holding(language, edition, paper, prompt)
            after = page.text[page.text.index(squashed(prompt)) :]
            assert squashed(answer)[:40] in after, f"{prompt[:40]!r} on page {page.number} is apart from its answer"
        else:
            assert_writing_space_below(language, edition, paper, prompt)


@pytest.mark.parametrize(("language", "edition", "paper"), WORKBOOKS)
def test_no_scenario_or_rating_is_cut_after_its_question(language, edition, paper):
    """An explained scenario (answer key, marked quiz) may go on over a page, but its question keeps an option."""
    lesson = load_builtin_lesson(language)
    for item in lesson.quiz.scenarios:
        for page in pages_holding(language, edition, paper, item.situation):
            for text in (item.question, item.options[0].text):
                assert squashed(text) in page.text, f"{item.id} is cut after its question on page {page.number}"
    for item in lesson.quiz.ratings.items:
        page = page_holding(language, edition, paper, item.leading)
        assert squashed(item.managing) in page.text, f"{item.id}'s statements are on two pages"


def assert_writing_space_below(language: str, edition: str, paper: str, question: str) -> None:
    page = page_holding(language, edition, paper, question)
    end = page.bottom_of(question)
    below = [top for top in page.writing_tops if 0 <= top - end <= MOST_GAP_BEFORE_WRITING]
    assert below, f"{question[:40]!r} on page {page.number} has no writing space right below it"


@pytest.mark.parametrize(("language", "edition", "paper"), BLANK)
def test_the_grids_rating_boxes_stay_inside_their_column(language, edition, paper):
    """Each row's three boxes sit before the Total column: the third once spilled into it, under its heading."""
    with pdfplumber.open(io.BytesIO(workbook(language, edition, paper))) as pdf:
        gettext = translations_for(language).gettext
        page = next(page for page in pdf.pages if gettext("Score your self-ratings") in (page.extract_text() or ""))
        total = next(word for word in page.extract_words() if word["text"] == gettext("Total"))
        boxes = [rect for rect in page.rects if abs(rect["width"] - BOX) < 1 and abs(rect["height"] - BOX) < 1]
        assert len(boxes) == len(load_builtin_lesson(language).quiz.ratings.items)
        assert max(box["x1"] for box in boxes) < total["x0"]
