"""``leadmanage cohort``: a cohort's aggregates from a Problem Responses report, as JSON or CSV for other tools.

Only Click loads with this module: the lesson, the readers and the aggregates load when the command runs, so
``leadmanage --help`` stays light (tests/test_cli_startup.py).
"""

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli_common import content_option, lang_option

if TYPE_CHECKING:
    from leadmanage_xblock.core.content import Lesson

    from .cohort_report import CohortReading

#: The PDF edition ``leadmanage export pdf`` makes from a cohort (see ``export_debrief_command``).
DEBRIEF = "debrief"
#: The default minimum group size, repeated here so that --help needs no import (a test checks they agree).
MIN_GROUP = 5

responses_option = click.option(
    "--responses",
    required=True,
    type=click.Path(path_type=Path),  # checked when opened: one line, whatever is wrong with it
    help="Open edX's Problem Responses report (.csv) or JSON Lines learner records.",
)
min_group_option = click.option(
    "--min-group",
    type=click.IntRange(min=1),
    default=MIN_GROUP,
    show_default=True,
    help="The fewest learners who must have submitted; a smaller group is refused so that no one can be singled out.",
)
block_option = click.option(
    "--block", metavar="USAGE_KEY", help="In a report with several LeadManage blocks, the block_key of the one to use."
)


@click.command("cohort")
@responses_option
@content_option
@lang_option
@click.option("--format", "output_format", type=click.Choice(("json", "csv")), default="json", show_default=True)
@min_group_option
@block_option
def cohort_command(
    responses: Path,
    content_path: Path | None,
    language: str | None,
    output_format: str,
    min_group: int,
    block: str | None,
) -> None:
    """Print the cohort's aggregates (counts only, no learner) for a spreadsheet or a dashboard."""
    from .cli_common import read_lesson
    from .cohort_report import summary_csv, summary_json

    lesson = read_lesson(content_path, language)
    reading = read_cohort_or_fail(responses, lesson, block, min_group)
    if output_format == "csv":
        click.echo(summary_csv(reading.summary), nl=False)
    else:
        click.echo(json.dumps(summary_json(lesson, reading.summary, min_group), indent=2, ensure_ascii=False))


def read_cohort_or_fail(responses: Path, lesson: "Lesson", block: str | None, min_group: int) -> "CohortReading":
    """The cohort in ``responses``, its notes listed on stderr; every reason it cannot be read is one Click error."""
    from leadmanage_xblock.core.cohort import CohortTooSmallError

    from .cohort_report import read_cohort
    from .files import describe_os_error
    from .report_csv import ReportFormatError

    try:
        reading = read_cohort(responses, lesson, block, min_group)
    except (CohortTooSmallError, ReportFormatError) as exc:
        raise click.ClickException(f"{responses}: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(describe_os_error(exc)) from exc
    for line, label, message in reading.notes:
        click.echo(f"{responses}:{line}: {label}: {message}", err=True)
    return reading


def export_debrief_command(
    lesson: "Lesson",
    responses: Path | None,
    block: str | None,
    min_group: int,
    *,
    paper: str,
    language: str | None,
    output: Path | None,
) -> None:
    """``leadmanage export pdf --edition debrief``: the cohort's debrief PDF, written atomically."""
    from .cli_common import DIST, ensure_available
    from .files import OutputError, check_output_path, write_atomically
    from .pdf import PdfExporter
    from .pdf_debrief import export_debrief

    if responses is None:
        raise click.UsageError("the debrief is made from a cohort: name its report with --responses")
    ensure_available(PdfExporter)
    summary = read_cohort_or_fail(responses, lesson, block, min_group).summary
    target = output or DIST / f"{lesson.id}-debrief-{paper}.pdf"
    try:
        check_output_path(target, create_folder=output is None)
        data = export_debrief(lesson, summary, min_group, paper, language)
        write_atomically(target, data)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {target} ({len(data):,} bytes)")
