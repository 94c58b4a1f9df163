"""A batch worker draws the lesson's shared pages once and replays the drawing: each workbook keeps its exact bytes."""

import pytest
from leadmanage_exporters import pdf_parts
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_glyphs import undrawn_characters
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.responses import LearnerRecord
from lesson_patches import patched_builtin
from weasyprint import Page

from leadmanage_xblock.core.content import load_builtin_lesson, parse_lesson

#: Options that change how the shared pages are drawn (paper, form fields, colours, language, edition).
VARIANTS = {
    "a4": ("en", {}),
    "letter-fillable": ("en", {"paper": "letter", "fillable": True}),
    "spanish-grayscale": ("es", {"grayscale": True}),
    "facilitator": ("en", {"edition": "facilitator"}),
}


def learners(lesson) -> list[LearnerRecord]:
    """Three learners with different names, answers, ratings and writing."""
    records = []
    for number, name in enumerate(("Ana Díaz", "Ben Okafor", "Cy Wu")):
        answers = {
            item.id: item.options[(number + index) % len(item.options)].id
            for index, item in enumerate(lesson.quiz.scenarios)
        }
        ratings = {item.id: 1 + (number + index) % 5 for index, item in enumerate(lesson.quiz.ratings.items)}
        reflection = {
            prompt_id: f"{name} writes about {prompt_id}. " * (1 + 3 * number) for prompt_id in lesson.prompt_ids
        }
        records.append(
            LearnerRecord(f"user{number}", full_name=name, answers=answers, ratings=ratings, reflection=reflection)
        )
    return records


@pytest.fixture
def draws(monkeypatch):
    """Counts how often WeasyPrint really draws each page (``Page.paint``), by page."""
    counts: dict[int, int] = {}
    paint = Page.paint

    def counted(page, stream, scale=1):
        counts[id(page)] = counts.get(id(page), 0) + 1
        return paint(page, stream, scale)

    monkeypatch.setattr(Page, "paint", counted)
    return counts


def drawn_every_time(monkeypatch, exporter, lesson, records) -> list[bytes]:
    """The same workbooks with the shared pages drawn by WeasyPrint for each workbook, as before pdf_drawn."""
    with monkeypatch.context() as patch:
        patch.setattr(pdf_parts, "DrawnOnce", lambda page: type(page).paint.__get__(page))
        workbooks = SharedPageWorkbooks(exporter, lesson)
        return [workbooks.export(record) for record in records]


@pytest.mark.parametrize(("language", "options"), VARIANTS.values(), ids=VARIANTS)
def test_replayed_shared_pages_give_the_very_bytes_drawing_them_gives(monkeypatch, language, options):
    lesson = load_builtin_lesson(language)
    records = learners(lesson)
    workbooks = SharedPageWorkbooks(PdfExporter(**options), lesson)
    replayed = [workbooks.export(record) for record in records]
    assert replayed == drawn_every_time(monkeypatch, PdfExporter(**options), lesson, records)


def test_a_worker_draws_each_shared_page_once_however_many_workbooks(draws, builtin_lesson):
    workbooks = SharedPageWorkbooks(PdfExporter(), builtin_lesson)
    for record in learners(builtin_lesson):
        workbooks.export(record)
    shared = workbooks.shared_pages
    assert shared, "the lesson has shared pages"
    assert [draws[id(page)] for page in shared] == [1] * len(shared)
    assert [page.paint.replays for page in shared] == [3] * len(shared)


def test_a_shared_page_with_text_no_font_can_draw_is_drawn_and_reported_in_every_workbook():
    """WeasyPrint reports such characters as it draws them, and a batch tells the operator for each learner."""
    text = patched_builtin({"introduction.paragraphs[0]": lambda old: old + " \ue003"})
    lesson = parse_lesson(text, "undrawable.yaml")
    workbooks = SharedPageWorkbooks(PdfExporter(), lesson)
    for record in learners(lesson):
        with undrawn_characters() as undrawn:
            workbooks.export(record)
        assert undrawn == {"\ue003"}, record.username
    introduction = next(page for page in workbooks.shared_pages if "wb-intro-title" in page.anchors)
    assert introduction.paint.replays == 0


def test_a_weasyprint_whose_stream_differs_draws_every_page_and_gives_the_same_workbooks(monkeypatch, builtin_lesson):
    """A release that renames what a replay reads (here: a state attribute streams lack) only loses speed."""
    from leadmanage_exporters import pdf_drawn

    records = learners(builtin_lesson)[:2]
    expected = drawn_every_time(monkeypatch, PdfExporter(), builtin_lesson, records)
    monkeypatch.setattr(pdf_drawn, "STATE_ATTRIBUTES", (*pdf_drawn.STATE_ATTRIBUTES, "_renamed_in_a_later_release"))
    workbooks = SharedPageWorkbooks(PdfExporter(), builtin_lesson)
    assert [workbooks.export(record) for record in records] == expected
    assert {page.paint.replays for page in workbooks.shared_pages} == {0}


def test_an_untested_weasyprint_release_draws_every_page(monkeypatch, builtin_lesson):
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    workbooks = SharedPageWorkbooks(PdfExporter(), builtin_lesson)
    workbooks.export(learners(builtin_lesson)[0])
    assert not any(hasattr(page.paint, "replays") for page in workbooks.shared_pages)
