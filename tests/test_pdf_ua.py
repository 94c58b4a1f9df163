"""Every workbook passes the independent PDF/UA-1 checker outloud with no error, and warns only as documented.

outloud (PyPI; a test tool only, as it needs PyMuPDF, AGPL like this project) checks the machine-checkable
Matterhorn conditions of PDF/UA-1 and more. Each variant below is rendered and checked once per session: every
edition, both papers, both languages, personalised (through the batch's shared pages, as the CLI makes them),
fillable and grayscale. The warnings that remain are listed in docs/architecture.md ("The PDF workbooks").
"""

import json
from functools import cache
from html.parser import HTMLParser

import pytest
from fixture_paths import FIXTURES
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.responses import record_from_dict
from outloud import check
from pdf_helpers import reader, render, render_builtin

from leadmanage_xblock.core.content import load_builtin_lesson

#: The warnings a workbook may still get, each for a reason WeasyPrint 70 leaves us (see docs/architecture.md).
ALLOWED_WARNINGS = {
    "PAG-001": "running headers and footers are tagged content outside the tag tree, not artifacts (WeasyPrint#1836)",
    "ORD-001": "list markers and the score grid's positioned boxes are painted after their text; the tags keep order",
}

#: name: (language, exporter options, personalised). Together they cover every edition, paper, language and option.
VARIANTS = {
    "learner-a4-en": ("en", {}, False),
    "facilitator-a4-en": ("en", {"edition": "facilitator"}, False),
    "learner-letter-es": ("es", {"paper": "letter"}, False),
    "facilitator-letter-es": ("es", {"edition": "facilitator", "paper": "letter"}, False),
    "fillable-learner-a4-en": ("en", {"fillable": True}, False),
    "fillable-facilitator-letter-es": ("es", {"edition": "facilitator", "paper": "letter", "fillable": True}, False),
    "grayscale-learner-letter-en": ("en", {"paper": "letter", "grayscale": True}, False),
    "personal-a4-en": ("en", {}, True),
    "personal-letter-es-fillable-grayscale": ("es", {"paper": "letter", "fillable": True, "grayscale": True}, True),
}


def learner_record(lesson):
    """The first learner of the batch fixture (answers, ratings and writing with markup in it)."""
    line = (FIXTURES / "responses" / "learners.jsonl").read_text(encoding="utf-8").splitlines()[0]
    record, _warnings = record_from_dict(json.loads(line), lesson)
    return record


@cache
def workbook(variant: str) -> bytes:
    """The variant's PDF, rendered once per session (personalised ones as a batch makes them)."""
    language, options, personal = VARIANTS[variant]
    if language == "en" and not personal:
        # The other PDF tests render these too: the same call shares their render.
        edition, paper = options.get("edition", "learner"), options.get("paper", "a4")
        return render_builtin(edition, paper, **{key: options[key] for key in options.keys() - {"edition", "paper"}})
    lesson = load_builtin_lesson(language)
    if not personal:
        return render(lesson, **options)
    return SharedPageWorkbooks(PdfExporter(**options), lesson).export(learner_record(lesson))


@pytest.fixture(scope="session")
def checked(tmp_path_factory):
    """``checked(variant)``: outloud's result for the variant's workbook, checked once per session."""
    folder = tmp_path_factory.mktemp("pdf-ua")

    @cache
    def result(variant: str):
        path = folder / f"{variant}.pdf"
        path.write_bytes(workbook(variant))
        return check(str(path))

    return result


@pytest.mark.parametrize("variant", VARIANTS)
def test_outloud_finds_no_error(checked, variant):
    result = checked(variant)
    assert result.error is None, result.error
    crashed = [run.rule for run in result.runs if run.status == "crashed"]
    assert not crashed, f"outloud rules crashed, so they checked nothing: {crashed}"
    errors = [f"{f.rule} p.{f.page}: {f.message} ({f.evidence})" for f in result.findings if f.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_outloud_warns_only_as_documented(checked, variant):
    """A new kind of warning fails: fix it, or document it here and in docs/architecture.md."""
    values = " ".join(str(field.get("/V", "")) for field in (reader(workbook(variant)).get_fields() or {}).values())
    warnings = [finding for finding in checked(variant).findings if finding.severity == "warning"]
    unexplained = [f"{f.rule} p.{f.page}: {f.message} ({f.evidence})" for f in warnings if not explained(f, values)]
    assert unexplained == []


def explained(finding, field_values: str) -> bool:
    """Whether a warning is one of the documented ones.

    TAG-003 ("words no element announces") is expected only for the learner's own words in a pre-filled form
    field: a reader announces them as the field's value (/V), which outloud does not count.
    """
    if finding.rule == "TAG-003":
        return all(word.rstrip("…") in field_values for word in finding.evidence.split("; "))
    return finding.rule in ALLOWED_WARNINGS


def structure_elements(node, ancestors=()):
    """Every structure element of the tag tree under ``node``, with the types of the elements above it."""
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            yield kid, ancestors
            yield from structure_elements(kid, (*ancestors, str(kid["/S"])))


@pytest.mark.parametrize("variant", VARIANTS)
def test_tables_have_scoped_headers_and_no_table_inside(variant):
    """Each header cell says what it heads (row or column), and no layout table hides in a data table."""
    root = reader(workbook(variant)).trailer["/Root"]["/StructTreeRoot"]
    elements = list(structure_elements(root))
    headers = [(str(cell["/A"].get("/Scope")), ancestors) for cell, ancestors in elements if cell["/S"] == "/TH"]
    assert headers, "the workbook has table headers"
    assert all(scope == ("/Column" if "/THead" in ancestors else "/Row") for scope, ancestors in headers)
    assert [ancestors for element, ancestors in elements if element["/S"] == "/Table" and "/Table" in ancestors] == []


class HeaderScopes(HTMLParser):
    """Each ``<th>``'s ``scope`` and whether it is in a ``<thead>``."""

    def __init__(self):
        super().__init__()
        self.in_head, self.cells = False, []

    def handle_starttag(self, tag, attrs):
        self.in_head = self.in_head or tag == "thead"
        if tag == "th":
            self.cells.append((self.in_head, dict(attrs).get("scope")))

    def handle_endtag(self, tag):
        self.in_head = self.in_head and tag != "thead"


@pytest.mark.parametrize("edition", ["learner", "facilitator", "personal"])
def test_every_header_cell_has_the_scope_its_place_gives_it_in_the_pdf(edition):
    """The PDF's scopes are read from where each header cell is (pdf_ua.py): the HTML must say the same."""
    lesson = load_builtin_lesson()
    exporter = PdfExporter(edition="learner" if edition == "personal" else edition)
    parser = HeaderScopes()
    parser.feed(exporter.render_html(lesson, learner_record(lesson) if edition == "personal" else None))
    assert parser.cells
    assert all(scope == ("col" if in_head else "row") for in_head, scope in parser.cells), parser.cells
