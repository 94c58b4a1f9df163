"""The XBlock for a Spanish-speaking learner, in Chromium: its real fragment and scripts, its real handlers.

The page is the block's student_view fragment (markup, inline CSS and JS, init call); every handler request
the browser makes is answered by the block itself, in Python, with Django's language set to es. So the text
lesson.js writes while the learner works (save status, refusals from the server, score, profile) is checked too.
"""

import json

import pytest
from browser_tools import SHOWN, choose, to_review
from english_leftovers import english_in
from xblock.field_data import DictFieldData
from xblock_runtime import as_author, call, make_block

from leadmanage_xblock.core.content import load_builtin_lesson

SPANISH = load_builtin_lesson("es")
ORIGIN = "http://lms.test"


@pytest.fixture
def spanish(django_language):
    """Entering ``spanish()`` makes Spanish the request's language, as the LMS's locale middleware does."""
    return lambda: django_language("es")


def fragment_page(fragment) -> str:
    """An LMS-like page around the fragment: its resources inline, then its init function called."""
    css = [r.data for r in fragment.resources if r.mimetype == "text/css" and r.kind == "text"]
    js = [r.data for r in fragment.resources if r.mimetype == "application/javascript" and r.kind == "text"]
    runtime = f"{{handlerUrl: function (el, name) {{ return '{ORIGIN}/handler/' + name; }}}}"
    init = (
        f"{fragment.js_init_fn}({runtime}, document.querySelector('.xblock'), {json.dumps(fragment.json_init_args)});"
    )
    return (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>LMS</title>'
        + "".join(f"<style>{text}</style>" for text in css)
        + f'</head><body><div class="xblock">{fragment.content}</div>'
        + "".join(f"<script>{text}</script>" for text in js)
        + f"<script>{init}</script></body></html>"
    )


def serve_block(page, data: DictFieldData, language) -> None:
    """Open the block's page; its handler requests go to a fresh block on the same state, as in the LMS.

    ``language()`` is entered per request, as the LMS's locale middleware does: Playwright calls ``answer``
    in its own greenlet, which does not share the test's active Django language.
    """

    def answer(route):
        url = route.request.url
        with language():
            if url == ORIGIN + "/":
                route.fulfill(body=fragment_page(make_block(data).student_view()), content_type="text/html")
                return
            status, body = call(make_block(data), url.rsplit("/", 1)[1], (route.request.post_data or "").encode())
        route.fulfill(status=status, body=json.dumps(body), content_type="application/json")

    page.route(ORIGIN + "/**", answer)
    page.goto(ORIGIN + "/")
    page.locator(".lm-module.lm-ready").wait_for()


def test_spanish_learner_works_through_the_block_without_meeting_english(page, spanish):
    serve_block(page, DictFieldData({"max_attempts": 3}), spanish)
    module = page.locator(".lm-module")
    prefix = module.get_attribute("data-prefix")
    page.locator(".lm-nav a[data-go='quiz']").click()
    first = SPANISH.quiz.scenarios[0]
    choose(page, first.id, first.correct_option.id)
    to_review(page)
    page.locator(".lm-submit-quiz").click()
    page.locator(".lm-quiz-message", has_text="sin responder").wait_for()  # the review screen lists what is missing
    shown = page.evaluate(SHOWN)
    for item in SPANISH.quiz.scenarios:
        choose(page, item.id, item.correct_option.id)
    for item in SPANISH.quiz.ratings.items:
        choose(page, item.id, "5")
    to_review(page)
    page.locator(".lm-submit-quiz").click()
    page.locator(".lm-score:not([hidden])").wait_for()
    page.locator(".lm-nav a[data-go='reflection']").click()
    page.locator(f"#{prefix}reflection-{SPANISH.reflection.prompts[0].id}").fill(
        "Gestiono los turnos y lidero el plan."
    )
    page.locator(".lm-save[data-kind='reflection']").click()
    page.locator(".lm-status[data-kind='reflection']", has_text="Guardado a las").wait_for()
    for link in page.locator(".lm-nav a[data-go]").all():
        link.click()
        shown += "\n" + page.evaluate(SHOWN)
    assert "12 de 12 casos respondidos correctamente (100 %)" in shown
    assert "Intentos restantes: 2" in shown
    assert "Se inclina hacia gestionar" in shown
    assert english_in(shown, "es") == []
    assert page.uncaught_errors == []


