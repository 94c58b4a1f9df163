"""A ``leadmanage worker`` whose render is a stand-in: what every task costs besides drawing the workbook.

``bench_scale.py`` starts these to measure the per-task overhead of a distributed batch (the broker round
trip, the delivery note, writing the file to the shared folder and linking it into place, the outcome in
Redis). Everything is the real worker's code except ``_renderer``, which returns the bytes of a workbook
rendered once by the benchmark, so a task costs what it would cost with a free renderer.

Usage: ``python scale_worker.py BROKER_URL WORKBOOK.pdf``
"""

import os
import sys
from pathlib import Path

from leadmanage_exporters import celery_tasks
from leadmanage_exporters.cli_worker import WORKER_ARGUMENTS, collect_less_in_each_process


class Prerendered:
    """Stands in for ``SharedPageWorkbooks``: every learner's workbook is the same, already drawn, bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def export(self, record: object) -> bytes:
        """The same workbook for every learner."""
        return self.data


def main() -> None:
    broker, workbook = sys.argv[1], Path(sys.argv[2]).read_bytes()
    celery_tasks._renderer = lambda store, job: Prerendered(workbook)
    app = celery_tasks.make_app(broker)
    collect_less_in_each_process()  # as `leadmanage worker` does
    app.worker_main([*WORKER_ARGUMENTS, "--concurrency=1", f"--hostname=scale-{os.getpid()}@%h"])


if __name__ == "__main__":
    main()
