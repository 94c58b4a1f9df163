"""XBlock speed, page weight and memory through the workbench runtime, next to three well-known peer XBlocks.

Run by ``make bench`` (the peers come from the ``bench`` extra). Every block is measured one way, described in
``xblock_harness.py``: each request builds a new runtime and block, as the LMS does. A new worker is a new
process per sample (``xblock_worker.py``). Results replace the "XBlock" section of docs/benchmarks.md.
"""

import gc
import json
import statistics
import subprocess
import sys
import time
import tracemalloc

from report import summary_ms, write_section
from scaled_lesson import scaled_lesson_text
from xblock_harness import REPO, Subject, add, handle, page_weight, render, request_body
from xblock_runtime import as_fresh_page

from leadmanage_xblock.core.content import builtin_lesson_text

RUNS = 300
NEW_WORKERS = 5
# Memory is traced over fewer views than timed: tracing makes each view through the runtime several times slower.
GROWTH_VIEWS = 300
REFLECTION = "I lead when I plan next year; I manage the rota. " * 8


def quiz_choices(block) -> dict:
    """Every scenario answered (correctly) and every statement rated, as a learner submits them."""
    lesson = block.lesson()
    return {
        "answers": {item.id: item.correct_option.id for item in lesson.quiz.scenarios},
        "ratings": {item.id: 3 for item in lesson.quiz.ratings.items},
    }


def submit_quiz(block) -> dict:
    """A quiz submission with the next attempt number."""
    return as_fresh_page(block, "submit_quiz", quiz_choices(block))


def save_answers(block) -> dict:
    """A quiz draft with the revisions the page saw."""
    return as_fresh_page(block, "save_answers", quiz_choices(block))


def save_text(block) -> dict:
    """The first reflection prompt's text, with the revisions the page saw."""
    values = {block.lesson().prompt_ids[0]: REFLECTION}
    return as_fresh_page(block, "save_text", {"kind": "reflection", "values": values})


OURS = (("submit_quiz", submit_quiz), ("save_answers", save_answers), ("save_text", save_text))


def subjects() -> list[Subject]:
    """Our block with the built-in lesson, with that lesson saved from Studio and with a 4× lesson; the peers."""
    saved = {"lesson_yaml": builtin_lesson_text("en") + "\n# Saved from Studio.\n"}  # a custom lesson
    four_times = {"lesson_yaml": scaled_lesson_text(4)}
    return [
        Subject("leadmanage", "leadmanage", {}, OURS),
        Subject("leadmanage, lesson saved in Studio", "leadmanage", saved, OURS),
        Subject("leadmanage, 4× lesson saved in Studio", "leadmanage", four_times, OURS),
        Subject("xblock-poll", "poll", {}, (("vote", lambda _: {"choice": "R"}),)),
        Subject(
            "xblock-drag-and-drop-v2", "drag-and-drop-v2", {}, (("drop_item", lambda _: {"val": 0, "zone": "top"}),)
        ),
        Subject(
            "xblock-free-text-response",
            "freetextresponse",
            {},
            (("submit", lambda _: {"student_answer": "A short answer " * 5}),),
        ),
    ]


FLOOR = Subject("the runtime alone: xblock-sdk's `helloworld_demo`", "helloworld_demo")


def view_samples(usage_id: str) -> list[float]:
    """Seconds per ``student_view`` request, after one that warms the caches."""
    render(usage_id)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render(usage_id)
        samples.append(time.perf_counter() - start)
    return samples


def handler_samples(usage_id: str, handler: str, payload) -> list[float]:
    """Seconds per handler request (the page's body is built outside the timing), after one that warms up."""
    samples = []
    for _ in range(RUNS + 1):
        body = request_body(usage_id, payload)
        start = time.perf_counter()
        handle(usage_id, handler, body)
        samples.append(time.perf_counter() - start)
    return samples[1:]


def memory_growth_mib(usage_id: str) -> float:
    """Traced memory still held after ``GROWTH_VIEWS`` more views than a warmed-up start, per 1,000 views."""
    for _ in range(50):
        render(usage_id)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(GROWTH_VIEWS):
        render(usage_id)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return grown / 2**20 * 1000 / GROWTH_VIEWS


def new_worker(subject: Subject) -> dict:
    """Medians over ``NEW_WORKERS`` new processes of what importing the block and its first view cost."""
    spec = json.dumps({"name": subject.name, "block_type": subject.block_type, "fields": subject.fields})
    command = [sys.executable, str(REPO / "bench" / "xblock_worker.py")]
    runs = [
        json.loads(subprocess.run(command, input=spec, capture_output=True, text=True, check=True).stdout)
        for _ in range(NEW_WORKERS)
    ]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure(subject: Subject) -> dict:
    """Every number of one block's rows."""
    usage_id = add(subject)
    handlers = {name: summary_ms(handler_samples(usage_id, name, payload)) for name, payload in subject.handlers}
    return {
        "name": subject.name,
        "view": summary_ms(view_samples(usage_id)),
        "handlers": handlers,
        "weight": page_weight(usage_id),
        "growth": memory_growth_mib(usage_id),
        "worker": new_worker(subject),
    }


