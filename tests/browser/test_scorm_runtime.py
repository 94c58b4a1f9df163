"""Our SCORM packages in Chromium against scorm-again 3.4.3, a real LMS-side runtime: tracking and resume.

Each test exports a package, serves it on 127.0.0.1 next to a host page that provides the LMS API,
drives the module as a learner would, and checks the final CMI data and the ordered call log.
"""

import json

import pytest
from browser_tools import axe_violations
from leadmanage_exporters.launch_page import STYLESHEETS
from leadmanage_exporters.scorm import SCRIPTS, ScormExporter, interaction_ids
from leadmanage_exporters.scorm_manifest import TARGETS
from playwright.sync_api import expect
from scorm_harness import VERSIONS, ScormSite, all_ratings, answers_with, calls, cmi, open_host, status
from scorm_log import last_values, method_names, problems, set_values

# Emoji (astral and BMP), quotes, markup characters and line breaks: all must come back exactly.
TRICKY = 'Plan: "lead" & <manage> 😀 — it\'s fine\nSecond line ✓\n\nÜber <b>bold</b> & ok 🎯 '


def utf16_prefix(text: str, units: int) -> str:
    """The longest prefix of ``text`` that is at most ``units`` UTF-16 code units (what maxlength counts)."""
    out, used = [], 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > units:
            break
        out.append(char)
        used += size
    return "".join(out)


@pytest.mark.parametrize("version", VERSIONS)
def test_happy_path_is_completed_passed_and_scored(page, site, builtin_lesson, version):
    target = VERSIONS[version]
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    module = open_host(page, site, version, target)
    module.answer(answers_with(builtin_lesson, wrong=2), all_ratings(builtin_lesson))
    module.submit()
    module.write("reflection", "roles_today", "Leading: planning.\nManaging: rota.")
    module.frame.locator(".lm-scorm-finish").click()

    log = calls(page)
    assert problems(log, version) == []
    percent = round(10 / 12 * 100)
    # The strict order of everything but interactions and suspend_data (session time varies).
    milestones = [(e, v) for e, v in set_values(log, version) if not e.startswith("cmi.interactions.")]
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    assert [v for e, v in milestones if e == location] == ["quiz", "quiz", "reflection"]  # the bookmark
    milestones = [(e, v) for e, v in milestones if e not in ("cmi.suspend_data", location)]
    session = milestones[-2][1]
    if version == "1.2":
        expected = [
            ("cmi.core.lesson_status", "incomplete"),
            ("cmi.core.score.raw", "83"),
            ("cmi.core.score.min", "0"),
            ("cmi.core.score.max", "100"),
            ("cmi.core.lesson_status", "passed"),
            ("cmi.core.session_time", session),
            ("cmi.core.exit", ""),
        ]
    else:
        expected = [
            ("cmi.completion_status", "incomplete"),
            ("cmi.score.raw", "83"),
            ("cmi.score.min", "0"),
            ("cmi.score.max", "100"),
            ("cmi.score.scaled", "0.83"),
            ("cmi.completion_status", "completed"),
            ("cmi.success_status", "passed"),
            ("cmi.session_time", session),
            ("cmi.exit", "normal"),
        ]
    assert milestones == expected
    methods = [call["method"].removeprefix("LMS") for call in log if "GetValue" not in call["method"]]
    assert methods[0] == "Initialize"
    assert methods[-2:] == (["Commit", "Finish"] if version == "1.2" else ["SetValue", "Terminate"])
    if version == "1.2":
        assert status(page, version) == ("passed", str(percent))
    else:
        assert status(page, version) == ("completed", "passed", str(percent), str(round(percent / 100, 2)))
    writes = last_values(log, version)
    ids = interaction_ids(builtin_lesson, TARGETS[target])
    recorded = {value for element, value in set_values(log, version) if element.endswith(".id")}
    assert recorded == {
        *(ids[i.id] for i in builtin_lesson.quiz.scenarios),
        *(ids[i.id] for i in builtin_lesson.quiz.ratings.items),
        ids["reflection:roles_today"],
    }
    exit_element = "cmi.core.exit" if version == "1.2" else "cmi.exit"
    assert writes[exit_element] == ("" if version == "1.2" else "normal")
    reflection = json.loads(writes["cmi.suspend_data"])["t"]["roles_today"]
    assert reflection == "Leading: planning.\nManaging: rota."
    assert page.uncaught_errors == []
    package = [url for url in requested if f"/pkg/{target}/" in url.split("#")[0]]
    assert len(package) == 1 + len(STYLESHEETS) + len(SCRIPTS)  # index.html, the stylesheets, the scripts, nothing else
    assert all(url.startswith(site.url(f"/pkg/{target}/")) for url in package)


