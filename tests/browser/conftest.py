"""Browser fixtures: Debian's Chromium driven by Playwright for Python, the SCORM site and the live workbench.

Django as the LMS has it (``lms_django``, ``django_language``) comes from tests/conftest.py.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LEADMANAGE_CHROMIUM", "/usr/bin/chromium")
# This machine has no network beyond package registries; these flags stop Chromium's own
# background traffic (updates, sync, QUIC) so pages load quickly and quietly.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make setup` (apt chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.uncaught_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    """A live xblock-sdk workbench with the block, for one test module (its own database)."""
    import workbench_server

    url, process = workbench_server.start(tmp_path_factory.mktemp("workbench"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory, builtin_lesson):
    """A static site on 127.0.0.1: scorm-again's LMS runtime, the host page and every SCORM target of the lesson.

    Packages are under ``/pkg/<target>/`` (graded) and ``/pkg/<target>-completion/``; a test module may add its own.
    """
    from scorm_harness import serve_packages

    site = serve_packages(tmp_path_factory.mktemp("scorm-site"), builtin_lesson)
    yield site
    site.close()


@pytest.fixture(scope="session")
def spanish_package(site) -> str:
    """The Spanish lesson's SCORM 1.2 package on the site, under ``/pkg/scorm12-es/``; its launch path."""
    from leadmanage_exporters.scorm import ScormExporter

    from leadmanage_xblock.core.content import load_builtin_lesson

    return site.add_package("scorm12-es", ScormExporter("scorm12").export(load_builtin_lesson("es")))
