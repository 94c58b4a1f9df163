"""SCORM export: time per export and package size, per target (targets: <= 0.3 s, <= 80 KB).

The first export in a process loads the templates (compiled in a built wheel) and warms the caches; it is reported
separately from the steady state. ``bench_cli.py`` times the whole ``leadmanage export scorm`` command.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from leadmanage_exporters.scorm import ScormExporter  # noqa: E402
from leadmanage_exporters.scorm_manifest import TARGETS  # noqa: E402
from report import first_and_repeats, summary_ms, write_section  # noqa: E402

from leadmanage_xblock.core.content import load_builtin_lesson  # noqa: E402

RUNS = 30
TIME_TARGET_S = 0.3
SIZE_TARGET_BYTES = 80 * 1024


def measure(target: str, lesson) -> tuple[float, list[float], int]:
    """Seconds of the first export, seconds of each later export, and the zip size in bytes."""
    exporter = ScormExporter(target)
    data, first, samples = first_and_repeats(lambda: exporter.export(lesson), RUNS)
    return first, samples, len(data)


def main() -> int:
    lesson = load_builtin_lesson()
    rows, ok = [], True
    for target in TARGETS:
        first, samples, size = measure(target, lesson)
        median, p95 = summary_ms(samples)
        passed = p95 / 1000 <= TIME_TARGET_S and size <= SIZE_TARGET_BYTES
        ok &= passed
        verdict = "yes" if passed else "NO"
        rows.append(f"| {target} | {first * 1000:.0f} | {median:.1f} | {p95:.1f} | {size / 1024:.1f} | {verdict} |")
    table = "\n".join(
        [
            f"Built-in lesson, {RUNS} exports per target after a first one (which also loads the templates).",
            "",
            "| Target | First export (ms) | Median (ms) | p95 (ms) | Zip size (KB) | Within targets |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            f"Targets: at most {TIME_TARGET_S * 1000:.0f} ms per export, {SIZE_TARGET_BYTES // 1024} KB per package.",
            f"All within targets: {'yes' if ok else 'NO (see the rows marked NO)'}.",
        ]
    )
    write_section("SCORM export", table)
    print(table)
    return 0  # a missed target is reported, not raised, so the other benchmarks still run


if __name__ == "__main__":
    sys.exit(main())
