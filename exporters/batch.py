"""Personalised workbooks in bulk: one PDF per learner, rendered in worker processes.

WeasyPrint lays out one document on one core, so a batch is spread over processes, never threads.
Each worker builds its fonts and stylesheets once, lays out the lesson's shared pages once
(``pdf_parts``) and writes its own files; a record that fails is reported with its line number and
the batch carries on.
"""

import gc
import hashlib
import multiprocessing
import os
import re
import resource
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leadmanage_xblock.content import Lesson

from .responses import LearnerRecord, RecordProblem

MAX_STEM = 60
#: Allocations between young-generation collections in a worker (Python's default is 700).
GC_THRESHOLD = 50_000


@dataclass(frozen=True)
class Task:
    """One workbook to render: the learner's record, its line in the input, and the output file name."""

    line: int
    filename: str
    record: LearnerRecord


@dataclass
class BatchResult:
    """What a batch wrote, what it skipped, how long it took and its largest worker's peak memory."""

    written: list[Path] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_kb: int = 0


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def safe_stem(username: str) -> str:
    """A file name stem made of ``[A-Za-z0-9._-]`` only, never hidden, never a path, never empty."""
    ascii_name = unicodedata.normalize("NFKD", username).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._-")[:MAX_STEM] or "learner"


def plan_tasks(entries: Iterable[tuple[int, LearnerRecord | RecordProblem]]) -> tuple[list[Task], list[RecordProblem]]:
    """Give every good record a unique file name; bad entries and repeated usernames become problems."""
    tasks, problems, first_line, taken = [], [], {}, set()
    for line, entry in entries:
        if isinstance(entry, RecordProblem):
            problems.append(entry)
        elif entry.username in first_line:
            problems.append(
                RecordProblem(line, f"username {entry.username!r} already appears on line {first_line[entry.username]}")
            )
        else:
            first_line[entry.username] = line
            stem = safe_stem(entry.username)
            if stem.lower() in taken or stem != entry.username:
                # A changed or clashing name gets a stable suffix, so two learners never share a file.
                stem = f"{stem}-{hashlib.sha256(entry.username.encode()).hexdigest()[:8]}"
            taken.add(stem.lower())
            tasks.append(Task(line, f"{stem}.pdf", entry))
    return tasks, problems


def run_batch(
    lesson: Lesson,
    tasks: list[Task],
    out_dir: Path,
    options: dict,
    processes: int = 1,
    on_done: Callable[[], None] = lambda: None,
) -> BatchResult:
    """Render every task into ``out_dir`` with ``PdfExporter(**options)``; ``on_done`` is called per task."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result, started = BatchResult(), time.perf_counter()
    for outcome in _outcomes(lesson, tasks, out_dir, options, processes):
        line, path, error, peak = outcome
        result.peak_rss_kb = max(result.peak_rss_kb, peak)
        if error:
            result.problems.append(RecordProblem(line, f"could not render the workbook: {error}"))
        else:
            result.written.append(Path(path))
        on_done()
    result.seconds = time.perf_counter() - started
    return result


def _outcomes(lesson, tasks, out_dir, options, processes):
    if processes <= 1 or len(tasks) <= 1:
        _start_worker(lesson, out_dir, options)
        previous = _collect_less()
        try:
            yield from map(_render_task, tasks)
        finally:
            _worker.clear()  # the shared pages' layouts go with the batch
            gc.set_threshold(*previous)
            gc.unfreeze()
        return
    context = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has WeasyPrint loaded already: no import cost per worker.
    context.set_forkserver_preload(["weasyprint", "leadmanage_exporters.pdf"])
    with context.Pool(min(processes, len(tasks)), _start_pool_worker, (lesson, out_dir, options)) as pool:
        yield from pool.imap_unordered(_render_task, tasks)


_worker: dict = {}


def _start_worker(lesson: Lesson, out_dir: Path, options: dict) -> None:
    from .pdf import PdfExporter
    from .pdf_parts import SharedPageWorkbooks

    _worker.update(out_dir=out_dir, workbooks=SharedPageWorkbooks(PdfExporter(**options), lesson))


def _start_pool_worker(lesson: Lesson, out_dir: Path, options: dict) -> None:
    _start_worker(lesson, out_dir, options)
    _collect_less()


def _collect_less() -> tuple[int, int, int]:
    """Collect garbage less often while rendering; returns the previous thresholds.

    A layout allocates hundreds of thousands of short-lived objects, and with Python's default
    thresholds the collector runs every few hundred of them, each time rescanning everything that
    has survived so far (about 8 % of render time, measured). Freezing takes what the worker has
    loaded up to now out of its sight; each task ends with a full collection, so a worker's memory
    stays as low as with the default thresholds.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 100)
    return previous


def _render_task(task: Task) -> tuple[int, str, str | None, int]:
    """Render one workbook and write it atomically; returns (line, path, error or None, peak RSS in KB)."""
    target = _worker["out_dir"] / task.filename
    partial = target.with_name(f".{task.filename}.part")
    error = None
    try:
        partial.write_bytes(_worker["workbooks"].export(task.record))
        partial.replace(target)
    except Exception as exc:  # one learner's failure must not stop the batch
        partial.unlink(missing_ok=True)
        error = f"{type(exc).__name__}: {exc}"
    gc.collect()  # the finished document's reference cycles go now, so memory holds one document at most
    return task.line, str(target), error, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
