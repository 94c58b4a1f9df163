"""Learner records for personalised workbooks, and the JSON Lines reader.

A ``LearnerRecord`` is what one learner answered and wrote. Readers turn an input file into records
and, for every bad entry, a ``RecordProblem`` naming its line, so one bad entry never stops a batch.
``record_from_dict`` checks a parsed entry against the lesson; both readers use it (JSON Lines here, Open edX's
Problem Responses CSV in ``report_csv.py``).
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadmanage_xblock.content import Lesson

MAX_USERNAME = 150
MAX_FULL_NAME = 200
KEYS = frozenset({"username", "full_name", "answers", "ratings", "reflection", "action_plan"})


@dataclass(frozen=True)
class LearnerRecord:
    """One learner's answers, self-ratings, reflection and action plan, checked against the lesson."""

    username: str
    full_name: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)
    ratings: Mapping[str, int] = field(default_factory=dict)
    reflection: Mapping[str, str] = field(default_factory=dict)
    action_plan: Mapping[str, str] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        """The name printed on the workbook: the full name, or the username when there is none."""
        return self.full_name or self.username


@dataclass(frozen=True)
class RecordProblem:
    """An entry that could not be used, and why."""

    line: int
    message: str


class RecordError(ValueError):
    """An entry does not fit the lesson; the message lists every reason."""


def read_json_lines(path: Path, lesson: Lesson) -> Iterator[tuple[int, LearnerRecord | RecordProblem]]:
    """Yield ``(line number, record or problem)`` for every non-blank line of ``path``.

    Raises:
        OSError: the file cannot be opened.
    """
    with Path(path).open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if raw.strip():
                yield number, _parse_line(number, raw, lesson)


def _parse_line(number: int, raw: bytes, lesson: Lesson) -> LearnerRecord | RecordProblem:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return RecordProblem(number, "the line is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return RecordProblem(number, f"invalid JSON: {exc.msg} (column {exc.colno})")
    try:
        return record_from_dict(data, lesson)
    except RecordError as exc:
        return RecordProblem(number, str(exc))


def record_from_dict(data: Any, lesson: Lesson) -> LearnerRecord:
    """Check one parsed entry against ``lesson`` and build its record.

    Raises:
        RecordError: with every problem found, separated by semicolons.
    """
    if not isinstance(data, dict):
        raise RecordError(f"expected a JSON object, got {type(data).__name__}")
    problems = [f"unknown key {key!r}" for key in data if key not in KEYS]
    problems += _text_problems(data, "username", MAX_USERNAME, required=True)
    problems += _text_problems(data, "full_name", MAX_FULL_NAME, required=False)
    problems += _answer_problems(data.get("answers", {}), lesson)
    problems += _rating_problems(data.get("ratings", {}), lesson)
    problems += _writing_problems(data.get("reflection", {}), "reflection", *lesson.writing_fields("reflection"))
    problems += _writing_problems(data.get("action_plan", {}), "action_plan", *lesson.writing_fields("plan"))
    if problems:
        raise RecordError("; ".join(problems))
    return LearnerRecord(**{key: data[key] for key in KEYS if key in data})


def _text_problems(data: dict, key: str, limit: int, required: bool) -> list[str]:
    value = data.get(key)
    if value is None:
        return [f"{key} is missing"] if required else []
    if not isinstance(value, str) or (required and not value.strip()):
        return [f"{key} must be non-empty text"]
    return [f"{key} is longer than {limit} characters"] if len(value) > limit else []


def _answer_problems(answers: Any, lesson: Lesson) -> list[str]:
    if not isinstance(answers, dict):
        return ["answers must be an object of scenario id: option id"]
    problems = []
    for item_id, option_id in answers.items():
        item = lesson.scenarios_by_id.get(item_id)
        if item is None:
            problems.append(f"answers: unknown scenario {item_id!r}")
        elif not item.accepts(option_id):
            valid = ", ".join(sorted(item.option_ids))
            problems.append(f"answers.{item_id}: unknown option {option_id!r} (options: {valid})")
    return problems


def _rating_problems(ratings: Any, lesson: Lesson) -> list[str]:
    if not isinstance(ratings, dict):
        return ["ratings must be an object of rating id: number"]
    scale = lesson.quiz.ratings.scale
    problems = []
    for item_id, value in ratings.items():
        if item_id not in lesson.ratings_by_id:
            problems.append(f"ratings: unknown self-rating {item_id!r}")
        elif not scale.accepts(value):
            problems.append(f"ratings.{item_id}: expected a whole number from 1 to {scale.points}, got {value!r}")
    return problems


def _writing_problems(texts: Any, key: str, ids: tuple[str, ...], limit: int) -> list[str]:
    if not isinstance(texts, dict):
        return [f"{key} must be an object of id: text"]
    problems = []
    for text_id, text in texts.items():
        if text_id not in ids:
            problems.append(f"{key}: unknown id {text_id!r} (ids: {', '.join(ids)})")
        elif not isinstance(text, str):
            problems.append(f"{key}.{text_id}: expected text, got {type(text).__name__}")
        elif len(text) > limit:
            problems.append(f"{key}.{text_id}: {len(text)} characters; at most {limit}")
    return problems
