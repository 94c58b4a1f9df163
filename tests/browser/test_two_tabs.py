"""Two tabs (or devices) on the same workbench learner: no save ever erases what the other one saved unseen."""

import json
import uuid

import pytest
from browser_tools import choose as choose_in
from browser_tools import to_review

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
DEFAULT, CUSTOM = "leadmanage.0", "leadmanage.2"  # the default block; two attempts allowed
FIRST_PROMPT, SECOND_PROMPT = LESSON.prompt_ids[:2]
FIRST_FIELD = LESSON.action_plan_field_ids[0]
CONFLICT = ".lm-conflict"


@pytest.fixture
def tabs(browser, workbench):
    """``open_tab(scenario)`` opens the scenario as one learner in another window (as on a second device).

    One window each: Chromium pauses the animation frames of a tab in the background, and every action there
    would wait for them.
    """
    contexts, student, opened = [], uuid.uuid4().hex[:12], []

    def open_tab(scenario: str = DEFAULT):
        contexts.append(browser.new_context(viewport={"width": 1024, "height": 900}))
        page = contexts[-1].new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())  # a reload with unsaved text asks first
        page.goto(f"{workbench}/scenario/{scenario}/?student={student}")
        page.wait_for_selector(".lm-module.lm-ready")
        opened.append(errors)
        return page

    yield open_tab
    for context in contexts:
        context.close()
    assert all(errors == [] for errors in opened)


def field(page, kind: str, field_id: str):
    return page.locator(f".lm-field[data-kind='{kind}'][data-field='{field_id}']")


def write_and_save(page, kind: str, field_id: str, text: str) -> None:
    """Open the section, replace the field's text and press Save."""
    page.click(f".lm-nav a[data-go='{kind}']")
    field(page, kind, field_id).locator("textarea").fill(text)
    page.click(f".lm-save[data-kind='{kind}']")


def status(page, kind: str) -> str:
    return page.locator(f".lm-status[data-kind='{kind}']").inner_text()


def saved_text(open_tab, kind: str, field_id: str, scenario: str = DEFAULT) -> str:
    """What the server kept, as a fresh tab shows it."""
    page = open_tab(scenario)
    text = field(page, kind, field_id).locator("textarea").input_value()
    page.close()
    return text


def wait_saved(page, kind: str) -> None:
    page.wait_for_function(
        "kind => document.querySelector(`.lm-status[data-kind='${kind}']`).textContent.startsWith('Saved')", arg=kind
    )


def test_a_stale_tab_cannot_erase_the_other_tabs_text_and_the_learner_merges_both(tabs):
    first, second = tabs(), tabs()
    write_and_save(first, "reflection", FIRST_PROMPT, "Written in the first tab.")
    wait_saved(first, "reflection")
    write_and_save(second, "reflection", FIRST_PROMPT, "Written in the second tab.")
    box = field(second, "reflection", FIRST_PROMPT).locator(CONFLICT)
    box.wait_for()
    assert "Written in the first tab." in box.inner_text(), "the page shows the other tab's version"
    assert not status(second, "reflection").startswith("Saved"), "nothing was kept, so nothing says Saved"
    assert "changed in another tab" in status(second, "reflection")
    assert saved_text(tabs, "reflection", FIRST_PROMPT) == "Written in the first tab."
    box.get_by_role("button", name="Keep both, to edit").click()
    merged = field(second, "reflection", FIRST_PROMPT).locator("textarea").input_value()
    assert merged == "Written in the second tab.\n\nWritten in the first tab."
    second.click(".lm-save[data-kind='reflection']")
    wait_saved(second, "reflection")
    assert saved_text(tabs, "reflection", FIRST_PROMPT) == merged


def test_each_tab_sends_only_what_it_changed_so_both_edits_are_kept(tabs):
    first, second = tabs(), tabs()
    write_and_save(first, "reflection", FIRST_PROMPT, "First prompt, first tab.")
    wait_saved(first, "reflection")
    write_and_save(second, "reflection", SECOND_PROMPT, "Second prompt, second tab.")
    wait_saved(second, "reflection")
    assert second.locator(CONFLICT).count() == 0
    assert saved_text(tabs, "reflection", FIRST_PROMPT) == "First prompt, first tab."
    assert saved_text(tabs, "reflection", SECOND_PROMPT) == "Second prompt, second tab."


