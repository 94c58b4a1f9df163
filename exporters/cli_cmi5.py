"""``leadmanage export cmi5``: the module as a cmi5 course package."""

from pathlib import Path

import click

from .cli_common import (
    chosen_mastery,
    content_option,
    lang_option,
    mastery_options,
    output_option,
    read_lesson,
    run_export,
)
from .scorm import DEFAULT_MASTERY


@click.command("cmi5", help="cmi5 course package (zip): one AU whose xAPI statements go to the LMS's LRS.")
@content_option
@lang_option
@mastery_options(
    f"Percent of scenario items needed to pass: the AU's masteryScore (default {DEFAULT_MASTERY}).",
    "moveOn Completed: no score, no pass or fail.",
)
@click.option(
    "--send-text",
    is_flag=True,
    help="Send the learner's reflection and action plan texts to the LRS (default: their lengths only).",
)
@output_option("Output zip (default: dist/).")
def cmi5_command(
    content_path: Path | None,
    language: str | None,
    mastery: int | None,
    completion_only: bool,
    send_text: bool,
    output: Path | None,
) -> None:
    """Export the module as a cmi5 course package."""
    from .cmi5 import Cmi5Exporter

    chosen = chosen_mastery(mastery, completion_only, DEFAULT_MASTERY)
    run_export(Cmi5Exporter(chosen, language, send_text), read_lesson(content_path, language), output)
