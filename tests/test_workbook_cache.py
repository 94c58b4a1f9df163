"""Workbooks cached by content key in Django's storage, as the LMS configures it: the file system, or S3.

S3 is django-storages' ``S3Storage`` (what the platform uses) talking HTTP to an S3-compatible server
(moto's, started by the tests on a loopback port).
"""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import body_text, render, squash
from s3_server import running_s3, s3_storage

from leadmanage_xblock.core.workbook_key import WorkbookVariant, lesson_hash, work_hash, workbook_key

VARIANT = WorkbookVariant(edition="learner", paper="a4", language="en")


BUCKETS = (f"workbooks-{number}" for number in itertools.count())


@pytest.fixture(scope="module")
def s3_endpoint():
    with running_s3() as endpoint:
        yield endpoint


@pytest.fixture(params=["file system", "S3"])
def cache(request, lms_django, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from leadmanage_xblock.runtime.workbook_cache import WorkbookCache

    if request.param == "S3":
        return WorkbookCache(s3_storage(request.getfixturevalue("s3_endpoint"), next(BUCKETS)))
    return WorkbookCache(FileSystemStorage(location=str(tmp_path)))


def stored(cache) -> list[str]:
    """The names of every stored entry, under the cache's prefix."""
    from leadmanage_xblock.runtime.workbook_cache import PREFIX

    storage = cache.storage
    try:
        folders = storage.listdir(PREFIX)[0]
    except FileNotFoundError:  # the file system has no folder until the first entry; S3 has no folders at all
        return []
    return sorted(
        f"{PREFIX}/{folder}/{name}" for folder in folders for name in storage.listdir(f"{PREFIX}/{folder}")[1]
    )


def key_for(lesson, learner: LearnerRecord) -> str:
    return workbook_key(lesson_hash(lesson), VARIANT, work_hash(learner, learner.display_name))


def never_render() -> bytes:
    pytest.fail("the workbook was rendered again")


def test_a_second_request_for_the_same_content_is_served_from_storage_without_rendering(cache, minimal_lesson):
    from leadmanage_xblock.runtime.workbook_cache import entry_name

    ana = LearnerRecord("ana", full_name="Ana García")
    first = cache.get_or_render(key_for(minimal_lesson, ana), lambda: render(minimal_lesson, ana))
    assert squash("Prepared for Ana García") in body_text(first)
    assert stored(cache) == [entry_name(key_for(minimal_lesson, ana))]
    assert cache.get_or_render(key_for(minimal_lesson, ana), never_render) == first


def test_changed_work_is_a_new_entry_and_the_old_one_stays_valid(cache, minimal_lesson):
    ana = LearnerRecord("ana", full_name="Ana García")
    renamed = LearnerRecord("ana", full_name="Ana G. Pérez")
    cache.get_or_render(key_for(minimal_lesson, ana), lambda: render(minimal_lesson, ana))
    data = cache.get_or_render(key_for(minimal_lesson, renamed), lambda: render(minimal_lesson, renamed))
    assert squash("Prepared for Ana G. Pérez") in body_text(data)
    assert len(stored(cache)) == 2


def test_a_partly_written_entry_counts_as_missing_and_is_replaced(cache, minimal_lesson):
    from django.core.files.base import ContentFile

    from leadmanage_xblock.runtime.workbook_cache import entry_name

    ana = LearnerRecord("ana")
    key = key_for(minimal_lesson, ana)
    complete = render(minimal_lesson, ana)
    cache.storage.save(entry_name(key), ContentFile(complete[: len(complete) // 2]))  # a writer that died half way
    assert cache.get(key) is None
    assert cache.get_or_render(key, lambda: complete) == complete
    with cache.storage.open(entry_name(key), "rb") as entry:
        assert entry.read() == complete
    assert stored(cache) == [entry_name(key)], "no second copy under another name"


def test_entries_older_than_a_moment_are_removed_and_newer_ones_kept(cache, minimal_lesson):
    ana = LearnerRecord("ana")
    key = key_for(minimal_lesson, ana)
    cache.put(key, render(minimal_lesson, ana))
    assert cache.remove_older_than(datetime.now(UTC) - timedelta(days=1)) == 0
    assert cache.get(key) is not None
    assert cache.remove_older_than(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert cache.get(key) is None
    assert cache.get_or_render(key, lambda: b"%PDF-1.7\n%%EOF\n") == b"%PDF-1.7\n%%EOF\n"
