"""Learner records for personalised workbooks, and the JSON Lines reader.

A ``LearnerRecord`` is what one learner answered and wrote. Readers turn an input file into records and,
for every entry that cannot be used, a ``RecordProblem`` naming its line, so one bad entry never stops a
batch. ``record_from_dict`` checks a parsed entry against the lesson and keeps what is valid: an answer
for an item the lesson no longer has, an option or rating it does not know, a text over the limit is left
out (or cut) with a ``RecordWarning``, and the learner still gets a workbook. Only an entry without a usable
username is skipped. Both readers use it (JSON Lines here, Open edX's Problem Responses CSV in
``report_csv.py``), and both stream: memory holds one line at a time, whatever the size of the file.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.learner_text import clean_text
from leadmanage_xblock.core.learner_work import (
    NOT_AN_OBJECT,
    NOT_TEXT,
    OFF_SCALE,
    TEXT_KINDS,
    UNKNOWN_ITEM,
    UNKNOWN_OPTION,
    Issue,
    LearnerWork,
    check_work,
)

from .files import open_regular_file

MAX_USERNAME = 150
MAX_FULL_NAME = 200
KEYS = frozenset({"username", "full_name", "answers", "ratings", "reflection", "action_plan"})
#: The longest input line read (4 MB): far above any real record, low enough that no file exhausts memory.
MAX_LINE_BYTES = 4 * 1024 * 1024
#: How much of an over-long line is read at a time to find its end.
SKIPPED_CHUNK = 64 * 1024
#: Warnings listed per entry; a line with thousands of stray keys gets one more saying how many were left out.
MAX_WARNINGS = 20
#: How much of a stray value a message quotes.
SHOWN_CHARS = 40


@dataclass(frozen=True, kw_only=True)
class LearnerRecord(LearnerWork):
    """One learner's work (``LearnerWork``, checked against the lesson) with the name their workbook shows."""

    username: str = field(kw_only=False)
    full_name: str = ""

    @classmethod
    def of(cls, work: LearnerWork, *, username: str, full_name: str = "") -> "LearnerRecord":
        """The record of ``work`` for the learner ``username``."""
        texts = {kind: work.texts(kind) for kind in TEXT_KINDS}
        return cls(username, full_name=full_name, answers=work.answers, ratings=work.ratings, **texts)

    @property
    def display_name(self) -> str:
        """The name printed on the workbook: the full name, or the username when there is none."""
        return self.full_name or self.username


#: Where ``record_payload`` puts each part of a learner's record.
RECORD_FIELDS = ("full_name", "answers", "ratings", "reflection", "action_plan")


def record_payload(record: LearnerRecord) -> dict[str, Any]:
    """A learner's record as JSON-ready data, for a task queue (``record_from_payload`` reads it back)."""
    return {"username": record.username, **{name: _plain(getattr(record, name)) for name in RECORD_FIELDS}}


def record_from_payload(payload: dict[str, Any]) -> LearnerRecord:
    """The learner's record ``record_payload`` made (already checked against the lesson when it was made)."""
    return LearnerRecord(payload["username"], **{name: payload[name] for name in RECORD_FIELDS})


def _plain(value: Any) -> Any:
    return dict(value) if not isinstance(value, str) else value


@dataclass(frozen=True)
class RecordProblem:
    """An entry that could not be used at all, and why: its learner gets no workbook."""

    line: int
    message: str


@dataclass(frozen=True)
class RecordWarning:
    """Part of an entry that was left out or cut, and why: its learner still gets a workbook."""

    line: int
    message: str


Entry = LearnerRecord | RecordProblem | RecordWarning


@dataclass(frozen=True)
class Responses:
    """An input file's entries as ``(line, entry)`` pairs, read lazily, and how many entries it holds."""

    count: int
    entries: Iterable[tuple[int, Entry]]

    def __iter__(self) -> Iterator[tuple[int, Entry]]:
        """The entries, in file order (one pass only)."""
        return iter(self.entries)


class RecordError(ValueError):
    """An entry cannot become a record (no usable username, not an object); the message says why."""


