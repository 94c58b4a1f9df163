"""``export pdf --responses FILE --broker URL``: the submitting side of a batch rendered by Celery workers.

Reading the learners, checking the output folder and the summary are the process-pool batch's own
(``cli_pdf``), so both ways of rendering say the same things with the same exit status.
"""

from pathlib import Path

import click

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.content.loader import builtin_lesson_text

from .batch import WorkbookOptions, plan_tasks, prepare_out_dir
from .celery_tasks import BrokerError, safe_url
from .cli_pdf import _read_entries, _report
from .distributed import DistributedResult, open_broker, run_distributed, workers_listening
from .files import OutputError


def export_distributed(
    lesson: Lesson,
    content_path: Path | None,
    responses: Path,
    out_dir: Path,
    options: WorkbookOptions,
    broker: str,
    block: str | None,
) -> None:
    """Send a workbook per learner to the workers on ``broker``; list every note and close with the summary."""
    entries = _read_entries(responses, lesson, block)
    if not entries.count:
        raise click.ClickException(f"{responses} holds no learner entries: is it the right file?")
    try:
        prepare_out_dir(out_dir)
        app = open_broker(broker)
    except (OutputError, BrokerError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        if not workers_listening(app):
            note = f"No worker answers on {safe_url(broker)} yet: waiting (start one with `leadmanage worker`)."
            click.echo(note, err=True)
        with click.progressbar(length=entries.count, label="Rendering workbooks on the workers") as bar:
            text = content_path.read_text(encoding="utf-8") if content_path else builtin_lesson_text(lesson.language)
            result = run_distributed(app, lesson, text, plan_tasks(entries), out_dir, options, lambda: bar.update(1))
    except (OutputError, BrokerError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        app.close()
    _distributed_notes(result)
    _report(responses, out_dir, result)


def _distributed_notes(result: DistributedResult) -> None:
    if result.interrupted:  # the queue is the broker's: what was sent is still rendered, into the cache
        click.echo("Tasks already sent stay queued; run the same command again to collect them.", err=True)
    if result.reused:
        count = f"{result.reused} workbook(s)"
        click.echo(f"{count} had been rendered before with the same content: put in place, not rendered again.")
