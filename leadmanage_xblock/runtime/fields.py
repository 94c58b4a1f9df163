"""Every field of the LeadManage XBlock, in one place.

Content (``lesson_yaml``) belongs to the course, settings to the author, and everything the learner
does lives in ``Scope.user_state`` so the platform's reports, resets and state exports see it.
"""

from functools import lru_cache
from typing import Any

from xblock.fields import Boolean, Date, Dict, Float, Integer, Scope, String

from ..core.cohort import DEFAULT_MIN_GROUP
from ..core.scoring import DEFAULT_PASS_THRESHOLD


def _(text: str) -> str:
    """Mark a field label for extraction; the runtime translates it when it shows it."""
    return text


class LongString(String):
    """A ``String`` for a long text read on every request, such as the lesson YAML: each text is scanned once.

    XBlock's ``String`` scans the whole value for characters XML cannot hold when it loads it and again on every
    read: about 1 ms per scan of a 40 KB lesson, several times per request, which made every request of a lesson
    saved in Studio slower than one of the built-in lesson (an empty field). The scan's result is kept per
    distinct text, so a worker scans each lesson once; a text written during a request is a new text, scanned.
    """

    def _sanitize(self, value: Any) -> Any:
        return _scanned(value) if isinstance(value, str) else super()._sanitize(value)


_PLAIN_STRING = String()


@lru_cache(maxsize=32)
def _scanned(text: str) -> str:
    """``String``'s own scan of ``text``; a course has a few lessons, each read by every request for it."""
    return String._sanitize(_PLAIN_STRING, text)


class LeadManageFields:
    """Field declarations: the first base of ``LeadManageBase``, so every part of the block reads them typed.

    How the Studio editor shows and checks the settings (control, limits, message) is declared once, in
    ``studio_settings.STUDIO_SETTINGS``; here only what the runtime stores, with its label, help and default.
    """

    display_name = String(
        display_name=_("Display name"),
        default="Leading vs Managing",
        scope=Scope.settings,
    )
    lesson_yaml = LongString(
        display_name=_("Lesson content (YAML)"),
        help=_("Leave empty to use the built-in lesson."),
        default="",
        scope=Scope.content,
        multiline_editor=True,
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("How many points the quiz is worth in the gradebook."),
        default=1.0,
        scope=Scope.settings,
    )
    pass_threshold = Integer(
        display_name=_("Pass threshold (%)"),
        help=_("Percentage of scenario items a learner must answer correctly to pass."),
        default=DEFAULT_PASS_THRESHOLD,
        scope=Scope.settings,
    )
    max_attempts = Integer(
        display_name=_("Attempts allowed"),
        help=_("How many times a learner may submit the quiz; 0 means unlimited."),
        default=0,
        scope=Scope.settings,
    )
    show_explanations = Boolean(
        display_name=_("Show explanations after submitting"),
        default=True,
        scope=Scope.settings,
    )
    min_reflection_length = Integer(
        display_name=_("Minimum reflection length"),
        help=_("Characters of reflection (all prompts together) needed to complete the module."),
        default=100,
        scope=Scope.settings,
    )
    min_group = Integer(
        display_name=_("Minimum group for the cohort summary"),
        help=_(
            "How many learners must have submitted the quiz before course staff see the cohort summary and its "
            "debrief: with fewer, a count could single a learner out."
        ),
        default=DEFAULT_MIN_GROUP,
        scope=Scope.settings,
    )
    # The LMS passes the inherited due date through this field; past it, quiz submission closes.
    due = Date(display_name=_("Due date"), default=None, scope=Scope.settings)

    answers = Dict(help=_("Submitted scenario answers: item id to option id."), scope=Scope.user_state)
    ratings = Dict(help=_("Submitted self-ratings: item id to point on the scale."), scope=Scope.user_state)
    reflection = Dict(help=_("Reflection texts: prompt id to text."), scope=Scope.user_state)
    action_plan = Dict(help=_("Action-plan texts: field id to text."), scope=Scope.user_state)
    # Before 0.2 the action plan was stored here; it is read (until a new save fills action_plan), never written.
    plan = Dict(help=_("The action plan as versions before 0.2 stored it (read only)."), scope=Scope.user_state)
    draft = Dict(
        help=_("Answers and ratings chosen since the last submission: {'answers': {...}, 'ratings': {...}}."),
        scope=Scope.user_state,
    )
    attempts = Integer(help=_("Quiz submissions so far."), default=0, scope=Scope.user_state)
    timestamps = Dict(
        help=_("When the quiz, reflection and plan were last saved (ISO 8601, UTC)."), scope=Scope.user_state
    )
    revisions = Dict(
        help=_("How many times each field was saved, by kind and id: a write based on an older count is refused."),
        scope=Scope.user_state,
    )
    completed = Boolean(help=_("Whether completion has been reported."), default=False, scope=Scope.user_state)
    section = String(
        help=_("The section the learner last opened, where the module reopens for them."),
        default="",
        scope=Scope.user_state,
    )
