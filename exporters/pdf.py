"""The PDF exporter: printable workbooks (learner, facilitator, personalised) rendered by WeasyPrint.

The workbook is ``pdf/workbook.html.j2`` built from the same partials as the XBlock and SCORM page,
laid out for paper by ``static/css/print.css``. WeasyPrint is imported only when a workbook is
rendered, and it only ever sees resources through ``PackageAssetFetcher``.
"""

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import TYPE_CHECKING, Any, ClassVar

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.rendering import render, static_text, translations_for

from .base import Exporter
from .pdf_context import WorkbookPartContext, workbook_context
from .pdf_css import palette, written_out
from .pdf_forms import field_stylesheet, finish_forms
from .pdf_glyphs import trace_undrawn, undrawn_characters
from .pdf_streams import CompressedStreams
from .pdf_ua import finish_pdf_ua
from .registry import register
from .responses import LearnerRecord

if TYPE_CHECKING:  # WeasyPrint itself loads when a workbook is laid out
    from weasyprint import CSS, Document
    from weasyprint.text.fonts import FontConfiguration

    from .pdf_fetcher import PackageAssetFetcher

EDITIONS = ("learner", "facilitator")
#: The whole workbook, or one of the parts a batch lays out separately (see pdf_parts.py).
PARTS = ("all", "front", "cover", "contents", "lesson", "learner", "closing", "own")
PAPERS = {"a4": "A4", "letter": "letter"}
PDF_VARIANT = "pdf/ua-1"
log = logging.getLogger(__name__)


#: The most pages a part numbered with ``Footer.other_pages`` may have (the rest would print a wrong M, so such a
#: learner's workbook is laid out again whole). Past what the text limits allow: a learner cannot make it double
#: their own render's cost (2,000 numbers cost the page stylesheet nothing measurable).
MAX_COUNTED_PAGES = 2000


@dataclass(frozen=True)
class Footer:
    """The page footer: a label on the left, "Page N of M" on the right, numbered from ``first_page``.

    M is ``total_pages``, or WeasyPrint's count of the document's own pages plus ``other_pages``: the workbook's
    pages outside a part whose length is only known once it is laid out (a learner's own pages, ``pdf_parts``).
    ``after_cover``: the part starts with the (one-page) cover, page 1; its second page is ``first_page``.
    """

    label: str = ""
    first_page: int = 1
    total_pages: int | None = None
    other_pages: int = 0
    after_cover: bool = False


@register
class PdfExporter(Exporter):
    """A printable workbook: A4 or Letter, PDF/UA-1 tagged, optionally fillable or grayscale."""

    name: ClassVar[str] = "pdf"
    description: ClassVar[str] = "Printable PDF workbook: learner, facilitator or personalised edition."
    file_extension: ClassVar[str] = "pdf"
    mimetype: ClassVar[str] = "application/pdf"

    def __init__(
        self,
        edition: str = "learner",
        paper: str = "a4",
        fillable: bool = False,
        grayscale: bool = False,
        language: str | None = None,
    ):
        """Choose the edition, the print options and the language of the interface text (default: the lesson's).

        Raises:
            ValueError: an unknown edition or paper size.
        """
        if edition not in EDITIONS:
            raise ValueError(f"unknown edition {edition!r}; choose one of: {', '.join(EDITIONS)}")
        if paper not in PAPERS:
            raise ValueError(f"unknown paper size {paper!r}; choose one of: {', '.join(PAPERS)}")
        self.edition, self.paper, self.fillable, self.grayscale = edition, paper, fillable, grayscale
        self.language = language

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Why WeasyPrint cannot run here (it needs the Pango system libraries), or ``None``."""
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as exc:
            return f"WeasyPrint cannot be loaded ({exc}); install it and Pango with `make setup`"
        return None

    def default_filename(self, lesson: Lesson) -> str:
        """``<lesson>-<edition>-<paper>.pdf``, e.g. ``leading_vs_managing-learner-a4.pdf``."""
        return f"{lesson.id}-{self.edition}-{self.paper}.pdf"

    def export(self, lesson: Lesson, learner: LearnerRecord | None = None) -> bytes:
        """Render the workbook, personalised for ``learner`` when one is given, and return the PDF bytes.

        A personalised workbook logs a warning for each of the learner's texts holding characters that no
        installed font can draw (they print as empty boxes; see ``pdf_glyphs``).
        """
        with undrawn_characters() as undrawn:
            data = write_pdf(self.lay_out(lesson, learner))
        if learner and undrawn:
            for problem in trace_undrawn(undrawn, learner):
                log.warning("workbook for %r: %s", learner.username, problem.message)
        return data

    def render_html(
        self,
        lesson: Lesson,
        learner: LearnerRecord | None = None,
        part: str = "all",
        toc_pages: dict[str, int] | None = None,
        personal: bool = False,
    ) -> str:
        """The workbook's HTML, before layout; the other arguments as in :meth:`lay_out`."""
        context: WorkbookPartContext = {
            **workbook_context(lesson, self.edition, learner, self.fillable, self.grayscale, personal),
            "part": part,
            "toc_pages": toc_pages,
        }
        return render("pdf/workbook.html.j2", context, self.language or lesson.language)

    def lay_out(
        self,
        lesson: Lesson,
        learner: LearnerRecord | None = None,
        *,
        part: str = "all",
        footer: Footer | None = None,
        toc_pages: dict[str, int] | None = None,
        personal: bool = False,
    ) -> "Document":
        """Lay out the workbook, or one ``part`` of it, as a WeasyPrint document (pages not yet drawn).

        ``footer`` numbers a part's pages within the whole workbook, and ``toc_pages`` gives the
        contents page its numbers; ``pdf_parts`` joins the parts into one workbook. ``personal``: a part of
        personalised workbooks laid out for no learner (the contents, the shared lesson pages, the closing); one
        for a ``learner`` is anyway.
        """
        if part not in PARTS:
            raise ValueError(f"unknown workbook part {part!r}; choose one of: {', '.join(PARTS)}")
        html = self.render_html(lesson, learner, part, toc_pages, personal)
        language = self.language or lesson.language
        footer = footer or Footer(self.footer_label(lesson, personal=personal or learner is not None))
        return lay_out_html(html, self.paper, self.fillable, language, footer, grayscale=self.grayscale)

    def footer_label(self, lesson: Lesson, personal: bool) -> str:
        """The lesson title and the edition, e.g. "Leading and managing · Learner workbook"."""
        gettext = translations_for(self.language or lesson.language).gettext
        if personal:
            kind = gettext("Personal workbook")
        else:
            kind = gettext("Facilitator edition") if self.edition == "facilitator" else gettext("Learner workbook")
        return f"{lesson.title} · {kind}"


