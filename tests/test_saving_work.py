"""A learner's work is kept: texts save and merge, unsubmitted choices come back, a reload restores everything."""

import re

from xblock.field_data import DictFieldData
from xblock_runtime import call, learner_data, make_block, state_of, submission

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
SCENARIOS = LESSON.quiz.scenarios
RATINGS = LESSON.quiz.ratings.items
GOOD = submission()
FIRST = SCENARIOS[0].id


def test_save_returns_the_time_and_merges_fields():
    data = DictFieldData({})
    status, body = call(make_block(data), "save_text", {"kind": "action_plan", "values": {"first_step": "one"}})
    assert status == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["saved_at"])
    call(make_block(data), "save_text", {"kind": "action_plan", "values": {"by_when": "Friday"}})
    assert make_block(data).action_plan == {"first_step": "one", "by_when": "Friday"}


def test_reload_restores_answers_ratings_texts_and_results():
    data = DictFieldData({})
    sent = submission(correct=9, rating=4)
    assert call(make_block(data), "submit_quiz", sent)[0] == 200
    call(make_block(data), "save_text", {"kind": "action_plan", "values": {"first_step": "Book a 1:1 & <agree> goals"}})
    restored = learner_data(make_block(data))
    assert restored["state"]["answers"] == sent["answers"]
    assert restored["state"]["ratings"] == sent["ratings"]
    assert restored["state"]["action_plan"] == {"first_step": "Book a 1:1 & <agree> goals"}
    assert restored["results"]["score"] == {"correct": 9, "total": 12, "percent": 75, "passed": True}
    assert restored["results"]["items"][SCENARIOS[0].id]["explanations"]["a"] == SCENARIOS[0].options[0].explanation
    assert restored["quiz"] == {"closedMessage": "", "attemptsLeft": None, "nextAttempt": 2}


def test_unsubmitted_choices_come_back_and_submitting_replaces_them():
    data = DictFieldData({})
    partial = {"answers": {FIRST: "c"}, "ratings": {RATINGS[0].id: 5}}
    status, body = call(make_block(data), "save_answers", partial)
    assert status == 200
    assert "saved_at" in body
    block = make_block(data)
    assert learner_data(block)["state"]["answers"] == {FIRST: "c"}
    assert learner_data(block)["state"]["ratings"] == {RATINGS[0].id: 5}
    assert block.runtime.published == [], "a draft is neither graded nor tracked"
    call(make_block(data), "submit_quiz", GOOD)
    assert learner_data(make_block(data))["state"]["answers"] == GOOD["answers"]


def test_once_the_quiz_is_closed_no_draft_is_kept_and_the_submitted_answers_show():
    data = DictFieldData({"max_attempts": 1})
    call(make_block(data), "save_answers", {"answers": {FIRST: "c"}, "ratings": {}})  # draft while still open
    assert call(make_block(data), "submit_quiz", GOOD)[0] == 200
    before = state_of(data)
    status, body = call(make_block(data), "save_answers", {"answers": {FIRST: "a"}, "ratings": {}})
    assert status == 409
    assert body["error"] == "You have used every attempt."
    assert state_of(data) == before
    assert learner_data(make_block(data))["state"]["answers"] == GOOD["answers"]
