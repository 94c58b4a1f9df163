"""The block's JSON handlers: quiz submission, the quiz draft and text saving, nothing else.

Each handler validates the whole request first (``validation.py``) and only then changes state, so a
refused request leaves every field as it was. Writes carry the revisions the page saw (``revisions.py``),
so two tabs never overwrite each other unseen, and a submission carries its attempt number
(``request_limits.py``), so two requests at once never count twice. Grades, completion and tracking events
are published here, on the server, never on the browser's say-so.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core import revisions as rev
from ..core.content import Lesson
from ..core.learner_work import LearnerState, page_state
from ..core.results import Results, quiz_results
from ..core.validation import InputError, parse_draft, parse_quiz, parse_section, parse_texts
from .base import LeadManageBase
from .cohort_recount import note_change as note_cohort_change
from .http import json_handler
from .request_limits import claim_attempt

#: The only tracking events this block emits; their data carry ids and numbers, never learner text.
EVENTS = frozenset(
    {"edx.leadmanage.quiz.submitted", "edx.leadmanage.reflection.saved", "edx.leadmanage.action_plan.saved"}
)


def utc_now() -> datetime:
    """The current time, timezone-aware (tests replace it)."""
    return datetime.now(UTC)


class LeadManageHandlers(LeadManageBase):
    """Handlers and the state rules they share, mixed into ``LeadManageXBlock``."""

    @json_handler
    def submit_quiz(self, data: object, suffix: str = "") -> dict[str, Any]:
        """Score a quiz submission, store it, publish the grade; answer with the Results JSON."""
        lesson = self.lesson_for_learner()
        self.refuse_unless_saving_allowed()
        answers, ratings, attempt = parse_quiz(lesson, data, self.gettext)
        state = self.learner_state()
        self.refuse_if_quiz_closed(state)
        self.claim(state, attempt)
        state = self._store_submission(state, answers, ratings, attempt)
        note_cohort_change(self.scope_ids.usage_id)  # staff's next look counts this submission
        results = self.results(lesson, state)
        score = results.score
        self.runtime.publish(self, "grade", {"value": score.correct, "max_value": score.total})
        self.track("edx.leadmanage.quiz.submitted", {"attempt": attempt, **vars(score)})
        self.update_completion(lesson, state)
        revisions = page_state(state.shown_work(lesson), state.revisions)["revisions"]
        return {**results.to_json(), "next_attempt": attempt + 1, "revisions": revisions}

    def _store_submission(
        self, state: LearnerState, answers: dict[str, str], ratings: dict[str, int], attempt: int
    ) -> LearnerState:
        """Store a submission as the learner's answers (the draft goes); return the new state.

        The new state is built from what was written rather than read back: each read of a ``Dict`` field
        deep-copies it, and a quiz submission is the block's busiest request.
        """
        shown_answers, shown_ratings = state.shown_choices()
        stored_answers, revisions = rev.written("answers", answers, shown_answers, state.revisions)
        stored_ratings, revisions = rev.written("ratings", ratings, shown_ratings, revisions)
        timestamps = {**state.timestamps, "quiz": self._stamp()}
        self.answers, self.ratings, self.revisions = stored_answers, stored_ratings, revisions
        self.attempts, self.draft, self.timestamps = attempt, {}, timestamps
        return replace(
            state,
            answers=stored_answers,
            ratings=stored_ratings,
            revisions=revisions,
            attempts=attempt,
            draft=None,
            timestamps=timestamps,
        )

    @json_handler
    def save_answers(self, data: object, suffix: str = "") -> dict[str, Any]:
        """Keep the choices changed since the last save (a draft, never graded); answer ``{saved_at, revisions}``."""
        lesson = self.lesson_for_learner()
        self.refuse_unless_saving_allowed()
        answers, ratings, seen = parse_draft(lesson, data, self.gettext)
        state = self.learner_state()
        self.refuse_if_quiz_closed(state)  # a draft could no longer be submitted, and would hide the real answers
        shown_answers, shown_ratings = state.shown_choices()
        found = rev.conflicts("answers", answers, seen, shown_answers, state.revisions)
        self.refuse_conflicts(found + rev.conflicts("ratings", ratings, seen, shown_ratings, state.revisions))
        draft_answers, revisions = rev.written("answers", answers, shown_answers, state.revisions)
        draft_ratings, self.revisions = rev.written("ratings", ratings, shown_ratings, revisions)
        self.draft = {"answers": draft_answers, "ratings": draft_ratings}
        saved_at = self._stamp()
        self.timestamps = {**state.timestamps, "draft": saved_at}
        seen = {**rev.seen_now("answers", answers, self.revisions), **rev.seen_now("ratings", ratings, self.revisions)}
        return {"saved_at": saved_at, "revisions": seen}

    @json_handler
    def save_text(self, data: object, suffix: str = "") -> dict[str, Any]:
        """Store the reflection or plan fields the learner changed; answer ``{saved_at, revisions}``."""
        lesson = self.lesson_for_learner()
        self.refuse_unless_saving_allowed()
        kind, values, seen = parse_texts(lesson, data, self.gettext)
        state = self.learner_state()
        stored = state.texts(kind)
        self.refuse_conflicts(rev.conflicts(kind, values, seen, stored, state.revisions))
        texts, self.revisions = rev.written(kind, values, stored, state.revisions)
        setattr(self, kind, texts)
        saved_at = self._stamp()
        self.timestamps = {**state.timestamps, kind: saved_at}
        lengths = {field_id: len(text) for field_id, text in texts.items()}
        self.track(f"edx.leadmanage.{kind}.saved", {"lengths": lengths, "total_length": sum(lengths.values())})
        self.update_completion(lesson, state.with_texts(kind, texts, self.revisions))
        return {"saved_at": saved_at, "revisions": rev.seen_now(kind, values, self.revisions)}

    @json_handler
    def save_section(self, data: object, suffix: str = "") -> dict[str, Any]:
        """Remember the section the learner opened, where the module reopens next time; answer ``{section}``."""
        lesson = self.lesson_for_learner()
        self.refuse_unless_saving_allowed()
        self.section = parse_section(lesson, data, self.gettext)
        return {"section": self.section}

    def refuse_unless_saving_allowed(self) -> None:
        """Refuse (403) where nothing can be saved: an anonymous visitor or Studio's preview."""
        if not self.can_save():
            raise InputError(self.gettext("Nothing is saved here: sign in as a learner to save your work."), 403)

    def refuse_if_quiz_closed(self, state: LearnerState) -> None:
        """Refuse (409) a quiz write once the quiz is closed."""
        if self.quiz_closed_message(state):
            raise InputError(self.quiz_closed_message(state), 409)

    def refuse_conflicts(self, found: list[dict[str, object]]) -> None:
        """Refuse (409) a write that would overwrite what another tab or device saved; send both versions back."""
        if found:
            message = self.gettext(
                "Not saved: this was changed in another tab or on another device. Choose below what to keep."
            )
            raise InputError(message, 409, conflicts=found)

    def claim(self, state: LearnerState, attempt: int) -> None:
        """Accept submission ``attempt`` once: it must follow the stored count and not be claimed by another request."""
        if attempt != state.attempts + 1 or not claim_attempt(self.scope_ids.user_id, self.scope_ids.usage_id, attempt):
            message = self.gettext(
                "The quiz was submitted in another tab or window since this page opened. "
                "Reload the page to see that result, or submit again to use another attempt."
            )
            raise InputError(message, 409, next_attempt=state.attempts + 1)

    def _stamp(self) -> str:
        return utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")

    def attempts_left(self, state: LearnerState) -> int | None:
        """Quiz submissions still allowed, or ``None`` when unlimited.

        ``max_attempts`` is also the platform's inherited course setting, which may be ``None`` (unlimited).
        """
        limit = self.max_attempts or 0
        return None if limit <= 0 else max(0, limit - state.attempts)

    def is_past_due(self) -> bool:
        """Whether the due date (plus any grace period the LMS sets) has passed."""
        due = self.due
        if due is None:
            return False
        due = due if due.tzinfo else due.replace(tzinfo=UTC)
        # ``graceperiod``: the platform's inherited Timedelta setting; no such field outside the LMS.
        grace: timedelta = getattr(self, "graceperiod", None) or timedelta(0)
        return utc_now() > due + grace

    def quiz_closed_message(self, state: LearnerState) -> str:
        """Why the quiz cannot be submitted now, or "" when it can."""
        if self.is_past_due():
            return self.gettext("The due date has passed, so the quiz is closed. You can still save your reflection.")
        if self.attempts_left(state) == 0:
            return self.gettext("You have used every attempt.")
        return ""

    def results(self, lesson: Lesson, state: LearnerState) -> Results:
        """The results of the stored submission (items the author has removed are not shown)."""
        return quiz_results(
            lesson,
            state.submitted_work(lesson),
            pass_threshold=self.pass_threshold,
            show_explanations=self.show_explanations,
            attempts_left=self.attempts_left(state),
        )

    def update_completion(self, lesson: Lesson, state: LearnerState) -> None:
        """Report completion once the quiz is submitted and the reflection (current prompts) is long enough."""
        written = sum(len(text) for text in state.shown_work(lesson).reflection.values())
        if not state.completed and state.attempts > 0 and written >= self.min_reflection_length:
            self.completed = True
            self.emit_completion(1.0)

    def track(self, name: str, data: dict[str, Any]) -> None:
        """Publish an allow-listed tracking event."""
        if name not in EVENTS:
            raise ValueError(f"{name} is not an allow-listed LeadManage event")
        self.runtime.publish(self, name, data)
