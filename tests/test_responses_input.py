"""A learner record malformed in any way loses only what is wrong with it.

Part of an entry the lesson cannot take (a retired item, an unknown option, a rating off the scale, text
past the limit) is left out or cut with a warning, and the learner still gets a workbook; only a line that
gives no learner at all (not JSON, no username, nested or long past reason, not UTF-8) is skipped, with
its reason. Nothing in a line can make the reader raise.
"""

import json
import tracemalloc
from collections import defaultdict

import pytest
from leadmanage_exporters.responses import (
    MAX_LINE_BYTES,
    LearnerRecord,
    RecordProblem,
    RecordWarning,
    read_json_lines,
    record_from_dict,
)
from pdf_helpers import body_text, render, squash

from leadmanage_xblock.core.learner_text import is_clean

KIM = {"username": "kim", "answers": {"goals_s1": "a"}, "ratings": {"goals_r2": 2}, "reflection": {"roles_today": "Hi"}}


def entries_by_line(tmp_path, lines: list[bytes], lesson) -> dict[int, list]:
    path = tmp_path / "learners.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    by_line = defaultdict(list)
    for line, entry in read_json_lines(path, lesson):
        by_line[line].append(entry)
    return by_line


def with_kim(extra: dict) -> dict:
    """Kim's entry with ``extra`` merged in, one level deep (an extra answer joins Kim's answers)."""
    merged = dict(KIM)
    for key, value in extra.items():
        both_objects = isinstance(value, dict) and isinstance(KIM.get(key), dict)
        merged[key] = {**KIM[key], **value} if both_objects else value
    return merged


@pytest.mark.parametrize(
    ("extra", "left_out"),
    [
        ({"answers": {"retired_s9": "a"}}, "answers: unknown scenario 'retired_s9'; its answer was left out"),
        ({"answers": {"goals_s2": "z"}}, "answers.goals_s2: unknown option 'z' (options: a, b, c); left out"),
        ({"answers": {"goals_s2": ["a"]}}, "answers.goals_s2: unknown option an array (options: a, b, c); left out"),
        ({"ratings": {"goals_r1": 6}}, "ratings.goals_r1: expected a whole number from 1 to 5, got 6; left out"),
        ({"ratings": {"goals_r1": 0}}, "ratings.goals_r1: expected a whole number from 1 to 5, got 0; left out"),
        ({"ratings": {"goals_r1": 2.5}}, "ratings.goals_r1: expected a whole number from 1 to 5, got 2.5; left out"),
        ({"ratings": {"goals_r1": True}}, "ratings.goals_r1: expected a whole number from 1 to 5, got true; left out"),
        ({"ratings": {"goals_r1": "²"}}, "ratings.goals_r1: expected a whole number from 1 to 5, got '²'; left out"),
        ({"ratings": {"retired_r9": 3}}, "ratings: unknown self-rating 'retired_r9'; its rating was left out"),
        (
            {"reflection": {"retired": "x"}},
            "reflection: unknown id 'retired' (ids: roles_today, shift_focus, context_next, develop_both); "
            "its text was left out",
        ),
        ({"reflection": {"shift_focus": 5}}, "reflection.shift_focus: expected text, got 5; left out"),
        ({"action_plan": {"first_step": None}}, "action_plan.first_step: expected text, got null; left out"),
        ({"action_plan": "Do it"}, "action_plan: expected an object of id: text, got 'Do it'; left out"),
        ({"full_name": {"first": "Kim"}}, "full_name: expected text, got an object; left out"),
        ({"unexpected": 1}, "unknown key 'unexpected'; left out"),
        ({"x" * 5000: 1}, "unknown key '" + "x" * 39 + "…; left out"),
    ],
)
def test_what_the_lesson_cannot_take_is_left_out_with_a_warning_and_the_learner_kept(
    tmp_path, builtin_lesson, extra, left_out
):
    entries = entries_by_line(tmp_path, [json.dumps(with_kim(extra)).encode()], builtin_lesson)[1]
    assert [entry.message for entry in entries if isinstance(entry, RecordWarning)] == [left_out]
    record = entries[-1]
    assert isinstance(record, LearnerRecord)
    assert (record.username, dict(record.answers), dict(record.ratings)) == ("kim", KIM["answers"], KIM["ratings"])
    assert dict(record.reflection) == KIM["reflection"]


