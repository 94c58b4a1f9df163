"""The Studio editor: what it shows, what its save handler accepts, and what happens to learners' old answers."""

import json

import pytest
from fixture_paths import CONTENT
from lesson_patches import DELETE, line_of, patched_builtin
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from webob import Request
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock_runtime import as_author, call, learner_data, make_block, state_of

from leadmanage_xblock.core.content import builtin_lesson_text, load_builtin_lesson
from leadmanage_xblock.runtime.block import LeadManageXBlock

LESSON = load_builtin_lesson()
MINIMAL = (CONTENT / "minimal.yaml").read_text(encoding="utf-8")
SETTINGS = {
    "display_name": "Leading and managing at Acme",
    "weight": "2.5",
    "pass_threshold": "80",
    "max_attempts": "3",
    "min_reflection_length": "40",
    "min_group": "8",
    "show_explanations": False,
}


def save(block, payload, method="POST"):
    """POST the editor's form to ``studio_save``; return (status, JSON body)."""
    request = Request.blank("/", method=method, body=json.dumps(payload).encode("utf-8"))
    response = as_author(block).handle("studio_save", request)
    return response.status_code, json.loads(response.body.decode("utf-8"))


def form(**changes) -> dict:
    return {**SETTINGS, "lesson_yaml": builtin_lesson_text(), **changes}


def test_editor_shows_every_setting_and_the_builtin_lesson_text():
    html = make_block().render("studio_view").content
    for label in ["Display name", "Problem weight", "Pass threshold (%)", "Attempts allowed"]:
        assert f">{label}</label>" in html
    assert ">Minimum reflection length</label>" in html
    assert ">Show explanations after submitting</label>" in html
    assert "schema_version: 1" in html
    assert "uses the built-in lesson" in html
    assert 'role="status"' in html


def test_editor_shows_a_custom_lesson_escaped():
    escaped = (CONTENT / "need_escaped.yaml").read_text(encoding="utf-8")
    html = make_block(lesson_yaml=escaped).render("studio_view").content
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "uses its own lesson" in html


def test_valid_settings_and_lesson_are_saved_together():
    data = DictFieldData({})
    status, body = save(make_block(data), form(lesson_yaml=MINIMAL))
    assert (status, body["saved"]) == (200, True)
    block = make_block(data)
    assert block.display_name == "Leading and managing at Acme"
    assert (block.weight, block.pass_threshold, block.max_attempts) == (2.5, 80, 3)
    assert (block.min_reflection_length, block.show_explanations, block.min_group) == (40, False, 8)
    assert block.lesson().id == "minimal"
    assert "Minimal lesson" in block.render("student_view").content


def test_saving_the_builtin_text_unchanged_keeps_following_the_builtin_lesson():
    data = DictFieldData({})
    windows_line_ends = builtin_lesson_text().replace("\n", "\r\n")
    assert save(make_block(data), form(lesson_yaml=windows_line_ends))[0] == 200
    assert make_block(data).lesson_yaml == ""
    spanish = builtin_lesson_text("es")
    assert save(make_block(data), form(lesson_yaml=spanish))[0] == 200
    assert make_block(data).lesson_yaml == ""
    assert save(make_block(data), form(lesson_yaml="   \n"))[0] == 200
    assert make_block(data).lesson_yaml == ""


def test_broken_yaml_lists_every_problem_with_its_line_and_saves_nothing():
    data = DictFieldData({"lesson_yaml": MINIMAL, "display_name": "Before"})
    before = state_of(data)
    broken = MINIMAL.replace("- id: goals_s1\n      dimension: goals", "- id: goals_s1\n      dimension: people", 1)
    broken = broken.replace("title: Minimal lesson", "titel: Minimal lesson", 1)
    status, body = save(make_block(data), form(lesson_yaml=broken, display_name="After"))
    assert status == 400
    assert "Nothing was saved" in body["error"]
    by_line = {(p["line"], p["message"]) for p in body["problems"]}
    assert (5, "titel: unknown key 'titel' (did you mean 'title'?)") in by_line
    assert (2, "title: required field is missing") in by_line
    dimension_line = broken.splitlines().index("      dimension: people") + 1
    assert any(line == dimension_line and "names dimension 'people'" in text for line, text in by_line)
    assert state_of(data) == before


