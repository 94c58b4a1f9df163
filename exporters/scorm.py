"""The SCORM exporter: the module as a SCORM 1.2 or 2004 (3rd/4th edition) package.

The launch page is the shared ``module.html.j2`` with the shared stylesheet and ``lesson.js``; our
own small scripts find the LMS, score in the page (``scoring.js`` mirrors ``scoring.py``) and report
status, score, interactions and the learner's work (``suspend_data``). Everything the page loads is
inside the package. The zip is deterministic: the same lesson gives the same bytes.
"""

import json
from typing import ClassVar, NotRequired, TypedDict

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.module_view import LEARNER_SCRIPTS, sections
from leadmanage_xblock.core.rendering import render
from leadmanage_xblock.core.scoring import BANDS, DEFAULT_PASS_THRESHOLD

from .base import Exporter, ExportError
from .launch_page import LaunchPageContext, check_mastery, launch_context, page_files
from .registry import register
from .scorm_manifest import LAUNCH_FILE, MANIFEST_FILE, TARGETS, ScormTarget, build_manifest
from .zipwriter import deterministic_zip

DEFAULT_TARGET = "scorm12"
DEFAULT_MASTERY = DEFAULT_PASS_THRESHOLD  # the same pass mark as a block left at its default
#: The scripts in the order the page loads them.
SCRIPTS = (
    *LEARNER_SCRIPTS,
    "js/scoring.js",
    "js/scorm_api.js",
    "js/scorm_state.js",
    "js/scorm_tracking.js",
    "js/scorm_launch.js",
)
#: The least room, in stored characters, a package must leave for all reflection and plan text together
#: once the whole quiz is stored. 500 is about 80 words of plain English: a sentence or two per prompt;
#: below it a learner could hardly write anything, and each accented letter costs 6 (stored as an escape).
MIN_TEXT_ROOM = 500


class DimensionKey(TypedDict):
    """A dimension in the answer key: its id and the guidance for each band (see ``BANDS``)."""

    id: str
    guidance: dict[str, str]


class ScenarioKey(TypedDict):
    """A scenario item in the answer key: its dimension, best option, every option and their explanations."""

    id: str
    dimension: str
    correct: str
    options: list[str]
    explanations: dict[str, str]


class RatingKey(TypedDict):
    """A self-rating item in the answer key."""

    id: str
    dimension: str


class AnswerKey(TypedDict):
    """What ``scoring.js`` needs to score and explain answers in the page (see :func:`answer_key`)."""

    dimensions: list[DimensionKey]
    scenarios: list[ScenarioKey]
    ratings: list[RatingKey]
    points: int
    balancedWithin: float
    longestSection: str


class PageConfig(TypedDict):
    """The JSON the launch page's scripts read (see :func:`page_config`)."""

    lessonId: str
    version: str
    budget: int
    mastery: int | None
    key: AnswerKey
    interactions: dict[str, str]


class ScormPageContext(LaunchPageContext):
    """What ``scorm/index.html.j2`` reads for a SCORM package: the shared page and the scripts' config."""

    config: PageConfig


class SuspendState(TypedDict):
    """A learner's work as ``encode`` in ``scorm_state.js`` stores it in ``cmi.suspend_data``.

    The format version, answers, ratings, reflection texts and plan texts; ``s`` (1) only once submitted and
    ``l``, the bookmark, only when there is one.
    """

    v: int
    a: dict[str, str]
    r: dict[str, int]
    t: dict[str, str]
    p: dict[str, str]
    s: NotRequired[int]
    l: NotRequired[str]  # noqa: E741 - the key scorm_state.js writes


@register
class ScormExporter(Exporter):
    """The lesson as a SCORM package (zip) for any LMS."""

    name: ClassVar[str] = "scorm"
    description: ClassVar[str] = "SCORM 1.2 or 2004 package (zip) for Moodle, Canvas, Cornerstone, Open edX, ..."
    file_extension: ClassVar[str] = "zip"
    mimetype: ClassVar[str] = "application/zip"

    def __init__(
        self, target: str = DEFAULT_TARGET, mastery: int | None = DEFAULT_MASTERY, language: str | None = None
    ):
        """Choose the SCORM target, the pass mark and the interface language.

        Args:
            target: ``scorm12``, ``scorm2004-3`` or ``scorm2004-4``.
            mastery: percent of scenario items needed to pass, or ``None`` for completion only.
            language: language of the interface text (buttons, status lines); default: the lesson's language.

        Raises:
            ExportError: unknown target, or a mastery outside 0-100.
        """
        if target not in TARGETS:
            raise ExportError(f"unknown SCORM target {target!r}; choose one of {', '.join(TARGETS)}")
        check_mastery(mastery)
        self.target: ScormTarget = TARGETS[target]
        self.mastery = mastery
        self.language = language

    def default_filename(self, lesson: Lesson) -> str:
        """``<lesson id>-<target>.zip``."""
        return f"{lesson.id}-{self.target.name}.zip"

    def export(self, lesson: Lesson) -> bytes:
        """The package's zip bytes.

        Raises:
            ExportError: the target's ``suspend_data`` cannot hold the quiz and some text (see ``check_budget``).
        """
        check_budget(lesson, self.target)
        files = page_files(SCRIPTS)
        files[LAUNCH_FILE] = self.launch_page(lesson).encode("utf-8")
        files[MANIFEST_FILE] = build_manifest(lesson, self.target, list(files), self.mastery)
        return deterministic_zip(files)

    def launch_page(self, lesson: Lesson) -> str:
        """The HTML of ``index.html``."""
        language = self.language or lesson.language
        context: ScormPageContext = {
            **launch_context(lesson, "scorm", language, SCRIPTS),
            "config": page_config(lesson, self.target, self.mastery),
        }
        return render("scorm/index.html.j2", context, language)


