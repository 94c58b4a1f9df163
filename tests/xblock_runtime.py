"""A real XBlock TestRuntime with the few runtime calls the block makes recorded instead of sent to an LMS."""

import json
from datetime import UTC, datetime

from webob import Request
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.runtime import NullI18nService
from xblock.test.tools import TestRuntime

from leadmanage_xblock.block import LeadManageXBlock


class RecordingRuntime(TestRuntime):
    """TestRuntime that records published events (grades, completion, tracking)."""

    def __init__(self, field_data: DictFieldData):
        super().__init__(services={"i18n": NullI18nService(), "field-data": field_data})
        self.published: list[tuple[str, dict]] = []

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}/{suffix}"

    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"

    def publish(self, block, event_type, event_data):
        self.published.append((event_type, event_data))

    def events(self, name: str) -> list[dict]:
        return [data for event_type, data in self.published if event_type == name]


def make_block(field_data: DictFieldData | None = None, user_id="student_1", usage_id="usage-1", **fields):
    """A fresh block instance, as an LMS builds one per request; share ``field_data`` to keep state."""
    field_data = field_data if field_data is not None else DictFieldData(fields)
    scope_ids = ScopeIds(user_id, "leadmanage", f"def-{usage_id}", usage_id)
    return LeadManageXBlock(RecordingRuntime(field_data), scope_ids=scope_ids)


def call(block, handler: str, payload, method: str = "POST"):
    """Call a JSON handler as the browser does; return (status, decoded JSON body)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    request = Request.blank("/", method=method, body=body if method == "POST" else None)
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body.decode("utf-8") or "null")


def state_of(field_data: DictFieldData) -> str:
    """Everything stored, as a canonical string to compare before and after a call."""
    return json.dumps(field_data._data, sort_keys=True, default=str)  # noqa: SLF001 (no public accessor)


def past() -> datetime:
    return datetime(2020, 1, 31, tzinfo=UTC)
