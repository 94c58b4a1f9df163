"""Render workbooks for the PDF tests (failing on any WeasyPrint warning) and read them back."""

import io
import logging
import re
from contextlib import contextmanager
from functools import cache

from leadmanage_exporters.pdf import PdfExporter
from pypdf import PdfReader

MM = 72 / 25.4
PAPER_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_logs():
    """Collect every WeasyPrint message at WARNING or above (missing resources are only logged)."""
    handler, logger = _Collect(), logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def render(lesson, learner=None, **options) -> bytes:
    """Render a workbook; any WeasyPrint warning fails the test."""
    with weasyprint_logs() as messages:
        data = PdfExporter(**options).export(lesson, learner)
    assert not messages, f"WeasyPrint warned: {messages}"
    return data


@cache
def render_builtin(edition="learner", paper="a4", fillable=False, grayscale=False) -> bytes:
    """The built-in lesson's workbook, rendered once per test session."""
    from leadmanage_xblock.core.content import load_builtin_lesson

    return render(load_builtin_lesson(), edition=edition, paper=paper, fillable=fillable, grayscale=grayscale)


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def squash(text: str) -> str:
    """Text without any whitespace, so line breaks in the PDF never matter."""
    return re.sub(r"\s+", "", text)


def text_runs(page) -> list[tuple[str, float, float, float]]:
    """Every text run on ``page`` as (text, size in points, x, y) in page coordinates."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            scale = abs(cm[3] * tm[3]) or abs(cm[0] * tm[0])
            runs.append((text, size * scale, x, y))

    page.extract_text(visitor_text=visit)
    return runs


def body_text(data: bytes) -> str:
    """The text of every page without its running header and footer (the cover has none), whitespace removed."""
    parts = []
    for index, page in enumerate(reader(data).pages):
        height = float(page.mediabox.height)
        runs = text_runs(page)
        parts += [text for text, _, _, y in runs if index == 0 or 18 * MM < y < height - 20 * MM]
    return squash("".join(parts))


#: A row of a personalised workbook's "Your answers" table as text: number, the choice (✓/✗ and words), best answer.
ANSWER_ROW = re.compile(r"^(\d+) (.+) ([A-Z])$")


def answer_rows(data: bytes, heading: str = "Your answers") -> dict[int, tuple[str, str]]:
    """The "Your answers" table of a personalised workbook: {scenario number: (the choice's cell, best answer)}.

    Read from the page that opens with ``heading``: the rows are its first run of lines shaped like one.
    """
    page = next(page.extract_text() for page in reader(data).pages if page.extract_text().startswith(heading))
    rows: dict[int, tuple[str, str]] = {}
    for line in page.splitlines():
        match = ANSWER_ROW.match(line)
        if match:
            rows[int(match[1])] = (match[2], match[3])
        elif rows:
            break
    return rows
