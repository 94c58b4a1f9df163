"""A learner's results: the score, each scenario's marks and explanations, and the profile with its guidance.

``Results`` is the typed value every output reads: the XBlock's handlers send it as JSON (``to_json``, the shape
``lesson.js`` shows and docs/architecture.md describes; the SCORM page's ``scoring.js`` builds the same in the
browser), and the templates read it as it is (the module's results, the printed workbook's profile).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .content import Dimension, Lesson
from .learner_work import LearnerWork
from .scoring import DimensionProfile, QuizScore, is_passing, profile, score_answers


@dataclass(frozen=True)
class ScoreSummary:
    """The knowledge score as the learner sees it: correct of total, the rounded percent and whether it passes."""

    correct: int
    total: int
    percent: int
    passed: bool

    @classmethod
    def of(cls, score: QuizScore, pass_threshold: int) -> "ScoreSummary":
        """The summary of ``score`` against a pass threshold in percent."""
        return cls(score.correct, score.total, score.percent, is_passing(score, pass_threshold))


@dataclass(frozen=True)
class ItemFeedback:
    """One scenario item marked: the learner's choice, the best option and each option's explanation."""

    chosen: str | None
    correct_option: str
    explanations: Mapping[str, str]


@dataclass(frozen=True)
class DimensionResult:
    """One dimension: scenario items right, where the learner leans, and the guidance for that lean."""

    dimension: Dimension
    correct: int
    total: int
    profile: DimensionProfile
    guidance: str

    def to_json(self) -> dict[str, Any]:
        """The dimension's entry in the Results JSON."""
        place = self.profile
        return {
            "id": self.dimension.id,
            "correct": self.correct,
            "total": self.total,
            "mean": None if place.mean is None else round(place.mean, 2),
            "lean": None if place.lean is None else round(place.lean, 2),
            "position": round(place.position, 3),
            "band": place.band,
            "guidance": self.guidance,
        }


@dataclass(frozen=True)
class Results:
    """Everything a learner is told about a quiz submission."""

    score: ScoreSummary
    items: Mapping[str, ItemFeedback]
    dimensions: tuple[DimensionResult, ...]
    attempts_left: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The Results JSON (docs/architecture.md)."""
        return {
            "score": vars(self.score),
            "items": {item_id: vars(feedback) for item_id, feedback in self.items.items()},
            "dimensions": [row.to_json() for row in self.dimensions],
            "attempts_left": self.attempts_left,
        }


def quiz_results(
    lesson: Lesson,
    work: LearnerWork,
    *,
    pass_threshold: int = 0,
    show_explanations: bool = True,
    attempts_left: int | None = None,
) -> Results:
    """Score ``work``'s answers and profile its ratings (ids the lesson does not have are ignored).

    Args:
        lesson: the lesson the ids belong to.
        work: the learner's answers and ratings (texts are not scored).
        pass_threshold: percent needed to pass.
        show_explanations: include every option's explanation (otherwise only right/wrong is revealed).
        attempts_left: submissions still allowed, or ``None`` when unlimited.
    """
    score = score_answers(lesson, work.answers)
    items = {
        item.id: ItemFeedback(
            chosen=work.answers.get(item.id),
            correct_option=item.correct_option.id,
            explanations={o.id: o.explanation if show_explanations else "" for o in item.options},
        )
        for item in lesson.quiz.scenarios
    }
    return Results(ScoreSummary.of(score, pass_threshold), items, _dimensions(lesson, score, work), attempts_left)


def _dimensions(lesson: Lesson, score: QuizScore, work: LearnerWork) -> tuple[DimensionResult, ...]:
    places = profile(lesson, work.ratings)
    return tuple(
        DimensionResult(
            dimension=dimension,
            correct=dimension_score.correct,
            total=dimension_score.total,
            profile=place,
            guidance=getattr(lesson.guidance_for(dimension.id), place.band) if place.band else "",
        )
        for dimension, dimension_score, place in zip(lesson.dimensions, score.dimensions, places, strict=True)
    )
