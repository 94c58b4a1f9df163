"""What PDF/UA-1 asks of a workbook that WeasyPrint leaves out, added to the PDF just before it is written.

WeasyPrint links each data cell to its header cells (``/Headers`` and ``/ID``) but gives no header cell a
``/Scope``: a header that heads only other headers, such as the "Dimension" corner above a column of row
headers, is then tied to nothing (PDF/UA-1 7.5 asks each header to have a scope or be named by the cells'
/Headers; outloud TBL-002, an error). And it sets no Print flag on link annotations, which then count as
hidden (outloud LNK-004). ``finish_pdf_ua`` runs in WeasyPrint's ``finisher`` hook, so it only touches the
``pydyf`` objects it is given and imports neither library.
"""

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from weasyprint import Document

#: The Print flag of an annotation's /F (ISO 32000-1, 12.5.3): print the link as it is drawn.
PRINT_FLAG = 4


class PdfObjects(Protocol):
    """What the finisher reads of a ``pydyf.PDF``: its objects, each at the index of its object number."""

    objects: list[Any]


def finish_pdf_ua(document: "Document", pdf: PdfObjects) -> None:
    """Give every header cell its scope and every link annotation the Print flag.

    Args:
        document: The laid-out workbook (unused: the PDF's objects say all that is needed).
        pdf: The ``pydyf.PDF`` WeasyPrint is about to write.
    """
    for item in pdf.objects:
        if not isinstance(item, dict):
            continue
        if item.get("Type") == "/Annot" and item.get("Subtype") == "/Link":
            item["F"] = PRINT_FLAG
        elif item.get("Type") == "/StructElem" and item.get("S") == "/TH" and "A" in item:
            item["A"]["Scope"] = header_scope(pdf.objects, item)


def header_scope(objects: list[Any], cell: dict[str, Any]) -> str:
    """``/Column`` for a header cell in its table's head, ``/Row`` for one in the body or the foot.

    The structure tree no longer holds the HTML's ``scope``, so this is read from where the cell is; the
    workbook's templates follow the same rule (``tests/test_pdf_ua.py`` checks every ``<th>`` of every edition).
    """
    row = _parent(objects, cell)
    return "/Column" if _parent(objects, row).get("S") == "/THead" else "/Row"


def _parent(objects: list[Any], element: dict[str, Any]) -> dict[str, Any]:
    # A structure element's /P is the reference "N 0 R" to its parent, the N-th object.
    parent: dict[str, Any] = objects[int(element["P"].split()[0])]
    return parent
