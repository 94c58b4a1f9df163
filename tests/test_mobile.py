"""Mobile apps and API clients: multi_device, the lesson without answer keys, and the learner's own state."""

import json

import pytest
from webob import Request
from xblock.field_data import DictFieldData
from xblock_runtime import call, make_block

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.runtime.block import LeadManageXBlock

LESSON = load_builtin_lesson()
STATE_KEYS = {"answers", "ratings", "reflection", "action_plan", "attempts", "completed", "score", "section"}


def user_state(block, method="GET") -> tuple[int, dict]:
    response = block.handle("student_view_user_state", Request.blank("/", method=method))
    return response.status_code, json.loads(response.body)


def test_the_block_declares_multi_device_support():
    assert LeadManageXBlock.supports("multi_device")


def test_student_view_data_carries_the_lesson_but_no_answer_key_or_facilitator_notes():
    data = make_block(display_name="Mine").student_view_data()
    assert data["display_name"] == "Mine"
    assert data["lesson"]["title"] == LESSON.title
    assert len(data["lesson"]["quiz"]["scenarios"]) == len(LESSON.quiz.scenarios)
    options = [option for item in data["lesson"]["quiz"]["scenarios"] for option in item["options"]]
    assert {tuple(option) for option in options} == {("id", "text")}
    assert options[0]["text"] == LESSON.quiz.scenarios[0].options[0].text
    dumped = json.dumps(data, ensure_ascii=False)
    assert '"correct"' not in dumped
    assert '"explanation"' not in dumped
    assert '"facilitator"' not in dumped
    for item in LESSON.quiz.scenarios:
        for option in item.options:
            assert option.explanation not in dumped
    for note in LESSON.facilitator.answer_key_notes:
        assert note not in dumped


def test_student_view_data_is_the_same_for_every_learner_wherever_they_are():
    """student_view_data holds the lesson only: no learner's section or work.

    The platform collects it once per course, from blocks bound to no learner, and caches it for everyone
    (edx-platform's StudentViewTransformer.collect): a learner's state there would be nobody's, or the same for all.
    A learner's own state is in student_view_user_state.
    """
    data = DictFieldData({})
    call(make_block(data), "save_section", {"section": "reflection"})
    somewhere, new_learner = make_block(data).student_view_data(), make_block(DictFieldData({})).student_view_data()
    assert somewhere == new_learner
    assert set(somewhere) == {"display_name", "lesson"}


def test_user_state_has_the_hand_picked_fields_only():
    data = DictFieldData({})
    answers = {item.id: item.correct_option.id for item in LESSON.quiz.scenarios}
    ratings = {item.id: 3 for item in LESSON.quiz.ratings.items}
    call(make_block(data), "submit_quiz", {"answers": answers, "ratings": ratings})
    call(make_block(data), "save_text", {"kind": "action_plan", "values": {"first_step": "Ask the team"}})
    call(make_block(data), "save_answers", {"answers": {}, "ratings": {}})
    status, state = user_state(make_block(data))
    assert status == 200
    assert set(state) == STATE_KEYS
    assert state["answers"] == answers
    assert state["action_plan"] == {"first_step": "Ask the team"}
    assert state["attempts"] == 1
    assert state["completed"] is False
    assert state["score"] == {"correct": 12, "total": 12, "percent": 100, "passed": True}
    assert state["section"] == ""
    assert "timestamps" not in json.dumps(state)


def test_user_state_says_where_the_learner_left_off_so_an_app_reopens_there():
    data = DictFieldData({})
    call(make_block(data), "save_section", {"section": "reflection"})
    assert user_state(make_block(data))[1]["section"] == "reflection"
    data.set(make_block(data), "section", "a-section-an-author-removed")
    assert user_state(make_block(data))[1]["section"] == "", "only a section the lesson still has"


def test_user_state_before_any_work_is_empty_and_post_works_too():
    status, state = user_state(make_block(), method="POST")
    assert status == 200
    assert state == {
        "answers": {},
        "ratings": {},
        "reflection": {},
        "action_plan": {},
        "attempts": 0,
        "completed": False,
        "score": None,
        "section": "",
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_user_state_of_a_broken_lesson_is_a_readable_error(method):
    status, body = user_state(make_block(lesson_yaml="schema_version: 1\n"), method)
    assert status == 409
    assert "being updated by the course team" in body["error"]


def test_student_view_data_of_a_broken_lesson_is_empty_not_an_error():
    assert make_block(display_name="X", lesson_yaml="schema_version: 1\n").student_view_data() == {
        "display_name": "X",
        "lesson": None,
    }
