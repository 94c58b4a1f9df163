"""A learner always knows where they are and what is left (XBlock in the live workbench, Chromium).

The section menu is one line on a phone, closes on Escape and reopens where the learner left (stored once their
clicking settles); the quiz shows one item at a time with one way on per screen, then a review screen that names
what is unanswered; a closed quiz is read-only from the start; the summary says what "complete" and "passed" mean
for this learner and links to every unfinished step.
"""

import re
import uuid

import pytest
from browser_tools import axe_violations, choose, focused, show_item, to_review

from leadmanage_xblock.core.content import load_builtin_lesson

ENGLISH, SPANISH = load_builtin_lesson("en"), load_builtin_lesson("es")
DEFAULT, TWO_BLOCKS, CUSTOM, PAST_DUE = (f"leadmanage.{n}" for n in range(4))
#: The save status once stored (a pattern is case-sensitive; the text "Saved" also matches "Unsaved changes").
SAVED = re.compile("Saved")
PHONE = {"width": 375, "height": 800}
SAVE_SECTION = re.compile(r".*/save_section/.*")
#: What leads on from the quiz's screen: its primary button (Next, Submit), the section's "Next:" link, the score's
#: "See your profile".
WAYS_ON = ".lm-panel:not([hidden]) :is(.lm-primary:enabled, .lm-step-next, .lm-score a)"


@pytest.fixture
def learner(page, workbench):
    """Open a scenario as one brand-new learner (the same one on every call), optionally in Spanish."""
    student = uuid.uuid4().hex[:12]

    def open_scenario(scenario: str = DEFAULT, lang: str = "en", viewport: dict | None = None):
        if viewport:
            page.set_viewport_size(viewport)
        page.goto(f"{workbench}/scenario/{scenario}/?student={student}&lang={lang}")
        page.wait_for_selector(".lm-module.lm-ready")
        return page

    yield open_scenario
    assert page.uncaught_errors == []


def overflow(page) -> int:
    """How far the module is wider than its column (the workbench's own tables are wider than a phone)."""
    return page.evaluate(
        "() => { const m = document.querySelector('.lm-module'); return m.scrollWidth - m.clientWidth; }"
    )


def one_line(page, selector: str) -> bool:
    """Whether the element is a single line of text high (its line box, padding and border)."""
    return page.evaluate(
        """s => { const el = document.querySelector(s), style = getComputedStyle(el);
                  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.6;
                  return el.getBoundingClientRect().height < 2 * line + 2 * parseFloat(style.paddingTop) + 4; }""",
        selector,
    )


