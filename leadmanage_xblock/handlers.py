"""The block's JSON handlers: quiz submission and text saving, nothing else.

Each handler validates the whole request first (``validation.py``) and only then changes state, so a
refused request leaves every field as it was. Grades, completion and tracking events are published
here, on the server, never on the browser's say-so.
"""

from datetime import UTC, datetime, timedelta

from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from .content import ContentError
from .learner_state import current_answers, current_ratings, current_texts
from .results import quiz_results
from .validation import InputError, parse_answers, parse_quiz, parse_texts

#: The only tracking events this block emits; their data carry ids and numbers, never learner text.
EVENTS = frozenset({"edx.leadmanage.quiz.submitted", "edx.leadmanage.reflection.saved", "edx.leadmanage.plan.saved"})


def utc_now() -> datetime:
    """The current time, timezone-aware (tests replace it)."""
    return datetime.now(UTC)


class LeadManageHandlers:
    """Handlers and the state rules they share, mixed into ``LeadManageXBlock``."""

    @XBlock.json_handler
    def submit_quiz(self, data, suffix=""):
        """Score a quiz submission, store it, publish the grade; answer with the Results JSON."""
        lesson = self._checked(self.lesson)
        self._refuse_unless_saving_allowed()
        answers, ratings = self._checked(parse_quiz, lesson, data, self.gettext)
        if self.quiz_closed_message():
            raise JsonHandlerError(409, self.quiz_closed_message())
        self.answers, self.ratings, self.attempts = answers, ratings, self.attempts + 1
        self.draft = {}
        self.timestamps = {**self.timestamps, "quiz": self._stamp()}
        results = self.results(lesson)
        score = results["score"]
        self.runtime.publish(self, "grade", {"value": score["correct"], "max_value": score["total"]})
        self.track("edx.leadmanage.quiz.submitted", {"attempt": self.attempts, **score})
        self.update_completion()
        return results

    @XBlock.json_handler
    def save_answers(self, data, suffix=""):
        """Keep the choices made so far (``{"answers", "ratings"}``, may be incomplete); answer ``{saved_at}``.

        Nothing is scored or published: the draft only brings the form back after a reload.
        """
        lesson = self._checked(self.lesson)
        self._refuse_unless_saving_allowed()
        answers, ratings = self._checked(parse_answers, lesson, data, self.gettext)
        if self.quiz_closed_message():  # a draft could no longer be submitted, and would hide the real answers
            raise JsonHandlerError(409, self.quiz_closed_message())
        saved_at = self._stamp()
        self.draft = {"answers": answers, "ratings": ratings}
        self.timestamps = {**self.timestamps, "draft": saved_at}
        return {"saved_at": saved_at}

    @XBlock.json_handler
    def save_text(self, data, suffix=""):
        """Store reflection or action-plan texts (``{"kind", "values": {id: text}}``); answer ``{saved_at}``."""
        lesson = self._checked(self.lesson)
        self._refuse_unless_saving_allowed()
        kind, values = self._checked(parse_texts, lesson, data, self.gettext)
        stored = {**getattr(self, kind), **values}
        setattr(self, kind, stored)
        saved_at = self._stamp()
        self.timestamps = {**self.timestamps, kind: saved_at}
        lengths = {field_id: len(text) for field_id, text in stored.items()}
        self.track(f"edx.leadmanage.{kind}.saved", {"lengths": lengths, "total_length": sum(lengths.values())})
        self.update_completion()
        return {"saved_at": saved_at}

    def _checked(self, function, *args):
        """Call ``function``; turn an input or content problem into a JSON error response."""
        try:
            return function(*args)
        except InputError as exc:
            raise JsonHandlerError(exc.status, str(exc)) from exc
        except ContentError as exc:
            raise JsonHandlerError(500, self.gettext("This module's content has problems.")) from exc

    def _refuse_unless_saving_allowed(self) -> None:
        if not self.can_save():
            raise JsonHandlerError(403, self.gettext("Nothing is saved here: sign in as a learner to save your work."))

    def _stamp(self) -> str:
        return utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")

    def attempts_left(self) -> int | None:
        """Quiz submissions still allowed, or ``None`` when unlimited."""
        return None if self.max_attempts <= 0 else max(0, self.max_attempts - self.attempts)

    def is_past_due(self) -> bool:
        """Whether the due date (plus any grace period the LMS sets) has passed."""
        if self.due is None:
            return False
        due = self.due if self.due.tzinfo else self.due.replace(tzinfo=UTC)
        grace = getattr(self, "graceperiod", None) or timedelta(0)
        return utc_now() > due + grace

    def quiz_closed_message(self) -> str:
        """Why the quiz cannot be submitted now, or "" when it can."""
        if self.is_past_due():
            return self.gettext("The due date has passed, so the quiz is closed. You can still save your reflection.")
        if self.attempts_left() == 0:
            return self.gettext("You have used every attempt.")
        return ""

    def results(self, lesson) -> dict:
        """The Results JSON of the stored submission."""
        return quiz_results(
            lesson,
            current_answers(lesson, self.answers),  # Items the author has removed are not shown.
            current_ratings(lesson, self.ratings),
            pass_threshold=self.pass_threshold,
            show_explanations=self.show_explanations,
            attempts_left=self.attempts_left(),
        )

    def reflection_length(self) -> int:
        """Characters of reflection saved, all current prompts together (removed prompts do not count)."""
        return sum(len(text) for text in current_texts(self.lesson().prompt_ids, self.reflection).values())

    def update_completion(self) -> None:
        """Report completion once the quiz is submitted and the reflection is long enough."""
        if not self.completed and self.attempts > 0 and self.reflection_length() >= self.min_reflection_length:
            self.completed = True
            self.emit_completion(1.0)

    def track(self, name: str, data: dict) -> None:
        """Publish an allow-listed tracking event."""
        if name not in EVENTS:
            raise ValueError(f"{name} is not an allow-listed LeadManage event")
        self.runtime.publish(self, name, data)
