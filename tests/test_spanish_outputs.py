"""A Spanish-speaking learner meets no English: the XBlock (Django language es), the PDF workbooks and the CLI.

The SCORM page, run in Chromium, is checked in tests/browser/test_spanish_scorm.py. English outputs stay English.
"""

import dataclasses
import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from english_leftovers import english_in
from fixture_paths import CONTENT
from leadmanage_exporters.cli import cli
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.responses import LearnerRecord
from leadmanage_exporters.scorm import ScormExporter
from pdf_helpers import reader
from xblock.field_data import DictFieldData
from xblock_runtime import call, make_block, past

from leadmanage_xblock.core.content import load_builtin_lesson

SPANISH = load_builtin_lesson("es")
ENGLISH = load_builtin_lesson("en")


class ShownText(HTMLParser):
    """What a person sees or hears: text nodes and labelling attributes, and the UI strings lesson.js shows.

    Other scripts are skipped: the learner data is checked separately, and the strings map's keys are lookup
    keys (the English source text), never shown.
    """

    def __init__(self):
        super().__init__()
        self.chunks, self.script = [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.script = attributes.get("class", "") if tag == "script" else None
        self.chunks += [
            attributes[name] for name in ("aria-label", "title", "alt", "placeholder") if attributes.get(name)
        ]

    def handle_endtag(self, tag):
        self.script = None

    def handle_data(self, data):
        if self.script is None:
            self.chunks.append(data)
        elif "lm-strings" in self.script:
            self.chunks += json.loads(data).values()


def shown_text(html: str) -> str:
    parser = ShownText()
    parser.feed(html)
    return "\n".join(parser.chunks)


def json_texts(value) -> list[str]:
    """The string values in decoded JSON (keys are field names, never shown)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_texts(item)]
    return [value] if isinstance(value, str) else []


def learner_visit(lesson) -> tuple[str, list[str]]:
    """A learner's whole visit: a refused and an accepted submission, saved texts, then the page; (page, messages)."""
    data = DictFieldData({"max_attempts": 2})
    answers = {item.id: item.options[0].id for item in lesson.quiz.scenarios}
    ratings = {item.id: 2 for item in lesson.quiz.ratings.items}
    messages = [call(make_block(data), "submit_quiz", {"answers": {}, "ratings": ratings})[1]["error"]]
    messages.append(call(make_block(data), "save_text", {"kind": "action_plan", "values": {"nope": "x"}})[1]["error"])
    assert call(make_block(data), "submit_quiz", {"answers": answers, "ratings": ratings})[0] == 200
    assert call(make_block(data), "save_text", {"kind": "reflection", "values": {"roles_today": "x" * 120}})[0] == 200
    page = make_block(data).render("student_view").content
    messages.append(call(make_block(DictFieldData({}), user_id=None), "save_text", {})[1]["error"])
    preview = shown_text(make_block(DictFieldData({}), user_id=None).render("student_view").content)
    block = make_block(DictFieldData({"due": past()}))
    closed = block.quiz_closed_message(block.learner_state())
    return page, [*messages, preview, closed]


def test_the_xblock_in_spanish_shows_no_english(django_language):
    with django_language("es"):
        page, messages = learner_visit(SPANISH)
    shown = shown_text(page)
    assert 'lang="es"' in page
    assert "Enviar respuestas" in shown
    assert "Guardar" in shown
    learner_data = json.loads(page.split('class="lm-learner-data">')[1].split("</script>")[0])
    assert english_in(shown, "es") == []
    assert english_in("\n".join(json_texts(learner_data)), "es") == []  # results: the Spanish lesson's explanations
    assert english_in("\n".join(messages), "es") == []
    assert "Faltan:" in messages[0]
    assert "Vista previa" in messages[-2]


@pytest.mark.parametrize(("platform", "expected"), [("es-419", "Guardar"), ("es-es", "Guardar"), ("fr", "Save")])
def test_the_xblock_follows_regional_spanish_and_falls_back_to_english(django_language, platform, expected):
    with django_language(platform):
        html = make_block().render("student_view").content
    assert f">{expected}</button>" in html


def test_the_xblock_in_english_is_unchanged(django_language):
    with django_language("en"):
        page, messages = learner_visit(ENGLISH)
    shown = shown_text(page)
    assert 'lang="en"' in page
    assert "Submit answers" in shown
    assert "Save" in shown
    assert not any(word in shown for word in ("Guardar", "Enviar", "Intentos"))
    assert "Missing:" in messages[0]
    assert "Preview:" in messages[-2]
    assert english_in(shown, "es") != []  # the check itself sees English when it is there


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(data).pages)


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_spanish_workbooks_print_no_english(edition):
    data = PdfExporter(edition=edition).export(SPANISH)
    text = pdf_text(data)
    assert english_in(text, "es") == []
    assert "Página 2 de" in text
    assert str(reader(data).trailer["/Root"]["/Lang"]) == "es"


