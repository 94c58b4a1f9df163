"""XBlock speed, size and memory, in-process, next to three well-known peer XBlocks.

Run by ``make bench`` (peers come from the ``bench`` extra). Every sample builds a fresh block instance,
as an LMS does for each request. Results replace the "XBlock" section of docs/benchmarks.md.
"""

import gc
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "bench")]
os.environ.setdefault("LEADMANAGE_WORKBENCH_VAR", tempfile.mkdtemp(prefix="lm-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "lm_workbench.settings"  # The peers render through Django.

import django  # noqa: E402

django.setup()

from report import summary_ms, write_section  # noqa: E402
from webob import Request  # noqa: E402
from xblock.core import XBlock  # noqa: E402
from xblock.field_data import DictFieldData  # noqa: E402
from xblock.fields import ScopeIds  # noqa: E402
from xblock.runtime import NullI18nService  # noqa: E402
from xblock.test.tools import TestRuntime  # noqa: E402

from leadmanage_xblock.core.content import load_builtin_lesson  # noqa: E402

RUNS = 300
LESSON = load_builtin_lesson()
SUBMISSION = {
    "answers": {item.id: item.correct_option.id for item in LESSON.quiz.scenarios},
    "ratings": {item.id: 3 for item in LESSON.quiz.ratings.items},
}
SAVE = {"kind": "reflection", "values": {LESSON.prompt_ids[0]: "I lead when I plan next year; I manage the rota. " * 8}}
# (name, entry point, handler, JSON body) per block; the handler is the block's main learner action.
BLOCKS = [
    ("leadmanage", "leadmanage", [("submit_quiz", SUBMISSION), ("save_answers", SUBMISSION), ("save_text", SAVE)]),
    ("xblock-poll", "poll", [("vote", {"choice": "R"})]),
    ("xblock-drag-and-drop-v2", "drag-and-drop-v2", [("drop_item", {"val": 0, "zone": "top"})]),
    ("xblock-free-text-response", "freetextresponse", [("submit", {"student_answer": "A short answer " * 5})]),
]


class BenchRuntime(TestRuntime):
    """A real XBlock runtime with no-op publishing and plain URLs, like an LMS minus the network."""

    def __init__(self, field_data):
        services = {"i18n": NullI18nService(), "field-data": field_data, "settings": None, "user": None}
        super().__init__(services=services)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        """A plain path: nothing follows it."""
        return f"/handler/{handler_name}/{suffix}"

    def local_resource_url(self, block, uri):
        """A plain path: nothing follows it."""
        return f"/resource/{uri}"

    def publish(self, block, event_type, event_data):
        """LMSs queue events; the benchmark drops them."""


def fresh(entry_point: str, field_data: DictFieldData):
    block_class = XBlock.load_class(entry_point)
    return block_class(BenchRuntime(field_data), scope_ids=ScopeIds("student", entry_point, "def", "usage-1"))


def time_calls(action, runs: int = RUNS) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def render_samples(entry_point: str) -> list[float]:
    data = DictFieldData({})
    fresh(entry_point, data).student_view({})  # Warm: imports and caches, as in a running LMS.
    return time_calls(lambda: fresh(entry_point, data).student_view({}))


def handler_samples(entry_point: str, handler: str, body: dict) -> list[float]:
    data = DictFieldData({})
    payload = json.dumps(body).encode("utf-8")

    def call():
        response = fresh(entry_point, data).handle(handler, Request.blank("/", method="POST", body=payload))
        assert response.status_code == 200, response.body

    call()
    return time_calls(call)


def view_bytes(entry_point: str) -> tuple[int, int]:
    """Raw and gzip size of the fragment's HTML with its inline CSS and JS (URL resources not counted)."""
    fragment = fresh(entry_point, DictFieldData({})).student_view({})
    inline = "".join(r.data for r in fragment.resources if r.kind == "text")
    page = (fragment.content + inline).encode("utf-8")
    return len(page), len(gzip.compress(page, 9))


def cold_render_ms(entry_point: str) -> float:
    """The first render in a new process (templates parsed, content loaded), imports excluded."""
    command = [sys.executable, __file__, "--cold", entry_point]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    return float(result.stdout.strip().splitlines()[-1])


def first_render(entry_point: str) -> None:
    block = fresh(entry_point, DictFieldData({}))
    start = time.perf_counter()
    block.student_view({})
    print((time.perf_counter() - start) * 1000)


def memory_growth_mib(entry_point: str, runs: int = 1000) -> float:
    """Traced memory still held after ``runs`` renders and handler calls, beyond a warmed-up start."""
    data = DictFieldData({})
    for _ in range(50):
        fresh(entry_point, data).student_view({})
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(runs):
        fresh(entry_point, data).student_view({})
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return grown / 2**20


def measure(name: str, entry_point: str, handlers: list) -> dict:
    row = {"name": name, "render": summary_ms(render_samples(entry_point)), "handlers": {}}
    for handler, body in handlers:
        try:
            row["handlers"][handler] = summary_ms(handler_samples(entry_point, handler, body))
        except Exception as exc:  # noqa: BLE001 (a peer's handler may need LMS services; say so and go on)
            row["handlers"][handler] = f"n/a ({type(exc).__name__})"
    row["bytes"] = view_bytes(entry_point)
    row["cold"] = cold_render_ms(entry_point)
    row["memory"] = memory_growth_mib(entry_point)
    return row


def fmt(value) -> str:
    return value if isinstance(value, str) else f"{value[0]:.2f} / {value[1]:.2f}"


def markdown(rows: list[dict]) -> str:
    lines = [
        f"In-process, {RUNS} runs each, a fresh block instance per run. Times in ms as p50 / p95.",
        "Targets for `leadmanage`: render p50 ≤ 3 and p95 ≤ 6, handlers p50 ≤ 1, learner view ≤ 20 KB gzip,",
        "memory growth ≤ 5 MiB over 1,000 renders. Peers' view bytes count only their inline resources.",
        "",
        "| Block | student_view | Handlers | Cold first render (ms) | View bytes raw / gzip | Memory growth (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        handlers = "<br>".join(f"`{name}` {fmt(value)}" for name, value in row["handlers"].items())
        raw, packed = row["bytes"]
        lines.append(
            f"| {row['name']} | {fmt(row['render'])} | {handlers} | {row['cold']:.1f} | "
            f"{raw / 1024:.1f} KB / {packed / 1024:.1f} KB | {row['memory']:.2f} |"
        )
    lines += ["", "`leadmanage` against its targets: " + verdict(rows[0])]
    return "\n".join(lines)


def verdict(row: dict) -> str:
    """Each target of ours with yes/NO."""
    checks = {
        "render p50 ≤ 3 ms": row["render"][0] <= 3,
        "render p95 ≤ 6 ms": row["render"][1] <= 6,
        "handlers p50 ≤ 1 ms": all(not isinstance(v, str) and v[0] <= 1 for v in row["handlers"].values()),
        "view ≤ 20 KB gzip": row["bytes"][1] <= 20 * 1024,
        "memory growth ≤ 5 MiB": row["memory"] <= 5,
    }
    return "; ".join(f"{name}: {'yes' if passed else 'NO'}" for name, passed in checks.items()) + "."


def main() -> None:
    if sys.argv[1:2] == ["--cold"]:
        first_render(sys.argv[2])
        return
    rows = [measure(*block) for block in BLOCKS]
    text = markdown(rows)
    write_section("XBlock", text)
    print(text)


if __name__ == "__main__":
    main()
