"""Our cmi5 AU in Chromium against a real LRS (Ralph), launched by a test LMS as a cmi5 LMS launches it.

Each test plays the LMS (LaunchData in the State API, learner preferences in the Agent Profile API, a one-time fetch
URL, "launched" in the LRS), drives the module as a learner would, then reads back from Ralph every statement the AU
sent and checks it against the cmi5 rules: order, the context template, the registration and session id, scores,
durations, no learner text unless the author opted in, nothing changed in Review mode, nothing lost while the LMS or
its LRS fails.
"""

import json
import re
import time

import pytest
from cmi5_lms import CMI5, SESSION, Cmi5Lms, free_port, package_files, start_ralph, strict_xapi_problems
from leadmanage_exporters.cmi5 import Cmi5Exporter
from scorm_harness import Module, all_ratings, answers_with

MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
CHARACTERS = "urn:leadmanage:xapi:extension:characters"
PRIVATE_TEXT = "Only I may read this: <b>lead</b> & manage 😀"
PRIVATE_PLAN = "My private first step: talk to Sam"
SAVED = re.compile("Saved")  # case-sensitive: "Unsaved changes" must not match
WORK = "urn:leadmanage:state:work"
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    ralph = start_ralph(tmp_path_factory.mktemp("ralph"))
    yield ralph
    ralph.stop()


@pytest.fixture
def lms(ralph, builtin_lesson):
    lms = Cmi5Lms(package_files(Cmi5Exporter().export(builtin_lesson)), ralph).start()
    yield lms
    lms.close()


@pytest.fixture
def text_lms(ralph, builtin_lesson):
    """An LMS serving the package exported with --send-text."""
    lms = Cmi5Lms(package_files(Cmi5Exporter(send_text=True).export(builtin_lesson)), ralph).start()
    yield lms
    lms.close()