@pytest.mark.parametrize(("lang", "lesson", "step"), [("en", ENGLISH, "Step 7 of 11"), ("es", SPANISH, "Paso 7 de 11")])
def test_the_menu_is_one_line_on_a_320px_phone_and_lists_every_section_when_opened(learner, lang, lesson, step):
    page = learner(lang=lang, viewport={"width": 320, "height": 700})
    toggle = page.locator(".lm-nav-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator(".lm-nav ol").is_hidden()
    assert one_line(page, ".lm-nav-toggle")
    toggle.click()
    assert page.locator(".lm-nav a[data-go]").count() == 11
    page.locator(".lm-nav a[data-go=quiz]").click()
    assert page.locator(".lm-nav ol").is_hidden(), "choosing a section closes the menu"
    assert toggle.inner_text() == f"{step} · {lesson.quiz.title}"
    assert one_line(page, ".lm-nav-toggle")
    assert overflow(page) <= 0


@pytest.mark.parametrize("viewport", [PHONE, None])
def test_escape_closes_the_open_menu_and_gives_the_focus_back_to_its_button(learner, viewport):
    page = learner(viewport=viewport)
    toggle, menu = page.locator(".lm-nav-toggle"), page.locator(".lm-nav ol")
    if viewport:
        toggle.click()  # a phone opens with the menu closed, a wider column with it open
    page.locator(".lm-nav a[data-go=quiz]").focus()
    page.keyboard.press("Escape")
    assert menu.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert focused(page, ".lm-nav-toggle")
    page.keyboard.press("Escape")  # already closed: nothing moves
    assert focused(page, ".lm-nav-toggle")
    page.keyboard.press("Enter")
    assert menu.is_visible()
    assert page.locator(".lm-panel[data-section=intro]").is_visible(), "Escape never left the section"


def test_the_menu_bar_grows_with_the_sections_done(learner):
    page = learner()
    share = "() => getComputedStyle(document.querySelector('.lm-nav-toggle')).getPropertyValue('--lm-done')"
    assert float(page.evaluate(share)) == 0
    for _ in range(2):
        page.locator(".lm-panel:not([hidden]) .lm-step-next").click()
    assert float(page.evaluate(share)) == pytest.approx(2 / 11), "the introduction and the first dimension are done"


def test_sections_read_are_marked_done_and_every_section_has_previous_and_next(learner):
    page = learner()
    links = page.locator(".lm-nav a[data-go]")
    assert links.nth(0).text_content() == f"{ENGLISH.introduction.title} (current)"
    assert links.nth(1).text_content() == f"{ENGLISH.dimensions[0].title} (to do)"
    page.locator(".lm-panel:not([hidden]) .lm-step-next").click()
    assert links.nth(0).get_attribute("data-state") == "done"
    assert links.nth(0).text_content() == f"{ENGLISH.introduction.title} (done)"
    panel = page.locator(".lm-panel:not([hidden])")
    assert panel.locator(".lm-step-prev").inner_text() == f"Previous: {ENGLISH.introduction.title}"
    assert panel.locator(".lm-step-next").inner_text() == f"Next: {ENGLISH.dimensions[1].title}"
    panel.locator(".lm-step-prev").click()
    assert page.locator(".lm-panel[data-section=intro]").is_visible()
    steps = page.evaluate(
        "() => [...document.querySelectorAll('.lm-panel')].map(p => [...p.querySelectorAll(':scope > .lm-steps a')]"
        ".map(a => a.className.split('-').pop() + ':' + a.dataset.go))"
    )
    names = [link.get_attribute("data-go") for link in links.all()]
    assert steps == [
        [f"next:{after}" for after in names[i + 1 : i + 2]] + [f"prev:{before}" for before in names[max(i - 1, 0) : i]]
        for i in range(len(names))
    ], "every section leads to the next and back to the previous one"


def test_a_reload_reopens_the_section_the_learner_was_on(learner):
    page = learner()
    with page.expect_response(SAVE_SECTION) as saved:
        page.locator(".lm-nav a[data-go=reflection]").click()
    assert saved.value.status == 200
    page.reload()
    page.wait_for_selector(".lm-module.lm-ready")
    assert page.locator(".lm-panel[data-section=reflection]").is_visible()
    assert page.locator(".lm-panel[data-section=intro]").is_hidden()
    assert page.inner_text(".lm-nav-toggle") == f"Step 9 of 11 · {ENGLISH.reflection.title}"


@pytest.mark.parametrize(("lang", "viewport"), [("en", None), ("es", PHONE)])
def test_clicking_fast_through_sections_stores_the_last_one_with_one_request(learner, lang, viewport):
    page = learner(lang=lang, viewport=viewport)
    sent = []
    page.on("request", lambda request: sent.append(request.post_data_json) if SAVE_SECTION.match(request.url) else 0)
    with page.expect_response(SAVE_SECTION):
        for _ in range(6):  # the introduction, four dimensions and the balancing section, one click after another
            page.locator(".lm-panel:not([hidden]) .lm-step-next").click()
    page.wait_for_timeout(1500)  # longer than the section takes to settle: nothing more is on its way
    assert sent == [{"section": "quiz"}]
    page.reload()
    page.wait_for_selector(".lm-module.lm-ready")
    assert page.locator(".lm-panel[data-section=quiz]").is_visible()


def test_a_section_opened_just_before_closing_the_tab_is_the_one_reopened(learner, page, workbench):
    learner()
    student = page.url.split("student=")[1].split("&")[0]
    page.locator(".lm-nav a[data-go=action_plan]").click()
    page.close(run_before_unload=True)  # closed before the click settled: the page sends the section as it goes
    again = page.context.new_page()
    for _ in range(10):
        again.goto(f"{workbench}/scenario/{DEFAULT}/?student={student}")
        again.wait_for_selector(".lm-module.lm-ready")
        if again.locator(".lm-panel[data-section=action_plan]").is_visible():
            return
        again.wait_for_timeout(300)  # the request sent on leaving may still be on its way
    raise AssertionError("the section opened before the tab closed was not kept")


@pytest.mark.parametrize(
    ("lang", "lesson", "first", "names"),
    [
        ("en", ENGLISH, "Scenario 1 of 12", ("Scenario 2: ", "Self-rating 1: ")),
        ("es", SPANISH, "Caso 1 de 12", ("Caso 2: ", "Autoevaluación 1: ")),
    ],
)
def test_the_quiz_on_a_phone_goes_one_item_at_a_time_then_a_review_names_what_is_missing(
    learner, lang, lesson, first, names
):
    page = learner(lang=lang, viewport=PHONE)
    page.locator(".lm-nav-toggle").click()
    page.locator(".lm-nav a[data-go=quiz]").click()
    assert page.inner_text(".lm-quiz-progress") == first
    assert page.locator(".lm-quiz fieldset.lm-item:visible").count() == 1
    assert page.locator(".lm-submit-quiz").is_hidden(), "Submit waits on the review screen"
    scenarios, ratings = lesson.quiz.scenarios, lesson.quiz.ratings.items
    choose(page, scenarios[0].id, scenarios[0].correct_option.id)
    to_review(page)
    missing = page.locator(".lm-review li a")
    assert missing.count() == len(scenarios) + len(ratings) - 1
    assert missing.nth(0).inner_text() == names[0] + scenarios[1].question
    assert missing.nth(len(scenarios) - 1).inner_text() == names[1] + ratings[0].leading
    missing.nth(0).click()
    assert page.locator(f"fieldset[data-item='{scenarios[1].id}']").is_visible()
    assert page.evaluate("document.activeElement.name") == page.get_attribute(
        f"fieldset[data-item='{scenarios[1].id}']", "id"
    ), "focus lands on the item's choices"
    for item in scenarios[1:]:
        choose(page, item.id, item.correct_option.id)
    for item in ratings:
        choose(page, item.id, "4")
    to_review(page)
    assert page.locator(".lm-review li").count() == 0
    page.locator(".lm-submit-quiz").click()
    page.locator(".lm-score:not([hidden])").wait_for()
    assert overflow(page) <= 0
    assert show_item(page, scenarios[0].id).locator(".lm-option[data-correct]").count() == 1


def ways_on(scope) -> list[str]:
    """The classes of the controls on screen that lead on from the quiz's current screen."""
    return [way.get_attribute("class") for way in scope.locator(WAYS_ON).all() if way.is_visible()]


@pytest.mark.parametrize(("lang", "viewport"), [("en", PHONE), ("es", None)])
def test_every_quiz_screen_offers_one_way_on(learner, lang, viewport):
    page = learner(lang=lang, viewport=viewport)
    if viewport:
        page.locator(".lm-nav-toggle").click()
    page.locator(".lm-nav a[data-go=quiz]").click()
    assert ways_on(page) == ["lm-button lm-primary lm-next"]
    assert page.locator(".lm-panel:not([hidden]) .lm-step-prev").is_visible(), "back to the previous section"
    assert page.locator(".lm-prev").is_hidden()
    page.locator(".lm-next").click()
    assert ways_on(page) == ["lm-button lm-primary lm-next"]
    assert page.locator(".lm-prev").is_visible()
    assert page.locator(".lm-panel:not([hidden]) .lm-step-prev").is_hidden(), "one way back too"
    lesson = SPANISH if lang == "es" else ENGLISH
    for item in lesson.quiz.scenarios:
        choose(page, item.id, item.correct_option.id)
    for item in lesson.quiz.ratings.items:
        choose(page, item.id, "3")
    to_review(page)
    assert ways_on(page) == ["lm-button lm-primary lm-submit-quiz"]
    every_section = (
        "on => document.querySelectorAll('.lm-panel').forEach(p => p.hidden = !on && p.id.slice(-4) !== 'quiz')"
    )
    page.evaluate(every_section, True)
    assert axe_violations(page, ".lm-module") == [], "a new learner's page, the review screen on show"
    page.evaluate(every_section, False)
    page.locator(".lm-submit-quiz").click()
    page.locator(".lm-score:not([hidden])").wait_for()
    assert ways_on(page) == ["lm-step"], "See your profile; Submit again stays, as a second choice"
    assert page.locator(".lm-submit-quiz").is_enabled()


def test_enter_on_a_chosen_answer_goes_on_as_next_does(learner):
    page = learner()
    page.locator(".lm-nav a[data-go=quiz]").click()
    page.keyboard.press("Tab")
    assert focused(page, "input[type=radio]")
    page.keyboard.press("Enter")
    assert page.inner_text(".lm-quiz-progress") == "Scenario 1 of 12", "nothing chosen yet: Enter does not skip"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.inner_text(".lm-quiz-progress") == "Scenario 2 of 12"
    assert focused(page, f"#{page.get_attribute(f'fieldset[data-item={ENGLISH.quiz.scenarios[1].id}]', 'id')}-a")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page, ".lm-next"), "Next is one Tab away for whoever looks for it"
    page.keyboard.press("Enter")
    assert page.inner_text(".lm-quiz-progress") == "Scenario 3 of 12"


