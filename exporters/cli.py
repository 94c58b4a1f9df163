"""The ``leadmanage`` command line: validate lessons, print the schema, export the module.

The built-in exporters' commands live in ``cli_scorm.py`` and ``cli_pdf.py``; what commands share
is in ``cli_common.py``.
"""

import json
from pathlib import Path

import click

from leadmanage_xblock import __version__
from leadmanage_xblock.core.content import Lesson, lesson_schema

from .cli_common import LeadManageGroup, content_option, lang_option, output_option, read_lesson, run_export
from .cli_pdf import pdf_command
from .cli_scorm import check_package_command, scorm_command
from .registry import UnknownExporterError, exporter_names, get_exporter


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


def format_outline(lesson: Lesson) -> str:
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
    lines.append(f"  {lesson.action_plan.title}: " + ", ".join(lesson.plan_field_ids))
    lines.append(f"  {lesson.closing.title}")
    return "\n".join(lines)


@cli.command("schema")
def schema_command() -> None:
    """Print the lesson file's JSON Schema (for editors and validators)."""
    click.echo(json.dumps(lesson_schema(), indent=2, ensure_ascii=False))


class ExportGroup(click.Group):
    """``leadmanage export NAME``: one subcommand per registered exporter."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every registered exporter's name."""
        return exporter_names()

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The exporter's own command, or a generic one for plugins; unknown names list the valid ones."""
        try:
            exporter = get_exporter(name)
        except UnknownExporterError as exc:
            raise click.UsageError(str(exc), ctx) from None
        command = super().get_command(ctx, name)
        return command or generic_export_command(exporter)


@cli.group("export", cls=ExportGroup)
def export_group() -> None:
    """Export the module (see each exporter's --help)."""


def generic_export_command(exporter) -> click.Command:
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


export_group.add_command(scorm_command)
export_group.add_command(pdf_command)
cli.add_command(check_package_command)
