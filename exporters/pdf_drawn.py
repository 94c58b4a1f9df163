"""Pages drawn once per worker: a shared page's drawing is recorded and replayed into each learner's workbook.

A batch joins the same laid-out lesson pages into every learner's workbook (``pdf_parts``), and WeasyPrint
then draws them again for each one (``Page.paint``: about a tenth of a workbook's time). What a page's
drawing adds to the PDF is its content stream (the drawing operators), the resources it names (graphic
states, patterns, shadings), the glyphs it uses of each font (for the subset and its widths), and its
marked-content ids, which the tag tree links to the page's boxes. ``DrawnOnce`` draws the page into a
scratch stream, keeps those four, and adds them to each workbook's real stream instead of drawing again.

A replay must give exactly the bytes that drawing would, so it is used only when what drawing depends on
is the same as when it was recorded: the resource names already taken, the stream's graphics state and
transformation, and the widths the workbook's fonts already hold for the page's glyphs (WeasyPrint keeps a
glyph's width from its first use and writes the text's spacing from it). Otherwise the page is drawn as
usual. A page that needs an image, or draws a character no font has (WeasyPrint logs each such character,
which the batch reports), is always drawn. ``tests/test_pdf_drawn.py`` compares the bytes.
"""

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # WeasyPrint itself is loaded by ``pdf`` when a workbook is laid out
    from weasyprint import Page

#: The WeasyPrint releases whose stream internals this was written against and tested with: elsewhere pages are
#: drawn as usual (``replays_here``), since a replay must give exactly the bytes drawing would.
TESTED_WEASYPRINT = ("70",)
#: The kinds of resources a page's drawing may add (images are never replayed).
RESOURCE_KINDS = ("ExtGState", "XObject", "Pattern", "Shading")
#: What the drawing of a stream depends on, besides the page: its current colours, alpha and font.
STATE_ATTRIBUTES = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_current_font_size",
    "_old_font",
    "_old_font_size",
)


def replays_here() -> bool:
    """Whether the installed WeasyPrint is one whose drawing this module can record and replay."""
    import weasyprint

    return weasyprint.__version__.split(".")[0] in TESTED_WEASYPRINT


@dataclass
class _Drawing:
    """One recorded drawing of a page, and what it was drawn on top of."""

    before: tuple[Any, ...]  # the stream's state and resource names before drawing (see ``_situation``)
    operations: bytes  # the content stream's new operators, joined as pydyf joins them
    resources: dict[str, dict[str, Any]]  # kind -> name -> the resource the drawing added
    fonts: dict[Any, Any]  # font key -> ``weasyprint.pdf.fonts.Font`` holding only this page's glyphs
    tags: dict[Any, dict[str, Any]] | None  # box -> its tag and marked-content id (PDF/UA)
    state: dict[str, Any]  # the stream's graphics state after drawing


class DrawnOnce:
    """Draws ``page`` like ``Page.paint``, replaying a recorded drawing whenever that gives the same bytes."""

    def __init__(self, page: "Page"):
        """Record on first use; ``page.paint = DrawnOnce(page)`` puts it in the page's place."""
        self.page = page
        self.drawing: _Drawing | None = None
        self.replays = 0
        self._drawable = True  # False once the page has needed an image or a missing glyph

    def __call__(self, stream: Any, scale: float = 1) -> None:
        """Add the page's drawing to ``stream`` (a ``weasyprint.pdf.stream.Stream``)."""
        if self._replayable(stream, scale) and self.drawing is not None:
            _replay(self.drawing, stream)
            self.replays += 1
        else:
            type(self.page).paint(self.page, stream, scale)

    def _replayable(self, stream: Any, scale: float) -> bool:
        """Whether a recorded drawing gives the bytes drawing would (recording one when the old one does not fit).

        Everything here reads WeasyPrint's stream without changing it. A WeasyPrint whose stream differs from
        the one this was written for (``TESTED_WEASYPRINT``) fails here, and the page is drawn as usual.
        """
        try:
            if self._drawable and (self.drawing is None or self.drawing.before != _situation(stream, scale)):
                self.drawing = self._record(stream, scale)
            return self.drawing is not None and _fonts_agree(self.drawing.fonts, stream._fonts)
        except (AttributeError, KeyError, TypeError):
            self._drawable, self.drawing = False, None
            return False

    def _record(self, stream: Any, scale: float) -> _Drawing | None:
        """Draw the page into a scratch copy of ``stream``; ``None`` if the drawing cannot be replayed."""
        import pydyf

        before = _situation(stream, scale)
        resources = pydyf.Dictionary({kind: pydyf.Dictionary(stream._resources[kind]) for kind in RESOURCE_KINDS})
        resources["ColorSpace"] = stream._resources["ColorSpace"]
        images = _WatchedImages(stream._images)
        tags: dict[Any, dict[str, Any]] | None = None if stream._tags is None else {}
        scratch = stream.clone(fonts={}, resources=resources, images=images, tags=tags)
        seed = list(stream.stream)
        scratch.stream, scratch._ctm_stack = list(seed), list(stream._ctm_stack)
        for name in STATE_ATTRIBUTES:
            setattr(scratch, name, getattr(stream, name))
        type(self.page).paint(self.page, scratch, scale)
        missing_glyphs = any(font.missing for font in scratch._fonts.values())
        if images.used or missing_glyphs or scratch.stream[: len(seed)] != seed:
            self._drawable = False
            return None
        copies: dict[int, Any] = {}
        added = {
            kind: {
                name: _pristine(item, copies)
                for name, item in resources[kind].items()
                if name not in stream._resources[kind]
            }
            for kind in RESOURCE_KINDS
        }
        new_operations = scratch.stream[len(seed) :]
        return _Drawing(
            before,
            b"\n".join(pydyf._to_bytes(operation) for operation in new_operations),
            added,
            {key: _font_copy(font) for key, font in scratch._fonts.items()},
            tags,
            {name: getattr(scratch, name) for name in STATE_ATTRIBUTES},
        )


