"""The fillable workbook's form fields: their stylesheet and font, and radio groups made whole before writing.

The templates emit the fields (``<input>`` and ``<textarea>`` with ``appearance: auto``, each named by a
``title``), WeasyPrint turns each into an AcroForm field, and ``finish_forms`` corrects what WeasyPrint 70 gets
wrong about radio buttons: it writes each button as a field of its own inside its group (so a reader sees
"q1" and "q1.q1", and a value set on the group is lost), lists the buttons beside the group in the form's
fields, names the group after its first button, and calls the buttons' states "/0", "/1"... Afterwards a
group is one field named by its ``data-group`` label whose buttons are plain widgets, each labelled by its
own ``title``, with the option's value as its state ("/a", "/3"), which is what a filled form reads back as.
A writing space that starts filled in (a personalised fillable workbook) gets its text from ``data-value``:
WeasyPrint takes a text area's value from its content, which it also draws (off the page, but still read).
"""

import base64
import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadmanage_xblock.core.rendering import static_text

from .base import ExportError

if TYPE_CHECKING:  # WeasyPrint itself loads when a workbook is laid out
    from weasyprint import Document

FIELD_FONT_FAMILY = "LeadManage Field"
# Debian's fonts-dejavu-core (installed by `make setup`); the text fields use a subset of it, since WeasyPrint
# embeds a form field's font whole (DejaVu Sans: about 750 KB). The subset holds Latin, Greek and Cyrillic
# (about 58 KB; Latin alone about 30 KB), what a PDF viewer needs to show what most learners type; scripts
# DejaVu Sans lacks (Arabic, Hebrew, Devanagari, CJK) are left to the viewer's own fonts.
FIELD_FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
FIELD_FONT_UNICODES = [
    *range(0x20, 0x7F),  # ASCII
    *range(0xA0, 0x180),  # Latin-1 and Latin Extended-A
    *range(0x370, 0x400),  # Greek
    *range(0x400, 0x530),  # Cyrillic and its supplement
    *range(0x2010, 0x2027),  # dashes, quotation marks, the ellipsis
    0x20AC,  # the euro sign
]
#: The Radio flag of a button field's /Ff (ISO 32000-1, table 226).
RADIO_FLAG = 1 << 15
#: A value that can be written as a PDF name without escaping: the lesson's ids and the scale's numbers.
PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]+")


@cache
def field_stylesheet() -> str:
    """The fillable edition's CSS: the fields' look (``print-fields.css``) and their subset font."""
    font = base64.b64encode(field_font()).decode("ascii")
    font_face = f'@font-face {{ font-family: "{FIELD_FONT_FAMILY}"; src: url(data:font/ttf;base64,{font}) }}'
    return font_face + "\n" + static_text("css/print-fields.css")


def field_font() -> bytes:
    """DejaVu Sans cut down to Latin, Greek and Cyrillic, the font every text field is typed in.

    Raises:
        ExportError: DejaVu Sans is not installed.
    """
    from fontTools import subset

    path = next((path for path in FIELD_FONT_FILES if path.is_file()), None)
    if path is None:
        raise ExportError("fillable fields need the DejaVu Sans font: install fonts-dejavu-core (`make setup`)")
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["FFTM"]  # FontForge's timestamp: the same font must give the same bytes
    font = subset.load_font(io.BytesIO(path.read_bytes()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=FIELD_FONT_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def finish_forms(document: "Document", pdf: Any) -> None:
    """Make every radio group one labelled field, and give every writing space that starts filled in its text.

    Args:
        document: The laid-out workbook: its fields' ``data-group`` and ``data-value`` attributes.
        pdf: The ``pydyf.PDF`` WeasyPrint is about to write.
    """
    form = pdf.catalog.get("AcroForm")
    if form is None:
        return
    labels, values = field_attributes(document, "data-group"), field_attributes(document, "data-value")
    buttons: set[bytes] = set()
    for reference in form["Fields"]:
        field = _object(pdf, reference)
        if "T" in field:  # not a radio button that its group, listed before it, has made a widget
            buttons.update(_complete_field(pdf, field, labels, values))
    # Only a form's top fields belong in /Fields; its buttons are reached through their group.
    form["Fields"][:] = [reference for reference in form["Fields"] if reference not in buttons]


def _complete_field(pdf: Any, field: dict[str, Any], labels: dict[str, str], values: dict[str, str]) -> list[bytes]:
    """Set the field's starting text or, for a radio group, make it whole; returns the group's buttons, if any."""
    import pydyf

    name = field["T"].string
    if name in values:
        field["V"] = pydyf.String(values[name])
    if not (field.get("Ff", 0) & RADIO_FLAG and "Kids" in field):
        return []
    _make_group_whole(pdf, field, labels.get(name))
    return list(field["Kids"])


def field_attributes(document: "Document", attribute: str) -> dict[str, str]:
    """Each field's name and its ``attribute`` (a radio group's ``data-group``, a text's ``data-value``), if set."""
    found: dict[str, str] = {}
    for page in document.pages:
        for inputs in page.forms.values():
            for box, _ in inputs:
                if (value := box.element.get(attribute)) is not None:
                    found[box.element.get("name")] = value
    return found


def _make_group_whole(pdf: Any, group: dict[str, Any], label: str | None) -> None:
    """Give ``group`` its label and its buttons the options' values as states (``/Opt`` then says nothing more)."""
    import pydyf

    if label:
        group["TU"] = pydyf.String(label)
    values = [option.string for option in group.pop("Opt", [])]
    chosen = group.get("V")
    for index, reference in enumerate(group["Kids"]):
        button = _object(pdf, reference)
        for inherited in ("T", "FT"):  # a button with a name of its own would be a second field
            button.pop(inherited, None)
        if index < len(values) and PLAIN_NAME.fullmatch(values[index]):
            _rename_state(button, index, values[index])
            if chosen == f"/{index}":  # "/3" is the fourth button's old state, and may be another's new one
                group["V"] = f"/{values[index]}"


def _rename_state(button: dict[str, Any], index: int, value: str) -> None:
    """Call the button's "on" state ``/value`` instead of ``/index``, in its appearance and when it is on."""
    appearances = button["AP"]["N"]
    appearances[value] = appearances.pop(index)
    if button.get("AS") == f"/{index}":
        button["AS"] = f"/{value}"


def _object(pdf: Any, reference: bytes) -> Any:
    # A reference is "N 0 R", the N-th of the PDF's objects.
    return pdf.objects[int(reference.split()[0])]
