"""Check what the browser sends to the handlers, before anything is stored.

Pure functions: each returns clean values or raises :class:`InputError` with a message a learner can read.
Whether an answer, rating or text fits the lesson is decided in one place, ``learner_work.check_*``; here
any issue it finds refuses the whole request, worded for the learner. Learner text is cleaned
(``learner_text.clean_text``) before it is measured, so what is stored can always be printed and exported.
"""

from collections.abc import Callable
from typing import Any

from .content import Lesson
from .learner_work import (
    NOT_AN_OBJECT,
    NOT_TEXT,
    OFF_SCALE,
    OLD_NAMES,
    TEXT_KINDS,
    TOO_LONG,
    UNKNOWN_ITEM,
    UNKNOWN_OPTION,
    Issue,
    check_answers,
    check_ratings,
    check_texts,
)
from .module_view import sections

Gettext = Callable[[str], str]
#: Ids are echoed in messages; an id longer than any the lesson can have is cut there.
SHOWN_ID_LENGTH = 60


class InputError(ValueError):
    """The request cannot be accepted: ``status`` is the HTTP status, ``details`` go into the JSON answer."""

    def __init__(self, message: str, status: int = 400, **details: Any):
        super().__init__(message)
        self.status = status
        self.details = details


def parse_quiz(lesson: Lesson, data: Any, _: Gettext) -> tuple[dict[str, str], dict[str, int], int]:
    """The ``answers``, ``ratings`` and ``attempt`` number of a quiz submission; every item must be answered."""
    answers, ratings = _choices(lesson, _object_of(data, _), _)
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
    data = _object_of(data, _)
    answers, ratings = _choices(lesson, data, _)
    return answers, ratings, parse_revisions(data, _)


def parse_texts(lesson: Lesson, data: Any, _: Gettext) -> tuple[str, dict[str, str], dict[str, int]]:
    """The ``kind``, the cleaned ``values`` {field id: text} and the ``revisions`` seen, of a save request.

    ``kind`` is "reflection" or "action_plan" (pages from before the rename send "plan").
    """
    data = _object_of(data, _)
    kind = data.get("kind")
    kind = OLD_NAMES.get(kind, kind) if isinstance(kind, str) else None
    if kind not in TEXT_KINDS:
        raise InputError(_("Field 'kind' must be 'reflection' or 'action_plan'."))
    values, issues = check_texts(lesson, kind, _field(data, "values", _))
    _refuse(issues, lesson, _)
    return kind, values, parse_revisions(data, _)


def parse_section(lesson: Lesson, data: Any, _: Gettext) -> str:
    """The ``section`` a learner opened: the id of one of the lesson's sections (``module_view.sections``)."""
    section = _field(_object_of(data, _), "section", _)
    if not known_section(lesson, section):
        raise InputError(_("Field 'section' must name a section of the module."))
    return str(section)


def known_section(lesson: Lesson, section: object) -> bool:
    """Whether ``section`` is the id of one of ``lesson``'s sections: the one rule for what a page may reopen."""
    return isinstance(section, str) and any(entry["id"] == section for entry in sections(lesson))


def section_to_reopen(lesson: Lesson, section: str) -> str:
    """Where a page or app reopens for a learner who left off at ``section``: there, or the start ("") if it is gone."""
    return section if known_section(lesson, section) else ""


def parse_revisions(data: dict[str, Any], _: Gettext) -> dict[str, int]:
    """The optional ``revisions`` {"kind:id": count} the page last saw (absent: every field at 0)."""
    revisions = data.get("revisions", {})
    valid = isinstance(revisions, dict) and all(
        isinstance(count, int) and not isinstance(count, bool) and count >= 0 for count in revisions.values()
    )
    if not valid:
        raise InputError(_("Field 'revisions' must be an object of field names to whole numbers."))
    kinds = {f"{old}:": f"{new}:" for old, new in OLD_NAMES.items()}
    return {_renamed(key, kinds): count for key, count in revisions.items()}


def _renamed(key: str, kinds: dict[str, str]) -> str:
    old = next((prefix for prefix in kinds if key.startswith(prefix)), None)
    return kinds[old] + key[len(old) :] if old else key


def _object_of(data: Any, _: Gettext) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(_("The request must be a JSON object."))
    return data


def _field(data: dict[str, Any], name: str, _: Gettext) -> Any:
    """``data[name]``, which must be there."""
    if name not in data:
        raise InputError(_("Missing field '{name}'.").format(name=name))
    return data[name]


def _choices(lesson: Lesson, data: dict[str, Any], _: Gettext) -> tuple[dict[str, str], dict[str, int]]:
    """``answers`` and ``ratings`` that may be incomplete, each id and value checked."""
    answers, answer_issues = check_answers(lesson, _field(data, "answers", _))
    ratings, rating_issues = check_ratings(lesson, _field(data, "ratings", _))
    _refuse(answer_issues + rating_issues, lesson, _)
    return answers, ratings


def _refuse(issues: list[Issue], lesson: Lesson, _: Gettext) -> None:
    """Refuse the request for its first issue, worded for the learner."""
    if issues:
        raise InputError(_message(issues[0], lesson, _))


def _message(issue: Issue, lesson: Lesson, _: Gettext) -> str:
    unknown = {"answers": _("Unknown scenario item '{item}'."), "ratings": _("Unknown rating item '{item}'.")}
    wording = {
        NOT_AN_OBJECT: _("Field '{name}' must be an object of ids to values."),
        UNKNOWN_ITEM: unknown.get(issue.kind, _("Unknown field '{field}'.")),
        UNKNOWN_OPTION: _("Unknown option '{option}' for item '{item}'."),
        OFF_SCALE: _("The rating for '{item}' must be a whole number from 1 to {points}."),
        NOT_TEXT: _("The text for '{field}' must be a string."),
        TOO_LONG: _("The text for '{field}' is too long: {count} characters, at most {limit}."),
    }
    item = _shown(issue.item_id)
    return wording[issue.reason].format(
        name="values" if issue.kind in TEXT_KINDS else issue.kind,
        item=item,
        field=item,
        option=_shown(issue.value),
        points=lesson.quiz.ratings.scale.points,
        count=issue.value,
        limit=lesson.writing_fields(issue.kind)[1] if issue.kind in TEXT_KINDS else 0,
    )


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_ID_LENGTH else text[:SHOWN_ID_LENGTH] + "…"
