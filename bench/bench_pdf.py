"""PDF workbooks: one workbook's render time, 50 personalised workbooks with 1 and 2 workers, memory per worker.

Targets (issue 5): at most 1.2 s for one workbook, at least 2 workbooks per second on 2 cores in a batch,
at most 250 MB per worker. Results go to docs/benchmarks.md; a missed target is reported, not raised,
so the other benchmarks still run.
"""

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from leadmanage_exporters.batch import plan_tasks, run_batch  # noqa: E402
from leadmanage_exporters.pdf import PdfExporter  # noqa: E402
from leadmanage_exporters.responses import LearnerRecord  # noqa: E402
from report import first_and_repeats, summary_ms, write_section  # noqa: E402

from leadmanage_xblock.core.content import load_builtin_lesson  # noqa: E402

RUNS = 8
BATCH = 50
ONE_TARGET_S = 1.2
RATE_TARGET = 2.0
MEMORY_TARGET_MB = 250


def single_rows(lesson) -> tuple[list[str], bool]:
    """First and steady-state render time of each edition on A4."""
    rows, ok = [], True
    editions = [("learner", {}), ("facilitator", {"edition": "facilitator"}), ("fillable", {"fillable": True})]
    for edition, options in editions:
        exporter = PdfExporter(**options)
        data, first, samples = first_and_repeats(lambda exporter=exporter: exporter.export(lesson), RUNS)
        median, p95 = summary_ms(samples)
        passed = median / 1000 <= ONE_TARGET_S
        ok &= passed or edition != "learner"
        verdict = ("yes" if passed else "NO") if edition == "learner" else "(no target)"
        size = len(data) / 1024
        rows.append(f"| {edition} | {first:.2f} | {median / 1000:.2f} | {p95 / 1000:.2f} | {size:.0f} | {verdict} |")
    return rows, ok


def learners(lesson, count: int) -> list[tuple[int, LearnerRecord]]:
    """``count`` learners with varied (seeded) answers, ratings and writing."""
    rng = random.Random(5)  # noqa: S311 - sample data, not security
    points = lesson.quiz.ratings.scale.points
    records = []
    for number in range(1, count + 1):
        answers = {item.id: rng.choice(item.options).id for item in lesson.quiz.scenarios}
        ratings = {item.id: rng.randint(1, points) for item in lesson.quiz.ratings.items}
        reflection = {prompt_id: f"Learner {number} reflects on {prompt_id}. " * 4 for prompt_id in lesson.prompt_ids}
        plan = {field_id: f"Step for {field_id}" for field_id in lesson.action_plan_field_ids}
        record = LearnerRecord(
            f"learner{number:03d}",
            full_name=f"Learner {number}",
            answers=answers,
            ratings=ratings,
            reflection=reflection,
            action_plan=plan,
        )
        records.append((number, record))
    return records


def batch_rows(lesson) -> tuple[list[str], bool]:
    """Throughput and peak memory per worker for a 50-learner batch with 1 and 2 workers."""
    tasks = list(plan_tasks(learners(lesson, BATCH)))
    rows, ok = [], True
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as out_dir:
            result = run_batch(lesson, tasks, Path(out_dir), {"edition": "learner"}, processes=jobs)
        assert len(result.written) == BATCH, result.failed
        rate = BATCH / result.seconds
        memory = result.peak_rss_kb / 1024
        passed = memory <= MEMORY_TARGET_MB and (jobs == 1 or rate >= RATE_TARGET)
        ok &= passed
        verdict = "yes" if passed else "NO"
        rows.append(f"| {jobs} | {result.seconds:.1f} | {rate:.2f} | {memory:.0f} | {verdict} |")
    return rows, ok


def main() -> int:
    lesson = load_builtin_lesson()
    single, single_ok = single_rows(lesson)
    batch, batch_ok = batch_rows(lesson)
    table = "\n".join(
        [
            f"Built-in lesson on A4, PDF/UA-1. One workbook: a first render, then {RUNS} more in the same process.",
            "",
            "| Edition | First render (s) | Median (s) | p95 (s) | Size (KB) | Within target |",
            "|---|---|---|---|---|---|",
            *single,
            "",
            f"{BATCH} personalised learner workbooks (`leadmanage export pdf --responses … --jobs N`), "
            "including worker start-up; memory is the largest worker's peak resident set. Each worker lays out "
            "the pages no learner changes once (`exporters/pdf_parts.py`), and collects garbage once per workbook.",
            "",
            "| Workers | Total (s) | Workbooks per second | Peak memory per worker (MB) | Within targets |",
            "|---|---|---|---|---|",
            *batch,
            "",
            f"Targets: at most {ONE_TARGET_S} s for one workbook (median, learner edition), at least {RATE_TARGET:.0f} "
            f"workbooks per second with 2 workers, at most {MEMORY_TARGET_MB} MB per worker.",
            f"All within targets: {'yes' if single_ok and batch_ok else 'NO (see the rows marked NO)'}.",
        ]
    )
    write_section("PDF workbooks", table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
