"""The module's launch page, shared by the SCORM and cmi5 packages: one markup, stylesheet and ``lesson.js``.

Each package adds its own run-time scripts and page configuration (``scorm.py``, ``cmi5.py``); what they share
is here: the files every package carries, the page's common context and the pass mark's range.
"""

from collections.abc import Sequence

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.module_view import ModuleContext, dom_prefix, module_context
from leadmanage_xblock.core.rendering import static_text, translations_for
from leadmanage_xblock.core.ui_strings import ui_strings

from .base import ExportError

#: Static assets, packaged under the same paths: the module's stylesheet (the XBlock's too) and the page's own layout.
STYLESHEETS = ("css/lesson.css", "css/launch.css")


class LaunchPageContext(ModuleContext):
    """What ``scorm/index.html.j2`` reads besides the module: the scripts, in the order the page loads them."""

    scripts: list[str]


def check_mastery(mastery: int | None) -> None:
    """Refuse a pass mark that is not a percent (``None``: completion only).

    Raises:
        ExportError: a mastery outside 0-100.
    """
    if mastery is not None and not 0 <= mastery <= 100:
        raise ExportError(f"mastery must be a percent from 0 to 100, got {mastery}")


def page_files(scripts: Sequence[str]) -> dict[str, bytes]:
    """The stylesheet and ``scripts``, under the paths the launch page loads them from."""
    return {path: static_text(path).encode("utf-8") for path in (*STYLESHEETS, *scripts)}


def launch_context(lesson: Lesson, package: str, language: str, scripts: Sequence[str]) -> LaunchPageContext:
    """The launch page's module, its strings and scripts, and the notice shown until the LMS answers.

    ``package`` ("scorm", "cmi5") keeps the page's DOM ids apart from another package's of the same lesson.
    """
    connecting = translations_for(language).gettext("Connecting to your LMS…")
    strings = ui_strings(language, *map(static_text, scripts))
    module = module_context(lesson, dom_prefix(f"{package}:{lesson.id}"), strings=strings, notice=connecting)
    return {**module, "scripts": list(scripts)}
