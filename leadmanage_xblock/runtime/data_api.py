"""What the block gives other programs: the mobile apps' user state and the instructor report's columns.

Both hand-pick what they expose and read the learner's work through ``learner_work``, so answers to
items an author has since removed are neither shown nor counted.
"""

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Protocol

from webob import Request, Response
from xblock.core import XBlock

from ..core.content import ContentError, Lesson
from ..core.learner_work import LearnerState
from ..core.reports import report_row
from ..core.results import ScoreSummary
from ..core.scoring import score_answers
from ..core.validation import InputError, section_to_reopen
from .base import LeadManageBase
from .http import error_response, json_response


class UserState(Protocol):
    """One learner's stored state, as the platform's report gives it (edx-user-state-client's ``XBlockUserState``)."""

    @property
    def username(self) -> str:
        """The learner's username."""

    @property
    def state(self) -> object:
        """This block's user_state fields as a dict; read tolerantly, whatever it holds."""


class DataApi(LeadManageBase):
    """``student_view_user_state`` and ``generate_report_data``, mixed into ``LeadManageXBlock``."""

    @XBlock.handler
    def student_view_user_state(self, request: Request, suffix: str = "") -> Response:
        """The learner's own work for mobile apps and API clients (GET or POST), as JSON."""
        try:
            lesson = self.lesson_for_learner()
        except InputError as error:
            return error_response(error)
        state = self.learner_state()
        work = state.submitted_work(lesson)
        summary = ScoreSummary.of(score_answers(lesson, work.answers), self.pass_threshold)
        score = vars(summary) if state.attempts else None
        body = {
            **{kind: dict(getattr(work, kind)) for kind in ("answers", "ratings", "reflection", "action_plan")},
            **{"attempts": state.attempts, "completed": state.completed, "score": score},
            "section": section_to_reopen(lesson, state.section),
        }
        return json_response(body)

    def generate_report_data(
        self, user_state_iterator: Iterable[UserState], limit_responses: int | None = None
    ) -> Iterator[tuple[str, OrderedDict[str, str]]]:
        """Yield ``(username, OrderedDict of columns)`` per learner for the Problem Responses report.

        ``user_state_iterator`` gives objects with ``username`` and ``state`` (this block's user_state
        fields as a dict), as edx-platform's report does; ``limit_responses`` caps the learners.
        """
        lesson: Lesson | None
        try:
            lesson = self.lesson()
        except ContentError:
            lesson = None  # Each learner's row then says why instead of the whole report failing.
        for count, user_state in enumerate(user_state_iterator):
            if limit_responses is not None and count >= limit_responses:
                return
            if lesson is None:
                yield user_state.username, OrderedDict(error=self.gettext("This module's content has problems."))
            else:
                yield user_state.username, self._report_columns(lesson, user_state.state)

    @staticmethod
    def _report_columns(lesson: Lesson, stored: object) -> OrderedDict[str, str]:
        """One learner's columns from the platform's raw user_state (any shape: it is read tolerantly)."""
        state = LearnerState.from_stored(stored)
        return report_row(lesson, state.submitted_work(lesson), submitted=state.attempts > 0, completed=state.completed)
