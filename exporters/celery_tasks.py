"""Personalised workbooks rendered by Celery workers on any machine: the app for a broker, and the task.

One task renders one learner's workbook into the shared output folder (``workbook_store``), under its content
key. The guarantees, and what gives each:

- *Nobody is lost when a worker dies.* Tasks are acknowledged late (after the file is in place), and a task
  whose pool process dies is rejected back to the queue (``task_reject_on_worker_lost``). A whole worker that
  vanishes (``kill -9``, a machine gone) never acknowledges its task: Redis hands it to another worker once
  ``visibility_timeout`` has passed. Each start is recorded beside the cached file, so a learner whose
  workbook has killed its worker ``WORKER_DEATHS_ALLOWED`` times is reported as failed instead of killing
  workers for ever.
- *Running a task twice is harmless.* Its output is named by content key and written atomically: a second
  run finds the file and only links it into place.
- *A storage hiccup is retried* with back-off (1, 2, 4 s); a workbook that cannot be rendered is not (the same
  input fails the same way) and comes back as that learner's error.

Results go to the same Redis as the broker: the submitter reads each learner's outcome (rendered, error,
warnings) from there with one ``MGET`` per poll, and deletes it once read. Only Redis is supported: it is what
Tutor runs, and its transport is the one whose redelivery the tests exercise.
"""

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from celery import Celery, Task
from kombu.exceptions import OperationalError
from kombu.utils.url import maybe_sanitize_url
from redis.exceptions import RedisError

from leadmanage_xblock.core.content import parse_lesson

from .files import OutputError
from .pdf_glyphs import trace_undrawn, undrawn_characters
from .render_memory import BetweenWorkbooks
from .responses import record_from_payload
from .workbook_store import WorkbookStore

if TYPE_CHECKING:  # loaded by the workers when they render: the submitter never loads WeasyPrint
    from .pdf_parts import SharedPageWorkbooks

TASK_NAME = "leadmanage.render_workbook"
QUEUE = "leadmanage.workbooks"
#: A workbook takes about a second; one still rendering after this long is stopped and fails (seconds).
TASK_TIME_LIMIT = 300
#: How long a task may stay unacknowledged before Redis gives it to another worker (seconds): longer than
#: any task may run, or a slow task would be rendered twice (harmless, but wasted).
DEFAULT_VISIBILITY_TIMEOUT = 2 * TASK_TIME_LIMIT
#: Workers that may die with one learner's workbook before that learner is reported instead of retried.
WORKER_DEATHS_ALLOWED = 2
#: Tries after a storage error, each after twice the previous wait (1, 2, 4 s).
STORAGE_RETRIES = 3
SCHEMES = ("redis", "rediss")


class BrokerError(Exception):
    """The broker cannot be used: a URL of the wrong kind, or a server that does not answer."""


class Outcome(TypedDict):
    """What a task reports for its learner (JSON): why there is no workbook, or how it was made."""

    error: str | None
    rendered: bool  # False: it was in the cache already
    worker_deaths: int  # workers that died with it before this run
    warnings: list[str]


def make_app(broker: str, visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT) -> Celery:
    """A Celery app for ``broker`` (a Redis URL), with the workbook task registered.

    Raises:
        BrokerError: ``broker`` is not a URL, or not a ``redis://`` or ``rediss://`` one.
    """
    try:
        url = urlsplit(broker)
        url.port  # noqa: B018 (read to check it: a port that is not a number, or out of range, raises)
    except ValueError as exc:  # Kombu would raise it from deep inside the first connection
        raise BrokerError(f"the broker URL is not valid ({exc}); it looks like redis://HOST:PORT/DB") from None
    if url.scheme not in SCHEMES:
        raise BrokerError(f"the broker must be a Redis URL (redis://HOST:PORT/DB), not {safe_url(broker)!r}")
    app = Celery("leadmanage", broker=broker, backend=broker, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_time_limit=TASK_TIME_LIMIT,
        worker_prefetch_multiplier=1,  # one workbook per process at a time: no task waits behind a slow one
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options=_transport_options(visibility_timeout),
        result_expires=24 * 3600,  # outcomes the submitter never read (it was stopped) go after a day
    )
    app.task(name=TASK_NAME, bind=True)(render_workbook_task)
    return app


