"""Fuzz: whatever a responses file holds, the readers never raise, and every entry is a record or a problem.

Hypothesis with a fixed seed and a bounded number of examples, so CI is deterministic and quick.
"""

import csv
import io
import json
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from leadmanage_exporters.report_csv import read_report_csv
from leadmanage_exporters.responses import (
    KEYS,
    MAX_FULL_NAME,
    MAX_USERNAME,
    LearnerRecord,
    RecordError,
    RecordProblem,
    RecordWarning,
    read_json_lines,
    record_from_dict,
)

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.learner_text import is_clean

LESSON = load_builtin_lesson()
FUZZ = settings(derandomize=True, max_examples=200, deadline=None)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
#: Ids the lesson has, ids it does not, and any text.
ids = st.sampled_from([*LESSON.scenarios_by_id, *LESSON.ratings_by_id, *LESSON.prompt_ids, "retired"]) | st.text()
#: Values that are sometimes right: an option id, a point on the scale, some text.
values = st.sampled_from(["a", "d", 1, 5, 0, 6, True, "3", "²"]) | st.text() | json_values
entries = (
    st.dictionaries(
        st.sampled_from(sorted(KEYS)) | st.text(max_size=8),
        st.dictionaries(ids, values, max_size=6) | st.text() | json_values,
        max_size=7,
    )
    | json_values
)


def assert_fits_the_lesson(record: LearnerRecord) -> None:
    """Everything a record holds is something the lesson takes, and every text is clean and within its limit."""
    assert record.username.strip()
    assert len(record.username) <= MAX_USERNAME
    assert len(record.full_name) <= MAX_FULL_NAME
    assert all(LESSON.scenarios_by_id[item].accepts(option) for item, option in record.answers.items())
    assert all(item in LESSON.ratings_by_id for item in record.ratings)
    assert all(LESSON.quiz.ratings.scale.accepts(point) for point in record.ratings.values())
    for kind, texts in [("reflection", record.reflection), ("action_plan", record.action_plan)]:
        field_ids, limit = LESSON.writing_fields(kind)
        assert set(texts) <= set(field_ids)
        assert all(len(text) <= limit for text in texts.values())
    assert all(map(is_clean, [record.username, record.full_name, *record.reflection.values()]))
    assert all(map(is_clean, record.action_plan.values()))


@FUZZ
@given(entries)
def test_any_parsed_entry_becomes_a_record_that_fits_the_lesson_or_a_refusal(entry):
    refusal = None
    try:
        record, warnings = record_from_dict(entry, LESSON)
    except RecordError as exc:  # the only way it may refuse
        refusal = str(exc)
    if refusal is None:
        assert_fits_the_lesson(record)
        assert all(isinstance(warning, str) and "\n" not in warning for warning in warnings)
    else:
        assert refusal.startswith(("expected a JSON object", "username "))


def read_all(reader, content: bytes) -> list:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "responses.csv" if reader is read_report_csv else "responses.jsonl")
        path.write_bytes(content)
        return list(reader(path, LESSON))


def assert_one_record_or_problem_per_line(found: list) -> Counter:
    """Each line gives at most one record or problem, after its warnings; returns how many per kind."""
    finals = Counter(line for line, entry in found if not isinstance(entry, RecordWarning))
    assert set(finals.values()) <= {1}
    for line, entry in found:
        if isinstance(entry, LearnerRecord):
            assert_fits_the_lesson(entry)
        else:
            assert isinstance(entry, RecordProblem | RecordWarning)
            assert entry.line == line
    return Counter(type(entry).__name__ for _, entry in found)


lines = st.lists(entries.map(lambda entry: json.dumps(entry).encode()) | st.binary(max_size=40), max_size=8)


@FUZZ
@given(lines)
def test_any_json_lines_file_gives_a_record_or_a_problem_for_every_line(content):
    content = [line.replace(b"\n", b" ") for line in content]  # one entry per line
    found = read_all(read_json_lines, b"\n".join(content))
    assert_one_record_or_problem_per_line(found)
    non_blank = [number for number, line in enumerate(content, start=1) if line.strip()]
    assert sorted({line for line, entry in found if not isinstance(entry, RecordWarning)}) == non_blank


HEADER = ["username", "goals_s1 answer", "goals_r1 rating", "reflection roles_today", "plan support", "block_key"]
cells = st.text() | st.sampled_from(["a: x", "z: y", "3", "²", "٣", "0005", "1" * 5000])


@FUZZ
@given(st.lists(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), max_size=6), st.binary(max_size=60))
def test_any_report_row_gives_a_record_or_a_problem(rows, garbage):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *([*row[:-1], ""] for row in rows)])  # no block key: all rows are ours
    content = buffer.getvalue().encode("utf-8", "surrogatepass")
    found = read_all(read_report_csv, content)
    kinds = assert_one_record_or_problem_per_line(found)
    assert kinds["LearnerRecord"] + kinds["RecordProblem"] == len(rows)
    # A stray line of any bytes at the end costs at most that line.
    found_with_garbage = read_all(read_report_csv, content + garbage.replace(b"\n", b" ") + b"\n")
    assert_one_record_or_problem_per_line(found_with_garbage)
    assert found_with_garbage[: len(found)] == found
