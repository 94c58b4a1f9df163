"""The SCORM page works before its LMS is found: nothing a learner does meanwhile is lost, nothing the LMS kept is.

Same rig as test_scorm_runtime.py (scorm-again 3.4.3 behind our host page); ``lateMs`` makes the host give the page
its API only after that many milliseconds, as slow LMS players do.
"""

import json
import re

import pytest
from browser_tools import to_review
from scorm_harness import READY, VERSIONS, Module, calls, launch, sco_frame
from scorm_log import last_values, problems, set_values

LATE_MS = 3000
WAIT_MS = 15000


#: Run in every frame before its own scripts: when the module became usable (lesson.js marks it "lm-ready").
READY_AT = """new MutationObserver((changes, observer) => {
  if (document.querySelector(".lm-module.lm-ready")) { window.__readyAt = performance.now(); observer.disconnect(); }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"]});"""


def open_early(page, site, version: str, **options) -> Module:
    """Open the host, its LMS to appear after ``LATE_MS``, and return the module as soon as a learner can use it."""
    page.add_init_script(READY_AT)
    page.goto(site.host_url(version, launch(VERSIONS[version]), lateMs=LATE_MS, **options))
    return Module(sco_frame(page, started=READY))


def mode(module: Module) -> str | None:
    """``lms`` or ``standalone`` once the page has settled where it stores; None while it still looks for the LMS."""
    return module.frame.evaluate("document.documentElement.dataset.scorm || null")


def wait_for_lms(module: Module) -> None:
    module.frame.locator("html[data-scorm='lms']").wait_for(state="attached", timeout=WAIT_MS)


def stored(page, version: str) -> dict:
    """The learner's work as last written to cmi.suspend_data."""
    return json.loads(last_values(calls(page), version)["cmi.suspend_data"])


