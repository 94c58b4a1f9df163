"""The CPU cost of one personalised workbook (issue 14 item 4), beside plain WeasyPrint in the same run.

The machine is shared, so this measures process CPU time (``time.process_time``), not wall time, and
measures the yardstick in the same run, interleaved learner by learner: plain WeasyPrint laying out and
writing the very same HTML with the same stylesheets (``HTML(string=...).write_pdf()``, PDF/UA-1), with
none of our reuse. Our path is a batch worker's: ``SharedPageWorkbooks`` after its first workbook. A
stage breakdown (where the time goes) and a 2-process batch follow. Results go to docs/benchmarks.md.
"""

import collections
import functools
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_pdf import learners  # noqa: E402
from leadmanage_exporters import pdf  # noqa: E402
from leadmanage_exporters.batch import plan_tasks, run_batch  # noqa: E402
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks  # noqa: E402
from leadmanage_exporters.render_memory import GC_THRESHOLD  # noqa: E402
from report import write_section  # noqa: E402

from leadmanage_xblock.core.content import load_builtin_lesson  # noqa: E402
from leadmanage_xblock.core.rendering import static_text  # noqa: E402

LEARNERS = 14
WARM_UP = 2
BATCH = 60
TARGET_CPU_S = 0.45
TARGET_RATE = 4.0


def plain_weasyprint(lesson, exporter, learner) -> bytes:
    """What WeasyPrint does with the same HTML and stylesheets when used plainly: parse, lay out, write."""
    from weasyprint import CSS, HTML

    html = exporter.render_html(lesson, learner)
    fetcher, fonts = pdf._fetcher(), pdf._font_config()
    footer = pdf.Footer(exporter.footer_label(lesson, personal=True))
    stylesheets = [
        CSS(string=static_text("css/print.css"), url_fetcher=fetcher, font_config=fonts),
        pdf._page_css(exporter.paper, lesson.language, footer),
    ]
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_variant=pdf.PDF_VARIANT)


def cpu_seconds(action) -> float:
    """Process CPU time of ``action()`` and of the full collection a batch worker runs before each workbook."""
    start = time.process_time()
    gc.collect()
    action()
    return time.process_time() - start


def plain_cpu_seconds(action) -> float:
    """Process CPU time of ``action()`` with Python's default collector settings, as plain WeasyPrint runs."""
    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    start = time.process_time()
    action()
    elapsed = time.process_time() - start
    gc.set_threshold(*thresholds)
    gc.collect()  # its leftovers are not ours to pay for
    return elapsed


def interleaved(lesson) -> tuple[list[float], list[float]]:
    """CPU seconds per workbook, ours and plain WeasyPrint's, learner by learner in turn."""
    exporter = pdf.PdfExporter()
    workbooks = SharedPageWorkbooks(exporter, lesson)
    records = [record for _, record in learners(lesson, LEARNERS + WARM_UP)]
    ours, plain = [], []
    for number, record in enumerate(records):
        our_time = cpu_seconds(lambda record=record: workbooks.export(record))
        plain_time = plain_cpu_seconds(lambda record=record: plain_weasyprint(lesson, exporter, record))
        if number == WARM_UP - 1:
            gc.collect()
            gc.freeze()  # as render_memory.BetweenWorkbooks does once the shared pages are laid out
        if number >= WARM_UP:
            ours.append(our_time)
            plain.append(plain_time)
    return ours, plain


def stages() -> list[tuple[object, str, str]]:
    """Where the time goes: WeasyPrint's stages and ours (owner, function name, label)."""
    import pydyf
    import weasyprint
    import weasyprint.document as document
    import weasyprint.pdf as weasyprint_pdf
    from leadmanage_exporters import pdf_drawn, pdf_streams

    return [
        (pdf, "render", "Jinja2: the workbook's HTML"),
        (weasyprint.HTML, "__init__", "HTML parsing (tinyhtml5)"),
        (document, "get_all_computed_styles", "CSS cascade"),
        (document, "build_formatting_structure", "Box tree"),
        (document, "layout_document", "Layout and pagination"),
        (document.Page, "paint", "Drawing pages"),
        (pdf_drawn, "_replay", "Replaying the shared pages' drawing"),
        (weasyprint_pdf, "build_fonts_dictionary", "Font subsetting and embedding"),
        (weasyprint_pdf, "add_tags", "PDF/UA tag tree"),
        (pydyf.PDF, "write", "Serialising and compressing"),
        (pdf_streams.CompressedStreams, "body", "Compressing streams through our cache (the repeated ones: a lookup)"),
        (pdf, "finish_pdf_ua", "Our PDF/UA finisher"),
        (pdf, "finish_forms", "Our form finisher"),
    ]


