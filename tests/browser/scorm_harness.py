"""A local site for SCORM runtime tests: scorm-again (npm) as the LMS, our host page, our packages.

Everything is served from one folder on 127.0.0.1 (and ``localhost`` for the cross-origin case):
``/runtime/`` is scorm-again's ``dist/``, ``/host/`` our host page, ``/pkg/<name>/`` an extracted
package. A plain module, so tests can import it.
"""

import functools
import io
import json
import threading
import time
import urllib.parse
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from browser_tools import NODE_MODULES, choose, to_review
from leadmanage_exporters.scorm import ScormExporter
from leadmanage_exporters.scorm_manifest import TARGETS

HOST_DIR = Path(__file__).parent / "scorm_host"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"
#: SCORM version -> the target the browser tests run for it.
VERSIONS = {"1.2": "scorm12", "2004": "scorm2004-4"}
#: In a package's page once lesson.js has started: the learner can work, whether or not the LMS is found yet.
READY = ".lm-module.lm-ready"
#: How long the page looks for its LMS before settling without one, and how often (scorm_launch.js).
DISCOVERY_MS, DISCOVERY_STEP_MS = 5000, 250


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class ScormSite:
    """A static web server on 127.0.0.1 holding the runtime, the host page and packages."""

    def __init__(self, root: Path):
        assert (SCORM_AGAIN / "scorm-again.min.js").exists(), "scorm-again is missing: run `make setup` (npm ci)"
        self.root = root
        (root / "runtime").symlink_to(SCORM_AGAIN, target_is_directory=True)
        (root / "host").symlink_to(HOST_DIR, target_is_directory=True)
        (root / "pkg").mkdir()
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def add_package(self, name: str, data: bytes) -> str:
        """Extract the zip ``data`` under ``/pkg/<name>/``; return the launch URL path."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(self.root / "pkg" / name)
        return f"/pkg/{name}/index.html"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """An absolute URL on this server."""
        return f"http://{host}:{self.port}{path}"

    def host_url(self, version: str, launch: str, host: str = "127.0.0.1", **options) -> str:
        """The host page configured for one scenario (see scorm_host/host.js for the options)."""
        config = {"version": version, "launch": launch, **options}
        return self.url("/host/host.html", host) + "#" + urllib.parse.quote(json.dumps(config))


def stop_clock(page) -> None:
    """Stop time in every frame of the page (timers, ``Date``) until the test moves it with ``page.clock.run_for``.

    Whatever a learner does meanwhile then happens at one instant of the page's time, however slow this machine is:
    no LMS appears, no search for it gives up and no autosave runs in between.
    """
    now = time.time()
    page.clock.install(time=now)
    page.clock.pause_at(now + 1)


def stop_looking_for_the_lms(page) -> None:
    """Move a stopped clock (``stop_clock``) past the page's search for its LMS: without one, it settles standalone."""
    page.clock.run_for(DISCOVERY_MS + DISCOVERY_STEP_MS)


def sco_frame(page, timeout_ms: int = 15000, started: str = "html[data-scorm]"):
    """The frame (or popup page's main frame) showing a package, once ``started`` is in it.

    By default once the page has found its LMS or settled without one; ``READY`` as soon as a learner can use it.
    """
    deadline = timeout_ms / 250
    for _ in range(int(deadline)):
        for frame in page.frames:
            if urllib.parse.urlparse(frame.url).path.startswith("/pkg/"):
                frame.wait_for_selector(started, state="attached", timeout=timeout_ms)
                return frame
        page.wait_for_timeout(250)
    raise AssertionError(f"no package frame in {[frame.url for frame in page.frames]}")


class Module:
    """Drives the learner module in a frame the way a learner does: menu, radios, text, buttons."""

    def __init__(self, frame):
        self.frame = frame
        self.prefix = frame.locator(".lm-module").get_attribute("data-prefix")

    def go(self, section: str) -> None:
        """Open a section from the module's menu (on a phone the menu is folded: open it first)."""
        link = self.frame.locator(f".lm-nav a[data-go='{section}']")
        if link.is_hidden():
            self.frame.locator(".lm-nav-toggle").click()
        link.click()

    def answer(self, answers: dict[str, str], ratings: dict[str, int]) -> None:
        """Choose options and rating points in the quiz."""
        self.go("quiz")
        for item, option in answers.items():
            choose(self.frame, item, option)
        for item, point in ratings.items():
            choose(self.frame, item, str(point))

    def submit(self) -> None:
        """Submit the quiz and wait for the score to show."""
        self.go("quiz")
        to_review(self.frame)
        self.frame.locator(".lm-submit-quiz").click()
        self.frame.locator(".lm-score:not([hidden])").wait_for()

    def write(self, kind: str, field: str, text: str) -> None:
        """Type into a reflection or plan field (``kind`` is the section: reflection or plan)."""
        self.go(kind)
        self.frame.locator(f"#{self.prefix}{kind}-{field}").fill(text)

    def text(self, kind: str, field: str) -> str:
        """The current text of a reflection or plan field."""
        return self.frame.locator(f"#{self.prefix}{kind}-{field}").input_value()

    def checked(self, kind: str, item: str) -> str | None:
        """The checked value of a scenario or rating item, or None."""
        return self.frame.evaluate(
            "([sel]) => { const i = document.querySelector(sel + ' input:checked'); return i ? i.value : null; }",
            [f"#{self.prefix}{kind}-{item}"],
        )


def answers_with(lesson, wrong: int) -> dict[str, str]:
    """Every scenario answered, the first ``wrong`` of them incorrectly."""
    chosen = {}
    for index, item in enumerate(lesson.quiz.scenarios):
        other = next(option.id for option in item.options if not option.correct)
        chosen[item.id] = other if index < wrong else item.correct_option.id
    return chosen


def all_ratings(lesson, point: int = 2) -> dict[str, int]:
    return {item.id: point for item in lesson.quiz.ratings.items}


def serve_packages(folder: Path, lesson) -> ScormSite:
    """A site with every target of ``lesson``, graded (``/pkg/<target>/``) and completion-only (``-completion``)."""
    site = ScormSite(folder)
    for target in TARGETS:
        site.add_package(target, ScormExporter(target).export(lesson))
        site.add_package(f"{target}-completion", ScormExporter(target, mastery=None).export(lesson))
    return site


def launch(target: str, variant: str = "") -> str:
    """The launch URL path of a served package."""
    return f"/pkg/{target}{variant}/index.html"


def open_host(page, site, version, target, variant="", **options) -> Module:
    """Open the host page (options: see scorm_host/host.js) and wait for the package to start."""
    page.goto(site.host_url(version, launch(target, variant), **options))
    return Module(sco_frame(page))


def calls(page) -> list[dict]:
    """The host's ordered log of API calls."""
    return page.evaluate("__calls")


def cmi(page) -> dict:
    """The runtime's CMI data model as it stands."""
    return page.evaluate("lms.renderCMIToJSONObject()")["cmi"]


def status(page, version) -> tuple:
    """Status and score elements: 1.2 (lesson_status, raw); 2004 (completion, success, raw, scaled)."""
    data = cmi(page)
    if version == "1.2":
        return data["core"]["lesson_status"], data["core"]["score"]["raw"]
    return data["completion_status"], data["success_status"], data["score"]["raw"], data["score"]["scaled"]
