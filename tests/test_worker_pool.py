"""The batch's worker pool on its own: a worker that exits or gets stuck costs its task, never the batch."""

import os
import time

from leadmanage_exporters.worker_pool import Finished, Lost, Retried, WorkerPool


def no_setup() -> None:
    """Workers here need nothing loaded."""


def shout(task: str) -> str:
    """The work: upper case, except for the tasks that make a worker exit or get stuck."""
    if task == "exit":
        os._exit(3)  # as a library calling exit() would
    if task == "stuck":
        time.sleep(30)  # long past the test's timeout; without one, the test fails rather than hangs
    return task.upper()


def outcomes(tasks: list[str], timeout: float = 60) -> list:
    with WorkerPool(2, no_setup, (), shout, [], task_timeout=timeout) as pool:
        return list(pool.results(tasks))


def test_every_task_gets_its_result():
    assert sorted(outcome.result for outcome in outcomes(["a", "b", "c", "d", "e"])) == ["A", "B", "C", "D", "E"]


def test_a_task_whose_worker_exits_is_tried_once_more_then_reported():
    found = outcomes(["a", "exit", "b"])
    assert sorted(outcome.result for outcome in found if isinstance(outcome, Finished)) == ["A", "B"]
    failed = [(type(outcome), outcome.task, outcome.reason) for outcome in found if not isinstance(outcome, Finished)]
    reason = "its worker process stopped (exit status 3)"
    assert failed == [(Retried, "exit", reason), (Lost, "exit", reason)]


def test_a_worker_stuck_on_a_task_is_stopped_and_the_rest_still_done():
    started = time.monotonic()
    found = outcomes(["a", "stuck", "b", "c"], timeout=1)
    assert sorted(outcome.result for outcome in found if isinstance(outcome, Finished)) == ["A", "B", "C"]
    failed = [(type(outcome), outcome.task, outcome.reason) for outcome in found if not isinstance(outcome, Finished)]
    reason = "its worker process took over 1 s and was stopped"
    assert failed == [(Retried, "stuck", reason), (Lost, "stuck", reason)]
    assert time.monotonic() - started < 15
