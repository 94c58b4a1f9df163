"""A real Celery worker of the test LMS (``lms_platform``), for the tests of work done on the platform's workers."""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def lms_environment(broker: str, folder: Path, **shared: str) -> dict[str, str]:
    """The environment of the LMS's processes: its storage in ``folder``, its broker, and ``LM_…`` settings."""
    return {
        **os.environ,
        "LM_MEDIA_ROOT": str(folder / "media"),
        "LM_BROKER": broker,
        "PYTHONPATH": str(TESTS),
        **shared,
    }


@contextlib.contextmanager
def running_lms_worker(environment: dict[str, str], log_path: Path) -> Iterator[Path]:
    """``celery -A lms_platform worker`` while the context lasts (one process); yields its log's path."""
    command = [sys.executable, "-m", "celery", "-A", "lms_platform", "worker", "--pool", "solo", "--loglevel", "INFO"]
    with log_path.open("w") as log:
        worker = subprocess.Popen(command, env=environment, cwd=TESTS, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield log_path
        finally:
            worker.terminate()
            worker.wait(30)