def breakdown(lesson) -> tuple[float, list[tuple[str, float]]]:
    """CPU seconds per workbook and per stage (each without the stages it calls), over warm renders."""
    import weasyprint.document

    spent: collections.Counter[str] = collections.Counter()
    stack: list[float] = []
    laid_out = weasyprint.document.layout_document  # a generator: time it as the pages are made
    weasyprint.document.layout_document = lambda *args, **kwargs: list(laid_out(*args, **kwargs))
    labels = []
    for owner, name, label in stages():
        setattr(owner, name, _timed(getattr(owner, name), label, spent, stack))
        labels.append(label)
    workbooks = SharedPageWorkbooks(pdf.PdfExporter(), lesson)
    records = [record for _, record in learners(lesson, LEARNERS + WARM_UP)]
    for record in records[:WARM_UP]:
        workbooks.export(record)
    gc.collect()
    gc.freeze()
    spent.clear()
    total = sum(cpu_seconds(lambda record=record: workbooks.export(record)) for record in records[WARM_UP:])
    per_stage = [(label, spent[label] / LEARNERS) for label in labels]
    others = total / LEARNERS - sum(seconds for _, seconds in per_stage)
    return total / LEARNERS, [
        *per_stage,
        ("Everything else (the collection before each workbook, our code, glue)", others),
    ]


def _timed(function, label, spent, stack):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.process_time()
        stack.append(0.0)
        try:
            return function(*args, **kwargs)
        finally:
            elapsed, inner = time.process_time() - start, stack.pop()
            spent[label] += elapsed - inner
            if stack:
                stack[-1] += elapsed

    return timed


def batch_rate(lesson, processes: int) -> tuple[float, float]:
    """Workbooks per second (wall) and total seconds for a batch of ``BATCH`` learners in ``processes`` workers."""
    tasks = list(plan_tasks(learners(lesson, BATCH)))
    with tempfile.TemporaryDirectory() as out_dir:
        result = run_batch(lesson, tasks, Path(out_dir), {"edition": "learner"}, processes=processes)
    assert len(result.written) == BATCH, result.failed
    return BATCH / result.seconds, result.seconds


def main() -> int:
    gc.set_threshold(GC_THRESHOLD, 20, 100)  # as a worker (render_memory.collect_less)
    lesson = load_builtin_lesson()
    ours, plain = interleaved(lesson)
    rate, seconds = batch_rate(lesson, 2)
    total, stages = breakdown(lesson)  # last: it wraps WeasyPrint's functions for the rest of the process
    our_median, plain_median = statistics.median(ours), statistics.median(plain)
    rows = [f"| {label} | {seconds * 1000:.0f} | {100 * seconds / total:.0f} % |" for label, seconds in stages]
    met_cpu = "yes" if our_median <= TARGET_CPU_S else "NO"
    met_rate = "yes" if rate >= TARGET_RATE else "NO"
    table = "\n".join(
        [
            f"Built-in lesson, A4, PDF/UA-1, personalised learner workbooks ({LEARNERS} learners after {WARM_UP} "
            "that warm up), process CPU time: the machine is shared, so wall time would measure the others' work.",
            "Our path is a batch worker's (`SharedPageWorkbooks`, with the full garbage collection a worker runs "
            "before each workbook); plain WeasyPrint lays out and writes the same HTML with the same stylesheets "
            "(`HTML(string=…).write_pdf(stylesheets=…, pdf_variant='pdf/ua-1')`, Python's default collector), "
            "measured in turn with ours, learner by learner.",
            "",
            "| Path | CPU s per workbook: median | min | max | Workbooks/s on 2 cores (2 ÷ CPU s) |",
            "|---|---|---|---|---|",
            f"| Ours (batch worker) | {our_median:.3f} | {min(ours):.3f} | {max(ours):.3f} | {2 / our_median:.2f} |",
            f"| Plain WeasyPrint, same HTML | {plain_median:.3f} | {min(plain):.3f} | {max(plain):.3f} "
            f"| {2 / plain_median:.2f} |",
            "",
            f"Ours costs {our_median / plain_median:.2f}× plain WeasyPrint's CPU time in this run.",
            "",
            f"A batch of {BATCH} with 2 worker processes (`run_batch`, wall clock, worker start-up included): "
            f"{seconds:.1f} s, {rate:.2f} workbooks/s.",
            "",
            f"Where the time goes in our path ({total:.3f} CPU s per workbook under the stage timers):",
            "",
            "| Stage | ms per workbook | Share |",
            "|---|---|---|",
            *rows,
            "",
            f"Targets (issue 14): at most {TARGET_CPU_S} CPU s per workbook: {met_cpu}; at least {TARGET_RATE:.0f} "
            f"workbooks/s with 2 workers: {met_rate}.",
        ]
    )
    write_section("PDF workbook CPU cost", table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