@pytest.mark.parametrize("version", VERSIONS)
def test_each_interaction_records_type_response_and_result(page, site, builtin_lesson, version):
    target = VERSIONS[version]
    module = open_host(page, site, version, target)
    module.answer(answers_with(builtin_lesson, wrong=1), all_ratings(builtin_lesson, point=4))
    module.submit()
    module.write("reflection", "roles_today", "one\ntwo")
    module.frame.locator(".lm-scorm-finish").click()
    interactions = {entry["id"]: entry for entry in cmi(page)["interactions"].values()}
    ids = interaction_ids(builtin_lesson, TARGETS[target])
    wrong = "wrong" if version == "1.2" else "incorrect"
    first, second = builtin_lesson.quiz.scenarios[:2]
    response = "student_response" if version == "1.2" else "learner_response"
    assert interactions[ids[first.id]]["type"] == "choice"
    assert interactions[ids[first.id]]["result"] == wrong
    assert interactions[ids[second.id]]["result"] == "correct"
    rating = interactions[ids[builtin_lesson.quiz.ratings.items[0].id]]
    assert (rating["type"], rating[response], rating["result"]) == ("likert", "4", "neutral")
    reflection = interactions[ids["reflection:roles_today"]]
    assert reflection["type"] == ("fill-in" if version == "1.2" else "long-fill-in")
    assert reflection[response] == "one two"  # one line: LMSs refuse line breaks here


@pytest.mark.parametrize("version", VERSIONS)
def test_low_score_fails_by_mastery(page, site, builtin_lesson, version):
    module = open_host(page, site, version, VERSIONS[version])
    module.answer(answers_with(builtin_lesson, wrong=6), all_ratings(builtin_lesson))
    module.submit()
    assert "Not passed yet." in module.frame.locator(".lm-score-text").text_content()
    module.frame.locator(".lm-scorm-finish").click()
    assert problems(calls(page), version) == []
    expected = ("failed", "50") if version == "1.2" else ("completed", "failed", "50", "0.5")
    assert status(page, version) == expected


@pytest.mark.parametrize("version", VERSIONS)
def test_mastery_score_from_the_lms_wins(page, site, builtin_lesson, version):
    seeded = {"student_data": {"mastery_score": "100"}} if version == "1.2" else {"scaled_passing_score": "1"}
    module = open_host(page, site, version, VERSIONS[version], cmi=seeded)
    module.answer(answers_with(builtin_lesson, wrong=1), all_ratings(builtin_lesson))
    module.submit()  # 92 % passes the package's 80 % but not the LMS's 100 %
    module.frame.locator(".lm-scorm-finish").click()
    assert status(page, version)[:2] == (("failed", "92") if version == "1.2" else ("completed", "failed"))


