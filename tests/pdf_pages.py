"""Every workbook a trainer prints (edition × paper × language), rendered once per session, and what its pages hold.

The typography and page-break tests read the same twelve PDFs, so each is rendered once (``workbook``) and read
once with pdfplumber (``pages``): per page its body text in the order it is drawn, its text sizes, how far down
the page the text and drawings reach, and its writing spaces. The body is what lies between the running header
and the footer, which sit in print.css's page margins (22 mm at the top, 20 mm at the bottom, both papers).
"""

import io
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pdfplumber
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import MM, reader, render, render_builtin

from leadmanage_xblock.core.content import load_builtin_lesson

EDITIONS = ("learner", "facilitator", "personalised")
PAPERS = ("a4", "letter")
LANGUAGES = ("en", "es")
WORKBOOKS = [(language, edition, paper) for language in LANGUAGES for edition in EDITIONS for paper in PAPERS]
TOP_MARGIN, BOTTOM_MARGIN = 22 * MM, 20 * MM
#: A writing space is one rectangle painted with a pattern (its ruled lines), at least this tall (three lines: 24 mm).
WRITING_SPACE_HEIGHT = 20 * MM


@dataclass(frozen=True)
class Page:
    """One page's body: text without whitespace in drawing order, each character's bottom, sizes, fill."""

    number: int
    text: str
    bottoms: tuple[float, ...]  # the bottom (pt from the page's top) of each character of ``text``
    sizes: Counter[float]  # characters per text size in points (0.1 pt steps)
    first_size: float  # the size of the page's first text: a section's title on the page it opens
    fill: float  # how far down the body the lowest text or drawing reaches: 0 empty, 1 full
    writing_tops: tuple[float, ...]  # the top of each writing space (ruled lines)
    opens_chapter: bool  # a bookmarked section starts here

    @property
    def body_size(self) -> float:
        """The size most of the page's text is set in."""
        return self.sizes.most_common(1)[0][0]

    def bottom_of(self, text: str) -> float | None:
        """Where ``text`` (whitespace ignored) ends on the page, or None when the page does not hold it."""
        start = self.text.find(squashed(text))
        return None if start < 0 else self.bottoms[start + len(squashed(text)) - 1]


def squashed(text: str) -> str:
    """``text`` without whitespace, as ``Page.text`` holds it."""
    return "".join(text.split())


def complete_learner(lesson) -> LearnerRecord:
    """A learner who did everything: every scenario answered (some wrong), every statement rated, every text written."""
    answers = {item.id: item.options[index % len(item.options)].id for index, item in enumerate(lesson.quiz.scenarios)}
    ratings = {item.id: 1 + index % 5 for index, item in enumerate(lesson.quiz.ratings.items)}
    sentence = "I plan the week with the team and keep one routine steady while we change the rest. "
    reflection = {prompt_id: sentence * 3 for prompt_id in lesson.prompt_ids}
    plan = {field_id: sentence for field_id in lesson.action_plan_field_ids}
    return LearnerRecord(
        "ana", full_name="Ana García", answers=answers, ratings=ratings, reflection=reflection, action_plan=plan
    )


@cache
def workbook(language: str, edition: str, paper: str) -> bytes:
    """The built-in lesson's workbook in ``language``: learner, facilitator or personalised, rendered once."""
    lesson = load_builtin_lesson(language)
    if edition == "personalised":
        return render(lesson, complete_learner(lesson), paper=paper)
    if language == "en":  # the very workbooks other PDF tests read: rendered once for all of them
        return render_builtin(edition, paper)
    return render(lesson, edition=edition, paper=paper)


@cache
def pages(language: str, edition: str, paper: str) -> tuple[Page, ...]:
    """Every page of ``workbook(language, edition, paper)`` but the cover, read once."""
    data = workbook(language, edition, paper)
    pdf = reader(data)
    openings = {pdf.get_destination_page_number(entry) for entry in pdf.outline}
    with pdfplumber.open(io.BytesIO(data)) as document:
        return tuple(read_page(page, page.page_number - 1 in openings) for page in document.pages[1:])


def read_page(page, opens_chapter: bool) -> Page:
    """What one pdfplumber page holds between its header and footer."""
    top, bottom = TOP_MARGIN, page.height - BOTTOM_MARGIN

    def in_body(item) -> bool:
        return item["top"] >= top - 1 and item["bottom"] <= bottom + 1

    chars = [char for char in page.chars if in_body(char) and not char["text"].isspace()]
    drawings = [item for item in page.rects + page.lines + page.curves if in_body(item)]
    lowest = max((item["bottom"] for item in chars + drawings), default=top)
    writing = [rect["top"] for rect in page.rects if in_body(rect) and is_writing_space(rect)]
    return Page(
        number=page.page_number,
        text="".join(char["text"] for char in chars),
        bottoms=tuple(char["bottom"] for char in chars),
        sizes=Counter(round(char["size"], 1) for char in chars),
        first_size=round(chars[0]["size"], 1) if chars else 0.0,
        fill=(lowest - top) / (bottom - top),
        writing_tops=tuple(sorted(writing)),
        opens_chapter=opens_chapter,
    )


def is_writing_space(rect) -> bool:
    """Whether a pdfplumber rectangle is ruled writing space: a pattern fill (pdfplumber names it), not a colour."""
    return isinstance(rect["non_stroking_color"], str) and rect["height"] >= WRITING_SPACE_HEIGHT


@cache
def chapters(language: str, edition: str, paper: str) -> dict[str, tuple[Page, ...]]:
    """The pages of each bookmarked section, by its title (whitespace removed)."""
    pdf = reader(workbook(language, edition, paper))
    starts = [(squashed(entry.title), pdf.get_destination_page_number(entry) + 1) for entry in pdf.outline]
    ends = [start for _, start in starts[1:]] + [len(pdf.pages) + 1]
    by_number = {page.number: page for page in pages(language, edition, paper)}
    spans = zip(starts, ends, strict=True)
    return {title: tuple(by_number[number] for number in range(start, end)) for (title, start), end in spans}
