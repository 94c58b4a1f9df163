"""Author content is untrusted: lesson text is plain text in every output, never markup.

The lesson format allows no HTML at all, so the allow-list is empty: every author string is escaped
by Jinja's autoescaping. The XBlock view, the SCORM page and the PDF check the need_escaped fixture
in their own tests (test_xblock.py, test_scorm_export.py and the SCORM browser tests, test_pdf_content.py);
these tests cover the rest: no template can switch escaping off, and the Studio editor, the workbook's
HTML fallback, the report and the mobile data keep the text as it was written.
"""

import json
import re
from html.parser import HTMLParser

from fixture_paths import CONTENT, REPO
from leadmanage_exporters.pdf import PdfExporter
from xblock_runtime import make_block

from leadmanage_xblock.runtime.downloads import print_ready_page

ESCAPED_YAML = (CONTENT / "need_escaped.yaml").read_text(encoding="utf-8")
MARKUP = '<b>bold</b> & "double" \'single\' <script>alert("x")</script>'


class Elements(HTMLParser):
    """The tag names in a document, and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_no_template_turns_escaping_off():
    for path in (REPO / "templates").rglob("*.j2"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false", source), f"{path.name} bypasses escaping"


def test_workbook_html_fallback_shows_author_markup_as_text():
    block = make_block(lesson_yaml=ESCAPED_YAML)
    html = print_ready_page(PdfExporter(edition="facilitator").render_html(block.lesson())).text
    parsed = Elements(html)
    assert "b" not in parsed.tags
    assert parsed.tags.count("script") == 0
    assert MARKUP in "".join(parsed.text)


def test_studio_editor_shows_the_yaml_as_text():
    html = make_block(lesson_yaml=ESCAPED_YAML).render("studio_view").content
    parsed = Elements(html)
    assert "b" not in parsed.tags
    assert parsed.tags.count("script") == 1, "only the runtime's own init-arguments script"
    assert ESCAPED_YAML in "".join(parsed.text)


def test_report_and_mobile_data_keep_the_text_as_written():
    block = make_block(lesson_yaml=ESCAPED_YAML)
    lesson = block.lesson()
    option = lesson.quiz.scenarios[0].options[0]
    state = {"answers": {lesson.quiz.scenarios[0].id: option.id}, "attempts": 1}
    row = dict(block.generate_report_data(iter([type("UserState", (), {"username": "u", "state": state})()])))["u"]
    assert row[f"{lesson.quiz.scenarios[0].id} answer"] == f"{option.id}: {option.text}"
    assert MARKUP in option.text
    assert json.loads(json.dumps(block.student_view_data()))["lesson"]["title"] == lesson.title
