from collections.abc import Iterable
from typing import Literal

class Page:
    width: float
    height: float
    # Each anchor (element id) on the page and where it is, in CSS pixels.
    anchors: dict[str, tuple[float, ...]]

class Document:
    pages: list[Page]
    def copy(self, pages: Iterable[Page] | Literal["all"] = "all") -> Document: ...
    # With no target the PDF's bytes are returned (a target is never given here).
    def write_pdf(self, target: None = None, *, pdf_variant: str | None = None) -> bytes: ...
