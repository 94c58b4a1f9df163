"""Check what the browser sends to the handlers, before anything is stored.

Pure functions: each returns clean values or raises :class:`InputError` with a message a learner can
read. Ids must exist in the lesson, ratings must lie on its scale and texts must fit its limits. Learner
text is cleaned (``learner_text.clean_text``) before it is measured, so what is stored can always be
printed, reported and exported.
"""

from collections.abc import Callable
from typing import Any

from .content import Lesson
from .learner_state import TEXT_KINDS
from .learner_text import clean_text

Gettext = Callable[[str], str]
#: Ids are echoed in messages; an id longer than any the lesson can have is cut there.
SHOWN_ID_LENGTH = 60


class InputError(ValueError):
    """The request cannot be accepted: ``status`` is the HTTP status, ``details`` go into the JSON answer."""

    def __init__(self, message: str, status: int = 400, **details: Any):
        super().__init__(message)
        self.status = status
        self.details = details


def _object(data: dict, name: str, _: Gettext) -> dict:
    """``data[name]`` when it is a JSON object, else an InputError naming the field."""
    if name not in data:
        raise InputError(_("Missing field '{name}'.").format(name=name))
    value = data[name]
    if not isinstance(value, dict):
        raise InputError(_("Field '{name}' must be an object of ids to values.").format(name=name))
    return value


def _require_object(data: Any, _: Gettext) -> dict:
    if not isinstance(data, dict):
        raise InputError(_("The request must be a JSON object."))
    return data


def _shown(item_id: str) -> str:
    return item_id if len(item_id) <= SHOWN_ID_LENGTH else item_id[:SHOWN_ID_LENGTH] + "…"


def parse_quiz(lesson: Lesson, data: Any, _: Gettext) -> tuple[dict[str, str], dict[str, int], int]:
    """The ``answers``, ``ratings`` and ``attempt`` number of a quiz submission; every item must be answered."""
    answers, ratings = _choices(lesson, _require_object(data, _), _)
    missing = [item.id for item in lesson.quiz.scenarios if item.id not in answers]
    if missing:
        message = _("Answer every scenario item before submitting. Missing: {items}.")
        raise InputError(message.format(items=", ".join(missing)))
    missing = [item.id for item in lesson.quiz.ratings.items if item.id not in ratings]
    if missing:
        message = _("Rate every statement before submitting. Missing: {items}.")
        raise InputError(message.format(items=", ".join(missing)))
    attempt = data.get("attempt")
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise InputError(_("Field 'attempt' must be the number of the attempt being submitted."))
    return answers, ratings, attempt


def parse_draft(lesson: Lesson, data: Any, _: Gettext) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:
    """The changed ``answers`` and ``ratings`` of a draft (any subset) and the ``revisions`` the page had seen."""
    data = _require_object(data, _)
    answers, ratings = _choices(lesson, data, _)
    return answers, ratings, parse_revisions(data, _)


def _choices(lesson: Lesson, data: dict, _: Gettext) -> tuple[dict[str, str], dict[str, int]]:
    """``answers`` and ``ratings`` that may be incomplete, each id and value checked."""
    answers, ratings = _object(data, "answers", _), _object(data, "ratings", _)
    for item_id, option_id in answers.items():
        scenario = lesson.scenarios_by_id.get(item_id)
        if scenario is None:
            raise InputError(_("Unknown scenario item '{item}'.").format(item=_shown(item_id)))
        if not scenario.accepts(option_id):
            message = _("Unknown option '{option}' for item '{item}'.")
            raise InputError(message.format(option=_shown(str(option_id)), item=item_id))
    scale = lesson.quiz.ratings.scale
    for item_id, value in ratings.items():
        if item_id not in lesson.ratings_by_id:
            raise InputError(_("Unknown rating item '{item}'.").format(item=_shown(item_id)))
        if not scale.accepts(value):
            message = _("The rating for '{item}' must be a whole number from 1 to {points}.")
            raise InputError(message.format(item=item_id, points=scale.points))
    return dict(answers), dict(ratings)


def parse_texts(lesson: Lesson, data: Any, _: Gettext) -> tuple[str, dict[str, str], dict[str, int]]:
    """The ``kind``, the cleaned ``values`` {field id: text} and the ``revisions`` seen, of a save request."""
    data = _require_object(data, _)
    kind = data.get("kind")
    if kind not in TEXT_KINDS:
        raise InputError(_("Field 'kind' must be 'reflection' or 'plan'."))
    allowed, limit = lesson.writing_fields(kind)
    values = {}
    for field_id, text in _object(data, "values", _).items():
        if field_id not in allowed:
            raise InputError(_("Unknown field '{field}'.").format(field=_shown(field_id)))
        if not isinstance(text, str):
            raise InputError(_("The text for '{field}' must be a string.").format(field=field_id))
        values[field_id] = clean_text(text)
        if len(values[field_id]) > limit:
            message = _("The text for '{field}' is too long: {count} characters, at most {limit}.")
            raise InputError(message.format(field=field_id, count=len(values[field_id]), limit=limit))
    return kind, values, parse_revisions(data, _)


def parse_revisions(data: dict, _: Gettext) -> dict[str, int]:
    """The optional ``revisions`` {"kind:id": count} the page last saw (absent: every field at 0)."""
    revisions = data.get("revisions", {})
    valid = isinstance(revisions, dict) and all(
        isinstance(count, int) and not isinstance(count, bool) and count >= 0 for count in revisions.values()
    )
    if not valid:
        raise InputError(_("Field 'revisions' must be an object of field names to whole numbers."))
    return revisions
