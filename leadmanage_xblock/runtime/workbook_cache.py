"""Rendered workbooks kept in the platform's storage under their content key, so identical content is rendered once.

The key (``core.workbook_key``) names everything that changes a workbook, so an entry never goes stale: an
edited answer or lesson, another paper or a new package version is another key. Entries live in Django's
storage (``default_storage`` unless another is given: the file system or S3, as the platform configures it)
under ``leadmanage/workbooks/<first two characters of the key>/<key>.pdf``; the two-character folders keep a
file system's folders small, and an S3 lifecycle rule on the ``leadmanage/workbooks/`` prefix can expire them.
``remove_older_than`` does the same for any storage (from a periodic task or by hand).

Storage has no atomic rename: a file system storage writes the final name as it goes. A workbook is a PDF,
which ends with ``%%EOF``, so an entry that does not is one still being written (or cut short) and counts as
missing; two processes that store the same key at once leave one entry, as either's bytes are the workbook.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

log = logging.getLogger(__name__)
PREFIX = "leadmanage/workbooks"
#: What every complete PDF ends with (before an optional end-of-line); an incomplete one does not.
PDF_END = b"%%EOF"


def entry_name(key: str) -> str:
    """Where the workbook with content key ``key`` is stored."""
    return f"{PREFIX}/{key[:2]}/{key}.pdf"


class WorkbookCache:
    """Workbooks by content key in a Django storage."""

    def __init__(self, storage: Storage | None = None) -> None:
        """Use ``storage`` (default: the platform's ``default_storage``)."""
        self.storage = storage or default_storage

    def get(self, key: str) -> bytes | None:
        """The stored workbook ``key``, or ``None`` when there is none (or only a partly written one)."""
        name = entry_name(key)
        if not self.storage.exists(name):
            return None
        with self.storage.open(name, "rb") as stored:
            data = stored.read()
        return data if data.rstrip().endswith(PDF_END) else None

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` as the workbook ``key`` (kept as it is if a complete one is there already)."""
        name = entry_name(key)
        if self.get(key) is not None:
            return
        if self.storage.exists(name):  # an incomplete entry: a writer that died, never one to keep
            self.storage.delete(name)
        saved = self.storage.save(name, ContentFile(data))
        if saved != name:  # another process stored it first; storage gave ours a new name: drop the copy
            self.storage.delete(saved)

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> bytes:
        """The workbook ``key`` from storage, rendered (by ``render``) and stored first if it is not there."""
        data = self.get(key)
        if data is None:
            data = render()
            self.put(key, data)
        return data

    def remove_older_than(self, moment: datetime) -> int:
        """Delete the entries last written before ``moment`` (time-zone aware when ``USE_TZ``); returns how many."""
        try:
            folders = self.storage.listdir(PREFIX)[0]
        except FileNotFoundError:  # nothing was ever stored
            return 0
        removed = 0
        for folder in folders:
            for file_name in self.storage.listdir(f"{PREFIX}/{folder}")[1]:
                name = f"{PREFIX}/{folder}/{file_name}"
                if self.storage.get_modified_time(name) < moment:
                    self.storage.delete(name)
                    removed += 1
        return removed


class ForgivingWorkbookCache(WorkbookCache):
    """The cache a web request uses: storage that fails (a full disk, S3 down) is logged and the file rendered.

    A learner asking for their workbook should get it whether or not it could be kept; the storage backends
    raise their own kinds of errors (``OSError``, botocore's), so any error counts as a miss or a skipped write.
    """

    def get(self, key: str) -> bytes | None:
        """The stored workbook, or ``None`` when there is none or the storage cannot be read."""
        try:
            return super().get(key)
        except Exception:  # noqa: BLE001 (see the class docstring)
            log.warning("LeadManage: cannot read cached workbook %s; rendering it", key, exc_info=True)
            return None

    def put(self, key: str, data: bytes) -> None:
        """Keep the workbook if the storage takes it."""
        try:
            super().put(key, data)
        except Exception:  # noqa: BLE001 (see the class docstring)
            log.warning("LeadManage: cannot store workbook %s; it will be rendered again", key, exc_info=True)
