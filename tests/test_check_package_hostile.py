"""``check-package`` on files built to hurt it: each is a reported problem, in bounded time and memory.

Zip bombs (honest and lying headers), symlinks, unsafe paths, duplicate names, encrypted and exotic
entries, corrupt streams, overlapping entries, devices and pipes instead of files, and random damage.
"""

import bz2
import io
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from dataclasses import replace

import pytest
from hostile_zips import Entry, build_zip, deflated, deflated_zeros, local_record, stored
from hypothesis import given, settings
from hypothesis import strategies as st
from leadmanage_exporters.check_package import check_package
from leadmanage_exporters.cli import cli
from leadmanage_exporters.cli_common import shown as shown_as_text
from leadmanage_exporters.scorm import ScormExporter
from leadmanage_exporters.zip_inspect import CHUNK, ZipLimits

GIB = 1 << 30
CRC_OF_10_GIB_OF_ZEROS = 0xF41D912F  # zlib.crc32(bytes(10 << 30)), computed once: it takes seconds
SECONDS = 10  # far more than any of these needs, far less than reading what the zips claim to hold


@pytest.fixture(scope="module")
def sound_entries(builtin_lesson) -> list[Entry]:
    """The built-in lesson's SCORM 1.2 package, member by member."""
    with zipfile.ZipFile(io.BytesIO(ScormExporter().export(builtin_lesson))) as archive:
        return [deflated(info.filename, archive.read(info)) for info in archive.infolist()]


def package_with(sound_entries, *extra: Entry) -> bytes:
    """The sound package with ``extra`` entries first."""
    return build_zip([*extra, *sound_entries])


def overlapping_pair() -> list[Entry]:
    """Two entries, the second's header and data inside the first's data (Fifield's non-recursive bomb)."""
    inner = stored("inner.js", b"console.log(1);", central_only=True)
    outer = stored("outer.js", local_record(inner))
    return [outer, replace(inner, header_offset=30 + len(outer.name))]  # the first entry of the zip


