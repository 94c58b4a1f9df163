"""Submitting the quiz: the grade and results, completion, tracking events, due dates and attempts."""

from datetime import UTC, datetime

import pytest
from xblock.field_data import DictFieldData
from xblock_runtime import call, html_of, learner_data, make_block, past, reflection, state_of, submission

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
SCENARIOS = LESSON.quiz.scenarios


def test_submit_publishes_the_grade_and_returns_results():
    block = make_block(pass_threshold=70)
    status, results = call(block, "submit_quiz", submission(correct=9, rating=1))
    assert status == 200
    assert results["score"] == {"correct": 9, "total": 12, "percent": 75, "passed": True}
    assert block.runtime.events("grade") == [{"value": 9, "max_value": 12}]
    goals = results["dimensions"][0]
    assert goals["band"] == "leading"
    assert goals["lean"] == -1.0
    assert goals["guidance"] == LESSON.guidance_for("goals").leading
    assert results["items"][SCENARIOS[0].id]["explanations"]["a"] == SCENARIOS[0].options[0].explanation
    assert block.max_score() == 12


def test_hidden_explanations_still_show_right_and_wrong():
    status, results = call(make_block(show_explanations=False), "submit_quiz", submission())
    item = results["items"][SCENARIOS[0].id]
    assert status == 200
    assert item["correct_option"] == SCENARIOS[0].correct_option.id
    assert set(item["explanations"].values()) == {""}


def test_completion_needs_the_quiz_and_a_long_enough_reflection():
    data = DictFieldData({"min_reflection_length": 50})
    viewed = make_block(data)
    html_of(viewed)
    assert viewed.runtime.events("completion") == []
    quiz_only = make_block(data)
    call(quiz_only, "submit_quiz", submission())
    assert quiz_only.runtime.events("completion") == []
    short = make_block(data)
    call(short, "save_text", reflection(49))
    assert short.runtime.events("completion") == []
    enough = make_block(data)
    call(enough, "save_text", reflection(50))
    assert enough.runtime.events("completion") == [{"completion": 1.0}]
    again = make_block(data)
    call(again, "save_text", reflection(60))
    assert again.runtime.events("completion") == [], "completion is reported once"


def test_events_carry_ids_and_numbers_but_no_learner_text():
    block = make_block()
    call(block, "submit_quiz", submission())
    call(block, "save_text", {"kind": "reflection", "values": {"roles_today": "secret words"}})
    call(block, "save_text", {"kind": "action_plan", "values": {"first_step": "private plan"}})
    names = [name for name, _ in block.runtime.published if name.startswith("edx.")]
    assert names == [
        "edx.leadmanage.quiz.submitted",
        "edx.leadmanage.reflection.saved",
        "edx.leadmanage.action_plan.saved",
    ]
    assert block.runtime.events("edx.leadmanage.reflection.saved") == [
        {"lengths": {"roles_today": 12}, "total_length": 12}
    ]
    assert "secret" not in repr(block.runtime.published)
    assert "private" not in repr(block.runtime.published)
    with pytest.raises(ValueError, match="allow-listed"):
        block.track("edx.leadmanage.anything", {})


def test_open_block_accepts_a_submission_before_its_due_date():
    block = make_block(due=datetime(2999, 1, 1, tzinfo=UTC))
    assert learner_data(block)["quiz"]["closedMessage"] == ""
    assert call(block, "submit_quiz", submission())[0] == 200


def test_past_due_closes_the_quiz_but_not_the_reflection():
    data = DictFieldData({"due": past()})
    closed = learner_data(make_block(data))["quiz"]["closedMessage"]
    assert closed == "The due date has passed, so the quiz is closed. You can still save your reflection."
    before = state_of(data)
    status, body = call(make_block(data), "submit_quiz", submission())
    assert status == 409
    assert "due date has passed" in body["error"]
    assert state_of(data) == before
    assert call(make_block(data), "save_text", reflection(20))[0] == 200


def test_attempts_run_out():
    data = DictFieldData({"max_attempts": 2})
    assert call(make_block(data), "submit_quiz", submission(correct=3))[1]["attempts_left"] == 1
    assert call(make_block(data), "submit_quiz", submission(correct=5))[1]["attempts_left"] == 0
    before = state_of(data)
    status, body = call(make_block(data), "submit_quiz", submission())
    assert (status, body["error"]) == (409, "You have used every attempt.")
    assert state_of(data) == before
    assert learner_data(make_block(data))["quiz"] == {
        "closedMessage": "You have used every attempt.",
        "attemptsLeft": 0,
        "nextAttempt": 3,
    }
