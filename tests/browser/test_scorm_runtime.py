"""Our SCORM packages in Chromium against scorm-again 3.4.3, a real LMS-side runtime.

Each test exports a package, serves it on 127.0.0.1 next to a host page that provides the LMS API,
drives the module as a learner would, and checks the final CMI data and the ordered call log.
"""

import json

import pytest
from browser_tools import axe_violations
from leadmanage_exporters.scorm import ScormExporter, interaction_ids
from leadmanage_exporters.scorm_manifest import TARGETS
from scorm_harness import Module, ScormSite, all_ratings, answers_with, sco_frame
from scorm_log import last_values, method_names, problems, set_values

VERSIONS = {"1.2": "scorm12", "2004": "scorm2004-4"}
# Emoji (astral and BMP), quotes, markup characters and line breaks: all must come back exactly.
TRICKY = 'Plan: "lead" & <manage> 😀 — it\'s fine\nSecond line ✓\n\nÜber <b>bold</b> & ok 🎯 '


@pytest.fixture(scope="module")
def site(tmp_path_factory, builtin_lesson):
    site = ScormSite(tmp_path_factory.mktemp("scorm-site"))
    for target in TARGETS:
        site.add_package(target, ScormExporter(target).export(builtin_lesson))
        site.add_package(f"{target}-completion", ScormExporter(target, mastery=None).export(builtin_lesson))
    yield site
    site.close()


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


def launch(target: str, variant: str = "") -> str:
    return f"/pkg/{target}{variant}/index.html"


def open_host(page, site, version, target, variant="", **options):
    page.goto(site.host_url(version, launch(target, variant), **options))
    return Module(sco_frame(page))


def cmi(page) -> dict:
    return page.evaluate("lms.renderCMIToJSONObject()")["cmi"]


def calls(page) -> list[dict]:
    return page.evaluate("__calls")


def status(page, version) -> tuple:
    data = cmi(page)
    if version == "1.2":
        return data["core"]["lesson_status"], data["core"]["score"]["raw"]
    return data["completion_status"], data["success_status"], data["score"]["raw"], data["score"]["scaled"]


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
    assert len(package) == 8  # index.html, the stylesheet and six scripts
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
    module.write("plan", "first_step", plan)
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
    assert resumed.text("plan", "first_step") == plan
    assert resumed.checked("scenario", builtin_lesson.quiz.scenarios[-1].id) is None
    second.close()


def test_scorm12_budget_stops_typing_before_suspend_data_overflows(page, site, builtin_lesson):
    module = open_host(page, site, "1.2", "scorm12")
    limit = builtin_lesson.reflection.max_length
    module.write("reflection", "roles_today", ("x" * limit))
    module.write("reflection", "shift_focus", ("y" * limit))
    room = module.frame.locator(f"#{module.prefix}reflection-context_next-count").text_content()
    module.write("reflection", "context_next", "🎯" * 200)  # 200 emoji = 2,400 stored characters: no room
    assert module.text("reflection", "context_next") == ""
    assert module.text("reflection", "shift_focus") == "y" * limit  # nothing earlier was dropped
    status_line = module.frame.locator(".lm-status[data-kind='reflection']").text_content()
    assert "No saving space left" in status_line
    assert "characters of saving space left" in room
    module.frame.locator(".lm-scorm-finish").click()
    stored = last_values(calls(page), "1.2")["cmi.suspend_data"]
    assert len(stored) <= 4096
    assert json.loads(stored)["t"] == {"roles_today": "x" * limit, "shift_focus": "y" * limit}


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
    page.goto(site.url(launch(VERSIONS[version])))
    module = Module(sco_frame(page))
    notice = module.frame.locator(".lm-notice")
    assert notice.is_visible()
    assert "Standalone mode" in notice.text_content()
    item = builtin_lesson.quiz.scenarios[0]
    module.answer({item.id: item.correct_option.id}, {})
    module.write("reflection", "roles_today", TRICKY)
    module.frame.locator(".lm-save[data-kind='reflection']").click()
    module.frame.locator(".lm-status[data-kind='reflection']").filter(has_text="Saved").wait_for()
    page.reload()
    again = Module(sco_frame(page))
    assert again.checked("scenario", item.id) == item.correct_option.id
    assert again.text("reflection", "roles_today") == TRICKY
    assert page.uncaught_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_cross_origin_lms_falls_back_without_errors(page, site, version):
    # The host on localhost, the package on 127.0.0.1: the parent's API is out of reach.
    page.goto(site.host_url(version, site.url(launch(VERSIONS[version])), host="localhost"))
    module = Module(sco_frame(page))
    assert module.frame.evaluate("document.documentElement.dataset.scorm") == "standalone"
    assert module.frame.locator(".lm-notice").is_visible()
    assert page.uncaught_errors == []
    assert calls(page) == []


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
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_timeout(300)
    assert problems(calls(page), version) == []  # one Terminate, nothing after it


@pytest.mark.parametrize("version", VERSIONS)
def test_hiding_the_page_commits_text_that_autosave_has_not_sent(page, site, version):
    module = open_host(page, site, version, VERSIONS[version])
    module.write("plan", "first_step", "Book the 1:1 with Sam")
    module.frame.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    log = calls(page)
    commit = method_names(version)["commit"]
    last_store = max(i for i, c in enumerate(log) if c["args"][:1] == ["cmi.suspend_data"])
    assert json.loads(log[last_store]["args"][1])["p"] == {"first_step": "Book the 1:1 with Sam"}
    assert log[last_store + 1]["method"] == commit


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
