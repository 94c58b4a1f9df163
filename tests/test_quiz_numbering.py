"""Quiz items carry the same numbers on screen and on paper.

The XBlock (and so the SCORM page, which renders the same module) and the workbook number scenarios 1 to 12, then
self-ratings 1 to 12, so "Self-rating 2" on screen is statement 2 in the workbook.
"""

import re

from leadmanage_exporters.pdf import PdfExporter
from xblock_runtime import html_of, make_block

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
NUMBERED = re.compile(r'data-item="([^"]+)".*?<span class="lm-item-number">(\d+)\.</span>', re.DOTALL)


def test_screen_and_paper_number_scenarios_and_self_ratings_alike():
    screen = {item: int(number) for item, number in NUMBERED.findall(html_of(make_block()))}
    paper = {item: int(number) for item, number in NUMBERED.findall(PdfExporter().render_html(LESSON))}
    ratings = LESSON.quiz.ratings.items
    assert screen == paper
    assert [paper[item.id] for item in ratings] == list(range(1, len(ratings) + 1))
