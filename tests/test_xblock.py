"""The XBlock in a real XBlock TestRuntime: views, state, grading, completion, events and handler input checks."""

import re
import subprocess
from datetime import UTC, datetime

import pytest
from fixture_paths import CONTENT
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, call, learner_data, make_block, past, state_of

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
SCENARIOS = LESSON.quiz.scenarios
RATINGS = LESSON.quiz.ratings.items


def submission(correct: int = len(SCENARIOS), rating: int = 2) -> dict:
    """Answers with the first ``correct`` items right and the rest wrong; every statement rated ``rating``."""
    answers = {}
    for index, item in enumerate(SCENARIOS):
        wrong = next(o.id for o in item.options if not o.correct)
        answers[item.id] = item.correct_option.id if index < correct else wrong
    return {"answers": answers, "ratings": {item.id: rating for item in RATINGS}}


def reflection(length: int) -> dict:
    return {"kind": "reflection", "values": {LESSON.prompt_ids[0]: "x" * length}}


def html_of(block) -> str:
    return block.render("student_view").content


# --- The view -------------------------------------------------------------------------------------------


def test_view_shows_the_whole_path_with_labelled_items():
    html = html_of(make_block())
    assert LESSON.introduction.title in html
    for dimension in LESSON.dimensions:
        assert dimension.takeaway in html
        assert dimension.leading.label in html
        assert dimension.managing.label in html
    assert html.count('<fieldset class="lm-item lm-scenario"') == len(SCENARIOS)
    assert html.count('<fieldset class="lm-item lm-rating"') == len(RATINGS)
    assert html.count("<textarea") == len(LESSON.prompt_ids) + len(LESSON.plan_field_ids)
    assert 'role="status"' in html
    assert "<svg" in html
    assert "lm-profile-table" in html


def test_view_gives_no_answer_key_before_submitting():
    html = html_of(make_block())
    assert "data-correct" not in html
    for option in SCENARIOS[0].options:
        assert option.explanation not in html


def test_two_blocks_get_different_dom_prefixes():
    first, second = html_of(make_block(usage_id="a")), html_of(make_block(usage_id="b"))
    prefix = re.search(r'data-prefix="([^"]+)"', first).group(1)
    assert prefix not in second
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids)), "every id is unique within a block"
    assert all(i.startswith(prefix) for i in ids)


def test_fragment_carries_shared_css_and_js_and_one_init_function():
    fragment = make_block().student_view()
    assert fragment.js_init_fn == "LeadManageXBlock"
    assert any("LeadManage.start" in r.data for r in fragment.resources if r.kind == "text")
    assert any(".lm-module" in r.data for r in fragment.resources if r.mimetype == "text/css")
    assert not any(r.kind == "url" and "//" in r.data for r in fragment.resources), "nothing from another host"


def test_reload_restores_answers_ratings_texts_and_results():
    data = DictFieldData({})
    sent = submission(correct=9, rating=4)
    assert call(make_block(data), "submit_quiz", sent)[0] == 200
    call(make_block(data), "save_text", {"kind": "plan", "values": {"first_step": "Book a 1:1 & <agree> goals"}})
    restored = learner_data(make_block(data))
    assert restored["state"]["answers"] == sent["answers"]
    assert restored["state"]["ratings"] == sent["ratings"]
    assert restored["state"]["plan"] == {"first_step": "Book a 1:1 & <agree> goals"}
    assert restored["results"]["score"] == {"correct": 9, "total": 12, "percent": 75, "passed": True}
    assert restored["results"]["items"][SCENARIOS[0].id]["explanations"]["a"] == SCENARIOS[0].options[0].explanation
    assert restored["quiz"] == {"closedMessage": "", "attemptsLeft": None, "nextAttempt": 2}


