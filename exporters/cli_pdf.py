"""``leadmanage export pdf``: one workbook, or personalised workbooks for every learner in a file."""

from pathlib import Path

import click

from leadmanage_xblock.core.content import Lesson

from .batch import BatchResult, WorkbookOptions, default_jobs, plan_tasks, prepare_out_dir, run_batch
from .cli_cohort import DEBRIEF, export_debrief_command, min_group_option
from .cli_common import DIST, content_option, ensure_available, lang_option, output_option, read_lesson, run_export
from .files import OutputError, describe_os_error
from .pdf import EDITIONS, PAPERS, PdfExporter
from .pdf_glyphs import trace_undrawn, undrawn_characters
from .report_csv import ReportFormatError, read_responses
from .responses import Responses

DEFAULT_OUT_DIR = DIST / "workbooks"


@click.command("pdf", help=PdfExporter.description)
@content_option
@lang_option
@click.option(
    "--edition",
    type=click.Choice((*EDITIONS, DEBRIEF)),
    default="learner",
    show_default=True,
    help="Who it is for (debrief: the cohort in --responses, for the trainer).",
)
@click.option("--paper", type=click.Choice(list(PAPERS)), default="a4", show_default=True, help="Paper size.")
@click.option(
    "--fillable", is_flag=True, help="Add labelled form fields: the name, every choice, the scoring grid, the writing."
)
@click.option("--grayscale", is_flag=True, help="Print in shades of grey only.")
@output_option("Output PDF (default: dist/).")
@click.option(
    "--responses",
    type=click.Path(path_type=Path),  # checked when opened: one line, whatever is wrong with it
    help="Learner records: JSON Lines, or Open edX's Problem Responses report (.csv). One workbook per learner.",
)
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),  # checked (and created) before rendering: see prepare_out_dir
    help=f"Folder for personalised workbooks (default: {DEFAULT_OUT_DIR}).",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Worker processes for personalised workbooks (default: cores)."
)
@click.option(
    "--block",
    metavar="USAGE_KEY",
    help="In a report with several LeadManage blocks, the block_key of the one to print.",
)
@click.option(
    "--broker",
    metavar="URL",
    help="Render personalised workbooks on Celery workers (`leadmanage worker`) fed by this Redis URL.",
)
@min_group_option
def pdf_command(
    content_path: Path | None,
    language: str | None,
    edition: str,
    paper: str,
    fillable: bool,
    grayscale: bool,
    output: Path | None,
    responses: Path | None,
    out_dir: Path | None,
    jobs: int | None,
    block: str | None,
    min_group: int,
    broker: str | None,
) -> None:
    """Write one workbook, or with --responses one personalised workbook per learner."""
    lesson = read_lesson(content_path, language)
    if edition == DEBRIEF:
        if fillable or grayscale or out_dir or jobs or broker is not None:
            raise click.UsageError("the debrief takes --responses, --min-group, --block, --paper and -o only")
        export_debrief_command(lesson, responses, block, min_group, paper=paper, language=language, output=output)
        return
    options: WorkbookOptions = {
        "edition": edition,
        "paper": paper,
        "fillable": fillable,
        "grayscale": grayscale,
        "language": language,
    }
    if responses is None:
        if out_dir or jobs or block or broker is not None:
            raise click.UsageError("--out-dir, --jobs, --block and --broker only apply with --responses")
        export_one(lesson, options, output)
        return
    if output:
        raise click.UsageError("personalised workbooks go to --out-dir; -o names a single workbook")
    if edition != "learner":
        raise click.UsageError("personalised workbooks are learner editions; drop --edition facilitator")
    if broker is None:  # an empty --broker is a URL the broker check refuses, not a local batch
        export_personalised(lesson, responses, out_dir or DEFAULT_OUT_DIR, options, jobs or default_jobs(), block)
        return
    if jobs:  # the workers render; --jobs is each worker's --concurrency there
        raise click.UsageError("--jobs sets local processes; with --broker, start workers with --concurrency")
    from .cli_distributed import export_distributed  # Celery loads only for a distributed batch

    export_distributed(lesson, content_path, responses, out_dir or DEFAULT_OUT_DIR, options, broker, block)


def export_one(lesson: Lesson, options: WorkbookOptions, output: Path | None) -> None:
    """Write one workbook of the lesson, warning about any character no font can draw."""
    with undrawn_characters() as undrawn:
        run_export(PdfExporter(**options), lesson, output)
    for problem in trace_undrawn(undrawn, None):  # the lesson's own text: no learner in this workbook
        click.echo(f"warning: {problem.message}", err=True)


def export_personalised(
    lesson: Lesson, responses: Path, out_dir: Path, options: WorkbookOptions, jobs: int, block: str | None = None
) -> None:
    """Render a workbook per learner, list every line left out or cut, and close with a summary.

    Exit status 0 when every entry got its workbook (warnings allowed), 1 when a line was skipped or a
    learner's workbook failed, 130 when Ctrl+C stopped the batch.
    """
    ensure_available(PdfExporter)
    entries = _read_entries(responses, lesson, block)
    if not entries.count:
        raise click.ClickException(f"{responses} holds no learner entries: is it the right file?")
    try:
        prepare_out_dir(out_dir)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        with click.progressbar(length=entries.count, label="Rendering workbooks") as bar:
            result = run_batch(lesson, plan_tasks(entries), out_dir, options, jobs, on_done=lambda: bar.update(1))
    except OSError as exc:  # the input became unreadable, or no worker process could start
        raise click.ClickException(f"the batch stopped: {describe_os_error(exc)}") from exc
    _report(responses, out_dir, result)


def _read_entries(responses: Path, lesson: Lesson, block: str | None) -> Responses:
    try:
        return read_responses(responses, lesson, block)
    except ReportFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(describe_os_error(exc)) from exc


def _report(responses: Path, out_dir: Path, result: BatchResult) -> None:
    """Every note by line ("FILE:LINE: warning|skipped|failed: ..."), then the summary and the exit status."""
    notes = [(note.line, "warning", note.message) for note in result.warnings]
    notes += [(note.line, "skipped", note.message) for note in result.skipped]
    notes += [(note.line, "failed", note.message) for note in result.failed]
    for line, label, message in sorted(notes, key=lambda note: note[0]):
        click.echo(f"{responses}:{line}: {label}: {message}", err=True)
    written = len(result.written)
    if result.interrupted:
        click.echo(f"Interrupted: wrote {written} workbook(s) to {out_dir}; no partial file is left.", err=True)
        click.get_current_context().exit(130)
    counts = f"{len(result.skipped)} line(s) skipped, {len(result.failed)} failed, {len(result.warnings)} warning(s)"
    click.echo(f"Wrote {written} workbook(s) to {out_dir} in {result.seconds:.1f} s; {counts}.")
    if result.missing:
        entries = "1 entry" if result.missing == 1 else f"{result.missing} entries"
        raise click.ClickException(f"{entries} got no workbook: see the skipped and failed lines above.")
