"""A hostile learner against every handler, and stored state of any shape against every reader.

Whatever a learner sends or an old version stored: no 500, a readable message, nothing stored changed by a
refused request, and no stored value that can break the view, a handler, a download or the course report.
"""

import csv
import io
import json
import subprocess
import sys
from collections import OrderedDict
from types import SimpleNamespace

import pytest
from fixture_paths import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webob import Request
from xblock.field_data import DictFieldData
from xblock_runtime import RequestFieldData, block_for, call, learner_data, make_block, state_of

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.learner_text import clean_text
from leadmanage_xblock.core.learner_work import LearnerState, page_state
from leadmanage_xblock.core.validation import InputError, parse_draft, parse_quiz, parse_texts

LESSON = load_builtin_lesson()
PROMPT = LESSON.prompt_ids[0]
JSON_HANDLERS = ("submit_quiz", "save_answers", "save_text")
FUZZ = settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Bodies no page sends: each class the issue names, as raw bytes.
HOSTILE_BODIES = {
    "deep arrays": b"[" * 100_000 + b"]" * 100_000,
    "deep objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "many containers": b"[" + b"[]," * 20_000 + b"[]]",
    "two megabytes": json.dumps({"kind": "reflection", "values": {PROMPT: "x" * 2_000_000}}).encode(),
    "NaN": b'{"kind": "reflection", "values": {}, "revisions": {"a": NaN}}',
    "Infinity": b'{"answers": {}, "ratings": {}, "attempt": Infinity}',
    "5000 digits": b'{"answers": {}, "ratings": {}, "attempt": ' + b"9" * 5000 + b"}",
    "not UTF-8": b'{"kind": "\xff\xfe"}',
    "empty": b"",
    "null": b"null",
    "a number": b"42",
    "a lone surrogate as a key": b'{"kind": "action_plan", "values": {"\\ud800": "x"}}',
    "a string of a billion laughs": b'"' + b"lol" * 100_000 + b'"',
    "revisions not an object": b'{"kind": "action_plan", "values": {}, "revisions": [1]}',
    "revisions negative": b'{"kind": "action_plan", "values": {}, "revisions": {"plan:first_step": -1}}',
}
#: Bodies only the quiz submission refuses (a draft has no attempt number).
SUBMIT_ONLY = {
    "attempt as text": b'{"answers": {}, "ratings": {}, "attempt": "1"}',
    "attempt zero": b'{"answers": {}, "ratings": {}, "attempt": 0}',
}
CASES = [(handler, name, body) for handler in JSON_HANDLERS for name, body in HOSTILE_BODIES.items()]
CASES += [("submit_quiz", name, body) for name, body in SUBMIT_ONLY.items()]


def learner_with_work() -> DictFieldData:
    data = DictFieldData({})
    assert call(make_block(data), "save_text", {"kind": "reflection", "values": {PROMPT: "kept"}})[0] == 200
    return data


@pytest.mark.parametrize(("handler", "name", "hostile"), CASES, ids=[f"{h}-{n}" for h, n, _ in CASES])
def test_hostile_bodies_get_a_readable_refusal_and_change_nothing(handler, name, hostile):
    data = learner_with_work()
    before = state_of(data)
    block = make_block(data)
    status, body = call(block, handler, hostile, fresh_page=False)
    assert 400 <= status < 500
    assert body["error"].endswith(".")
    assert state_of(data) == before
    assert block.runtime.published == []


#: Bodies up to the size limit whose check could take time out of proportion to their size (ReDoS): an opening
#: quote followed by escaped quotes and never closed, the same ending in a lone backslash, and strings back to back.
SLOW_TO_CHECK = """
import json, sys
from xblock_runtime import call, make_block
bodies = [b'"' + b'\\\\"' * 524_287, b'["' + b'\\\\"' * 500_000 + b'\\\\', b'"\\\\""' * 260_000]
print(json.dumps([call(make_block(), handler, body, fresh_page=False)[0] for body in bodies
                  for handler in ("save_text", "submit_quiz", "workbook_status")]))
"""


