"""What the block gives other programs: the mobile apps' user state and the instructor report's columns.

Both hand-pick what they expose and read the learner's work through ``learner_work``, so answers to
items an author has since removed are neither shown nor counted.
"""

from collections import OrderedDict
from collections.abc import Iterable, Iterator

from xblock.core import XBlock

from ..core.content import ContentError
from ..core.learner_work import LearnerState
from ..core.reports import report_row
from ..core.results import ScoreSummary
from ..core.scoring import score_answers
from ..core.validation import InputError
from .http import error_response, json_response


class DataApi:
    """``student_view_user_state`` and ``generate_report_data``, mixed into ``LeadManageXBlock``."""

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):
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
        }
        return json_response(body)

    def generate_report_data(self, user_state_iterator: Iterable, limit_responses: int | None = None) -> Iterator:
        """Yield ``(username, OrderedDict of columns)`` per learner for the Problem Responses report.

        ``user_state_iterator`` gives objects with ``username`` and ``state`` (this block's user_state
        fields as a dict), as edx-platform's report does; ``limit_responses`` caps the learners.
        """
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
    def _report_columns(lesson, stored) -> OrderedDict:
        """One learner's columns from the platform's raw user_state (any shape: it is read tolerantly)."""
        state = LearnerState.from_stored(stored)
        return report_row(lesson, state.submitted_work(lesson), submitted=state.attempts > 0, completed=state.completed)
