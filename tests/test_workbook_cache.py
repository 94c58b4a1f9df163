"""Workbooks cached by content key in Django's storage: a FileSystemStorage in a temporary folder, as the LMS has it."""

from datetime import UTC, datetime, timedelta

import pytest
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import body_text, render, squash

from leadmanage_xblock.core.workbook_key import WorkbookVariant, lesson_hash, work_hash, workbook_key

VARIANT = WorkbookVariant(edition="learner", paper="a4", language="en")


@pytest.fixture
def cache(lms_django, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from leadmanage_xblock.runtime.workbook_cache import WorkbookCache

    return WorkbookCache(FileSystemStorage(location=str(tmp_path)))


def key_for(lesson, learner: LearnerRecord) -> str:
    return workbook_key(lesson_hash(lesson), VARIANT, work_hash(learner, learner.display_name))


def never_render() -> bytes:
    pytest.fail("the workbook was rendered again")


def test_a_second_request_for_the_same_content_is_served_from_storage_without_rendering(
    cache, minimal_lesson, tmp_path
):
    ana = LearnerRecord("ana", full_name="Ana García")
    first = cache.get_or_render(key_for(minimal_lesson, ana), lambda: render(minimal_lesson, ana))
    assert squash("Prepared for Ana García") in body_text(first)
    stored = list(tmp_path.glob("leadmanage/workbooks/*/*.pdf"))
    assert [path.name for path in stored] == [f"{key_for(minimal_lesson, ana)}.pdf"]
    assert cache.get_or_render(key_for(minimal_lesson, ana), never_render) == first


def test_changed_work_is_a_new_entry_and_the_old_one_stays_valid(cache, minimal_lesson, tmp_path):
    ana = LearnerRecord("ana", full_name="Ana García")
    renamed = LearnerRecord("ana", full_name="Ana G. Pérez")
    cache.get_or_render(key_for(minimal_lesson, ana), lambda: render(minimal_lesson, ana))
    data = cache.get_or_render(key_for(minimal_lesson, renamed), lambda: render(minimal_lesson, renamed))
    assert squash("Prepared for Ana G. Pérez") in body_text(data)
    assert len(list(tmp_path.glob("leadmanage/workbooks/*/*.pdf"))) == 2


def test_a_partly_written_entry_counts_as_missing_and_is_replaced(cache, minimal_lesson, tmp_path):
    from leadmanage_xblock.runtime.workbook_cache import entry_name

    ana = LearnerRecord("ana")
    key = key_for(minimal_lesson, ana)
    complete = render(minimal_lesson, ana)
    partial = tmp_path / entry_name(key)
    partial.parent.mkdir(parents=True)
    partial.write_bytes(complete[: len(complete) // 2])  # a writer that died half way
    assert cache.get(key) is None
    assert cache.get_or_render(key, lambda: complete) == complete
    assert partial.read_bytes() == complete
    assert len(list(partial.parent.iterdir())) == 1, "no second copy under another name"


def test_entries_older_than_a_moment_are_removed_and_newer_ones_kept(cache, minimal_lesson, tmp_path):
    ana = LearnerRecord("ana")
    key = key_for(minimal_lesson, ana)
    cache.put(key, render(minimal_lesson, ana))
    assert cache.remove_older_than(datetime.now(UTC) - timedelta(days=1)) == 0
    assert cache.get(key) is not None
    assert cache.remove_older_than(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert cache.get(key) is None
    assert cache.get_or_render(key, lambda: b"%PDF-1.7\n%%EOF\n") == b"%PDF-1.7\n%%EOF\n"