def test_markup_is_shared_and_the_learner_data_carries_the_rest():
    data = DictFieldData({})
    call(make_block(data), "save_text", {"kind": "reflection", "values": {"roles_today": "only mine"}})
    mine, fresh = html_of(make_block(data)), html_of(make_block(DictFieldData({})))
    strip = re.compile(r'<script type="application/json" class="lm-learner-data">.*?</script>')
    assert strip.sub("", mine) == strip.sub("", fresh)
    assert mine.count("only mine") == 1, "the text is sent once, in the learner data"
    assert learner_data(make_block(DictFieldData({})))["results"] is None


def test_author_and_learner_text_is_escaped():
    yaml_text = (CONTENT / "need_escaped.yaml").read_text(encoding="utf-8")
    data = DictFieldData({"lesson_yaml": yaml_text})
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    call(make_block(data), "save_text", {"kind": "reflection", "values": {"roles_today": hostile}})
    html = html_of(make_block(data))
    assert "<script>alert" not in html
    assert "<b>bold" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    own = make_block(data).student_view().content
    json_scripts = own.count('<script type="application/json"')
    assert own.count("</script>") == json_scripts, "only our JSON scripts end: nothing learner-written closes one"
    assert learner_data(make_block(data))["state"]["reflection"]["roles_today"] == hostile


def test_broken_lesson_yaml_shows_its_problems_to_staff_and_a_notice_to_learners():
    html = html_of(block_for("staff1", staff=True, lesson_yaml="schema_version: 1\nid: x\n"))
    assert "lesson content has problems" in html
    assert "required field is missing" in html
    learner = html_of(make_block(lesson_yaml="schema_version: 1\nid: x\n"))
    assert "being updated by the course team" in learner
    assert "required field" not in learner, "learners are not shown the YAML's problems"


def test_student_view_data_has_no_answer_key_or_facilitator_notes():
    data = make_block().student_view_data()
    assert "facilitator" not in data["lesson"]
    options = [option for item in data["lesson"]["quiz"]["scenarios"] for option in item["options"]]
    assert {tuple(option) for option in options} == {("id", "text")}
    assert SCENARIOS[0].options[0].explanation not in repr(data)
    assert data["lesson"]["quiz"]["scenarios"][0]["options"][0]["text"] == SCENARIOS[0].options[0].text


def test_anonymous_learner_sees_the_module_and_nothing_is_saved():
    data = DictFieldData({})
    block = make_block(data, user_id=None)
    assert "Preview: your answers and texts are not saved." in html_of(block)
    before = state_of(data)
    status, body = call(block, "save_text", reflection(10))
    assert status == 403
    assert "sign in" in body["error"]
    assert call(make_block(data, user_id=None), "submit_quiz", submission())[0] == 403
    assert state_of(data) == before


# --- Grade, completion and events --------------------------------------------------------------------


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
    call(block, "save_text", {"kind": "plan", "values": {"first_step": "private plan"}})
    names = [name for name, _ in block.runtime.published if name.startswith("edx.")]
    assert names == ["edx.leadmanage.quiz.submitted", "edx.leadmanage.reflection.saved", "edx.leadmanage.plan.saved"]
    assert block.runtime.events("edx.leadmanage.reflection.saved") == [
        {"lengths": {"roles_today": 12}, "total_length": 12}
    ]
    assert "secret" not in repr(block.runtime.published)
    assert "private" not in repr(block.runtime.published)
    with pytest.raises(ValueError, match="allow-listed"):
        block.track("edx.leadmanage.anything", {})


def test_save_returns_the_time_and_merges_fields():
    data = DictFieldData({})
    status, body = call(make_block(data), "save_text", {"kind": "plan", "values": {"first_step": "one"}})
    assert status == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["saved_at"])
    call(make_block(data), "save_text", {"kind": "plan", "values": {"by_when": "Friday"}})
    assert make_block(data).plan == {"first_step": "one", "by_when": "Friday"}


# --- Due dates and attempts ----------------------------------------------------------------------------


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