class _WatchedImages(dict[str, Any]):
    """A copy of a document's images that notes whether drawing looked any image up (nested streams share it)."""

    used = False

    def __contains__(self, key: object) -> bool:
        self.used = True
        return super().__contains__(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self.used = True
        super().__setitem__(key, value)


def _situation(stream: Any, scale: float) -> tuple[Any, ...]:
    """What a page's drawing depends on besides the page and the fonts: scale, state, matrix, names taken."""
    names = tuple(frozenset(stream._resources[kind]) for kind in RESOURCE_KINDS)
    state = tuple(repr(getattr(stream, name)) for name in STATE_ATTRIBUTES)
    matrices = tuple(tuple(matrix.values) for matrix in stream._ctm_stack)
    ending = stream.stream[-1] if stream.stream else None  # WeasyPrint merges an operator with the one before
    return scale, stream._tags is None, len(stream._tags or ()), state, matrices, names, repr(ending)


def _fonts_agree(page_fonts: dict[Any, Any], document_fonts: dict[Any, Any]) -> bool:
    """True when every glyph the page uses has, in the workbook's fonts, no width yet or the page's own."""
    for key, page_font in page_fonts.items():
        font = document_fonts.get(key)
        if font is not None and any(
            font.widths.get(glyph, width) != width for glyph, width in page_font.widths.items()
        ):
            return False
    return True


def _replay(drawing: _Drawing, stream: Any) -> None:
    """Add a recorded drawing to ``stream`` as drawing the page would have."""
    stream.stream.append(drawing.operations)
    copies: dict[int, Any] = {}  # one copy of a resource that two others name (a soft mask's group)
    for kind, added in drawing.resources.items():
        for name, item in added.items():
            stream._resources[kind][name] = _pristine(item, copies)
    if drawing.tags is not None:
        stream._tags.update(drawing.tags)
    for key, page_font in drawing.fonts.items():
        font = stream._fonts.get(key)
        if font is None:
            stream._fonts[key] = _font_copy(page_font)
            continue
        for glyph, width in page_font.widths.items():
            font.widths.setdefault(glyph, width)
        for glyph, text in page_font.to_unicode.items():
            font.to_unicode.setdefault(glyph, text)
    for name, value in drawing.state.items():
        setattr(stream, name, value)


def _font_copy(font: Any) -> Any:
    """A copy of a WeasyPrint ``Font`` whose glyphs and variations can change without changing ``font``."""
    copied = copy.copy(font)
    copied.widths, copied.to_unicode = dict(font.widths), dict(font.to_unicode)
    copied.missing, copied.variations = dict(font.missing), dict(font.variations)
    return copied


def _pristine(item: Any, copies: dict[int, Any]) -> Any:
    """A copy of a resource as drawn (writing a PDF replaces a resource's objects by references in place).

    ``copies`` keeps one copy per object, so an object two resources share stays one object.
    """
    import pydyf

    if not isinstance(item, (dict, list, pydyf.Stream)):
        return item  # names, numbers, strings: never changed in place
    if id(item) in copies:
        return copies[id(item)]
    if isinstance(item, pydyf.Stream):
        copied: Any = pydyf.Stream(list(item.stream), None, item.compress)
        copies[id(item)] = copied
        copied.extra = _pristine(item.extra, copies)
        return copied
    copied = type(item)()
    copies[id(item)] = copied
    if isinstance(item, dict):
        copied.update((key, _pristine(value, copies)) for key, value in item.items())
    else:
        copied.extend(_pristine(value, copies) for value in item)
    return copied
