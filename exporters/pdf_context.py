"""The context of the printed workbook's template (``pdf/workbook.html.j2``), as ``pdf.workbook_context`` builds it."""

from collections.abc import Mapping
from typing import TypedDict

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.results import DimensionResult, ItemFeedback, ScoreSummary


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
    """What ``pdf/workbook.html.j2`` shows: the lesson in an edition, for a learner or for no one."""

    prefix: str
    lesson: Lesson
    edition: str
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
    blank_pages: int