def fmt(pair: tuple[float, float]) -> str:
    """A p50 / p95 pair in ms."""
    return f"{pair[0]:.2f} / {pair[1]:.2f}"


def per_request_table(rows: list[dict], floor: tuple[float, float]) -> list[str]:
    """Warm requests: view, handlers, page weight and memory growth."""
    lines = [
        "| Block | `student_view` p50 / p95 (ms) | Handlers p50 / p95 (ms) | Page weight raw / gzip (KB) "
        f"| Memory growth per 1,000 views (MiB, traced over {GROWTH_VIEWS}) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        handlers = "<br>".join(f"`{name}` {fmt(value)}" for name, value in row["handlers"].items()) or "—"
        raw, packed = row["weight"]
        lines.append(
            f"| {row['name']} | {fmt(row['view'])} | {handlers} | {raw / 1024:.1f} / {packed / 1024:.1f} "
            f"| {row['growth']:.2f} |"
        )
    lines.append(f"| {FLOOR.name} | {fmt(floor)} | — | — | — |")
    return lines


def new_worker_table(rows: list[dict]) -> list[str]:
    """A new process: the block's import and its first view, in time and resident memory."""
    lines = [
        "| Block | Import (ms) | Import adds (MiB) | First view (ms) | Import and first view add (MiB) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        worker = row["worker"]
        lines.append(
            f"| {row['name']} | {worker['import_ms']:.0f} | {worker['import_mib']:.1f} "
            f"| {worker['first_view_ms']:.1f} | {worker['first_view_mib']:.1f} |"
        )
    return lines


def verdict(rows: list[dict], floor: tuple[float, float]) -> str:
    """Each target of ours with yes/NO."""
    ours, saved, peer = rows[0], rows[1], next(row for row in rows if "free-text" in row["name"])
    studio_ratio = max(saved["handlers"][name][0] / ours["handlers"][name][0] for name in ours["handlers"])
    checks = {
        "view p50 ≤ the runtime's + 3 ms": ours["view"][0] <= floor[0] + 3,
        "view p95 ≤ the runtime's + 6 ms": ours["view"][1] <= floor[1] + 6,
        "handlers p50 ≤ 1 ms": all(value[0] <= 1 for value in ours["handlers"].values()),
        f"a lesson saved in Studio: handlers p50 within 15 % of the built-in's ({studio_ratio:.2f}×)": studio_ratio
        <= 1.15,
        "page ≤ 20 KB gzip": ours["weight"][1] <= 20 * 1024,
        "memory growth ≤ 5 MiB per 1,000 views": ours["growth"] <= 5,
        "import adds ≤ 8 MiB": ours["worker"]["import_mib"] <= 8,
        "first view ≤ 2× free-text-response's": ours["worker"]["first_view_ms"] <= 2 * peer["worker"]["first_view_ms"],
    }
    return "; ".join(f"{name}: {'yes' if passed else 'NO'}" for name, passed in checks.items()) + "."


def four_times(rows: list[dict]) -> str:
    """What the 4× lesson saved in Studio costs, next to the built-in lesson."""
    ours, big = rows[0], rows[2]
    submit = big["handlers"]["submit_quiz"][0] / ours["handlers"]["submit_quiz"][0]
    return (
        f"A 4× lesson saved in Studio: views take {big['view'][0] / ours['view'][0]:.1f}× the built-in lesson's time, "
        f"quiz submissions {submit:.1f}×, the page weighs {big['weight'][1] / ours['weight'][1]:.1f}× as much "
        f"(gzip), and a new worker's first view takes {big['worker']['first_view_ms']:.0f} ms: an author's lesson "
        "is checked against the schema then, which loads jsonschema."
    )


def markdown(rows: list[dict], floor: tuple[float, float]) -> str:
    """The section: how it was measured, both tables and our targets."""
    lines = [
        "Every block through the xblock-sdk workbench's runtime, one way for all (`bench/xblock_harness.py`): each",
        "request builds a new runtime and block instance; `student_view` goes through `block.render` (asides,",
        "wrapping), handlers through `runtime.handle`; field data in memory for every block. The page weight is",
        "what a browser fetches for the block: its HTML, inline resources and linked files (not the workbench's",
        "jQuery and runtime). The last row is the runtime's own cost, part of every view.",
        "The 4× lesson has four times the built-in lesson's dimensions, quiz items, prompts and plan fields.",
        "",
        f"**Each request** in a warm worker, {RUNS} requests each after one that warms up.",
        "",
        *per_request_table(rows, floor),
        "",
        f"**A new worker**: median of {NEW_WORKERS} new processes, each after the runtime has served one view of",
        "an empty block; memory is the resident set, over what the process held before importing the block.",
        "",
        *new_worker_table(rows),
        "",
        four_times(rows),
        "",
        "`leadmanage` against its targets: " + verdict(rows, floor),
    ]
    return "\n".join(lines)


def main() -> None:
    floor = summary_ms(view_samples(add(FLOOR)))
    rows = [measure(subject) for subject in subjects()]
    text = markdown(rows, floor)
    write_section("XBlock", text)
    print(text)


if __name__ == "__main__":
    main()
