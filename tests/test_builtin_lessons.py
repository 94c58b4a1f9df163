"""Every built-in lesson passes every check an author's lesson does, because the block no longer checks them.

``load_builtin_lesson`` builds the shipped lessons without the schema and the rules (a new LMS worker's first view
was 0.1 s slower for them); these tests are what lets it trust the files.
"""

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from leadmanage_xblock.core.content import builtin_lesson_text, load_builtin_lesson, parse_lesson
from leadmanage_xblock.core.languages import LANGUAGES

LESSONS = files("leadmanage_xblock.core.content").joinpath("lessons")
SHIPPED = sorted(entry.name for entry in LESSONS.iterdir() if entry.name.endswith(".yaml"))


def test_every_language_has_its_built_in_lesson():
    assert {"leading_vs_managing.yaml", "leading_vs_managing.es.yaml"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_lesson_file_passes_every_check(name):
    parse_lesson(LESSONS.joinpath(name).read_text(encoding="utf-8"), name)  # ContentError lists any problem


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_built_in_lesson_loaded_unchecked_is_the_checked_one(language):
    assert load_builtin_lesson(language) == parse_lesson(builtin_lesson_text(language), "checked")


def test_a_view_of_the_built_in_lesson_never_loads_jsonschema():
    """A new LMS worker showing the built-in lesson does without jsonschema (3 MiB, 0.1 s)."""
    probe = (
        "import sys; from xblock_runtime import html_of, make_block; html_of(make_block()); "
        "print('jsonschema' in sys.modules)"
    )
    tests = str(Path(__file__).resolve().parent)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tests)
    assert result.stdout.split()[-1] == "False"
