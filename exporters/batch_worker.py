"""The worker side of a batch: what each worker process sets up once, and how it renders one learner's workbook.

Each worker builds its fonts and stylesheets once and lays out the lesson's shared pages once
(``pdf_parts.SharedPageWorkbooks``), collects garbage rarely while it renders (a layout allocates hundreds of
thousands of short-lived objects), and writes each workbook through a hidden temporary file renamed once
complete. ``batch.run_batch`` hands these to the ``worker_pool``.
"""

import resource
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from leadmanage_xblock.core.content import Lesson

from .files import OutputError, write_atomically
from .pdf_glyphs import trace_undrawn, undrawn_characters
from .render_memory import BetweenWorkbooks, collect_less
from .responses import LearnerRecord

if TYPE_CHECKING:  # the workers import WeasyPrint when they start; the parent never loads it
    from .batch import Task, WorkbookOptions
    from .pdf_parts import SharedPageWorkbooks

#: Loaded once in the forkserver that every worker forks from: no import cost per worker.
PRELOAD = ["weasyprint", "leadmanage_exporters.pdf"]


class Rendered(NamedTuple):
    """What a worker sends back for one task."""

    error: str | None  # why its workbook was not written, or None when it was
    peak_rss_kb: int  # the worker's largest memory use so far
    warnings: tuple[str, ...] = ()  # characters the workbook could not draw, by learner field


class WorkerState(TypedDict, total=False):
    """What a worker sets up once (``start_worker``): where it writes, and its renderer or why it has none."""

    out_dir: Path
    workbooks: "SharedPageWorkbooks"
    failure: str


def render_workbook(record: LearnerRecord) -> bytes:
    """The learner's personalised workbook, laid out by this worker's shared-page renderer."""
    return _worker["workbooks"].export(record)


_worker: WorkerState = {}


def start_worker(lesson: Lesson, out_dir: Path, options: "WorkbookOptions") -> None:
    """Set this worker up once: where it writes, and its renderer (or why it has none, told for each task)."""
    try:
        from .pdf import PdfExporter
        from .pdf_parts import SharedPageWorkbooks

        _worker.update({"out_dir": out_dir, "workbooks": SharedPageWorkbooks(PdfExporter(**options), lesson)})
    except Exception as exc:  # reported for each of its tasks: a worker that died would only be restarted
        _worker.update({"out_dir": out_dir, "failure": f"the worker could not start: {type(exc).__name__}: {exc}"})
    collect_less()


def render_task(task: "Task", render: Callable[[LearnerRecord], bytes]) -> Rendered:
    """Render one workbook and write it atomically; returns the error or None, peak RSS in KB and warnings."""
    # The previous document's reference cycles go now, so memory holds one document at most. Not after
    # writing: the parent should hear of a finished file at once (Ctrl+C then still counts it).
    _collect_garbage()
    error, undrawn = _worker.get("failure"), set[str]()
    if not error:
        with undrawn_characters() as undrawn:  # whatever ``render`` is, WeasyPrint reports what it cannot draw
            error = _write_workbook(task, render)
    warnings = tuple(problem.message for problem in trace_undrawn(undrawn, task.record))
    return Rendered(error, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, warnings)


def _collect_garbage() -> None:
    """A full collection before each workbook (``render_memory``): the previous document's cycles go."""
    workbooks = _worker.get("workbooks")
    _between.collect(workbooks.shared_layouts if workbooks is not None else 0)


_between = BetweenWorkbooks()


def _write_workbook(task: "Task", render: Callable[[LearnerRecord], bytes]) -> str | None:
    try:
        data = render(task.record)
    except Exception as exc:  # one learner's failure must not stop the batch
        return f"could not render the workbook: {type(exc).__name__}: {exc}"
    try:
        write_atomically(_worker["out_dir"] / task.filename, data)
    except OutputError as exc:  # a full disk: the temporary file is gone already
        return str(exc)
    return None
