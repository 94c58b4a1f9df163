"""The cohort summary under the module, for course staff: the panel, its script and the ``cohort_summary`` handler.

A staff member's page gets an empty panel (``xblock/cohort.html.j2``) and ``public/js/cohort.js``, which asks the
handler once the module is on screen: the recount (``cohort_recount.py``) never slows the page itself. Learners' pages
get neither. The handler answers course staff only (403 for anyone else) and, below the block's minimum group, only
how many submitted and how many are needed: no count that could single a learner out.
"""

import hashlib
import json
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
from ..core.workbook_key import WorkbookVariant, lesson_hash, workbook_key
from .assets import public_asset
from .base import LeadManageBase
from .cohort_recount import CohortLook, look, recount_job
from .downloads import come_back_later, platform_workbook_cache, print_ready_page, store_workbook
from .http import file_response, json_handler, text_response
from .request_limits import render_slot
from .user_states import StatesUnavailableError
from .workbook_queue import workbooks_on_celery

TEMPLATE = "xblock/cohort.html.j2"


class CohortPanel(LeadManageBase):
    """The staff panel and its handler, mixed into ``LeadManageXBlock``."""

    def add_cohort_panel(self, fragment: Fragment) -> None:
        """Add the cohort summary's panel and script to ``fragment`` for course staff; for anyone else, nothing."""
        if not self.is_staff():
            return
        context = {"prefix": self._cohort_prefix(), "url": self.runtime.handler_url(self, "cohort_summary")}
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
        """Staff: the debrief PDF of the live summary, as ``leadmanage export pdf --edition debrief`` prints it."""
        if request.method != "GET":
            return text_response(self.gettext("Only GET is allowed."), 405)
        if not self.is_staff():
            return text_response(self.gettext("Only course staff can download this."), 403)
        try:
            lesson = self.lesson_for_learner()
            count = self.cohort_look(lesson).count
        except InputError as refusal:
            return text_response(str(refusal), refusal.status)
        if count is None:
            return come_back_later(self.gettext("The cohort is still being counted. Try again in a minute."), 503, 30)
        summary = count.summary
        if summary.participation.submitted < self.min_group:
            return text_response(self.too_small_message(summary.participation.submitted), 409)
        return self._debrief(lesson, summary)

    def _debrief(self, lesson: Lesson, summary: CohortSummary) -> Response:
        """The debrief PDF: read back from the workbooks' storage, or rendered (a few at once per process) and kept."""
        cache, key = platform_workbook_cache(), debrief_key(lesson, summary, self.min_group)
        stored = cache.get(key) if cache else None
        name = f"{lesson.id}-debrief.pdf"
        if stored is not None:
            return file_response(stored, PdfExporter.mimetype, name)
        with render_slot() as free:
            if not free:
                message = self.gettext("The server is busy making other workbooks.")
                return come_back_later(message + " " + self.gettext("Try again in a minute."), 503, 30)
            if PdfExporter.unavailable_reason() is not None:
                html = render("pdf/debrief.html.j2", debrief_context(lesson, summary, self.min_group), lesson.language)
                return print_ready_page(html)
            pdf = export_debrief(lesson, summary, self.min_group, "a4", lesson.language)
        store_workbook(key, pdf)
        return file_response(pdf, PdfExporter.mimetype, name)

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


def debrief_key(lesson: Lesson, summary: CohortSummary, min_group: int) -> str:
    """The debrief's content key (``core.workbook_key``): the lesson, the counts and the minimum it prints."""
    counts = json.dumps({"summary": summary.to_json(), "min_group": min_group}, sort_keys=True)
    variant = WorkbookVariant(edition="debrief", paper="a4", language=lesson.language)
    return workbook_key(lesson_hash(lesson), variant, hashlib.sha256(counts.encode("utf-8")).hexdigest())
