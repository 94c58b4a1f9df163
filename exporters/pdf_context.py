"""The context of the printed workbook's template (``pdf/workbook.html.j2``): its types, and ``workbook_context``."""

from collections.abc import Mapping
from typing import TypedDict

from leadmanage_xblock.core.content import Lesson, RatingItem, Scenario
from leadmanage_xblock.core.learner_work import LearnerWork
from leadmanage_xblock.core.results import DimensionResult, ItemFeedback, ScoreSummary, quiz_results
from leadmanage_xblock.core.scoring import balanced_range

from .responses import LearnerRecord

#: What every id in a workbook starts with.
PREFIX = "wb-"


class LearnerName(TypedDict):
    """The learner a personalised workbook is for, as its cover names them."""

    name: str


class PersonalContext(TypedDict):
    """A learner's marked answers, score, profile and writing; empty, or ``None``, in a workbook for no one."""

    learner: LearnerName | None
    answers: Mapping[str, str]
    feedback: Mapping[str, ItemFeedback]
    ratings: Mapping[str, int]
    reflection: Mapping[str, str]
    action_plan: Mapping[str, str]
    score: ScoreSummary | None
    profile_rows: tuple[DimensionResult, ...] | None


class WorkbookContext(PersonalContext):
    """What ``pdf/workbook.html.j2`` shows: the lesson in an edition, for a learner or for no one.

    ``personal``: a personalised workbook, whose scenario pages explain every option and mark the best answer, the
    same for every learner, and whose "Your answers" table gives the learner's own choices.
    """

    prefix: str
    lesson: Lesson
    edition: str
    personal: bool
    fillable: bool
    grayscale: bool
    numbers: dict[str, int]
    band_limits: tuple[float, float]
    key: Mapping[str, ItemFeedback]


class WorkbookPartContext(WorkbookContext):
    """Everything ``pdf/workbook.html.j2`` reads: what it shows, which part of it, and the contents' page numbers.

    ``toc_pages`` is ``None`` when WeasyPrint numbers the contents itself (see ``PdfExporter.lay_out``).
    """

    part: str
    toc_pages: dict[str, int] | None


def workbook_context(
    lesson: Lesson,
    edition: str,
    learner: LearnerRecord | None = None,
    fillable: bool = False,
    grayscale: bool = False,
    personal: bool = False,
) -> WorkbookContext:
    """Everything ``pdf/workbook.html.j2`` uses, and nothing else.

    ``personal``: a part of personalised workbooks laid out for no learner in particular (``pdf_parts``); a
    workbook for a ``learner`` is personalised anyway.
    """
    # Scenarios and self-ratings are numbered each from 1, as the XBlock and the SCORM page number them.
    series: tuple[tuple[Scenario | RatingItem, ...], ...] = (lesson.quiz.scenarios, lesson.quiz.ratings.items)
    personal = personal or learner is not None
    return {
        "prefix": PREFIX,
        "lesson": lesson,
        "edition": edition,
        "personal": personal,
        "fillable": fillable,
        "grayscale": grayscale,
        "numbers": {item.id: number for items in series for number, item in enumerate(items, start=1)},
        "band_limits": balanced_range(lesson),
        # Every scenario's best option and explanations, as for a learner with no answers: the facilitator's answer
        # key, and the scenario pages of a personalised workbook, the same for every learner.
        "key": quiz_results(lesson, LearnerWork()).items if edition == "facilitator" or personal else {},
        **(personal_context(lesson, learner) if learner else _nobody_context()),
    }


def _nobody_context() -> PersonalContext:
    """The learner's part of a workbook for no one: no name, nothing answered, marked or written."""
    return {
        "learner": None,
        "answers": {},
        "feedback": {},
        "ratings": {},
        "reflection": {},
        "action_plan": {},
        "score": None,
        "profile_rows": None,
    }


def personal_context(lesson: Lesson, learner: LearnerRecord) -> PersonalContext:
    """The learner's name, marked answers, score, profile and writing, as the XBlock shows them."""
    results = quiz_results(lesson, learner)
    return {
        "learner": {"name": learner.display_name},
        "answers": learner.answers,
        "feedback": results.items,
        "ratings": learner.ratings,
        "reflection": learner.reflection,
        "action_plan": learner.action_plan,
        "score": results.score,
        "profile_rows": results.dimensions,
    }
