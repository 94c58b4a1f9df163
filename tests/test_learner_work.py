"""One place decides what of a learner's work fits the lesson; every reader agrees with it; old names are read."""

import json

import pytest
from fixture_paths import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from leadmanage_exporters.report_csv import read_responses
from leadmanage_exporters.responses import LearnerRecord, record_from_dict
from xblock.field_data import DictFieldData
from xblock_runtime import call, learner_data, make_block

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.learner_work import LearnerState, check_work
from leadmanage_xblock.core.validation import InputError, parse_draft, parse_texts

LESSON = load_builtin_lesson()
SCENARIO, RATING = LESSON.quiz.scenarios[0], LESSON.quiz.ratings.items[0]
PROMPT, FIELD = LESSON.prompt_ids[0], LESSON.action_plan_field_ids[0]

ids = st.sampled_from([SCENARIO.id, RATING.id, PROMPT, FIELD, "retired", ""])
values = st.one_of(st.sampled_from(["a", "b", "z"]), st.integers(-1, 7), st.text(max_size=8), st.none(), st.booleans())
work_data = st.fixed_dictionaries(
    {},
    optional={
        kind: st.dictionaries(ids, values, max_size=3) for kind in ("answers", "ratings", "reflection", "action_plan")
    },
)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(work_data)
def test_the_handlers_the_state_reader_and_the_records_reader_agree_with_check_work(data):
    """What check_work keeps is what every reader keeps; a request is accepted exactly when it finds no issue."""
    work, issues = check_work(LESSON, data)
    stored = LearnerState.from_stored({**data, "attempts": 1}).submitted_work(LESSON)
    record, warnings = record_from_dict({"username": "kim", **data}, LESSON)
    assert (stored.answers, stored.ratings) == (work.answers, work.ratings)
    assert (record.answers, record.ratings, record.reflection) == (work.answers, work.ratings, work.reflection)
    assert len(warnings) == len(issues)
    requests = [
        (parse_draft, {"answers": data.get("answers", {}), "ratings": data.get("ratings", {})}),
        (parse_texts, {"kind": "reflection", "values": data.get("reflection", {})}),
    ]
    refused = []
    for parse, request in requests:
        try:
            parse(LESSON, request, str)
        except InputError:  # noqa: PERF203 (each request on its own)
            refused.append(parse)
    text_issues = [issue for issue in issues if issue.kind == "reflection"]
    choice_issues = [issue for issue in issues if issue.kind in ("answers", "ratings")]
    assert (parse_draft in refused) == bool(choice_issues)
    assert (parse_texts in refused) == bool(text_issues)


def test_a_learners_work_is_one_typed_value_and_a_record_is_that_work_with_a_name():
    work, issues = check_work(LESSON, {"answers": {SCENARIO.id: "a"}, "action_plan": {FIELD: "Ask"}})
    record = LearnerRecord.of(work, username="kim")
    assert issues == []
    assert (record.answers, record.action_plan, record.display_name) == (work.answers, work.action_plan, "kim")


# --- The action plan had another name before 0.2: it is still read everywhere it was written ---------------


def test_a_plan_stored_by_an_older_version_is_shown_reported_and_kept_on_the_next_save():
    data = DictFieldData({"plan": {FIELD: "Old plan"}, "revisions": {f"plan:{FIELD}": 2}})
    assert learner_data(make_block(data))["state"]["action_plan"] == {FIELD: "Old plan"}
    assert learner_data(make_block(data))["state"]["revisions"] == {f"action_plan:{FIELD}": 2}
    second = LESSON.action_plan_field_ids[1]
    assert call(make_block(data), "save_text", {"kind": "action_plan", "values": {second: "New"}})[0] == 200
    assert make_block(data).action_plan == {FIELD: "Old plan", second: "New"}


def test_a_page_from_before_the_rename_still_saves_the_action_plan():
    """A learner's tab left open over an upgrade sends kind "plan" and revisions named "plan:<id>"."""
    data = DictFieldData({})
    status, body = call(
        make_block(data), "save_text", {"kind": "plan", "values": {FIELD: "Typed"}, "revisions": {}}, fresh_page=False
    )
    assert status == 200
    assert make_block(data).action_plan == {FIELD: "Typed"}
    late = {"kind": "plan", "values": {FIELD: "Again"}, "revisions": {f"plan:{FIELD}": 1}}
    assert call(make_block(data), "save_text", late, fresh_page=False)[0] == 200


def test_a_report_made_before_0_2_with_plan_columns_still_prints_the_action_plan():
    old = FIXTURES / "reports" / "problem_responses_0.1.csv"
    assert "plan first_step" in old.read_text(encoding="utf-8").splitlines()[0]
    records = [entry for _, entry in read_responses(old, LESSON) if isinstance(entry, LearnerRecord)]
    assert any(record.action_plan.get("first_step") for record in records)


@pytest.mark.parametrize("stored_as", ["plan", "action_plan"])
def test_the_course_report_reads_the_action_plan_under_either_name(stored_as):
    from types import SimpleNamespace

    learner = SimpleNamespace(username="kim", state={stored_as: {FIELD: "Ask"}, "attempts": 1})
    ((_, row),) = make_block().generate_report_data(iter([learner]))
    assert row[f"action_plan {FIELD}"] == "Ask"
    assert json.dumps(row)  # the platform writes it out as it is