def test_the_plan_keeps_the_other_version_when_the_learner_chooses_it(tabs):
    first, second = tabs(), tabs()
    write_and_save(first, "action_plan", FIRST_FIELD, "Meet the team on Monday.")
    wait_saved(first, "action_plan")
    write_and_save(second, "action_plan", FIRST_FIELD, "Draft from the phone.")
    box = field(second, "action_plan", FIRST_FIELD).locator(CONFLICT)
    box.get_by_role("button", name="Use the other text").click()
    assert field(second, "action_plan", FIRST_FIELD).locator("textarea").input_value() == "Meet the team on Monday."
    wait_saved(second, "action_plan")
    assert saved_text(tabs, "action_plan", FIRST_FIELD) == "Meet the team on Monday."


def choose(page, item_id: str, option: str) -> None:
    page.click(".lm-nav a[data-go='quiz']")
    choose_in(page, item_id, option)


def test_a_quiz_draft_from_a_stale_tab_asks_before_replacing_a_choice(tabs):
    item = LESSON.quiz.scenarios[0]
    first, second = tabs(), tabs()
    with first.expect_response(lambda r: "save_answers" in r.url):
        choose(first, item.id, "a")
    with second.expect_response(lambda r: "save_answers" in r.url) as refused:
        choose(second, item.id, "b")
    assert refused.value.status == 409
    box = second.locator(f"fieldset[data-item='{item.id}'] {CONFLICT}")
    assert item.options[0].text in box.inner_text(), "the other tab's choice is named"
    with second.expect_response(lambda r: "save_answers" in r.url) as kept:
        box.get_by_role("button", name="Keep this page's choice").click()
    assert kept.value.status == 200
    reloaded = tabs()
    assert reloaded.is_checked(f"fieldset[data-item='{item.id}'] input[value='b']")


def answer_everything(page) -> None:
    page.click(".lm-nav a[data-go='quiz']")
    for item in LESSON.quiz.scenarios:
        choose_in(page, item.id, item.correct_option.id)
    for item in LESSON.quiz.ratings.items:
        choose_in(page, item.id, "3")
    to_review(page)


def test_a_quiz_submitted_in_another_tab_is_not_counted_twice(tabs):
    first, second = tabs(CUSTOM), tabs(CUSTOM)  # two attempts allowed
    answer_everything(first)
    first.click(".lm-submit-quiz")
    first.wait_for_selector(".lm-score:not([hidden])")
    answer_everything(second)
    second.click(".lm-submit-quiz")
    message = second.locator(".lm-quiz-message")
    message.filter(has_text="submitted in another tab").wait_for()
    assert second.locator(".lm-attempts").inner_text() == "Attempts left: 2", "the stale tab counted nothing"
    second.click(".lm-submit-quiz")  # the learner does want another attempt
    second.wait_for_selector(".lm-score:not([hidden])")
    assert second.locator(".lm-attempts").inner_text() == "Attempts left: 0"


def test_parallel_submissions_of_one_attempt_count_once_and_publish_what_is_stored(tabs):
    page = tabs(CUSTOM)
    answer_everything(page)
    url = page.get_attribute("a[href*='download_my_workbook']", "href").replace("download_my_workbook", "submit_quiz")
    body = {
        "answers": {item.id: item.correct_option.id for item in LESSON.quiz.scenarios},
        "ratings": {item.id: 3 for item in LESSON.quiz.ratings.items},
        "attempt": 1,
    }
    statuses = page.evaluate(
        """async ([url, body]) => {
            const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
            const send = () => fetch(url, {method: "POST", body: JSON.stringify(body),
                headers: {"Content-Type": "application/json", "X-CSRFToken": token}}).then(r => r.status);
            return Promise.all(Array.from({length: 8}, send));
        }""",
        [url, body],
    )
    assert sorted(statuses) == [200] + [409] * 7
    reloaded = tabs(CUSTOM)
    data = json.loads(reloaded.locator("script.lm-learner-data").inner_text())
    assert data["quiz"]["attemptsLeft"] == 1
    assert data["results"]["score"]["correct"] == len(LESSON.quiz.scenarios)