def test_a_body_built_to_be_slow_to_check_is_refused_as_fast_as_any_other():
    """Each such body took over an hour of a worker's CPU when the check rescanned it from every quote."""
    done = subprocess.run(
        [sys.executable, "-c", SLOW_TO_CHECK], cwd=REPO / "tests", capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == [400] * 9


#: Stored state no current version writes: wrong types, missing keys, older shapes, junk.
HOSTILE_STATES = {
    "all null": dict.fromkeys(("answers", "ratings", "reflection", "plan", "draft", "attempts", "revisions"), None),
    "lists instead of dicts": {"answers": [1], "ratings": ["a"], "reflection": ["x"], "plan": [], "draft": []},
    "strings instead of dicts": {"answers": "a", "reflection": "text", "plan": "x", "timestamps": "now"},
    "attempts as text": {"attempts": "many"},
    "attempts negative": {"attempts": -3},
    "attempts huge": {"attempts": 10**30},
    "attempts as float": {"attempts": 2.5},
    "nested junk": {"answers": {LESSON.quiz.scenarios[0].id: {"a": [1]}}, "ratings": {"x": {"y": None}}},
    "draft half written": {"draft": {"answers": {LESSON.quiz.scenarios[0].id: "a"}}},
    "draft of junk": {"draft": {"answers": "a", "ratings": 3}},
    "ratings from an older version": {
        "ratings": {item.id: str(n % 5 + 1) for n, item in enumerate(LESSON.quiz.ratings.items)}
    },
    "ratings off the scale": {"ratings": {LESSON.quiz.ratings.items[0].id: 99}, "attempts": 1},
    "revisions of junk": {"revisions": {"reflection:x": "many", "plan:y": [1], 3: 4}},
    "texts of other types": {"reflection": {PROMPT: 5}, "plan": {LESSON.action_plan_field_ids[0]: None}},
    "unencodable text": {"reflection": {PROMPT: "a\ud800b\x00c\x0bd\ufffe"}, "attempts": 1, "completed": True},
    "completed as text": {"completed": "yes"},
}


def stored(raw: dict) -> DictFieldData:
    return DictFieldData(dict(raw))


@pytest.mark.parametrize("name", list(HOSTILE_STATES))
def test_any_stored_state_gives_a_working_view_handlers_and_api(name):
    data = stored(HOSTILE_STATES[name])
    page = learner_data(make_block(data))
    assert set(page["state"]) == {"answers", "ratings", "reflection", "action_plan", "revisions"}
    response = make_block(data).handle("student_view_user_state", Request.blank("/"))
    assert response.status_code == 200
    assert (
        call(make_block(data), "save_text", {"kind": "action_plan", "values": {LESSON.action_plan_field_ids[0]: "x"}})[
            0
        ]
        == 200
    )
    assert call(make_block(data), "save_answers", {"answers": {}, "ratings": {}})[0] in (200, 409)
    answers = {item.id: item.correct_option.id for item in LESSON.quiz.scenarios}
    ratings = {item.id: 3 for item in LESSON.quiz.ratings.items}
    status, _ = call(make_block(data), "submit_quiz", {"answers": answers, "ratings": ratings})
    assert status in (200, 409)


@pytest.mark.parametrize("name", list(HOSTILE_STATES))
def test_any_stored_state_gives_a_report_row_the_platform_can_write(name):
    """One learner's odd state never breaks the course's Problem Responses report (written as UTF-8 CSV)."""
    learner = SimpleNamespace(username="ana", state=HOSTILE_STATES[name])
    odd = SimpleNamespace(username="ben", state=["not", "a", "dict"])
    rows = list(make_block().generate_report_data(iter([learner, odd, SimpleNamespace(username="cy", state=None)])))
    assert [username for username, _ in rows] == ["ana", "ben", "cy"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for _, row in rows:
        assert isinstance(row, OrderedDict)
        writer.writerow(row.values())
    buffer.getvalue().encode("utf-8")  # the platform's report store writes UTF-8: no lone surrogate may reach it


def test_unencodable_text_already_stored_is_repaired_when_read_and_on_the_next_save():
    data = stored(HOSTILE_STATES["unencodable text"])
    assert learner_data(make_block(data))["state"]["reflection"][PROMPT] == "abcd"
    call(make_block(data), "save_text", {"kind": "action_plan", "values": {LESSON.action_plan_field_ids[0]: "x"}})
    call(make_block(data), "save_text", {"kind": "reflection", "values": {PROMPT: "abcd and more"}})
    assert data.get(make_block(data), "reflection")[PROMPT] == "abcd and more"


#: Text pasted from Word and worse: each class is cleaned to what a person can see, never refused.
PASTED = {
    "Word line break (U+000B)": ("one\x0btwo", "onetwo"),
    "Windows line ends": ("one\r\ntwo\rthree", "one\ntwo\nthree"),
    "Unicode line and paragraph separators (no font draws them)": ("one\u2028two\u2029three", "one\ntwo\nthree"),
    "NUL and C0": ("a\x00b\x01c\x1fd\x7fe", "abcde"),
    "C1 controls": ("a\x85b\x9fc", "abc"),
    "lone surrogates": ("half \ud83d of an emoji \udc00", "half  of an emoji "),
    "non-characters": ("a\ufffeb\uffffc\ufdd0d\U0010ffff", "abcd"),
    "kept as typed": ("tab\there, emoji 😀, RTL שלום, CJK 李伟, combining é", None),
}


@pytest.mark.parametrize("name", list(PASTED))
def test_every_handler_stores_pasted_text_cleaned(name):
    text, expected = PASTED[name]
    expected = text if expected is None else expected
    data = DictFieldData({})
    assert call(make_block(data), "save_text", {"kind": "reflection", "values": {PROMPT: text}})[0] == 200
    assert data.get(make_block(data), "reflection")[PROMPT] == expected
    assert clean_text(text) == expected


def test_the_page_cleans_pasted_text_exactly_as_the_server_does():
    from test_scorm_js import JS, NODE

    cases = [text for text, _ in PASTED.values()] + ["\U00010000 pair", "\udbff\udfff", "x\U0001fffe"]
    program = (
        f"const L = require({json.dumps(str(JS.joinpath('lesson.js')))});"
        f"console.log(JSON.stringify({json.dumps(cases)}.map(L.cleanText)));"
    )
    done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == [clean_text(text) for text in cases]


def test_two_stale_requests_for_one_attempt_count_once_and_publish_the_grade_stored():
    """Two requests read the state before either saves (as two LMS workers do): only one is accepted."""
    data = DictFieldData({"max_attempts": 1})
    first, second = make_block(RequestFieldData(data)), make_block(RequestFieldData(data))  # both read before saving
    right = {item.id: item.correct_option.id for item in LESSON.quiz.scenarios}
    wrong = {item.id: next(o.id for o in item.options if not o.correct) for item in LESSON.quiz.scenarios}
    ratings = {item.id: 3 for item in LESSON.quiz.ratings.items}
    assert call(first, "submit_quiz", {"answers": right, "ratings": ratings, "attempt": 1}, fresh_page=False)[0] == 200
    status, body = call(second, "submit_quiz", {"answers": wrong, "ratings": ratings, "attempt": 1}, fresh_page=False)
    assert status == 409
    assert "another tab" in body["error"]
    grades = first.runtime.events("grade") + second.runtime.events("grade")
    assert grades == [{"value": len(right), "max_value": len(right)}]
    assert make_block(data).learner_state().attempts == 1
    assert learner_data(make_block(data))["results"]["score"]["correct"] == grades[0]["value"]


def test_a_stale_save_is_refused_with_both_versions_and_nothing_is_overwritten():
    data = DictFieldData({})
    stale_page = make_block(data).learner_state().revisions
    assert call(make_block(data), "save_text", {"kind": "reflection", "values": {PROMPT: "tab one"}})[0] == 200
    late = {"kind": "reflection", "values": {PROMPT: "tab two"}, "revisions": stale_page}
    status, body = call(make_block(data), "save_text", late, fresh_page=False)
    assert status == 409
    assert body["conflicts"] == [{"kind": "reflection", "id": PROMPT, "value": "tab one", "revision": 1}]
    assert data.get(make_block(data), "reflection")[PROMPT] == "tab one"
    late["revisions"] = {f"reflection:{PROMPT}": 1}  # the learner chose to keep this page's text
    assert call(make_block(data), "save_text", late, fresh_page=False)[0] == 200
    assert data.get(make_block(data), "reflection")[PROMPT] == "tab two"


# --- Fuzz: the parsers and the tolerant reader never fail in any other way ----------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
item_ids = st.sampled_from([*LESSON.scenarios_by_id, *LESSON.ratings_by_id, *LESSON.prompt_ids, "x", "", "\ud800"])
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["reflection", "action_plan", "plan", "x"]) | json_values,
        "values": st.dictionaries(item_ids, st.text(max_size=30) | json_values, max_size=4),
        "answers": st.dictionaries(item_ids, st.sampled_from(["a", "b", "c", "z"]) | json_values, max_size=4),
        "ratings": st.dictionaries(item_ids, st.integers(-2, 8) | json_values, max_size=4),
        "revisions": st.dictionaries(st.text(max_size=20), st.integers(-1, 5) | json_values, max_size=3) | json_values,
        "attempt": st.integers(-1, 3) | json_values,
    },
)


