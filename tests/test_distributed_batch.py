"""``export pdf --responses --broker`` and ``leadmanage worker``: a batch rendered by real Celery workers.

A real Redis (Debian's ``redis-server``) runs on a free loopback port for this module, each test on a database
of its own; the workers and the submitting command are real processes, started as an operator starts them.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixture_paths import CONTENT
from leadmanage_exporters.celery_tasks import make_app
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import body_text, squash
from redis_server import free_port

from leadmanage_xblock.core.content import load_lesson
from leadmanage_xblock.core.workbook_key import WorkbookVariant, lesson_hash, work_hash, workbook_key

LESSON = CONTENT / "minimal.yaml"
#: Long enough for a worker to start or a batch to finish on two busy cores, short enough for a test (seconds).
PATIENCE = 120
#: The tests' workers give a vanished worker's task to another after this long (seconds); renders take < 2 s.
VISIBILITY_TIMEOUT = 10


def leadmanage(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "leadmanage_exporters", *arguments]


def spawn_worker(broker: str, log_path: Path) -> subprocess.Popen:
    """``leadmanage worker`` on ``broker``, one process, in a session of its own (so its pool can be killed with it)."""
    arguments = ["worker", "--broker", broker, "--concurrency", "1", "--visibility-timeout", str(VISIBILITY_TIMEOUT)]
    with log_path.open("w") as log:  # the worker keeps its own copy
        return subprocess.Popen(leadmanage(*arguments), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill_all(workers: list[subprocess.Popen]) -> None:
    for process in workers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def start_worker(tmp_path):
    """``start_worker(broker)`` starts a worker; all are killed after the test."""
    started: list[subprocess.Popen] = []

    def start(broker: str) -> subprocess.Popen:
        started.append(spawn_worker(broker, tmp_path / f"worker{len(started)}.log"))
        return started[-1]

    yield start
    kill_all(started)


@pytest.fixture(scope="module")
def busy_broker(redis_port, tmp_path_factory):
    """A broker with two workers, shared by the tests that kill none (each batch has its own folder)."""
    url, logs = f"redis://127.0.0.1:{redis_port}/0", tmp_path_factory.mktemp("workers")
    workers = [spawn_worker(url, logs / f"worker{number}.log") for number in range(2)]
    wait_for_workers(url, 2)
    yield url
    kill_all(workers)


def wait_for_workers(broker: str, count: int) -> None:
    """Return once ``count`` workers answer on ``broker``: each is then consuming."""
    app, deadline = make_app(broker), time.monotonic() + PATIENCE
    try:
        while len(app.control.ping(timeout=0.5)) < count:
            assert time.monotonic() < deadline, f"{count} worker(s) did not start"
    finally:
        app.close()


def write_learners(path: Path, names: list[str]) -> dict[str, str]:
    """A JSON Lines file of learners ``name`` with full names; returns each username's full name."""
    full_names = {name: f"{name.capitalize()} Fullname" for name in names}
    lines = [json.dumps({"username": name, "full_name": full}) for name, full in full_names.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return full_names


def submit(broker: str, responses: Path, out_dir: Path) -> list[str]:
    arguments = ["--content", str(LESSON), "--responses", str(responses), "--out-dir", str(out_dir)]
    return leadmanage("export", "pdf", *arguments, "--broker", broker)


def run_submit(broker: str, responses: Path, out_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(submit(broker, responses, out_dir), capture_output=True, text=True, timeout=PATIENCE)


def assert_each_learner_has_their_own_workbook(out_dir: Path, full_names: dict[str, str]) -> None:
    assert sorted(path.name for path in out_dir.glob("*.pdf")) == sorted(f"{name}.pdf" for name in full_names)
    for name, full_name in full_names.items():
        text = body_text((out_dir / f"{name}.pdf").read_bytes())
        assert squash(f"Prepared for {full_name}") in text, name
    assert not list(out_dir.glob(".*.part")), "no half-written file is left"


def test_two_workers_render_every_learners_own_workbook_and_a_resubmission_renders_only_what_changed(
    busy_broker, tmp_path
):
    broker = busy_broker
    responses, out_dir = tmp_path / "learners.jsonl", tmp_path / "out"
    full_names = write_learners(responses, [f"learner{n:02d}" for n in range(12)])

    first = run_submit(broker, responses, out_dir)
    assert first.returncode == 0, first.stderr
    assert "Wrote 12 workbook(s)" in first.stdout
    assert "0 line(s) skipped, 0 failed, 0 warning(s)" in first.stdout
    assert_each_learner_has_their_own_workbook(out_dir, full_names)

    written = {path.name: path.stat().st_mtime_ns for path in out_dir.glob("*.pdf")}
    full_names["learner03"] = "Someone Renamed"  # a changed name is new content: a new key, a new render
    responses.write_text(responses.read_text().replace("Learner03 Fullname", "Someone Renamed"), encoding="utf-8")
    second = run_submit(broker, responses, out_dir)
    assert second.returncode == 0, second.stderr
    assert "11 workbook(s) had been rendered before with the same content" in second.stdout
    assert "Wrote 12 workbook(s)" in second.stdout
    assert_each_learner_has_their_own_workbook(out_dir, full_names)
    unchanged = {name: mtime for name, mtime in written.items() if name != "learner03.pdf"}
    assert {name: (out_dir / name).stat().st_mtime_ns for name in unchanged} == unchanged


def deliveries_by(out_dir: Path, session: int) -> list[Path]:
    """The workbooks a process of the worker started as ``session`` is rendering (from their delivery records)."""
    found = []
    for record in (out_dir / ".leadmanage-cache").glob("*.deliveries"):
        with contextlib.suppress(OSError, ValueError):
            pids = [int(line.rsplit(":", 1)[1]) for line in record.read_text().splitlines()]
            if any(os.getpgid(pid) == session for pid in pids):
                found.append(record)
    return found


def test_a_worker_killed_mid_batch_loses_nobody_and_the_summary_says_so(broker, start_worker, tmp_path):
    doomed, survivor = start_worker(broker), start_worker(broker)
    wait_for_workers(broker, 2)
    responses, out_dir = tmp_path / "learners.jsonl", tmp_path / "out"
    full_names = write_learners(responses, [f"learner{n:02d}" for n in range(60)])  # the batch
    submitter = subprocess.Popen(submit(broker, responses, out_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + PATIENCE
    while not (in_progress := deliveries_by(out_dir, doomed.pid)):
        assert submitter.poll() is None, submitter.communicate()
        assert time.monotonic() < deadline, "the worker never started a workbook"
        time.sleep(0.01)
    os.killpg(doomed.pid, signal.SIGKILL)  # the worker and its pool: a machine gone
    cut_short = [path for path in in_progress if not path.with_suffix(".pdf").exists()]

    out, err = (stream.decode() for stream in submitter.communicate(timeout=PATIENCE))
    assert submitter.returncode == 0, err
    assert survivor.poll() is None
    assert_each_learner_has_their_own_workbook(out_dir, full_names)
    assert "Wrote 60 workbook(s)" in out
    assert err.count("a worker stopped while rendering it (1x); rendered again") == len(cut_short) >= 1
    assert f"0 failed, {len(cut_short)} warning(s)" in out


def content_key(username: str, full_name: str) -> str:
    """The key the submitter gives this learner's workbook of ``LESSON`` (learner edition, A4, its language)."""
    variant = WorkbookVariant(edition="learner", paper="a4", language="en")
    work = work_hash(LearnerRecord(username, full_name=full_name), full_name)
    return workbook_key(lesson_hash(load_lesson(LESSON)), variant, work)


def test_learners_without_a_workbook_are_each_named_and_the_batch_exits_1(busy_broker, tmp_path):
    broker = busy_broker
    responses, out_dir = tmp_path / "learners.jsonl", tmp_path / "out"
    full_names = write_learners(responses, ["ana", "bob", "cy", "dee"])
    (out_dir / "bob.pdf").mkdir(parents=True)  # something sits where Bob's workbook should go
    cache = out_dir / ".leadmanage-cache"
    cache.mkdir()  # two workers already died rendering Cy's workbook: it must not kill a third
    (cache / f"{content_key('cy', full_names['cy'])}.deliveries").write_text("host:1\nhost:2\n")
    result = run_submit(broker, responses, out_dir)
    assert result.returncode == 1
    assert f"learners.jsonl:2: failed: no workbook for 'bob': cannot write {out_dir}/bob.pdf" in result.stderr
    assert "learners.jsonl:3: failed: no workbook for 'cy': its worker stopped while rendering it, 2 times" in (
        result.stderr
    )
    assert "Error: 2 entries got no workbook" in result.stderr
    assert "Wrote 2 workbook(s)" in result.stdout
    del full_names["bob"], full_names["cy"]
    for name, full_name in full_names.items():
        assert squash(f"Prepared for {full_name}") in body_text((out_dir / f"{name}.pdf").read_bytes())


@pytest.mark.parametrize("command", ["submit", "worker"])
def test_an_unreachable_broker_is_one_line_and_exit_1(command, tmp_path):
    broker = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    responses = tmp_path / "learners.jsonl"
    write_learners(responses, ["ana"])
    arguments = (
        submit(broker, responses, tmp_path / "out") if command == "submit" else leadmanage("worker", "--broker", broker)
    )
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=PATIENCE)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot reach the broker at {broker}: ")
    assert "Connection refused" in result.stderr
    assert len(result.stderr.splitlines()) == 1, "one line, no traceback"


def test_a_broker_that_is_not_redis_is_refused_naming_the_url_without_its_password(tmp_path):
    responses = tmp_path / "learners.jsonl"
    write_learners(responses, ["ana"])
    result = subprocess.run(
        submit("amqp://guest:secret@localhost//", responses, tmp_path / "out"), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert (
        result.stderr
        == "Error: the broker must be a Redis URL (redis://HOST:PORT/DB), not 'amqp://guest:**@localhost//'\n"
    )


@pytest.mark.parametrize(
    ("broker", "reason"),
    [
        ("redis://[::1", "Invalid IPv6 URL"),
        ("redis://localhost:abc/0", "Port could not be cast to integer value as 'abc'"),
        ("redis://localhost:99999/0", "Port out of range 0-65535"),
    ],
)
@pytest.mark.parametrize("command", ["submit", "worker"])
def test_a_broker_url_that_is_not_a_url_is_one_line_naming_what_is_wrong(tmp_path, command, broker, reason):
    responses = tmp_path / "learners.jsonl"
    write_learners(responses, ["ana"])
    argv = (
        submit(broker, responses, tmp_path / "out") if command == "submit" else leadmanage("worker", "--broker", broker)
    )
    result = subprocess.run(argv, capture_output=True, text=True, timeout=PATIENCE)
    assert result.returncode == 1
    assert result.stderr == f"Error: the broker URL is not valid ({reason}); it looks like redis://HOST:PORT/DB\n"


def test_an_empty_broker_is_refused_not_taken_for_a_local_batch(tmp_path):
    responses = tmp_path / "learners.jsonl"
    write_learners(responses, ["ana"])
    result = subprocess.run(submit("", responses, tmp_path / "out"), capture_output=True, text=True, timeout=PATIENCE)
    assert result.returncode == 1
    assert result.stderr == "Error: the broker must be a Redis URL (redis://HOST:PORT/DB), not ''\n"
    assert not list(tmp_path.rglob("*.pdf")), "nothing rendered"
