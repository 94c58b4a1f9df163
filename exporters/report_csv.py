"""Open edX's Problem Responses report (CSV) as learner records, for personalised workbooks.

The platform writes one row per learner and block: ``username``, ``title``, ``location``, the columns our
block's ``generate_report_data`` yields (``leadmanage_xblock.reports.report_row``), then ``block_key`` and
``state``. Rows of other blocks in the same report are skipped quietly; a LeadManage row that does not fit
the lesson becomes a ``RecordProblem`` with its line, like a bad JSON Lines entry.
"""

import csv
from collections.abc import Iterator
from pathlib import Path

from leadmanage_xblock.content import Lesson
from leadmanage_xblock.reports import record_from_report_row

from .responses import LearnerRecord, RecordError, RecordProblem, read_json_lines, record_from_dict

BLOCK_TYPE_MARK = "type@leadmanage+"


class ReportFormatError(ValueError):
    """The file is not a Problem Responses report this reader understands."""


def read_responses(path: Path, lesson: Lesson) -> Iterator[tuple[int, LearnerRecord | RecordProblem]]:
    """Records from a Problem Responses CSV (``.csv``) or a JSON Lines file (anything else)."""
    if Path(path).suffix.lower() == ".csv":
        return read_report_csv(path, lesson)
    return read_json_lines(path, lesson)


def read_report_csv(path: Path, lesson: Lesson) -> Iterator[tuple[int, LearnerRecord | RecordProblem]]:
    """Yield ``(line, record or problem)`` for every LeadManage row of the report at ``path``.

    Raises:
        OSError: the file cannot be opened.
        ReportFormatError: it has no ``username`` column, or none of the lesson's columns.
    """
    with Path(path).open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        _check_header(reader.fieldnames or [], lesson, path)
        line = reader.line_num + 1
        for row in reader:
            if _is_ours(row):
                yield line, _record(row, lesson, line)
            line = reader.line_num + 1


def _check_header(header: list[str], lesson: Lesson, path: Path) -> None:
    if "username" not in header:
        raise ReportFormatError(f"{path} has no 'username' column: is it a Problem Responses report?")
    if not any(name.startswith(tuple(lesson.scenarios_by_id)) for name in header):
        raise ReportFormatError(
            f"{path} has none of this lesson's columns (such as '{lesson.quiz.scenarios[0].id} answer'): "
            "was it made from another lesson? Pass the same lesson with --content."
        )


def _is_ours(row: dict) -> bool:
    """Whether the row comes from a LeadManage block (reports without a block key are taken as ours).

    The platform puts the usage key in ``block_key``; ``location`` is a breadcrumb of display names.
    """
    key = row.get("block_key") or ""
    return not key or BLOCK_TYPE_MARK in key


def _record(row: dict, lesson: Lesson, line: int) -> LearnerRecord | RecordProblem:
    try:
        return record_from_dict(record_from_report_row(lesson, row), lesson)
    except RecordError as exc:
        return RecordProblem(line, str(exc))
