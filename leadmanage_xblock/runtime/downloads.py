"""Download handlers: the SCORM package and workbooks of the block's current content.

Staff get the SCORM package and the learner or facilitator workbook, byte for byte what
``leadmanage export scorm|pdf --content`` makes from the same lesson. A learner gets their own
personalised workbook, built from their own state only: no handler takes a username.
Where WeasyPrint cannot run, workbooks come as a print-ready HTML page and the server logs why.
A workbook costs about a second of CPU, so a learner gets a few a minute and a web process renders a few
at once (``request_limits.py``); anyone past either is told when to come back. Every rendered PDF is kept in
the platform's storage under its content key (``workbook_cache.py``): the same workbook asked for again, by
anyone, is read back, not rendered. (A SCORM package takes about 20 ms to build, less than a storage round
trip: it is built each time.)
The block uses the exporters (never their CLI); WeasyPrint itself loads only when a PDF is made.
"""

import enum
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from leadmanage_exporters.base import ExportError
from leadmanage_exporters.pdf import EDITIONS, PdfExporter
from leadmanage_exporters.responses import LearnerRecord, record_payload
from leadmanage_exporters.scorm import DEFAULT_TARGET, ScormExporter
from leadmanage_exporters.scorm_manifest import TARGETS
from webob import Request, Response
from xblock.core import XBlock

from ..core.content import ContentError, Lesson
from ..core.rendering import render, static_text, translations_for
from ..core.validation import InputError
from ..core.workbook_key import WorkbookVariant, lesson_hash, work_hash, workbook_key
from .base import USERNAME, DownloadLink, LeadManageBase
from .http import file_response, json_handler, page_response, query_value, text_response
from .request_limits import render_slot, within_rate, within_rate_for
from .workbook_queue import OVERDUE_SECONDS, RenderTask, queue_workbook, queued_seconds_ago, workbooks_on_celery

if TYPE_CHECKING:
    from .workbook_cache import WorkbookCache

log = logging.getLogger(__name__)


class Queued(enum.Enum):
    """What ``stored_or_queued`` says of a file the platform's workers now render."""

    QUEUED = "queued"


QUEUED = Queued.QUEUED
#: What a download finds: the stored file, ``QUEUED`` for the workers, or ``None`` (the request renders it).
type Found = bytes | Literal[Queued.QUEUED] | None

#: The HTML fallback loads nothing: its only style is inline (print.css), and it runs no script.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
#: A download link as a cache key: (label, url, edition or None).
type LinkKey = tuple[str, str, str | None]


def _link_key(link: DownloadLink) -> LinkKey:
    """``link`` as ``links_html`` takes it (a dict cannot be a cache key)."""
    return link["label"], link["url"], link.get("edition")


@lru_cache(maxsize=256)
def links_html(language: str, links: tuple[LinkKey, ...]) -> str:
    """``xblock/downloads.html.j2`` for ``links``, rendered once per distinct list.

    In the LMS the list is the same on every view of a block by every learner (its handler URLs name the block,
    not the learner; the workbench's add the learner), and rendering the template cost a view about a tenth of a
    millisecond in the workbench.
    """
    context = [
        {"label": label, "url": url} | ({"edition": edition} if edition else {}) for label, url, edition in links
    ]
    return render("xblock/downloads.html.j2", {"links": context}, language)


