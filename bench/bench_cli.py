"""The command line as a user runs it: whole ``leadmanage`` commands in new processes, and WeasyPrint's import.

Run by ``make bench``; replaces the "Command line" section of docs/benchmarks.md. Each command runs ``SAMPLES``
times; the table gives medians of the wall-clock time a user waits and of the CPU time the process used (less
sensitive to other work on the machine).
"""

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import write_section

SAMPLES = 9
LEADMANAGE = Path(sys.executable).with_name("leadmanage")
#: Counts the processes ``import weasyprint`` starts (ctypes.util.find_library runs ldconfig, gcc and ld).
WEASYPRINT_PROBE = """
import json, sys, time
spawned = []
sys.addaudithook(lambda event, args: spawned.append(str(args[0])) if event == "subprocess.Popen" else None)
if sys.argv[1:] == ["--no-find-library"]:
    import ctypes.util
    ctypes.util.find_library = lambda name: None  # what the import would cost if nothing were looked up
start = time.perf_counter()
import weasyprint
print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "processes": spawned}))
"""


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(command: list[str]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds over ``SAMPLES`` runs, after one that warms the disk cache."""
    run_once(command)
    runs = [run_once(command) for _ in range(SAMPLES)]
    return statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs)


def weasyprint_import(*arguments: str) -> tuple[float, list[str]]:
    """Milliseconds ``import weasyprint`` took (median) and the programs it started (the last run's)."""
    command = [sys.executable, "-c", WEASYPRINT_PROBE, *arguments]
    runs = [json.loads(subprocess.check_output(command)) for _ in range(SAMPLES)]
    return statistics.median(run["ms"] for run in runs), runs[-1]["processes"]


def weasyprint_version() -> str:
    """The installed WeasyPrint's version, without importing it."""
    from importlib.metadata import version

    return version("weasyprint")


def command_rows(out: Path) -> tuple[list[str], bool]:
    """One table row per command, and whether every command met its target."""
    commands = [
        ("`leadmanage --help`", [str(LEADMANAGE), "--help"], 0.15),
        ("`leadmanage validate`", [str(LEADMANAGE), "validate"], None),
        ("`leadmanage export scorm`", [str(LEADMANAGE), "export", "scorm", "-o", str(out / "lesson.zip")], 0.25),
    ]
    rows, verdicts = [], []
    for name, command, target in commands:
        wall, cpu = medians(command)
        met = "(no target)" if target is None else ("yes" if wall <= target else "NO") + f" (≤ {target:.2f} s)"
        rows.append(f"| {name} | {wall:.3f} | {cpu:.3f} | {met} |")
        verdicts.append(target is None or wall <= target)
    return rows, all(verdicts)


def weasyprint_paragraph() -> list[str]:
    """What ``import weasyprint`` costs, the programs it starts, and what it would cost without them."""
    import_ms, processes = weasyprint_import()
    unlooked_ms, _ = weasyprint_import("--no-find-library")
    programs = ", ".join(f"`{name}` × {processes.count(name)}" for name in sorted(set(processes))) or "none"
    return [
        f"`import weasyprint` (the first PDF in a process; WeasyPrint {weasyprint_version()}): {import_ms:.0f} ms,",
        f"starting {len(processes)} programs ({programs}). cffi's `dlopen` hands every name WeasyPrint tries",
        "for a library to `ctypes.util.find_library` before the name that loads (`libpango-1.0.so.0`, …), and",
        "each failed look-up runs `ldconfig`, then `gcc` and `ld` if they are on the `PATH`. WeasyPrint has no",
        "setting for those names on Linux: its `WEASYPRINT_DLL_DIRECTORIES` only feeds `os.add_dll_directory`,",
        "which exists on Windows alone, and the names are fixed in `weasyprint/text/ffi.py`. The same import",
        "with `find_library` answering nothing at once (each list also holds a name `dlopen` finds by itself):",
        f"{unlooked_ms:.0f} ms.",
    ]


def main() -> None:
    rows, met = command_rows(Path(tempfile.mkdtemp(prefix="lm-bench-cli-")))
    text = "\n".join(
        [
            f"New processes, as a user runs them: medians of {SAMPLES} runs after one that warms the disk cache.",
            "",
            "| Command | Wall clock (s) | CPU (s) | Within target |",
            "|---|---|---|---|",
            *rows,
            "",
            *weasyprint_paragraph(),
            "",
            f"All within targets: {'yes' if met else 'NO'}.",
        ]
    )
    write_section("Command line", text)
    print(text)


if __name__ == "__main__":
    main()
