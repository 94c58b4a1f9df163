"""Download handlers: staff get the CLI's exact files, learners their own workbook only, HTML when PDF cannot run."""

import contextlib
import logging

import pytest
from fixture_paths import CONTENT
from leadmanage_exporters.cli import cli
from leadmanage_exporters.pdf import PdfExporter
from pdf_helpers import body_text, squash
from webob import Request
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, call, make_block

from leadmanage_xblock.core.content import load_builtin_lesson

MINIMAL_PATH = CONTENT / "minimal.yaml"
MINIMAL = MINIMAL_PATH.read_text(encoding="utf-8")
LESSON = load_builtin_lesson()
STAFF_HANDLERS = [("download_scorm", ""), ("download_workbook", "edition=learner")]
STAFF_HANDLERS += [("download_workbook", "edition=facilitator")]


def get(block, handler: str, query: str = "", method: str = "GET"):
    return block.handle(handler, Request.blank(f"/?{query}", method=method))


def cli_output(runner, tmp_path, *arguments) -> bytes:
    target = tmp_path / "cli.out"
    result = runner.invoke(cli, ["export", *arguments, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_bytes()


# --- Staff downloads ----------------------------------------------------------------------------------


def test_staff_scorm_package_is_byte_identical_to_the_cli(runner, tmp_path):
    """A block left at its default pass threshold gives what the CLI gives with its default mastery."""
    response = get(block_for(staff=True, lesson_yaml=MINIMAL), "download_scorm")
    assert response.status_code == 200
    assert response.content_type == "application/zip"
    assert 'filename="minimal-scorm12.zip"' in response.headers["Content-Disposition"]
    assert response.body == cli_output(runner, tmp_path, "scorm", "--content", str(MINIMAL_PATH))


def test_staff_choose_the_scorm_target_from_the_allow_list(runner, tmp_path):
    block = block_for(staff=True, lesson_yaml=MINIMAL, pass_threshold=80)
    response = get(block, "download_scorm", "target=scorm2004-4")
    expected = cli_output(
        runner, tmp_path, "scorm", "--content", str(MINIMAL_PATH), "--target", "scorm2004-4", "--mastery", "80"
    )
    assert response.body == expected
    refused = get(block, "download_scorm", "target=../../etc/passwd")
    assert refused.status_code == 400
    assert "Unknown SCORM target" in refused.text


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_staff_workbook_is_byte_identical_to_the_cli(runner, tmp_path, edition):
    response = get(block_for(staff=True, lesson_yaml=MINIMAL), "download_workbook", f"edition={edition}")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert f'filename="minimal-{edition}-a4.pdf"' in response.headers["Content-Disposition"]
    expected = cli_output(runner, tmp_path, "pdf", "--content", str(MINIMAL_PATH), "--edition", edition)
    assert response.body == expected


def test_an_unknown_edition_is_refused():
    response = get(block_for(staff=True), "download_workbook", "edition=answers")
    assert response.status_code == 400
    assert "Unknown workbook edition" in response.text


@pytest.mark.parametrize(("handler", "query"), STAFF_HANDLERS)
def test_learners_cannot_have_staff_downloads(handler, query):
    response = get(block_for(staff=False), handler, query)
    assert response.status_code == 403
    assert response.text == "Only course staff can download this."


@pytest.mark.parametrize(("handler", "query"), STAFF_HANDLERS)
def test_without_a_user_service_nobody_is_staff(handler, query):
    assert get(make_block(), handler, query).status_code == 403


@pytest.mark.parametrize("handler", ["download_scorm", "download_workbook", "download_my_workbook"])
def test_downloads_are_get_only(handler):
    assert get(block_for(staff=True), handler, method="POST").status_code == 405


# --- The learner's own workbook ------------------------------------------------------------------------


def learner_with_work(username: str, text: str) -> DictFieldData:
    data = DictFieldData({})
    answers = {item.id: item.correct_option.id for item in LESSON.quiz.scenarios}
    ratings = {item.id: 2 for item in LESSON.quiz.ratings.items}
    assert call(block_for(username, data=data), "submit_quiz", {"answers": answers, "ratings": ratings})[0] == 200
    assert call(block_for(username, data=data), "save_text", {"kind": "reflection", "values": {"roles_today": text}})
    return data


def test_learner_gets_their_own_personalised_workbook_and_nobody_elses():
    ana = learner_with_work("ana", "Ana's own words & thoughts")
    learner_with_work("ben", "Ben's private notes")
    block = block_for("ana", data=ana, full_name="Ana García")
    response = get(block, "download_my_workbook", "username=ben&user_id=ben")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    text = body_text(response.body)
    assert squash("Prepared for Ana García") in text
    assert squash("Ana's own words & thoughts") in text
    assert squash("You chose the best answer in 12 of 12 scenarios (100%).") in text
    assert squash("Ben's private notes") not in text


def test_anonymous_visitors_and_studio_previews_get_no_workbook():
    assert get(block_for(username=None), "download_my_workbook").status_code == 403
    preview = block_for()
    preview.runtime.is_author_mode = True
    response = get(preview, "download_my_workbook")
    assert response.status_code == 403
    assert "Sign in as a learner" in response.text


def test_without_weasyprint_the_workbook_is_a_print_ready_html_page(monkeypatch, caplog):
    monkeypatch.setattr(PdfExporter, "unavailable_reason", classmethod(lambda cls: "libpango-1.0-0 is not installed"))
    data = learner_with_work("ana", "Mine </style><script>alert(1)</script>")
    with caplog.at_level(logging.WARNING, logger="leadmanage_xblock.runtime.downloads"):
        response = get(block_for("ana", data=data), "download_my_workbook")
    assert response.status_code == 200
    assert response.content_type == "text/html"
    html = response.text
    assert "@page" in html, "the print stylesheet is inline"
    assert "Mine &lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "libpango-1.0-0 is not installed" in caplog.text
    staff = get(block_for(staff=True), "download_workbook", "edition=facilitator")
    assert staff.content_type == "text/html"
    assert LESSON.facilitator.title in staff.text


# --- Links in the views --------------------------------------------------------------------------------


def test_learner_view_shows_the_learner_link_and_staff_links_only_to_staff():
    learner_html = block_for(staff=False).render("student_view").content
    assert "Download my workbook (PDF)" in learner_html
    assert "Download SCORM package" not in learner_html
    staff_html = block_for(staff=True).render("student_view").content
    assert "Download SCORM package" in staff_html
    assert "/download_workbook/" in staff_html
    assert "Download" not in make_block(user_id=None).render("student_view").content


def test_studio_view_offers_staff_downloads():
    html = block_for(staff=True).render("studio_view").content
    assert "Download SCORM package" in html
    assert "Download workbook (PDF)" in html
    assert "Download facilitator workbook (PDF)" in html


def test_a_learner_downloading_in_a_loop_is_told_to_wait_and_nothing_is_rendered():
    from leadmanage_xblock.runtime.request_limits import WORKBOOKS_PER_MINUTE, within_rate

    block = block_for("ana")
    for _ in range(WORKBOOKS_PER_MINUTE):  # the downloads of the last minute, as the platform's cache counted them
        assert within_rate(block.scope_ids.user_id, block.scope_ids.usage_id)
    response = get(block, "download_my_workbook")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert response.text == "You have downloaded your workbook several times in the last minute. Try again in a minute."
    assert get(block_for("ben"), "download_my_workbook").status_code == 200, "other learners are not held up"


def test_a_learner_changing_their_text_to_queue_workbook_after_workbook_is_told_to_wait(monkeypatch):
    """The page asks whether a workbook is ready every two seconds: asking again is free, each new text counts."""
    from leadmanage_xblock.runtime import request_limits

    monkeypatch.setattr(request_limits.time, "time", lambda: 1_000_000.0)  # all within one minute
    data = DictFieldData({})

    def status():
        return call(block_for("dana", data=data), "workbook_status", {"edition": "mine"})

    assert [status()[0] for _ in range(10)] == [200] * 10, "one workbook, asked for as the page asks"
    answers = []
    for number in range(request_limits.WORKBOOKS_PER_MINUTE):
        text = {"kind": "reflection", "values": {"roles_today": f"Version {number}"}}
        assert call(block_for("dana", data=data), "save_text", text)[0] == 200
        answers.append(status())
    assert [status for status, _ in answers] == [200] * (request_limits.WORKBOOKS_PER_MINUTE - 1) + [429]
    assert answers[-1][1]["error"] == (
        "You have downloaded your workbook several times in the last minute. Try again in a minute."
    )


@pytest.mark.parametrize(
    ("handler", "query", "staff", "status"),
    [
        ("download_scorm", "target=%FF", True, 400),
        ("download_workbook", "edition=%FF%FE", True, 400),
        ("download_debrief", "counts=%FF", True, 400),
        ("download_debrief", "counts=%FF", False, 400),
    ],
)
def test_a_query_string_that_is_not_utf8_is_refused_not_a_server_error(handler, query, staff, status):
    response = get(block_for("ana", staff=staff), handler, query)
    assert response.status_code == status
    assert response.text.endswith(".")


def test_when_every_rendering_slot_is_busy_the_next_workbook_waits_its_turn():
    from leadmanage_xblock.runtime.request_limits import RENDERS_AT_ONCE, render_slot

    with contextlib.ExitStack() as busy:
        assert all(busy.enter_context(render_slot()) for _ in range(RENDERS_AT_ONCE))
        response = get(block_for("ana"), "download_my_workbook")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"
        assert "busy making other workbooks" in response.text
        assert get(block_for(staff=True), "download_workbook", "edition=facilitator").status_code == 503
    assert get(block_for("ana"), "download_my_workbook").status_code == 200


# --- Rendered once, kept in the platform's storage ---------------------------------------------------------


def test_the_same_workbook_asked_again_is_read_from_storage_not_rendered(lms_django, monkeypatch):
    ana = learner_with_work("ana", "Ana's own words")
    first = get(block_for("ana", data=ana, full_name="Ana García"), "download_my_workbook")
    assert first.status_code == 200
    monkeypatch.setattr(PdfExporter, "export", lambda *args: pytest.fail("a stored workbook was rendered again"))
    again = get(block_for("ana", data=ana, full_name="Ana García"), "download_my_workbook")
    assert again.status_code == 200
    assert again.body == first.body


def test_an_edited_answer_makes_a_new_workbook_and_another_learner_gets_their_own(lms_django):
    ana = learner_with_work("ana", "First thoughts")
    before = get(block_for("ana", data=ana), "download_my_workbook").body
    call(block_for("ana", data=ana), "save_text", {"kind": "reflection", "values": {"roles_today": "Second thoughts"}})
    after = body_text(get(block_for("ana", data=ana), "download_my_workbook").body)
    assert squash("Second thoughts") in after
    assert squash("First thoughts") in body_text(before)
    ben = learner_with_work("ben", "First thoughts")  # the same words under another name: another workbook
    assert squash("Prepared for Ben") in body_text(
        get(block_for("ben", data=ben, full_name="Ben"), "download_my_workbook").body
    )


def test_storage_that_fails_still_gives_the_learner_their_workbook(lms_django, monkeypatch, caplog, tmp_path):
    from django.core.files.storage import default_storage

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full_disk)
    ana = learner_with_work("ana", "Kept or not, mine")
    with caplog.at_level(logging.WARNING, logger="leadmanage_xblock.runtime.workbook_cache"):
        response = get(block_for("ana", data=ana), "download_my_workbook")
    assert response.status_code == 200
    assert squash("Kept or not, mine") in body_text(response.body)
    assert "cannot store workbook" in caplog.text


def test_without_celery_the_status_says_ready_and_the_download_renders_it(lms_django):
    """The fallback where the platform has no workers for us (the workbench, a small site): the request renders."""
    ana = learner_with_work("ana", "Mine")
    status = call(block_for("ana", data=ana), "workbook_status", {"edition": "mine"})
    assert status == (200, {"ready": True, "message": "Your workbook is ready: downloading it."})
    assert get(block_for("ana", data=ana), "download_my_workbook").status_code == 200


@pytest.mark.parametrize(
    ("username", "staff", "edition", "status"),
    [(None, False, "mine", 403), ("ana", False, "facilitator", 403), ("ana", True, "answers", 400)]
    + [("ana", True, 7, 400)],
)
def test_the_workbook_status_checks_who_asks_for_what(username, staff, edition, status):
    assert call(block_for(username, staff=staff), "workbook_status", {"edition": edition})[0] == status
