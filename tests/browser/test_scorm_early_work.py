"""The SCORM page works before its LMS is found: nothing a learner does meanwhile is lost, nothing the LMS kept is.

Same rig as test_scorm_runtime.py (scorm-again 3.4.3 behind our host page); ``lateMs`` makes the host give the page
its API only after that many milliseconds, as slow LMS players do. The page's clock stands still until a test moves
it (``stop_clock``), so the learner's work always happens before the LMS appears, however slow this machine is.
"""

import json
import re
from typing import NamedTuple

import pytest
from browser_tools import SHOWN, english_met, to_review
from scorm_harness import (
    DISCOVERY_STEP_MS,
    READY,
    Module,
    calls,
    launch,
    sco_frame,
    stop_clock,
    stop_looking_for_the_lms,
)
from scorm_log import last_values, problems, set_values

from leadmanage_xblock.core.content import load_builtin_lesson

LATE_MS = 3000


class Learner(NamedTuple):
    """Who opens the page: the SCORM version and package, the width of their window and the words they read."""

    version: str
    package: str
    width: int
    language: str


#: The Spanish package is on the site once a test asks for conftest.py's ``spanish_package``.
LEARNERS = {
    "1.2": Learner("1.2", launch("scorm12"), 1000, "en"),
    "2004": Learner("2004", launch("scorm2004-4"), 1000, "en"),
    "1.2-spanish-phone": Learner("1.2", "/pkg/scorm12-es/index.html", 375, "es"),
}
#: What the page says, in each language a test opens it in.
SAYS = {
    "en": {"saved": "Saved", "finished": "Your work is saved", "connecting": "Connecting to your LMS…"},
    "es": {
        "saved": "Guardado a las",
        "finished": "Su trabajo está guardado",
        "connecting": "Conectando con su plataforma de aprendizaje…",
    },
}

#: Run in every frame before its own scripts: the document's state when the module became usable.
READY_WHILE = """new MutationObserver((changes, observer) => {
  if (!document.querySelector(".lm-module.lm-ready")) return;
  window.__readyWhile = document.readyState;
  observer.disconnect();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"]});"""


def open_early(page, site, learner: Learner = LEARNERS["1.2"], **options) -> Module:
    """Open the host, its LMS to appear ``LATE_MS`` later, and return the module as soon as a learner can use it."""
    stop_clock(page)
    page.add_init_script(READY_WHILE)
    page.set_viewport_size({"width": learner.width, "height": 900})
    page.goto(site.host_url(learner.version, learner.package, lateMs=LATE_MS, **options))
    module = Module(sco_frame(page, started=READY))
    page.evaluate(f"document.getElementById('sco').style.width = '{learner.width}px'")
    return module


def lms_appears(module: Module) -> None:
    """Let the host's ``LATE_MS`` pass, and the page's next look for its LMS, which then finds it."""
    module.frame.page.clock.run_for(LATE_MS + DISCOVERY_STEP_MS)
    module.frame.locator("html[data-scorm='lms']").wait_for(state="attached")


def mode(module: Module) -> str | None:
    """``lms`` or ``standalone`` once the page has settled where it stores; None while it still looks for the LMS."""
    return module.frame.evaluate("document.documentElement.dataset.scorm || null")


def stored(page, version: str) -> dict:
    """The learner's work as last written to cmi.suspend_data."""
    return json.loads(last_values(calls(page), version)["cmi.suspend_data"])


def saved(module: Module, kind: str, says: str = "Saved") -> None:
    """Wait until the page says the texts of ``kind`` are stored."""
    # A pattern matches case-sensitively: the text "Saved" would also match "Unsaved changes".
    module.frame.locator(f".lm-status[data-kind='{kind}']", has_text=re.compile(says)).wait_for(state="attached")


