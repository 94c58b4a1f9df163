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
from lms_worker import TESTS, lms_environment, running_lms_worker
from pdf_helpers import body_text, squash

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
    environment = lms_environment(broker, tmp_path)
    with running_lms_worker(environment, tmp_path / "worker.log") as log:
        yield environment, log


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


LOAD = """
import json, resource, sys, threading, time
import lms_platform  # noqa: F401 (the LMS's settings and Celery app)
from leadmanage_exporters.pdf import PdfExporter
from webob import Request
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, call

def never(*args):
    raise AssertionError("a web request rendered a PDF")

PdfExporter.export = never
learners = {f"learner{number:02d}": DictFieldData({}) for number in range(int(sys.argv[1]))}
for name, data in learners.items():
    call(block_for(name, data=data), "save_text", {"kind": "reflection", "values": {"roles_today": f"Words of {name}"}})

def block(name):
    return block_for(name, data=learners[name], full_name=f"Full {name}")

answers, lock = [], threading.Lock()

def ask(name, handler):
    started = time.perf_counter()
    if handler == "download":
        status = block(name).handle("download_my_workbook", Request.blank("/")).status_code
    else:
        status = call(block(name), "workbook_status", {"edition": "mine"})[0]
    with lock:
        answers.append((status, time.perf_counter() - started))

rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
threads = [threading.Thread(target=ask, args=(name, handler)) for name in learners for handler in
           ("download", "status", "status", "download")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
deadline = time.monotonic() + float(sys.argv[2])
waiting = set(learners)
while waiting:
    assert time.monotonic() < deadline, f"never stored: {sorted(waiting)}"
    waiting = {name for name in waiting if not call(block(name), "workbook_status", {"edition": "mine"})[1]["ready"]}
    time.sleep(0.5)
served = {name: block(name).handle("download_my_workbook", Request.blank("/")) for name in learners}
times = sorted(seconds for _, seconds in answers)
print(json.dumps({
    "statuses": sorted({status for status, _ in answers}),
    "requests": len(answers),
    "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 1),
    "rss_growth_mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
    "served": {name: [response.status_code, response.body.decode("latin-1")] for name, response in served.items()},
}))
"""
#: Learners asking at once, each twice for the file and twice for its status. The issue's load is 50 (200
#: requests), which passes here in about 3 minutes on two busy cores (LEADMANAGE_LOAD_LEARNERS=50); `make test`
#: runs 25, which exercise the same paths in half the time.
LEARNERS = int(os.environ.get("LEADMANAGE_LOAD_LEARNERS", "25"))


def test_learners_asking_at_once_each_get_their_own_workbook_rendered_once_off_the_web_process(platform):
    environment, worker_log = platform
    command = [sys.executable, "-c", LOAD, str(LEARNERS), str(PATIENCE_SECONDS * 3)]
    result = subprocess.run(command, env=environment, cwd=TESTS, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    if os.environ.get("LEADMANAGE_LOAD_REPORT"):  # bench/bench_downloads.py reports the timings (never asserted)
        Path(os.environ["LEADMANAGE_LOAD_REPORT"]).write_text(json.dumps({**found, "served": len(found["served"])}))
    assert found["requests"] == 4 * LEARNERS
    assert found["statuses"] == [200, 202]  # answered at once: the status, or "being prepared"
    assert found["rss_growth_mib"] < 20, "the web process's memory grew as if it had rendered"
    for name, (status, body) in found["served"].items():
        assert status == 200
        text = body_text(body.encode("latin-1"))
        assert squash(f"Prepared for Full {name}") in text
        assert squash(f"Words of {name}") in text
    assert worker_log.read_text().count("succeeded in") == LEARNERS, "one render per learner, however often asked"


OVERDUE = """
import json, time
import lms_platform  # noqa: F401 (the LMS's settings and Celery app)
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, call
from leadmanage_xblock.runtime.workbook_queue import OVERDUE_SECONDS

data = DictFieldData({})

def status():
    return call(block_for("ana", data=data), "workbook_status", {"edition": "mine"})

answers = [status()]  # queued: no worker takes it
started = time.time
time.time = lambda: started() + OVERDUE_SECONDS + 1  # as if it had waited that long
answers.append(status())
print(json.dumps(answers))
"""


def test_a_workbook_that_never_comes_stops_the_waiting_with_a_reason(broker, tmp_path):
    """No worker runs (overloaded, or the task failed): after a while the page stops asking, and says why."""
    environment = lms_environment(broker, tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", OVERDUE], env=environment, cwd=TESTS, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    waiting, overdue = json.loads(result.stdout.splitlines()[-1])
    assert waiting[0] == 200
    assert waiting[1]["ready"] is False
    assert overdue == [
        503,
        {"error": "This is taking longer than usual: the file is still being prepared. Try again in a few minutes."},
    ]
