"""The workbook prints the same content as the XBlock and SCORM page, and author text only as text."""

import pytest
from leadmanage_exporters.pdf import PdfExporter
from pdf_helpers import body_text, reader, render, render_builtin, squash


def learner_strings(lesson):
    """Every piece of the lesson a learner's workbook must show."""
    strings = [lesson.title, lesson.subtitle, lesson.organisation, lesson.introduction.title]
    strings += [*lesson.introduction.paragraphs, *lesson.introduction.objectives]
    for dimension in lesson.dimensions:
        strings += [dimension.title, dimension.question, dimension.takeaway, *dimension.self_check]
        for pole in (dimension.leading, dimension.managing):
            strings += [pole.label, pole.summary, *pole.behaviours]
    strings += [lesson.balancing.title, lesson.balancing.takeaway, *lesson.balancing.paragraphs]
    for practice in lesson.balancing.practices:
        strings += [practice.title, practice.text, *practice.tips]
    strings += [lesson.quiz.title, lesson.quiz.intro, lesson.quiz.ratings.title, lesson.quiz.ratings.intro]
    for item in lesson.quiz.scenarios:
        strings += [item.situation, item.question, *(option.text for option in item.options)]
    for item in lesson.quiz.ratings.items:
        strings += [item.leading, item.managing]
    strings += [lesson.profile.title, lesson.profile.intro]
    for guidance in lesson.profile.guidance:
        strings += [guidance.leading, guidance.balanced, guidance.managing]
    strings += [lesson.reflection.title, lesson.reflection.intro, lesson.action_plan.title, lesson.action_plan.intro]
    strings += [text for prompt in lesson.reflection.prompts for text in (prompt.text, prompt.hint)]
    strings += [text for field in lesson.action_plan.fields for text in (field.label, field.hint)]
    strings += [lesson.closing.title, *lesson.closing.paragraphs, lesson.closing.call_to_act]
    return [text for text in strings if text]


def facilitator_strings(lesson):
    """What only the facilitator edition adds: notes, timings, discussion guide and every explanation."""
    notes = lesson.facilitator
    strings = [notes.title, notes.intro, *notes.answer_key_notes]
    strings += [text for timing in notes.timings for text in (timing.segment, timing.activity)]
    strings += [question for entry in notes.discussion for question in entry.questions]
    strings += [option.explanation for item in lesson.quiz.scenarios for option in item.options]
    return strings


def missing(strings, text):
    return [string for string in strings if squash(string) not in text]


def test_learner_edition_shows_every_part_of_the_lesson(builtin_lesson):
    text = body_text(render_builtin("learner"))
    assert missing(learner_strings(builtin_lesson), text) == []


def test_learner_edition_has_no_answer_key(builtin_lesson):
    text = body_text(render_builtin("learner"))
    assert missing(facilitator_strings(builtin_lesson), text) == facilitator_strings(builtin_lesson)


def test_facilitator_edition_adds_notes_timings_discussion_and_every_explanation(builtin_lesson):
    text = body_text(render_builtin("facilitator"))
    assert missing(learner_strings(builtin_lesson) + facilitator_strings(builtin_lesson), text) == []
    total = sum(timing.minutes for timing in builtin_lesson.facilitator.timings)
    assert squash(f"Total{total}") in text


def test_answer_key_names_the_best_option_of_every_scenario(builtin_lesson):
    text = body_text(render_builtin("facilitator"))
    key = text[text.rindex(squash("Best answers at a glance")) :]
    for number, item in enumerate(builtin_lesson.quiz.scenarios, start=1):
        dimension = next(d for d in builtin_lesson.dimensions if d.id == item.dimension)
        assert squash(f"{number}{dimension.title}{item.correct_option.id.upper()}") in key


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_escaping_fixture_prints_markup_as_literal_text(escaped_lesson, edition):
    literal = squash("""<b>bold</b> & "double" 'single' <script>alert("x")</script>""")
    text = body_text(render(escaped_lesson, edition=edition))
    strings = learner_strings(escaped_lesson) + (
        facilitator_strings(escaped_lesson) if edition == "facilitator" else []
    )
    assert missing(strings, text) == []
    assert text.count(literal) >= len(strings)


def test_escaping_fixture_never_reaches_the_html_as_markup(escaped_lesson):
    html = PdfExporter(edition="facilitator").render_html(escaped_lesson)
    assert "<script>" not in html
    assert "<b>bold" not in html
    assert "&lt;script&gt;" in html


def test_minimal_lesson_renders_cleanly(minimal_lesson):
    text = body_text(render(minimal_lesson, edition="facilitator", paper="letter"))
    assert missing(learner_strings(minimal_lesson) + facilitator_strings(minimal_lesson), text) == []


def test_spanish_lesson_prints_its_own_text_and_language():
    from leadmanage_xblock.core.content import load_builtin_lesson

    lesson = load_builtin_lesson("es")
    data = render(lesson, edition="facilitator")
    assert missing(learner_strings(lesson) + facilitator_strings(lesson), body_text(data)) == []
    assert reader(data).trailer["/Root"]["/Lang"] == "es"
