"""The workbench's language switch (tests/lm_workbench/language.py), in Chromium.

``?lang=es`` shows the block in Spanish and is remembered in a cookie, so the block's handler requests (which
carry no query parameter) are answered in Spanish too; ``?lang=en`` switches back; other values are ignored.
"""

import re
import uuid

from leadmanage_xblock.core.content import load_builtin_lesson

#: The save status once stored (a pattern is case-sensitive; the text "Saved" also matches "Unsaved changes").
SAVED = re.compile("Saved")

ENGLISH, SPANISH = load_builtin_lesson("en"), load_builtin_lesson("es")
DEFAULT = "leadmanage.0"
COOKIE = "lm_workbench_lang"


def open_scenario(page, workbench: str, student: str, lang: str | None = None):
    query = f"?student={student}" + (f"&lang={lang}" if lang else "")
    page.goto(f"{workbench}/scenario/{DEFAULT}/{query}")
    page.wait_for_selector(".lm-module.lm-ready")
    return page.get_attribute(".lm-module", "data-prefix")


def save_label(page) -> str:
    return page.locator(".lm-save[data-kind=reflection]").text_content().strip()


def language_cookie(page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == COOKIE), None)


def test_lang_es_shows_spanish_and_handlers_answer_in_spanish_until_lang_en(page, workbench):
    student = uuid.uuid4().hex[:12]
    prefix = open_scenario(page, workbench, student, "es")
    assert save_label(page) == "Guardar"
    assert page.locator(".lm-submit-quiz").text_content().strip() == "Enviar respuestas"
    first = SPANISH.quiz.scenarios[0]
    assert first.correct_option.text in page.locator(f"fieldset.lm-scenario[data-item='{first.id}']").text_content()
    assert language_cookie(page) == "es"

    # Handler URLs carry no ?lang=: the cookie makes their requests Spanish. test_xblock_workbench.py's Spanish
    # keyboard journey shows it for the submit handler, whose explanations come back from the Spanish lesson.
    page.locator(".lm-nav a[data-go=reflection]").click()
    page.locator(f"#{prefix}reflection-{SPANISH.reflection.prompts[0].id}").fill("Gestiono los turnos y lidero.")
    page.locator(".lm-save[data-kind=reflection]").click()
    page.locator(".lm-status[data-kind=reflection]", has_text="Guardado a las").wait_for()

    english_first = ENGLISH.quiz.scenarios[0]
    open_scenario(page, workbench, student)  # no parameter: the cookie keeps Spanish
    assert save_label(page) == "Guardar"

    prefix = open_scenario(page, workbench, student, "en")
    assert save_label(page) == "Save"
    assert language_cookie(page) == "en"
    page.locator(".lm-nav a[data-go=quiz]").click()
    shown = page.locator(f"fieldset.lm-scenario[data-item='{first.id}']").text_content()
    assert english_first.correct_option.text in shown
    page.locator(".lm-nav a[data-go=reflection]").click()
    reflection = page.locator(f"#{prefix}reflection-{ENGLISH.reflection.prompts[0].id}")
    assert reflection.input_value() == "Gestiono los turnos y lidero."  # the learner's work is kept
    reflection.fill("I manage the rota and lead the plan.")
    page.locator(".lm-save[data-kind=reflection]").click()
    page.locator(".lm-status[data-kind=reflection]", has_text=SAVED).wait_for()

    open_scenario(page, workbench, student)
    assert save_label(page) == "Save"
    assert page.uncaught_errors == []


def test_unknown_lang_is_ignored(page, workbench):
    student = uuid.uuid4().hex[:12]
    open_scenario(page, workbench, student, "xx")
    assert save_label(page) == "Save"
    assert language_cookie(page) is None

    open_scenario(page, workbench, student, "es")
    open_scenario(page, workbench, student, "xx")  # neither English nor a new cookie: Spanish stays
    assert save_label(page) == "Guardar"
    assert language_cookie(page) == "es"
    assert page.uncaught_errors == []
