"""Every XBlock measured one way: through the xblock-sdk workbench's runtime, as ``make workbench`` serves it.

Each request gets a new runtime and block instance, as in the workbench and the LMS. ``student_view`` goes
through ``block.render`` (the runtime looks for asides and wraps the fragment), handlers through
``runtime.handle``, and the page weight is what a browser fetches for the block: its HTML, its inline
resources and each file it links, served by the workbench's ``/resource/`` view (the runtime's own jQuery
and scripts are left out). One difference from the workbench, for every block alike: field data lives in
memory. The workbench's store runs two SQL queries per field read, which no LMS does (it loads a learner's
state for a block at once), and would measure the number of fields a block has rather than its work.
"""

import gzip
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "bench")]
os.environ.setdefault("LEADMANAGE_WORKBENCH_VAR", tempfile.mkdtemp(prefix="lm-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "workbench_settings"

import django  # noqa: E402

django.setup()

from django.templatetags.static import static  # noqa: E402
from django.test import Client  # noqa: E402
from lm_workbench.run import keep_authored_due_dates  # noqa: E402
from webob import Request  # noqa: E402
from workbench.runtime import ID_MANAGER, WorkbenchRuntime  # noqa: E402
from xblock.runtime import DictKeyValueStore, KvsFieldData  # noqa: E402

keep_authored_due_dates()  # as `make workbench` does: the workbench would otherwise make every block past due
FIELD_DATA = KvsFieldData(DictKeyValueStore())
ID_MANAGER.set_scenario("bench")
#: Scripts the workbench adds to every block (jQuery, its runtime): the platform's, not the block's.
RUNTIME_ASSETS = static("workbench/")
STUDENT = "student_1"

Payload = Callable[[object], dict]  # the block, as the page that sends the request sees it → the JSON body


@dataclass(frozen=True)
class Subject:
    """One block under test: its name in the tables, its type, the fields an author set, its learner actions."""

    name: str
    block_type: str
    fields: dict = field(default_factory=dict)
    handlers: tuple[tuple[str, Payload], ...] = ()


class BenchRuntime(WorkbenchRuntime):
    """The workbench's runtime with field data in memory (see the module docstring)."""

    def service(self, block, service_name):
        """The in-memory field data; every other service as the workbench provides it."""
        if service_name == "field-data":
            return FIELD_DATA
        return super().service(block, service_name)


def add(subject: Subject) -> str:
    """A new usage of ``subject``'s block with its authored fields saved, as Studio leaves it; its usage id."""
    usage_id = ID_MANAGER.create_usage(ID_MANAGER.create_definition(subject.block_type))
    block = load(usage_id, student=None)
    for name, value in subject.fields.items():
        setattr(block, name, value)
    block.save()
    return usage_id


def load(usage_id: str, student: str | None = STUDENT):
    """The block as one request sees it: a new runtime and a new instance."""
    return BenchRuntime(student).get_block(usage_id)


def render(usage_id: str):
    """One learner's ``student_view`` request: the fragment the runtime wraps."""
    return load(usage_id).render("student_view", {"activate_block_id": None})


def request_body(usage_id: str, payload: Payload) -> bytes:
    """The JSON body the learner's page would send now (built outside the timing)."""
    return json.dumps(payload(load(usage_id))).encode("utf-8")


def handle(usage_id: str, handler: str, body: bytes) -> None:
    """One learner's POST to ``handler``; anything but 200 stops the benchmark."""
    block = load(usage_id)
    request = Request.blank(f"/handler/{usage_id}/{handler}/", method="POST", body=body)
    response = block.runtime.handle(block, handler, request)
    assert response.status_code == 200, (handler, response.status_code, response.body[:300])


def page_weight(usage_id: str) -> tuple[int, int]:
    """Bytes a browser fetches for the block, raw and gzip: the HTML with inline resources, then each linked file."""
    fragment = render(usage_id)
    page = fragment.body_html() + "".join(r.data for r in fragment.resources if r.kind == "text")
    files = [page.encode("utf-8")] + [_fetched(r.data) for r in fragment.resources if r.kind == "url"]
    files = [data for data in files if data]
    return sum(map(len, files)), sum(len(gzip.compress(data, 9)) for data in files)


def _fetched(url: str) -> bytes:
    """A linked file's bytes as the workbench serves them; nothing for the runtime's own scripts."""
    if url.startswith(RUNTIME_ASSETS):
        return b""
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


def rss_mib() -> float:
    """This process's resident memory in MiB (Linux)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(kib) / 1024
