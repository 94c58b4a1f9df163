"""The platform contract: every Open edX service and attribute the block uses, as the platform offers it.

The services are the stand-ins of ``platform_standins.py`` (the platform's signatures, docs/architecture.md
"Platform contract"); the XBlock runtime is the real ``TestRuntime`` (``xblock_runtime.py``).
"""

import json
import warnings
from collections import OrderedDict, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from fixture_paths import CONTENT
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from platform_standins import (
    DjangoXBlockUserService,
    LegacyStudioPermissionsService,
    PlatformRuntime,
    StudioPermissionsService,
    StudioUser,
    XBlockUserState,
)
from webob import Request
from xblock.core import XBlockMixin
from xblock.field_data import DictFieldData
from xblock.fields import Date, Scope, ScopeIds, Timedelta
from xblock_runtime import call, learner_data, make_block, state_of

from leadmanage_xblock.core.content import builtin_lesson_text
from leadmanage_xblock.runtime.block import LeadManageXBlock

MINIMAL = (CONTENT / "minimal.yaml").read_text(encoding="utf-8")
COURSE = CourseLocator("Acme", "LVM", "2026")
OTHER_COURSE = CourseLocator("Acme", "Other", "2026")
USAGE = BlockUsageLocator(COURSE, "leadmanage", "lvm1")
SUBMISSION = {"answers": {"goals_s1": "a"}, "ratings": {"goals_r1": 2}}
REFLECTION = {"kind": "reflection", "values": {"roles_today": "I lead the roadmap; I manage the rota."}}
TEAM = StudioUser(reads=frozenset({COURSE}), edits=frozenset({COURSE}))
OUTSIDER = StudioUser(reads=frozenset({OTHER_COURSE}), edits=frozenset({OTHER_COURSE}))


def block_in(services: dict, data: DictFieldData | None = None, user_id="ana", block_class=LeadManageXBlock):
    """A block of course Acme+LVM+2026 in a runtime offering ``services`` (plus i18n, as every runtime does)."""
    runtime = PlatformRuntime(data if data is not None else DictFieldData({"lesson_yaml": MINIMAL}), services)
    return block_class(runtime, scope_ids=ScopeIds(user_id, "leadmanage", USAGE, USAGE))


def studio_editor(permissions) -> dict:
    """Studio's editor (cms load_services_for_studio): the user service without flags, and the permissions service."""
    return {"user": DjangoXBlockUserService("author"), "studio_user_permissions": permissions}


def get(block, handler: str, query: str = ""):
    return block.handle(handler, Request.blank(f"/?{query}", method="GET"))


def save_settings(block) -> int:
    body = {
        "display_name": "Renamed",
        "weight": "1",
        "pass_threshold": "70",
        "max_attempts": "0",
        "min_reflection_length": "10",
        "min_group": "5",
        "show_explanations": True,
        "lesson_yaml": builtin_lesson_text(),
    }
    return block.handle("studio_save", Request.blank("/", method="POST", body=json.dumps(body).encode())).status_code


# --- studio_user_permissions: can_edit_content, else can_write ---------------------------------------------------


def test_an_author_the_platform_refuses_gets_403_and_nothing_is_saved():
    data = DictFieldData({})
    before = state_of(data)
    assert save_settings(block_in(studio_editor(StudioPermissionsService(OUTSIDER)), data)) == 403
    assert state_of(data) == before


def test_the_current_service_is_asked_through_its_current_method_only():
    data = DictFieldData({})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # can_write/can_read warn: calling them fails here
        assert save_settings(block_in(studio_editor(StudioPermissionsService(TEAM)), data)) == 200
        editor = block_in(studio_editor(StudioPermissionsService(TEAM))).render("studio_view").content
    assert "Download SCORM package" in editor
    assert block_in({}, data).display_name == "Renamed"


