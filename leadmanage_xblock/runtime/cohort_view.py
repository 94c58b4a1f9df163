"""The cohort summary under the module, for course staff: the panel, its script, its handlers and the debrief PDF.

A staff member's page gets an empty panel (``xblock/cohort.html.j2``) and ``public/js/cohort.js``, which asks the
handler once the module is on screen: the recount (``cohort_recount.py``) never slows the page itself. Learners' pages
get neither. The handler answers course staff only (403 for anyone else) and, below the block's minimum group, only
how many submitted and how many are needed: no count that could single a learner out. The debrief PDF is served
as workbooks are (``downloads.py``): from storage, else rendered on the platform's workers while the link waits
(``debrief_status``), else, without Celery, rendered in the request.
"""

import re
import time
from dataclasses import dataclass
from functools import cached_property
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
from ..core.workbook_key import counts_hash, debrief_key
from .assets import public_asset
from .base import LeadManageBase
from .cohort_recount import CohortLook, look, recount_job
from .downloads import (
    QUEUED,
    come_back_later,
    platform_workbook_cache,
    print_ready_page,
    store_workbook,
    stored_or_queued,
    waiting_reply,
)
from .http import file_response, json_handler, query_value, text_response
from .request_limits import render_slot
from .user_states import StatesUnavailableError
from .workbook_queue import workbooks_on_celery

TEMPLATE = "xblock/cohort.html.j2"


#: A counts digest as ``debrief_status`` puts it in a download link (``core.workbook_key.counts_hash``).
DIGEST = re.compile(r"[0-9a-f]{64}")


def reported_debrief(lesson: Lesson, counts: str) -> bytes | None:
    """The stored debrief of ``counts``, a digest ``debrief_status`` found ready, if storage still has it.

    Only a block's own status handler gives out a digest, and it hashes the block with the counts: a link names
    that block's debrief, and no digest can be made up for another's.
    """
    cache = platform_workbook_cache()
    return cache.get(debrief_key(lesson, counts)) if cache else None


def debrief_filename(lesson: Lesson) -> str:
    """The name a downloaded debrief is saved under."""
    return f"{lesson.id}-debrief.pdf"


@dataclass(frozen=True)
class CohortDebrief:
    """A debrief as staff ask for it: the lesson and the cohort's latest counts."""

    lesson: Lesson
    summary: CohortSummary
    counts: str  # counts_hash of the summary, the minimum group and the block

    @cached_property
    def key(self) -> str:
        """Its content key in the workbooks' storage (hashing the lesson: once per request)."""
        return debrief_key(self.lesson, self.counts)


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

        ``?counts=`` (from ``debrief_status``): the debrief it found stored, served even if a newer count came
        since. Otherwise the latest count's: read back from storage; else, where the platform's workers render,
        queued (202: the page asks ``debrief_status`` until it is stored); else rendered here, and kept.
        """
        if request.method != "GET":
            return text_response(self.gettext("Only GET is allowed."), 405)
        counts = query_value(request, "counts")
        if counts is not None and not DIGEST.fullmatch(counts):
            return text_response(self.gettext("This download link is not valid."), 400)
        try:
            lesson, debrief = self._debrief()
        except InputError as refusal:
            return text_response(str(refusal), refusal.status)
        reported = reported_debrief(lesson, counts) if counts else None
        if reported is not None:
            return file_response(reported, PdfExporter.mimetype, debrief_filename(lesson))
        if debrief is None:
            return come_back_later(self.gettext("The cohort is still being counted. Try again in a minute."), 503, 30)
        found = stored_or_queued(debrief.key, self._debrief_job(debrief), "render_debrief_to_cache")
        if isinstance(found, bytes):
            return file_response(found, PdfExporter.mimetype, debrief_filename(debrief.lesson))
        if found is QUEUED:
            return come_back_later(self.gettext("The debrief is being prepared. Try again in a few seconds."), 202, 5)
        return self._render_debrief(debrief)

    @json_handler
    def debrief_status(self, data: object, suffix: str = "") -> dict[str, object]:
        """Staff: whether ``download_debrief`` can serve now (``{"edition": "debrief"}``, as ``workbook_status``).

        ``{"ready": true, "message", "url"}`` when the debrief is stored (``url`` downloads that very file), or
        ``{"ready": true, "message"}`` when the download renders it itself (no Celery); otherwise its render is
        queued (once) and ``message`` says how long it has been.
        """
        if not isinstance(data, dict) or data.get("edition") != "debrief":
            raise InputError(self.gettext("Unknown workbook edition."), 400)
        _lesson, debrief = self._debrief()
        preparing = self.gettext("Preparing the debrief… (%(seconds)s s; it usually takes under a minute)")
        if debrief is None:
            return {"ready": False, "message": preparing % {"seconds": 0}}
        found = stored_or_queued(debrief.key, self._debrief_job(debrief), "render_debrief_to_cache")
        if found is QUEUED:
            return waiting_reply(debrief.key, preparing, self.gettext)
        ready = {"ready": True, "message": self.gettext("The debrief is ready: downloading it.")}
        if isinstance(found, bytes):
            ready["url"] = self.runtime.handler_url(self, "download_debrief", query=f"counts={debrief.counts}")
        return ready

    def _debrief(self) -> tuple[Lesson, CohortDebrief | None]:
        """The lesson, and the debrief of the cohort's latest counts (``None`` while the workers first count them).

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
        counts = counts_hash(count.summary, self.min_group, str(self.scope_ids.usage_id))
        return lesson, CohortDebrief(lesson, count.summary, counts)

    def _debrief_job(self, debrief: CohortDebrief) -> dict[str, Any]:
        """What ``render_debrief_to_cache`` needs: the author's YAML (none: built-in) and the counts, no learner."""
        return {
            "lesson": self.authored_yaml(),
            "language": debrief.lesson.language,
            "summary": debrief.summary.to_payload(),
            "min_group": self.min_group,
            "block": str(self.scope_ids.usage_id),
        }

    def _render_debrief(self, debrief: CohortDebrief) -> Response:
        """The debrief rendered in this request (no Celery), a few at once per process, and kept in storage."""
        lesson, summary = debrief.lesson, debrief.summary
        with render_slot() as free:
            if not free:
                message = self.gettext("The server is busy making other workbooks.")
                return come_back_later(message + " " + self.gettext("Try again in a minute."), 503, 30)
            if PdfExporter.unavailable_reason() is not None:
                html = render("pdf/debrief.html.j2", debrief_context(lesson, summary, self.min_group), lesson.language)
                return print_ready_page(html)
            pdf = export_debrief(lesson, summary, self.min_group, "a4", lesson.language)
        store_workbook(debrief.key, pdf)
        return file_response(pdf, PdfExporter.mimetype, debrief_filename(debrief.lesson))

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
