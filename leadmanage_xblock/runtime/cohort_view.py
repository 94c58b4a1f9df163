"""The cohort summary under the module, for course staff: the panel, its script, its handlers and the debrief PDF.

A staff member's page gets an empty panel (``xblock/cohort.html.j2``) and ``public/js/cohort.js``, which asks the
handler once the module is on screen: the recount (``cohort_recount.py``) never slows the page itself. Learners' pages
get neither. The handler answers course staff only (403 for anyone else) and, below the block's minimum group, only
how many submitted and how many are needed: no count that could single a learner out. The debrief PDF is served
as workbooks are (``downloads.py``): from storage, else rendered on the platform's workers while the link waits
(``debrief_status``), else, without Celery, rendered in the request.
"""

import time
from typing import Any

from leadmanage_exporters.cohort_report import summary_json
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_debrief import debrief_context, export_debrief
from web_fragments.fragment import Fragment
from webob import Request, Response
from xblock.core import XBlock

from ..core.cohort import CohortSummary
from ..core.content import Lesson
from ..core.module_view import dom_prefix
from ..core.rendering import render
from ..core.validation import InputError
from ..core.workbook_key import debrief_key
from .assets import public_asset
from .base import LeadManageBase
from .cohort_recount import CohortLook, look, recount_job
from .downloads import QUEUED, come_back_later, print_ready_page, store_workbook, stored_or_queued
from .http import file_response, json_handler, text_response
from .request_limits import render_slot
from .user_states import StatesUnavailableError
from .workbook_queue import queued_seconds_ago, workbooks_on_celery

TEMPLATE = "xblock/cohort.html.j2"