def leave(page) -> list[str]:
    """The LMS closes the module's frame; the prompts the browser showed the learner meanwhile."""
    prompts = []
    page.on("dialog", lambda dialog: (prompts.append(dialog.type), dialog.accept()))
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    # A prompt holds the frame until it is answered, so once the frame is blank every prompt has been seen.
    page.wait_for_function("document.getElementById('sco').contentDocument.URL === 'about:blank'")
    return prompts


@pytest.mark.parametrize("learner", LEARNERS.values(), ids=LEARNERS.keys())
def test_an_lms_that_appears_after_3_s_receives_every_change_made_before(page, site, spanish_package, learner):
    lesson, says, version = load_builtin_lesson(learner.language), SAYS[learner.language], learner.version
    module = open_early(page, site, learner)
    # Usable as the page loads (and with the clock stopped, so not after any time spent looking for the LMS).
    assert module.frame.evaluate("__readyWhile") in ("loading", "interactive")
    module.go("quiz")
    shown = module.frame.locator(".lm-panel:not([hidden])")
    assert [shown.nth(i).get_attribute("data-section") for i in range(shown.count())] == ["quiz"]
    first, second = lesson.quiz.scenarios[:2]
    rating = lesson.quiz.ratings.items[0]
    wrong = next(option.id for option in second.options if not option.correct)
    module.answer({first.id: first.correct_option.id, second.id: wrong}, {rating.id: 4})
    module.write("reflection", "roles_today", "Written before the LMS answered.")
    module.write("action_plan", "first_step", "Ask Sam")
    seen = [module.frame.evaluate(SHOWN)]
    assert says["connecting"] in seen[0]
    assert (mode(module), calls(page)) == (None, [])  # all of it before the LMS was there

    lms_appears(module)
    saved(module, "reflection", says["saved"])
    saved(module, "action_plan", says["saved"])
    plan = module.frame.locator(f"#{module.prefix}action_plan-first_step")
    plan.press_sequentially(" and Jo")  # with no time for autosave: Finish must store it and leave no warning
    module.frame.locator(".lm-scorm-finish").click()
    module.frame.locator(".lm-notice", has_text=says["finished"]).wait_for()
    seen.append(module.frame.evaluate(SHOWN))
    assert module.frame.evaluate("document.documentElement.scrollWidth") <= learner.width
    assert leave(page) == [], "no 'Leave site?' prompt once Finish has stored everything"
    log = calls(page)
    assert problems(log, version) == []
    work = stored(page, version)
    assert (work["a"], work["r"]) == ({first.id: first.correct_option.id, second.id: wrong}, {rating.id: 4})
    assert (work["t"], work["p"], work["l"]) == (
        {"roles_today": "Written before the LMS answered."},
        {"first_step": "Ask Sam and Jo"},
        "action_plan",
    )
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    assert last_values(log, version)[location] == "action_plan"
    assert english_met("\n".join(seen), learner.language) == []
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
    module = open_early(page, site, LEARNERS["2004"], cmi={"suspend_data": json.dumps(earlier)})
    changed = next(option.id for option in second.options if not option.correct)
    module.answer({second.id: changed, third.id: third.correct_option.id}, {})
    module.go("reflection")
    field = module.frame.locator(f"#{module.prefix}reflection-roles_today")
    field.fill("Typed while the LMS was connecting.")
    assert mode(module) is None

    lms_appears(module)
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
    module = open_early(page, site, LEARNERS["1.2"], cmi={"suspend_data": cut_short})
    module.write("reflection", "roles_today", "Typed before the LMS answered.")
    assert mode(module) is None
    lms_appears(module)
    notice = module.frame.locator(".lm-scorm-unreadable")
    assert notice.is_visible()
    status = module.frame.locator(".lm-status[data-kind='reflection']")
    status.filter(has_text="could not be read").wait_for()
    assert "cmi.suspend_data" not in {element for element, _ in set_values(calls(page), "1.2")}
    assert module.text("reflection", "roles_today") == "Typed before the LMS answered."  # still in the page
    module.frame.get_by_role("button", name="Start afresh").click()
    assert stored(page, "1.2")["t"] == {"roles_today": "Typed before the LMS answered."}