def test_yaml_syntax_error_points_at_its_line():
    status, body = save(make_block(), form(lesson_yaml="schema_version: 1\nid: [unclosed\ntitle: x\n"))
    assert status == 400
    assert [problem["field"] for problem in body["problems"]] == ["lesson_yaml"]
    assert body["problems"][0]["line"] in (2, 3)
    assert "YAML syntax error" in body["problems"][0]["message"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "   ", "display name"),
        ("display_name", "\x0b\x00 \u0085", "display name"),  # nothing left once the invisible characters go
        ("display_name", "\u200b\u2060\u200b", "display name"),  # zero-width spaces and joiners: a blank title
        ("weight", "-1", "weight"),
        ("weight", "lots", "weight"),
        ("weight", "100.5", "from 0 to 100"),
        ("weight", "1e400", "weight"),
        ("weight", "nan", "weight"),
        ("pass_threshold", "101", "pass threshold"),
        ("pass_threshold", "7.5", "pass threshold"),
        ("max_attempts", "-2", "Attempts allowed"),
        ("max_attempts", "101", "from 0 (unlimited) to 100"),
        ("min_reflection_length", "8001", "at most 8000"),  # the built-in lesson: 4 prompts of at most 2000
        ("min_reflection_length", "", "minimum reflection length"),
        ("min_group", "0", "minimum group for the cohort summary must be a whole number from 1 to 1000"),
        ("min_group", "1001", "from 1 to 1000"),
        ("show_explanations", "yes", "explanations"),
        ("lesson_yaml", 42, "YAML text"),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_nothing_is_saved(field, value, message):
    data = DictFieldData({})
    before = state_of(data)
    status, body = save(make_block(data), form(**{field: value}))
    assert status == 400
    assert [p["field"] for p in body["problems"]] == [field]
    assert message.lower() in body["problems"][0]["message"].lower()
    assert state_of(data) == before


def test_every_problem_is_reported_at_once_and_unknown_fields_are_refused():
    payload = {**form(weight="x"), "pass_threshold": "200", "answers": {"goals_s1": "a"}}
    status, body = save(make_block(), payload)
    assert status == 400
    assert {p["field"] for p in body["problems"]} == {"weight", "pass_threshold", "answers"}


def test_missing_fields_and_bad_requests_are_refused():
    status, body = save(make_block(), {"display_name": "Only this"})
    assert status == 400
    assert {p["field"] for p in body["problems"]} >= {"weight", "lesson_yaml", "show_explanations"}
    assert save(make_block(), ["not", "an", "object"])[0] == 400
    assert save(make_block(), form(), method="GET")[0] == 405


# --- Learner answers after the author edits the lesson -----------------------------------------------


def answer_everything(data):
    answers = {item.id: item.correct_option.id for item in LESSON.quiz.scenarios}
    ratings = {item.id: 1 for item in LESSON.quiz.ratings.items}
    assert call(make_block(data), "submit_quiz", {"answers": answers, "ratings": ratings})[0] == 200
    texts = {prompt_id: "r" * 30 for prompt_id in LESSON.prompt_ids}
    assert call(make_block(data), "save_text", {"kind": "reflection", "values": texts})[0] == 200


def test_answers_to_removed_items_are_kept_but_neither_shown_nor_counted():
    data = DictFieldData({"min_reflection_length": 50})
    answer_everything(data)
    assert save(make_block(data), form(lesson_yaml=MINIMAL, min_reflection_length="50"))[0] == 200
    block = make_block(data)
    assert len(block.answers) == len(LESSON.quiz.scenarios), "old answers stay in the learner's state"
    results = block.results(block.lesson(), block.learner_state())
    # goals_s1 is the only item left; its best answer is now "a", and the learner chose "b".
    assert vars(results.score) == {"correct": 0, "total": 1, "percent": 0, "passed": False}
    written = learner_data(block)["state"]["reflection"]
    assert sum(map(len, written.values())) == 30, "only the prompt the lesson still has counts"
    html = block.render("student_view").content
    removed = LESSON.quiz.scenarios[-1].id
    assert removed not in html
    state = json.loads(block.handle("student_view_user_state", Request.blank("/")).body)
    assert set(state["answers"]) == {"goals_s1"}
    assert set(state["reflection"]) == {"roles_today"}
    assert state["score"]["total"] == 1


def test_studio_validation_flags_a_broken_lesson_that_did_not_come_through_the_editor():
    """A course import can bring a broken lesson: Studio's block validation lists its problems with lines."""
    broken = patched_builtin({"dimensions[0].takeaway": DELETE})
    messages = [str(message.text) for message in make_block(lesson_yaml=broken).validate().messages]
    assert messages == [
        f"lesson_yaml:{line_of(broken, 'id: goals')}: dimensions[0].takeaway: required field is missing"
    ]
    assert make_block().validate().messages == []


class StudioPermissions:
    """Studio's ``studio_user_permissions`` service as edx-platform offers it: can_write per course."""

    def __init__(self, writable_course: str):
        self.writable_course = writable_course

    def can_write(self, course_key) -> bool:
        return str(course_key) == self.writable_course


