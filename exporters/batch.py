"""Personalised workbooks in bulk: one PDF per learner, rendered in worker processes.

WeasyPrint lays out one document on one core, so a batch is spread over processes, never threads; what
each worker does is ``batch_worker``. ``worker_pool`` notices a worker that dies and tries its learner once
more in a fresh one. Entries are read as the workers ask for them, so a batch never holds every record; a
record that fails is reported with its line number and username, and the batch carries on.
"""

import errno
import functools
import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from leadmanage_xblock.core.content import Lesson

from .batch_worker import PRELOAD, Rendered, render_task, render_workbook, start_worker
from .files import OutputError
from .responses import Entry, LearnerRecord, RecordProblem, RecordWarning
from .worker_pool import Lost, Outcome, Retried, WorkerPool

__all__ = ["BatchResult", "RenderFailure", "Task", "WorkbookOptions", "plan_tasks", "render_workbook", "run_batch"]

MAX_STEM = 60
#: Names Windows keeps for devices, whatever the extension ("con.pdf" cannot be created there).
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})


@dataclass(frozen=True)
class Task:
    """One workbook to render: the learner's record, its line in the input, and the output file name."""

    line: int
    filename: str
    record: LearnerRecord


#: What ``plan_tasks`` makes of each entry: a workbook to render, or a problem or warning to report.
type PlannedEntry = Task | RecordProblem | RecordWarning


class WorkbookOptions(TypedDict, total=False):
    """The ``PdfExporter`` options every workbook of a batch is made with (its defaults for those left out)."""

    edition: str
    paper: str
    fillable: bool
    grayscale: bool
    language: str | None


@dataclass(frozen=True)
class RenderFailure:
    """A learner whose workbook was not written, and why."""

    line: int
    username: str
    reason: str

    @property
    def message(self) -> str:
        """One line for the learner's operator: whose workbook is missing and why."""
        return f"no workbook for {self.username!r}: {self.reason}"


@dataclass
class BatchResult:
    """What a batch wrote, skipped, could not write and warned about; its time and largest worker's memory."""

    written: set[Path] = field(default_factory=set)
    skipped: list[RecordProblem] = field(default_factory=list)
    failed: list[RenderFailure] = field(default_factory=list)
    warnings: list[RecordWarning] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_kb: int = 0
    interrupted: bool = False

    @property
    def missing(self) -> int:
        """Entries that got no workbook: skipped lines and failed learners."""
        return len(self.skipped) + len(self.failed)


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def safe_stem(username: str) -> str:
    """A file name stem made of ``[A-Za-z0-9._-]`` only, never hidden, never a path, never empty."""
    ascii_name = unicodedata.normalize("NFKD", username).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._-")[:MAX_STEM] or "learner"


def unique_filename(username: str, taken: set[str]) -> str:
    """A file name for ``username`` that no name in ``taken`` (lower case) has in any case; adds it to ``taken``.

    A name that had to change, or that clashes, gets a stable hash of the username; should even that be
    taken (a learner may be called literally "x_y-<hash of 'x y'>"), a counter follows until it is free.
    Case is ignored because macOS and Windows file systems ignore it.
    """
    stem = safe_stem(username)
    if stem != username or stem.lower() in taken or stem.split(".")[0].lower() in WINDOWS_DEVICES:
        stem = f"{stem}-{hashlib.sha256(username.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    candidate, number = stem, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}-{number}"
    taken.add(candidate.lower())
    return f"{candidate}.pdf"


def plan_tasks(entries: Iterable[tuple[int, Entry]]) -> Iterator[PlannedEntry]:
    """A task with a unique file name for every record; problems, warnings and repeated usernames pass through.

    Lazy: one entry is read per task asked for. Only usernames and file names are kept.
    """
    first_line: dict[str, int] = {}
    taken: set[str] = set()
    for line, entry in entries:
        if not isinstance(entry, LearnerRecord):
            yield entry
        elif entry.username in first_line:
            yield RecordProblem(
                line, f"username {entry.username!r} already appears on line {first_line[entry.username]}"
            )
        else:
            first_line[entry.username] = line
            yield Task(line, unique_filename(entry.username, taken), entry)


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if it is missing and check that a file can be written in it, before any rendering.

    Raises:
        OutputError: it is not a folder, cannot be created, or cannot be written to (the cause in words).
    """
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "it is not a folder")
        out_dir.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out_dir).close()
    except OSError as exc:
        raise OutputError(f"cannot write workbooks to {out_dir}: {exc.strerror or exc}") from None


def run_batch(
    lesson: Lesson,
    entries: Iterable[PlannedEntry],
    out_dir: Path,
    options: WorkbookOptions,
    processes: int = 1,
    on_done: Callable[[], None] = lambda: None,
    render: Callable[[LearnerRecord], bytes] = render_workbook,
) -> BatchResult:
    """Render every task into ``out_dir`` in ``processes`` workers and collect what happened to each entry.

    ``render`` makes one workbook in a worker (a module-level function: it travels by pickle); ``on_done``
    is called once per entry settled (written, failed or skipped). Ctrl+C stops the batch: workers are
    stopped, no partial file is left, and the result says ``interrupted``.
    """
    result, started = BatchResult(), time.perf_counter()
    work = functools.partial(render_task, render=render)
    pool = WorkerPool(processes, start_worker, (lesson, out_dir, options), work, PRELOAD)
    try:
        with pool:
            for outcome in pool.results(_tasks(entries, result, on_done)):
                _settle(outcome, out_dir, result, on_done)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        for outcome in pool.drained:
            _settle(outcome, out_dir, result, on_done)
        for task in pool.abandoned:
            _remove_partial_files(out_dir, task)
    result.seconds = time.perf_counter() - started
    return result


def _tasks(entries: Iterable[PlannedEntry], result: BatchResult, on_done: Callable[[], None]) -> Iterator[Task]:
    """The tasks among ``entries``; problems and warnings go into ``result`` as they are read."""
    for entry in entries:
        if isinstance(entry, Task):
            yield entry
        elif isinstance(entry, RecordWarning):
            result.warnings.append(entry)
        else:
            result.skipped.append(entry)
            on_done()


def _settle(outcome: Outcome[Task, Rendered], out_dir: Path, result: BatchResult, on_done: Callable[[], None]) -> None:
    task, username = outcome.task, outcome.task.record.username
    if isinstance(outcome, Retried):
        _remove_partial_files(out_dir, task)
        result.warnings.append(RecordWarning(task.line, f"{username!r}: {outcome.reason}; trying again in a new one"))
        return
    if isinstance(outcome, Lost):
        _remove_partial_files(out_dir, task)
        result.failed.append(RenderFailure(task.line, username, f"{outcome.reason}, on both tries"))
    else:
        error, peak_rss_kb, warnings = outcome.result
        result.peak_rss_kb = max(result.peak_rss_kb, peak_rss_kb)
        result.warnings.extend(RecordWarning(task.line, f"{username!r}: {warning}") for warning in warnings)
        if error:
            result.failed.append(RenderFailure(task.line, username, error))
        else:
            result.written.add(out_dir / task.filename)
    on_done()


def _remove_partial_files(out_dir: Path, task: Task) -> None:
    """Remove what a worker that was stopped or died left of ``task``'s temporary file."""
    for partial in out_dir.glob(f".{task.filename}.*.part"):  # file names are [A-Za-z0-9._-]: no glob syntax
        partial.unlink(missing_ok=True)
