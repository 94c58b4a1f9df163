"""A learner's stored work, narrowed to the ids the current lesson still has.

An author may edit the lesson after learners have answered. Answers for items that no longer exist
stay in ``Scope.user_state`` (nothing is deleted, an undo in Studio brings them back), but they are
never shown, scored, counted for completion, reported or printed: every reader goes through here.
"""

from .content import Lesson


def current_answers(lesson: Lesson, answers: dict) -> dict[str, str]:
    """Scenario answers whose item and option both still exist."""
    return {
        item_id: option
        for item_id, option in answers.items()
        if item_id in lesson.scenarios_by_id and lesson.scenarios_by_id[item_id].accepts(option)
    }


def current_ratings(lesson: Lesson, ratings: dict) -> dict[str, int]:
    """Self-ratings whose item still exists and whose value is on the current scale."""
    scale = lesson.quiz.ratings.scale
    return {
        item_id: value for item_id, value in ratings.items() if item_id in lesson.ratings_by_id and scale.accepts(value)
    }


def current_texts(ids: tuple[str, ...], texts: dict) -> dict[str, str]:
    """Reflection or plan texts whose field still exists, in the lesson's order."""
    return {field_id: texts[field_id] for field_id in ids if isinstance(texts.get(field_id), str)}


def current_state(lesson: Lesson, answers: dict, ratings: dict, reflection: dict, plan: dict) -> dict:
    """``{answers, ratings, reflection, plan}`` with only the ids ``lesson`` still has."""
    return {
        "answers": current_answers(lesson, answers),
        "ratings": current_ratings(lesson, ratings),
        "reflection": current_texts(lesson.prompt_ids, reflection),
        "plan": current_texts(lesson.plan_field_ids, plan),
    }


def submitted_work(lesson: Lesson, state: dict, submitted: bool) -> dict:
    """What reports and printed workbooks show of stored ``state``: quiz answers only once submitted.

    ``state`` holds the user_state fields ``answers``, ``ratings``, ``reflection`` and ``plan`` (any may
    be missing or ``None``); the result uses the records' key ``action_plan``.
    """
    fields = [state.get(name) or {} for name in ("answers", "ratings", "reflection", "plan")]
    work = current_state(lesson, *fields)
    return {
        "answers": work["answers"] if submitted else {},
        "ratings": work["ratings"] if submitted else {},
        "reflection": work["reflection"],
        "action_plan": work["plan"],
    }