# --- Bad input: a readable message, the right status, state unchanged ----------------------------------

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
    ("unknown kind", {"kind": "notes", "values": {}}, "Field 'kind' must be 'reflection' or 'plan'"),
    ("missing values", {"kind": "plan"}, "Missing field 'values'"),
    ("values not an object", {"kind": "plan", "values": ["x"]}, "Field 'values' must be an object"),
    ("unknown field", {"kind": "plan", "values": {"roles_today": "x"}}, "Unknown field 'roles_today'"),
    ("text not a string", {"kind": "reflection", "values": {"roles_today": 5}}, "must be a string"),
    ("text too long", reflection(2001), "too long: 2001 characters, at most 2000"),
    ("plan text too long", {"kind": "plan", "values": {"first_step": "x" * 301}}, "at most 300"),
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


def test_workbench_scenarios_name_the_block():
    from leadmanage_xblock.runtime.block import LeadManageXBlock

    scenarios = dict(LeadManageXBlock.workbench_scenarios())
    assert set(scenarios) == {"Default", "Two blocks on one page", "Custom settings", "Past due"}
    assert scenarios["Two blocks on one page"].count("<leadmanage ") == 2


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


@pytest.mark.parametrize("name", ["js/lesson.js", "css/lesson.css"])
def test_served_assets_lose_only_comments_and_indentation(name):
    from leadmanage_xblock.core.rendering import static_text
    from leadmanage_xblock.runtime.assets import compact_asset

    source, served = static_text(name), compact_asset(name)
    assert len(served) < len(source)
    comments, spaces = re.compile(r"/\*.*?\*/|^[ \t]*//[^\n]*$", re.S | re.M), re.compile(r"\s+")
    code = [spaces.sub("", comments.sub("", text)) for text in (served, source)]
    assert code[0] == code[1], "nothing but comments and whitespace went"


def test_served_script_still_parses():
    from leadmanage_xblock.runtime.assets import compact_asset

    checked = subprocess.run(["node", "--check"], input=compact_asset("js/lesson.js"), text=True, capture_output=True)
    assert checked.returncode == 0, checked.stderr


def test_studio_refuses_settings_out_of_range_and_broken_lesson_yaml():
    assert make_block().validate().messages == []
    block = make_block(pass_threshold=150, max_attempts=-1, lesson_yaml="schema_version: 1\n")
    texts = [message.text for message in block.validate().messages]
    assert "The pass threshold must be a whole number from 0 to 100." in texts
    assert "Attempts allowed must be a whole number from 0 (unlimited) to 100." in texts
    assert any("required field is missing" in text for text in texts)


def test_studio_preview_renders_and_saves_nothing():
    data = DictFieldData({})
    block = make_block(data)
    block.runtime.is_author_mode = True
    assert "Preview: your answers and texts are not saved." in html_of(block)
    before = state_of(data)
    status, _ = call(block, "save_text", reflection(5))
    assert status == 403
    assert state_of(data) == before


def test_spanish_learners_get_the_spanish_lesson(monkeypatch):
    from leadmanage_xblock.runtime.block import LeadManageXBlock

    monkeypatch.setattr(LeadManageXBlock, "language", lambda self: "es")
    spanish = load_builtin_lesson("es")
    html = html_of(make_block())
    assert spanish.introduction.title in html
    assert 'lang="es"' in html
    assert LESSON.introduction.title not in html


def test_css_compaction_keeps_the_spaces_inside_quoted_strings():
    from leadmanage_xblock.runtime.assets import _CSS_PUNCTUATION

    css = '.a { content: "Note: one, two; three" ; }\n.b::after { content: \'x ; y\' / ""; }'
    compacted = _CSS_PUNCTUATION.sub(lambda m: m.group(1) or m.group(2) or "", css)
    assert compacted == '.a{content:"Note: one, two; three";}.b::after{content:\'x ; y\' / "";}'
