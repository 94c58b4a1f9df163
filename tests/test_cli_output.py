"""The command line on hostile paths: one line naming the path and the cause, exit 1, never a traceback.

Nothing half-written is ever left under the final name, a full disk included.
"""

import os
import resource
import signal
import stat
import subprocess
import sys

import pytest
from leadmanage_exporters.cli import cli

EXPORTS = {"scorm": ["export", "scorm"], "pdf": ["export", "pdf"]}


def one_line_error(result) -> str:
    """The single line a failed command printed; fails the test on a traceback, several lines or exit 0."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def leftovers(folder) -> list[str]:
    """Temporary files left behind anywhere under ``folder``."""
    return [path.name for path in folder.rglob("*.part")]


# (what, how to prepare tmp_path and name the output, the cause printed after "cannot write PATH: ")
HOSTILE_OUTPUTS = [
    (
        "missing folder",
        lambda tmp: tmp / "nowhere" / "x.out",
        "the folder {tmp}/nowhere does not exist (create it first)",
    ),
    ("a folder", lambda tmp: _folder(tmp / "out"), "it is a folder"),
    ("parent is a file", lambda tmp: _file(tmp / "notes.txt") / "x.out", "{tmp}/notes.txt is a file, not a folder"),
    (
        "grandparent is a file",
        lambda tmp: _file(tmp / "notes.txt") / "sub" / "x.out",
        "a part of {tmp}/notes.txt/sub is a file, not a folder",
    ),
]


def _folder(path):
    path.mkdir()
    return path


def _file(path):
    path.write_text("keep me", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", list(EXPORTS))
@pytest.mark.parametrize(("what", "prepare", "cause"), HOSTILE_OUTPUTS, ids=[row[0] for row in HOSTILE_OUTPUTS])
def test_a_bad_output_path_is_one_line_and_leaves_nothing(runner, tmp_path, command, what, prepare, cause):
    target = prepare(tmp_path)
    line = one_line_error(runner.invoke(cli, [*EXPORTS[command], "-o", str(target)]))
    assert line == f"Error: cannot write {target}: {cause.format(tmp=tmp_path)}"
    assert not target.is_file()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", list(EXPORTS))
def test_a_device_is_never_replaced_by_an_export(runner, command):
    line = one_line_error(runner.invoke(cli, [*EXPORTS[command], "-o", "/dev/null"]))
    assert line == "Error: cannot write /dev/null: it is a device"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("command", list(EXPORTS))
def test_an_unwritable_folder_is_reported_before_rendering(runner, unwritable_folder, command):
    target = unwritable_folder / "x.out"
    line = one_line_error(runner.invoke(cli, [*EXPORTS[command], "-o", str(target)]))
    assert line in (
        f"Error: cannot write {target}: Permission denied",
        f"Error: cannot write {target}: Operation not permitted",  # root and an immutable folder
    )
    assert list(unwritable_folder.iterdir()) == []


def test_a_default_folder_that_cannot_be_created_is_reported(runner, unwritable_folder, monkeypatch):
    monkeypatch.chdir(unwritable_folder)
    line = one_line_error(runner.invoke(cli, ["export", "scorm"]))
    target = "dist/leading_vs_managing-scorm12.zip"
    assert line.startswith(f"Error: cannot write {target}: the folder dist cannot be created (")
    assert list(unwritable_folder.iterdir()) == []


def test_the_default_folder_is_created_but_a_file_in_its_way_is_reported(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["export", "scorm"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist" / "leading_vs_managing-scorm12.zip").is_file()
    (tmp_path / "dist" / "leading_vs_managing-scorm12.zip").unlink()
    (tmp_path / "dist").rmdir()
    _file(tmp_path / "dist")
    line = one_line_error(runner.invoke(cli, ["export", "scorm"]))
    assert line == "Error: cannot write dist/leading_vs_managing-scorm12.zip: dist is a file, not a folder"


def test_an_export_replaces_an_older_file_whole(runner, tmp_path):
    target = _file(tmp_path / "x.zip")
    result = runner.invoke(cli, ["export", "scorm", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PK\x03\x04")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [["--content", "/dev/zero", "-o", "x.pdf"], ["--responses", "/dev/zero", "--out-dir", "out"]],
    ids=["lesson", "responses"],
)
def test_a_device_as_input_is_reported_naming_it(runner, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["export", "pdf", *args])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "/dev/zero" in result.output
    assert "device" in result.output


def run_cli(*args: str, limit_file_size: int | None = None, **options) -> subprocess.CompletedProcess:
    """``leadmanage ARGS`` in a child process; ``limit_file_size`` makes bigger writes fail with EFBIG."""

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # without this the kernel kills the process instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    command = [sys.executable, "-m", "leadmanage_exporters", *args]
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    if limit_file_size:
        # Coverage measuring the child (make test) would write its data under the same limit and fail loudly.
        environment = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}
        options = {"env": environment, "preexec_fn": limit, **options}
    return subprocess.run(command, text=True, timeout=120, **options)


def test_a_write_cut_short_by_a_file_size_limit_leaves_nothing(tmp_path):
    target = tmp_path / "x.zip"
    done = run_cli("export", "scorm", "-o", str(target), limit_file_size=16 * 1024)
    assert done.returncode == 1
    assert done.stderr == f"Error: cannot write {target}: File too large\n"
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_nothing_under_the_final_name(tmp_path):
    # A 16 KiB tmpfs in a private mount namespace: the 40 KB package cannot fit. The folder is listed from
    # inside the namespace, since the tmpfs goes when it ends.
    script = 'mount -t tmpfs -o size=16k tmpfs "$0" || exit 99; "$@"; status=$?; ls -A "$0"; exit $status'
    target = tmp_path / "x.zip"
    command = ["unshare", "--mount", "--map-root-user", "sh", "-c", script, str(tmp_path)]
    command += [sys.executable, "-m", "leadmanage_exporters", "export", "scorm", "-o", str(target)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode == 99:
        pytest.skip(f"no tmpfs can be mounted here ({done.stderr.strip()}); the file size limit test covers this")
    assert done.returncode == 1
    assert done.stderr == f"Error: cannot write {target}: No space left on device\n"
    assert done.stdout == ""  # ls -A: nothing at all in the folder


def test_an_unforeseen_os_error_is_one_line_too():
    # Standard output on a full device: no command expects its own output to fail.
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = run_cli("schema", stdout=full)
    assert done.returncode == 1
    assert done.stderr == "Error: No space left on device\n"
