"""The Spanish SCORM package, run in Chromium with a real LMS runtime (and without one): no English anywhere.

Everything a learner meets is checked, including the text lesson.js and the SCORM scripts write while the
module runs: the save status ("Guardado a las 14:02"), the score, the profile, the notices.
"""

import io
import zipfile

import pytest
from browser_tools import SHOWN, to_review
from english_leftovers import english_in
from leadmanage_exporters.scorm import ScormExporter
from scorm_harness import Module, all_ratings, answers_with, sco_frame, stop_clock, stop_looking_for_the_lms

from leadmanage_xblock.core.content import load_builtin_lesson

SPANISH = load_builtin_lesson("es")


#: Every test here may open the Spanish package (conftest.py serves it beside the others under ``/pkg/scorm12-es/``).
pytestmark = pytest.mark.usefixtures("spanish_package")


def all_sections(module: Module) -> str:
    """The text of every section in turn (one is visible at a time)."""
    texts = []
    for link in module.frame.locator(".lm-nav a[data-go]").all():
        link.click()
        texts.append(module.frame.evaluate(SHOWN))
    return "\n".join(texts)


def test_spanish_package_in_an_lms_shows_no_english(page, site):
    page.goto(site.host_url("1.2", "/pkg/scorm12-es/index.html"))
    module = Module(sco_frame(page))
    module.answer(answers_with(SPANISH, wrong=3), all_ratings(SPANISH, point=1))
    module.submit()
    module.write("reflection", SPANISH.reflection.prompts[0].id, "Lidero en la planificación y gestiono los turnos.")
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    status = module.frame.locator(".lm-status[data-kind='reflection']")
    status.filter(has_text="Guardado a las").wait_for()
    shown = all_sections(module)
    module.frame.locator(".lm-scorm-finish").click()
    module.frame.locator(".lm-notice", has_text="Su trabajo está guardado").wait_for()
    shown += "\n" + module.frame.evaluate(SHOWN)
    assert "9 de 12 casos respondidos correctamente" in shown
    assert "Se inclina hacia liderar" in shown
    assert english_in(shown, "es") == []
    assert page.uncaught_errors == []


def test_spanish_package_without_an_lms_says_so_in_spanish(page, site):
    stop_clock(page)
    page.goto(site.url("/pkg/scorm12-es/index.html"))
    stop_looking_for_the_lms(page)  # there is no LMS anywhere
    frame = page.main_frame
    frame.locator(".lm-notice", has_text="Modo independiente").wait_for()
    module = Module(frame)
    module.answer({SPANISH.quiz.scenarios[0].id: SPANISH.quiz.scenarios[0].options[0].id}, {})
    to_review(module.frame)
    module.frame.locator(".lm-submit-quiz").click()  # incomplete: the review screen lists what is missing
    module.frame.locator(".lm-quiz-message", has_text="sin responder").wait_for()
    shown = all_sections(module)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert english_in(shown, "es") == []


def test_spanish_manifest_names_the_module_in_spanish():
    data = ScormExporter("scorm2004-4").export(SPANISH)
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("imsmanifest.xml").decode("utf-8")
    assert f"<title>{SPANISH.title}</title>" in manifest
    assert english_in(manifest, "es") == []


def test_spanish_package_says_in_spanish_how_much_of_a_paste_was_kept(page, site):
    page.set_viewport_size({"width": 375, "height": 800})  # a phone, where the message must still fit
    page.goto(site.host_url("1.2", "/pkg/scorm12-es/index.html"))
    page.evaluate("document.getElementById('sco').style.width = '375px'")
    module = Module(sco_frame(page))
    prompt = SPANISH.reflection.prompts[0].id
    text = "¿Qué acción tomé según él? Más diálogo, menos órdenes: ¡ánimo, compañía! " * 27  # too much for 1.2
    module.go("reflection")
    module.frame.locator(f"#{module.prefix}reflection-{prompt}").focus()
    page.keyboard.insert_text(text)
    kept = module.text("reflection", prompt)
    status = module.frame.locator(".lm-status[data-kind='reflection']")
    assert status.text_content() == (
        f"Se han conservado {len(kept)} de los {len(text)} caracteres que añadió: SCORM 1.2 guarda como máximo "
        "4096 caracteres para todas sus respuestas juntas, cuestionario incluido."
    )
    count = module.frame.locator(f"#{module.prefix}reflection-{prompt}-count").text_content()
    assert "el espacio de guardado se comparte entre todas sus respuestas" in count
    assert english_in(status.text_content() + "\n" + count, "es") == []
    assert status.bounding_box()["x"] + status.bounding_box()["width"] <= 375
    assert module.frame.evaluate("document.documentElement.scrollWidth") <= 375
