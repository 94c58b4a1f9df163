"""A cohort's aggregates from a Problem Responses report (or JSON Lines): what the debrief and ``cohort`` show.

The report is read by the same streaming readers, with the same limits, as personalised workbooks
(``report_csv.read_responses``); rows that cannot be used are listed, never fatal. Only what the aggregates
need is kept while reading: each learner's choices and which reflection fields they wrote, never their name
(beyond telling a learner's rows apart) or text, so the summary cannot carry either.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadmanage_xblock.core.cohort import DEFAULT_MIN_GROUP, CohortSummary, latest_work, summarise_cohort
from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.learner_work import LearnerWork

from .report_csv import read_responses
from .responses import LearnerRecord, RecordProblem, RecordWarning

#: The columns of ``leadmanage cohort --format csv``: one number a row.
CSV_HEADER = ("section", "id", "measure", "value")
#: What stands for a reflection field the learner wrote: the text itself is dropped as it is read.
WRITTEN = "written"


@dataclass(frozen=True)
class CohortReading:
    """A cohort's summary and the input's notes: ``(line, "skipped"|"warning", message)``, in file order."""

    summary: CohortSummary
    notes: tuple[tuple[int, str, str], ...]


def read_cohort(
    path: Path, lesson: Lesson, block: str | None = None, min_group: int = DEFAULT_MIN_GROUP
) -> CohortReading:
    """The aggregates of the learners in ``path`` (each once, their latest row), and what was left out.

    Raises:
        CohortTooSmallError: fewer than ``min_group`` learners submitted the quiz.
        ReportFormatError: the file is not a report of this lesson (see ``read_responses``).
        OSError: it cannot be read.
    """
    pairs: list[tuple[str, LearnerWork]] = []
    notes: list[tuple[int, str, str]] = []
    for line, entry in read_responses(path, lesson, block):
        if isinstance(entry, LearnerRecord):
            pairs.append((entry.username, without_text(entry)))
        elif isinstance(entry, RecordProblem):
            notes.append((line, "skipped", entry.message))
        elif isinstance(entry, RecordWarning):
            notes.append((line, "warning", entry.message))
    return CohortReading(summarise_cohort(lesson, latest_work(pairs), min_group), tuple(notes))


def without_text(work: LearnerWork) -> LearnerWork:
    """``work``'s choices, with each reflection field written marked ``WRITTEN``: no learner text is kept."""
    written = {field_id: WRITTEN for field_id, text in work.reflection.items() if text.strip()}
    return LearnerWork(answers=work.answers, ratings=work.ratings, reflection=written)


def summary_json(lesson: Lesson, summary: CohortSummary, min_group: int) -> dict[str, Any]:
    """The summary's JSON, with the lesson it counts and each dimension's title in the lesson's language."""
    data = summary.to_json()
    for entry in data["dimensions"]:
        entry["title"] = lesson.dimensions_by_id[entry["id"]].title
    return {"lesson": lesson.id, "language": lesson.language, "min_group": min_group, **data}


def summary_csv(summary: CohortSummary) -> str:
    """The summary as CSV: a header, then one number a row (``CohortSummary.flat_rows``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(summary.flat_rows())
    return buffer.getvalue()
