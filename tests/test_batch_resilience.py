"""A personalised batch loses nobody and never hangs: clashing names, dying workers, Ctrl+C, bad folders, a full disk.

The worker and Ctrl+C tests run the real command line in its own session and signal its real processes;
the others drive ``run_batch`` with a render function that fails the way a machine does, for one learner.
"""

import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from leadmanage_exporters.batch import plan_tasks, render_workbook, run_batch, safe_stem, unique_filename
from leadmanage_exporters.cli import cli
from leadmanage_exporters.responses import LearnerRecord

LEARNERS = [f"learner{n}" for n in range(8)]
#: Long enough for a worker to be rendering, short enough for a test (seconds).
PATIENCE = 120


def batch_command(responses: Path, out_dir: Path) -> list[str]:
    args = ["export", "pdf", "--responses", str(responses), "--out-dir", str(out_dir), "--jobs", "2"]
    return [sys.executable, "-m", "leadmanage_exporters", *args]


@pytest.fixture
def start_batch(tmp_path):
    """Start the real command line on LEARNERS in a session of its own, Ctrl+C at its default as in a terminal.

    Whatever the test does, nothing of the batch outlives it.
    """
    started = []

    def start() -> tuple[subprocess.Popen, Path]:
        responses = tmp_path / "learners.jsonl"
        responses.write_text("".join(f'{{"username": "{name}"}}\n' for name in LEARNERS), encoding="utf-8")
        out_dir = tmp_path / "out"
        process = subprocess.Popen(
            batch_command(responses, out_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            # A shell that starts a job in the background hands it Ctrl+C ignored; a terminal does not.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        started.append(process)
        return process, out_dir

    yield start
    for process in started:
        for pid in session_members(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.communicate()


def wait_for_first_workbook(process: subprocess.Popen, out_dir: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while not list(out_dir.glob("*.pdf")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no workbook was written"
        time.sleep(0.02)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def worker_pids(cli_pid: int) -> list[int]:
    """The batch's workers: children of the forkserver, which is a child of the command line process."""
    servers = [pid for pid in children(cli_pid) if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    return [pid for server in servers for pid in children(server)]


def ignores_ctrl_c(pid: int) -> bool:
    """Whether the process ignores SIGINT (its ``SigIgn`` mask in /proc has bit SIGINT - 1)."""
    status = Path(f"/proc/{pid}/status").read_text()
    ignored = int(re.search(r"^SigIgn:\s*([0-9a-f]+)$", status, re.MULTILINE).group(1), 16)
    return bool(ignored & (1 << (signal.SIGINT - 1)))


def is_complete_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def leftovers(out_dir: Path) -> list[str]:
    return sorted(path.name for path in out_dir.iterdir() if path.name.startswith("."))


# -- file names ------------------------------------------------------------------------------------------------


def test_a_learner_named_like_anothers_hashed_file_name_still_gets_a_file_of_their_own():
    hashed = unique_filename("x y", set())  # x_y-<hash of "x y">.pdf
    tasks = list(plan_tasks([(1, LearnerRecord(hashed.removesuffix(".pdf"))), (2, LearnerRecord("x y"))]))
    assert [task.filename for task in tasks][0] == hashed
    assert len({task.filename.lower() for task in tasks}) == 2


@pytest.mark.parametrize("username", ["CON", "nul", "Com1", "lpt9.backup"])
def test_names_windows_keeps_for_devices_are_never_a_whole_file_name(username):
    stem = unique_filename(username, set()).removesuffix(".pdf")
    assert stem.startswith(safe_stem(username) + "-")


usernames = st.text(st.sampled_from("aAbB xX_-.é/1"), min_size=1, max_size=12)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(usernames, min_size=1, max_size=30, unique=True), st.randoms(use_true_random=False))
def test_every_learner_gets_a_file_name_no_other_has_in_any_case(names, random):
    # Some learners are named exactly like the file another learner would get, in any case and order.
    names = names + [unique_filename(name, set()).removesuffix(".pdf").upper() for name in names[::2]]
    random.shuffle(names)
    tasks = list(plan_tasks(enumerate(map(LearnerRecord, dict.fromkeys(names)), start=1)))
    filenames = [task.filename for task in tasks]
    assert len({name.lower() for name in filenames}) == len(filenames) == len(set(names))
    assert all(name == safe_stem(name.removesuffix(".pdf")) + ".pdf" for name in filenames)


def test_the_summary_counts_distinct_files_written(builtin_lesson, tmp_path):
    hashed = unique_filename("x y", set()).removesuffix(".pdf")
    result = run_batch(
        builtin_lesson, plan_tasks([(1, LearnerRecord(hashed)), (2, LearnerRecord("x y"))]), tmp_path, {}
    )
    assert len(result.written) == 2 == len(list(tmp_path.glob("*.pdf")))


def fake_pdf(record: LearnerRecord) -> bytes:
    """A stand-in for rendering where only the batch's bookkeeping is under test (no layout: fast)."""
    return b"%PDF-1.7 " + record.username.encode() + b"\n%%EOF\n"


def test_the_batch_reads_entries_only_as_workers_ask_for_them(builtin_lesson, tmp_path):
    written_when_read = []

    def entries():
        for number in range(1, 7):
            written_when_read.append(len(list(tmp_path.glob("*.pdf"))))
            yield number, LearnerRecord(f"learner{number}")

    result = run_batch(builtin_lesson, plan_tasks(entries()), tmp_path, {}, processes=1, render=fake_pdf)
    assert len(result.written) == 6
    assert written_when_read == [0, 1, 2, 3, 4, 5], "one entry read per workbook, not all of them up front"


# -- dying workers ---------------------------------------------------------------------------------------------


def test_a_worker_killed_mid_batch_loses_nobody(start_batch):
    process, out_dir = start_batch()
    wait_for_first_workbook(process, out_dir)
    workers = worker_pids(process.pid)
    assert len(workers) == 2, "two workers rendering"
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's OOM killer does
    _, errors = process.communicate(timeout=PATIENCE)
    assert process.returncode == 0, errors
    assert sorted(path.name for path in out_dir.glob("*.pdf")) == [f"{name}.pdf" for name in LEARNERS]
    assert all(is_complete_pdf(path) for path in out_dir.glob("*.pdf"))
    assert "its worker process was killed (SIGKILL); trying again in a new one" in errors
    assert leftovers(out_dir) == []


def render_or_die(record: LearnerRecord) -> bytes:
    """Render as a worker does, but die like a crash in a C library for 'bob'; each try leaves its process id.

    Module-level, so it can travel to the workers; Bob's ``full_name`` names the folder for the ids.
    """
    if record.username == "bob":
        Path(record.full_name, str(os.getpid())).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return render_workbook(record)


def test_a_learner_whose_worker_dies_twice_is_reported_by_name(builtin_lesson, tmp_path):
    tries, out_dir = tmp_path / "tries", tmp_path / "out"
    tries.mkdir()
    out_dir.mkdir()
    learners = [LearnerRecord("ana"), LearnerRecord("bob", full_name=str(tries)), LearnerRecord("cy")]
    tasks = plan_tasks(enumerate(learners, start=1))
    result = run_batch(builtin_lesson, tasks, out_dir, {}, processes=2, render=render_or_die)
    assert sorted(path.name for path in result.written) == ["ana.pdf", "cy.pdf"]
    assert [failure.message for failure in result.failed] == [
        "no workbook for 'bob': its worker process was killed (SIGKILL), on both tries"
    ]
    assert [warning.line for warning in result.warnings] == [2]
    assert len(list(tries.iterdir())) == 2, "tried once more, in another process, and no more"
    assert sorted(path.name for path in out_dir.iterdir()) == ["ana.pdf", "cy.pdf"]


# -- Ctrl+C ----------------------------------------------------------------------------------------------------


def test_ctrl_c_stops_the_batch_promptly_and_leaves_only_complete_workbooks(start_batch):
    process, out_dir = start_batch()
    wait_for_first_workbook(process, out_dir)
    workers = worker_pids(process.pid)
    assert workers, "workers rendering"
    assert all(ignores_ctrl_c(pid) for pid in workers), "only the parent decides when the batch stops"
    pressed = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # the terminal sends it to the whole foreground group
    _, errors = process.communicate(timeout=PATIENCE)
    assert time.monotonic() - pressed < 5, "stopped promptly"
    assert process.returncode == 130
    assert "Traceback" not in errors
    written = sorted(out_dir.glob("*.pdf"))
    assert f"Interrupted: wrote {len(written)} workbook(s) to {out_dir}; no partial file is left." in errors
    assert 0 < len(written) < len(LEARNERS)
    assert all(is_complete_pdf(path) for path in written)
    assert leftovers(out_dir) == []
    assert_session_ends(process.pid)


def assert_session_ends(session: int) -> None:
    """No process of the batch's session (workers, forkserver) outlives it for long."""
    deadline = time.monotonic() + 10
    while members := session_members(session):
        assert time.monotonic() < deadline, f"processes {members} of the batch are still running"
        time.sleep(0.1)


def session_members(session: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(ProcessLookupError):  # it ended while we looked
                if os.getsid(int(entry.name)) == session:
                    members.append(int(entry.name))
    return members


# -- the output folder and the disk ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "cause"),
    [
        ("a file", "it is not a folder"),
        ("a file/sub", "Not a directory"),
        ("/proc/leadmanage/sub", "No such file or directory"),
        ("unwritable", "Permission denied|Operation not permitted"),  # a user | root (immutable folder)
    ],
)
def test_an_out_dir_that_cannot_take_the_workbooks_is_refused_before_any_rendering(
    runner, tmp_path, place, cause, request
):
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    out_dir = request.getfixturevalue("unwritable_folder") if place == "unwritable" else tmp_path / place
    responses = tmp_path / "learners.jsonl"
    responses.write_text('{"username": "ana"}\n', encoding="utf-8")
    started = time.monotonic()
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(responses), "--out-dir", str(out_dir)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot write workbooks to {out_dir}: ")
    assert re.search(cause, result.output)
    assert result.output.count("\n") == 1, "one line"
    assert time.monotonic() - started < 5, "nothing was rendered"


def render_past_the_size_limit_for_ana(record: LearnerRecord) -> bytes:
    """Render as a worker does; for 'ana' the process may then write no more than 4 KB, as on a full disk."""
    data = render_workbook(record)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
    hard_limit = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096 if record.username == "ana" else hard_limit, hard_limit))
    return data


def test_a_workbook_the_disk_cannot_hold_fails_that_learner_only_and_leaves_no_partial_file(builtin_lesson, tmp_path):
    tasks = plan_tasks([(1, LearnerRecord("ana")), (2, LearnerRecord("ben"))])
    result = run_batch(builtin_lesson, tasks, tmp_path, {}, processes=1, render=render_past_the_size_limit_for_ana)
    assert [path.name for path in result.written] == ["ben.pdf"]
    assert [failure.message for failure in result.failed] == [
        f"no workbook for 'ana': cannot write {tmp_path / 'ana.pdf'}: File too large"
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ben.pdf"]


# -- input that is not a file ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["device", "named pipe", "folder"])
def test_an_input_that_is_not_a_regular_file_is_refused_in_one_line(tmp_path, kind):
    responses = {"device": Path("/dev/zero"), "named pipe": tmp_path / "fifo.jsonl", "folder": tmp_path}[kind]
    if kind == "named pipe":
        os.mkfifo(responses)
    run = subprocess.run(batch_command(responses, tmp_path / "out"), capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.startswith(f"Error: {responses} is ")
    assert kind.split()[-1] in run.stderr
    assert run.stderr.count("\n") == 1, "one line"
    assert not (tmp_path / "out").exists()
