"""Personalised workbooks that share the pages no learner changes.

The introduction, the dimensions and the balancing practices read the same in every learner's
workbook, so a batch lays them out once per page count instead of once per learner: each learner's
workbook is their cover, the contents (shared by learners whose pages fall alike), the shared lesson
pages and their own quiz-to-closing pages, joined by WeasyPrint into one document and drawn once (one
outline, one tag tree, working links).
That saves about a third of the layout work per learner. The shared pages' drawing is recorded on the
first workbook and replayed into the next ones (``pdf_drawn``), which saves most of their drawing too.
The result is the same workbook as ``PdfExporter.export`` makes; tests compare them page by page.
"""

from typing import TYPE_CHECKING

from leadmanage_xblock.core.content import Lesson

from .pdf import Footer, PdfExporter, write_pdf
from .pdf_drawn import DrawnOnce, replays_here
from .responses import LearnerRecord

if TYPE_CHECKING:  # WeasyPrint itself is loaded by ``pdf`` when a workbook is laid out
    from weasyprint import Document, Page

#: Cover and contents. A lesson whose contents run over one page is rendered whole instead.
FRONT_PAGES = 2
#: Laid-out shared parts kept of each kind, one per total page count ("Page N of M" is printed on them)
#: and, for the contents, per set of page numbers.
KEPT_SHARED_PARTS = 6


class SharedPageWorkbooks:
    """Renders personalised workbooks for one lesson, reusing the lesson's shared pages."""

    def __init__(self, exporter: PdfExporter, lesson: Lesson):
        """Use ``exporter``'s options (paper, language…); the shared pages are laid out on first use."""
        self.exporter, self.lesson = exporter, lesson
        self._label = exporter.footer_label(lesson, personal=True)
        # (part, total page count, the contents' numbers) -> the part's laid-out pages, drawn once (pdf_drawn)
        self._shared_parts: dict[tuple[object, ...], Document] = {}
        #: How many times the shared pages have been laid out (a batch worker then sets them aside; see batch).
        self.shared_layouts = 0
        self._lesson_length: int | None = None
        self._joinable = True

    def export(self, learner: LearnerRecord) -> bytes:
        """The learner's personalised workbook as PDF bytes."""
        if not self._joinable:  # not exporter.export(), which would also log what the batch reports
            return write_pdf(self.exporter.lay_out(self.lesson, learner))
        first_own_page = FRONT_PAGES + self._shared_length() + 1
        own, total = self._own_part(learner, first_own_page)
        lesson_part = self._shared_part("lesson", FRONT_PAGES + 1, total)
        toc_pages = anchor_pages(lesson_part, FRONT_PAGES + 1) | anchor_pages(own, first_own_page)
        # The cover names the learner; the contents only list page numbers, the same for most learners.
        cover = self._lay_out("cover", learner, 1, total)
        contents = self._shared_part("contents", 2, total, toc_pages)
        if len(cover.pages) + len(contents.pages) != FRONT_PAGES:
            # Every later page number would be off by the extra contents pages.
            self._joinable = False
            return write_pdf(self.exporter.lay_out(self.lesson, learner))
        return write_pdf(cover.copy([*cover.pages, *contents.pages, *lesson_part.pages, *own.pages]))

    def _own_part(self, learner: LearnerRecord, first_page: int) -> tuple["Document", int]:
        """The learner's own pages and the workbook's page count, laid out once.

        "Page N of M" is laid out with the pages, and M depends on how long this learner's pages come out:
        laid out after ``first_page - 1`` blank pages (then dropped), they are numbered by WeasyPrint's own
        count, M included, whatever their length.
        """
        blank = first_page - 1
        footer = Footer(self._label)
        document = self.exporter.lay_out(self.lesson, learner, part="learner", footer=footer, blank_pages=blank)
        return document.copy(document.pages[blank:]), len(document.pages)

    def _shared_length(self) -> int:
        if self._lesson_length is None:
            self._lesson_length = len(self._lay_out("lesson", None, FRONT_PAGES + 1, None).pages)
        return self._lesson_length

    def _shared_part(
        self, part: str, first_page: int, total: int, toc_pages: dict[str, int] | None = None
    ) -> "Document":
        """A part no learner changes, laid out once per total page count (and contents' numbers)."""
        key = (part, total, tuple(sorted((toc_pages or {}).items())))
        if key not in self._shared_parts:
            kept = [kept_key for kept_key in self._shared_parts if kept_key[0] == part]
            if len(kept) >= KEPT_SHARED_PARTS:
                del self._shared_parts[kept[0]]  # the oldest of its kind
            document = self._lay_out(part, None, first_page, total, toc_pages)
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
        self,
        part: str,
        learner: LearnerRecord | None,
        first_page: int,
        total: int | None,
        toc_pages: dict[str, int] | None = None,
    ) -> "Document":
        footer = Footer(self._label, first_page, total)
        return self.exporter.lay_out(self.lesson, learner, part=part, footer=footer, toc_pages=toc_pages)


def anchor_pages(document: "Document", first_page: int) -> dict[str, int]:
    """The page number each anchor (element id) of a laid-out part starts on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first_page):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages
