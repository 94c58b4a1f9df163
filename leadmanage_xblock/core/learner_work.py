"""A learner's work: what they chose and wrote, and the one place that decides what of it fits a lesson.

``LearnerWork`` is the typed value every output reads: the XBlock's page, the Problem Responses report, the
printed workbook. ``check_work`` (and its parts) decide whether each answer, rating and text fits the lesson,
returning what fits and an ``Issue`` for the rest; each caller chooses what an issue means: the handlers
refuse the request, the stored-state reader drops the value, the records reader leaves it out with a warning.

``LearnerState`` is everything the block stores for one learner. It is read tolerantly: values an older
version wrote, a half-written record or a value edited by hand keep what has the right type, and learner
text is cleaned (``learner_text.clean_text``), so no stored value can make any reader fail. Answers to items
an author has since removed stay stored (an undo in Studio brings them back) but are never shown, scored,
reported or printed: the state is narrowed to the lesson through ``check_work``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from .content import Lesson
from .learner_text import clean_text

#: The learner's writing, by the name used in every layer, file format and report column.
TEXT_KINDS = ("reflection", "action_plan")
#: The quiz choices (the draft has the same two keys).
CHOICE_KINDS = ("answers", "ratings")
#: What older versions called a kind; read, never written.
OLD_NAMES = {"plan": "action_plan"}

UNKNOWN_ITEM, UNKNOWN_OPTION, OFF_SCALE = "unknown item", "unknown option", "off the scale"
NOT_TEXT, TOO_LONG, NOT_AN_OBJECT = "not text", "too long", "not an object"


@dataclass(frozen=True, kw_only=True)
class LearnerWork:
    """What one learner chose and wrote: scenario answers, self-ratings, reflection and action plan."""

    answers: Mapping[str, str] = field(default_factory=dict)
    ratings: Mapping[str, int] = field(default_factory=dict)
    reflection: Mapping[str, str] = field(default_factory=dict)
    action_plan: Mapping[str, str] = field(default_factory=dict)

    def texts(self, kind: str) -> Mapping[str, str]:
        """The reflection or the action plan."""
        return self.reflection if kind == "reflection" else self.action_plan


@dataclass(frozen=True)
class Issue:
    """A part of a learner's work the lesson cannot take: its kind, item (``None``: the whole kind) and why."""

    kind: str
    item_id: Any
    reason: str
    value: Any = None


def check_answers(lesson: Lesson, answers: Any) -> tuple[dict[str, str], list[Issue]]:
    """The scenario answers whose item and option the lesson has, and an issue for each other one."""
    if not isinstance(answers, Mapping):
        return {}, [Issue("answers", None, NOT_AN_OBJECT, answers)]
    kept, issues = {}, []
    for item_id, option_id in answers.items():
        scenario = lesson.scenarios_by_id.get(item_id) if isinstance(item_id, str) else None
        if scenario is None:
            issues.append(Issue("answers", item_id, UNKNOWN_ITEM, option_id))
        elif not scenario.accepts(option_id):
            issues.append(Issue("answers", item_id, UNKNOWN_OPTION, option_id))
        else:
            kept[item_id] = option_id
    return kept, issues


def check_ratings(lesson: Lesson, ratings: Any) -> tuple[dict[str, int], list[Issue]]:
    """The self-ratings whose item the lesson has and whose value is on its scale, and an issue for each other one."""
    if not isinstance(ratings, Mapping):
        return {}, [Issue("ratings", None, NOT_AN_OBJECT, ratings)]
    kept, issues, scale = {}, [], lesson.quiz.ratings.scale
    for item_id, value in ratings.items():
        if not (isinstance(item_id, str) and item_id in lesson.ratings_by_id):
            issues.append(Issue("ratings", item_id, UNKNOWN_ITEM, value))
        elif not scale.accepts(value):
            issues.append(Issue("ratings", item_id, OFF_SCALE, value))
        else:
            kept[item_id] = value
    return kept, issues


