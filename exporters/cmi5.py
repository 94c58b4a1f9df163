"""The cmi5 exporter: the module as a cmi5 course package with one AU, the shared launch page.

The AU is the SCORM package's page (``scorm/index.html.j2``: the shared module, stylesheet and ``lesson.js``)
with a cmi5 run-time instead of the SCORM one: ``cmi5_launch.js`` reads the launch parameters, fetches the
auth token and reads ``LMS.LaunchData``; ``cmi5_session.js`` keeps the learner's work in the xAPI State API and
sends what it earns, worded by ``cmi5_statements.js`` and delivered by ``cmi5_lrs.js``. The zip is
deterministic: the same lesson gives the same bytes. Written answers are reported by their length only, unless the
author opts in to sending their text (``send_text``, ``--send-text``).
"""

from typing import ClassVar, TypedDict

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.module_view import LEARNER_SCRIPTS
from leadmanage_xblock.core.rendering import render

from .base import Exporter
from .cmi5_activities import Activity, quiz_activities
from .cmi5_structure import LAUNCH_FILE, STRUCTURE_FILE, build_structure
from .launch_page import LaunchPageContext, check_mastery, launch_context, page_files
from .registry import register
from .scorm import DEFAULT_MASTERY, AnswerKey, answer_key
from .zipwriter import deterministic_zip

SCRIPTS = (
    *LEARNER_SCRIPTS,
    "js/scoring.js",
    "js/scorm_state.js",
    "js/cmi5_statements.js",
    "js/cmi5_lrs.js",
    "js/cmi5_session.js",
    "js/cmi5_launch.js",
)


class Cmi5PageConfig(TypedDict):
    """The JSON ``cmi5_launch.js`` reads: the pass mark, the answer key, the activities, whether texts are sent."""

    lessonId: str
    language: str
    mastery: int | None
    sendText: bool
    key: AnswerKey
    activities: dict[str, Activity]


class Cmi5PageContext(LaunchPageContext):
    """What ``scorm/index.html.j2`` reads for a cmi5 AU; ``connect_anywhere``: the LRS is wherever the LMS says."""

    config: Cmi5PageConfig
    connect_anywhere: bool


@register
class Cmi5Exporter(Exporter):
    """The lesson as a cmi5 course package (zip) for cmi5 LMSs and learning record stores."""

    name: ClassVar[str] = "cmi5"
    description: ClassVar[str] = "cmi5 course package (zip): xAPI statements to the LMS's learning record store"
    file_extension: ClassVar[str] = "zip"
    mimetype: ClassVar[str] = "application/zip"

    def __init__(self, mastery: int | None = DEFAULT_MASTERY, language: str | None = None, send_text: bool = False):
        """Choose the pass mark (percent of scenario items, ``None``: completion only) and the interface language.

        ``send_text``: the "responded" statements carry the learner's reflection and action plan texts, not only
        their lengths (the author's choice: their LRS then holds what learners wrote).

        Raises:
            ExportError: a mastery outside 0-100.
        """
        check_mastery(mastery)
        self.mastery = mastery
        self.language = language
        self.send_text = send_text

    def default_filename(self, lesson: Lesson) -> str:
        """``<lesson id>-cmi5.zip``."""
        return f"{lesson.id}-cmi5.zip"

    def export(self, lesson: Lesson) -> bytes:
        """The package's zip bytes: ``cmi5.xml``, the launch page and what it loads."""
        language = self.language or lesson.language
        files = page_files(SCRIPTS)
        files[LAUNCH_FILE] = self.launch_page(lesson).encode("utf-8")
        files[STRUCTURE_FILE] = build_structure(lesson, self.mastery, language)
        return deterministic_zip(files)

    def launch_page(self, lesson: Lesson) -> str:
        """The HTML of ``index.html``."""
        language = self.language or lesson.language
        context: Cmi5PageContext = {
            **launch_context(lesson, "cmi5", language, SCRIPTS),
            "config": {
                "lessonId": lesson.id,
                "language": language,
                "mastery": self.mastery,
                "sendText": self.send_text,
                "key": answer_key(lesson),
                "activities": quiz_activities(lesson, language),
            },
            "connect_anywhere": True,
        }
        return render("scorm/index.html.j2", context, language)
