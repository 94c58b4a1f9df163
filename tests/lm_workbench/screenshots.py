"""Take the README's screenshots of the XBlock in a live workbench: ``make screenshots`` (writes docs/img/)."""

import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TESTS / "browser"), str(TESTS)]

from browser_tools import choose, show_item, to_review  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium settings)
from fixture_paths import REPO  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from scorm_harness import serve_packages  # noqa: E402
from workbench_server import start  # noqa: E402

from leadmanage_xblock.core.content import load_builtin_lesson  # noqa: E402

OUT = REPO / "docs" / "img"
REFLECTION = (
    "Leading: shaping next year's service plan with the team. Managing: the weekly rota and approving timesheets."
)


def answer_quiz(page) -> None:
    lesson = load_builtin_lesson()
    page.click(".lm-nav a[data-go=quiz]")
    for number, item in enumerate(lesson.quiz.scenarios):
        option = item.correct_option if number % 4 else next(o for o in item.options if not o.correct)
        choose(page, item.id, option.id)
    leans = {"goals": 1, "approach": 3, "resources": 5, "people": 2}  # A varied profile for the picture.
    for item in lesson.quiz.ratings.items:
        choose(page, item.id, str(leans.get(item.dimension, 3)))
    to_review(page)
    page.click(".lm-submit-quiz")
    page.wait_for_selector(".lm-score:not([hidden])")


def shoot(page) -> None:
    module = page.locator(".lm-module")
    page.screenshot(path=OUT / "xblock-introduction.png")
    page.click(".lm-nav a[data-go=dim-people]")
    page.locator(".lm-panel:not([hidden])").screenshot(path=OUT / "xblock-dimension.png")
    answer_quiz(page)
    module.locator(".lm-submit").screenshot(path=OUT / "xblock-score.png")
    show_item(page, load_builtin_lesson().quiz.scenarios[0].id).screenshot(path=OUT / "xblock-quiz-feedback.png")
    to_review(page)
    page.click(".lm-score a[data-go=results]")
    page.locator(".lm-panel:not([hidden])").screenshot(path=OUT / "xblock-profile.png")
    page.click(".lm-nav a[data-go=reflection]")
    page.fill("textarea >> nth=0", REFLECTION)
    page.click(".lm-save[data-kind=reflection]")
    page.wait_for_selector(".lm-status[data-kind=reflection]:has-text('Saved')")
    page.locator(".lm-field").first.screenshot(path=OUT / "xblock-reflection.png")
    page.locator(".lm-saver").first.screenshot(path=OUT / "xblock-saved.png")
    page.set_viewport_size({"width": 320, "height": 900})
    page.click(".lm-nav a[data-go=quiz]")
    show_item(page, load_builtin_lesson().quiz.ratings.items[0].id).screenshot(path=OUT / "xblock-320px.png")


def shoot_phone(page) -> None:
    """A new learner on a 375 px phone: the one-line section menu, one quiz item per screen, the review screen."""
    page.screenshot(path=OUT / "xblock-phone-menu.png")
    page.click(".lm-nav-toggle")
    page.screenshot(path=OUT / "xblock-phone-menu-open.png")
    page.click(".lm-nav a[data-go=quiz]")
    page.locator(".lm-panel:not([hidden])").screenshot(path=OUT / "xblock-phone-quiz.png")
    to_review(page)
    page.locator(".lm-panel:not([hidden])").screenshot(path=OUT / "xblock-phone-review.png")


def shoot_scorm(browser, folder: Path) -> None:
    """The SCORM page without an LMS, on a desktop and on a 375 px phone: its header band over the reading column."""
    site = serve_packages(folder, load_builtin_lesson())
    try:
        for name, viewport in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 375, "height": 800})):
            page = browser.new_page(viewport=viewport)
            page.goto(site.url("/pkg/scorm2004-4/index.html"))
            page.wait_for_selector("html[data-scorm]")  # settled: no LMS, so the standalone notice shows
            page.screenshot(path=OUT / f"scorm-{name}.png")
    finally:
        site.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as var, sync_playwright() as playwright:
        url, server = start(Path(var))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.goto(f"{url}/scenario/leadmanage.0/?student=screenshots")
            page.wait_for_selector(".lm-module.lm-ready")
            page.add_style_tag(content=".banner { position: static !important; }")  # The workbench's sticky header.
            shoot(page)
            phone = browser.new_page(viewport={"width": 375, "height": 800})
            phone.goto(f"{url}/scenario/leadmanage.0/?student=phone")
            phone.wait_for_selector(".lm-module.lm-ready")
            phone.add_style_tag(content=".banner { position: static !important; }")
            shoot_phone(phone)
            (Path(var) / "scorm").mkdir()
            shoot_scorm(browser, Path(var) / "scorm")
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=10)
    taken = [*OUT.glob("xblock-*.png"), *OUT.glob("scorm-*.png")]
    sys.stdout.write(f"Wrote {len(taken)} screenshots to {OUT}\n")


if __name__ == "__main__":
    main()