@pytest.mark.parametrize(
    ("lang", "viewport", "closed"),
    [
        ("en", None, "The due date has passed, so the quiz is closed."),
        ("es", PHONE, "La fecha límite ha pasado y el cuestionario está cerrado."),
    ],
)
def test_a_past_due_quiz_opens_read_only_with_its_notice_first(learner, lang, viewport, closed):
    page = learner(PAST_DUE, lang=lang, viewport=viewport)
    if viewport:
        page.locator(".lm-nav-toggle").click()
    page.locator(".lm-nav a[data-go=quiz]").click()
    notice = page.locator(".lm-quiz-message")
    assert notice.is_visible()
    assert notice.inner_text().startswith(closed)
    assert page.evaluate(
        "() => !!(document.querySelector('.lm-quiz-message').compareDocumentPosition("
        "document.querySelector('.lm-quiz fieldset')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    ), "the notice comes before the first item"
    assert page.locator(".lm-quiz input:enabled").count() == 0
    assert page.locator(".lm-submit-quiz").is_disabled()
    to_review(page)
    assert ways_on(page) == ["lm-step lm-step-next"], "nothing to submit: the next section is the way on"
    page.evaluate("() => document.querySelectorAll('.lm-panel, .lm-quiz fieldset').forEach(e => e.hidden = false)")
    assert axe_violations(page, ".lm-module") == []


def test_a_quiz_with_no_attempts_left_shows_the_submitted_answers_read_only(learner):
    page = learner(TWO_BLOCKS)
    second = page.locator(".lm-module").nth(1)
    second.locator(".lm-nav a[data-go=quiz]").click()
    for item in ENGLISH.quiz.scenarios:
        choose(second, item.id, item.correct_option.id)
    for item in ENGLISH.quiz.ratings.items:
        choose(second, item.id, "2")
    to_review(second)
    second.locator(".lm-submit-quiz").click()
    second.locator(".lm-score:not([hidden])").wait_for()
    assert second.locator(".lm-quiz input:enabled").count() == 0, "the last attempt is used: nothing can change"
    page.reload()
    page.wait_for_selector(".lm-module.lm-ready >> nth=1")
    second.locator(".lm-nav a[data-go=quiz]").click()
    assert second.locator(".lm-quiz-message").inner_text() == "You have used every attempt."
    first = second.locator(f"fieldset[data-item='{ENGLISH.quiz.scenarios[0].id}']")
    assert first.is_visible(), "a closed quiz opens on its first item, with the answer given"
    assert first.locator("input:checked").get_attribute("value") == ENGLISH.quiz.scenarios[0].correct_option.id
    assert second.locator(".lm-quiz input:enabled").count() == 0
    assert second.locator(".lm-quiz input:checked").count() == 24


def write_reflection(page, text: str) -> None:
    page.locator(".lm-panel:not([hidden]) textarea").first.fill(text)
    page.locator(".lm-save[data-kind=reflection]").click()
    page.locator(".lm-status[data-kind=reflection]", has_text=SAVED).wait_for()


def test_the_summary_explains_complete_and_passed_and_links_every_unfinished_step(learner):
    page = learner(CUSTOM)  # two attempts, pass mark 80 %, 300 characters of reflection
    page.locator(".lm-nav a[data-go=summary]").click()
    checklist = page.locator(".lm-checklist")
    assert [a.get_attribute("data-go") for a in checklist.locator("a").all()] == ["quiz", "reflection", "action_plan"]
    assert "Not complete yet: the module is complete once you submit the quiz and write at least 300" in (
        checklist.inner_text()
    )
    checklist.locator("a[data-go=quiz]").click()
    for number, item in enumerate(ENGLISH.quiz.scenarios):  # the first four wrong: 67 %, under the pass mark
        wrong = next(option for option in item.options if not option.correct)
        choose(page, item.id, wrong.id if number < 4 else item.correct_option.id)
    for item in ENGLISH.quiz.ratings.items:
        choose(page, item.id, "3")
    to_review(page)
    page.locator(".lm-submit-quiz").click()
    page.locator(".lm-score:not([hidden])").wait_for()
    page.locator(".lm-nav a[data-go=summary]").click()
    assert [a.get_attribute("data-go") for a in checklist.locator("a").all()] == ["reflection", "action_plan"]
    checklist.locator("a[data-go=reflection]").click()
    write_reflection(page, "I lead when I set the direction for next year with the team. " * 6)
    page.locator(".lm-nav a[data-go=summary]").click()
    percent = round(100 * (len(ENGLISH.quiz.scenarios) - 4) / len(ENGLISH.quiz.scenarios))
    assert f"Complete — quiz {percent}%, pass mark 80%: you can retake it (attempts left: 1)." in checklist.inner_text()
    assert page.locator(".lm-nav a[data-go=reflection]").get_attribute("data-state") == "done"


def test_the_summary_says_complete_and_passed_in_spanish(learner):
    page = learner(lang="es")
    page.locator(".lm-nav a[data-go=quiz]").click()
    for item in SPANISH.quiz.scenarios:
        choose(page, item.id, item.correct_option.id)
    for item in SPANISH.quiz.ratings.items:
        choose(page, item.id, "3")
    to_review(page)
    page.locator(".lm-submit-quiz").click()
    page.locator(".lm-score:not([hidden])").wait_for()
    page.locator(".lm-nav a[data-go=reflection]").click()
    page.locator(".lm-panel:not([hidden]) textarea").first.fill("Lidero cuando fijo el rumbo con el equipo. " * 3)
    page.locator(".lm-save[data-kind=reflection]").click()
    page.locator(".lm-status[data-kind=reflection]", has_text=re.compile("Guardado a las")).wait_for()
    page.locator(".lm-nav a[data-go=summary]").click()
    assert "Completado: cuestionario 100 %, nota para aprobar 70 %: aprobado." in page.inner_text(".lm-checklist")