def studio_block(data: DictFieldData, writable_course: str):
    """A block in course Org+Course+Run, in a runtime whose user may write only to ``writable_course``."""
    usage = BlockUsageLocator(CourseLocator("Org", "Course", "Run"), "leadmanage", "lesson1")
    block = LeadManageXBlock(make_block(data).runtime, scope_ids=ScopeIds("author", "leadmanage", usage, usage))
    block.runtime._services["studio_user_permissions"] = StudioPermissions(writable_course)  # noqa: SLF001
    return block


def test_only_users_who_may_write_to_the_course_can_save():
    data = DictFieldData({})
    before = state_of(data)
    status, body = save(studio_block(data, "course-v1:Other+Course+Run"), form())
    assert (status, body["error"]) == (403, "You do not have permission to change this component.")
    assert state_of(data) == before
    status, body = save(studio_block(data, "course-v1:Org+Course+Run"), form())
    assert (status, body["saved"]) == (200, True)
    assert make_block(data).display_name == SETTINGS["display_name"]


def test_a_display_name_is_saved_on_one_line_without_invisible_characters():
    data = DictFieldData({})
    assert save(make_block(data), form(display_name=" Leading\x0b vs\r\n managing\x00 "))[0] == 200
    assert make_block(data).display_name == "Leading vs managing"


def test_the_minimum_reflection_length_must_fit_in_the_lessons_prompts(monkeypatch):
    """The minimal lesson has one prompt of at most 500 characters: a minimum of 501 could never be met."""
    assert save(make_block(), form(lesson_yaml=MINIMAL, min_reflection_length="500"))[0] == 200
    status, body = save(make_block(), form(lesson_yaml=MINIMAL, min_reflection_length="501"))
    assert status == 400
    assert body["problems"] == [
        {
            "field": "min_reflection_length",
            "line": None,
            "message": "The minimum reflection length must be at most 500, the most the lesson's reflection prompts "
            "can hold.",
        }
    ]
    monkeypatch.setattr(LeadManageXBlock, "language", lambda self: "es")
    status, body = save(make_block(), form(lesson_yaml=MINIMAL, min_reflection_length="501"))
    assert body["problems"][0]["message"].startswith("La longitud mínima de la reflexión debe ser como máximo 500")


@pytest.mark.parametrize(
    ("yaml_text", "line", "message"),
    [
        (MINIMAL.replace("Minimal lesson", "Minimal\x0blesson", 1), 5, "invisible control character U+000B"),
        (MINIMAL.replace("Minimal lesson", "Minimal\ud83dlesson", 1), 5, "invisible character U+D83D"),
        (MINIMAL.replace("Minimal lesson", "!!python/object/apply:os.system [echo]", 1), 5, "YAML tag"),
        (MINIMAL.replace("title: Minimal lesson", "? [title]\n: x", 1), 5, "complex key"),
        (MINIMAL.replace("title: Minimal lesson", "1: Minimal lesson", 1), 5, "the key '1' is read as a whole number"),
        (MINIMAL.replace("points: 5", "points: " + "9" * 5000, 1), 69, "cannot be read as a whole number"),
        (MINIMAL.replace("balanced_within: 0.34", "balanced_within: .nan", 1), 81, "not a finite number"),
        (MINIMAL.replace("title: Minimal lesson", "title: " + "[" * 100_000, 1), 5, "nest"),
    ],
    ids=["Word's line break", "half an emoji", "python tag", "complex key", "number key", "huge number", "nan", "deep"],
)
def test_hostile_yaml_is_listed_by_line_and_nothing_is_saved(yaml_text, line, message):
    data = DictFieldData({"lesson_yaml": MINIMAL})
    before = state_of(data)
    status, body = save(make_block(data), form(lesson_yaml=yaml_text))
    assert status == 400
    assert [(problem["field"], problem["line"]) for problem in body["problems"]] == [("lesson_yaml", line)]
    assert message in body["problems"][0]["message"]
    assert state_of(data) == before


def test_where_no_permissions_service_says_yes_nobody_can_save_settings():
    """The LMS offers no such service and keeps settings read-only: a learner's POST is refused, not a 500."""
    data = DictFieldData({})
    before = state_of(data)
    request = Request.blank("/", method="POST", body=json.dumps(form(display_name="Hacked")).encode())
    response = make_block(data).handle("studio_save", request)
    assert response.status_code == 403
    assert state_of(data) == before


def test_studio_refuses_settings_out_of_range_and_broken_lesson_yaml():
    assert make_block().validate().messages == []
    block = make_block(pass_threshold=150, max_attempts=-1, lesson_yaml="schema_version: 1\n")
    texts = [message.text for message in block.validate().messages]
    assert "The pass threshold must be a whole number from 0 to 100." in texts
    assert "Attempts allowed must be a whole number from 0 (unlimited) to 100." in texts
    assert any("required field is missing" in text for text in texts)
