"""A distributed batch's cost per task besides rendering, with 1, 2 and 4 workers: the constants of docs/scaling.md.

Workers are ``scale_worker.py``: the real ``leadmanage worker`` with a stand-in render that returns a workbook
drawn once, so each task costs what it would with a free renderer. The submitter is the real
``leadmanage export pdf --responses --broker``, the broker a real Redis. CPU time is read from /proc for every
process (the workers' pool processes included), so the numbers do not depend on what else runs on the machine;
the render cost is measured in the same run on real workbooks. Results replace the "Scale" section of
docs/benchmarks.md; docs/scaling.md explains them and plans a course with them.
"""

import contextlib
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tests")]

from bench_pdf import learners  # noqa: E402
from leadmanage_exporters.pdf import PdfExporter  # noqa: E402
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks  # noqa: E402
from leadmanage_exporters.render_memory import BetweenWorkbooks, collect_less  # noqa: E402
from redis_server import running_redis  # noqa: E402
from report import write_section  # noqa: E402

from leadmanage_xblock.core.content import load_builtin_lesson  # noqa: E402

TASKS = 600
WORKER_COUNTS = (1, 2, 4)
RENDERS = 6
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(session: int) -> float:
    """User and system CPU seconds of every live process in session ``session`` (a worker and its pool)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # field 6 of stat, the session id
                total += int(fields[11]) + int(fields[12])
    return total / TICKS


def process_cpu(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def redis_info(port: int) -> dict[str, str]:
    output = subprocess.run(["redis-cli", "-p", str(port), "info", "all"], capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line and not line.startswith("#"))


def redis_calls(info: dict[str, str]) -> int:
    return sum(int(value.split("calls=")[1].split(",")[0]) for key, value in info.items() if key.startswith("cmdstat_"))


def render_cpu(lesson, workbook_path: Path) -> float:
    """Median CPU seconds of a personalised workbook, after the first, as a worker renders them.

    With a worker's collector settings and its full collection before each workbook (``render_memory``).
    """
    renderer = SharedPageWorkbooks(PdfExporter(), lesson)
    between, thresholds = BetweenWorkbooks(), gc.get_threshold()
    collect_less()
    samples = []
    for _, record in learners(lesson, RENDERS + 1):
        start = time.process_time()
        between.collect(renderer.shared_layouts)
        data = renderer.export(record)
        samples.append(time.process_time() - start)
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    workbook_path.write_bytes(data)
    return sorted(samples[1:])[len(samples[1:]) // 2]


def start_workers(broker: str, workbook: Path, count: int) -> list[subprocess.Popen]:
    command = [sys.executable, str(BENCH / "scale_worker.py"), broker, str(workbook)]
    workers = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(count)
    ]
    wait_for(broker, count)
    return workers


def wait_for(broker: str, count: int) -> None:
    from celery import Celery

    app = Celery(broker=broker, backend=broker, set_as_current=False)
    deadline = time.monotonic() + 60
    while len(app.control.ping(timeout=0.5)) < count:
        assert time.monotonic() < deadline, f"{count} workers did not start"
    app.close()


def responses_file(folder: Path, count: int) -> Path:
    path = folder / "learners.jsonl"
    lines = [json.dumps({"username": f"learner{n:05d}", "full_name": f"Learner {n}"}) for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def one_run(port: int, workbook: Path, count: int, folder: Path) -> dict[str, float]:
    """Submit ``TASKS`` learners to ``count`` stand-in workers; CPU and wall per task, Redis's share."""
    broker = f"redis://127.0.0.1:{port}/{count}"
    workers = start_workers(broker, workbook, count)
    redis_pid = int(redis_info(port)["process_id"])
    before = {
        "workers": sum(cpu_seconds(worker.pid) for worker in workers),
        "redis": process_cpu(redis_pid),
        "calls": redis_calls(redis_info(port)),
    }
    out_dir = folder / f"out{count}"
    leadmanage = str(Path(sys.executable).with_name("leadmanage"))
    command = [leadmanage, "export", "pdf", "--responses", str(responses_file(folder, TASKS))]
    submit = subprocess.Popen([*command, "--out-dir", str(out_dir), "--broker", broker], stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    _, status, usage = os.wait4(submit.pid, 0)
    wall = time.perf_counter() - start
    assert status == 0, "the batch failed"
    assert len(list(out_dir.glob("*.pdf"))) == TASKS, "the batch did not write every workbook"
    info = redis_info(port)
    result = {
        "wall_per_task": wall / TASKS,
        "worker_cpu": (sum(cpu_seconds(worker.pid) for worker in workers) - before["workers"]) / TASKS,
        "submitter_cpu": (usage.ru_utime + usage.ru_stime) / TASKS,
        "redis_cpu": (process_cpu(redis_pid) - before["redis"]) / TASKS,
        "redis_calls": (redis_calls(info) - before["calls"]) / TASKS,
        "redis_peak_mib": int(info["used_memory_peak"]) / 2**20,
    }
    for worker in workers:
        os.killpg(worker.pid, 15)
        worker.wait(30)
    return result


def table(runs: dict[int, dict[str, float]]) -> list[str]:
    rows = [
        "| Workers | Wall per task (ms) | Tasks/s | Worker CPU per task (ms) | Submitter CPU per task (ms) "
        "| Redis CPU per task (ms) | Redis commands per task | Redis peak memory (MiB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for count, run in runs.items():
        rows.append(
            f"| {count} | {run['wall_per_task'] * 1000:.1f} | {1 / run['wall_per_task']:.0f} "
            f"| {run['worker_cpu'] * 1000:.1f} | {run['submitter_cpu'] * 1000:.1f} | {run['redis_cpu'] * 1000:.2f} "
            f"| {run['redis_calls']:.0f} | {run['redis_peak_mib']:.1f} |"
        )
    return rows


def markdown(render: float, size_kb: float, runs: dict[int, dict[str, float]]) -> str:
    overhead = min(run["worker_cpu"] for run in runs.values())
    lines = [
        f"{TASKS} learners per run, each a task; workers of one process each; the render replaced by a workbook "
        "drawn once (`bench/scale_worker.py`), so a task costs what it costs besides drawing. CPU from /proc, "
        "pool processes included; the submitter's includes its start (about 0.3 s in all).",
        "",
        *table(runs),
        "",
        f"Rendering one personalised workbook in a warm worker, measured in the same run: {render:.2f} CPU-s; "
        f"the workbook is {size_kb:.0f} KB. The task's own overhead is {overhead * 1000:.0f} ms of worker CPU, "
        f"{overhead / (render + overhead):.1%} of a task: workers scale with the rendering. "
        "docs/scaling.md plans a course with these numbers.",
    ]
    return "\n".join(lines)


def main() -> None:
    lesson = load_builtin_lesson("en")
    with tempfile.TemporaryDirectory() as name, running_redis(Path(name)) as port:
        folder = Path(name)
        workbook = folder / "workbook.pdf"
        render = render_cpu(lesson, workbook)
        runs = {count: one_run(port, workbook, count, folder) for count in WORKER_COUNTS}
        text = markdown(render, workbook.stat().st_size / 1024, runs)
    write_section("Scale", text)
    print(text)


if __name__ == "__main__":
    main()
