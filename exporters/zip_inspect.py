"""Read every entry of a zip the way an LMS would unpack it, within fixed limits, and say what is unsafe.

``check-package`` runs on files from anywhere, so nothing here trusts the zip: the sizes in its headers
may lie, its data may be corrupt or endless. Python's ``zipfile`` is used only to list the central
directory; each member is inflated here, one chunk at a time, so that

- a member never yields more than the size its header declares (reading stops one chunk past it), and
  that declared size is checked against the limits (per file, in all, compression ratio) before a byte
  is inflated: time and memory are bounded whatever the zip claims;
- what ``zipfile`` lets pass is caught: a stream that runs past or stops short of its declared size,
  data after the end of a stream, a local header that names another file, entries whose data overlap.
"""

import re
import stat
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO

#: Bytes inflated at a time: the most of any member (other than the kept manifest) held in memory.
CHUNK = 64 * 1024
STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then (skipped fields), file name and extra field lengths
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DRIVE = re.compile(r"^[A-Za-z]:")  # C:/x and C:x unpack outside the folder on Windows


@dataclass(frozen=True)
class ZipLimits:
    """How much a package may inflate to before it is refused unread."""

    member_bytes: int = 1 << 30  # 1 GiB: room for a long video, far below a bomb's size
    total_bytes: int = 2 << 30  # 2 GiB inflated in all
    # Deflate reaches about 1000:1 only on repetitive filler; text and media stay far below 100:1.
    ratio: int = 200
    ratio_exempt_bytes: int = 1 << 20  # a small file may compress very well and harms no one
    kept_bytes: int = 4 << 20  # the one member kept in memory (the manifest): SCORM manifests are kilobytes


LIMITS = ZipLimits()


@dataclass
class ZipContents:
    """What ``inspect_zip`` found: the file names, the kept member's bytes and every problem."""

    files: set[str] = field(default_factory=set)
    kept: bytes | None = None
    problems: list[str] = field(default_factory=list)


class NotAZipFileError(Exception):
    """The file is not a zip archive at all."""


class _Corrupt(Exception):
    """A member's data cannot be trusted; the message says why."""


def inspect_zip(stream: BinaryIO, keep: str, limits: ZipLimits = LIMITS) -> ZipContents:
    """Check the zip in ``stream`` and every member's data; keep the bytes of the member named ``keep``.

    ``stream`` must be seekable. Every fault inside the zip becomes a problem in the result.

    Raises:
        NotAZipFileError: ``stream`` holds no zip archive (no readable central directory).
    """
    try:
        entries = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OverflowError, NotImplementedError) as exc:
        raise NotAZipFileError(str(exc)) from None
    files = [entry for entry in entries if not entry.is_dir()]
    contents = ZipContents(files={entry.filename for entry in files})
    contents.problems += [problem for entry in entries for problem in entry_problems(entry)]
    contents.problems += duplicate_problems(entries)
    spans = _read_members(stream, files, keep, limits, contents)
    contents.problems += overlap_problems(spans)
    return contents


