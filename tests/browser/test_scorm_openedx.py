"""Open edX's SCORM player (openedx-scorm-xblock 19.0.5) as an oracle.

Its own package-extraction code must accept our zip and find the version and the launch file; the
SetValue calls our page made in a real browser session, replayed through its ``set_value``, must
give the grade and completion a learner expects. The block runs on a real XBlock TestRuntime with a
real Django file storage; only ``location`` (set by edx-platform's runtime) is supplied by hand.

The player is imported from its wheel, which `make test` downloads into var/test-wheels, rather
than installed: installed, its workbench scenario (``<openedxscorm/>``, a tag it does not register)
stops the xblock-sdk workbench that the XBlock tests and `make demo` run.
"""

import gc
import io
import sys
import warnings

import pytest
from fixture_paths import REPO
from leadmanage_exporters.scorm import ScormExporter
from scorm_harness import Module, all_ratings, answers_with, sco_frame
from scorm_log import method_names, problems

VERSIONS = {"1.2": ("scorm12", "SCORM_12"), "2004": ("scorm2004-4", "SCORM_2004")}
PLAYER_WHEEL = REPO / "var" / "test-wheels" / "openedx_scorm_xblock-19.0.5-py3-none-any.whl"


@pytest.fixture(scope="module")
def django_ready(lms_django):
    """Django configured for the player (it imports Django at module level), and the player importable."""
    assert PLAYER_WHEEL.exists(), f"{PLAYER_WHEEL.name} is missing: run `make test` (it downloads it from PyPI)"
    sys.path.insert(0, str(PLAYER_WHEEL))  # a pure-Python wheel imports straight from the zip
    yield
    sys.path.remove(str(PLAYER_WHEEL))


def make_player(storage_dir, has_score=True):
    """openedx-scorm-xblock's block on a real XBlock runtime, storing files under ``storage_dir``."""
    from django.core.files.storage import FileSystemStorage
    from opaque_keys.edx.keys import UsageKey
    from openedxscorm.scormxblock import ScormXBlock
    from xblock.field_data import DictFieldData
    from xblock.fields import ScopeIds
    from xblock.test.tools import TestRuntime

    class Settings:
        def get_settings_bucket(self, block):
            return {"STORAGE_FUNC": lambda _block: FileSystemStorage(location=str(storage_dir))}

    class Runtime(TestRuntime):
        def __init__(self, field_data):
            super().__init__(services={"settings": Settings(), "field-data": field_data})
            self.published = []

        def publish(self, block, event_type, event_data):
            self.published.append((event_type, event_data))

        def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
            return f"/handler/{handler_name}"

    usage = UsageKey.from_string("block-v1:LeadManage+LVM+2026+type@scorm+block@oracle")
    scope_ids = ScopeIds("learner", "scorm", usage, usage)
    block = ScormXBlock(Runtime(DictFieldData({"has_score": has_score})), scope_ids=scope_ids)
    block.location = usage  # what edx-platform's runtime provides
    return block


def upload(block, data: bytes) -> None:
    """What the block's studio upload handler does with a package file."""
    package = io.BytesIO(data)
    package.name = "package.zip"
    block.update_package_meta(package)
    block.extract_package(package)
    with warnings.catch_warnings():
        # update_package_fields leaves the manifest file open (its bug, not ours): let it close quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        block.update_package_fields()
        gc.collect()


def play(page, site, lesson, version: str, wrong: int, variant: str = "") -> list[dict]:
    """One learner session in Chromium against scorm-again; the recorded calls."""
    target = VERSIONS[version][0]
    page.goto(site.host_url(version, f"/pkg/{target}{variant}/index.html"))
    module = Module(sco_frame(page))
    module.answer(answers_with(lesson, wrong=wrong), all_ratings(lesson))
    module.submit()
    module.write("reflection", "roles_today", "Line one\nLine two")
    module.frame.locator(".lm-scorm-finish").click()
    log = page.evaluate("__calls")
    assert problems(log, version) == []
    return log


def replay(block, log: list[dict], version: str) -> None:
    setter = method_names(version)["set"]
    for call in log:
        if call["method"] == setter:
            block.set_value({"name": call["args"][0], "value": call["args"][1]})


@pytest.mark.parametrize("version", VERSIONS)
def test_open_edx_extracts_our_package_and_detects_version_and_launch_file(
    django_ready, tmp_path, builtin_lesson, version
):
    target, detected = VERSIONS[version]
    block = make_player(tmp_path)
    upload(block, ScormExporter(target).export(builtin_lesson))
    assert block.scorm_version == detected
    assert block.index_page_path == "index.html"
    assert block.package_warnings == []  # it finds our status writes in the scripts
    assert builtin_lesson.title in block.navigation_menu


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("wrong", "status", "grade"), [(2, "passed", 10 / 12), (6, "failed", 0.0)])
def test_replayed_session_earns_the_expected_grade_in_open_edx(
    django_ready, tmp_path, page, site, builtin_lesson, version, wrong, status, grade
):
    target, _ = VERSIONS[version]
    block = make_player(tmp_path)
    upload(block, ScormExporter(target).export(builtin_lesson))
    replay(block, play(page, site, builtin_lesson, version, wrong), version)
    assert block.lesson_status == "completed"
    assert block.success_status == status
    assert block.get_grade() == pytest.approx(round(grade, 2))
    grades = [data for event, data in block.runtime.published if event == "grade"]
    assert grades[-1] == {"value": pytest.approx(round(grade, 2)), "max_value": 1}


@pytest.mark.parametrize("version", VERSIONS)
def test_completion_only_package_completes_without_a_grade_in_open_edx(
    django_ready, tmp_path, page, site, builtin_lesson, version
):
    target, _ = VERSIONS[version]
    block = make_player(tmp_path, has_score=False)  # how an author sets up an ungraded block
    upload(block, ScormExporter(target, mastery=None).export(builtin_lesson))
    replay(block, play(page, site, builtin_lesson, version, 6, "-completion"), version)
    assert block.lesson_status == "completed"
    assert block.success_status == "unknown"
    events = [event for event, _ in block.runtime.published]
    assert ("completion", {"completion": 1.0}) in block.runtime.published
    assert "grade" not in events
