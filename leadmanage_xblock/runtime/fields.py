"""Every field of the LeadManage XBlock, in one place.

Content (``lesson_yaml``) belongs to the course, settings to the author, and everything the learner
does lives in ``Scope.user_state`` so the platform's reports, resets and state exports see it.
"""

from xblock.fields import Boolean, Date, Dict, Float, Integer, Scope, String

from ..core.scoring import DEFAULT_PASS_THRESHOLD


def _(text: str) -> str:
    """Mark a field label for extraction; the runtime translates it when it shows it."""
    return text


class LeadManageFields:
    """Field declarations mixed into ``LeadManageXBlock``."""

    display_name = String(
        display_name=_("Display name"),
        default="Leading vs Managing",
        scope=Scope.settings,
    )
    lesson_yaml = String(
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
        values={"min": 0},
        scope=Scope.settings,
    )
    pass_threshold = Integer(
        display_name=_("Pass threshold (%)"),
        help=_("Percentage of scenario items a learner must answer correctly to pass."),
        default=DEFAULT_PASS_THRESHOLD,
        values={"min": 0, "max": 100},
        scope=Scope.settings,
    )
    max_attempts = Integer(
        display_name=_("Attempts allowed"),
        help=_("How many times a learner may submit the quiz; 0 means unlimited."),
        default=0,
        values={"min": 0},
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
        values={"min": 0},
        scope=Scope.settings,
    )
    # The LMS passes the inherited due date through this field; past it, quiz submission closes.
    due = Date(display_name=_("Due date"), default=None, scope=Scope.settings)

    answers = Dict(help=_("Submitted scenario answers: item id to option id."), scope=Scope.user_state)
    ratings = Dict(help=_("Submitted self-ratings: item id to point on the scale."), scope=Scope.user_state)
    reflection = Dict(help=_("Reflection texts: prompt id to text."), scope=Scope.user_state)
    plan = Dict(help=_("Action-plan texts: field id to text."), scope=Scope.user_state)
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
