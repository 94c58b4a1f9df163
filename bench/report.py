"""Write one benchmark's results into its own section of docs/benchmarks.md."""

import os
import platform
import re
import statistics
import time
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
#: The machine's 1-minute load average when the benchmark started: other work on the machine slows every number.
LOAD_AT_START = os.getloadavg()[0]
HEADER = (
    "# Benchmarks\n\n"
    "Written by `make bench` (each `bench/bench_*.py` replaces its own section). Numbers are from the machine\n"
    "that ran them; targets come from the issues. Not timed tests: a slow run never fails CI.\n"
)


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (0-1) of the sorted list (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def first_and_repeats(action, runs: int) -> tuple[object, float, list[float]]:
    """Run ``action`` once cold, then ``runs`` more times; its first result and every duration in seconds."""
    start = time.perf_counter()
    result = action()
    first = time.perf_counter() - start
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return result, first, samples


def summary_ms(samples: list[float]) -> tuple[float, float]:
    """Median and p95 of samples given in seconds, in milliseconds."""
    return statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000


def write_section(name: str, markdown: str) -> None:
    """Replace (or add) the section called ``name`` in docs/benchmarks.md."""
    REPORT.parent.mkdir(exist_ok=True)
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else HEADER
    stamp = (
        f"_{time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores; load average {LOAD_AT_START:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end_\n\n"
    )
    section = f"<!-- {name} -->\n## {name}\n\n{stamp}{markdown.strip()}\n<!-- /{name} -->\n"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->\n", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    REPORT.write_text(text, encoding="utf-8")