class CohortPanel(LeadManageBase):
    """The staff panel and its handler, mixed into ``LeadManageXBlock``."""

    def add_cohort_panel(self, fragment: Fragment) -> None:
        """Add the cohort summary's panel and script to ``fragment`` for course staff; for anyone else, nothing."""
        if not self.is_staff():
            return
        context = {
            "prefix": self._cohort_prefix(),
            "url": self.runtime.handler_url(self, "cohort_summary"),
            "status_url": self.runtime.handler_url(self, "debrief_status"),
        }
        fragment.add_content(render(TEMPLATE, context, self.language()))
        fragment.add_css(public_asset("css", "cohort.css"))
        fragment.add_javascript(public_asset("js", "cohort.js"))

    @json_handler
    def cohort_summary(self, data: object, suffix: str = "") -> dict[str, Any]:
        """Staff: ``{"shown": true, "summary", "html", "updating"}``; below the minimum group ``{"shown": false, ...}``.

        ``summary`` is what ``leadmanage cohort --format json`` prints for the same learners; ``html`` is the panel's
        content in the user's language. ``updating``: a newer count is being made, the page asks again.
        """
        if not self.is_staff():
            raise InputError(self.gettext("Only course staff can see the cohort summary."), 403)
        lesson = self.lesson_for_learner()
        seen = self.cohort_look(lesson)
        if seen.count is None:
            message = self.gettext("The cohort is being counted on the platform's workers: this panel updates itself.")
            html = render(TEMPLATE, {"body": "note", "message": message}, self.language())
            return {"shown": False, "updating": True, "message": message, "html": html}
        summary = seen.count.summary
        if summary.participation.submitted < self.min_group:
            return {**self._too_small(summary.participation.submitted), "updating": seen.updating}
        context = {
            **debrief_context(lesson, summary, self.min_group),
            "prefix": self._cohort_prefix(),
            "body": "summary",
            "debrief_url": self.runtime.handler_url(self, "download_debrief"),
            "counted_at": time.strftime("%H:%M:%S UTC", time.gmtime(seen.count.counted_at)),
            "updating": seen.updating,
        }
        html = render(TEMPLATE, context, self.language())
        summary_data = summary_json(lesson, summary, self.min_group)
        return {"shown": True, "summary": summary_data, "html": html, "updating": seen.updating}

    def _too_small(self, submitted: int) -> dict[str, Any]:
        """Below the minimum group: how many submitted and how many are needed, nothing else."""
        message = self.too_small_message(submitted)
        html = render(TEMPLATE, {"body": "note", "message": message}, self.language())
        return {"shown": False, "submitted": submitted, "min_group": self.min_group, "message": message, "html": html}

    @XBlock.handler
    def download_debrief(self, request: Request, suffix: str = "") -> Response:
        """Staff: the debrief PDF of the live summary, as ``leadmanage export pdf --edition debrief`` prints it.

        Read back from storage; else, where the platform's workers render, queued (202: the page asks
        ``debrief_status`` until it is stored); else rendered here, a few at once per process, and kept.
        """
        if request.method != "GET":
            return text_response(self.gettext("Only GET is allowed."), 405)
        try:
            lesson, summary = self._debriefed_cohort()
        except InputError as refusal:
            return text_response(str(refusal), refusal.status)
        if summary is None:
            return come_back_later(self._still_counting(), 503, 30)
        found = self._debrief_stored_or_queued(lesson, summary)
        if isinstance(found, bytes):
            return file_response(found, PdfExporter.mimetype, f"{lesson.id}-debrief.pdf")
        if found is QUEUED:
            return come_back_later(self.gettext("The debrief is being prepared. Try again in a few seconds."), 202, 5)
        return self._render_debrief(lesson, summary)

    @json_handler
    def debrief_status(self, data: object, suffix: str = "") -> dict[str, object]:
        """Staff: whether ``download_debrief`` can serve now, answered as ``workbook_status`` answers.

        ``{"ready": true, "message"}`` when the debrief is stored, or when the download renders it itself (no
        Celery); otherwise its render is queued (once) and ``message`` says how long it has been.
        """
        lesson, summary = self._debriefed_cohort()
        if summary is None:
            return {"ready": False, "message": self._still_counting()}
        if self._debrief_stored_or_queued(lesson, summary) is not QUEUED:
            return {"ready": True, "message": self.gettext("The debrief is ready: downloading it.")}
        seconds = queued_seconds_ago(debrief_key(lesson, summary, self.min_group))
        message = self.gettext("Preparing the debrief… (%(seconds)s s; it usually takes under a minute)")
        return {"ready": False, "message": message % {"seconds": seconds}}

    def _debriefed_cohort(self) -> tuple[Lesson, CohortSummary | None]:
        """The lesson and the cohort's latest counts (``None`` while the platform's workers first count them).

        Raises:
            InputError: not course staff (403), no learners' work in this runtime or fewer learners submitted than
                the minimum group (409).
        """
        if not self.is_staff():
            raise InputError(self.gettext("Only course staff can download this."), 403)
        lesson = self.lesson_for_learner()
        count = self.cohort_look(lesson).count
        if count is None:
            return lesson, None
        if count.summary.participation.submitted < self.min_group:
            raise InputError(self.too_small_message(count.summary.participation.submitted), 409)
        return lesson, count.summary

    def _debrief_stored_or_queued(self, lesson: Lesson, summary: CohortSummary) -> bytes | object | None:
        """The stored debrief, else ``QUEUED`` for the platform's workers, else ``None`` (``stored_or_queued``)."""
        job = {
            "lesson": self.authored_yaml(),
            "language": lesson.language,
            "summary": summary.to_payload(),
            "min_group": self.min_group,
        }
        return stored_or_queued(debrief_key(lesson, summary, self.min_group), job, "render_debrief_to_cache")

    def _render_debrief(self, lesson: Lesson, summary: CohortSummary) -> Response:
        """The debrief rendered in this request (no Celery), a few at once per process, and kept in storage."""
        with render_slot() as free:
            if not free:
                message = self.gettext("The server is busy making other workbooks.")
                return come_back_later(message + " " + self.gettext("Try again in a minute."), 503, 30)
            if PdfExporter.unavailable_reason() is not None:
                html = render("pdf/debrief.html.j2", debrief_context(lesson, summary, self.min_group), lesson.language)
                return print_ready_page(html)
            pdf = export_debrief(lesson, summary, self.min_group, "a4", lesson.language)
        store_workbook(debrief_key(lesson, summary, self.min_group), pdf)
        return file_response(pdf, PdfExporter.mimetype, f"{lesson.id}-debrief.pdf")

    def _still_counting(self) -> str:
        return self.gettext("The cohort is still being counted. Try again in a minute.")

    def cohort_look(self, lesson: Lesson) -> CohortLook:
        """The cohort's latest count for staff (``cohort_recount.look``), recounted here or on the platform's workers.

        Raises:
            InputError: this runtime keeps no learners' work (409: a bare XBlock runtime).
        """
        job = recount_job(self.scope_ids.usage_id, self.authored_yaml(), lesson.language)
        try:
            return look(self.scope_ids.usage_id, lesson, job, on_celery=workbooks_on_celery())
        except StatesUnavailableError:
            message = self.gettext("The cohort summary is shown in the LMS, where the learners' work is kept.")
            raise InputError(message, 409) from None

    def too_small_message(self, submitted: int) -> str:
        """The refusal below the minimum group: "N of M submitted: the summary appears at M."."""
        message = self.gettext("%(submitted)s of %(min_group)s submitted: the summary appears at %(min_group)s.")
        return message % {"submitted": submitted, "min_group": self.min_group}

    def _cohort_prefix(self) -> str:
        return dom_prefix(str(self.scope_ids.usage_id)) + "cohort-"
