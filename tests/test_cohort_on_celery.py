"""In Open edX, a cohort summary is counted and its debrief rendered on the platform's workers, not in a request.

The LMS is played by ``lms_platform`` in two real processes sharing an SQLite store of learners' states and a real
Redis (broker and Django cache, as Tutor's LMS and workers share MySQL and Redis): a web process calling the
staff handlers, whose own recount and debrief render fail if they are ever called, and a real Celery worker.
"""

import json
import subprocess
import sys

import pytest
from lms_worker import TESTS, lms_environment, running_lms_worker
from pdf_helpers import body_text, squash

from leadmanage_xblock.core.cohort import latest_work, summarise_cohort
from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.runtime.cohort_recount import counted_work

#: A worker's start and a few recounts on two busy cores.
PATIENCE_SECONDS = 120

WEB = """
import json, sys, time
import lms_platform  # noqa: F401 (the LMS's settings and Celery app)
from django.core.management import call_command
from workbench.models import XBlockState
from xblock.field_data import DictFieldData
from webob import Request
from xblock_runtime import block_for, call
from leadmanage_xblock.runtime import cohort_recount, cohort_view

def never(*args):
    raise AssertionError("a web request recounted the cohort or rendered its debrief")

cohort_recount.recount = cohort_view.export_debrief = never
call_command("migrate", run_syncdb=True, verbosity=0)
states = json.loads(sys.argv[1])

def store(learner):
    state = json.dumps(states[learner])
    row = {"scope": "usage", "scope_id": "usage-1", "scenario": "s", "tag": "leadmanage"}
    XBlockState.objects.create(**row, user_id=learner, state=state)

def look_until(done):
    answers, deadline = [], time.monotonic() + float(sys.argv[2])
    while True:
        status, body = call(staff, "cohort_summary", {})
        shown = {key: body.get(key) for key in ("shown", "updating", "summary", "message")}
        answers.append({"status": status, **shown})
        if done(body):
            return answers
        assert time.monotonic() < deadline, answers[-1]
        time.sleep(0.3)

staff = block_for("trainer", staff=True, data=DictFieldData({}))
for learner in list(states)[:-1]:
    store(learner)
first = look_until(lambda body: body.get("shown"))
store(list(states)[-1])
learner = block_for(list(states)[-1], data=DictFieldData({}))
cohort_recount.note_change(learner.scope_ids.usage_id)  # what the learner's quiz submission does
second = look_until(lambda body: body.get("shown") and not body["updating"])

def download_debrief(query=""):
    return staff.handle("download_debrief", Request.blank("/" + query))

queued = download_debrief()
waited = []
deadline = time.monotonic() + float(sys.argv[2])
while not (status := call(staff, "debrief_status", {"edition": "debrief"})[1])["ready"]:
    waited.append(status["message"])
    assert time.monotonic() < deadline, "the debrief was never stored"
    time.sleep(0.2)
# One more learner submits between "ready" and the download, and the workers count them in first.
states["late"] = states[list(states)[-1]]
store("late")
cohort_recount.note_change(learner.scope_ids.usage_id)
look_until(lambda body: body.get("shown") and body["summary"]["participation"]["submitted"] == 8)
served = download_debrief("?" + status["url"].split("?", 1)[1])
newer = download_debrief()
with open(sys.argv[3], "wb") as debrief:
    debrief.write(served.body)
debrief_answers = {"queued": [queued.status_code, queued.headers.get("Retry-After"), queued.text],
                   "waited": waited, "served": [served.status_code, served.content_type], "newer": newer.status_code}
print(json.dumps({"first": first, "second": second, "debrief": debrief_answers}))
"""


def stored_state(lesson, number: int) -> dict:
    """A learner's stored state after submitting: a different wrong answer for some, every statement rated."""
    answers = {
        item.id: item.options[(number + index) % len(item.options)].id
        for index, item in enumerate(lesson.quiz.scenarios)
    }
    ratings = {item.id: 1 + (number + index) % 5 for index, item in enumerate(lesson.quiz.ratings.items)}
    return {
        "answers": answers,
        "ratings": ratings,
        "attempts": 1,
        "reflection": {lesson.prompt_ids[0]: "private words"},
    }


@pytest.fixture
def platform(broker, tmp_path):
    """The LMS's processes' environment (shared states and cache), and a real worker (stopped after the test)."""
    environment = lms_environment(broker, tmp_path, LM_CACHE=broker, LM_DATABASE=str(tmp_path / "lms.sqlite3"))
    with running_lms_worker(environment, tmp_path / "worker.log") as log:
        yield environment, log


def test_staff_see_the_count_the_workers_made_and_a_newer_one_after_a_submission(platform, tmp_path):
    environment, worker_log = platform
    lesson = load_builtin_lesson("en")
    states = {f"learner{number}": stored_state(lesson, number) for number in range(7)}
    debrief = tmp_path / "debrief.pdf"
    command = [sys.executable, "-c", WEB, json.dumps(states), str(PATIENCE_SECONDS), str(debrief)]
    result = subprocess.run(command, env=environment, cwd=TESTS, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])

    first, second = found["first"], found["second"]
    assert first[0]["status"] == 200
    assert (first[0]["shown"], first[0]["updating"]) == (False, True), "the first look only queues the count"
    assert "being counted" in first[0]["message"]
    assert first[-1]["summary"]["participation"]["submitted"] == 6
    assert second[0]["summary"]["participation"]["submitted"] == 6, "the kept count is shown while a newer one is made"
    assert second[0]["updating"] is True
    expected = summarise_cohort(
        lesson, latest_work((name, counted_work(lesson, state)) for name, state in states.items())
    )
    assert second[-1]["summary"]["participation"] == vars(expected.participation)
    assert second[-1]["summary"]["scenarios"] == expected.to_json()["scenarios"]
    assert "private words" not in result.stdout
    assert worker_log.read_text().count("leadmanage.recount_cohort") >= 2

    queued = found["debrief"]["queued"]
    assert queued[:2] == [202, "5"], "the debrief download only queued its render"
    assert "being prepared" in queued[2]
    assert all(message.startswith("Preparing the debrief… (") for message in found["debrief"]["waited"])
    assert found["debrief"]["served"] == [200, "application/pdf"], "the debrief reported ready, though 8 count now"
    assert found["debrief"]["newer"] == 202, "without its link's counts, the newest count's debrief is queued"
    printed = body_text(debrief.read_bytes())
    assert squash(f"{lesson.title}") in printed
    assert squash("Started the module Submitted the quiz Wrote a reflection 7 7 7") in printed, "all 7 learners counted"
    assert "privatewords" not in printed
