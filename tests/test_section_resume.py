"""The block remembers the section a learner opened and reopens it; the handler takes only the lesson's sections."""

import pytest
from xblock.field_data import DictFieldData
from xblock_runtime import call, learner_data, make_block, state_of

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.module_view import sections

SECTION_IDS = [section["id"] for section in sections(load_builtin_lesson())]


def test_the_section_a_learner_opens_is_where_their_next_visit_starts():
    data = DictFieldData({})
    assert learner_data(make_block(data))["section"] == ""
    assert call(make_block(data), "save_section", {"section": "reflection"}) == (200, {"section": "reflection"})
    assert learner_data(make_block(data))["section"] == "reflection"
    assert learner_data(make_block(DictFieldData({})))["section"] == "", "another learner starts at the beginning"


@pytest.mark.parametrize("body", [{"section": "nowhere"}, {"section": 3}, {"section": None}, {}, ["quiz"], "quiz"])
def test_anything_but_one_of_the_lesson_sections_is_refused_and_nothing_is_stored(body):
    data = DictFieldData({})
    before = state_of(data)
    status, answer = call(make_block(data), "save_section", body)
    assert status == 400
    assert answer["error"]
    assert state_of(data) == before


def test_a_stored_section_the_lesson_no_longer_has_is_not_reopened():
    assert learner_data(make_block(DictFieldData({"section": "dim-gone"})))["section"] == ""
    assert learner_data(make_block(DictFieldData({"section": ["quiz"]})))["section"] == ""


def test_every_section_can_be_stored_and_the_page_is_told_the_pass_mark():
    data = DictFieldData({"pass_threshold": 80})
    for section in SECTION_IDS:
        assert call(make_block(data), "save_section", {"section": section})[0] == 200
    assert learner_data(make_block(data))["passMark"] == 80


def test_preview_stores_no_section():
    block = make_block(DictFieldData({}), user_id=None)
    assert call(block, "save_section", {"section": "quiz"})[0] == 403
