"""Batch workbooks share the lesson's unchanging pages: each must still be the very workbook a single render makes."""

import pytest
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import (
    no_weasyprint_warnings,  # noqa: F401 - the fixture used by every test here
    reader,
)

pytestmark = pytest.mark.usefixtures("no_weasyprint_warnings")


def learner(lesson, username: str, sentences: int) -> LearnerRecord:
    """A learner with some answers and ratings, and reflections of ``sentences`` sentences each."""
    answers = {
        item.id: item.options[number % len(item.options)].id for number, item in enumerate(lesson.quiz.scenarios)
    }
    ratings = {item.id: 1 + number % 5 for number, item in enumerate(lesson.quiz.ratings.items)}
    words = f"{username} thinks about leading and managing in this team every week. "
    reflection = {prompt_id: (words * sentences)[: lesson.reflection.max_length] for prompt_id in lesson.prompt_ids}
    plan = {field_id: f"{username}: {field_id}" for field_id in lesson.plan_field_ids}
    return LearnerRecord(username, username.title(), answers, ratings, reflection, plan)


def summary(data: bytes) -> dict:
    """What a reader sees: every page's text, the outline with its pages, links, fields and tagging."""
    pdf = reader(data)
    return {
        "pages": [page.extract_text() for page in pdf.pages],
        "outline": [(entry.title, pdf.get_destination_page_number(entry)) for entry in pdf.outline],
        "destinations": sorted(pdf.named_destinations),
        "fields": sorted(pdf.get_fields() or {}),
        "tagged": "/StructTreeRoot" in pdf.trailer["/Root"],
        "title": pdf.metadata.title,
    }


@pytest.mark.parametrize("options", [{}, {"paper": "letter", "fillable": True}], ids=["a4", "letter-fillable"])
def test_shared_pages_make_the_same_workbook_as_a_single_render(builtin_lesson, options):
    exporter = PdfExporter(**options)
    workbooks = SharedPageWorkbooks(exporter, builtin_lesson)
    # A short learner, then one whose long reflections add pages, then a short one again: the page
    # count (printed on every page as "of M") changes twice.
    for record in (
        learner(builtin_lesson, "ana", 1),
        learner(builtin_lesson, "ben", 40),
        learner(builtin_lesson, "cy", 2),
    ):
        shared = summary(workbooks.export(record))
        single = summary(exporter.export(builtin_lesson, record))
        assert shared == single, record.username


def test_page_count_changes_between_learners(builtin_lesson):
    """The case above is only a test of the re-layout if the long learner really has more pages."""
    exporter = PdfExporter()
    short = reader(exporter.export(builtin_lesson, learner(builtin_lesson, "ana", 1)))
    long = reader(exporter.export(builtin_lesson, learner(builtin_lesson, "ben", 40)))
    assert len(long.pages) > len(short.pages)
    assert f"of {len(long.pages)}" in long.pages[3].extract_text(), "the shared pages count the learner's pages"
