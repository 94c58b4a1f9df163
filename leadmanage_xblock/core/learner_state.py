"""A learner's stored work: read tolerantly, then narrowed to the lesson they see.

Stored state may hold anything: values an older version wrote, a half-written record, a value edited by hand.
Every reader (the view, the handlers, the downloads, the mobile API, the course report) goes through
:meth:`LearnerState.from_stored`, which keeps each value that has the right shape, drops the rest and cleans
learner text (``learner_text.clean_text``), so no stored value can make any of them fail. A broken value is
repaired on the learner's next save, which writes the clean one.

Answers to items an author has since removed stay stored (an undo in Studio brings them back), but are never
shown, scored, counted for completion, reported or printed: ``current_*`` narrow them to the lesson.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .content import Lesson
from .learner_text import clean_text

#: The learner's writing, by the name of its block field.
TEXT_KINDS = ("reflection", "plan")
#: The quiz choices, by the name of their block field (the draft has the same two keys).
CHOICE_KINDS = ("answers", "ratings")


@dataclass(frozen=True)
class LearnerState:
    """Everything the block keeps for one learner, each value of the right type.

    ``revisions`` counts the writes of each field ("reflection:<id>", "plan:<id>", "answers:<id>",
    "ratings:<id>"), so a page that shows an older revision cannot overwrite a newer one unseen.
    """

    answers: dict[str, str] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)
    reflection: dict[str, str] = field(default_factory=dict)
    plan: dict[str, str] = field(default_factory=dict)
    draft: dict[str, dict] = field(default_factory=dict)
    attempts: int = 0
    completed: bool = False
    revisions: dict[str, int] = field(default_factory=dict)
    timestamps: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_stored(cls, stored: Any) -> "LearnerState":
        """The state in ``stored`` (the block's user_state fields as a mapping), whatever shape it has."""
        stored = stored if isinstance(stored, Mapping) else {}
        draft = _mapping(stored.get("draft"))
        return cls(
            answers=_choices(stored.get("answers")),
            ratings=_points(stored.get("ratings")),
            reflection=_texts(stored.get("reflection")),
            plan=_texts(stored.get("plan")),
            draft={"answers": _choices(draft["answers"]), "ratings": _points(draft["ratings"])}
            if "answers" in draft and "ratings" in draft
            else {},
            attempts=_count(stored.get("attempts")),
            completed=stored.get("completed") is True,
            revisions=_counts(stored.get("revisions")),
            timestamps=_choices(stored.get("timestamps")),
        )

    def shown_choices(self, closed: bool = False) -> tuple[dict[str, str], dict[str, int]]:
        """The quiz choices the page shows: the draft when there is one, else the submission (always once closed)."""
        if self.draft and not closed:
            return self.draft["answers"], self.draft["ratings"]
        return self.answers, self.ratings

    def revision(self, kind: str, item_id: str) -> int:
        """How many times the field ``kind:item_id`` has been written."""
        return self.revisions.get(f"{kind}:{item_id}", 0)


def _mapping(value: Any) -> dict:
    return {key: item for key, item in value.items() if isinstance(key, str)} if isinstance(value, dict) else {}


def _choices(value: Any) -> dict[str, str]:
    return {key: item for key, item in _mapping(value).items() if isinstance(item, str)}


def _points(value: Any) -> dict[str, int]:
    points = {key: _whole(item) for key, item in _mapping(value).items()}
    return {key: point for key, point in points.items() if point is not None}


def _counts(value: Any) -> dict[str, int]:
    return {key: count for key, item in _mapping(value).items() if (count := _count(item))}


def _texts(value: Any) -> dict[str, str]:
    return {key: clean_text(item) for key, item in _mapping(value).items() if isinstance(item, str)}


def _whole(value: Any) -> int | None:
    """A whole number, or the digits of one as an older version may have stored it; else ``None``."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count(value: Any) -> int:
    """A count of at least 0 (anything else counts as 0)."""
    whole = _whole(value)
    return whole if whole is not None and whole > 0 else 0


def current_answers(lesson: Lesson, answers: Mapping[str, str]) -> dict[str, str]:
    """Scenario answers whose item and option both still exist."""
    return {
        item_id: option
        for item_id, option in answers.items()
        if item_id in lesson.scenarios_by_id and lesson.scenarios_by_id[item_id].accepts(option)
    }


def current_ratings(lesson: Lesson, ratings: Mapping[str, int]) -> dict[str, int]:
    """Self-ratings whose item still exists and whose value is on the current scale."""
    scale = lesson.quiz.ratings.scale
    return {
        item_id: value for item_id, value in ratings.items() if item_id in lesson.ratings_by_id and scale.accepts(value)
    }


def current_texts(ids: tuple[str, ...], texts: Mapping[str, str]) -> dict[str, str]:
    """Reflection or plan texts whose field still exists, in the lesson's order."""
    return {field_id: texts[field_id] for field_id in ids if isinstance(texts.get(field_id), str)}


def current_state(lesson: Lesson, state: LearnerState, closed: bool = False) -> dict:
    """What the learner's page shows: ``{answers, ratings, reflection, plan, revisions}`` for the lesson's ids."""
    answers, ratings = state.shown_choices(closed)
    shown = {
        "answers": current_answers(lesson, answers),
        "ratings": current_ratings(lesson, ratings),
        "reflection": current_texts(lesson.prompt_ids, state.reflection),
        "plan": current_texts(lesson.plan_field_ids, state.plan),
    }
    keys = [f"{kind}:{item_id}" for kind, values in shown.items() for item_id in values]
    return {**shown, "revisions": {key: state.revisions[key] for key in keys if key in state.revisions}}


def submitted_work(lesson: Lesson, state: LearnerState) -> dict:
    """What reports and printed workbooks show: quiz answers only once submitted; the records' key ``action_plan``."""
    submitted = state.attempts > 0
    return {
        "answers": current_answers(lesson, state.answers) if submitted else {},
        "ratings": current_ratings(lesson, state.ratings) if submitted else {},
        "reflection": current_texts(lesson.prompt_ids, state.reflection),
        "action_plan": current_texts(lesson.plan_field_ids, state.plan),
    }
