"""What the block gives other programs: the mobile apps' user state and the instructor report's columns.

Both hand-pick what they expose and read the learner's work through ``learner_state``, so answers to
items an author has since removed are neither shown nor counted.
"""

from collections import OrderedDict
from collections.abc import Iterable, Iterator

from webob import Response
from xblock.core import XBlock

from .content import ContentError
from .learner_state import current_state
from .reports import report_row
from .scoring import is_passing, score_answers


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
        score = None
        if self.attempts > 0:
            quiz = score_answers(lesson, state["answers"])
            passed = is_passing(quiz, self.pass_threshold)
            score = {"correct": quiz.correct, "total": quiz.total, "percent": quiz.percent, "passed": passed}
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
        work = current_state(
            lesson,
            state.get("answers") or {},
            state.get("ratings") or {},
            state.get("reflection") or {},
            state.get("plan") or {},
        )
        submitted = (state.get("attempts") or 0) > 0
        return report_row(
            lesson,
            {
                "answers": work["answers"] if submitted else {},
                "ratings": work["ratings"] if submitted else {},
                "reflection": work["reflection"],
                "action_plan": work["plan"],
                "submitted": submitted,
                "completed": bool(state.get("completed")),
            },
        )
