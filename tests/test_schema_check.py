"""The loader's own schema check finds exactly what jsonschema finds, on hundreds of broken lessons.

jsonschema is the oracle here only: the loader does without it (90 ms and 3 MiB in a new LMS worker).
"""

import copy
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from leadmanage_xblock.core.content import builtin_lesson_text, lesson_schema, parse_lesson
from leadmanage_xblock.core.content.schema_check import KNOWN_KEYWORDS, schema_errors

#: What each node is replaced with, in turn: every JSON type, the edges of lengths and ranges, a bad id.
REPLACEMENTS = [None, 7, 2.5, True, "", "x" * 5000, [], {}, "Not An Id!", -1, 10**400, [None] * 60, {"stray": 1}]


def found_by_ours(data: Any) -> set[tuple[tuple, str]]:
    return {(tuple(error.absolute_path), error.validator) for error in schema_errors(data, lesson_schema())}


@cache
def oracle() -> Draft202012Validator:
    return Draft202012Validator(lesson_schema())


def found_by_jsonschema(data: Any) -> set[tuple[tuple, str]]:
    return {(tuple(error.absolute_path), error.validator) for error in oracle().iter_errors(data)}


def node_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """The path of every node of ``value``, parents first."""
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from node_paths(child, (*path, key))


def replaced(data: Any, path: tuple, new: Any) -> Any:
    broken = copy.deepcopy(data)
    *parents, last = path
    container = broken
    for key in parents:
        container = container[key]
    container[last] = new
    return broken


def broken_lessons(language: str) -> Iterator[Any]:
    """The built-in lesson with one node replaced, for every node (a new kind of value each time)."""
    data = yaml.safe_load(builtin_lesson_text(language))
    paths = list(node_paths(data))[1:]
    for path, new in zip(paths, itertools.cycle(REPLACEMENTS), strict=False):
        yield replaced(data, path, new)
    yield {**data, "unknown_key": 1}
    yield {key: value for key, value in data.items() if key != "quiz"}


def test_every_broken_lesson_gets_the_problems_jsonschema_finds():
    """Every node of the lesson broken in turn (one lesson each; the Spanish one has the same shape)."""
    checked = 0
    for data in broken_lessons("en"):
        assert found_by_ours(data) == found_by_jsonschema(data)
        checked += 1
    assert checked > 600


def test_a_valid_lesson_has_no_schema_problem():
    data = yaml.safe_load(builtin_lesson_text("en"))
    assert found_by_ours(data) == set() == found_by_jsonschema(data)


def test_the_check_knows_every_keyword_the_schema_uses():
    """A keyword added to the schema that the check ignores would let broken lessons through silently."""

    def keywords(schema: dict) -> Iterator[str]:
        for keyword, value in schema.items():
            yield keyword
            if keyword in ("properties", "$defs"):
                for child in value.values():
                    yield from keywords(child)
            elif keyword == "items":
                yield from keywords(value)

    assert set(keywords(lesson_schema())) <= KNOWN_KEYWORDS


def test_an_authors_lesson_is_checked_without_loading_jsonschema(tmp_path: Path):
    """A new LMS worker's first view of a lesson saved in Studio does without jsonschema (3 MiB, 90 ms)."""
    text = builtin_lesson_text("en").replace("title:", "title:", 1) + "\n# edited in Studio\n"
    probe = (
        "import sys, json; from leadmanage_xblock.core.content import parse_lesson; "
        f"parse_lesson(json.loads({json.dumps(json.dumps(text))})); print('jsonschema' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.split()[-1] == "False"
    assert parse_lesson(text).title
