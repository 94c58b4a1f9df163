"""Knowledge score and leading/managing profile: pure rules, checked on the built-in lesson."""

import itertools
import re

import pytest
from leadmanage_exporters.pdf import PdfExporter

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.languages import LANGUAGES
from leadmanage_xblock.core.scoring import balanced_range, band_of, is_passing, profile, score_answers


def correct_answers(lesson):
    return {item.id: item.correct_option.id for item in lesson.quiz.scenarios}


def test_all_correct_scores_full_marks(builtin_lesson):
    score = score_answers(builtin_lesson, correct_answers(builtin_lesson))
    assert score.correct == score.total == len(builtin_lesson.quiz.scenarios)
    assert score.percent == 100
    assert all(d.correct == d.total for d in score.dimensions)


def test_wrong_missing_and_unknown_answers_score_nothing(builtin_lesson):
    first = builtin_lesson.quiz.scenarios[0]
    wrong = next(o.id for o in first.options if not o.correct)
    score = score_answers(builtin_lesson, {first.id: wrong, "no_such_item": "a"})
    assert score.correct == 0
    assert score.fraction == 0.0


def test_score_per_dimension_counts_only_that_dimension(builtin_lesson):
    answers = {i.id: i.correct_option.id for i in builtin_lesson.scenarios_for("people")}
    score = score_answers(builtin_lesson, answers)
    by_dimension = {d.dimension: d.correct for d in score.dimensions}
    assert by_dimension == {"goals": 0, "approach": 0, "resources": 0, "people": len(answers)}
    assert score.percent == round(100 * len(answers) / score.total)


@pytest.mark.parametrize(
    ("value", "lean", "band"),
    [(1, -1.0, "leading"), (2, -0.5, "leading"), (3, 0.0, "balanced"), (4, 0.5, "managing"), (5, 1.0, "managing")],
)
def test_profile_maps_ratings_onto_the_leading_managing_axis(builtin_lesson, value, lean, band):
    ratings = {item.id: value for item in builtin_lesson.quiz.ratings.items}
    for row in profile(builtin_lesson, ratings):
        assert row.lean == pytest.approx(lean)
        assert row.band == band
        assert row.position == pytest.approx((lean + 1) / 2)


def test_unrated_dimension_has_no_band(builtin_lesson):
    goals = builtin_lesson.ratings_for("goals")
    rows = {row.dimension: row for row in profile(builtin_lesson, {goals[0].id: 2})}
    assert rows["goals"].band == "leading"
    assert rows["goals"].rated == 1
    assert rows["people"].band is None
    assert rows["people"].position == 0.5


def test_balanced_band_edges():
    assert band_of(0.34, 0.34) == "balanced"
    assert band_of(-0.35, 0.34) == "leading"
    assert band_of(0.35, 0.34) == "managing"


def test_paper_scoring_range_matches_the_bands_the_block_gives(builtin_lesson):
    """The workbook tells paper learners 'balanced between LOW and HIGH': the block must agree at both edges."""
    low, high = balanced_range(builtin_lesson)
    goals = builtin_lesson.ratings_for("goals")

    def band_for_mean(mean):
        # Ratings whose average is `mean`: spread the total over the dimension's items.
        total = round(mean * len(goals))
        values = [total // len(goals) + (index < total % len(goals)) for index in range(len(goals))]
        rows = profile(builtin_lesson, {item.id: value for item, value in zip(goals, values, strict=True)})
        return next(row for row in rows if row.dimension == "goals").band, sum(values) / len(values)

    for mean in (1.0, 1.67, 2.0, 2.33, 2.67, 3.0, 3.33, 3.67, 4.0, 4.33, 5.0):
        band, exact = band_for_mean(mean)
        expected = "leading" if exact < low else "managing" if exact > high else "balanced"
        assert band == expected, (exact, low, high)


def test_pass_threshold(builtin_lesson):
    score = score_answers(builtin_lesson, correct_answers(builtin_lesson))
    assert is_passing(score, 100)
    assert not is_passing(score_answers(builtin_lesson, {}), 1)


def test_pass_is_judged_on_the_percentage_the_learner_sees(builtin_lesson):
    """8 of 12 shows as 67 %; a threshold of 67 must then read as passed, not 66.67 < 67."""
    items = builtin_lesson.quiz.scenarios[:8]
    score = score_answers(builtin_lesson, {item.id: item.correct_option.id for item in items})
    assert score.percent == 67
    assert is_passing(score, 67)
    assert not is_passing(score, 68)


@pytest.mark.parametrize("language", LANGUAGES)
def test_paper_workbook_prints_half_number_bands_that_band_of_agrees_with(language):
    """The paper's band edges are numbers a learner compares by hand, and the ones band_of uses.

    Every average a dimension's ratings can give lands in the band the XBlock and the SCORM page give it.
    """
    lesson = load_builtin_lesson(language)
    steps = re.search(r'<ol class="wb-steps">(.*?)</ol>', PdfExporter().render_html(lesson), re.DOTALL).group(1)
    low, high = (float(number) for number in re.findall(r"\d+(?:\.\d+)?", steps))
    assert (low, high) == balanced_range(lesson)
    assert (2 * low).is_integer(), f"{low} is not a whole or half number"
    assert (2 * high).is_integer(), f"{high} is not a whole or half number"
    goals = lesson.ratings_for("goals")
    for values in itertools.product(range(1, lesson.quiz.ratings.scale.points + 1), repeat=len(goals)):
        mean = sum(values) / len(values)
        on_paper = "leading" if mean < low else "managing" if mean > high else "balanced"
        rows = profile(lesson, {item.id: value for item, value in zip(goals, values, strict=True)})
        assert rows[0].band == on_paper, (values, mean)
