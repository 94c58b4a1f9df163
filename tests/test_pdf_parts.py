"""Batch workbooks share the lesson's unchanging pages: each must still be the very workbook a single render makes."""

from collections import Counter
from functools import cache

import pytest
import yaml
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import reader

from leadmanage_xblock.core.content import builtin_lesson_text, load_builtin_lesson, parse_lesson

pytestmark = pytest.mark.usefixtures("no_weasyprint_warnings")


def learner(lesson, username: str, sentences: int) -> LearnerRecord:
    """A learner with some answers and ratings, and reflections of ``sentences`` sentences each."""
    answers = {
        item.id: item.options[number % len(item.options)].id for number, item in enumerate(lesson.quiz.scenarios)
    }
    ratings = {item.id: 1 + number % 5 for number, item in enumerate(lesson.quiz.ratings.items)}
    words = f"{username} thinks about leading and managing in this team every week. "
    reflection = {prompt_id: (words * sentences)[: lesson.reflection.max_length] for prompt_id in lesson.prompt_ids}
    plan = {field_id: f"{username}: {field_id}" for field_id in lesson.action_plan_field_ids}
    return LearnerRecord(
        username, full_name=username.title(), answers=answers, ratings=ratings, reflection=reflection, action_plan=plan
    )


def summary(data: bytes) -> dict:
    """What a reader sees: every page's text, the outline with its pages, links, fields and tagging."""
    pdf = reader(data)
    return {
        "pages": [page.extract_text() for page in pdf.pages],
        "outline": [(entry.title, pdf.get_destination_page_number(entry)) for entry in pdf.outline],
        "destinations": sorted(pdf.named_destinations),
        "fields": sorted(pdf.get_fields() or {}),
        "tags": structure_types(pdf.trailer["/Root"]["/StructTreeRoot"]),
        "title": pdf.metadata.title,
    }


def structure_types(node) -> Counter:
    """How many structure elements of each type (P, H1, Table, Figure…) the tag tree holds."""
    counts = Counter()
    kids = node.get_object().get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            counts[str(kid["/S"])] += 1
            counts += structure_types(kid)
    return counts


#: Options that change the shared pages' layout (paper, form fields, colours, language), beside the default A4.
VARIANTS = {
    "letter-fillable": ("en", {"paper": "letter", "fillable": True}),
    "spanish-grayscale": ("es", {"grayscale": True}),
}
#: A short learner, then one whose long reflections add pages, then a short one again (username, sentences).
LEARNERS = (("ana", 1), ("ben", 40), ("cy", 2))


@cache
def single_render(language: str, username: str, sentences: int, **options) -> dict:
    """The summary of ``learner(...)``'s workbook rendered whole, made once: several tests compare with it."""
    lesson = load_builtin_lesson(language)
    return summary(PdfExporter(**options).export(lesson, learner(lesson, username, sentences)))


def test_shared_pages_make_the_same_workbook_as_a_single_render_as_the_page_count_changes(builtin_lesson, monkeypatch):
    """Every page prints "of M", and M changes with the learner's writing: their pages are still laid out once each.

    (They used to be laid out with the previous learner's M, and again when it differed: a third of a batch's
    learners, whose writing runs to another page count, cost about 1.5 workbooks each.)
    """
    laid_out, lay_out = Counter(), PdfExporter.lay_out

    def counted_lay_out(*args, **kwargs):
        laid_out[kwargs.get("part")] += 1
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(PdfExporter, "lay_out", counted_lay_out)
    workbooks = SharedPageWorkbooks(PdfExporter(), builtin_lesson)
    for username, sentences in LEARNERS:
        shared = summary(workbooks.export(learner(builtin_lesson, username, sentences)))
        assert shared == single_render("en", username, sentences), username
    assert laid_out["own"] == len(LEARNERS)


def test_the_learners_above_have_different_page_counts():
    """The test above only shows one layout per learner whatever their page count if the counts really differ."""
    counts = [len(single_render("en", username, sentences)["pages"]) for username, sentences in LEARNERS]
    assert counts[0] < counts[1] > counts[2]


@pytest.mark.parametrize(("language", "options"), VARIANTS.values(), ids=VARIANTS)
def test_shared_pages_make_the_same_workbook_as_a_single_render_with_every_option(language, options):
    lesson = load_builtin_lesson(language)
    shared = SharedPageWorkbooks(PdfExporter(**options), lesson).export(learner(lesson, "ana", 1))
    assert summary(shared) == single_render(language, "ana", 1, **options)


def test_contents_running_over_one_page_still_make_the_same_workbook(builtin_lesson):
    """With more than one contents page every later page number would move: such a lesson is rendered whole."""
    data = yaml.safe_load(builtin_lesson_text())
    for dimension in data["dimensions"]:
        dimension["title"] = f"{dimension['title']}: " * 30
    lesson = parse_lesson(yaml.safe_dump(data), "long-titles.yaml")
    exporter = PdfExporter(paper="letter")
    record = learner(lesson, "ana", 1)
    workbook = summary(SharedPageWorkbooks(exporter, lesson).export(record))
    assert workbook == summary(exporter.export(lesson, record))
    assert workbook["pages"][2].startswith(data["dimensions"][3]["title"][:30]), "the contents take two pages"


@pytest.mark.parametrize(
    "answered",
    [0, 5],
    ids=["no answers", "some answers"],
)
def test_shared_pages_make_the_same_workbook_for_a_learner_with_missing_answers(builtin_lesson, answered):
    """The learner's own pages open with "Your answers": no table when nothing was answered, or "No answer" rows."""
    scenarios = builtin_lesson.quiz.scenarios[:answered]
    record = LearnerRecord("dee", answers={item.id: item.options[0].id for item in scenarios})
    shared = SharedPageWorkbooks(PdfExporter(), builtin_lesson).export(record)
    assert summary(shared) == summary(PdfExporter().export(builtin_lesson, record))
