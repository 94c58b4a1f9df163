"""The learner view's per-request shortcuts give what the long way gives (``runtime/block.py``, ``base.py``).

The view keeps each block's module markup and its download links' HTML, asks the language and the staff flag
once, and reads the learner's fields from the field data without XBlock's bookkeeping. None of that may change
what a learner gets: the same state for every stored shape, the same page whether or not a cache is warm, each
block its own DOM prefix, each language its own links.
"""

import pytest
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, html_of, make_block

from leadmanage_xblock.core import module_view
from leadmanage_xblock.core.learner_work import LearnerState
from leadmanage_xblock.core.module_view import dom_prefix
from leadmanage_xblock.core.rendering import translations_for
from leadmanage_xblock.runtime import downloads
from leadmanage_xblock.runtime.base import USER_STATE_FIELDS
from leadmanage_xblock.runtime.block import LeadManageXBlock

STORED_SHAPES = [
    {},
    {"answers": {"s1": "a"}, "ratings": {"r1": 3}, "attempts": 2, "completed": True, "section": "quiz"},
    {"reflection": {"p1": "text"}, "plan": {"f1": "old plan"}, "revisions": {"reflection:p1": 2}},
    {"draft": {"answers": {"s1": "b"}, "ratings": {}}, "timestamps": {"quiz": "2026-01-01T00:00:00Z"}},
    # What XBlock refuses to read or converts: a Dict holding a list, an Integer of letters or of digits, a
    # Boolean as text, a section with a character XML cannot hold.
    {"answers": ["s1"], "attempts": "abc", "completed": "true", "section": "quiz\x00"},
    {"attempts": "3", "ratings": "not a dict", "revisions": None, "section": 7},
]


def state_the_long_way(block) -> LearnerState:
    """The learner's state read field by field through XBlock, as the block read it before."""

    def read(name: str) -> object:
        try:
            return getattr(block, name)
        except (TypeError, ValueError):
            return None

    return LearnerState.from_stored({name: read(name) for name in USER_STATE_FIELDS})


@pytest.mark.parametrize("stored", STORED_SHAPES)
def test_the_learner_state_is_what_xblock_reads(stored):
    assert make_block(DictFieldData(dict(stored))).learner_state() == state_the_long_way(
        make_block(DictFieldData(dict(stored)))
    )


def test_a_field_this_request_set_is_read_as_set():
    block = make_block(answers={"s1": "a"}, attempts=1)
    block.answers = {"s1": "b"}
    block.attempts = 2
    state = block.learner_state()
    assert (state.answers, state.attempts) == ({"s1": "b"}, 2)


def test_reading_the_state_leaves_nothing_to_save():
    data = DictFieldData({})
    block = make_block(data)
    block.learner_state()
    block.save()
    assert data._data == {}  # noqa: SLF001 (no public accessor)


def test_the_page_is_the_same_with_the_caches_cold_or_warm():
    warm = html_of(make_block())
    module_view._cache.clear()  # noqa: SLF001 (the cache under test)
    downloads.links_html.cache_clear()
    assert html_of(make_block()) == warm


def test_each_block_gets_its_own_dom_prefix():
    first, second = html_of(make_block(usage_id="usage-a")), html_of(make_block(usage_id="usage-b"))
    assert dom_prefix("usage-a") in first
    assert dom_prefix("usage-b") not in first
    assert dom_prefix("usage-b") in second
    assert dom_prefix("usage-a") not in second


def test_a_changed_setting_changes_the_kept_markup():
    assert 'data-min-reflection="100"' in html_of(make_block(usage_id="usage-c"))
    assert 'data-min-reflection="250"' in html_of(make_block(usage_id="usage-c", min_reflection_length=250))


def test_the_download_links_follow_the_language(monkeypatch):
    english = html_of(block_for())
    monkeypatch.setattr(LeadManageXBlock, "language", lambda self: "es")
    spanish = html_of(block_for())
    assert "Download my workbook (PDF)" in english
    assert "Download my workbook (PDF)" not in spanish
    assert translations_for("es").gettext("Download my workbook (PDF)") in spanish


def test_staff_get_their_links_and_the_cohort_panel_and_learners_neither():
    staff, learner = html_of(block_for(staff=True)), html_of(block_for())
    assert "Download SCORM package" in staff
    assert "lm-cohort" in staff
    assert "Download SCORM package" not in learner
    assert "lm-cohort" not in learner