@pytest.mark.parametrize(("user", "status"), [(TEAM, 200), (OUTSIDER, 403)])
def test_a_platform_with_only_can_write_still_decides(user, status):
    assert save_settings(block_in(studio_editor(LegacyStudioPermissionsService(user)))) == status


# --- user service: who is staff, who is the learner -------------------------------------------------------------


@pytest.mark.parametrize(("staff", "status"), [(True, 200), (False, 403)])
def test_lms_staff_flag_decides_the_staff_downloads(staff, status):
    user = DjangoXBlockUserService("ana", user_is_staff=staff, user_role="staff" if staff else "student")
    block = block_in({"user": user})
    assert get(block, "download_scorm").status_code == status
    html = block.render("student_view").content
    assert ("download_workbook/?edition=facilitator" in html) is staff


@pytest.mark.parametrize("permissions", [StudioPermissionsService, LegacyStudioPermissionsService])
def test_studio_editor_offers_downloads_to_the_course_team_only(permissions):
    """Studio's editor runtime sets neither the staff flag nor a role: its permissions service decides."""
    team, outsider = block_in(studio_editor(permissions(TEAM))), block_in(studio_editor(permissions(OUTSIDER)))
    assert "Download facilitator workbook (PDF)" in team.render("studio_view").content
    assert get(team, "download_scorm").status_code == 200
    assert "Download" not in outsider.render("studio_view").content
    assert get(outsider, "download_workbook", "edition=facilitator").status_code == 403


def test_studio_preview_role_is_not_a_permission():
    """Studio's preview gives every user the role "staff" (cms access.get_user_role): it must not open downloads."""
    services = {"user": DjangoXBlockUserService("visitor", user_role="staff")}
    block = block_in({**services, "studio_user_permissions": StudioPermissionsService(OUTSIDER)})
    block.runtime.is_author_mode = True
    assert get(block, "download_workbook", "edition=facilitator").status_code == 403
    html = block.render("student_view").content
    assert "Preview: your answers and texts are not saved." in html
    assert "Download" not in html
    assert call(block, "save_text", REFLECTION)[0] == 403


@pytest.mark.parametrize(("full_name", "printed"), [("Ana García", "Ana García"), (None, "ana.garcia")])
def test_the_personal_workbook_names_the_learner_the_user_service_gives(full_name, printed):
    """The platform's full_name is the profile name, or None without a profile: then the username is printed."""
    block = block_in({"user": DjangoXBlockUserService("ana.garcia", full_name=full_name)})
    assert block.learner_record(block.lesson()).display_name == printed


# --- The Problem Responses report (instructor_task/tasks_helper/grades.py: ProblemResponses) ----------------------

STUDENT_MODULE_FIELDS = [name for name, field in LeadManageXBlock.fields.items() if field.scope == Scope.user_state]


def stored_state(data: DictFieldData) -> dict:
    """The learner's StudentModule.state as the report task reads it: json.loads of the user_state fields."""
    stored = json.loads(state_of(data))
    return json.loads(json.dumps({name: stored[name] for name in STUDENT_MODULE_FIELDS if name in stored}))


def report_rows(states: dict, max_count=None) -> list[dict]:
    """Rows as ProblemResponses._build_student_data merges the block's report data into its responses."""
    block = block_in({}, user_id=None)  # the report loads the block from the modulestore, bound to nobody
    when = datetime(2026, 3, 1, tzinfo=UTC)
    iterator = (XBlockUserState(name, USAGE, state, when, Scope.user_state) for name, state in states.items())
    generated = defaultdict(list)
    for username, columns in block.generate_report_data(iterator, max_count):
        assert isinstance(columns, OrderedDict)  # the platform keeps an OrderedDict's column order
        generated[username].append(columns)
    rows = []
    for username, state in states.items():
        for columns in generated.get(username, [{}]):
            rows.append({"username": username, "state": json.dumps(state), **columns})
    return rows


