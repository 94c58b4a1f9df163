"""Instructor report columns for one learner, and reading them back.

``report_row`` gives the columns ``generate_report_data`` yields to Open edX's Problem Responses
report (the platform keeps their order). ``record_from_report_row`` turns a row of that CSV back
into a learner record, so trainers can print personalised workbooks from the report.
Column names carry the stable ids, so both directions survive edits to the lesson's wording.
"""

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from .content import Lesson
from .learner_work import OLD_NAMES, TEXT_KINDS, LearnerWork, whole_number
from .scoring import profile, score_answers

YES, NO = "yes", "no"


def report_row(lesson: Lesson, work: LearnerWork, *, submitted: bool, completed: bool) -> OrderedDict[str, str]:
    """Readable columns for one learner's ``work``, narrowed to ``lesson`` (see ``LearnerState.submitted_work``)."""
    row: OrderedDict[str, str] = OrderedDict()
    score = score_answers(lesson, work.answers)
    row["score"] = f"{score.correct}/{score.total}" if submitted else ""
    for item in lesson.quiz.scenarios:
        chosen = next((o for o in item.options if o.id == work.answers.get(item.id)), None)
        row[f"{item.id} answer"] = f"{chosen.id}: {chosen.text}" if chosen else ""
        row[f"{item.id} correct"] = (YES if chosen.correct else NO) if chosen else ""
    for rating in lesson.quiz.ratings.items:
        row[f"{rating.id} rating"] = str(work.ratings[rating.id]) if rating.id in work.ratings else ""
    for entry in profile(lesson, work.ratings):
        row[f"profile {entry.dimension}"] = entry.band or ""
    for kind in TEXT_KINDS:
        for field_id in lesson.writing_fields(kind)[0]:
            row[f"{kind} {field_id}"] = work.texts(kind).get(field_id, "")
    row["completed"] = YES if completed else NO
    return row


def record_from_report_row(lesson: Lesson, row: Mapping[str, str]) -> dict[str, Any]:
    """A learner record (the JSON Lines shape) from one Problem Responses CSV row.

    Cells are copied as they are; the records' reader checks them against the lesson (``check_work``). A rating
    cell becomes a number when it is a whole number's digits. Reports made before 0.2 name the action plan's
    columns ``plan <field>``: they are read too.
    """
    record: dict[str, Any] = {"username": row.get("username", ""), "answers": {}, "ratings": {}}
    for item in lesson.quiz.scenarios:
        if chosen := row.get(f"{item.id} answer", ""):
            record["answers"][item.id] = chosen.split(":", 1)[0]
    for rating in lesson.quiz.ratings.items:
        if value := row.get(f"{rating.id} rating", ""):
            point = whole_number(value)
            record["ratings"][rating.id] = value if point is None else point
    for kind in TEXT_KINDS:
        record[kind] = {
            field_id: text for field_id in lesson.writing_fields(kind)[0] if (text := _cell(row, kind, field_id))
        }
    return record


def _cell(row: Mapping[str, str], kind: str, field_id: str) -> str:
    """The text of a writing field's column, under its name or the name it had before 0.2."""
    old = next((name for name, new in OLD_NAMES.items() if new == kind), None)
    return row.get(f"{kind} {field_id}") or (row.get(f"{old} {field_id}") if old else None) or ""