def test_finish_pressed_before_the_lms_appears_is_done_once_it_does(page, site):
    module = open_early(page, site)
    module.write("action_plan", "first_step", "Ask Sam")
    module.frame.locator(".lm-scorm-finish").click()
    assert (mode(module), calls(page)) == (None, [])  # Finish waits for the LMS
    lms_appears(module)
    module.frame.locator(".lm-notice", has_text="Your work is saved").wait_for()
    log = calls(page)
    assert problems(log, "1.2") == []
    assert [call["method"] for call in log if call["method"] in ("LMSInitialize", "LMSFinish")] == [
        "LMSInitialize",
        "LMSFinish",
    ]
    assert stored(page, "1.2")["p"] == {"first_step": "Ask Sam"}


#: Each text the module's notice line shows from now on ("" while it is hidden), one per change a learner can see.
WATCH_NOTICE = """() => {
  const notice = document.querySelector(".lm-module .lm-notice"), seen = window.__notices = [];
  const note = () => seen.push(notice.hidden ? "" : notice.textContent);
  note();
  new MutationObserver(note).observe(notice, {attributes: true, childList: true, characterData: true, subtree: true});
}"""


def test_standalone_is_said_only_when_no_lms_appears(page, site):
    module = open_early(page, site)
    module.frame.evaluate(WATCH_NOTICE)
    lms_appears(module)
    seen = module.frame.evaluate("__notices")
    assert "Connecting to your LMS…" in seen
    assert not [text for text in seen if "Standalone" in text or "browser only" in text]
    assert module.frame.locator(".lm-notice").is_hidden()

    page.goto(site.url(launch("scorm12")))  # no LMS at all
    module = Module(sco_frame(page, started=READY))
    assert module.frame.locator(".lm-notice").text_content() == "Connecting to your LMS…"
    stop_looking_for_the_lms(page)
    notice = module.frame.locator(".lm-notice", has_text="Standalone mode")
    notice.wait_for()
    assert notice.get_attribute("role") == "status"  # polite: read out when the reader is free
    assert notice.text_content() == (
        "Standalone mode: no LMS was found, so your progress is kept in this browser only."
    )
    lines = notice.evaluate(
        "node => { const r = document.createRange(); r.selectNodeContents(node); "
        "return new Set(Array.from(r.getClientRects(), (box) => box.top)).size; }"
    )
    assert lines == 1  # one line on a desktop


def test_leaving_without_finish_asks_first_and_still_keeps_the_text(page, site):
    """Text not stored yet makes the browser ask before the module goes; learners who press Finish are not asked."""
    stop_clock(page)  # no autosave between typing and leaving
    page.goto(site.host_url("1.2", launch("scorm12")))
    module = Module(sco_frame(page))
    module.go("action_plan")
    module.frame.locator(f"#{module.prefix}action_plan-first_step").press_sequentially("Ask Sam")
    assert leave(page) == ["beforeunload"]
    page.wait_for_function("__calls.some(c => c.method === 'LMSFinish')")
    assert stored(page, "1.2")["p"] == {"first_step": "Ask Sam"}


def test_a_learner_on_the_quiz_review_stays_there_when_the_lms_appears(page, site, builtin_lesson):
    """The LMS's saved work is put into the page once it is found: a learner paging through the quiz is not moved."""
    module = open_early(page, site, LEARNERS["2004"])
    module.go("quiz")
    to_review(module.frame)
    assert mode(module) is None, "still looking for the LMS"
    lms_appears(module)
    assert module.frame.locator(".lm-submit-quiz").is_visible()
    assert module.frame.locator(".lm-quiz-progress").inner_text() == "Review and submit"
    assert module.frame.locator(".lm-review li").count() == 24
