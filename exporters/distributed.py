"""``export pdf --responses FILE --broker URL``: a batch rendered by Celery workers, with today's summary.

The submitter reads the learners as the process-pool batch does (``plan_tasks``: the same file names, lines
skipped and warnings), gives each learner a content key and sends one task per learner whose workbook is not
in the output folder's cache yet; a cached one is only linked into place, so re-submitting a batch renders
nothing that has not changed. At most ``WINDOW`` tasks are in flight: the queue stays short and memory
bounded however long the file. Outcomes are read back from Redis as they come, each settling its learner as
in ``batch.run_batch``: written, failed (with the reason) or warned about.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.workbook_key import WorkbookVariant, lesson_hash, work_hash, workbook_key

from .batch import BatchResult, PlannedEntry, RenderFailure, Task, WorkbookOptions
from .celery_tasks import TASK_NAME, BrokerError, Outcome, check_broker, make_app, safe_url
from .files import OutputError
from .responses import RecordWarning, record_payload
from .workbook_store import WorkbookStore

#: Tasks sent and not yet settled, at most: enough to keep a few hundred worker processes busy.
WINDOW = 500
#: How often outcomes are looked for (seconds): one MGET of the tasks in flight each time.
POLL_SECONDS = 0.2
#: How long workers have to answer a ping before the submitter says none is listening (seconds).
PING_SECONDS = 0.5


@dataclass
class DistributedResult(BatchResult):
    """A ``BatchResult``, plus how many of the workbooks written were found in the cache, not rendered."""

    reused: int = 0


def open_broker(broker: str) -> Celery:
    """A Celery app connected once to ``broker``; close it when done.

    Raises:
        BrokerError: ``broker`` is not a Redis URL, or does not answer.
    """
    app = make_app(broker)
    try:
        check_broker(app)
    except BrokerError:
        app.close()
        raise
    return app


def run_distributed(
    app: Celery,
    lesson: Lesson,
    lesson_text: str,
    entries: Iterable[PlannedEntry],
    out_dir: Path,
    options: WorkbookOptions,
    on_done: Callable[[], None] = lambda: None,
) -> DistributedResult:
    """Have the workers on ``app``'s broker render every task's workbook into ``out_dir``, and say what happened.

    ``lesson_text`` is the lesson's YAML, which the workers read from the output folder. ``on_done`` is called
    once per entry settled. Ctrl+C stops waiting (``interrupted``): tasks already sent stay queued.

    Raises:
        BrokerError: the broker stopped answering.
        OutputError: the lesson cannot be written to the output folder.
    """
    started = time.perf_counter()
    submission = _Submission(app, lesson, out_dir, options, on_done)
    submission.store.save_lesson(submission.lesson_digest, lesson_text)
    try:
        submission.run(entries)
    except KeyboardInterrupt:
        submission.result.interrupted = True
    except (OperationalError, RedisError) as exc:
        raise BrokerError(f"lost the broker at {safe_url(app.conf.broker_url)}: {exc}") from None
    submission.result.seconds = time.perf_counter() - started
    return submission.result


def workers_listening(app: Celery) -> int:
    """How many workers on ``app``'s broker answer a ping within ``PING_SECONDS``."""
    return len(app.control.ping(timeout=PING_SECONDS))


class _Submission:
    """One batch in flight: what was sent, and what has come back."""

    def __init__(
        self, app: Celery, lesson: Lesson, out_dir: Path, options: WorkbookOptions, on_done: Callable[[], None]
    ) -> None:
        self.app, self.on_done, self.options = app, on_done, options
        self.out_dir = out_dir.resolve()  # workers run elsewhere: the same absolute path on every machine
        self.store = WorkbookStore(self.out_dir)
        self.lesson_digest = lesson_hash(lesson)
        self.variant = WorkbookVariant(
            edition=options.get("edition", "learner"),
            paper=options.get("paper", "a4"),
            language=options.get("language") or lesson.language,
            fillable=options.get("fillable", False),
            grayscale=options.get("grayscale", False),
        )
        self.result = DistributedResult()
        self.in_flight: dict[str, Task] = {}

    def run(self, entries: Iterable[PlannedEntry]) -> None:
        """Send every task (or link its cached workbook), then wait for the rest."""
        for entry in entries:
            if isinstance(entry, Task):
                self._submit(entry)
            elif isinstance(entry, RecordWarning):
                self.result.warnings.append(entry)
            else:
                self.result.skipped.append(entry)
                self.on_done()
            while len(self.in_flight) >= WINDOW:
                self._collect()
        while self.in_flight:
            self._collect()

    def _submit(self, task: Task) -> None:
        record = task.record
        key = workbook_key(self.lesson_digest, self.variant, work_hash(record, record.display_name))
        if self.store.has(key):
            self._settle(task, Outcome(error=None, rendered=False, worker_deaths=0, warnings=[]), key)
            return
        job = {
            "out_dir": str(self.out_dir),
            "lesson": self.lesson_digest,
            "options": dict(self.options),
            "key": key,
            "filename": task.filename,
            "record": record_payload(record),
        }
        self.in_flight[self.app.send_task(TASK_NAME, args=[job]).id] = task

    def _collect(self) -> None:
        """Settle the tasks whose outcome has come (waiting ``POLL_SECONDS`` when none has)."""
        ready = self.app.backend.get_many(set(self.in_flight), interval=POLL_SECONDS, max_iterations=1)
        for task_id, meta in ready:
            task = self.in_flight.pop(task_id)
            self._settle(task, _outcome(meta), None)
            self.app.backend.forget(task_id)

    def _settle(self, task: Task, outcome: Outcome, cached_key: str | None) -> None:
        line, username = task.line, task.record.username
        self.result.warnings.extend(RecordWarning(line, f"{username!r}: {text}") for text in outcome["warnings"])
        if outcome["worker_deaths"]:
            note = f"{username!r}: a worker stopped while rendering it ({outcome['worker_deaths']}x); rendered again"
            self.result.warnings.append(RecordWarning(line, note))
        error = outcome["error"]
        if cached_key and not error:
            error = self._publish_cached(cached_key, task.filename)
        if error:
            self.result.failed.append(RenderFailure(line, username, error))
        else:
            self.result.written.add(self.out_dir / task.filename)
            self.result.reused += not outcome["rendered"]
        self.on_done()

    def _publish_cached(self, key: str, filename: str) -> str | None:
        try:
            self.store.publish(key, filename)
        except OutputError as exc:
            return str(exc)
        return None


def _outcome(meta: dict[str, Any]) -> Outcome:
    """A task's outcome from its result in Redis: its own report, or the exception that ended it."""
    if meta["status"] == "SUCCESS":
        outcome: Outcome = meta["result"]
        return outcome
    error = meta["result"]
    return Outcome(
        error=f"its task failed: {type(error).__name__}: {error}", rendered=False, worker_deaths=0, warnings=[]
    )