class Downloads(LeadManageBase):
    """The download handlers and the learner's links to them, mixed into ``LeadManageXBlock``.

    Staff's links, which the Studio editor shows too, are ``LeadManageBase.staff_download_links``.
    """

    def learner_download_links(self, language: str, staff: bool) -> list[DownloadLink]:
        """The learner's own workbook link, and the staff links for staff.

        Args:
            language: the view's ``language()``.
            staff: the view's ``is_staff()`` (each is asked once per view: neither is free).
        """
        links = self.staff_download_links() if staff else []
        if self.can_save():
            label = translations_for(language).gettext("Download my workbook (PDF)")
            url = self.runtime.handler_url(self, "download_my_workbook")
            links.insert(0, {"label": label, "url": url, "edition": "mine"})
        return links

    def download_links_html(self, language: str, staff: bool) -> str:
        """The learner view's download links (none for an anonymous visitor who is not staff)."""
        links = self.learner_download_links(language, staff)
        return links_html(language, tuple(map(_link_key, links))) if links else ""

    @XBlock.handler
    def download_scorm(self, request: Request, suffix: str = "") -> Response:
        """Staff: the SCORM package (``?target=scorm12|scorm2004-3|scorm2004-4``, default scorm12)."""
        refusal = self._refuse_unless_staff(request)
        if refusal:
            return refusal
        target = query_value(request, "target", DEFAULT_TARGET)
        if target not in TARGETS:
            return text_response(self.gettext("Unknown SCORM target."), 400)
        lesson = self._lesson_or_refusal()
        if isinstance(lesson, Response):
            return lesson
        exporter = ScormExporter(target, self.pass_threshold)
        try:
            package = exporter.export(lesson)
        except ExportError:  # the lesson's quiz leaves learners no room to save their work in this SCORM version
            message = self.gettext(
                "This lesson's quiz is too long for this SCORM version: learners could not save their work. "
                "Download the SCORM 2004 package instead."
            )
            return text_response(message, 409)
        return file_response(package, exporter.mimetype, exporter.default_filename(lesson))

    @XBlock.handler
    def download_workbook(self, request: Request, suffix: str = "") -> Response:
        """Staff: the blank learner or facilitator workbook (``?edition=learner|facilitator``)."""
        refusal = self._refuse_unless_staff(request)
        if refusal:
            return refusal
        edition = query_value(request, "edition", "learner")
        if edition not in EDITIONS:
            return text_response(self.gettext("Unknown workbook edition."), 400)
        lesson = self._lesson_or_refusal()
        return lesson if isinstance(lesson, Response) else self._workbook(lesson, edition, None)

    @XBlock.handler
    def download_my_workbook(self, request: Request, suffix: str = "") -> Response:
        """The current learner's personalised workbook, from their own state only."""
        if request.method != "GET":
            return text_response(self.gettext("Only GET is allowed."), 405)
        if not self.can_save():
            return text_response(self.gettext("Sign in as a learner to download your workbook."), 403)
        if not within_rate(self.scope_ids.user_id, self.scope_ids.usage_id):
            return come_back_later(self._too_many_workbooks(), 429, 60)
        lesson = self._lesson_or_refusal()
        return (
            lesson if isinstance(lesson, Response) else self._workbook(lesson, "learner", self.learner_record(lesson))
        )

    def learner_record(self, lesson: Lesson) -> LearnerRecord:
        """This learner's record for the personalised workbook: only ids the lesson still has."""
        user = self.current_user()
        username = (user.opt_attrs.get(USERNAME) if user else None) or str(self.scope_ids.user_id)
        work = self.learner_state().submitted_work(lesson)
        return LearnerRecord.of(work, username=username, full_name=(user.full_name if user else "") or "")

    @json_handler
    def workbook_status(self, data: object, suffix: str = "") -> dict[str, object]:
        """Whether a workbook download can be served now: ``{"edition": "mine"|"learner"|"facilitator"}``.

        ``{"ready": true, "message"}`` when it is stored, or when the download renders it itself (no Celery);
        otherwise its render is queued (once) and the page shows ``message`` (how long it has been) and asks again.
        """
        edition = data.get("edition") if isinstance(data, dict) else None
        if edition not in ("mine", *EDITIONS):
            raise InputError(self.gettext("Unknown workbook edition."), 400)
        if edition == "mine" and not self.can_save():
            raise InputError(self.gettext("Sign in as a learner to download your workbook."), 403)
        if edition != "mine" and not self.is_staff():
            raise InputError(self.gettext("Only course staff can download this."), 403)
        lesson = self.lesson_for_learner()
        learner = self.learner_record(lesson) if edition == "mine" else None
        workbook = "learner" if learner else str(edition)
        key = content_key(lesson, workbook, learner)
        if learner and not within_rate_for(self.scope_ids.user_id, self.scope_ids.usage_id, key):
            raise InputError(self._too_many_workbooks(), 429)  # each changed text would queue one more render
        if stored_or_queued(key, self._render_job(lesson, workbook, learner)) is not QUEUED:
            return {"ready": True, "message": self.gettext("Your workbook is ready: downloading it.")}
        waiting = self.gettext("Preparing your workbook… (%(seconds)s s; it usually takes under a minute)")
        return waiting_reply(key, waiting, self.gettext)

    def _too_many_workbooks(self) -> str:
        message = self.gettext("You have downloaded your workbook several times in the last minute.")
        return message + " " + self.gettext("Try again in a minute.")

    def _workbook(self, lesson: Lesson, edition: str, learner: LearnerRecord | None) -> Response:
        exporter = PdfExporter(edition=edition)
        name = f"{lesson.id}-my-workbook.pdf" if learner else exporter.default_filename(lesson)
        key = content_key(lesson, edition, learner)
        found = stored_or_queued(key, self._render_job(lesson, edition, learner))
        if isinstance(found, bytes):
            return file_response(found, exporter.mimetype, name)
        if found is QUEUED:
            message = self.gettext("Your workbook is being prepared. Try again in a few seconds.")
            return come_back_later(message, 202, 5)
        with render_slot() as free:
            if not free:
                message = self.gettext("The server is busy making other workbooks.")
                return come_back_later(message + " " + self.gettext("Try again in a minute."), 503, 30)
            reason = PdfExporter.unavailable_reason()
            if reason is not None:
                log.warning("LeadManage: serving the workbook as HTML because PDF output is unavailable: %s", reason)
                return print_ready_page(exporter.render_html(lesson, learner))
            workbook = exporter.export(lesson, learner)
        store_workbook(key, workbook)
        return file_response(workbook, exporter.mimetype, name)

    def _render_job(self, lesson: Lesson, edition: str, learner: LearnerRecord | None) -> dict[str, Any]:
        """What the platform's render task needs: the author's YAML (none: built-in), the options, the record."""
        options = {"edition": edition, "language": lesson.language}
        record = record_payload(learner) if learner else None
        return {"lesson": self.authored_yaml(), "options": options, "record": record}

    def _refuse_unless_staff(self, request: Request) -> Response | None:
        if request.method != "GET":
            return text_response(self.gettext("Only GET is allowed."), 405)
        if not self.is_staff():
            return text_response(self.gettext("Only course staff can download this."), 403)
        return None

    def _lesson_or_refusal(self) -> Lesson | Response:
        """The block's lesson, or the 409 that tells the user to come back later when it has problems."""
        try:
            return self.lesson()
        except ContentError:
            message = self.gettext("This activity is being updated by the course team. Try again later.")
            return text_response(message, 409)