def with_trailing_bytes() -> Entry:
    """A stream longer than one chunk of output, then bytes after its end (CPython keeps them in two places)."""
    honest = deflated("t.js", bytes(3 * CHUNK // 2))
    return replace(honest, data=honest.data + b"junk")


def lying_small(size: int, declared: int) -> Entry:
    """``size`` zeros whose header declares ``declared`` bytes, with the CRC of that many: zipfile believes it."""
    return Entry("padding.bin", deflated_zeros(size), zlib.crc32(bytes(declared)), declared, method=8)


# (what, extra entries for the sound package, words one problem must contain)
HOSTILE_ENTRIES = [
    ("symlink", lambda: [stored("js/link.js", b"/etc/passwd", mode=0o120777)], "js/link.js: a symbolic link"),
    ("fifo entry", lambda: [stored("js/pipe", b"", mode=0o010644)], "js/pipe: a device, pipe or socket"),
    ("absolute path", lambda: [stored("/etc/cron.d/x", b"x")], "/etc/cron.d/x: file name would unpack outside"),
    ("drive letter", lambda: [stored("C:/x.js", b"x")], "C:/x.js: file name would unpack outside"),
    ("drive-relative", lambda: [stored("C:x.js", b"x")], "C:x.js: file name would unpack outside"),
    ("UNC path", lambda: [stored("\\\\server\\share\\x.js", b"x")], "file name would unpack outside"),
    ("climbing path", lambda: [stored("js/../../x.js", b"x")], "js/../../x.js: file name would unpack outside"),
    ("duplicate name", lambda: [stored("index.html", b"<p>other</p>")], "index.html: in the zip 2 times"),
    ("encrypted", lambda: [stored("secret.js", b"x", flags=0x1)], "secret.js: encrypted"),
    (
        "bzip2",
        lambda: [Entry("b.js", bz2.compress(b"x" * 99), zlib.crc32(b"x" * 99), 99, method=12)],
        "b.js: compression method 12",
    ),
    ("corrupt deflate", lambda: [Entry("c.js", b"\xff" * 64, 0, 64, method=8)], "c.js: corrupt: the compressed data"),
    ("wrong CRC", lambda: [stored("d.js", b"hello", crc=1)], "d.js: corrupt: its CRC does not match"),
    ("stops short", lambda: [deflated("e.js", b"x" * 10, file_size=20)], "e.js: corrupt: inflates to 10 bytes, not"),
    (
        "inflates past its declared size",
        lambda: [lying_small(GIB, 1000)],
        "padding.bin: corrupt: inflates to more than the 1,000 bytes its header declares",
    ),
    (
        "10 GiB of zeros, honestly declared",
        lambda: [Entry("zeros.bin", deflated_zeros(10 * GIB), CRC_OF_10_GIB_OF_ZEROS, 10 * GIB, method=8)],
        "zeros.bin: inflates to 10,737,418,240 bytes, over the 1,073,741,824-byte limit",
    ),
    (
        "1000:1 under the size limit",
        lambda: [Entry("dense.bin", deflated_zeros(256 << 20), 0, 256 << 20, method=8)],
        "dense.bin: compressed 1,0",
    ),
    ("bytes after the stream", lambda: [with_trailing_bytes()], "t.js: corrupt: data follows the end of its"),
    ("local header names another file", lambda: [stored("f.js", b"x", local_name="f.sh")], "names another file"),
    ("overlapping entries", overlapping_pair, "inner.js: its data overlaps another entry's"),
]


@pytest.mark.parametrize(("what", "extra", "expected"), HOSTILE_ENTRIES, ids=[row[0] for row in HOSTILE_ENTRIES])
def test_each_hostile_entry_is_a_problem_found_quickly(sound_entries, what, extra, expected):
    package = package_with(sound_entries, *extra())
    started = time.monotonic()
    problems = check_package(package)
    assert time.monotonic() - started < SECONDS
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04" + bytes(100)], ids=["empty", "text", "zip header only"])
def test_what_is_not_a_zip_is_said_so(data):
    assert check_package(data) == ["not a zip file"]


def test_a_truncated_package_is_not_taken_for_a_zip(sound_entries):
    assert check_package(package_with(sound_entries)[:-200]) == ["not a zip file"]


def test_a_manifest_too_large_to_be_sensible_is_not_read(sound_entries):
    manifest = next(entry for entry in sound_entries if entry.name == "imsmanifest.xml")
    huge = stored("imsmanifest.xml", b"<!--" + b" " * (5 << 20) + b"-->")
    problems = check_package(build_zip([entry for entry in sound_entries if entry is not manifest] + [huge]))
    assert any("imsmanifest.xml: inflates to 5,242,887 bytes, over the 4,194,304-byte limit" in p for p in problems)


def test_the_whole_package_has_a_limit_too(sound_entries):
    limits = ZipLimits(total_bytes=150_000)
    problems = check_package(package_with(sound_entries, stored("video.bin", bytes(200_000))), limits=limits)
    assert any("inflates to over 150,000 bytes in all; not read from here on" in problem for problem in problems)


def test_a_large_member_is_checked_holding_one_chunk_at_a_time():
    # Within the limits (raised for the test), 256 MiB is read to its end: CRC and size checked, memory flat.
    member = Entry("big.bin", deflated_zeros(256 << 20), zlib.crc32(bytes(256 << 20)), 256 << 20, method=8)
    package = build_zip([member])
    tracemalloc.start()
    try:
        problems = check_package(package, limits=ZipLimits(ratio=10_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == ["imsmanifest.xml is missing from the root of the package"]
    assert peak < 16 * CHUNK  # a few chunks in flight, never the 256 MiB


def test_a_member_that_lies_is_caught_before_it_is_inflated_far():
    package = build_zip([lying_small(GIB, 1000)])
    tracemalloc.start()
    try:
        problems = check_package(package)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("inflates to more than the 1,000 bytes" in problem for problem in problems)
    assert peak < 16 * CHUNK


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``leadmanage ARGS`` in a child process, as a user runs it."""
    command = [sys.executable, "-m", "leadmanage_exporters", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("kind", ["device", "pipe", "folder"])
def test_check_package_refuses_what_is_not_a_file_without_reading_it(tmp_path, kind):
    path = {"device": "/dev/zero", "pipe": tmp_path / "fifo", "folder": tmp_path}[kind]
    if kind == "pipe":
        os.mkfifo(path)  # no one ever writes to it: opening it to read would wait for ever
    done = run_cli("check-package", str(path))
    assert done.returncode == 1
    assert f"{path} is a {kind}, not a file; a SCORM package is a zip file" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_lists_a_bombs_problems_in_one_line_each(runner, tmp_path, sound_entries):
    path = tmp_path / "bomb.zip"
    path.write_bytes(package_with(sound_entries, lying_small(GIB, 1000), stored("/abs.js", b"x")))
    result = runner.invoke(cli, ["check-package", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "padding.bin: corrupt: inflates to more than the 1,000 bytes its header declares" in result.output
    assert "/abs.js: file name would unpack outside the package folder" in result.output


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8), st.integers(min_value=0))
def test_random_damage_never_escapes_as_an_exception(damage, cut):
    package = bytearray(_small_package())
    for position, value in damage:
        package[position % len(package)] = value
    problems = check_package(bytes(package[: len(package) - cut % 64]))
    assert all(isinstance(problem, str) and problem for problem in problems)


def _small_package() -> bytes:
    """A zip small enough that random damage often lands in a header rather than in data."""
    manifest = b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><metadata/></manifest>'
    return build_zip([deflated("imsmanifest.xml", manifest), stored("index.html", b"<p>hi</p>")])


SIZES = st.one_of(st.integers(0, 300), st.sampled_from([2**31, 2**32 - 1, 2**32, 10 * GIB]))
LYING_ENTRIES = st.builds(
    lambda entry, crc, size, method, flags, mode, offset: replace(
        entry, crc=crc, file_size=size, method=method, flags=flags, mode=mode, header_offset=offset
    ),
    st.one_of(
        st.builds(deflated, st.sampled_from(["imsmanifest.xml", "a.js", "b/"]), st.binary(max_size=200)),
        st.builds(stored, st.sampled_from(["imsmanifest.xml", "a.js", "../c"]), st.binary(max_size=200)),
    ),
    st.integers(0, 2**32 - 1),
    SIZES,
    st.sampled_from([0, 8, 12, 99]),
    st.integers(0, 0xFFFF),
    st.sampled_from([0, 0o100644, 0o120777, 0o020644, 0o040755]),
    st.one_of(st.none(), st.integers(0, 400)),
)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(LYING_ENTRIES, max_size=4))
def test_headers_that_lie_in_any_field_are_reported_quickly(entries):
    started = time.monotonic()
    problems = check_package(build_zip(entries))
    assert time.monotonic() - started < SECONDS
    assert all(isinstance(problem, str) and problem for problem in problems)


def test_a_name_made_to_fool_the_terminal_is_shown_as_text(tmp_path, sound_entries):
    """A zip entry's name shows as text: a line break that forges a line, colour codes, a window title.

    Each problem line writes them as escapes; the terminal never acts on them (nor on a bidirectional override,
    which a UTF-8 name could hold and which would show "gnp.js" as "sj.png").
    """
    forged = "x\n\x1b[32mno problems found\x1b[0m\x1b]0;pwned\x07gnp.js"
    package = tmp_path / "forged.zip"
    package.write_bytes(package_with(sound_entries, deflated(forged, b"1")))
    done = run_cli("check-package", str(package))
    assert done.returncode == 1
    assert not {"\x1b", "\x07"} & set(done.stderr)
    shown = r"x\n\x1b[32mno problems found\x1b[0m\x1b]0;pwned\x07gnp.js"
    assert f"  {shown}: in the package but listed in no <file> of the manifest" in done.stderr.splitlines()
    assert shown_as_text("\u202egnp.js") == r"\u202egnp.js"
