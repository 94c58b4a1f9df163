"""Open edX's Problem Responses report (CSV) as learner records, for personalised workbooks.

The platform writes one row per learner and block: ``username``, ``title``, ``location``, the columns our
block's ``generate_report_data`` yields (``leadmanage_xblock.reports.report_row``), then ``block_key`` and
``state``. Rows of other blocks in the same report are skipped quietly; a report with several LeadManage
blocks needs ``--block`` to say which one; a LeadManage row that does not fit the lesson becomes a
``RecordProblem`` with its line, like a bad JSON Lines entry.
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


def read_responses(
    path: Path, lesson: Lesson, block: str | None = None
) -> Iterator[tuple[int, LearnerRecord | RecordProblem]]:
    """Records from a Problem Responses CSV (``.csv``, rows of ``block`` only) or a JSON Lines file.

    Raises:
        ReportFormatError: ``block`` was given for a JSON Lines file.
    """
    if Path(path).suffix.lower() == ".csv":
        return read_report_csv(path, lesson, block)
    if block:
        raise ReportFormatError("--block chooses a LeadManage block in a Problem Responses report (.csv) only")
    return read_json_lines(path, lesson)


def read_report_csv(
    path: Path, lesson: Lesson, block: str | None = None
) -> Iterator[tuple[int, LearnerRecord | RecordProblem]]:
    """Yield ``(line, record or problem)`` for every row of one LeadManage block in the report at ``path``.

    A report made for a whole course may hold several LeadManage blocks; then ``block`` (its usage key)
    says which one, as learners answer each block separately.

    Raises:
        OSError: the file cannot be opened.
        ReportFormatError: no ``username`` column, none of the lesson's columns, several blocks and no
            ``block``, or no rows for ``block``.
    """
    with Path(path).open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        _check_header(reader.fieldnames or [], lesson, path)
        found, line = [], reader.line_num + 1
        for row in reader:
            key = row.get("block_key") or ""
            if key and _is_ours(key) and key not in found:
                found.append(key)
                _check_one_block(found, block, reader, path)
            if _is_ours(key) and (block is None or key == block):
                yield line, _record(row, lesson, line)
            line = reader.line_num + 1
    if block and block not in found:
        raise ReportFormatError(f"{path} has no rows for block {block}; {_blocks_listed(found)}")


def _check_one_block(found: list[str], block: str | None, reader: csv.DictReader, path: Path) -> None:
    """Refuse a report with several LeadManage blocks unless ``block`` says which one to read."""
    if block is None and len(found) > 1:
        found += sorted({key for row in reader if _is_ours(key := row.get("block_key") or "") and key} - set(found))
        raise ReportFormatError(f"{path} has answers from {len(found)} LeadManage blocks: {_blocks_listed(found)}")


def _blocks_listed(found: list[str]) -> str:
    if not found:
        return "it names no LeadManage block at all (no block_key column, or no LeadManage rows)"
    return "choose one with --block: " + ", ".join(found)


def _check_header(header: list[str], lesson: Lesson, path: Path) -> None:
    if "username" not in header:
        raise ReportFormatError(f"{path} has no 'username' column: is it a Problem Responses report?")
    if not any(name.startswith(tuple(lesson.scenarios_by_id)) for name in header):
        raise ReportFormatError(
            f"{path} has none of this lesson's columns (such as '{lesson.quiz.scenarios[0].id} answer'): "
            "was it made from another lesson? Pass the same lesson with --content."
        )


def _is_ours(block_key: str) -> bool:
    """Whether a row's block key is a LeadManage block (reports without a block key are taken as ours).

    The platform puts the usage key in ``block_key``; ``location`` is a breadcrumb of display names.
    """
    return not block_key or BLOCK_TYPE_MARK in block_key


def _record(row: dict, lesson: Lesson, line: int) -> LearnerRecord | RecordProblem:
    try:
        return record_from_dict(record_from_report_row(lesson, row), lesson)
    except RecordError as exc:
        return RecordProblem(line, str(exc))