def stored_or_queued(key: str, job: dict[str, Any], task: RenderTask = "render_workbook_to_cache") -> Found:
    """The file (bytes) stored under ``key``; else ``QUEUED`` once the platform's workers have ``task(job)`` to render.

    ``None``: neither, the request renders it (no Celery, or the broker refused).
    """
    cache = platform_workbook_cache()
    stored = cache.get(key) if cache else None
    if stored is not None:
        return stored
    return QUEUED if workbooks_on_celery() and queue_workbook(key, job, task) else None


def waiting_reply(key: str, waiting: str, gettext: Callable[[str], str]) -> dict[str, object]:
    """A status handler's answer while the workers render ``key``: ``waiting``, with the seconds so far.

    Raises:
        InputError: it is overdue (``OVERDUE_SECONDS``): the page stops asking and says so (503).
    """
    seconds = queued_seconds_ago(key)
    if seconds > OVERDUE_SECONDS:
        message = gettext(
            "This is taking longer than usual: the file is still being prepared. Try again in a few minutes."
        )
        raise InputError(message, 503)
    return {"ready": False, "message": waiting % {"seconds": seconds}}


def store_workbook(key: str, workbook: bytes) -> None:
    """Keep a workbook rendered in a request, where the platform has storage."""
    cache = platform_workbook_cache()
    if cache:
        cache.put(key, workbook)


def platform_workbook_cache() -> "WorkbookCache | None":
    """The platform's cache of workbooks; ``None`` without Django or its settings (XBlock's own test runtimes)."""
    try:  # Django is always there in the LMS and Studio, but not in every runtime: imported only when used.
        from django.conf import settings
    except ImportError:
        return None
    if not settings.configured:
        return None
    from .workbook_cache import ForgivingWorkbookCache

    return ForgivingWorkbookCache()


def content_key(lesson: Lesson, edition: str, learner: LearnerRecord | None) -> str:
    """The content key of the workbook a download renders (``core.workbook_key``): A4, in the lesson's language."""
    variant = WorkbookVariant(edition=edition, paper="a4", language=lesson.language)
    return workbook_key(lesson_hash(lesson), variant, work_hash(learner, learner.display_name if learner else ""))


def come_back_later(message: str, status: int, seconds: int) -> Response:
    """A refusal that says when to try again (``Retry-After``): too many downloads, or the server is busy."""
    response = text_response(message, status)
    response.headers["Retry-After"] = str(seconds)
    return response


def print_ready_page(workbook_html: str) -> Response:
    """The workbook as one HTML page with the print stylesheet inline, opened in the browser."""
    style = f"<style>{static_text('css/print.css')}</style>"
    html = workbook_html.replace("</head>", style + "</head>", 1)
    return page_response(html, HTML_POLICY)
