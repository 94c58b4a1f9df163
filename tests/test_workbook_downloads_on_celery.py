"""In Open edX, "Download my workbook" never renders in the web request: it queues, the page asks, the file is served.

The LMS is played by ``lms_platform`` (Django with our plugin app, the Celery app) in two real processes: a
web process calling the block's handlers, whose PDF exporter fails if it is ever asked to render, and a real
Celery worker on a real Redis rendering into the storage both share.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_helpers import body_text, squash

TESTS = Path(__file__).resolve().parent
#: A worker's first render (WeasyPrint's import included) on two busy cores takes a few seconds.
PATIENCE_SECONDS = 120

WEB = """
import json, sys, time
import lms_platform  # noqa: F401 (the LMS's settings and Celery app)
from leadmanage_exporters.pdf import PdfExporter
from webob import Request
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, call

def never(*args):
    raise AssertionError("a web request rendered a PDF")

PdfExporter.export = never
data = DictFieldData({})
saved = call(block_for("ana", data=data), "save_text", {"kind": "reflection", "values": {"roles_today": "Mine"}})
assert saved[0] == 200

def download():
    return block_for("ana", data=data, full_name="Ana García").handle("download_my_workbook", Request.blank("/"))

def status():
    return call(block_for("ana", data=data, full_name="Ana García"), "workbook_status", {"edition": "mine"})

first = download()
asked = [status() for _ in range(5)]  # several tabs asking at once: one render
deadline = time.monotonic() + float(sys.argv[1])
while not status()[1]["ready"]:
    assert time.monotonic() < deadline, "the workbook was never stored"
    time.sleep(0.2)
served = download()
sys.stdout.buffer.write(json.dumps({
    "first": [first.status_code, first.headers.get("Retry-After"), first.text],
    "asked": [[body["ready"], body["message"]] for _, body in asked],
    "served": served.status_code,
}).encode() + b"\\n" + served.body)
"""


@pytest.fixture
def platform(broker, tmp_path):
    """The environment of the LMS's processes, and a real worker on ``broker`` (stopped after the test)."""
    environment = {
        **os.environ,
        "LM_MEDIA_ROOT": str(tmp_path / "media"),
        "LM_BROKER": broker,
        "PYTHONPATH": str(TESTS),
    }
    log = (tmp_path / "worker.log").open("w")
    command = [sys.executable, "-m", "celery", "-A", "lms_platform", "worker", "--pool", "solo", "--loglevel", "INFO"]
    worker = subprocess.Popen(command, env=environment, cwd=TESTS, stdout=log, stderr=subprocess.STDOUT)
    yield environment, tmp_path / "worker.log"
    worker.terminate()
    worker.wait(30)
    log.close()


def test_a_download_queues_the_render_and_serves_the_stored_file_and_the_web_process_renders_nothing(platform):
    environment, worker_log = platform
    result = subprocess.run(
        [sys.executable, "-c", WEB, str(PATIENCE_SECONDS)], env=environment, cwd=TESTS, capture_output=True, timeout=300
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    summary, workbook = result.stdout.split(b"\n", 1)
    found = json.loads(summary)
    status, retry_after, message = found["first"]
    assert (status, retry_after) == (202, "5")
    assert "being prepared" in message
    assert [ready for ready, _ in found["asked"]] == [False] * 5
    assert all(message.startswith("Preparing your workbook… (") for _, message in found["asked"])
    assert found["served"] == 200
    assert squash("Prepared for Ana García") in body_text(workbook)
    assert squash("Mine") in body_text(workbook)
    assert worker_log.read_text().count("leadmanage.render_workbook_to_cache[") >= 1
    assert worker_log.read_text().count("succeeded in") == 1, "one render for one workbook, however often asked"
