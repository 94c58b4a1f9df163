"""Rendered workbooks kept by content key in a batch's output folder, shared by the submitter and every worker.

Layout, inside ``--out-dir`` (a folder every machine mounts at the same path)::

    .leadmanage-cache/<content key>.pdf          a rendered workbook, written once, atomically, never changed
    .leadmanage-cache/<content key>.deliveries   one line per time a worker started on it (removed when done)
    .leadmanage-cache/lessons/<lesson hash>.yaml the lesson the workers read
    <username>.pdf                               the learner's file: a hard link to its cached workbook

Because a key names its content, writing the same key twice writes the same bytes: a task that runs again
(a redelivery after a worker died, a re-submitted batch) is harmless and, once the file exists, renders
nothing. A learner's file is put in place by linking under a hidden temporary name and renaming, so a reader
never sees half a file; where the file system has no hard links the bytes are copied the same way.
Deleting ``.leadmanage-cache`` frees the cache; the learners' files stay.
"""

import errno
import os
import secrets
from pathlib import Path

from .files import OutputError, describe_os_error, write_atomically

CACHE_DIR = ".leadmanage-cache"
#: Hard links fail with these where a file system (or a mount between two) has none: copy instead.
NO_LINKS = frozenset({errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.EOPNOTSUPP})


class WorkbookStore:
    """The workbooks of one output folder, by content key, and the learners' files linked to them."""

    def __init__(self, out_dir: Path) -> None:
        """Use ``out_dir`` (created and checked by the caller); the cache folder is made on first write."""
        self.out_dir, self.cache = out_dir, out_dir / CACHE_DIR

    def cached(self, key: str) -> Path:
        """Where the workbook with content key ``key`` is (or will be) kept."""
        return self.cache / f"{key}.pdf"

    def has(self, key: str) -> bool:
        """Whether the workbook with content key ``key`` has been rendered (it is complete once it exists)."""
        return self.cached(key).is_file()

    def save(self, key: str, data: bytes) -> None:
        """Keep ``data`` as the workbook with content key ``key``.

        Raises:
            OutputError: it could not be written (the cause in words); nothing is left under its name.
        """
        self.cache.mkdir(exist_ok=True)
        write_atomically(self.cached(key), data)

    def publish(self, key: str, filename: str) -> Path:
        """Put the cached workbook ``key`` in place as ``filename`` in the output folder; returns its path.

        Raises:
            OutputError: the file could not be put there (a folder in its place, a full disk...).
        """
        source, target = self.cached(key), self.out_dir / filename
        if target.is_file() and os.path.samefile(source, target):
            return target  # already this workbook: leave it (and its time stamp) alone
        temporary = self.out_dir / f".{filename}.{secrets.token_hex(4)}.part"
        try:
            os.link(source, temporary)
        except OSError as exc:
            if exc.errno not in NO_LINKS:
                raise OutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
            write_atomically(target, source.read_bytes())
            return target
        try:
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        return target

    def note_delivery(self, key: str, worker: str) -> int:
        """Record that ``worker`` starts on ``key``; returns how many times a worker had started on it before.

        One short append per start: appends are atomic, so workers on any machine can share the file.
        """
        self.cache.mkdir(exist_ok=True)
        path = self.cache / f"{key}.deliveries"
        with path.open("a+", encoding="utf-8") as record:
            record.seek(0)
            before = len(record.read().splitlines())
            record.write(f"{worker}\n")
        return before

    def forget_deliveries(self, key: str) -> None:
        """The workbook ``key`` is done: its deliveries no longer matter."""
        (self.cache / f"{key}.deliveries").unlink(missing_ok=True)

    def save_lesson(self, digest: str, text: str) -> None:
        """Keep the lesson's YAML ``text`` under its content hash, for the workers to read."""
        path = self.lesson_path(digest)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, text.encode("utf-8"))

    def lesson_path(self, digest: str) -> Path:
        """Where the lesson with content hash ``digest`` is kept."""
        return self.cache / "lessons" / f"{digest}.yaml"
