"""``leadmanage worker``: a Celery worker that renders personalised workbooks sent with ``export pdf --broker``.

Start one on every machine that should render (each with the package, its fonts, and the batch's output
folder mounted at the same path as on the submitting machine). Celery and WeasyPrint load when the command
runs: ``leadmanage --help`` stays fast.
"""

import os

import click

#: Celery's own command line for our worker: no gossip or start-up sync between workers (nothing here uses
#: them, and they slow every start), one process per workbook.
WORKER_ARGUMENTS = ["worker", "--pool=prefork", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]


@click.command("worker")
@click.option(
    "--broker", required=True, metavar="URL", help="The Redis URL batches are sent to (redis://HOST:PORT/DB)."
)
@click.option(
    "--concurrency", type=click.IntRange(min=1), help="Workbooks rendered at once, one process each (default: cores)."
)
@click.option(
    "--visibility-timeout",
    type=click.FloatRange(min=1),
    default=600,
    show_default=True,
    help="Seconds after which a workbook whose worker vanished goes to another worker; above any render's time.",
)
def worker_command(broker: str, concurrency: int | None, visibility_timeout: float) -> None:
    """Render personalised workbooks for `export pdf --broker` until stopped (Ctrl+C finishes the current ones)."""
    from .batch import default_jobs
    from .celery_tasks import BrokerError, check_broker, make_app, safe_url
    from .cli_common import ensure_available
    from .pdf import PdfExporter  # loaded here, once, before the pool's processes fork

    ensure_available(PdfExporter)
    collect_less_in_each_process()
    try:
        app = make_app(broker, visibility_timeout)
        check_broker(app)
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from None
    processes = concurrency or default_jobs()
    click.echo(f"Rendering workbooks for {safe_url(broker)} in {processes} process(es); Ctrl+C stops.")
    app.worker_main([*WORKER_ARGUMENTS, f"--concurrency={processes}", f"--hostname=leadmanage-{os.getpid()}@%h"])


def collect_less_in_each_process() -> None:
    """Each pool process collects garbage as a batch worker does (``render_memory.collect_less``).

    A ``leadmanage worker`` only renders workbooks, so the collector's settings are ours to choose.
    """
    from celery.signals import worker_process_init

    worker_process_init.connect(_collect_less, weak=False)


def _collect_less(**_: object) -> None:
    from .render_memory import collect_less

    collect_less()