def check_budget(lesson: Lesson, target: ScormTarget) -> None:
    """Refuse a package whose learners could not save their work in ``cmi.suspend_data``.

    The whole quiz must fit in the target's budget with room for ``MIN_TEXT_ROOM`` characters of text.

    Raises:
        ExportError: the message says how much is needed and which target has room.
    """
    budget, quiz = target.suspend_budget, suspend_length(full_quiz_state(lesson))
    where = f"SCORM {target.version} keeps at most {budget:,} characters of learner data (cmi.suspend_data)"
    remedy = "shorten the quiz" if target.is_2004 else "export with --target scorm2004-4 (64,000 characters)"
    if quiz > budget:
        raise ExportError(f"the quiz alone needs {quiz:,} characters but {where}: {remedy}")
    room = text_room(lesson, budget)
    if room < MIN_TEXT_ROOM:
        raise ExportError(
            f"the quiz leaves {room:,} characters for all reflection and plan text (at least {MIN_TEXT_ROOM} "
            f"are needed) and {where}: {remedy}"
        )


def full_quiz_state(lesson: Lesson) -> SuspendState:
    """The longest quiz state a learner can store, as ``withFullQuiz`` then ``encode`` build it in ``scorm_state.js``.

    Every item answered with its longest option id, every rating at the top of the scale, submitted, and the
    longest section name as the bookmark.
    """
    key = answer_key(lesson)
    return {
        "v": 1,
        "a": {item["id"]: max(item["options"], key=len) for item in key["scenarios"]},
        "r": {item["id"]: key["points"] for item in key["ratings"]},
        "t": {},
        "p": {},
        "s": 1,
        "l": key["longestSection"],
    }


def text_room(lesson: Lesson, budget: int) -> int:
    """Characters left in ``budget`` for all reflection and plan text once the whole quiz is stored.

    Counted with every field filled, so each field's key is paid for; plain ASCII text costs one each.
    """
    state = full_quiz_state(lesson)
    state["t"] = dict.fromkeys(lesson.prompt_ids, "x")
    state["p"] = dict.fromkeys(lesson.action_plan_field_ids, "x")
    return budget - suspend_length(state) + len(state["t"]) + len(state["p"])


def suspend_length(state: SuspendState) -> int:
    """Characters ``state`` takes in ``cmi.suspend_data``, encoded as ``asciiJson`` in ``scorm_state.js`` does.

    Compact JSON with every character outside printable ASCII escaped as six characters (DEL included).
    """
    return len(json.dumps(state, separators=(",", ":"), ensure_ascii=True).replace("\x7f", "\\u007f"))


def interaction_ids(lesson: Lesson, target: ScormTarget) -> dict[str, str]:
    """Interaction id per quiz item and reflection prompt, valid for the target.

    SCORM 1.2 ids are CMIIdentifiers (letters, digits, ``_`` and ``-``); 2004 ids are URNs.
    Reflection prompts are keyed ``reflection:<id>`` because their ids may repeat a quiz item's.
    """
    keys = [("scenario", item.id, item.id) for item in lesson.quiz.scenarios]
    keys += [("rating", item.id, item.id) for item in lesson.quiz.ratings.items]
    keys += [("reflection", prompt.id, f"reflection:{prompt.id}") for prompt in lesson.reflection.prompts]
    if target.is_2004:
        return {key: f"urn:leadmanage:{lesson.id}:{kind}:{item}" for kind, item, key in keys}
    return {key: f"{kind}_{item}" for kind, item, key in keys}


def answer_key(lesson: Lesson) -> AnswerKey:
    """What ``scoring.js`` needs to score and explain answers in the page."""
    return {
        "dimensions": [
            {"id": d.id, "guidance": {band: getattr(lesson.guidance_for(d.id), band) for band in BANDS}}
            for d in lesson.dimensions
        ],
        "scenarios": [
            {
                "id": item.id,
                "dimension": item.dimension,
                "correct": item.correct_option.id,
                "options": [option.id for option in item.options],
                "explanations": {option.id: option.explanation for option in item.options},
            }
            for item in lesson.quiz.scenarios
        ],
        "ratings": [{"id": item.id, "dimension": item.dimension} for item in lesson.quiz.ratings.items],
        "points": lesson.quiz.ratings.scale.points,
        "balancedWithin": lesson.profile.balanced_within,
        # Room kept in suspend_data for the bookmark: the longest section id a learner can be on.
        "longestSection": max((section["id"] for section in sections(lesson)), key=len),
    }


def page_config(lesson: Lesson, target: ScormTarget, mastery: int | None) -> PageConfig:
    """The JSON the launch page's scripts read: target, budget, pass mark, answer key and interaction ids."""
    return {
        "lessonId": lesson.id,
        "version": target.version,
        "budget": target.suspend_budget,
        "mastery": mastery,
        "key": answer_key(lesson),
        "interactions": interaction_ids(lesson, target),
    }
