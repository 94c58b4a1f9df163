"""The quiz Results JSON (docs/architecture.md): what the submit handler returns and the view re-renders.

Pure functions over plain dicts, no XBlock: the SCORM page's script builds the same shape in the browser.
"""

from .content import Lesson
from .scoring import QuizScore, is_passing, profile, score_answers


def quiz_results(
    lesson: Lesson,
    answers: dict[str, str],
    ratings: dict[str, int],
    *,
    pass_threshold: int = 0,
    show_explanations: bool = True,
    attempts_left: int | None = None,
) -> dict:
    """Score ``answers`` and profile ``ratings`` as the Results JSON.

    Args:
        lesson: the lesson the ids belong to.
        answers: scenario id → chosen option id.
        ratings: rating item id → point on the scale.
        pass_threshold: percent needed to pass.
        show_explanations: include every option's explanation (otherwise only right/wrong is revealed).
        attempts_left: submissions still allowed, or ``None`` when unlimited.
    """
    score = score_answers(lesson, answers)
    return {
        "score": score_summary(score, pass_threshold),
        "items": {
            item.id: {
                "chosen": answers.get(item.id),
                "correct_option": item.correct_option.id,
                "explanations": {o.id: o.explanation if show_explanations else "" for o in item.options},
            }
            for item in lesson.quiz.scenarios
        },
        "dimensions": _dimensions(lesson, score, ratings),
        "attempts_left": attempts_left,
    }


def score_summary(score: QuizScore, pass_threshold: int) -> dict:
    """``{correct, total, percent, passed}``: the score as the Results JSON and the mobile API give it."""
    return {
        "correct": score.correct,
        "total": score.total,
        "percent": score.percent,
        "passed": is_passing(score, pass_threshold),
    }


def _dimensions(lesson: Lesson, score, ratings: dict[str, int]) -> list[dict]:
    rows = []
    for dimension_score, place in zip(score.dimensions, profile(lesson, ratings), strict=True):
        rows.append(
            {
                "id": place.dimension,
                "correct": dimension_score.correct,
                "total": dimension_score.total,
                "mean": None if place.mean is None else round(place.mean, 2),
                "lean": None if place.lean is None else round(place.lean, 2),
                "position": round(place.position, 3),
                "band": place.band,
                "guidance": getattr(lesson.guidance_for(place.dimension), place.band) if place.band else "",
            }
        )
    return rows
