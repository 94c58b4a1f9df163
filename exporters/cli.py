"""The ``leadmanage`` command line: validate lessons, print the schema, export the module.

The built-in exporters' commands live in ``cli_scorm.py`` and ``cli_pdf.py``, ``check-package`` in
``cli_check_package.py``; what commands share is in ``cli_common.py``. A command's heavy modules (the content
model, the templates, an exporter) load when it runs: ``leadmanage --help`` imports none of them.
"""

import json
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadmanage_xblock import __version__

from .base import Exporter
from .cli_check_package import check_package_command
from .cli_cohort import cohort_command
from .cli_common import LeadManageGroup, content_option, lang_option, output_option, read_lesson, run_export
from .cli_worker import worker_command
from .registry import UnknownExporterError, exporter_names, get_exporter

if TYPE_CHECKING:
    from leadmanage_xblock.core.content import Lesson

#: Each built-in exporter's own command, as (module, name): imported when named, so that
#: ``leadmanage export scorm`` loads nothing of the PDF exporter.
BUILT_IN_COMMANDS = {
    "scorm": (".cli_scorm", "scorm_command"),
    "cmi5": (".cli_cmi5", "cmi5_command"),
    "pdf": (".cli_pdf", "pdf_command"),
}


@click.group(cls=LeadManageGroup)
@click.version_option(__version__, prog_name="leadmanage")
def cli() -> None:
    """LeadManage: the "Leading vs Managing" module as an XBlock, SCORM package and PDF workbook."""


@cli.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--outline", is_flag=True, help="Also print the lesson's outline.")
@lang_option
def validate_command(path: Path | None, outline: bool, language: str | None) -> None:
    """Check a lesson file (default: the built-in lesson, in --lang) and list every problem."""
    lesson = read_lesson(path, language)
    name = path or "the built-in lesson"
    click.echo(
        f"{name} is valid: {len(lesson.dimensions)} dimensions, {len(lesson.quiz.scenarios)} scenario items, "
        f"{len(lesson.quiz.ratings.items)} self-ratings, {len(lesson.reflection.prompts)} reflection prompts."
    )
    if outline:
        click.echo(format_outline(lesson))


def format_outline(lesson: "Lesson") -> str:
    """The lesson's sections and items as an indented text outline."""
    lines = [f"{lesson.title} ({lesson.language}, {lesson.duration_minutes} min)", f"  {lesson.introduction.title}"]
    for dimension in lesson.dimensions:
        lines.append(f"  {dimension.title}: {dimension.leading.label} / {dimension.managing.label}")
    lines.append(f"  {lesson.balancing.title}: " + ", ".join(p.title for p in lesson.balancing.practices))
    lines.append(f"  {lesson.quiz.title}")
    for dimension in lesson.dimensions:
        scenarios = ", ".join(item.id for item in lesson.scenarios_for(dimension.id))
        ratings = ", ".join(item.id for item in lesson.ratings_for(dimension.id))
        lines.append(f"    {dimension.id}: scenarios {scenarios}; ratings {ratings}")
    lines.append(f"  {lesson.profile.title}")
    lines.append(f"  {lesson.reflection.title}: " + ", ".join(lesson.prompt_ids))
    lines.append(f"  {lesson.action_plan.title}: " + ", ".join(lesson.action_plan_field_ids))
    lines.append(f"  {lesson.closing.title}")
    return "\n".join(lines)


@cli.command("schema")
def schema_command() -> None:
    """Print the lesson file's JSON Schema (for editors and validators)."""
    from leadmanage_xblock.core.content import lesson_schema

    click.echo(json.dumps(lesson_schema(), indent=2, ensure_ascii=False))


class ExportGroup(click.Group):
    """``leadmanage export NAME``: one subcommand per registered exporter."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every registered exporter's name."""
        return exporter_names()

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """A built-in exporter's own command, or a generic one for a plugin; unknown names list the valid ones."""
        if name in BUILT_IN_COMMANDS:
            module, attribute = BUILT_IN_COMMANDS[name]
            command: click.Command = getattr(import_module(module, __package__), attribute)  # each is a @click.command
            return command
        try:
            exporter = get_exporter(name)
        except UnknownExporterError as exc:
            raise click.UsageError(str(exc), ctx) from None
        return generic_export_command(exporter)


@cli.group("export", cls=ExportGroup)
def export_group() -> None:
    """Export the module (see each exporter's --help)."""


def generic_export_command(exporter: type[Exporter]) -> click.Command:
    """A command for a plugin exporter that takes no options of its own."""

    @click.command(exporter.name, help=exporter.description)
    @content_option
    @output_option("Output file.")
    def command(content_path: Path | None, output: Path | None) -> None:
        run_export(exporter(), read_lesson(content_path), output)

    return command


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="leadmanage")


cli.add_command(check_package_command)
cli.add_command(worker_command)
cli.add_command(cohort_command)