def check_texts(lesson: Lesson, kind: str, texts: Any) -> tuple[dict[str, str], list[Issue]]:
    """The cleaned texts whose field the lesson has, in its order, and an issue for each other one.

    A text over the lesson's limit is kept whole, with a ``TOO_LONG`` issue: the caller decides whether to
    refuse it, cut it or show it (an author may have lowered the limit after the learner wrote it).
    """
    if not isinstance(texts, Mapping):
        return {}, [Issue(kind, None, NOT_AN_OBJECT, texts)]
    ids, limit = lesson.writing_fields(kind)
    issues = [Issue(kind, text_id, UNKNOWN_ITEM, text) for text_id, text in texts.items() if text_id not in ids]
    kept = {}
    for text_id in ids:
        if text_id not in texts:
            continue
        if not isinstance(texts[text_id], str):
            issues.append(Issue(kind, text_id, NOT_TEXT, texts[text_id]))
            continue
        kept[text_id] = clean_text(texts[text_id])
        if len(kept[text_id]) > limit:
            issues.append(Issue(kind, text_id, TOO_LONG, len(kept[text_id])))
    return kept, issues


def check_work(lesson: Lesson, data: Mapping[str, Any]) -> tuple[LearnerWork, list[Issue]]:
    """``data``'s answers, ratings, reflection and action plan (each may be missing) checked against ``lesson``."""
    answers, issues = check_answers(lesson, data.get("answers", {}))
    ratings, rating_issues = check_ratings(lesson, data.get("ratings", {}))
    texts = {kind: check_texts(lesson, kind, data.get(kind, {})) for kind in TEXT_KINDS}
    issues += rating_issues + [issue for _, found in texts.values() for issue in found]
    work = LearnerWork(answers=answers, ratings=ratings, **{kind: kept for kind, (kept, _) in texts.items()})
    return work, issues


def narrowed(lesson: Lesson, data: Mapping[str, Any]) -> LearnerWork:
    """What of ``data`` the lesson can show: everything ``check_work`` keeps (a long text stays whole)."""
    return check_work(lesson, data)[0]


class Draft(TypedDict):
    """The quiz choices a learner made since their last submission (never graded)."""

    answers: dict[str, str]
    ratings: dict[str, int]


