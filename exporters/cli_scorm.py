"""``leadmanage export scorm``: the module as a SCORM package."""

from pathlib import Path

import click

from .base import ExportError
from .cli_common import (
    chosen_mastery,
    content_option,
    lang_option,
    mastery_options,
    output_option,
    read_lesson,
    run_export,
)
from .scorm import DEFAULT_MASTERY, DEFAULT_TARGET, ScormExporter
from .scorm_manifest import TARGETS


@click.command("scorm", help=ScormExporter.description)
@content_option
@lang_option
@click.option(
    "--target",
    type=click.Choice(list(TARGETS)),
    default=DEFAULT_TARGET,
    show_default=True,
    help="SCORM version and edition.",
)
@mastery_options(
    f"Percent of scenario items needed to pass (default {DEFAULT_MASTERY}).",
    "Report completion only: no score, no pass or fail.",
)
@output_option("Output zip (default: dist/).")
def scorm_command(
    content_path: Path | None,
    language: str | None,
    target: str,
    mastery: int | None,
    completion_only: bool,
    output: Path | None,
) -> None:
    """Export the module as a SCORM package."""
    chosen = chosen_mastery(mastery, completion_only, DEFAULT_MASTERY)
    try:
        exporter = ScormExporter(target, chosen, language)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    run_export(exporter, read_lesson(content_path, language), output)
