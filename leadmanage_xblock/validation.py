"""Check what the browser sends to the handlers, before anything is stored.

Pure functions: each returns clean values or raises :class:`InputError` with a message a learner can
read. Ids must exist in the lesson, ratings must lie on its scale and texts must fit its limits.
"""

from collections.abc import Callable

from .content import Lesson

TEXT_KINDS = ("reflection", "plan")
Gettext = Callable[[str], str]


class InputError(ValueError):
    """The request cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _object(data, name: str, _: Gettext) -> dict:
    """``data[name]`` when it is a JSON object, else an InputError naming the field."""
    if name not in data:
        raise InputError(_("Missing field '{name}'.").format(name=name))
    value = data[name]
    if not isinstance(value, dict):
        raise InputError(_("Field '{name}' must be an object of ids to values.").format(name=name))
    return value


def _require_object(data, _: Gettext) -> None:
    if not isinstance(data, dict):
        raise InputError(_("The request must be a JSON object."))


def _missing(expected: list[str], given: dict) -> str:
    return ", ".join(item for item in expected if item not in given)


def parse_quiz(lesson: Lesson, data, _: Gettext) -> tuple[dict[str, str], dict[str, int]]:
    """The ``answers`` and ``ratings`` of a quiz submission; every item must be answered."""
    answers, ratings = parse_answers(lesson, data, _)
    missing = _missing([item.id for item in lesson.quiz.scenarios], answers)
    if missing:
        raise InputError(_("Answer every scenario item before submitting. Missing: {items}.").format(items=missing))
    missing = _missing([item.id for item in lesson.quiz.ratings.items], ratings)
    if missing:
        raise InputError(_("Rate every statement before submitting. Missing: {items}.").format(items=missing))
    return answers, ratings


def parse_answers(lesson: Lesson, data, _: Gettext) -> tuple[dict[str, str], dict[str, int]]:
    """``answers`` and ``ratings`` that may be incomplete (a draft), each id and value checked."""
    _require_object(data, _)
    answers, ratings = _object(data, "answers", _), _object(data, "ratings", _)
    for item_id, option_id in answers.items():
        scenario = lesson.scenarios_by_id.get(item_id)
        if scenario is None:
            raise InputError(_("Unknown scenario item '{item}'.").format(item=item_id))
        if not scenario.accepts(option_id):
            raise InputError(_("Unknown option '{option}' for item '{item}'.").format(option=option_id, item=item_id))
    scale = lesson.quiz.ratings.scale
    for item_id, value in ratings.items():
        if item_id not in lesson.ratings_by_id:
            raise InputError(_("Unknown rating item '{item}'.").format(item=item_id))
        if not scale.accepts(value):
            message = _("The rating for '{item}' must be a whole number from 1 to {points}.")
            raise InputError(message.format(item=item_id, points=scale.points))
    return dict(answers), dict(ratings)


def parse_texts(lesson: Lesson, data, _: Gettext) -> tuple[str, dict[str, str]]:
    """The ``kind`` ("reflection" or "plan") and the ``values`` {field id: text} of a save request."""
    _require_object(data, _)
    kind = data.get("kind")
    if kind not in TEXT_KINDS:
        raise InputError(_("Field 'kind' must be 'reflection' or 'plan'."))
    values = _object(data, "values", _)
    allowed, limit = lesson.writing_fields(kind)
    for field_id, text in values.items():
        if field_id not in allowed:
            raise InputError(_("Unknown field '{field}'.").format(field=field_id))
        if not isinstance(text, str):
            raise InputError(_("The text for '{field}' must be a string.").format(field=field_id))
        if len(text) > limit:
            message = _("The text for '{field}' is too long: {count} characters, at most {limit}.")
            raise InputError(message.format(field=field_id, count=len(text), limit=limit))
    return kind, dict(values)