def saved(module: Module, kind: str) -> None:
    """Wait until the page says the texts of ``kind`` are stored."""
    # A pattern matches case-sensitively: the text "Saved" would also match "Unsaved changes".
    module.frame.locator(f".lm-status[data-kind='{kind}']", has_text=re.compile("Saved")).wait_for(
        state="attached", timeout=WAIT_MS
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_an_lms_that_appears_after_3_s_receives_every_change_made_before(page, site, builtin_lesson, version):
    module = open_early(page, site, version)
    ready_at, loaded_at = module.frame.evaluate(
        "[__readyAt, performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]"
    )
    assert ready_at <= loaded_at  # usable as the page loads, not after looking for the LMS
    module.go("quiz")
    shown = module.frame.locator(".lm-panel:not([hidden])")
    assert [shown.nth(i).get_attribute("data-section") for i in range(shown.count())] == ["quiz"]
    first, second = builtin_lesson.quiz.scenarios[:2]
    rating = builtin_lesson.quiz.ratings.items[0]
    wrong = next(option.id for option in second.options if not option.correct)
    module.answer({first.id: first.correct_option.id, second.id: wrong}, {rating.id: 4})
    module.write("reflection", "roles_today", "Written before the LMS answered.")
    module.write("action_plan", "first_step", "Ask Sam")
    assert (mode(module), calls(page)) == (None, [])  # all of it before the LMS was there

    wait_for_lms(module)
    saved(module, "reflection")
    saved(module, "action_plan")
    module.frame.locator(".lm-scorm-finish").click()
    log = calls(page)
    assert problems(log, version) == []
    work = stored(page, version)
    assert (work["a"], work["r"]) == ({first.id: first.correct_option.id, second.id: wrong}, {rating.id: 4})
    assert (work["t"], work["p"], work["l"]) == (
        {"roles_today": "Written before the LMS answered."},
        {"first_step": "Ask Sam"},
        "action_plan",
    )
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    assert last_values(log, version)[location] == "action_plan"
    assert page.uncaught_errors == []


def test_saved_work_found_late_is_merged_with_what_the_learner_did_meanwhile(page, site, builtin_lesson):
    first, second, third = builtin_lesson.quiz.scenarios[:3]
    earlier = {
        "v": 1,
        "a": {first.id: first.correct_option.id, second.id: second.correct_option.id},
        "r": {},
        "t": {"roles_today": "Saved last week.", "shift_focus": "Kept as it was."},
        "p": {"first_step": "Saved plan"},
        "l": "dim-goals",
    }
    module = open_early(page, site, "2004", cmi={"suspend_data": json.dumps(earlier)})
    changed = next(option.id for option in second.options if not option.correct)
    module.answer({second.id: changed, third.id: third.correct_option.id}, {})
    module.go("reflection")
    field = module.frame.locator(f"#{module.prefix}reflection-roles_today")
    field.fill("Typed while the LMS was connecting.")
    assert mode(module) is None

    wait_for_lms(module)
    assert field.input_value() == "Saved last week.\n\nTyped while the LMS was connecting."
    assert module.text("reflection", "shift_focus") == "Kept as it was."
    assert module.text("action_plan", "first_step") == "Saved plan"
    answers = {item.id: module.checked("scenario", item.id) for item in (first, second, third)}
    assert answers == {first.id: first.correct_option.id, second.id: changed, third.id: third.correct_option.id}
    assert module.frame.locator(".lm-panel[data-section='reflection']").is_visible()  # the learner stays put
    assert "saved work is back" in module.frame.locator(".lm-notice").text_content()
    saved(module, "reflection")
    work = stored(page, "2004")
    assert work["a"] == answers
    assert work["t"] == {"roles_today": field.input_value(), "shift_focus": "Kept as it was."}
    assert (work["p"], work["l"]) == ({"first_step": "Saved plan"}, "reflection")
    assert module.frame.evaluate("document.querySelector('.lm-status[data-kind=reflection]').textContent").startswith(
        "Saved"
    )  # and it stays saved: nothing left over to store again


def test_saved_work_that_cannot_be_read_is_still_kept_when_found_late(page, site):
    cut_short = '{"v":1,"a":{"goals_s1":"a"},"t":{"roles_today":"My long refl'
    module = open_early(page, site, "1.2", cmi={"suspend_data": cut_short})
    module.write("reflection", "roles_today", "Typed before the LMS answered.")
    assert mode(module) is None
    wait_for_lms(module)
    notice = module.frame.locator(".lm-scorm-unreadable")
    assert notice.is_visible()
    status = module.frame.locator(".lm-status[data-kind='reflection']")
    status.filter(has_text="could not be read").wait_for(timeout=WAIT_MS)
    assert "cmi.suspend_data" not in {element for element, _ in set_values(calls(page), "1.2")}
    assert module.text("reflection", "roles_today") == "Typed before the LMS answered."  # still in the page
    module.frame.get_by_role("button", name="Start afresh").click()
    assert stored(page, "1.2")["t"] == {"roles_today": "Typed before the LMS answered."}


def test_finish_pressed_before_the_lms_appears_is_done_once_it_does(page, site):
    module = open_early(page, site, "1.2")
    module.write("action_plan", "first_step", "Ask Sam")
    module.frame.locator(".lm-scorm-finish").click()
    assert (mode(module), calls(page)) == (None, [])  # Finish waits for the LMS
    module.frame.locator(".lm-notice", has_text="Your work is saved").wait_for(timeout=WAIT_MS)
    log = calls(page)
    assert problems(log, "1.2") == []
    assert [call["method"] for call in log if call["method"] in ("LMSInitialize", "LMSFinish")] == [
        "LMSInitialize",
        "LMSFinish",
    ]
    assert stored(page, "1.2")["p"] == {"first_step": "Ask Sam"}


NOTICES_UNTIL_SETTLED = """() => new Promise((resolve) => {
  const notice = document.querySelector(".lm-module .lm-notice"), seen = [];
  const timer = setInterval(() => {
    seen.push(notice.hidden ? "" : notice.textContent);
    if (document.documentElement.dataset.scorm) { clearInterval(timer); resolve(seen); }
  }, 50);
})"""


def test_standalone_is_said_only_when_no_lms_appears(page, site):
    module = open_early(page, site, "1.2")
    seen = module.frame.evaluate(NOTICES_UNTIL_SETTLED)
    assert "Connecting to your LMS…" in seen
    assert not [text for text in seen if "Standalone" in text or "browser only" in text]
    assert module.frame.locator(".lm-notice").is_hidden()

    page.goto(site.url(launch("scorm12")))  # no LMS at all
    module = Module(sco_frame(page, started=READY))
    assert module.frame.locator(".lm-notice").text_content() == "Connecting to your LMS…"
    notice = module.frame.locator(".lm-notice", has_text="Standalone mode")
    notice.wait_for(timeout=WAIT_MS)
    assert notice.get_attribute("role") == "status"  # polite: read out when the reader is free
    assert notice.text_content() == (
        "Standalone mode: no LMS was found, so your progress is kept in this browser only."
    )
    lines = notice.evaluate(
        "node => { const r = document.createRange(); r.selectNodeContents(node); "
        "return new Set(Array.from(r.getClientRects(), (box) => box.top)).size; }"
    )
    assert lines == 1  # one line on a desktop


def test_no_leave_page_prompt_once_finish_has_stored_everything(browser, site):
    prompts = []
    for finish in (False, True):
        page = browser.new_page()
        page.on("dialog", lambda dialog: (prompts.append(dialog.type), dialog.accept()))
        page.goto(site.host_url("1.2", launch("scorm12")))
        module = Module(sco_frame(page))
        module.go("action_plan")
        module.frame.locator(f"#{module.prefix}action_plan-first_step").type("Ask Sam")  # autosave not yet run
        if finish:
            module.frame.locator(".lm-scorm-finish").click()
        page.evaluate("document.getElementById('sco').src = 'about:blank'")  # the LMS closes the module
        page.wait_for_function("__calls.some(c => c.method === 'LMSFinish')")
        if finish:
            assert stored(page, "1.2")["p"] == {"first_step": "Ask Sam"}
        page.close()
    assert prompts == ["beforeunload"]  # only the page left without Finish: its text was not stored yet


def test_a_learner_on_the_quiz_review_stays_there_when_the_lms_appears(page, site, builtin_lesson):
    """The LMS's saved work is put into the page once it is found: a learner paging through the quiz is not moved."""
    module = open_early(page, site, "2004")
    module.go("quiz")
    to_review(module.frame)
    assert mode(module) is None, "still looking for the LMS"
    wait_for_lms(module)
    assert module.frame.locator(".lm-submit-quiz").is_visible()
    assert module.frame.locator(".lm-quiz-progress").inner_text() == "Review and submit"
    assert module.frame.locator(".lm-review li").count() == 24
