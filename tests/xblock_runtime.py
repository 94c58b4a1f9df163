"""A real XBlock TestRuntime with the few runtime calls the block makes recorded instead of sent to an LMS."""

import json
import re
from datetime import UTC, datetime

from webob import Request
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import NullI18nService
from xblock.test.tools import TestRuntime

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.runtime.block import LeadManageXBlock


class RecordingRuntime(TestRuntime):
    """TestRuntime that records published events (grades, completion, tracking)."""

    def __init__(self, field_data: DictFieldData):
        super().__init__(services={"i18n": NullI18nService(), "field-data": field_data})
        self.published: list[tuple[str, dict]] = []

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}/{suffix}" + (f"?{query}" if query else "")

    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"

    def publish(self, block, event_type, event_data):
        self.published.append((event_type, event_data))

    def events(self, name: str) -> list[dict]:
        return [data for event_type, data in self.published if event_type == name]


class RequestFieldData(DictFieldData):
    """The fields as one LMS request sees them: read when it starts (the platform's FieldDataCache), written through.

    Two of these over the same stored ``DictFieldData`` are two requests served at the same time by two workers:
    each reads the state as it was before either saved.
    """

    def __init__(self, stored: DictFieldData):
        super().__init__({name: stored.get(None, name) for name in stored._data})
        self.stored = stored

    def set(self, block, name, value):
        super().set(block, name, value)
        self.stored.set(block, name, value)

    def set_many(self, block, update_dict):
        super().set_many(block, update_dict)
        self.stored.set_many(block, update_dict)

    def delete(self, block, name):
        super().delete(block, name)
        self.stored.delete(block, name)


class AuthorPermissions:
    """Studio's ``studio_user_permissions`` service for an author of the course: every check passes."""

    def can_edit_content(self, context_key) -> bool:
        return True

    def can_read_content(self, context_key) -> bool:
        return True


def as_author(block):
    """``block`` as Studio gives it to an author of its course, unless a test gave it its own permissions service."""
    block.runtime._services.setdefault("studio_user_permissions", AuthorPermissions())  # noqa: SLF001 (set at init)
    return block


def make_block(field_data: DictFieldData | None = None, user_id="student_1", usage_id="usage-1", **fields):
    """A fresh block instance, as an LMS builds one per request; share ``field_data`` to keep state."""
    field_data = field_data if field_data is not None else DictFieldData(fields)
    scope_ids = ScopeIds(user_id, "leadmanage", f"def-{usage_id}", usage_id)
    return LeadManageXBlock(RecordingRuntime(field_data), scope_ids=scope_ids)


def as_fresh_page(block, handler: str, payload):
    """``payload`` as a page just loaded would send it: the next attempt number and the revisions it was shown."""
    if not isinstance(payload, dict):
        return payload
    state = block.learner_state()
    if handler == "submit_quiz":
        return {"attempt": state.attempts + 1, **payload}
    if handler in ("save_text", "save_answers"):
        return {"revisions": dict(state.revisions), **payload}
    return payload


class PlatformUserService(UserService):
    """The user service as the LMS fills it: staff flag and username in ``opt_attrs``."""

    def __init__(self, username: str, staff: bool, full_name: str = ""):
        super().__init__()
        self.user = XBlockUser(is_current_user=True, full_name=full_name)
        self.user.opt_attrs.update({"edx-platform.username": username, "edx-platform.user_is_staff": staff})

    def get_current_user(self):
        return self.user


def block_for(username="ana", staff=False, data=None, full_name="", **fields):
    """A block as ``username`` sees it; ``data`` holds that user's state and the block's content."""
    block = make_block(data if data is not None else DictFieldData(fields), user_id=username)
    block.runtime._services["user"] = PlatformUserService(username, staff, full_name)  # noqa: SLF001
    return block


def call(block, handler: str, payload, method: str = "POST", fresh_page: bool = True):
    """Call a JSON handler as the browser does; return (status, decoded JSON body).

    With ``fresh_page`` a dict payload gets what a page loaded just now adds (see ``as_fresh_page``), unless it
    says otherwise; tests of stale pages pass ``fresh_page=False`` and their own ``attempt``/``revisions``.
    """
    payload = as_fresh_page(block, handler, payload) if fresh_page else payload
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    request = Request.blank("/", method=method, body=body if method == "POST" else None)
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body.decode("utf-8") or "null")


def state_of(field_data: DictFieldData) -> str:
    """Everything stored, as a canonical string to compare before and after a call."""
    return json.dumps(field_data._data, sort_keys=True, default=str)  # noqa: SLF001 (no public accessor)


def html_of(block) -> str:
    """The learner's page as the runtime renders the block's view."""
    return block.render("student_view").content


def learner_data(block) -> dict:
    """The JSON this learner's page hands to lesson.js."""
    html = block.render("student_view").content
    match = re.search(r'<script type="application/json" class="lm-learner-data">(.*?)</script>', html)
    return json.loads(match.group(1))


def past() -> datetime:
    return datetime(2020, 1, 31, tzinfo=UTC)


def submission(correct: int | None = None, rating: int = 2) -> dict:
    """A whole quiz for the built-in lesson: the first ``correct`` items right (all by default), the rest wrong.

    Every statement is rated ``rating``.
    """
    quiz = load_builtin_lesson().quiz
    answers = {}
    for index, item in enumerate(quiz.scenarios):
        wrong = next(option.id for option in item.options if not option.correct)
        answers[item.id] = item.correct_option.id if correct is None or index < correct else wrong
    return {"answers": answers, "ratings": {item.id: rating for item in quiz.ratings.items}}


def reflection(length: int) -> dict:
    """A save of the built-in lesson's first reflection prompt, ``length`` characters long."""
    return {"kind": "reflection", "values": {load_builtin_lesson().prompt_ids[0]: "x" * length}}
