"""What the ``leadmanage`` commands share: lesson options, reading a lesson, writing an export.

Commands stay thin: they parse options, call the content model or an exporter, and turn domain
errors (``ContentError``, ``ExportError``) into Click errors with exit status 1.
"""

from pathlib import Path

import click

from leadmanage_xblock.content import ContentError, Lesson, load_builtin_lesson, load_lesson
from leadmanage_xblock.rendering import LANGUAGES

from .base import ExportError

#: Where exports go when no output is named.
DIST = Path("dist")


def problems_error(problems: list, where: str, indent: str = "") -> click.ClickException:
    """One Click error listing every problem: "2 problems in <where>:" and a line each."""
    count = len(problems)
    lines = "\n".join(f"{indent}{problem}" for problem in problems)
    return click.ClickException(f"{count} problem{'s' if count > 1 else ''} in {where}:\n{lines}")


def read_lesson(path: Path | None, language: str | None = None) -> Lesson:
    """The lesson at ``path``, or the built-in lesson in ``language`` (default en); problems become a Click error."""
    try:
        return load_lesson(path) if path else load_builtin_lesson(language or "en")
    except ContentError as exc:
        raise problems_error(exc.problems, "the lesson") from exc


def ensure_available(exporter_class) -> None:
    """A Click error saying why ``exporter_class`` cannot run here, if it cannot."""
    reason = exporter_class.unavailable_reason()
    if reason:
        raise click.ClickException(f"the {exporter_class.name} exporter cannot run here: {reason}")


content_option = click.option(
    "--content",
    "content_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Lesson YAML file (default: the built-in lesson).",
)
lang_option = click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the interface text and of the built-in lesson. Default: the language of the lesson "
    "(--content's `language` field), or en for the built-in lesson.",
)


def run_export(exporter, lesson: Lesson, output: Path | None) -> Path:
    """Run ``exporter`` on ``lesson`` and write the result (default: ``dist/<name>``)."""
    ensure_available(exporter)
    try:
        data = exporter.export(lesson)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    target = output or DIST / exporter.default_filename(lesson)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    click.echo(f"Wrote {target} ({len(data):,} bytes)")
    return target