def test_a_personalised_spanish_workbook_prints_no_english():
    answers = {item.id: item.correct_option.id for item in SPANISH.quiz.scenarios}
    ratings = {item.id: 1 for item in SPANISH.quiz.ratings.items}
    learner = LearnerRecord("ana", full_name="Ana García", answers=answers, ratings=ratings)
    text = pdf_text(PdfExporter().export(SPANISH, learner))
    assert "Preparado para" in text
    assert "Ana García" in text
    assert english_in(text, "es") == []


def test_a_regional_spanish_lesson_gets_the_spanish_interface_in_every_output():
    """A lesson written as es-MX (the schema allows regional tags) is not printed with English headings."""
    mexican = dataclasses.replace(SPANISH, language="es-MX")
    text = pdf_text(PdfExporter().export(mexican))
    assert "Página 2 de" in text
    assert english_in(text, "es") == []
    assert "Conectando" in ScormExporter().launch_page(mexican)


def test_english_workbook_is_unchanged():
    text = pdf_text(PdfExporter().export(ENGLISH))
    assert "Page 2 of" in text
    assert "Learner workbook" in text
    assert "Cuaderno" not in text
    assert "Página" not in text


def test_cli_lang_es_exports_the_spanish_lesson_and_interface(tmp_path):
    output = tmp_path / "es.zip"
    result = CliRunner().invoke(cli, ["export", "scorm", "--lang", "es", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == ScormExporter().export(SPANISH)
    page = ScormExporter().launch_page(SPANISH)
    assert '<html lang="es">' in page
    assert "Conectando con su plataforma de aprendizaje" in page


def test_cli_without_lang_keeps_the_english_module(tmp_path):
    output = tmp_path / "en.zip"
    assert CliRunner().invoke(cli, ["export", "scorm", "-o", str(output)]).exit_code == 0
    assert output.read_bytes() == ScormExporter().export(ENGLISH)


def test_cli_content_file_chooses_the_interface_language_unless_lang_is_given(tmp_path):
    spanish_file = CONTENT.parent.parent.parent / "leadmanage_xblock" / "core" / "content" / "lessons"
    spanish_file = spanish_file / "leading_vs_managing.es.yaml"
    runner = CliRunner()
    by_content = tmp_path / "by-content.zip"
    assert runner.invoke(cli, ["export", "scorm", "--content", str(spanish_file), "-o", str(by_content)]).exit_code == 0
    assert by_content.read_bytes() == ScormExporter().export(SPANISH)
    english_ui = tmp_path / "english-ui.zip"
    args = ["export", "scorm", "--content", str(spanish_file), "--lang", "en", "-o", str(english_ui)]
    assert runner.invoke(cli, args).exit_code == 0
    assert english_ui.read_bytes() == ScormExporter(language="en").export(SPANISH)
    assert english_ui.read_bytes() != by_content.read_bytes()


def test_cli_validate_lang_es_outlines_the_spanish_lesson():
    result = CliRunner().invoke(cli, ["validate", "--lang", "es", "--outline"])
    assert result.exit_code == 0, result.output
    assert SPANISH.title in result.output
    assert "(es, 60 min)" in result.output


def test_cli_pdf_lang_es_writes_a_spanish_workbook(tmp_path):
    output = tmp_path / "es.pdf"
    result = CliRunner().invoke(cli, ["export", "pdf", "--lang", "es", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = pdf_text(output.read_bytes())
    assert SPANISH.introduction.title in text
    assert "Cuaderno de trabajo" in text
    assert english_in(text, "es") == []