def verb(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def sent(ralph, launch, wait_for: str | None = None) -> list[dict]:
    """The statements of the launch's registration in Ralph, oldest first, waiting until one has verb ``wait_for``."""
    for _ in range(100):
        found = [s for s in ralph.statements() if s.get("context", {}).get("registration") == launch.registration]
        if wait_for is None or wait_for in map(verb, found):
            return sorted(found, key=lambda s: s["timestamp"])
        time.sleep(0.1)
    raise AssertionError(f"no {wait_for!r} statement reached Ralph; it holds {[verb(s) for s in found]}")


def state_writes(lms) -> int:
    """How many writes the AU sent to the LMS's State API."""
    return sum(1 for method, path, _, _ in lms.xapi_requests if method != "GET" and path == "/xapi/activities/state")


def open_au(page, launch) -> Module:
    page.goto(launch.url)
    page.wait_for_function("() => window.LeadManageCmi5Launch && window.LeadManageCmi5Launch.session.connected")
    return Module(page.main_frame)


def saved(page, kind: str) -> None:
    page.locator(f".lm-status[data-kind='{kind}']", has_text=SAVED).wait_for()


def finish(page) -> None:
    page.locator(".lm-scorm-finish").click()
    page.get_by_text("Your work is saved. You can close this window.").wait_for()


def test_normal_run_sends_every_statement_in_cmi5_order_with_the_context_template(page, lms, ralph, builtin_lesson):
    launch = lms.launch()
    lms.set_preferences(launch.actor, {"languagePreference": "fr-FR,en-GB", "audioPreference": "off"})
    module = open_au(page, launch)
    assert lms.preference_reads(launch) == 1  # cmi5 section 11: read at startup
    assert page.evaluate("LeadManageCmi5Launch.session.language") == "en"  # en-GB: the package's language
    module.answer(answers_with(builtin_lesson, wrong=2), all_ratings(builtin_lesson))
    module.submit()
    module.write("reflection", "roles_today", PRIVATE_TEXT)
    saved(page, "reflection")
    module.write("action_plan", "first_step", PRIVATE_PLAN)
    saved(page, "action_plan")
    finish(page)

    statements = sent(ralph, launch, wait_for="terminated")
    verbs = [verb(s) for s in statements]
    items = len(builtin_lesson.quiz.scenarios) + len(builtin_lesson.quiz.ratings.items)
    assert verbs == [
        "launched",
        "initialized",
        *["answered"] * items,
        "completed",
        "passed",
        "responded",
        "responded",
        "terminated",
    ]
    by_verb = {verb(s): s for s in statements}
    for statement in statements[1:]:  # the AU's, after the LMS's "launched"
        context = statement["context"]
        assert context["extensions"][SESSION] == launch.session_id
        assert context["contextActivities"]["grouping"] == [
            {"id": "urn:leadmanage:course:leading_vs_managing:au:module"}
        ]  # unchanged
        categories = [a["id"] for a in context["contextActivities"].get("category", [])]
        assert (CMI5 in categories) == (verb(statement) in DEFINED)
        assert (MOVE_ON in categories) == (verb(statement) in {"completed", "passed"})
        if verb(statement) in DEFINED:
            assert statement["object"]["id"] == launch.activity_id
            assert statement["actor"]["account"] == launch.actor["account"]
    passed = by_verb["passed"]["result"]
    assert passed["score"] == {"scaled": 0.8333, "raw": 10, "min": 0, "max": 12}
    assert passed["success"] is True
    assert by_verb["passed"]["context"]["extensions"][MASTERY] == 0.7
    assert by_verb["completed"]["result"]["completion"] is True
    assert all("duration" in by_verb[v]["result"] for v in ("completed", "passed", "terminated"))
    first = next(s for s in statements if verb(s) == "answered")
    scenario = builtin_lesson.quiz.scenarios[0]
    assert first["object"]["id"] == f"urn:leadmanage:leading_vs_managing:scenario:{scenario.id}"
    assert first["object"]["definition"]["correctResponsesPattern"] == [scenario.correct_option.id]
    assert first["result"]["success"] is False  # the first two answers are the wrong ones
    assert first["context"]["contextActivities"]["parent"][0]["id"] == launch.activity_id
    reflection, plan = (s for s in statements if verb(s) == "responded")
    assert reflection["result"]["extensions"][CHARACTERS] == len(PRIVATE_TEXT)
    assert plan["object"]["id"] == "urn:leadmanage:leading_vs_managing:action_plan:first_step"
    assert plan["result"]["extensions"][CHARACTERS] == len(PRIVATE_PLAN)
    assert strict_xapi_problems(statements) == []
    everything = json.dumps(ralph.statements(), ensure_ascii=False)
    assert "Only I may read this" not in everything
    assert "talk to Sam" not in everything
    assert lms.state(launch, "urn:leadmanage:state:work")["work"]["reflection"]["roles_today"] == PRIVATE_TEXT


def test_second_launch_of_the_registration_restores_the_work_and_reports_completion_once(
    page, lms, ralph, builtin_lesson
):
    answers = answers_with(builtin_lesson, wrong=5)
    first = lms.launch()
    module = open_au(page, first)
    module.answer(answers, all_ratings(builtin_lesson, point=4))
    module.submit()
    module.write("action_plan", "first_step", "Block Monday 9:00")
    saved(page, "action_plan")
    finish(page)
    assert [verb(s) for s in sent(ralph, first, "terminated")][-4:] == [
        "completed",
        "failed",
        "responded",
        "terminated",
    ]

    second = lms.launch(registration=first.registration)
    module = open_au(page, second)
    item = builtin_lesson.quiz.scenarios[-1].id
    assert module.checked("scenario", item) == answers[item]
    assert module.text("action_plan", "first_step") == "Block Monday 9:00"
    assert page.locator(".lm-score:not([hidden])").count() == 1
    module.answer(answers_with(builtin_lesson, wrong=0), {})
    module.submit()
    finish(page)
    statements = [s for s in sent(ralph, second, "passed") if s["context"]["extensions"][SESSION] == second.session_id]
    second_session = [verb(s) for s in statements]
    assert second_session[:2] == ["launched", "initialized"]
    assert "completed" not in second_session  # completed once per registration
    assert second_session[-2:] == ["passed", "terminated"]
    assert strict_xapi_problems(sent(ralph, first)) == []  # both sessions, "failed" included


def test_browse_mode_sends_no_completion_or_judgement(page, lms, ralph, builtin_lesson):
    launch = lms.launch(mode="Browse")
    module = open_au(page, launch)  # the learner has no preferences document: the LMS answers 404
    assert lms.preference_reads(launch) == 1
    assert page.get_by_text("your answers are not graded").is_visible()
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    finish(page)
    statements = sent(ralph, launch, "terminated")
    verbs = {verb(s) for s in statements}
    assert verbs & {"completed", "passed", "failed"} == set()
    assert {"initialized", "answered", "terminated"} <= verbs
    assert strict_xapi_problems(statements) == []


def test_lrs_refusing_for_a_while_loses_nothing_and_delivers_each_statement_once_in_order(
    page, lms, ralph, builtin_lesson
):
    lms.statements_refuse = 503  # the LRS is down from the start: "initialized" waits too
    launch = lms.launch()
    module = open_au(page, launch)
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    page.get_by_text("Your work could not be sent to your LMS just now.").wait_for()
    lms.state_refuses = True  # and the LMS cannot store the learner's state either
    module.write("reflection", "roles_today", "typed while nothing could be stored")
    page.locator(".lm-status[data-kind='reflection']", has_text="Not saved").wait_for()
    page.locator(".lm-scorm-finish").click()  # Finish while down: "terminated" queues behind the rest
    page.get_by_text("Your LMS is not answering. Your work is kept in this browser: leave this window open").wait_for()
    assert [verb(s) for s in sent(ralph, launch)] == ["launched"]
    lms.statements_refuse, lms.state_refuses = None, False
    page.get_by_text("Your work is saved. You can close this window.").wait_for(timeout=30000)

    statements = sent(ralph, launch, "terminated")
    items = len(builtin_lesson.quiz.scenarios) + len(builtin_lesson.quiz.ratings.items)
    assert [verb(s) for s in statements] == [
        "launched",
        "initialized",
        *["answered"] * items,
        "completed",
        "passed",
        "responded",
        "terminated",
    ]
    assert len({s["id"] for s in statements}) == len(statements)  # each arrived once
    arrived = [s["id"] for s in ralph.statements() if s["context"].get("registration") == launch.registration]
    assert arrived == [s["id"] for s in statements]  # stored in the order they were made: nothing after terminated
    assert strict_xapi_problems(statements) == []
    work = lms.state(launch, "urn:leadmanage:state:work")["work"]
    assert work["reflection"]["roles_today"] == "typed while nothing could be stored"


def test_a_slow_lrs_takes_everything_in_order_and_finish_waits_for_it(page, lms, ralph):
    lms.statements_delay = 1.0  # each statements request takes a second: later ones queue behind it
    launch = lms.launch()
    module = open_au(page, launch)
    module.write("reflection", "roles_today", "written while the LRS is slow")
    saved(page, "reflection")
    finish(page)  # "Your work is saved" only once the LRS has taken everything
    statements = sent(ralph, launch)
    assert [verb(s) for s in statements] == ["launched", "initialized", "responded", "terminated"]
    arrived = [s["id"] for s in ralph.statements() if s["context"].get("registration") == launch.registration]
    assert arrived == [s["id"] for s in statements]
    assert not page.get_by_text("could not be sent").is_visible()  # slow is not a failure


@pytest.mark.parametrize("fault", ["refuses", "forbidden", "unreachable"])
def test_fetch_url_failing_tells_the_learner_sends_nothing_and_the_next_launch_keeps_the_work(
    page, lms, ralph, builtin_lesson, fault
):
    if fault == "unreachable":  # nothing answers: the learner is told at once, while the page tries again
        launch = lms.launch(fetch_url=f"http://127.0.0.1:{free_port()}/fetch")
    else:  # a cmi5 error document, or HTTP 403: final, never tried again
        lms.fetch_fault = fault
        launch = lms.launch()
    page.goto(launch.url)
    if fault == "unreachable":
        page.get_by_text("Your LMS is not answering yet.").wait_for()
    page.get_by_text("Your LMS could not be reached, so your work is kept in this browser only.").wait_for()
    module = Module(page.main_frame)
    module.write("reflection", "roles_today", "typed without an LMS")
    saved(page, "reflection")
    assert lms.xapi_requests == []  # without the token, not one request: no statement without auth
    assert [verb(s) for s in sent(ralph, launch)] == ["launched"]
    assert lms.fetch_posts == (0 if fault == "unreachable" else 1)

    lms.fetch_fault = None
    again = lms.launch(registration=launch.registration)
    assert open_au(page, again).text("reflection", "roles_today") == "typed without an LMS"
    for _ in range(50):  # what only this browser held is written to the LMS as soon as it answers
        stored = lms.state(again, "urn:leadmanage:state:work")
        if stored:
            break
        time.sleep(0.1)
    assert stored["work"]["reflection"]["roles_today"] == "typed without an LMS"


def test_closing_the_page_without_finish_still_terminates_the_session(browser, lms, ralph, builtin_lesson):
    context = browser.new_context()
    page = context.new_page()
    launch = lms.launch()
    module = open_au(page, launch)
    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson))
    module.submit()
    page.close(run_before_unload=True)
    context.close()
    statements = sent(ralph, launch, "terminated")
    verbs = [verb(s) for s in statements]
    assert verbs[-1] == "terminated"
    assert verbs.count("terminated") == 1
    assert strict_xapi_problems(statements) == []


