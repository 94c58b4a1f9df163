"""``leadmanage export pdf``: one workbook, or personalised workbooks for every learner in a file."""

import csv
from pathlib import Path

import click

from leadmanage_xblock.content import Lesson

from .batch import default_jobs, plan_tasks, run_batch
from .cli_common import DIST, content_option, ensure_available, lang_option, read_lesson, run_export
from .pdf import EDITIONS, PAPERS, PdfExporter
from .report_csv import ReportFormatError, read_responses

DEFAULT_OUT_DIR = DIST / "workbooks"


@click.command("pdf", help=PdfExporter.description)
@content_option
@lang_option
@click.option("--edition", type=click.Choice(EDITIONS), default="learner", show_default=True, help="Who it is for.")
@click.option("--paper", type=click.Choice(list(PAPERS)), default="a4", show_default=True, help="Paper size.")
@click.option("--fillable", is_flag=True, help="Add labelled form fields to the writing spaces.")
@click.option("--grayscale", is_flag=True, help="Print in shades of grey only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output PDF (default: dist/).")
@click.option(
    "--responses",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Learner records: JSON Lines, or Open edX's Problem Responses report (.csv). One workbook per learner.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
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
def pdf_command(
    content_path, language, edition, paper, fillable, grayscale, output, responses, out_dir, jobs, block
) -> None:
    """Write one workbook, or with --responses one personalised workbook per learner."""
    lesson = read_lesson(content_path, language)
    options = {"edition": edition, "paper": paper, "fillable": fillable, "grayscale": grayscale, "language": language}
    if responses is None:
        if out_dir or jobs or block:
            raise click.UsageError("--out-dir, --jobs and --block only apply with --responses")
        run_export(PdfExporter(**options), lesson, output)
        return
    if output:
        raise click.UsageError("personalised workbooks go to --out-dir; -o names a single workbook")
    if edition != "learner":
        raise click.UsageError("personalised workbooks are learner editions; drop --edition facilitator")
    export_personalised(lesson, responses, out_dir or DEFAULT_OUT_DIR, options, jobs or default_jobs(), block)


def export_personalised(
    lesson: Lesson, responses: Path, out_dir: Path, options: dict, jobs: int, block: str | None = None
) -> None:
    """Render a workbook per good record, report every skipped line, and close with a summary.

    Exit status 0 when at least one workbook was written (with a warning if some were skipped), 1 when none.
    """
    ensure_available(PdfExporter)
    try:
        tasks, problems = plan_tasks(read_responses(responses, lesson, block))
    except ReportFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"cannot read {responses}: {exc}") from exc
    with click.progressbar(length=len(tasks), label="Rendering workbooks") as bar:
        result = run_batch(lesson, tasks, out_dir, options, jobs, on_done=lambda: bar.update(1))
    for problem in sorted(problems + result.problems, key=lambda problem: problem.line):
        click.echo(f"{responses}:{problem.line}: skipped: {problem.message}", err=True)
    skipped = len(problems) + len(result.problems)
    summary = f"Wrote {len(result.written)} workbook(s) to {out_dir}, skipped {skipped}, in {result.seconds:.1f} s."
    if not result.written:
        raise click.ClickException(f"no workbook could be written. {summary}")
    click.echo(summary)
    if skipped:
        click.echo(f"Warning: {skipped} record(s) skipped; see the lines listed above.", err=True)
