"""The content key: equal for the same workbook, different for anything that changes a page, the same in any process."""

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from lesson_patches import patched_builtin

from leadmanage_xblock.core.content import builtin_lesson_text, parse_lesson
from leadmanage_xblock.core.learner_work import LearnerWork
from leadmanage_xblock.core.workbook_key import WorkbookVariant, lesson_hash, work_hash, workbook_key

VARIANT = WorkbookVariant(edition="learner", paper="a4", language="en")
WORK = LearnerWork(answers={"goals_s1": "b"}, ratings={"goals_r1": 2}, reflection={"roles_today": "I lead."})


def key(lesson=None, variant=VARIANT, work=WORK, name="Ana García", version="1.0") -> str:
    return workbook_key(
        lesson_hash(lesson or parse_lesson(builtin_lesson_text())), variant, work_hash(work, name), version
    )


def test_the_same_content_gives_the_same_key_whatever_the_order_it_was_given_in():
    reordered = LearnerWork(ratings={"goals_r1": 2}, reflection={"roles_today": "I lead."}, answers={"goals_s1": "b"})
    assert key() == key(work=reordered)


@pytest.mark.parametrize(
    "change",
    [
        {"work": replace(WORK, answers={"goals_s1": "a"})},
        {"work": replace(WORK, ratings={"goals_r1": 3})},
        {"work": replace(WORK, reflection={"roles_today": "I manage."})},
        {"work": replace(WORK, action_plan={"first_step": "Ask Sam."})},
        {"work": None},
        {"name": "Ana Garcia"},
        {"variant": replace(VARIANT, edition="facilitator")},
        {"variant": replace(VARIANT, paper="letter")},
        {"variant": replace(VARIANT, language="es")},
        {"variant": replace(VARIANT, fillable=True)},
        {"variant": replace(VARIANT, grayscale=True)},
        {"version": "1.1"},
    ],
)
def test_anything_that_changes_a_page_changes_the_key(change):
    assert key(**change) != key()


def test_an_edited_lesson_changes_the_key_and_its_comments_do_not():
    text = builtin_lesson_text()
    edited = patched_builtin({"dimensions[0].takeaway": "Something else entirely."})
    assert key(parse_lesson(edited)) != key()
    assert key(parse_lesson("# an author's note\n" + text)) == key()


def test_the_key_is_the_same_in_another_process():
    """Workers on other machines must find what the submitter named: no per-process salt (``hash()``) in it."""
    program = (
        f"import sys; sys.path[:0] = [{str(Path(__file__).parent)!r}]; import test_workbook_key as t; print(t.key())"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == key()
