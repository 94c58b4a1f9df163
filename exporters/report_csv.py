"""Open edX's Problem Responses report (CSV) as learner records, for personalised workbooks.

The platform writes one row per learner and block: ``username``, ``title``, ``location``, the columns our
block's ``generate_report_data`` yields (``leadmanage_xblock.core.reports.report_row``), then ``block_key`` and
``state``. Rows of other blocks in the same report are skipped quietly; a report with several LeadManage
blocks needs ``--block`` to say which one; a LeadManage row that does not fit the lesson is handled like a
JSON Lines entry (``responses.checked_entries``).

A course's report can hold hundreds of thousands of rows, so it is streamed twice: once to check the header
and which blocks it holds (so a wrong file is refused before anything is printed), once to read the rows.
A row the csv module cannot read, a line that is too long or not UTF-8, or a row with the wrong number of
cells is reported with its line and the reading goes on with the next line.
"""

import csv
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.reports import record_from_report_row

from .files import open_regular_file
from .responses import (
    MAX_LINE_BYTES,
    Entry,
    RecordError,
    RecordProblem,
    Responses,
    checked_entries,
    decoded_line,
    physical_lines,
    read_json_lines,
)

BLOCK_TYPE_MARK = "type@leadmanage+"
#: A row's first line and its cells, or the problem that kept it from being read.
type NumberedRow = tuple[int, list[str] | RecordProblem]
#: The platform puts the learner's whole state, JSON-escaped, in one cell: a long reflection in a
#: non-Latin script is six times its length there, past the csv module's default limit (131,072).
MAX_FIELD_CHARS = MAX_LINE_BYTES


class ReportFormatError(ValueError):
    """The file is not a Problem Responses report this reader understands."""


def read_responses(path: Path, lesson: Lesson, block: str | None = None) -> Responses:
    """Records from a Problem Responses CSV (``.csv``, rows of ``block`` only) or a JSON Lines file.

    Raises:
        ReportFormatError: ``block`` was given for a JSON Lines file, or the CSV is not a report of this lesson.
        NotARegularFileError: ``path`` is a folder, a device, a pipe or a socket.
        OSError: it cannot be opened.
    """
    if Path(path).suffix.lower() == ".csv":
        return read_report_csv(path, lesson, block)
    if block:
        raise ReportFormatError("--block chooses a LeadManage block in a Problem Responses report (.csv) only")
    return read_json_lines(path, lesson)


def read_report_csv(path: Path, lesson: Lesson, block: str | None = None) -> Responses:
    """The entries of one LeadManage block's rows in the report at ``path``, each with the line it starts on.

    A report made for a whole course may hold several LeadManage blocks; then ``block`` (its usage key)
    says which one, as learners answer each block separately.

    Raises:
        ReportFormatError: no ``username`` column, none of the lesson's columns, several blocks and no
            ``block``, or no rows for ``block``.
        NotARegularFileError: ``path`` is a folder, a device, a pipe or a socket.
        OSError: it cannot be opened.
    """
    rows = _rows(path)
    header = _header(rows, lesson, path)
    rows_per_block, broken = _survey(rows, header)
    _check_block(list(rows_per_block), block, path)
    count = broken + sum(n for key, n in rows_per_block.items() if block is None or key == block)
    return Responses(count, _entries(path, lesson, header, block))


def _rows(path: Path) -> Iterator[NumberedRow]:
    """``(first line, cells)`` for every non-blank row, or ``(line, problem)`` for a row that cannot be read."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    with open_regular_file(path) as stream:
        lines = _TextLines(stream)
        reader = csv.reader(lines)
        while True:
            start = lines.number + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except RecordError as exc:  # the reader starts afresh on the next line
                yield lines.number, RecordProblem(lines.number, str(exc))
            except csv.Error as exc:
                reason = str(exc).split(" - ")[0]  # without the csv module's hint about opening files
                yield start, RecordProblem(start, f"the row cannot be read as CSV: {reason}")
            else:
                if cells:
                    yield start, cells


class _TextLines:
    """The file's lines as text for ``csv.reader``, counted; a line too long or not UTF-8 raises ``RecordError``.

    An iterator class, not a generator: a generator that raises is finished, and the reader must go on.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._lines = physical_lines(stream)
        self.number = 0

    def __iter__(self) -> "_TextLines":
        return self

    def __next__(self) -> str:
        self.number, raw = next(self._lines)
        text = decoded_line(raw)
        return text.removeprefix("\ufeff") if self.number == 1 else text


def _header(rows: Iterator[NumberedRow], lesson: Lesson, path: Path) -> list[str]:
    line, header = next(rows, (1, []))
    if isinstance(header, RecordProblem):
        raise ReportFormatError(f"{path}:{line}: cannot read the header: {header.message}")
    if "username" not in header:
        raise ReportFormatError(f"{path} has no 'username' column: is it a Problem Responses report?")
    if not any(name.startswith(tuple(lesson.scenarios_by_id)) for name in header):
        raise ReportFormatError(
            f"{path} has none of this lesson's columns (such as '{lesson.quiz.scenarios[0].id} answer'): "
            "was it made from another lesson? Pass the same lesson with --content."
        )
    return header


def _survey(rows: Iterator[NumberedRow], header: Sequence[str]) -> tuple[Counter[str], int]:
    """LeadManage rows per block key ("" for rows without one), and how many rows are broken."""
    key_column = header.index("block_key") if "block_key" in header else None
    rows_per_block, broken = Counter[str](), 0
    for _, cells in rows:
        if isinstance(cells, RecordProblem) or len(cells) != len(header):
            broken += 1
        elif _is_ours(key := cells[key_column] if key_column is not None else ""):
            rows_per_block[key] += 1
    return rows_per_block, broken


def _check_block(keys: Iterable[str], block: str | None, path: Path) -> None:
    """Refuse a report with several LeadManage blocks unless ``block`` names one it has."""
    found = sorted(key for key in keys if key)
    if block and block not in found:
        raise ReportFormatError(f"{path} has no rows for block {block}; {_blocks_listed(found)}")
    if block is None and len(found) > 1:
        raise ReportFormatError(f"{path} has answers from {len(found)} LeadManage blocks: {_blocks_listed(found)}")


def _blocks_listed(found: Sequence[str]) -> str:
    if not found:
        return "it names no LeadManage block at all (no block_key column, or no LeadManage rows)"
    return "choose one with --block: " + ", ".join(found)


def _entries(path: Path, lesson: Lesson, header: Sequence[str], block: str | None) -> Iterator[tuple[int, Entry]]:
    rows = _rows(path)
    next(rows, None)  # the header, checked already
    for line, cells in rows:
        if isinstance(cells, RecordProblem):
            yield line, cells
        elif len(cells) != len(header):
            yield line, RecordProblem(line, f"the row has {len(cells)} cells, the header {len(header)}")
        elif _wanted(row := dict(zip(header, cells, strict=True)), block):
            yield from checked_entries(line, record_from_report_row(lesson, row), lesson)


def _wanted(row: Mapping[str, str], block: str | None) -> bool:
    key = row.get("block_key", "")
    return _is_ours(key) and (block is None or key == block)


def _is_ours(block_key: str) -> bool:
    """Whether a row's block key is a LeadManage block (reports without a block key are taken as ours).

    The platform puts the usage key in ``block_key``; ``location`` is a breadcrumb of display names.
    """
    return not block_key or BLOCK_TYPE_MARK in block_key
