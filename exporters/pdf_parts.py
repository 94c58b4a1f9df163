"""Personalised workbooks that share the pages no learner changes.

The introduction, the dimensions, the balancing practices and the quiz's scenarios (every option explained, the
best answer marked; the learner's own choices are in their "Your answers" table) read the same in every learner's
workbook, so a batch lays them out once per page count instead of once per learner: each learner's
workbook is their cover, the contents (shared by learners whose pages fall alike), the shared lesson
pages, their own pages from "Your answers" to the action plan, and the closing (shared by learners whose pages
number alike), joined by WeasyPrint into one document and drawn once (one outline, one tag tree, working links).
Only the cover and the learner's own pages (7 of the built-in lesson's 20) are laid out per learner, in one
render; the footers number them within the whole workbook (``Footer``). The shared pages' drawing is recorded on the
first workbook and replayed into the next ones (``pdf_drawn``), which saves most of their drawing too.
The result is the same workbook as ``PdfExporter.export`` makes; tests compare them page by page.
"""

from typing import TYPE_CHECKING

from leadmanage_xblock.core.content import Lesson

from .pdf import MAX_COUNTED_PAGES, Footer, PdfExporter, write_pdf
from .pdf_context import PREFIX
from .pdf_drawn import DrawnOnce, replays_here
from .pdf_streams import CompressedStreams
from .responses import LearnerRecord

if TYPE_CHECKING:  # WeasyPrint itself is loaded by ``pdf`` when a workbook is laid out
    from weasyprint import Document, Page

#: Cover and contents. A lesson whose contents run over one page is rendered whole instead.
FRONT_PAGES = 2
#: Laid-out shared parts kept of each kind, one per total page count ("Page N of M" is printed on them)
#: and, for the contents, per set of page numbers (for the closing, M fixes N too).
KEPT_SHARED_PARTS = 6
#: The compressed streams every renderer of this process shares (at most ``pdf_streams.MAX_KEPT_BYTES``).
PROCESS_STREAMS = CompressedStreams()


class SharedPageWorkbooks:
    """Renders personalised workbooks for one lesson, reusing the lesson's shared pages."""

    def __init__(self, exporter: PdfExporter, lesson: Lesson, streams: CompressedStreams = PROCESS_STREAMS):
        """Use ``exporter``'s options (paper, language…); the shared pages are laid out on first use.

        ``streams``: where compressed streams are kept; by default the process's, shared by all its renderers.
        """
        self.exporter, self.lesson = exporter, lesson
        self._label = exporter.footer_label(lesson, personal=True)
        # (part, first page, total page count, the contents' numbers) -> the part's laid-out pages, drawn once
        self._shared_parts: dict[tuple[object, ...], Document] = {}
        #: How many times the shared pages have been laid out (a batch worker then sets them aside; see batch).
        self.shared_layouts = 0
        self._lengths: dict[str, int] = {}  # shared part -> its page count
        #: Compressed streams, kept for the next workbooks: the shared pages' streams repeat (see pdf_streams).
        #: One cache for the whole process by default (keyed by content): a Celery worker keeps several renderers.
        self.streams = streams
        self._joinable = True

    def export(self, learner: LearnerRecord) -> bytes:
        """The learner's personalised workbook as PDF bytes."""
        if not self._joinable:  # not exporter.export(), which would also log what the batch reports
            return write_pdf(self.exporter.lay_out(self.lesson, learner))
        first_own_page = FRONT_PAGES + self._length("lesson") + 1
        cover, own, total = self._own_part(learner, first_own_page)
        if cover is None:  # a cover over one page, or pages beyond what their footers count: rendered whole
            return write_pdf(self.exporter.lay_out(self.lesson, learner))
        lesson_part = self._shared_part("lesson", FRONT_PAGES + 1, total)
        # The closing follows the learner's pages, so its page numbers move with their length (kept per length).
        first_closing_page = first_own_page + len(own)
        closing = self._shared_part("closing", first_closing_page, total)
        toc_pages = anchor_pages(lesson_part.pages, FRONT_PAGES + 1) | anchor_pages(own, first_own_page)
        toc_pages |= anchor_pages(closing.pages, first_closing_page)
        # The contents only list page numbers, the same for most learners.
        contents = self._shared_part("contents", 2, total, toc_pages)
        if len(contents.pages) != FRONT_PAGES - 1:
            # Every later page number would be off by the extra contents pages.
            self._joinable = False
            return write_pdf(self.exporter.lay_out(self.lesson, learner))
        pages = [*cover.pages[:1], *contents.pages, *lesson_part.pages, *own, *closing.pages]
        return write_pdf(cover.copy(pages), self.streams)

    def _own_part(self, learner: LearnerRecord, first_page: int) -> tuple["Document | None", list["Page"], int]:
        """The learner's cover and own pages (after the cover, in one layout) and the workbook's page count.

        "Page N of M" is laid out with the pages, and M depends on how long this learner's pages come out: their
        footer's M is WeasyPrint's own count of them plus the workbook's other pages (``Footer.other_pages``).
        The document is ``None`` when the cover ran over one page or the footers cannot count that many pages.
        """
        other_pages = first_page - 2 + self._length("closing")  # all but the cover and the learner's own
        footer = Footer(self._label, first_page, other_pages=other_pages, after_cover=True)
        document = self.exporter.lay_out(self.lesson, learner, part="own", footer=footer)
        own = document.pages[1:]
        if not own or f"{PREFIX}answers" not in own[0].anchors or len(document.pages) > MAX_COUNTED_PAGES:
            return None, [], 0
        return document, own, len(document.pages) + other_pages

    def _length(self, part: str) -> int:
        """How many pages a shared part takes (laid out once to count them)."""
        if part not in self._lengths:
            self._lengths[part] = len(self._lay_out(part, FRONT_PAGES + 1, None).pages)
        return self._lengths[part]

    def _shared_part(
        self, part: str, first_page: int, total: int, toc_pages: dict[str, int] | None = None
    ) -> "Document":
        """A part no learner changes, laid out once per first page and total page count (and contents' numbers)."""
        key = (part, first_page, total, tuple(sorted((toc_pages or {}).items())))
        if key not in self._shared_parts:
            kept = [kept_key for kept_key in self._shared_parts if kept_key[0] == part]
            if len(kept) >= KEPT_SHARED_PARTS:
                del self._shared_parts[kept[0]]  # the oldest of its kind
            document = self._lay_out(part, first_page, total, toc_pages)
            self.shared_layouts += 1
            for page in document.pages if replays_here() else ():  # drawn once, then replayed (pdf_drawn)
                page.paint = DrawnOnce(page)  # type: ignore[method-assign]
            self._shared_parts[key] = document
        return self._shared_parts[key]

    @property
    def shared_pages(self) -> list["Page"]:
        """Every laid-out page this renderer keeps for all its learners' workbooks."""
        return [page for document in self._shared_parts.values() for page in document.pages]

    def _lay_out(
        self, part: str, first_page: int, total: int | None, toc_pages: dict[str, int] | None = None
    ) -> "Document":
        """A shared part of the personalised workbooks, for no learner in particular."""
        footer = Footer(self._label, first_page, total)
        return self.exporter.lay_out(self.lesson, part=part, footer=footer, toc_pages=toc_pages, personal=True)


def anchor_pages(pages: list["Page"], first_page: int) -> dict[str, int]:
    """The page number each anchor (element id) of a part's laid-out ``pages`` starts on."""
    numbers: dict[str, int] = {}
    for number, page in enumerate(pages, start=first_page):
        for anchor in page.anchors:
            numbers.setdefault(anchor, number)
    return numbers
