"""Bad input to a handler: a readable message, the right status, and the learner's state unchanged."""

import pytest
from xblock.field_data import DictFieldData
from xblock_runtime import call, make_block, reflection, state_of, submission

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
SCENARIOS = LESSON.quiz.scenarios
RATINGS = LESSON.quiz.ratings.items

GOOD = submission()
FIRST = SCENARIOS[0].id
BAD_QUIZ = [
    ("malformed JSON", b"{answers:", "not valid JSON"),
    ("not an object", ["answers"], "must be a JSON object"),
    ("missing answers", {"ratings": GOOD["ratings"]}, "Missing field 'answers'"),
    ("answers not an object", {**GOOD, "answers": "a"}, "Field 'answers' must be an object"),
    ("unknown item", {**GOOD, "answers": {**GOOD["answers"], "nope": "a"}}, "Unknown scenario item 'nope'"),
    ("unknown option", {**GOOD, "answers": {**GOOD["answers"], FIRST: "z"}}, f"Unknown option 'z' for item '{FIRST}'"),
    ("option wrong type", {**GOOD, "answers": {**GOOD["answers"], FIRST: 1}}, "Unknown option '1'"),
    ("unanswered item", {**GOOD, "answers": {FIRST: "a"}}, "Answer every scenario item before submitting"),
    ("rating too high", {**GOOD, "ratings": {**GOOD["ratings"], RATINGS[0].id: 6}}, "whole number from 1 to 5"),
    ("rating zero", {**GOOD, "ratings": {**GOOD["ratings"], RATINGS[0].id: 0}}, "whole number from 1 to 5"),
    ("rating as text", {**GOOD, "ratings": {**GOOD["ratings"], RATINGS[0].id: "3"}}, "whole number from 1 to 5"),
    ("rating as boolean", {**GOOD, "ratings": {**GOOD["ratings"], RATINGS[0].id: True}}, "whole number from 1 to 5"),
    ("unknown rating", {**GOOD, "ratings": {**GOOD["ratings"], "nope": 3}}, "Unknown rating item 'nope'"),
    ("unrated statement", {**GOOD, "ratings": {RATINGS[0].id: 3}}, "Rate every statement before submitting"),
]
BAD_SAVE = [
    ("malformed JSON", b"\xff\xfe", "not valid JSON"),
    ("not an object", "hello", "must be a JSON object"),
    ("unknown kind", {"kind": "notes", "values": {}}, "Field 'kind' must be 'reflection' or 'action_plan'"),
    ("missing values", {"kind": "action_plan"}, "Missing field 'values'"),
    ("values not an object", {"kind": "action_plan", "values": ["x"]}, "Field 'values' must be an object"),
    ("unknown field", {"kind": "action_plan", "values": {"roles_today": "x"}}, "Unknown field 'roles_today'"),
    ("text not a string", {"kind": "reflection", "values": {"roles_today": 5}}, "must be a string"),
    ("text too long", reflection(2001), "too long: 2001 characters, at most 2000"),
    ("plan text too long", {"kind": "action_plan", "values": {"first_step": "x" * 301}}, "at most 300"),
]

# A draft may be incomplete, but every id and value in it is checked like a submission.
BAD_DRAFT = [(n, p, m) for n, p, m in BAD_QUIZ if n not in ("unanswered item", "unrated statement")]
BAD = (
    [("submit_quiz", *case) for case in BAD_QUIZ]
    + [("save_answers", *case) for case in BAD_DRAFT]
    + [("save_text", *case) for case in BAD_SAVE]
)


@pytest.mark.parametrize(
    ("handler", "payload", "message"),
    [(handler, payload, message) for handler, _, payload, message in BAD],
    ids=[f"{handler}-{name}" for handler, name, _, _ in BAD],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(handler, payload, message):
    data = DictFieldData({})
    call(make_block(data), "save_text", {"kind": "reflection", "values": {"roles_today": "kept"}})
    before = state_of(data)
    block = make_block(data)
    status, body = call(block, handler, payload)
    assert status == 400
    assert message in body["error"]
    assert state_of(data) == before
    assert block.runtime.published == []


@pytest.mark.parametrize("handler", ["submit_quiz", "save_answers", "save_text"])
def test_handlers_only_accept_post(handler):
    status, body = call(make_block(), handler, b"", method="GET")
    assert status == 405
    assert "POST" in body["error"]