@FUZZ
@given(st.one_of(json_values, near_valid))
def test_handler_parsers_return_clean_values_or_a_readable_input_error(data):
    refusals = []
    for parse in (parse_quiz, parse_draft, parse_texts):
        try:
            parse(LESSON, data, str)
        except InputError as error:  # noqa: PERF203 (each parser is tried on its own)
            refusals.append(error)
    assert all(400 <= error.status < 500 for error in refusals)
    assert all(str(error).endswith(".") for error in refusals)


@FUZZ
@given(st.dictionaries(st.sampled_from([*HOSTILE_STATES["all null"], "completed", "timestamps", "x"]), json_values))
def test_the_tolerant_reader_reads_any_stored_state(raw):
    state = LearnerState.from_stored(raw)
    shown = page_state(state.shown_work(LESSON), state.revisions)
    json.dumps(shown).encode("utf-8")
    assert state.attempts >= 0
    assert all(isinstance(text, str) and clean_text(text) == text for text in state.reflection.values())


@FUZZ
@given(st.binary(max_size=300) | json_values.map(lambda value: json.dumps(value).encode()))
def test_any_body_to_any_handler_is_answered_below_500(body):
    data = learner_with_work()
    before = state_of(data)
    for handler in JSON_HANDLERS:
        status, _ = call(make_block(data), handler, body, fresh_page=False)
        assert status < 500
        if status != 200:
            assert state_of(data) == before


@pytest.mark.parametrize("name", list(HOSTILE_STATES))
def test_any_stored_state_gives_the_learner_their_workbook(name):
    from leadmanage_exporters.pdf import PdfExporter

    block = block_for("ana", data=stored(HOSTILE_STATES[name]))
    record = block.learner_record(LESSON)
    assert LESSON.title in PdfExporter().render_html(LESSON, record)


def test_a_learner_whose_stored_text_cannot_be_encoded_still_downloads_a_real_pdf():
    response = block_for("ana", data=stored(HOSTILE_STATES["unencodable text"])).handle(
        "download_my_workbook", Request.blank("/")
    )
    assert response.status_code == 200
    assert response.body.startswith(b"%PDF-")


@pytest.mark.parametrize("handler", JSON_HANDLERS)
def test_a_lesson_with_problems_gives_every_handler_a_4xx_that_a_learner_can_read(handler):
    status, body = call(make_block(lesson_yaml="schema_version: 1\nid: x\n"), handler, {"answers": {}, "ratings": {}})
    assert status == 409
    assert body["error"] == "This activity is being updated by the course team. Try again later."