def test_completion_only_launch_sends_completed_and_no_judgement_then_returns_to_the_lms(
    page, lms, ralph, builtin_lesson
):
    launch = lms.launch(mastery=None, move_on="Completed", return_url=f"{lms.url}/returned")
    module = open_au(page, launch)
    module.answer(answers_with(builtin_lesson, wrong=6), all_ratings(builtin_lesson))
    module.submit()
    page.locator(".lm-scorm-finish").click()
    page.wait_for_url(f"{lms.url}/returned")
    statements = sent(ralph, launch, "terminated")
    verbs = [verb(s) for s in statements]
    assert verbs[-2:] == ["completed", "terminated"]
    assert {"passed", "failed"} & set(verbs) == set()
    assert strict_xapi_problems(statements) == []


def test_text_the_lms_did_not_take_before_the_page_closed_comes_back_next_launch(browser, lms, builtin_lesson):
    first = lms.launch()
    context = browser.new_context()
    page = context.new_page()
    module = open_au(page, first)
    module.write("reflection", "roles_today", "first draft")
    saved(page, "reflection")
    lms.state_refuses = True
    module.write("reflection", "roles_today", "second draft, typed while the LMS refused")
    page.get_by_text("Your work could not be sent to your LMS just now.").wait_for()
    page.close()
    lms.state_refuses = False
    assert lms.state(first, "urn:leadmanage:state:work")["work"]["reflection"]["roles_today"] == "first draft"

    page = context.new_page()
    module = open_au(page, lms.launch(registration=first.registration))
    assert module.text("reflection", "roles_today") == "second draft, typed while the LMS refused"
    context.close()