def html_to_pdf(html: str, paper: str = "a4", fillable: bool = False, language: str = "en") -> bytes:
    """Lay out workbook HTML and return a PDF/UA-1 file."""
    return write_pdf(lay_out_html(html, paper, fillable, language, Footer()))


def lay_out_html(
    html: str, paper: str, fillable: bool, language: str, footer: Footer, *, grayscale: bool = False
) -> "Document":
    """Lay out workbook HTML as a WeasyPrint document, in grayscale for HTML made for the grayscale edition.

    The HTML has no base URL, so relative links load nothing; every other URL goes through the
    package-asset fetcher, which refuses files and the network.
    """
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_fetcher())
    stylesheets = [_print_css(grayscale), _page_css(paper, language, footer)]
    stylesheets += [_field_css(grayscale)] if fillable else []
    # pdf_forms: WeasyPrint's form stylesheet, which leaves a field's value and a checked button to the field.
    return document.render(
        stylesheets=stylesheets, font_config=_font_config(), pdf_variant=PDF_VARIANT, pdf_forms=fillable
    )


def write_pdf(document: "Document", streams: CompressedStreams | None = None) -> bytes:
    """Draw a laid-out workbook (or pages joined from several) as a PDF/UA-1 file, completed by ``_finish``.

    ``streams``: compressed streams kept from earlier workbooks of a batch, to reuse those that repeat.
    """
    finisher = _finish if streams is None else partial(_finish, streams=streams)
    return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=finisher)


def _finish(document: "Document", pdf: Any, streams: CompressedStreams | None = None) -> None:
    """WeasyPrint's finisher (``pdf`` is a ``pydyf.PDF``): what PDF/UA-1 asks of the PDF, then whole radio groups.

    Last, the streams are compressed through ``streams`` when given (the other steps may add or change streams).
    """
    finish_pdf_ua(document, pdf)
    finish_forms(document, pdf)
    if streams is not None:
        streams.reuse_in(pdf)


@cache
def _fetcher() -> "PackageAssetFetcher":
    from .pdf_fetcher import PackageAssetFetcher

    return PackageAssetFetcher()


@cache
def _font_config() -> "FontConfiguration":
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _css(text: str) -> "CSS":
    from weasyprint import CSS

    return CSS(string=text, url_fetcher=_fetcher(), font_config=_font_config())


@cache
def _print_css(grayscale: bool) -> "CSS":
    """print.css with its custom properties written out in the edition's palette (see ``pdf_css``)."""
    return _css(written_out(static_text("css/print.css"), _palette(grayscale)))


@cache
def _palette(grayscale: bool) -> dict[str, str]:
    return palette(static_text("css/print.css"), grayscale)


@lru_cache(maxsize=64)  # one per paper, language, footer label and page numbering
def _page_css(paper: str, language: str, footer: Footer) -> "CSS":
    """Paper size, the footer label and the translated "Page N of M" (``var()`` does not work in ``@page``)."""
    text = translations_for(language).gettext("Page %(page)s of %(pages)s")
    parts = [part for part in re.split(r"(%\(pages?\)s)", text) if part]
    total = css_string(str(footer.total_pages)) if footer.total_pages else _page_count(footer.other_pages)
    words = {"%(page)s": "counter(page)", "%(pages)s": total}
    numbers = " ".join(words.get(part) or css_string(part) for part in parts)
    css = f"@page {{ size: {PAPERS[paper]}; @bottom-left {{ content: {css_string(footer.label)} }} "
    css += f"@bottom-right {{ content: {numbers} }} }}"
    if footer.first_page > 1:
        css += f"@page {':nth(2)' if footer.after_cover else ':first'} {{ counter-set: page {footer.first_page} }}"
    return _css(css)


def _page_count(added: int) -> str:
    """WeasyPrint's page count plus ``added``, as CSS content: a fixed counter style that writes N as N + added.

    CSS counters cannot add, but a counter style can spell each count as another number.
    """
    if not added:
        return "counter(pages)"
    numbers = " ".join(css_string(str(count + added)) for count in range(1, MAX_COUNTED_PAGES + 1))
    return f"counter(pages, symbols(fixed {numbers}))"


def css_string(text: str) -> str:
    """``text`` as a CSS string literal; everything but letters, digits and spaces is hex-escaped."""
    return '"' + "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text) + '"'


@cache
def _field_css(grayscale: bool) -> "CSS":
    """The form fields' look and their Latin subset of DejaVu Sans, which WeasyPrint would embed whole."""
    return _css(written_out(field_stylesheet(), _palette(grayscale)))
