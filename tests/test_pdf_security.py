"""Hostile text can never make WeasyPrint read a local file or reach the network."""

import base64
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pikepdf
import pytest
import yaml
from fixture_paths import CONTENT
from leadmanage_exporters.pdf import PdfExporter, html_to_pdf
from leadmanage_exporters.pdf_fetcher import BlockedURLError, PackageAssetFetcher
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import body_text, reader, weasyprint_logs

from leadmanage_xblock.core.content import parse_lesson

HOST_FILE = Path("/etc/hostname")


class CountingServer(ThreadingHTTPServer):
    """A loopback HTTP server that records every request it gets."""

    def __init__(self):
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def server():
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def payloads(port: int) -> str:
    """Every way we know to make an HTML-to-PDF renderer fetch something."""
    base = f"http://127.0.0.1:{port}"
    return f"""
    <img src="file://{HOST_FILE}" alt="x"><img src="{base}/img.png" alt="x">
    <link rel="stylesheet" href="{base}/link.css"><style>@import url({base}/import.css);</style>
    <div style="background: url({base}/inline.png)">inline</div>
    <link rel="attachment" href="file://{HOST_FILE}"><a rel="attachment" href="{base}/attach.txt">attach</a>
    <a rel="attachment" href="file:///etc/os-release">release</a>
    <svg xmlns="http://www.w3.org/2000/svg"><image href="file://{HOST_FILE}" width="10" height="10"/></svg>
    <object data="{base}/object.html"></object><iframe src="{base}/frame.html"></iframe>
    <img src="ftp://127.0.0.1:{port}/x.png" alt="x"><img src="data:text/html,<b>hi</b>" alt="x">
    """


def host_text() -> str:
    return HOST_FILE.read_text().strip() if HOST_FILE.exists() else "no-such-host-text"


def attachments(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.attachments)


def hostile_lesson(payload: str):
    data = yaml.safe_load((CONTENT / "minimal.yaml").read_text(encoding="utf-8"))
    data["introduction"]["paragraphs"] = [payload]
    data["dimensions"][0]["takeaway"] = payload
    data["quiz"]["scenarios"][0]["options"][0]["explanation"] = payload
    data["facilitator"]["answer_key_notes"] = [payload]
    data["organisation"] = payload
    return parse_lesson(yaml.safe_dump(data), "hostile.yaml")


def test_hostile_author_and_learner_text_is_printed_not_fetched(server):
    payload = payloads(server.server_address[1])
    lesson = hostile_lesson(payload)
    learner = LearnerRecord("mallory", full_name=payload[:150], reflection={"roles_today": payload})
    with weasyprint_logs() as messages:
        outputs = [
            PdfExporter(edition="facilitator").export(lesson),
            PdfExporter(fillable=True).export(lesson),
            PdfExporter().export(lesson, learner),
        ]
    assert server.requests == []
    assert messages == [], "escaped text never even asks the fetcher"
    for data in outputs:
        assert attachments(data) == 0
        assert host_text() not in body_text(data)
        assert "@import" in body_text(data), "the payload is there, as text"


def test_a_lesson_title_cannot_break_out_of_the_footer_stylesheet(server):
    """The footer label is lesson text written into CSS: it must stay one CSS string, printed as is."""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    title = f'x" }} @page {{ @top-right {{ content: url({base}/css.png) }} }} \\ "\n'
    data = yaml.safe_load((CONTENT / "minimal.yaml").read_text(encoding="utf-8"))
    data["title"] = title
    lesson = parse_lesson(yaml.safe_dump(data), "hostile-title.yaml")
    learner = LearnerRecord("mallory")
    with weasyprint_logs() as messages:
        single = PdfExporter().export(lesson, learner)
        shared = SharedPageWorkbooks(PdfExporter(), lesson).export(learner)
    assert server.requests == []
    assert messages == []
    for output in (single, shared):
        page = reader(output).pages[2].extract_text()
        assert f'x" }} @page {{ @top-right {{ content: url({base}/css.png) }} }} \\ " · Personal' in page


def test_raw_hostile_html_is_stopped_by_the_fetcher(server):
    """The second fence: even HTML that escaped nothing cannot reach files or the network."""
    body = payloads(server.server_address[1])
    html = f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}</body></html>"
    with weasyprint_logs() as messages:
        data = html_to_pdf(html)
    assert server.requests == []
    assert attachments(data) == 0
    assert host_text() not in body_text(data)
    assert messages, "every blocked resource is logged"
    assert all("refused" in message or "Failed to load" in message for message in messages), messages


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "FILE:///etc/hostname",
        "http://127.0.0.1:9/x.css",
        "https://example.com/x.png",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        "leadmanage-asset:../pdf/workbook.html.j2",
        "leadmanage-asset:css/../../pdf/workbook.html.j2",
        "leadmanage-asset:/etc/hostname",
        "leadmanage-asset:css/missing.css",
        "leadmanage-asset:js/lesson.js",
        "data:text/html,<b>x</b>",
        "data:image/png;base64," + "A" * 600_000,
        "data:image/png;base64,not base64!",
        "relative/path.png",
    ],
)
def test_fetcher_refuses_everything_outside_the_allow_list(url):
    with pytest.raises(BlockedURLError):
        PackageAssetFetcher().fetch(url)


def test_fetcher_serves_packaged_assets_and_small_data_images():
    fetcher = PackageAssetFetcher()
    css = fetcher.fetch("leadmanage-asset:css/print.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    pixel = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    image = fetcher.fetch(f"data:image/png;base64,{pixel}")
    assert image.content_type == "image/png"
    assert image.read().startswith(b"\x89PNG")