def entry_problems(entry: zipfile.ZipInfo) -> list[str]:
    """What is wrong with an entry's name and type, whatever its data."""
    name, kind = entry.filename, stat.S_IFMT(entry.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return [f"{name}: a symbolic link; unpacked, it can point anywhere outside the package"]
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return [f"{name}: a device, pipe or socket entry, not a file"]
    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or _DRIVE.match(name) or ".." in path.parts:
        return [f"{name}: file name would unpack outside the package folder"]
    if not name.isascii():
        return [f"{name}: file name is not ASCII (some LMSs cannot serve it)"]
    if name.startswith("__MACOSX/"):
        return [f"{name}: macOS resource fork; remove __MACOSX from the zip"]
    return []


def duplicate_problems(entries: Iterable[zipfile.ZipInfo]) -> list[str]:
    """One problem per name that more than one entry uses (unpacking keeps only one of them)."""
    counts = Counter(entry.filename for entry in entries)
    return [
        f"{name}: in the zip {count} times; unpacking keeps only one" for name, count in counts.items() if count > 1
    ]


def _read_members(
    stream: BinaryIO, files: Iterable[zipfile.ZipInfo], keep: str, limits: ZipLimits, contents: ZipContents
) -> list[tuple[range, str]]:
    """Inflate and check each file within the limits, adding to ``contents``; returns where each one's data lies."""
    spans, budget = [], limits.total_bytes
    for entry in files:
        refusal = _refusal(entry, limits.kept_bytes if entry.filename == keep else limits.member_bytes, limits)
        if not refusal and entry.file_size > budget:
            total = f"{limits.total_bytes:,} bytes in all"
            contents.problems.append(f"{entry.filename}: the package inflates to over {total}; not read from here on")
            break
        if refusal:
            contents.problems.append(f"{entry.filename}: {refusal}")
            continue
        budget -= entry.file_size
        data, span, problem = _read_entry(stream, entry, keep=entry.filename == keep)
        spans.append((span, entry.filename))
        if problem:
            contents.problems.append(f"{entry.filename}: {problem}")
        elif data is not None:
            contents.kept = data
    return spans


def _refusal(entry: zipfile.ZipInfo, size_limit: int, limits: ZipLimits) -> str | None:
    """Why ``entry`` is not inflated at all, judged from its header alone."""
    if entry.flag_bits & 0x1:
        return "encrypted; an LMS cannot unpack it (not read)"
    if entry.compress_type not in (STORED, DEFLATED):
        return f"compression method {entry.compress_type}; only stored and deflated files unpack everywhere (not read)"
    if entry.file_size > size_limit:
        return f"inflates to {entry.file_size:,} bytes, over the {size_limit:,}-byte limit for this file (not read)"
    if entry.file_size > max(limits.ratio_exempt_bytes, limits.ratio * entry.compress_size):
        ratio = entry.file_size // max(entry.compress_size, 1)
        return f"compressed {ratio:,}:1, beyond {limits.ratio}:1: how zip bombs are made (not read)"
    return None


def _read_entry(stream: BinaryIO, entry: zipfile.ZipInfo, keep: bool) -> tuple[bytes | None, range, str | None]:
    """Inflate ``entry`` chunk by chunk and check it: (its bytes if kept, where its data lies, a problem or None)."""
    span = range(entry.header_offset, entry.header_offset)
    try:
        start = _data_start(stream, entry)
        span = range(entry.header_offset, start + entry.compress_size)
        pieces = _inflate(_raw_chunks(stream, start, entry.compress_size), entry.compress_type)
        return _checked(pieces, entry, keep), span, None
    except _Corrupt as exc:
        return None, span, f"corrupt: {exc}"
    except zlib.error as exc:
        return None, span, f"corrupt: the compressed data is invalid ({exc})"
    except OSError as exc:
        return None, span, f"cannot be read ({exc.strerror or exc})"


def _data_start(stream: BinaryIO, entry: zipfile.ZipInfo) -> int:
    if entry.header_offset < 0:  # zipfile derives offsets from the directory's position, which may lie
        raise _Corrupt("its local header is missing")
    stream.seek(entry.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise _Corrupt("its local header is missing")
    name_length: int  # struct's results are untyped; both are "H" fields, so ints
    extra_length: int
    _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    encoding = "utf-8" if entry.flag_bits & 0x800 else "cp437"
    if stream.read(name_length) != entry.orig_filename.encode(encoding, "replace"):
        raise _Corrupt("its local header names another file (unzip tools disagree on what it holds)")
    return entry.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _raw_chunks(stream: BinaryIO, start: int, size: int) -> Iterator[bytes]:
    stream.seek(start)
    while size > 0:
        chunk = stream.read(min(CHUNK, size))
        if not chunk:
            raise _Corrupt("the zip file ends inside its data")
        size -= len(chunk)
        yield chunk


def _inflate(chunks: Iterator[bytes], method: int) -> Iterator[bytes]:
    """The member's bytes, at most ``CHUNK`` at a time however well the data compresses."""
    if method == STORED:
        yield from chunks
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as zip stores it
    for chunk in chunks:
        data = chunk
        while not inflater.eof:
            piece = inflater.decompress(data, CHUNK)
            yield piece
            data = inflater.unconsumed_tail
            if not data and len(piece) < CHUNK:
                break  # this chunk is used up (a full piece may leave more output pending: ask again)
        if inflater.eof and (data or inflater.unused_data):
            raise _Corrupt("data follows the end of its compressed stream")
    if not inflater.eof:
        raise _Corrupt("its compressed stream stops before its end")


def _checked(pieces: Iterator[bytes], entry: zipfile.ZipInfo, keep: bool) -> bytes | None:
    """Count and CRC ``pieces`` against the header, stopping as soon as they pass the declared size."""
    size, crc, kept = 0, 0, []
    for piece in pieces:
        size += len(piece)
        if size > entry.file_size:
            raise _Corrupt(f"inflates to more than the {entry.file_size:,} bytes its header declares")
        crc = zlib.crc32(piece, crc)
        if keep:
            kept.append(piece)
    if size != entry.file_size:
        raise _Corrupt(f"inflates to {size:,} bytes, not the {entry.file_size:,} its header declares")
    if crc != entry.CRC:
        raise _Corrupt("its CRC does not match its data")
    return b"".join(kept) if keep else None


def overlap_problems(spans: Iterable[tuple[range, str]]) -> list[str]:
    """Entries whose data lies inside another's: the trick behind the worst zip bombs."""
    ordered = sorted(spans, key=lambda item: (item[0].start, item[0].stop))
    return [
        f"{name}: its data overlaps another entry's (a zip bomb trick)"
        for (previous, _), (span, name) in zip(ordered, ordered[1:], strict=False)
        if span.start < previous.stop
    ]