def submit_refused_quiz(page):
    """Answer every item with its first option and submit; the refusal message the learner then sees."""
    page.locator(".lm-nav a[data-go='quiz']").click()
    for item in SPANISH.quiz.scenarios:
        choose(page, item.id, item.options[0].id)
    for item in SPANISH.quiz.ratings.items:
        choose(page, item.id, "1")
    to_review(page)
    page.locator(".lm-submit-quiz").click()
    message = page.locator(".lm-quiz-message", has_text="Sus respuestas no se han enviado")
    message.wait_for()
    return message


def test_a_server_refusal_reaches_the_learner_in_spanish(page, spanish):
    data = DictFieldData({"max_attempts": 1})
    answers = {item.id: item.correct_option.id for item in SPANISH.quiz.scenarios}
    ratings = {item.id: 3 for item in SPANISH.quiz.ratings.items}
    serve_block(page, data, spanish)
    with spanish():
        submitted = call(make_block(data), "submit_quiz", {"answers": answers, "ratings": ratings})
    assert submitted[0] == 200  # from another tab: this page's submission will be refused
    message = submit_refused_quiz(page)
    assert "Ha agotado todos los intentos." in message.inner_text()
    assert english_in(page.evaluate(SHOWN), "es") == []


@pytest.mark.parametrize(
    ("failure", "reason"),
    [("502", "el servidor no respondió (error 502)"), ("offline", "no se pudo contactar con el servidor")],
)
def test_a_platform_error_without_a_message_is_worded_in_spanish(page, spanish, failure, reason):
    """A gateway error page or a dropped connection carries no message of ours: the learner still reads Spanish."""
    serve_block(page, DictFieldData({}), spanish)

    def fail(route):
        if failure == "offline":
            route.abort()
        else:
            route.fulfill(status=502, body="<html><body>Bad Gateway</body></html>", content_type="text/html")

    page.route(ORIGIN + "/handler/submit_quiz", fail)
    message = submit_refused_quiz(page)
    assert reason in message.inner_text()
    assert english_in(page.evaluate(SHOWN), "es") == []


def test_the_studio_editor_speaks_spanish_through_the_same_strings_map(page, spanish):
    """Studio's own messages (problems, saving, a request that never arrives) reach an author in Spanish too."""
    data = DictFieldData({})

    def answer(route):
        with spanish():
            if route.request.url == ORIGIN + "/":
                route.fulfill(body=fragment_page(make_block(data).studio_view()), content_type="text/html")
                return
            status, body = call(as_author(make_block(data)), "studio_save", (route.request.post_data or "").encode())
        route.fulfill(status=status, body=json.dumps(body), content_type="application/json")

    page.route(ORIGIN + "/**", answer)
    page.goto(ORIGIN + "/")
    page.fill(".lm-studio-yaml", "schema_version: 1\nid: [sin cerrar\ntitle: x\n")
    page.click(".lm-studio-save")
    page.locator(".lm-studio-problems:not([hidden])").wait_for()
    assert page.inner_text(".lm-studio-error") == "1 problema: no se ha guardado nada."
    assert page.locator(".lm-studio-line-link").inner_text().startswith("Línea ")
    page.fill("input[name=weight]", "2.5")
    page.fill(".lm-studio-yaml", "")
    page.click(".lm-studio-save")
    page.locator(".lm-studio-status", has_text="Guardado.").wait_for()
    assert make_block(data).weight == 2.5, "every control of the form is sent by its name"
    page.route(ORIGIN + "/handler/**", lambda route: route.abort())
    page.click(".lm-studio-save")
    status = page.locator(".lm-studio-status", has_text="No se ha podido guardar")
    status.wait_for()
    assert status.inner_text() == "No se ha podido guardar: no se pudo contactar con el servidor"
    assert page.uncaught_errors == []
