"""SCORM 1.2 keeps 4,096 characters of learner data: a package whose quiz leaves no room for writing is refused.

The page keeps room for the whole quiz while the learner writes (``scorm_state.js``); the export counts the
same characters in Python and refuses a lesson that would leave the learner nothing, naming the 2004 target.
"""

import copy

import pytest
import yaml
from leadmanage_exporters.cli import cli
from leadmanage_exporters.scorm import (
    MIN_TEXT_ROOM,
    ScormExporter,
    answer_key,
    full_quiz_state,
    suspend_length,
    text_room,
)
from leadmanage_exporters.scorm_manifest import TARGETS
from test_scorm_js import run_node
from webob import Request

from leadmanage_xblock.core.content import parse_lesson
from leadmanage_xblock.core.content.loader import builtin_lesson_text

BUDGET = TARGETS["scorm12"].suspend_budget


def big_lesson_text(per_dimension: int) -> str:
    """The built-in lesson with ``per_dimension`` more scenario items per dimension, every id 40 characters."""
    data = yaml.safe_load(builtin_lesson_text())
    template = data["quiz"]["scenarios"][0]
    for dimension in data["dimensions"]:
        for number in range(per_dimension):
            item = copy.deepcopy(template)
            item.update(dimension=dimension["id"], id=f"{dimension['id']}_extra_{number}_".ljust(40, "x"))
            for option in item["options"]:
                option["id"] = f"option_{option['id']}_".ljust(40, "x")
            data["quiz"]["scenarios"].append(item)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def too_big():
    """A quiz that alone needs more than SCORM 1.2's budget."""
    return big_lesson_text(13)


@pytest.fixture(scope="module")
def little_room():
    """A quiz that fits in SCORM 1.2's budget but leaves fewer than MIN_TEXT_ROOM characters for writing."""
    return big_lesson_text(9)


def test_python_counts_what_the_page_stores_to_the_character(builtin_lesson, too_big):
    lessons = [builtin_lesson, parse_lesson(too_big)]
    script = """input.map(({key, prompts, fields}) => {
      const quiz = input.budget - State.remaining(State.emptyState(), input.budget, key);
      let full = State.withTexts(State.emptyState(), "reflection", Object.fromEntries(prompts.map(id => [id, "x"])));
      full = State.withTexts(full, "action_plan", Object.fromEntries(fields.map(id => [id, "x"])));
      return [quiz, State.remaining(full, input.budget, key) + prompts.length + fields.length];
    })"""
    payload = [
        {"key": answer_key(lesson), "prompts": list(lesson.prompt_ids), "fields": list(lesson.action_plan_field_ids)}
        for lesson in lessons
    ]
    in_js = run_node(f"(() => {{ input.budget = {BUDGET}; return {script}; }})()", payload)
    in_python = [[suspend_length(full_quiz_state(lesson)), text_room(lesson, BUDGET)] for lesson in lessons]
    assert in_js == in_python
    assert in_python[0][1] > 3000  # the built-in lesson leaves plenty of room
    assert in_python[1][0] > BUDGET


def export(runner, tmp_path, text: str, *options: str):
    lesson = tmp_path / "lesson.yaml"
    lesson.write_text(text, encoding="utf-8")
    return runner.invoke(cli, ["export", "scorm", "--content", str(lesson), *options, "-o", str(tmp_path / "x.zip")])


def test_a_quiz_too_big_for_scorm12_is_refused_naming_the_2004_target(runner, tmp_path, too_big):
    result = export(runner, tmp_path, too_big)
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: the quiz alone needs ")
    assert "SCORM 1.2 keeps at most 4,096 characters" in line
    assert "--target scorm2004-4" in line
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lesson.yaml"]
    assert export(runner, tmp_path, too_big, "--target", "scorm2004-4").exit_code == 0


def test_a_quiz_that_leaves_almost_no_room_for_writing_is_refused_too(runner, tmp_path, little_room):
    lesson = parse_lesson(little_room)
    assert suspend_length(full_quiz_state(lesson)) <= BUDGET  # the quiz alone fits
    assert text_room(lesson, BUDGET) < MIN_TEXT_ROOM
    result = export(runner, tmp_path, little_room)
    assert result.exit_code == 1
    assert f"characters for all reflection and plan text (at least {MIN_TEXT_ROOM} are needed)" in result.output
    assert "--target scorm2004-4" in result.output
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("target", list(TARGETS))
def test_the_builtin_lesson_fits_every_target(builtin_lesson, target):
    assert ScormExporter(target).export(builtin_lesson).startswith(b"PK")


def test_staff_get_a_clear_refusal_and_the_2004_package_for_a_quiz_too_big_for_scorm12(too_big):
    from xblock_runtime import block_for

    block = block_for(staff=True, lesson_yaml=too_big)
    refused = block.handle("download_scorm", Request.blank("/"))
    assert refused.status_code == 409
    assert "Download the SCORM 2004 package instead." in refused.text
    assert "Download SCORM 2004 package" in block.render("student_view").content, "the staff links offer it"
    assert block.handle("download_scorm", Request.blank("/?target=scorm2004-4")).status_code == 200
