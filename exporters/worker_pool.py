"""Worker processes that survive their own deaths: one task in flight per worker, every death noticed.

``multiprocessing.Pool`` waits for ever for a result from a worker that the kernel killed (out of
memory, a crash in a C library). Here each worker holds one task at a time and the parent waits on every
worker's result pipe *and* its process sentinel, so it knows exactly which task a dead worker held. That
task is tried once more in a fresh worker (the dead one may have been the problem); if that worker dies
too, the task is lost and reported, never waited for. Workers ignore Ctrl+C: the parent decides when a
batch stops, and ``WorkerPool``'s exit stops them all.

Workers fork from a forkserver: a clean process, never a copy of a parent with threads, that has the
heavy modules (``preload``) loaded once.
"""

import contextlib
import multiprocessing
import multiprocessing.forkserver
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

#: How long a stopping worker may take to exit before it is killed (seconds).
STOP_TIMEOUT = 5.0
#: Tries per task: the first, and one in a fresh worker after a worker died with it.
ATTEMPTS = 2
#: A task taking longer (seconds) has its worker stopped, as if it had died: a stuck worker must not hang
#: the batch. A workbook takes about a second; a worker's first one, with the shared pages, a few more.
TASK_TIMEOUT = 300.0


@dataclass(frozen=True)
class Finished[TaskT, ResultT]:
    """A task whose worker sent back a result."""

    task: TaskT
    result: ResultT


@dataclass(frozen=True)
class Retried[TaskT]:
    """A task whose worker died with it (``reason``); it is queued for a fresh worker."""

    task: TaskT
    reason: str


@dataclass(frozen=True)
class Lost[TaskT]:
    """A task whose worker died with it on its last try (``reason``): it has no result."""

    task: TaskT
    reason: str


#: What became of one task.
type Outcome[TaskT, ResultT] = Finished[TaskT, ResultT] | Retried[TaskT] | Lost[TaskT]


@dataclass
class _Worker[TaskT]:
    process: BaseProcess
    connection: Connection
    task: TaskT  # the task it holds while ``busy``; the last one it held otherwise
    attempt: int = 0
    deadline: float = 0.0
    timed_out: bool = False

    @property
    def busy(self) -> bool:
        return self.attempt > 0


