"""What the ``leadmanage`` commands share: lesson options, reading a lesson, writing an export.

Commands stay thin: they parse options, call the content model or an exporter, and turn domain
errors (``ContentError``, ``ExportError``, ``OutputError``) into Click errors with exit status 1.
``LeadManageGroup`` is the safety net under them: an ``OSError`` no command foresaw becomes one line too.
"""

import errno
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leadmanage_xblock.core.languages import LANGUAGES

from .base import Exporter, ExportError
from .files import OutputError, check_output_path, describe_os_error, write_atomically

if TYPE_CHECKING:
    from leadmanage_xblock.core.content import Lesson

#: Where exports go when no output is named.
DIST = Path("dist")
#: Characters a terminal acts on rather than shows: C0 and C1 controls, DEL and the bidirectional marks and
#: overrides (which reorder the text around them).
_ACTED_ON = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class LeadManageGroup(click.Group):
    """The top-level command group: any ``OSError`` that reaches it becomes one line and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the chosen command; an environment problem no command foresaw is reported as "Error: PATH: cause"."""
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # a closed pipe (`leadmanage schema | head`): Click's own handler exits quietly
            raise click.ClickException(describe_os_error(exc)) from exc


def problems_error(problems: Sequence[str], where: str, indent: str = "") -> click.ClickException:
    """One Click error listing every problem: "2 problems in <where>:" and a line each, shown as text."""
    count = len(problems)
    lines = "\n".join(f"{indent}{shown(problem)}" for problem in problems)
    return click.ClickException(f"{count} problem{'s' if count > 1 else ''} in {where}:\n{lines}")


def shown(text: str) -> str:
    r"""``text`` with each character a terminal would act on written as its escape (``\x1b``, ``\n``, ``\u202e``).

    A problem quotes what it found, and a file name in a zip, a YAML value or an XML message can hold anything:
    a line break that forges another line, colour codes, a title-setting sequence or a bidirectional override.
    """
    return _ACTED_ON.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def read_lesson(path: Path | None, language: str | None = None) -> "Lesson":
    """The lesson at ``path``, or the built-in lesson in ``language`` (default en); problems become a Click error.

    The content model is imported here, by the commands that read a lesson: ``leadmanage --help`` starts without it.
    """
    from leadmanage_xblock.core.content import ContentError, load_builtin_lesson, load_lesson

    try:
        return load_lesson(path) if path else load_builtin_lesson(language or "en")
    except ContentError as exc:
        raise problems_error(exc.problems, "the lesson") from exc


def ensure_available(exporter_class: Exporter | type[Exporter]) -> None:
    """A Click error saying why ``exporter_class`` (or an instance of it) cannot run here, if it cannot."""
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


def output_option[F: Callable[..., Any] | click.Command](help_text: str) -> Callable[[F], F]:
    """``-o/--output`` taking any path: ``run_export`` checks it and says in one line what is wrong (exit 1)."""
    # A missing folder is reported, not created: in an explicit path it is more often a typo than a wish.
    help_text += " Its folder must exist (only the default dist/ is created)."
    return click.option("-o", "--output", type=click.Path(path_type=Path), help=help_text)


def mastery_options[F: Callable[..., Any] | click.Command](mastery_help: str, completion_help: str) -> Callable[[F], F]:
    """``--mastery N`` and ``--completion-only``, which ``chosen_mastery`` turns into the exporter's mastery."""

    def add(command: F) -> F:
        command = click.option("--completion-only", is_flag=True, help=completion_help)(command)
        return click.option("--mastery", type=click.IntRange(0, 100), default=None, help=mastery_help)(command)

    return add


def chosen_mastery(mastery: int | None, completion_only: bool, default: int) -> int | None:
    """The exporter's mastery: ``None`` for completion only, else ``--mastery`` or ``default``.

    Raises:
        click.UsageError: both options were given.
    """
    if completion_only and mastery is not None:
        raise click.UsageError("--mastery and --completion-only exclude each other: choose one")
    return None if completion_only else (default if mastery is None else mastery)


def run_export(exporter: Exporter, lesson: "Lesson", output: Path | None) -> Path:
    """Run ``exporter`` on ``lesson`` and write the result to ``output`` (default: ``dist/<name>``).

    The place is checked before the export runs, so a typo costs no rendering time. Only the default folder
    is created: an explicit ``-o`` into a missing folder is reported, as it is more often a typo.
    """
    ensure_available(exporter)
    target = output or DIST / exporter.default_filename(lesson)
    try:
        check_output_path(target, create_folder=output is None)
        data = exporter.export(lesson)
        write_atomically(target, data)
    except (ExportError, OutputError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {target} ({len(data):,} bytes)")
    return target