def test_the_platform_report_gets_one_readable_row_per_learner():
    data = DictFieldData({"lesson_yaml": MINIMAL})
    call(block_in({}, data), "submit_quiz", SUBMISSION)
    call(block_in({}, data), "save_text", REFLECTION)
    (row,) = report_rows({"ana": stored_state(data)})
    assert row["score"] == "1/1"
    assert row["goals_s1 answer"] == "a: A new direction."
    assert row["reflection roles_today"] == REFLECTION["values"]["roles_today"]


def test_the_report_limit_is_passed_positionally_and_may_be_none():
    states = {f"learner{n}": {"attempts": 0, "reflection": {"roles_today": f"text {n}"}} for n in range(3)}
    assert sum("reflection roles_today" in row for row in report_rows(states, None)) == 3
    assert sum("reflection roles_today" in row for row in report_rows(states, 1)) == 1


HOSTILE_STATES = [
    {"answers": [1, 2], "ratings": "5", "attempts": "3"},
    {"reflection": {"roles_today": 5}, "plan": None, "completed": "yes"},
    {"draft": {"answers": None}, "timestamps": [], "revisions": {"x": "y"}},
    [1, 2, 3],
]


@pytest.mark.parametrize("state", HOSTILE_STATES)
def test_no_stored_state_stops_the_course_report(state):
    """The task catches only NotImplementedError: anything else the block raises fails the whole course's report."""
    (row,) = report_rows({"ana": state})
    assert row["completed"] == "no"


# --- Grades, completion, i18n, due dates ---------------------------------------------------------------------------


def test_the_grade_carries_what_the_lms_reads_and_completion_follows_the_reflection():
    data = DictFieldData({"lesson_yaml": MINIMAL, "min_reflection_length": 10})
    quiz = block_in({}, data)
    call(quiz, "submit_quiz", SUBMISSION)
    assert quiz.runtime.events.scores == [(1, quiz.max_score(), None)]
    assert quiz.runtime.events.completions == []  # the quiz alone does not complete the block
    writing = block_in({}, data)
    call(writing, "save_text", REFLECTION)
    assert writing.runtime.events.completions == [(USAGE, 1.0)]
    assert LeadManageXBlock.has_custom_completion  # else the LMS would complete it on view or on the grade


def test_the_block_never_asks_the_runtime_for_i18n():
    """It declares ``needs("i18n")`` but translates with its own catalog: a runtime without the service works."""
    block = block_in({})
    del block.runtime._services["i18n"]  # noqa: SLF001 (the runtime has no public way to withdraw a service)
    assert "Minimal lesson" in block.render("student_view").content
    assert block.render("studio_view").content
    assert call(block, "submit_quiz", SUBMISSION)[0] == 200


class InheritedSettings(XBlockMixin):
    """xmodule/modulestore/inheritance.py InheritanceMixin: the course's due date and grace period."""

    due = Date(scope=Scope.settings)
    graceperiod = Timedelta(scope=Scope.settings)


class BlockWithMixins(LeadManageXBlock, InheritedSettings):
    """As the platform's Mixologist mixes XBLOCK_MIXINS: the block's class first, then the mixins."""


@pytest.mark.parametrize(("grace", "closed"), [("2 days", False), (None, True)])
def test_the_grace_period_the_course_sets_keeps_the_quiz_open(grace, closed):
    yesterday = datetime.now(UTC) - timedelta(days=1)
    data = DictFieldData({"lesson_yaml": MINIMAL, "due": yesterday.isoformat(), "graceperiod": grace})
    block = block_in({}, data, block_class=BlockWithMixins)
    assert bool(learner_data(block)["quiz"]["closedMessage"]) is closed


def test_a_course_wide_max_attempts_of_none_means_unlimited():
    """Advanced Settings' inherited "Maximum Attempts" may be null: the block then counts no limit."""
    data = DictFieldData({"max_attempts": None})
    assert learner_data(make_block(data))["quiz"]["attemptsLeft"] is None
