from collections.abc import Callable, Iterable
from typing import Any, Literal

class Page:
    width: float
    height: float
    # Each anchor (element id) on the page and where it is, in CSS pixels.
    anchors: dict[str, tuple[float, ...]]
    # The form fields on the page, by the <form> they are in (None: in none), as (box, rectangle).
    forms: dict[Any, list[tuple[Any, tuple[float, ...]]]]
    # Draws the page into a PDF content stream (a weasyprint.pdf.stream.Stream).
    def paint(self, stream: Any, scale: float = 1) -> None: ...

class Document:
    pages: list[Page]
    def copy(self, pages: Iterable[Page] | Literal["all"] = "all") -> Document: ...
    # With no target the PDF's bytes are returned (a target is never given here).
    def write_pdf(
        self,
        target: None = None,
        *,
        pdf_variant: str | None = None,
        finisher: Callable[[Document, Any], None] | None = None,
    ) -> bytes: ...