@pytest.mark.parametrize("version", VERSIONS)
def test_completion_only_sets_no_score_or_success(page, site, builtin_lesson, version):
    module = open_host(page, site, version, VERSIONS[version], "-completion")
    module.answer(answers_with(builtin_lesson, wrong=6), all_ratings(builtin_lesson))
    module.submit()
    module.frame.locator(".lm-scorm-finish").click()
    log = calls(page)
    assert problems(log, version) == []
    written = {element for element, _ in set_values(log, version)}
    assert not {e for e in written if ".score." in e or e == "cmi.success_status"}
    assert status(page, version)[0] == "completed"


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_half_way_and_resuming_loses_nothing(browser, site, builtin_lesson, version):
    target = VERSIONS[version]
    half = dict(list(answers_with(builtin_lesson, wrong=3).items())[:6])
    ratings = dict(list(all_ratings(builtin_lesson, point=5).items())[:5])
    limit = builtin_lesson.reflection.max_length
    reflection = utf16_prefix(TRICKY * (limit // len(TRICKY) + 1), limit)
    plan = 'Ask "Sam" & <Kim> 🙂\nby Friday'

    first = browser.new_page()
    module = open_host(first, site, version, target)
    module.answer(half, ratings)
    module.write("action_plan", "first_step", plan)
    module.write("reflection", "roles_today", reflection)
    assert module.text("reflection", "roles_today") == reflection  # the budget let it in
    first.evaluate("document.getElementById('sco').src = 'about:blank'")  # fires pagehide in the SCO
    first.wait_for_function("__calls.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    log = calls(first)
    assert problems(log, version) == []
    saved = last_values(log, version)
    exit_element, status_element = (
        ("cmi.core.exit", "cmi.core.lesson_status") if version == "1.2" else ("cmi.exit", "cmi.completion_status")
    )
    assert (saved[exit_element], saved[status_element]) == ("suspend", "incomplete")
    suspend_data = saved["cmi.suspend_data"]
    first.close()

    second = browser.new_page()
    # A fresh launch seeded with the saved data only: no cmi.entry, as Open edX's player never sets it.
    resumed = open_host(second, site, version, target, cmi={"suspend_data": suspend_data})
    assert {item: resumed.checked("scenario", item) for item in half} == half
    assert {item: int(resumed.checked("rating", item)) for item in ratings} == ratings
    assert resumed.text("reflection", "roles_today") == reflection
    assert resumed.text("action_plan", "first_step") == plan
    assert resumed.checked("scenario", builtin_lesson.quiz.scenarios[-1].id) is None
    assert resumed.frame.locator(".lm-panel[data-section='reflection']").is_visible()  # back where they left
    second.close()


def test_launch_page_passes_axe_in_an_lms(browser, site, builtin_lesson):
    context = browser.new_context(bypass_csp=True)  # the page's CSP rightly refuses axe's injected script
    page = context.new_page()
    module = open_host(page, site, "2004", "scorm2004-4")
    module.answer(answers_with(builtin_lesson, wrong=2), all_ratings(builtin_lesson))
    module.submit()
    violations = axe_violations(module.frame)
    context.close()
    assert violations == []


def test_launch_page_policy_refuses_injected_inline_script(page, site):
    module = open_host(page, site, "2004", "scorm2004-4")
    with pytest.raises(Exception, match="Content Security Policy"):
        module.frame.add_script_tag(content="window.injected = true")
    assert module.frame.evaluate("window.injected") is None


@pytest.mark.parametrize("version", VERSIONS)
def test_finish_then_leaving_terminates_exactly_once(page, site, builtin_lesson, version):
    module = open_host(page, site, version, VERSIONS[version])
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    module.frame.locator(".lm-scorm-finish").click()
    assert "You can close this window" in module.frame.locator(".lm-notice").text_content()
    module.write("action_plan", "first_step", "typed after Finish")
    module.frame.locator(".lm-save[data-kind='action_plan']").click()
    status_line = module.frame.locator(".lm-status[data-kind='action_plan']")
    status_line.filter(has_text="session has ended").wait_for()  # told, not retried for ever
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_timeout(300)
    assert problems(calls(page), version) == []  # one Terminate, nothing after it


@pytest.mark.parametrize("version", VERSIONS)
def test_hiding_the_page_commits_text_that_autosave_has_not_sent(page, site, version):
    module = open_host(page, site, version, VERSIONS[version])
    module.write("action_plan", "first_step", "Book the 1:1 with Sam")
    module.frame.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    log = calls(page)
    commit = method_names(version)["commit"]
    last_store = max(i for i, c in enumerate(log) if c["args"][:1] == ["cmi.suspend_data"])
    assert json.loads(log[last_store]["args"][1])["p"] == {"first_step": "Book the 1:1 with Sam"}
    assert log[last_store + 1]["method"] == commit


def test_author_markup_stays_text_in_the_running_page(page, tmp_path, escaped_lesson):
    site = ScormSite(tmp_path)
    site.add_package("escaped", ScormExporter("scorm2004-4").export(escaped_lesson))
    page.on("dialog", lambda dialog: dialog.dismiss())
    module = open_host(page, site, "2004", "escaped")
    module.answer(answers_with(escaped_lesson, wrong=0), all_ratings(escaped_lesson, point=1))
    module.submit()
    module.go("results")
    guidance = module.frame.locator(".lm-guidance-item:not([hidden]) .lm-guidance-text").first
    assert '<b>bold</b> & "double" \'single\' <script>alert("x")</script>' in guidance.text_content()
    assert module.frame.locator(".lm-module b, .lm-module script:not(.lm-strings)").count() == 0
    explanation = module.frame.locator(".lm-explanation").first.text_content()
    assert "<script>" in explanation
    site.close()
    assert page.uncaught_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_unreadable_suspend_data_is_kept_until_the_learner_chooses_to_start_afresh(browser, site, version):
    """Progress the page cannot read (cut short here) is neither taken for a first visit nor overwritten."""
    target, cut_short = VERSIONS[version], '{"v":1,"a":{"goals_s1":"a"},"t":{"roles_today":"My long refl'
    first = browser.new_page()
    module = open_host(first, site, version, target, cmi={"suspend_data": cut_short})
    notice = module.frame.locator(".lm-scorm-unreadable")
    assert notice.is_visible()
    assert "kept unchanged in your LMS" in notice.inner_text()
    module.write("reflection", "roles_today", "Typed after the unreadable resume.")
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    assert "could not be read" in module.frame.locator(".lm-status[data-kind='reflection']").inner_text()
    first.evaluate("document.getElementById('sco').src = 'about:blank'")  # leave: pagehide ends the session
    first.wait_for_function("__calls.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    written = [element for element, _ in set_values(calls(first), version)]
    assert "cmi.suspend_data" not in written, "the LMS copy was never overwritten"
    first.close()

    second = browser.new_page()
    module = open_host(second, site, version, target, cmi={"suspend_data": cut_short})
    module.frame.get_by_role("button", name="Start afresh").click()
    assert not module.frame.locator(".lm-scorm-unreadable").is_visible()
    module.write("reflection", "roles_today", "A fresh start.")
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    stored = json.loads(last_values(calls(second), version)["cmi.suspend_data"])
    assert stored["t"] == {"roles_today": "A fresh start."}
    second.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_saved_work_the_lms_fails_to_read_is_never_taken_for_a_first_visit(browser, site, version):
    """An LMS that throws, or answers an error, when asked for suspend_data: the work it holds stays untouched."""
    target = VERSIONS[version]
    saved = '{"v":1,"a":{"goals_s1":"a"},"r":{},"t":{"roles_today":"My precious reflection."},"p":{}}'
    page = browser.new_page()
    module = open_host(page, site, version, target, cmi={"suspend_data": saved}, failGet="cmi.suspend_data")
    assert module.frame.locator(".lm-scorm-unreadable").is_visible()
    module.answer({"goals_s2": "c"}, {})
    module.frame.locator(".lm-scorm-finish").click()
    notice = module.frame.locator(".lm-module .lm-notice")
    expect(notice).to_contain_text("Nothing from this session was saved: your earlier progress could not be read.")
    page.wait_for_function("__calls.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    assert "cmi.suspend_data" not in [element for element, _ in set_values(calls(page), version)]
    assert cmi(page)["suspend_data"] == saved, "the LMS copy is as it was"
    page.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_finish_never_says_saved_when_the_lms_refused_the_work(page, site, version):
    """An LMS that refuses suspend_data: a refused choice is said at once, and Finish says the work is not saved."""
    module = open_host(page, site, version, VERSIONS[version], refuseSet="cmi.suspend_data")
    module.answer({"goals_s1": "b"}, {})
    notice = module.frame.locator(".lm-module .lm-notice")
    expect(notice).to_contain_text("The LMS did not accept your latest choice")
    module.write("reflection", "roles_today", "Words the LMS will not take.")
    module.frame.locator(".lm-scorm-finish").click()
    expect(notice).to_contain_text("The LMS did not confirm that your work is saved.")
    assert "Your work is saved" not in notice.inner_text()
    assert module.text("reflection", "roles_today") == "Words the LMS will not take.", "the text stays to copy"


def test_saved_text_with_characters_no_output_can_store_comes_back_cleaned(page, site):
    """A NUL or a lone surrogate in the LMS's copy (another tool wrote it) never reaches the learner's field."""
    saved = r'{"v":1,"a":{},"r":{},"t":{"roles_today":"Lead\u0000 and \ud800manage"},"p":{}}'
    module = open_host(page, site, "2004", VERSIONS["2004"], cmi={"suspend_data": saved})
    assert module.text("reflection", "roles_today") == "Lead and manage"
