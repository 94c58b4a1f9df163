"""The Studio editor and the download links in a live xblock-sdk workbench, driven through Debian's Chromium."""

import uuid

import pytest
from browser_tools import axe_violations
from fixture_paths import CONTENT

from leadmanage_xblock.core.content import builtin_lesson_text, load_builtin_lesson

LESSON = load_builtin_lesson()
MINIMAL = (CONTENT / "minimal.yaml").read_text(encoding="utf-8")
SCENARIO = "leadmanage.0"
LESSON_START = builtin_lesson_text()[:60]


@pytest.fixture
def studio(page, workbench):
    """Open the block's Studio view as a staff member; fail on any script error or dialog."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    def open_editor():
        page.goto(f"{workbench}/scenario/{SCENARIO}/studio_view/?student=staff-{uuid.uuid4().hex[:8]}")
        page.wait_for_selector(".lm-studio-form")
        return page

    yield open_editor
    assert page.uncaught_errors == []
    assert dialogs == []


def learner_view(page, workbench, student: str):
    page.goto(f"{workbench}/scenario/{SCENARIO}/?student={student}")
    page.wait_for_selector(".lm-module.lm-ready")
    return page


def cursor_line(page) -> int:
    return page.evaluate(
        "() => { const t = document.querySelector('.lm-studio-yaml');"
        " return t.value.slice(0, t.selectionStart).split('\\n').length; }"
    )


def test_broken_yaml_shows_every_problem_with_its_line_and_saves_nothing(studio, workbench, tmp_path):
    page = studio()
    assert page.input_value(".lm-studio-yaml").startswith(LESSON_START)
    broken = MINIMAL.replace("title: Minimal lesson", "titel: Minimal lesson", 1).replace("points: 5", "points: 4", 1)
    page.fill(".lm-studio-yaml", broken)
    page.fill("input[name=display_name]", "Should not be saved")
    page.click(".lm-studio-save")
    page.wait_for_selector(".lm-studio-problems:not([hidden])")
    items = page.locator(".lm-studio-problem-list li").all_inner_texts()
    assert any(text.startswith("Line 5: titel: unknown key 'titel'") for text in items)
    points_line = broken.splitlines().index("      points: 4") + 1
    assert any(text.startswith(f"Line {points_line}: quiz.ratings.scale.points") for text in items)
    assert page.inner_text(".lm-studio-error") == f"{len(items)} problems: nothing was saved."
    assert page.inner_text(".lm-studio-status") == page.inner_text(".lm-studio-error"), "announced politely"
    page.click(f".lm-studio-line-link:has-text('Line {points_line}')")
    assert page.evaluate("() => document.activeElement.matches('.lm-studio-yaml')")
    assert cursor_line(page) == points_line
    page.screenshot(path=str(tmp_path / "studio-problems.png"), full_page=True)

    page = studio()
    assert page.input_value(".lm-studio-yaml").startswith(LESSON_START), "the broken text was not saved"
    assert page.input_value("input[name=display_name]") == "Leading vs Managing"
    assert LESSON.introduction.title in learner_view(page, workbench, "learner-a").inner_text(".lm-module")


def test_valid_content_is_saved_and_the_learner_view_shows_it(studio, workbench):
    page = studio()
    # Like xblock-sdk 0.14's runtime (and others): no runtime.notify. The editor must not depend on it.
    page.evaluate("() => { delete RuntimeProvider.getRuntime(1).notify; }")
    assert page.evaluate("() => typeof RuntimeProvider.getRuntime(1).notify") == "undefined"
    page.fill(".lm-studio-yaml", MINIMAL)
    page.fill("input[name=pass_threshold]", "90")
    page.click(".lm-studio-save")
    page.wait_for_selector(".lm-studio-status:has-text('Saved.')")
    assert page.locator(".lm-studio-problems").is_hidden()

    page = learner_view(page, workbench, f"learner-{uuid.uuid4().hex[:8]}")
    assert "Minimal lesson" in page.inner_text(".lm-module")
    assert LESSON.introduction.title not in page.inner_text(".lm-module")
    page = studio()
    assert page.input_value(".lm-studio-yaml") == MINIMAL
    assert page.input_value("input[name=pass_threshold]") == "90"

    page.fill(".lm-studio-yaml", "")  # Back to the built-in lesson for the other tests.
    page.click(".lm-studio-save")
    page.wait_for_selector(".lm-studio-status:has-text('Saved.')")


def test_editor_has_no_accessibility_violations(studio):
    page = studio()
    assert axe_violations(page, ".lm-studio") == []


def test_downloads_follow_the_role(studio, workbench, page):
    editor = studio()
    links = editor.locator(".lm-studio .lm-download")
    assert links.all_inner_texts() == [
        "Download SCORM package",
        "Download SCORM 2004 package",
        "Download workbook (PDF)",
        "Download facilitator workbook (PDF)",
    ]
    scorm = page.request.get(workbench + links.first.get_attribute("href"))
    assert scorm.status == 200
    assert scorm.headers["content-type"] == "application/zip"

    view = learner_view(page, workbench, "learner-b")
    assert view.locator(".lm-download").all_inner_texts() == ["Download my workbook (PDF)"]
    mine = page.request.get(workbench + view.locator(".lm-download").get_attribute("href"))
    assert mine.status == 200
    assert mine.headers["content-type"] == "application/pdf"
    own_url = view.locator(".lm-download").get_attribute("href")
    refused = page.request.get(workbench + own_url.replace("/download_my_workbook/", "/download_scorm/"))
    assert refused.status == 403
    assert refused.text() == "Only course staff can download this."


def test_a_workbook_link_asks_whether_the_file_is_ready_then_downloads_it(studio, workbench, page):
    """The page asks ``workbook_status`` first (the platform's workers may be preparing it), says so, then saves."""
    view = learner_view(page, workbench, f"learner-{uuid.uuid4().hex[:8]}")
    with page.expect_download() as download:
        view.get_by_role("link", name="Download my workbook (PDF)").click()
    assert download.value.suggested_filename.endswith("-my-workbook.pdf")
    assert view.locator(".lm-download-status").inner_text() == "Your workbook is ready: downloading it."
    editor = studio()
    with page.expect_download() as download:
        editor.get_by_role("link", name="Download facilitator workbook (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert "ready" in editor.locator(".lm-download-status").nth(1).inner_text()