@dataclass(frozen=True)
class LearnerState:
    """Everything the block keeps for one learner, each value of the right type (see the module docstring).

    ``revisions`` counts the writes of each field ("reflection:<id>", "action_plan:<id>", "answers:<id>",
    "ratings:<id>"), so a page that shows an older revision cannot overwrite a newer one unseen.
    """

    answers: dict[str, str] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)
    reflection: dict[str, str] = field(default_factory=dict)
    action_plan: dict[str, str] = field(default_factory=dict)
    draft: Draft | None = None
    attempts: int = 0
    completed: bool = False
    revisions: dict[str, int] = field(default_factory=dict)
    timestamps: dict[str, str] = field(default_factory=dict)
    #: The section the learner last opened (``validation.known_section`` tells whether the lesson still has it).
    section: str = ""

    @classmethod
    def from_stored(cls, stored: Any) -> "LearnerState":
        """The state in ``stored`` (the block's user_state fields as a mapping), whatever shape it has."""
        stored = stored if isinstance(stored, Mapping) else {}
        draft = _mapping(stored.get("draft"))
        return cls(
            answers=_choices(stored.get("answers")),
            ratings=_points(stored.get("ratings")),
            reflection=_texts(stored.get("reflection")),
            action_plan=_texts(stored.get("action_plan") or stored.get("plan")),
            draft=Draft(answers=_choices(draft["answers"]), ratings=_points(draft["ratings"]))
            if "answers" in draft and "ratings" in draft
            else None,
            attempts=_count(stored.get("attempts")),
            completed=stored.get("completed") is True,
            revisions=_counts(stored.get("revisions")),
            timestamps=_choices(stored.get("timestamps")),
            section=stored.get("section") if isinstance(stored.get("section"), str) else "",
        )

    def texts(self, kind: str) -> dict[str, str]:
        """The stored reflection or action plan."""
        return self.reflection if kind == "reflection" else self.action_plan

    def with_texts(self, kind: str, texts: dict[str, str], revisions: dict[str, int]) -> "LearnerState":
        """This state after storing ``texts`` as the reflection or the action plan, with ``revisions``."""
        if kind == "reflection":
            return replace(self, reflection=texts, revisions=revisions)
        return replace(self, action_plan=texts, revisions=revisions)

    def shown_choices(self, closed: bool = False) -> tuple[dict[str, str], dict[str, int]]:
        """The quiz choices the page shows: the draft when there is one, else the submission (always once closed)."""
        if self.draft is not None and not closed:
            return self.draft["answers"], self.draft["ratings"]
        return self.answers, self.ratings

    def shown_work(self, lesson: Lesson, closed: bool = False) -> LearnerWork:
        """What the learner's page shows of this state for ``lesson``."""
        answers, ratings = self.shown_choices(closed)
        return narrowed(lesson, {**self._texts_by_kind(), "answers": answers, "ratings": ratings})

    def submitted_work(self, lesson: Lesson) -> LearnerWork:
        """What reports and printed workbooks show: quiz answers only once submitted."""
        choices = {"answers": self.answers, "ratings": self.ratings} if self.attempts > 0 else {}
        return narrowed(lesson, {**self._texts_by_kind(), **choices})

    def _texts_by_kind(self) -> dict[str, dict[str, str]]:
        return {kind: self.texts(kind) for kind in TEXT_KINDS}


def _mapping(value: Any) -> dict[str, Any]:
    return {key: item for key, item in value.items() if isinstance(key, str)} if isinstance(value, dict) else {}


def _choices(value: Any) -> dict[str, str]:
    return {key: item for key, item in _mapping(value).items() if isinstance(item, str)}


def _points(value: Any) -> dict[str, int]:
    points = {key: whole_number(item) for key, item in _mapping(value).items()}
    return {key: point for key, point in points.items() if point is not None}


def _counts(value: Any) -> dict[str, int]:
    counts = {_new_name(key): whole_number(item) for key, item in _mapping(value).items()}
    return {key: count for key, count in counts.items() if count is not None and count > 0}


def _new_name(revision_key: str) -> str:
    kind, _, item_id = revision_key.partition(":")
    return f"{OLD_NAMES.get(kind, kind)}:{item_id}"


def _texts(value: Any) -> dict[str, str]:
    return {key: clean_text(item) for key, item in _mapping(value).items() if isinstance(item, str)}


def whole_number(value: Any) -> int | None:
    """A whole number, or the ASCII digits of one as an older version or a report may have written it; else ``None``.

    Not ``str.isdigit`` alone: "²" and "٣" are digits to it, and ``int`` refuses the first.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count(value: Any) -> int:
    """A count of at least 0 (anything else counts as 0)."""
    whole = whole_number(value)
    return whole if whole is not None and whole > 0 else 0


def page_state(work: LearnerWork, revisions: Mapping[str, int]) -> dict[str, Any]:
    """What ``lesson.js`` puts into the form: the work and the revisions of the fields it holds."""
    shown = {"answers": work.answers, "ratings": work.ratings, **{kind: work.texts(kind) for kind in TEXT_KINDS}}
    keys = [f"{kind}:{item_id}" for kind, values in shown.items() for item_id in values]
    return {**{kind: dict(values) for kind, values in shown.items()}, "revisions": _seen(keys, revisions)}


def _seen(keys: list[str], revisions: Mapping[str, int]) -> dict[str, int]:
    return {key: revisions[key] for key in keys if key in revisions}
