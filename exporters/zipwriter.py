"""Deterministic zip archives: the same files always give the same bytes.

Entries are sorted, every timestamp is the same (``SOURCE_DATE_EPOCH`` when set, as reproducible
builds expect), permissions are fixed and names must be relative ASCII paths, so an archive can be
compared byte for byte across runs and machines and unpacks safely everywhere.
"""

import io
import os
import time
import zipfile
from collections.abc import Mapping

from .base import ExportError

#: 1980-01-01 00:00:00 UTC, the earliest time a zip entry can hold (the default when no epoch is set).
ZIP_EPOCH = 315532800
_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--


def source_date() -> tuple[int, int, int, int, int, int]:
    """The timestamp written on every entry: ``SOURCE_DATE_EPOCH`` (UTC) or 1980-01-01.

    Raises:
        ExportError: ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        seconds = int(raw) if raw else ZIP_EPOCH
    except ValueError:
        raise ExportError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {raw!r}") from None
    return time.gmtime(max(seconds, ZIP_EPOCH))[:6]


def check_entry_name(name: str) -> None:
    """Refuse names that would unpack outside the package folder or break on some systems.

    Raises:
        ExportError: the name is absolute, climbs with ``..``, uses backslashes or is not ASCII.
    """
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or ".." in parts or "" in parts:
        raise ExportError(f"unsafe file name in package: {name!r}")
    if not name.isascii():
        raise ExportError(f"file names in a package must be ASCII: {name!r}")


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """Zip ``files`` (archive name to content) with sorted entries and fixed metadata."""
    stamp = source_date()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            check_entry_name(name)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _FILE_MODE
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