def test_review_shows_the_stored_work_read_only_and_changes_nothing(page, lms, ralph, builtin_lesson):
    answers = answers_with(builtin_lesson, wrong=1)
    first = lms.launch()
    module = open_au(page, first)
    module.answer(answers, all_ratings(builtin_lesson))
    module.submit()
    module.write("reflection", "roles_today", "what I wrote before")
    saved(page, "reflection")
    finish(page)
    sent(ralph, first, "terminated")
    stored = lms.state(first, WORK)
    writes = state_writes(lms)

    review = lms.launch(registration=first.registration, mode="Review")
    module = open_au(page, review)
    page.get_by_text("You are reviewing your work as it was saved: it is read-only and nothing is recorded.").wait_for()
    item = builtin_lesson.quiz.scenarios[0].id
    assert module.checked("scenario", item) == answers[item]
    assert page.locator(".lm-score:not([hidden])").count() == 1
    module.go("quiz")
    assert page.locator(".lm-quiz input:not([disabled])").count() == 0
    assert page.locator(".lm-submit-quiz").is_disabled()
    module.go("reflection")
    field = page.locator(f"#{module.prefix}reflection-roles_today")
    assert field.input_value() == "what I wrote before"
    assert not field.is_editable()
    finish(page)

    session = [s for s in sent(ralph, review, "terminated") if s["context"]["extensions"][SESSION] == review.session_id]
    assert [verb(s) for s in session] == ["launched", "initialized", "terminated"]
    assert strict_xapi_problems(session) == []
    assert state_writes(lms) == writes  # not one write to the State API in Review
    assert lms.state(review, WORK) == stored


def test_text_is_sent_only_when_the_author_opted_in(page, text_lms, ralph):
    launch = text_lms.launch()
    module = open_au(page, launch)
    module.write("reflection", "roles_today", PRIVATE_TEXT)
    saved(page, "reflection")
    module.write("action_plan", "first_step", PRIVATE_PLAN)
    saved(page, "action_plan")
    finish(page)
    statements = sent(ralph, launch, "terminated")
    responses = {s["object"]["id"].rsplit(":", 1)[-1]: s["result"] for s in statements if verb(s) == "responded"}
    assert responses["roles_today"]["response"] == PRIVATE_TEXT
    assert responses["roles_today"]["extensions"][CHARACTERS] == len(PRIVATE_TEXT)
    assert responses["first_step"]["response"] == PRIVATE_PLAN
    assert strict_xapi_problems(statements) == []


def test_once_the_lrs_has_the_work_this_browser_keeps_none_of_it(page, text_lms, ralph):
    """A shared computer: after Finish the texts are in the LRS, and none of them stays in the browser's storage."""
    launch = text_lms.launch()
    module = open_au(page, launch)
    module.write("reflection", "roles_today", PRIVATE_TEXT)
    saved(page, "reflection")
    finish(page)
    assert any(s.get("result", {}).get("response") == PRIVATE_TEXT for s in sent(ralph, launch, "terminated"))
    kept = page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert "Only I may read this" not in kept
