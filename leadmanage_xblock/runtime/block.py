"""``LeadManageXBlock``: the "Leading vs Managing" module as one self-contained Open edX block.

The class only wires things together: fields live in ``fields.py``, what every part shares (language, lesson,
learner state, who is asking) in ``base.py``, and each mixin holds one concern: handlers in ``handlers.py``, the
Studio editor in ``studio.py``, downloads in ``downloads.py``, the data APIs in ``data_api.py``, OLX in
``olx.py``. Scoring lives in ``scoring.py``/``results.py`` and every piece of markup in ``templates/``.
"""

import dataclasses
from importlib.resources import files
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from web_fragments.fragment import Fragment
from xblock.core import XBlock

from ..core.content import ContentError, Lesson
from ..core.learner_work import page_state
from ..core.module_view import LEARNER_SCRIPTS, dom_prefix, module_html
from ..core.rendering import render, translations_for
from ..core.validation import section_to_reopen
from .assets import compact_asset, public_asset
from .cohort_view import CohortPanel
from .data_api import DataApi
from .downloads import Downloads
from .handlers import LeadManageHandlers
from .olx import OlxMixin
from .studio import StudioEditor

AUTOSAVE_DELAY_MS = 1500


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("studio_user_permissions")
@XBlock.supports("multi_device")
class LeadManageXBlock(LeadManageHandlers, StudioEditor, Downloads, DataApi, OlxMixin, CohortPanel):
    """Explore the four dimensions, take the dimension quiz, see the profile, reflect and plan.

    Every mixin subclasses ``LeadManageBase`` (the fields, ``CompletableXBlockMixin`` and ``XBlock``); this class
    is the only place that uses more than one of them.
    """

    has_score = True
    icon_class = "problem"

    def max_score(self) -> int:
        """The grade's maximum: one point per scenario item."""
        try:
            return len(self.lesson().quiz.scenarios)
        except ContentError:
            return 0

    def student_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The learner's module: content, quiz, results, reflection, plan and summary.

        The language and whether the user is staff are asked once here and passed on: each question goes to
        Django or a runtime service, about 0.02 ms apiece in the workbench, and the view needed each several times.
        """
        language = self.language()
        try:
            lesson = self.lesson(language)
        except ContentError as exc:
            return self.content_error_view(exc)
        staff = self.is_staff()
        html = module_html(
            lesson,
            dom_prefix(str(self.scope_ids.usage_id)),
            language=language,
            min_reflection=self.min_reflection_length,
            notice=self._preview_notice(language),
        )
        fragment = Fragment(html + self.download_links_html(language, staff) + self.learner_data_script(lesson))
        fragment.add_css(compact_asset("css/lesson.css"))
        for script in LEARNER_SCRIPTS:
            fragment.add_javascript(compact_asset(script))
        fragment.add_javascript(public_asset("js", "xblock_http.js"))
        fragment.add_javascript(public_asset("js", "leadmanage.js"))
        fragment.initialize_js("LeadManageXBlock", {"autosaveDelay": AUTOSAVE_DELAY_MS})
        if staff:  # course staff only: the cohort summary under the module (cohort_view.py)
            self.add_cohort_panel(fragment)
        return fragment

    def _preview_notice(self, language: str) -> str:
        """The line above the module where nothing is saved (Studio's preview, an anonymous visitor), else ""."""
        if self.can_save():
            return ""
        return translations_for(language).gettext("Preview: your answers and texts are not saved.")

    def content_error_view(self, error: ContentError) -> Fragment:
        """A notice instead of the module: the problems for course staff and authors, a friendly line for learners."""
        shows_problems = self.is_staff() or getattr(self.runtime, "is_author_mode", False)
        context = {"problems": error.problems if shows_problems else []}
        return Fragment(render("xblock/content_error.html.j2", context, self.language()))

    def learner_data_script(self, lesson: Lesson) -> str:
        """This learner's state, results and quiz status for ``lesson.js`` (its ``data``), as a JSON script.

        Not in the init arguments: runtimes write those into a script element unescaped, so a learner's
        "</script>" would end it. ``htmlsafe_json_dumps`` escapes every character that could.
        """
        state = self.learner_state()
        closed = self.quiz_closed_message(state)
        quiz = {"closedMessage": closed, "attemptsLeft": self.attempts_left(state), "nextAttempt": state.attempts + 1}
        data = {
            "state": page_state(state.shown_work(lesson, closed=bool(closed)), state.revisions),
            "results": self.results(lesson, state).to_json() if state.attempts > 0 else None,
            "quiz": quiz,
            "section": section_to_reopen(lesson, state.section),
            "passMark": self.pass_threshold,
        }
        payload = htmlsafe_json_dumps(data, separators=(",", ":"))
        return f'<script type="application/json" class="lm-learner-data">{payload}</script>'

    def student_view_data(self, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """The lesson for mobile apps and other clients, without answer keys or facilitator notes.

        A lesson with problems gives ``"lesson": None`` rather than failing the whole course's API response.
        """
        try:
            content = dataclasses.asdict(self.lesson())
        except ContentError:
            return {"display_name": self.display_name, "lesson": None}
        content.pop("facilitator")
        for scenario in content["quiz"]["scenarios"]:
            scenario["options"] = [{"id": option["id"], "text": option["text"]} for option in scenario["options"]]
        return {"display_name": self.display_name, "lesson": content}

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        """Scenarios for the xblock-sdk workbench (the XML files in ``scenarios/``)."""
        folder = files("leadmanage_xblock").joinpath("scenarios")
        names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".xml"))
        # Files are named "<order>_<title>.xml"; the title shows in the workbench's list.
        titles = [name.removesuffix(".xml").split("_", 1)[1].replace("_", " ").capitalize() for name in names]
        return [(title, folder.joinpath(name).read_text("utf-8")) for title, name in zip(titles, names, strict=True)]