def physical_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` for every line of ``stream``; ``None`` for a line over ``MAX_LINE_BYTES``.

    The rest of a longer line is read on in small chunks and dropped, so memory never holds more than
    one limit's worth of it.
    """
    number = 0
    while line := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield number, line
            continue
        line = b""  # let the first part go before reading on
        while (rest := stream.readline(SKIPPED_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield number, None


def read_json_lines(path: Path, lesson: Lesson) -> Responses:
    """The entries of the JSON Lines file at ``path``: for each non-blank line a record or a problem.

    A record's warnings come just before it, with the same line number.

    Raises:
        NotARegularFileError: ``path`` is a folder, a device, a pipe or a socket.
        OSError: it cannot be opened.
    """
    with open_regular_file(path) as stream:
        count = sum(1 for _, raw in physical_lines(stream) if raw is None or raw.strip())
    return Responses(count, _json_entries(Path(path), lesson))


def _json_entries(path: Path, lesson: Lesson) -> Iterator[tuple[int, Entry]]:
    with open_regular_file(path) as stream:
        for number, raw in physical_lines(stream):
            if raw is not None and not raw.strip():
                continue
            try:
                data = _parsed_line(raw)
            except RecordError as exc:
                yield number, RecordProblem(number, str(exc))
            else:
                yield from checked_entries(number, data, lesson)


def _parsed_line(raw: bytes | None) -> object:
    """The line's JSON value.

    Raises:
        RecordError: the line is too long, not UTF-8 or not JSON.
    """
    text = decoded_line(raw)
    try:
        return json.loads(text)
    except RecursionError:
        raise RecordError("invalid JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except ValueError:  # the only other one json raises: an integer past Python's digit limit
        raise RecordError("invalid JSON: a number with too many digits") from None


def decoded_line(raw: bytes | None) -> str:
    """One line from ``physical_lines`` as text.

    Raises:
        RecordError: the line was too long (``None``) or is not UTF-8.
    """
    if raw is None:
        raise RecordError(f"the line is longer than {MAX_LINE_BYTES // 2**20} MB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"the line is not UTF-8 text (byte {exc.start + 1})") from None


def checked_entries(line: int, data: object, lesson: Lesson) -> list[tuple[int, Entry]]:
    """What one parsed entry gives: its warnings then its record, or one problem."""
    try:
        record, warnings = record_from_dict(data, lesson)
    except RecordError as exc:
        return [(line, RecordProblem(line, str(exc)))]
    return [*((line, RecordWarning(line, warning)) for warning in warnings), (line, record)]


def record_from_dict(data: object, lesson: Lesson) -> tuple[LearnerRecord, list[str]]:
    """Check one parsed entry against ``lesson``: its record, and what was left out of it.

    ``check_work`` decides what fits (the same rules as the XBlock's handlers); what does not is left out with
    a warning saying what and why, and a text over the lesson's limit is cut to it.

    Raises:
        RecordError: ``data`` is not an object, or has no usable username.
    """
    if not isinstance(data, dict):
        raise RecordError(f"expected a JSON object, got {_described(data)}")
    username = _username(data.get("username"))
    full_name, warnings = _full_name(data.get("full_name", ""))
    warnings += [f"unknown key {_described(key)}; left out" for key in data if key not in KEYS]
    work, issues = check_work(lesson, data)
    warnings += [_warning(issue, lesson) for issue in issues]
    texts = {kind: _cut_to_limit(work.texts(kind), lesson.writing_fields(kind)[1]) for kind in TEXT_KINDS}
    if len(warnings) > MAX_WARNINGS:
        warnings[MAX_WARNINGS:] = [f"{len(warnings) - MAX_WARNINGS} more item(s) left out"]
    return LearnerRecord(username, full_name=full_name, answers=work.answers, ratings=work.ratings, **texts), warnings


def _username(value: object) -> str:
    if value is None:
        raise RecordError("username is missing")
    username = clean_text(value) if isinstance(value, str) else ""
    if not username.strip():
        raise RecordError(f"username must be non-empty text, got {_described(value)}")
    if len(username) > MAX_USERNAME:
        raise RecordError(f"username is longer than {MAX_USERNAME} characters")
    return username


def _full_name(value: object) -> tuple[str, list[str]]:
    if value is None:
        return "", []
    if not isinstance(value, str):
        return "", [f"full_name: expected text, got {_described(value)}; left out"]
    return _cut(clean_text(value), "full_name", MAX_FULL_NAME)


#: How each kind's values are described when the whole kind has the wrong type, and what an unknown id is.
SHAPES = {
    "answers": ("an object of scenario id: option id", "scenario", "answer"),
    "ratings": ("an object of rating id: number", "self-rating", "rating"),
}


def _warning(issue: Issue, lesson: Lesson) -> str:
    """What was left out of an entry, and why (or, for a long text, where it was cut)."""
    shape, thing, part = SHAPES.get(issue.kind, ("an object of id: text", "id", "text"))
    where, value = f"{issue.kind}.{issue.item_id}", _described(issue.value)
    if issue.reason == NOT_AN_OBJECT:
        return f"{issue.kind}: expected {shape}, got {value}; left out"
    if issue.reason == UNKNOWN_ITEM:
        ids = "" if issue.kind in SHAPES else f" (ids: {', '.join(lesson.writing_fields(issue.kind)[0])})"
        return f"{issue.kind}: unknown {thing} {_described(issue.item_id)}{ids}; its {part} was left out"
    if issue.reason == UNKNOWN_OPTION:
        options = ", ".join(sorted(lesson.scenarios_by_id[issue.item_id].option_ids))
        return f"{where}: unknown option {value} (options: {options}); left out"
    if issue.reason == OFF_SCALE:
        return f"{where}: expected a whole number from 1 to {lesson.quiz.ratings.scale.points}, got {value}; left out"
    if issue.reason == NOT_TEXT:
        return f"{where}: expected text, got {value}; left out"
    limit = lesson.writing_fields(issue.kind)[1]
    return f"{where}: {issue.value:,} characters, at most {limit}; kept the first {limit}"


def _cut_to_limit(texts: Mapping[str, str], limit: int) -> dict[str, str]:
    return {text_id: text[:limit] for text_id, text in texts.items()}


def _cut(text: str, where: str, limit: int) -> tuple[str, list[str]]:
    """``text`` cut to ``limit`` characters, with a warning when it was longer."""
    if len(text) <= limit:
        return text, []
    return text[:limit], [f"{where}: {len(text):,} characters, at most {limit}; kept the first {limit}"]


def _described(value: object) -> str:
    """A short, printable description of a JSON value for a message (never the whole of a huge value)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "an array"
    shown = repr(value[: SHOWN_CHARS + 1] if isinstance(value, str) else value)
    return shown if len(shown) <= SHOWN_CHARS else shown[:SHOWN_CHARS] + "…"
