"""Quiz items carry the same numbers on screen and on paper.

The XBlock (and so the SCORM page, which renders the same module) and the workbook number scenarios 1 to 12, then
self-ratings 1 to 12, so "Self-rating 2" on screen is statement 2 in the workbook.
"""

import re

from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.responses import LearnerRecord
from xblock_runtime import html_of, make_block

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
NUMBERED = re.compile(r'data-item="([^"]+)".*?<span class="lm-item-number">(\d+)\.</span>', re.DOTALL)
#: A row of a personalised workbook's "Your answers" table: the scenario it is for, and its number.
ANSWER_ROW = re.compile(r'<tr data-item="([^"]+)"><th scope="row">(\d+)</th>')


def test_screen_and_paper_number_scenarios_and_self_ratings_alike():
    screen = {item: int(number) for item, number in NUMBERED.findall(html_of(make_block()))}
    paper = {item: int(number) for item, number in NUMBERED.findall(PdfExporter().render_html(LESSON))}
    ratings = LESSON.quiz.ratings.items
    assert screen == paper
    assert [paper[item.id] for item in ratings] == list(range(1, len(ratings) + 1))


def test_a_personalised_workbooks_answers_table_numbers_scenarios_as_the_screen_does():
    screen = {item: int(number) for item, number in NUMBERED.findall(html_of(make_block()))}
    learner = LearnerRecord("ana", answers={LESSON.quiz.scenarios[0].id: "a"})
    rows = {item: int(number) for item, number in ANSWER_ROW.findall(PdfExporter().render_html(LESSON, learner))}
    assert rows == {item.id: screen[item.id] for item in LESSON.quiz.scenarios}
