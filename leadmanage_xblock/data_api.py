"""What the block gives other programs: the mobile apps' user state and the instructor report's columns.

Both hand-pick what they expose and read the learner's work through ``learner_state``, so answers to
items an author has since removed are neither shown nor counted.
"""

from collections import OrderedDict
from collections.abc import Iterable, Iterator

from webob import Response
from xblock.core import XBlock

from .content import ContentError
from .learner_state import current_state, submitted_work
from .reports import report_row
from .results import score_summary
from .scoring import score_answers


class DataApi:
    """``student_view_user_state`` and ``generate_report_data``, mixed into ``LeadManageXBlock``."""

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):
        """The learner's own work for mobile apps and API clients (GET or POST), as JSON."""
        try:
            lesson = self.lesson()
        except ContentError:
            return Response(json_body={"error": self.gettext("This module's content has problems.")}, status=500)
        state = current_state(lesson, self.answers, self.ratings, self.reflection, self.plan)
        score = (
            score_summary(score_answers(lesson, state["answers"]), self.pass_threshold) if self.attempts > 0 else None
        )
        body = {**state, "attempts": self.attempts, "completed": self.completed, "score": score}
        return Response(json_body=body, charset="utf-8")

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
                yield user_state.username, self._report_columns(lesson, user_state.state or {})

    @staticmethod
    def _report_columns(lesson, state: dict) -> OrderedDict:
        submitted = (state.get("attempts") or 0) > 0
        work = submitted_work(lesson, state, submitted)
        return report_row(lesson, {**work, "submitted": submitted, "completed": bool(state.get("completed"))})
