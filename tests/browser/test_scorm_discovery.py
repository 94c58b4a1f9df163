"""Finding the LMS and surviving a bad one: late, nested, popup, missing, cross-origin, broken, Open edX quirks.

Same rig as test_scorm_runtime.py: scorm-again 3.4.3 behind our host page, the package on 127.0.0.1.
"""

import re

import pytest
from playwright.sync_api import expect
from scorm_harness import (
    VERSIONS,
    Module,
    all_ratings,
    answers_with,
    calls,
    launch,
    open_host,
    sco_frame,
    status,
    stop_clock,
    stop_looking_for_the_lms,
)
from scorm_log import last_values, problems, set_values

#: The save status once stored (a pattern is case-sensitive; the text "Saved" also matches "Unsaved changes").
SAVED = re.compile("Saved")

TEXT = 'Quotes "x", <tags> & emoji 😀\nsecond line'


@pytest.mark.parametrize("version", VERSIONS)
def test_api_that_arrives_late_is_found(page, site, version):
    module = open_host(page, site, version, VERSIONS[version], lateMs=1500)
    assert page.evaluate("document.getElementById('sco').contentDocument.documentElement.dataset.scorm") == "lms"
    assert calls(page)[0]["method"] in ("Initialize", "LMSInitialize")
    assert module.frame.locator(".lm-notice").is_hidden()


@pytest.mark.parametrize("version", VERSIONS)
def test_api_two_frames_up_is_found(page, site, builtin_lesson, version):
    module = open_host(page, site, version, VERSIONS[version], mode="nested")
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    module.frame.locator(".lm-scorm-finish").click()
    assert problems(calls(page), version) == []
    assert status(page, version)[0] == ("passed" if version == "1.2" else "completed")


@pytest.mark.parametrize("version", VERSIONS)
def test_api_on_the_opener_is_found_from_a_popup(page, site, builtin_lesson, version):
    with page.expect_popup() as popup_info:
        page.goto(site.host_url(version, launch(VERSIONS[version]), mode="popup"))
    popup = popup_info.value
    module = Module(sco_frame(popup))
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    module.frame.locator(".lm-scorm-finish").click()
    assert problems(calls(page), version) == []
    assert status(page, version)[0] == ("passed" if version == "1.2" else "completed")


@pytest.mark.parametrize("version", VERSIONS)
def test_without_an_lms_the_module_runs_standalone_and_keeps_progress(page, site, builtin_lesson, version):
    stop_clock(page)  # the page looks for its LMS in page time, which the test moves on
    page.goto(site.url(launch(VERSIONS[version])))
    stop_looking_for_the_lms(page)
    module = Module(sco_frame(page))
    notice = module.frame.locator(".lm-notice")
    assert notice.is_visible()
    assert "Standalone mode" in notice.text_content()
    item = builtin_lesson.quiz.scenarios[0]
    module.answer({item.id: item.correct_option.id}, {})
    module.write("reflection", "roles_today", TEXT)
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    module.frame.locator(".lm-status[data-kind='reflection']").filter(has_text=SAVED).wait_for()
    page.reload()
    stop_looking_for_the_lms(page)
    again = Module(sco_frame(page))
    assert again.checked("scenario", item.id) == item.correct_option.id
    assert again.text("reflection", "roles_today") == TEXT
    assert page.uncaught_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_cross_origin_lms_falls_back_without_errors(page, site, version):
    # The host on localhost, the package on 127.0.0.1: the parent's API is out of reach.
    stop_clock(page)
    page.goto(site.host_url(version, site.url(launch(VERSIONS[version])), host="localhost"))
    stop_looking_for_the_lms(page)
    module = Module(sco_frame(page))
    assert module.frame.evaluate("document.documentElement.dataset.scorm") == "standalone"
    assert module.frame.locator(".lm-notice").is_visible()
    assert page.uncaught_errors == []
    assert calls(page) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_an_lms_that_throws_on_every_write_never_breaks_the_page(page, site, builtin_lesson, version):
    module = open_host(page, site, version, VERSIONS[version], fail="SetValue" if version == "2004" else "LMSSetValue")
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    assert "12 of 12 scenario items correct" in module.frame.locator(".lm-score-text").text_content()
    module.write("reflection", "roles_today", "Still here")
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    status_line = module.frame.locator(".lm-status[data-kind='reflection']")
    status_line.filter(has_text="Not saved").wait_for()  # said out loud, never silently lost
    assert module.text("reflection", "roles_today") == "Still here"
    assert page.uncaught_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_an_lms_that_refuses_to_start_falls_back_to_this_browser(page, site, builtin_lesson, version):
    failing = "Initialize" if version == "2004" else "LMSInitialize"
    module = open_host(page, site, version, VERSIONS[version], fail=failing)
    assert "progress is kept in this browser" in module.frame.locator(".lm-notice").text_content()
    assert module.frame.evaluate("document.documentElement.dataset.scorm") == "standalone"
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    assert page.uncaught_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_open_edx_quirks_still_resume_and_report(browser, site, builtin_lesson, version):
    target = VERSIONS[version]
    first = browser.new_page()
    module = open_host(first, site, version, target, quirks="openedx")
    half = dict(list(answers_with(builtin_lesson, wrong=1).items())[:4])
    module.answer(half, {})
    module.write("reflection", "roles_today", "Quirky but kept")
    first.evaluate("document.getElementById('sco').src = 'about:blank'")
    first.wait_for_function("__calls.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    log = calls(first)
    assert problems(log, version) == []  # no cmi.interactions.NaN.*, one Terminate
    saved = last_values(log, version)
    assert saved["cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"] == "incomplete"
    first.close()

    second = browser.new_page()
    seeded = {"suspend_data": saved["cmi.suspend_data"]}
    resumed = open_host(second, site, version, target, quirks="openedx", cmi=seeded)
    assert {item: resumed.checked("scenario", item) for item in half} == half
    assert resumed.text("reflection", "roles_today") == "Quirky but kept"
    resumed.answer(answers_with(builtin_lesson, wrong=1), all_ratings(builtin_lesson))
    resumed.submit()
    resumed.frame.locator(".lm-scorm-finish").click()
    log = calls(second)
    assert problems(log, version) == []
    indexes = {e.split(".")[2] for e, _ in set_values(log, version) if e.startswith("cmi.interactions.")}
    assert all(index.isdigit() for index in indexes)
    second.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_leaves_the_record_alone(page, site, builtin_lesson, version):
    seeded = {"core": {"lesson_mode": "review"}} if version == "1.2" else {"mode": "review"}
    module = open_host(page, site, version, VERSIONS[version], cmi=seeded)
    looking = "You are looking through this module: your answers are not graded and your result is unchanged."
    assert module.frame.locator(".lm-notice").text_content() == looking, "said before the learner does anything"
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()  # the learner still sees their score
    assert "12 of 12" in module.frame.locator(".lm-score-text").text_content()
    module.write("reflection", "roles_today", "Words a review does not keep.")
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    status = module.frame.locator(".lm-status[data-kind='reflection']")
    expect(status).to_have_text("Not saved: you are reviewing your work, so nothing is changed")
    module.frame.locator(".lm-scorm-finish").click()
    expect(module.frame.locator(".lm-notice")).to_have_text(looking)
    written = {element for element, _ in set_values(calls(page), version)}
    assert not {e for e in written if "status" in e or ".score." in e or e.startswith("cmi.interactions.")}
    assert not {"cmi.suspend_data", "cmi.location", "cmi.core.lesson_location"} & written
