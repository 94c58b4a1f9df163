"""Broken lessons as small patches of the built-in one, and the line of the generated YAML a problem points at.

A patch maps a path, written as the loader writes it in its messages (``quiz.scenarios[0].dimension``), to the
new value, to ``DELETE``, or to a function of the old value. The built-in lesson is patched as data and dumped
with ``yaml.safe_dump``, so a test names only what it breaks and follows the lesson when the lesson changes.
"""

import copy
import re
from functools import cache
from typing import Any

import yaml

from leadmanage_xblock.core.content import builtin_lesson_text

#: A patch value that removes the key or list item at its path.
DELETE = object()
_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def patched_builtin(patch: dict[str, Any]) -> str:
    """The built-in (English) lesson as YAML text, with every path in ``patch`` set, deleted or changed."""
    data = copy.deepcopy(_builtin_data())
    for path, value in patch.items():
        *parents, last = _parts(path)
        container = data
        for part in parents:
            container = container[part]
        _set(container, last, value)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def line_of(text: str, *steps: str) -> int:
    """The number of the line of ``text`` reached by reading down to each of ``steps`` in turn.

    A step matches a whole line once its indentation and list dash are stripped, so ``line_of(text, "id: goals_s1",
    "options:")`` is the first ``options:`` line below ``- id: goals_s1``. The first step must match one line only.
    """
    lines = [line.strip().removeprefix("- ") for line in text.splitlines()]
    assert lines.count(steps[0]) == 1, f"{steps[0]!r} is on {lines.count(steps[0])} lines of the lesson, not one"
    number = -1
    for step in steps:
        number = lines.index(step, number + 1)
    return number + 1


@cache
def _builtin_data() -> dict:
    return yaml.safe_load(builtin_lesson_text("en"))


def _parts(path: str) -> list[str | int]:
    return [int(index) if index else key for index, key in _PART.findall(path)]


def _set(container: dict | list, key: str | int, value: Any) -> None:
    if value is DELETE:
        del container[key]
    elif callable(value):
        container[key] = value(container[key])
    else:
        container[key] = value
