"""A personalised workbook's quiz (issue 14, item 4): the same scenario pages for every learner, their choices apart.

The scenario pages explain every option and mark the best answer; the learner's own choices are in a "Your answers"
table of their own, so a batch lays the scenario pages out once for all its learners.
"""

import pytest
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import answer_rows, body_text, reader, render, squash

pytestmark = pytest.mark.usefixtures("no_weasyprint_warnings")


def mixed_answers(lesson, shift: int = 0) -> dict[str, str]:
    """Scenario 3 left unanswered; of the others, every second one (from the first, or the second if ``shift``) right.

    Rows are numbered from 1 in the lesson's order: scenario 1 is right and 2 wrong (the other way round if shifted).
    """
    answers = {}
    for index, item in enumerate(lesson.quiz.scenarios):
        wrong = next(option.id for option in item.options if option.id != item.correct_option.id)
        if index != 2:
            answers[item.id] = item.correct_option.id if (index + shift) % 2 == 0 else wrong
    return answers


def learner(lesson, username: str = "ana", shift: int = 0) -> LearnerRecord:
    ratings = {item.id: 2 for item in lesson.quiz.ratings.items}
    return LearnerRecord(username, full_name=username.title(), answers=mixed_answers(lesson, shift), ratings=ratings)


@pytest.fixture(scope="module")
def mixed(builtin_lesson) -> bytes:
    return render(builtin_lesson, learner(builtin_lesson))


def quiz_page_objects(data: bytes, lesson) -> list:
    """The pages from the quiz's title to the page before "Your answers" (both found by the outline)."""
    pdf = reader(data)
    starts = {entry.title: pdf.get_destination_page_number(entry) for entry in pdf.outline}
    return pdf.pages[starts[lesson.quiz.title] : starts["Your answers"]]


def quiz_pages(data: bytes, lesson) -> list[str]:
    """The text of the quiz's scenario pages."""
    return [page.extract_text() for page in quiz_page_objects(data, lesson)]


def test_your_answers_gives_each_scenarios_number_the_learners_choice_and_the_best_answer(builtin_lesson, mixed):
    answers = mixed_answers(builtin_lesson)
    expected = {}
    for number, item in enumerate(builtin_lesson.quiz.scenarios, start=1):
        best, chosen = item.correct_option.id.upper(), answers.get(item.id, "").upper()
        if not chosen:
            expected[number] = ("No answer", best)
        elif chosen == best:
            expected[number] = (f"✓ {chosen}, the best answer", best)
        else:
            expected[number] = (f"✗ {chosen}, not the best answer", best)
    assert answer_rows(mixed) == expected
    assert {choice for choice, _ in expected.values()} >= {"No answer"}  # right, wrong and unanswered rows
    assert squash("You chose the best answer in 5 of 12 scenarios (42%).") in body_text(mixed)


def test_the_scenario_pages_number_the_scenarios_as_the_table_does(builtin_lesson, mixed):
    quiz = squash("".join(quiz_pages(mixed, builtin_lesson)))
    for number, item in enumerate(builtin_lesson.quiz.scenarios, start=1):
        assert squash(f"{number}. {item.situation}") in quiz, number


def test_the_scenario_pages_mark_every_best_answer_and_no_learners_choice(builtin_lesson, mixed):
    quiz = "".join(quiz_pages(mixed, builtin_lesson))
    assert quiz.count("✓ Best answer") == len(builtin_lesson.quiz.scenarios)
    assert "your choice" not in quiz.lower()
    assert "☒" not in quiz
    explanations = [option.explanation for item in builtin_lesson.quiz.scenarios for option in item.options]
    assert all(squash(explanation) in squash(quiz) for explanation in explanations)


def test_learners_with_different_answers_get_the_same_scenario_pages(builtin_lesson, mixed):
    other = render(builtin_lesson, learner(builtin_lesson, "ben", shift=1))
    assert answer_rows(other) != answer_rows(mixed)
    assert quiz_pages(other, builtin_lesson) == quiz_pages(mixed, builtin_lesson)


def test_a_batch_lays_the_scenario_pages_out_once_for_all_its_learners(builtin_lesson, monkeypatch):
    laid_out, lay_out = [], PdfExporter.lay_out

    def counted_lay_out(*args, **kwargs):
        laid_out.append(kwargs.get("part"))
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(PdfExporter, "lay_out", counted_lay_out)
    workbooks = SharedPageWorkbooks(PdfExporter(), builtin_lesson)
    first = workbooks.export(learner(builtin_lesson, "ana"))
    shared_layouts = workbooks.shared_layouts
    later = [
        workbooks.export(learner(builtin_lesson, name, shift)) for name, shift in (("ben", 1), ("cy", 0), ("di", 1))
    ]
    assert workbooks.shared_layouts == shared_layouts  # no more shared layouts for more learners
    assert laid_out.count("lesson") == 2  # once to count its pages, once numbered
    assert laid_out.count("own") == 4  # each learner's cover and own pages
    assert any(f"wb-scenario-{builtin_lesson.quiz.scenarios[0].id}" in page.anchors for page in workbooks.shared_pages)
    # The scenario pages are the same bytes in every learner's workbook.
    streams = [
        [page.get_contents().get_data() for page in quiz_page_objects(data, builtin_lesson)] for data in (first, *later)
    ]
    assert len(streams[0]) >= 3
    assert all(pages == streams[0] for pages in streams)
    assert quiz_pages(first, builtin_lesson) == quiz_pages(later[0], builtin_lesson)


def table_rows(table) -> list[list[tuple[str, str | None]]]:
    """Each row of a tagged table as (structure type, header scope) per cell, head rows first."""
    rows = []
    for group in kids(table):
        for row in kids(group):
            cells = []
            for cell in kids(row):
                attributes = cell.get("/A")
                scope = attributes.get_object().get("/Scope") if attributes is not None else None
                cells.append((str(cell["/S"]), None if scope is None else str(scope)))
            rows.append(cells)
    return rows


def kids(node) -> list:
    """A structure element's child elements (not its marked-content ids)."""
    found = node.get_object().get("/K", [])
    found = [kid.get_object() for kid in (found if isinstance(found, list) else [found]) if hasattr(kid, "get_object")]
    return [kid for kid in found if isinstance(kid, dict) and "/S" in kid]


def tables(node) -> list:
    """Every /Table structure element under ``node``."""
    found = []
    for kid in kids(node):
        found += [kid] if kid["/S"] == "/Table" else tables(kid)
    return found


def test_your_answers_is_tagged_as_a_table_with_column_and_row_headers(builtin_lesson, mixed):
    tagged = [table_rows(table) for table in tables(reader(mixed).trailer["/Root"]["/StructTreeRoot"])]
    heads = [("/TH", "/Column")] * 3
    body = [[("/TH", "/Row"), ("/TD", None), ("/TD", None)]] * len(builtin_lesson.quiz.scenarios)
    assert [heads, *body] in tagged


def test_a_learner_who_answered_no_scenario_is_told_so_instead_of_a_table(builtin_lesson):
    data = render(builtin_lesson, LearnerRecord("sam", ratings={"goals_r1": 2}))
    text = body_text(data)
    assert squash("You did not answer the scenarios, so there is no score") in text
    assert squash("Your choice") not in text
    assert squash("You chose the best answer") not in text
    assert "".join(quiz_pages(data, builtin_lesson)).count("✓ Best answer") == len(builtin_lesson.quiz.scenarios)
