"""The cohort debrief: a facilitator's PDF of a cohort's aggregates, laid out and tagged like every workbook.

``pdf/debrief.html.j2`` gets counts only (``core.cohort.CohortSummary``) and the lesson, never a learner:
no name, username or text can reach the page. It is laid out with the workbooks' print stylesheet, page
footer, safe fetcher and PDF/UA-1 finisher (``pdf.lay_out_html`` and ``pdf.write_pdf``).
"""

from collections.abc import Mapping
from typing import TypedDict

from leadmanage_xblock.core.cohort import CohortSummary, DimensionTally, ScenarioTally
from leadmanage_xblock.core.content import Dimension, Lesson, Scenario
from leadmanage_xblock.core.content.model import DebriefPrompt
from leadmanage_xblock.core.rendering import render, translations_for

from .pdf import PAPERS, Footer, lay_out_html, write_pdf

PREFIX = "db-"


class DimensionRow(TypedDict):
    """One dimension of the cohort's profile: the dimension, its counts and its share of learners per band."""

    dimension: Dimension
    tally: DimensionTally
    shares: Mapping[str, float]


class HardItem(TypedDict):
    """A scenario many learners missed: the item, its counts, and the wrong option most of them chose."""

    scenario: Scenario
    tally: ScenarioTally
    number: int
    top_wrong: str | None


class DebriefContext(TypedDict):
    """Everything ``pdf/debrief.html.j2`` shows: the lesson and the cohort's counts, nothing of any learner."""

    prefix: str
    lesson: Lesson
    summary: CohortSummary
    min_group: int
    dimension_rows: list[DimensionRow]
    hardest: list[HardItem]
    prompts: list[DebriefPrompt]


def debrief_context(lesson: Lesson, summary: CohortSummary, min_group: int) -> DebriefContext:
    """The debrief template's explicit context."""
    return {
        "prefix": PREFIX,
        "lesson": lesson,
        "summary": summary,
        "min_group": min_group,
        "dimension_rows": [_dimension_row(lesson, tally) for tally in summary.dimensions],
        "hardest": [_hard_item(lesson, tally) for tally in summary.hardest()],
        "prompts": chosen_prompts(lesson, summary),
    }


def chosen_prompts(lesson: Lesson, summary: CohortSummary) -> list[DebriefPrompt]:
    """The lesson's debrief prompts for the band holding the most learners, dimension by dimension (none on a tie)."""
    tendencies = {tally.dimension: tally.tendency for tally in summary.dimensions}
    return [prompt for prompt in lesson.facilitator.debrief_prompts if tendencies.get(prompt.dimension) == prompt.band]


def export_debrief(
    lesson: Lesson, summary: CohortSummary, min_group: int, paper: str = "a4", language: str | None = None
) -> bytes:
    """The debrief as PDF/UA-1 bytes, in ``language`` (default: the lesson's).

    Raises:
        ValueError: an unknown paper size.
    """
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}; choose one of: {', '.join(PAPERS)}")
    language = language or lesson.language
    html = render("pdf/debrief.html.j2", debrief_context(lesson, summary, min_group), language)
    label = f"{lesson.title} · {translations_for(language).gettext('Cohort debrief')}"
    return write_pdf(lay_out_html(html, paper, False, language, Footer(label)))


def _dimension_row(lesson: Lesson, tally: DimensionTally) -> DimensionRow:
    shares = {band: count / tally.rated if tally.rated else 0.0 for band, count in tally.bands.items()}
    return {"dimension": lesson.dimensions_by_id[tally.dimension], "tally": tally, "shares": shares}


def _hard_item(lesson: Lesson, tally: ScenarioTally) -> HardItem:
    wrong = {option: count for option, count in tally.options.items() if option != tally.correct_option and count}
    number = next(index for index, item in enumerate(lesson.quiz.scenarios, 1) if item.id == tally.scenario)
    return {
        "scenario": lesson.scenarios_by_id[tally.scenario],
        "tally": tally,
        "number": number,
        "top_wrong": max(wrong, key=lambda option: wrong[option]) if wrong else None,
    }