class WorkerPool[TaskT, ResultT, *SetupArgs]:
    """Up to ``processes`` workers, each running ``setup(*setup_args)`` once and then ``work(task)`` per task.

    ``setup``, ``work`` and the tasks travel to the workers by pickle, so they must be module-level
    functions and plain data; ``work`` should catch its own errors and return them as its result.
    Use as a context manager: leaving it (normally, on an error or on Ctrl+C) stops every worker. The
    results that workers sent but ``results`` did not yield are then in ``drained``, and the tasks that
    were stopped half-done in ``abandoned``.
    """

    def __init__(
        self,
        processes: int,
        setup: Callable[[*SetupArgs], None],
        setup_args: tuple[*SetupArgs],
        work: Callable[[TaskT], ResultT],
        preload: list[str],
        task_timeout: float = TASK_TIMEOUT,
    ) -> None:
        """Nothing starts until ``results`` asks for the first task."""
        self.processes, self.setup, self.setup_args, self.work = processes, setup, setup_args, work
        self.preload, self.task_timeout = preload, task_timeout
        self.drained: list[Finished[TaskT, ResultT]] = []
        self.abandoned: list[TaskT] = []
        self._workers: list[_Worker[TaskT]] = []
        self._stopping: list[_Worker[TaskT]] = []

    def __enter__(self) -> "WorkerPool[TaskT, ResultT, *SetupArgs]":
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        with sigint_ignored():  # a second Ctrl+C must not leave workers or their files behind
            workers = self._workers + self._stopping
            for worker in workers:
                if error_type is None and not worker.busy:
                    self._stop(worker)
                else:
                    worker.process.terminate()
            for worker in workers:
                _join(worker)
                if worker.busy:
                    self._drain(worker)
                worker.connection.close()
            self._workers, self._stopping = [], []

    def _drain(self, worker: _Worker[TaskT]) -> None:
        """Keep a result a stopped worker sent before it stopped (its file is complete), else abandon its task."""
        with contextlib.suppress(EOFError, OSError):  # nothing sent, or cut off mid-message
            if worker.connection.poll():
                self.drained.append(Finished(worker.task, worker.connection.recv()))
                return
        self.abandoned.append(worker.task)

    def results(self, tasks: Iterable[TaskT]) -> Iterator[Outcome[TaskT, ResultT]]:
        """Run every task (read lazily from ``tasks``); yields each outcome as it comes, in any order."""
        feed, retries = iter(tasks), deque[tuple[TaskT, int]]()
        while True:
            self._assign(feed, retries)
            busy = [worker for worker in self._workers if worker.busy]
            if not busy:
                return
            timeout = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout))
            for worker in busy:
                if worker.connection in ready or worker.process.sentinel in ready:
                    yield self._collect(worker, retries)
                elif time.monotonic() > worker.deadline and not worker.timed_out:
                    worker.timed_out = True
                    worker.process.kill()  # its sentinel is ready next time round: handled as a death

    def _assign(self, feed: Iterator[TaskT], retries: deque[tuple[TaskT, int]]) -> None:
        """Give each idle worker a new task (or stop it when none are left); start workers for the rest."""
        for worker in [worker for worker in self._workers if not worker.busy]:
            task = next(feed, _Feed.EMPTY)
            if task is _Feed.EMPTY:
                self._stop(worker)
            else:
                self._send(worker, task, 1)
        # Retries only go to new workers: the one that died may have been the problem, not the task.
        while len(self._workers) < self.processes:
            task, attempt = retries.popleft() if retries else (next(feed, _Feed.EMPTY), 1)
            if task is _Feed.EMPTY:
                return
            self._send(self._start(task), task, attempt)

    def _collect(self, worker: _Worker[TaskT], retries: deque[tuple[TaskT, int]]) -> Outcome[TaskT, ResultT]:
        with contextlib.suppress(EOFError, OSError):  # no result: the worker died
            if worker.connection.poll():
                result = worker.connection.recv()
                worker.attempt = 0
                return Finished(worker.task, result)
        self._workers.remove(worker)
        reason = _death(worker)
        if worker.timed_out:
            reason = f"its worker process took over {self.task_timeout:g} s and was stopped"
        if worker.attempt < ATTEMPTS:
            retries.append((worker.task, worker.attempt + 1))
            return Retried(worker.task, reason)
        return Lost(worker.task, reason)

    def _start(self, task: TaskT) -> _Worker[TaskT]:
        """A new worker, started, that is to run ``task`` first."""
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(self.preload)
        _start_forkserver()
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, self.setup, self.setup_args, self.work), daemon=True)
        process.start()
        theirs.close()  # only the worker holds its end now, so its death closes the pipe
        worker = _Worker(process, ours, task)
        self._workers.append(worker)
        return worker

    def _send(self, worker: _Worker[TaskT], task: TaskT, attempt: int) -> None:
        worker.task, worker.attempt = task, attempt
        worker.deadline = time.monotonic() + self.task_timeout
        with contextlib.suppress(OSError):  # a worker that died idle: its sentinel shows it next
            worker.connection.send(task)

    def _stop(self, worker: _Worker[TaskT]) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
            self._stopping.append(worker)
            with contextlib.suppress(OSError):
                worker.connection.send(None)


class _Feed(Enum):
    """``next(feed, _Feed.EMPTY)`` once every task is given out (an enum member, so the type checker sees it)."""

    EMPTY = "empty"


def _serve[TaskT, ResultT, *SetupArgs](
    connection: Connection,
    setup: Callable[[*SetupArgs], None],
    setup_args: tuple[*SetupArgs],
    work: Callable[[TaskT], ResultT],
) -> None:
    """A worker's life: set up once, then one task at a time until told to stop (``None``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group; the parent handles it
    setup(*setup_args)
    with contextlib.suppress(EOFError, OSError):  # the parent has gone: nobody is left to report to
        while (task := connection.recv()) is not None:
            connection.send(work(task))


def _start_forkserver() -> None:
    """Start the forkserver (once per process) with Ctrl+C ignored, so every worker is born ignoring it.

    A worker sets the same itself, but only once it runs: a Ctrl+C between its fork and that line would
    print a traceback. The forkserver keeps the disposition it started with and hands it to each fork.
    """
    with sigint_ignored():
        multiprocessing.forkserver.ensure_running()


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl+C inside the block (main thread only: signal handlers belong to it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _death[TaskT](worker: _Worker[TaskT]) -> str:
    """Why a worker stopped: the signal that killed it, or its exit status."""
    _join(worker)
    worker.connection.close()
    code = worker.process.exitcode
    if code is not None and code < 0:
        return f"its worker process was killed ({_signal_name(-code)})"
    return f"its worker process stopped (exit status {code})"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:  # a real-time signal has no name
        return f"signal {number}"


def _join[TaskT](worker: _Worker[TaskT]) -> None:
    worker.process.join(STOP_TIMEOUT)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