def test_a_text_past_the_lessons_limit_keeps_its_first_characters_with_a_warning(builtin_lesson):
    entry = {
        "username": "kim",
        "full_name": "K" * 250,
        "reflection": {"roles_today": "é" * 2500},
        "action_plan": {"first_step": "s" * 301},
    }
    record, warnings = record_from_dict(entry, builtin_lesson)
    assert record.full_name == "K" * 200
    assert record.reflection["roles_today"] == "é" * 2000
    assert record.action_plan["first_step"] == "s" * 300
    assert warnings == [
        "full_name: 250 characters, at most 200; kept the first 200",
        "reflection.roles_today: 2,500 characters, at most 2000; kept the first 2000",
        "action_plan.first_step: 301 characters, at most 300; kept the first 300",
    ]


def test_a_line_with_thousands_of_stray_items_gets_a_bounded_list_of_warnings(builtin_lesson):
    entry = {"username": "kim", "answers": {f"retired_{n}": "a" for n in range(5000)}}
    record, warnings = record_from_dict(entry, builtin_lesson)
    assert len(warnings) == 21
    assert warnings[-1] == "4980 more item(s) left out"
    assert record.answers == {}


# Word's line break, NUL, a lone surrogate, a non-character, a Windows line end, DEL and a C1 control.
HOSTILE = "Line\u000bone\u0000 \ud800half\ufffe\r\nnext\u007f\u0085end"


def test_text_a_learner_stored_with_unstorable_characters_is_cleaned_and_prints(tmp_path, builtin_lesson):
    entry = {"username": "k\u0000im", "full_name": "Kim\u0007 Lee", "reflection": {"roles_today": HOSTILE}}
    line = json.dumps(entry).encode()  # JSON escapes them all: the line itself is valid
    (record,) = entries_by_line(tmp_path, [line], builtin_lesson)[1]
    assert (record.username, record.full_name) == ("kim", "Kim Lee")
    assert record.reflection["roles_today"] == "Lineone half\nnextend"
    assert all(map(is_clean, [record.username, record.full_name, *record.reflection.values()]))
    text = body_text(render(builtin_lesson, record))
    assert squash("Lineone half") in text
    assert squash("Prepared for Kim Lee") in text


BROKEN = {
    b"not json at all": "invalid JSON: Expecting value (column 1)",
    b"[1, 2]": "expected a JSON object, got an array",
    b'"ana"': "expected a JSON object, got 'ana'",
    b"null": "expected a JSON object, got null",
    b'{"full_name": "No Username"}': "username is missing",
    b'{"username": 7}': "username must be non-empty text, got 7",
    b'{"username": "   "}': "username must be non-empty text, got '   '",
    b'{"username": "\\u0000\\u0007"}': "username must be non-empty text, got '\\x00\\x07'",
    b"[" * 100_000: "invalid JSON: nested too deeply",
    b'{"username": "a", "answers": ' + b'{"x": ' * 100_000: "invalid JSON: nested too deeply",
    b'{"username": "caf\xe9"}': "the line is not UTF-8 text (byte 18)",
    b'{"username": "a\x00b"}': "invalid JSON: Invalid control character at (column 16)",
    b"\x00\x00\x00": "invalid JSON: Expecting value (column 1)",
    b'{"username": "a", "ratings": {"goals_r1": 1' + b"0" * 5000 + b"}}": "invalid JSON: a number with too many digits",
    b'{"username": "' + b"x" * (MAX_LINE_BYTES + 1) + b'"}': "the line is longer than 4 MB",
}


def test_a_broken_line_is_skipped_with_its_reason_and_the_lines_around_it_are_read(tmp_path, builtin_lesson):
    lines = [b'{"username": "first"}']
    for number, broken in enumerate(BROKEN, start=1):
        lines += [broken, b'{"username": "after %d"}' % number]
    by_line = entries_by_line(tmp_path, lines, builtin_lesson)
    for number, (broken, reason) in enumerate(BROKEN.items(), start=1):
        assert by_line[2 * number] == [RecordProblem(2 * number, reason)], broken[:60]
        assert [entry.username for entry in by_line[2 * number + 1]] == [f"after {number}"]
    assert [entry.username for entry in by_line[1]] == ["first"]


def test_a_50_mb_line_is_skipped_without_holding_it_in_memory(tmp_path, builtin_lesson):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as stream:
        stream.write(b'{"username": "' + b"x" * 50 * 2**20 + b'"}\n{"username": "next"}\n')
    tracemalloc.start()
    try:
        entries = list(read_json_lines(path, builtin_lesson))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [entry for _, entry in entries][0] == RecordProblem(1, "the line is longer than 4 MB")
    assert entries[1][1].username == "next"
    assert peak < 3 * MAX_LINE_BYTES, f"{peak:,} bytes at the peak"