def _transport_options(visibility_timeout: float) -> dict[str, float]:
    # Look for abandoned tasks about ten times per visibility timeout (at most every 10 s, Kombu's default);
    # throttle 1: every look scans, so the interval alone says how late a redelivery can be.
    interval = max(1.0, min(10.0, visibility_timeout / 10))
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": interval,
        "unacked_restore_throttle": 1,
    }


def check_broker(app: Celery) -> None:
    """Connect to the broker once.

    Raises:
        BrokerError: it does not answer (the URL, without its password, and the cause).
    """
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=5)
    except (OperationalError, RedisError, OSError) as exc:
        raise BrokerError(f"cannot reach the broker at {safe_url(app.conf.broker_url)}: {exc}") from None


def safe_url(url: str) -> str:
    """``url`` with its password hidden, for messages."""
    return str(maybe_sanitize_url(url))


def render_workbook_task(task: Task, job: dict[str, Any]) -> Outcome:
    """Render (or find) one learner's workbook and put it in place under the learner's file name."""
    store, key = WorkbookStore(Path(job["out_dir"])), job["key"]
    try:
        if store.has(key):
            store.publish(key, job["filename"])
            return Outcome(error=None, rendered=False, worker_deaths=0, warnings=[])
        deaths = store.note_delivery(key, f"{socket.gethostname()}:{os.getpid()}") - task.request.retries
        outcome = _render(store, job, deaths)
        store.forget_deliveries(key)
        return outcome
    except (OSError, OutputError) as exc:
        if task.request.retries >= STORAGE_RETRIES:
            store.forget_deliveries(key)
            return Outcome(error=str(exc), rendered=False, worker_deaths=0, warnings=[])
        raise task.retry(countdown=2**task.request.retries) from exc


def _render(store: WorkbookStore, job: dict[str, Any], deaths: int) -> Outcome:
    if deaths >= WORKER_DEATHS_ALLOWED:
        error = f"its worker stopped while rendering it, {deaths} times"
        return Outcome(error=error, rendered=False, worker_deaths=deaths, warnings=[])
    record = record_from_payload(job["record"])
    renderer = _renderer(store, job)
    # As a batch worker does (render_memory): the last workbook's cycles go, the shared pages leave the
    # collector's sight. ``leadmanage worker`` collects less while rendering (cli_worker).
    _between.collect(sum(kept.shared_layouts for kept in _renderers.values()))
    with undrawn_characters() as undrawn:
        try:
            data = renderer.export(record)
        except Exception as exc:  # one learner's failure is that learner's result, never a retry
            error = f"could not render the workbook: {type(exc).__name__}: {exc}"
            return Outcome(error=error, rendered=False, worker_deaths=deaths, warnings=[])
    store.save(job["key"], data)
    store.publish(job["key"], job["filename"])
    warnings = [problem.message for problem in trace_undrawn(undrawn, record)]
    return Outcome(error=None, rendered=True, worker_deaths=deaths, warnings=warnings)


#: Each worker process's renderers, by lesson and options: fonts, styles and shared pages are set up once.
_renderers: dict[tuple[str, str], "SharedPageWorkbooks"] = {}
_between = BetweenWorkbooks()


def _renderer(store: WorkbookStore, job: dict[str, Any]) -> "SharedPageWorkbooks":
    from .pdf import PdfExporter
    from .pdf_parts import SharedPageWorkbooks

    options = job["options"]
    cache_key = (job["lesson"], repr(sorted(options.items())))
    if cache_key not in _renderers:
        if len(_renderers) >= 4:  # a worker serving many batches keeps the latest few
            _renderers.clear()
        path = store.lesson_path(job["lesson"])
        lesson = parse_lesson(path.read_text(encoding="utf-8"), str(path))
        _renderers[cache_key] = SharedPageWorkbooks(PdfExporter(**options), lesson)
    return _renderers[cache_key]
