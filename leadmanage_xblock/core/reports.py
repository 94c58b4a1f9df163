"""Instructor report columns for one learner, and reading them back.

``report_row`` gives the columns ``generate_report_data`` yields to Open edX's Problem Responses
report (the platform keeps their order). ``record_from_report_row`` turns a row of that CSV back
into a learner record, so trainers can print personalised workbooks from the report.
Column names carry the stable ids, so both directions survive edits to the lesson's wording.
"""

from collections import OrderedDict

from .content import Lesson
from .scoring import profile, score_answers

YES, NO = "yes", "no"


def report_row(lesson: Lesson, state: dict) -> OrderedDict:
    """Readable columns for one learner's ``state`` (answers, ratings, reflection, action_plan, ...).

    Answers whose ids the lesson no longer has are left out, as they are from scoring.
    """
    answers, ratings = state.get("answers", {}), state.get("ratings", {})
    row = OrderedDict()
    score = score_answers(lesson, answers)
    row["score"] = f"{score.correct}/{score.total}" if state.get("submitted") else ""
    for item in lesson.quiz.scenarios:
        chosen = next((o for o in item.options if o.id == answers.get(item.id)), None)
        row[f"{item.id} answer"] = f"{chosen.id}: {chosen.text}" if chosen else ""
        row[f"{item.id} correct"] = (YES if chosen.correct else NO) if chosen else ""
    for item in lesson.quiz.ratings.items:
        row[f"{item.id} rating"] = str(ratings[item.id]) if item.id in ratings else ""
    for entry in profile(lesson, ratings):
        row[f"profile {entry.dimension}"] = entry.band or ""
    for prompt_id in lesson.prompt_ids:
        row[f"reflection {prompt_id}"] = state.get("reflection", {}).get(prompt_id, "")
    for field_id in lesson.plan_field_ids:
        row[f"plan {field_id}"] = state.get("action_plan", {}).get(field_id, "")
    row["completed"] = YES if state.get("completed") else NO
    return row


def record_from_report_row(lesson: Lesson, row: dict) -> dict:
    """A learner record (the JSON Lines shape) from one Problem Responses CSV row.

    Cells are copied as they are; the records' reader checks them against the lesson. A rating cell becomes a
    number only when it is ASCII digits: ``"²".isdigit()`` is true too, and ``int("²")`` raises.
    """
    record = {"username": row.get("username", ""), "answers": {}, "ratings": {}, "reflection": {}, "action_plan": {}}
    for item in lesson.quiz.scenarios:
        chosen = row.get(f"{item.id} answer", "")
        if chosen:
            record["answers"][item.id] = chosen.split(":", 1)[0]
    for item in lesson.quiz.ratings.items:
        value = row.get(f"{item.id} rating", "")
        if value:
            # Three digits are more than any scale has; past 4,300 digits int() refuses a string.
            whole_number = value.isascii() and value.isdigit() and len(value) <= 3
            record["ratings"][item.id] = int(value) if whole_number else value
    for prompt_id in lesson.prompt_ids:
        if row.get(f"reflection {prompt_id}"):
            record["reflection"][prompt_id] = row[f"reflection {prompt_id}"]
    for field_id in lesson.plan_field_ids:
        if row.get(f"plan {field_id}"):
            record["action_plan"][field_id] = row[f"plan {field_id}"]
    return record
