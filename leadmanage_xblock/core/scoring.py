"""Pure scoring: the knowledge score and the leading/managing profile.

No XBlock, no I/O: the XBlock, the PDF exporter and the tests call these with plain dicts. The
SCORM page's script mirrors the same rules in the browser (tests check both give equal results).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from .content import Lesson

#: Percent of scenario items needed to pass, unless the author sets another (block field, SCORM mastery).
DEFAULT_PASS_THRESHOLD = 70
#: Where a learner's profile can fall on each dimension (``band_of``), and the guidance's fields.
BANDS = ("leading", "balanced", "managing")


@dataclass(frozen=True)
class DimensionScore:
    """Scenario items answered correctly in one dimension."""

    dimension: str
    correct: int
    total: int


@dataclass(frozen=True)
class QuizScore:
    """The knowledge score: correct scenario items over all scenario items."""

    correct: int
    total: int
    dimensions: tuple[DimensionScore, ...]

    @property
    def fraction(self) -> float:
        """Score between 0 and 1, as published to the gradebook."""
        return self.correct / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        """Score as a whole percentage, rounded half up."""
        return int(self.fraction * 100 + 0.5)


@dataclass(frozen=True)
class DimensionProfile:
    """Where a learner leans on one dimension; ``lean`` runs from -1 (leading) to +1 (managing)."""

    dimension: str
    rated: int
    mean: float | None
    lean: float | None
    band: str | None  # "leading", "balanced", "managing", or None before any rating

    @property
    def position(self) -> float:
        """Position on a 0-1 axis from the leading end to the managing end (0.5 when unrated)."""
        return 0.5 if self.lean is None else (self.lean + 1) / 2


def score_answers(lesson: Lesson, answers: Mapping[str, str]) -> QuizScore:
    """Count correct scenario answers overall and per dimension; unknown ids are ignored."""
    per_dimension = []
    for dimension in lesson.dimensions:
        items = lesson.scenarios_for(dimension.id)
        correct = sum(1 for item in items if answers.get(item.id) == item.correct_option.id)
        per_dimension.append(DimensionScore(dimension.id, correct, len(items)))
    return QuizScore(sum(d.correct for d in per_dimension), sum(d.total for d in per_dimension), tuple(per_dimension))


def profile(lesson: Lesson, ratings: Mapping[str, int]) -> tuple[DimensionProfile, ...]:
    """The learner's profile per dimension from their self-ratings (1 = leading statement)."""
    points = lesson.quiz.ratings.scale.points
    middle = (points + 1) / 2
    result = []
    for dimension in lesson.dimensions:
        values = [ratings[item.id] for item in lesson.ratings_for(dimension.id) if item.id in ratings]
        if not values:
            result.append(DimensionProfile(dimension.id, 0, None, None, None))
            continue
        mean = sum(values) / len(values)
        lean = (mean - middle) / (middle - 1)
        result.append(
            DimensionProfile(dimension.id, len(values), mean, lean, band_of(lean, lesson.profile.balanced_within))
        )
    return tuple(result)


def balanced_range(lesson: Lesson) -> tuple[float, float]:
    """The average ratings where 'balanced' begins and ends, as the paper workbook prints them.

    :func:`band_of`'s rule written on the rating scale, not a second one: a lean of ``balanced_within``
    either side of the middle point, both edges balanced. Not rounded, so the paper and the block can
    never disagree about an average; the built-in lessons choose ``balanced_within`` so that both edges
    are whole or half numbers (docs/architecture.md, "Profile bands").
    """
    points = lesson.quiz.ratings.scale.points
    middle = (points + 1) / 2
    half_width = lesson.profile.balanced_within * (middle - 1)
    return middle - half_width, middle + half_width


def band_of(lean: float, balanced_within: float) -> str:
    """Name the band a lean falls in: balanced near the middle, otherwise the side it leans to.

    The one profile band rule: the XBlock and the personalised workbook call it, the SCORM page's
    ``scoring.js`` mirrors it and the paper workbook prints it as :func:`balanced_range`.
    """
    if abs(lean) <= balanced_within:
        return "balanced"
    return "leading" if lean < 0 else "managing"


def is_passing(score: QuizScore, threshold_percent: int) -> bool:
    """Whether the knowledge score meets a pass threshold given in percent.

    Judged on the rounded percentage the learner sees and SCORM reports (raw and scaled), so "67 %"
    never reads "not passed" against a threshold of 67.
    """
    return score.percent >= threshold_percent
