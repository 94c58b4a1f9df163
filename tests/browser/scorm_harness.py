"""A local site for SCORM runtime tests: scorm-again (npm) as the LMS, our host page, our packages.

Everything is served from one folder on 127.0.0.1 (and ``localhost`` for the cross-origin case):
``/runtime/`` is scorm-again's ``dist/``, ``/host/`` our host page, ``/pkg/<name>/`` an extracted
package. A plain module, so tests can import it.
"""

import functools
import io
import json
import threading
import urllib.parse
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from browser_tools import NODE_MODULES

HOST_DIR = Path(__file__).parent / "scorm_host"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class ScormSite:
    """A static web server on 127.0.0.1 holding the runtime, the host page and packages."""

    def __init__(self, root: Path):
        assert (SCORM_AGAIN / "scorm-again.min.js").exists(), "scorm-again is missing: run `make setup` (npm ci)"
        self.root = root
        (root / "runtime").symlink_to(SCORM_AGAIN, target_is_directory=True)
        (root / "host").symlink_to(HOST_DIR, target_is_directory=True)
        (root / "pkg").mkdir()
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def add_package(self, name: str, data: bytes) -> str:
        """Extract the zip ``data`` under ``/pkg/<name>/``; return the launch URL path."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(self.root / "pkg" / name)
        return f"/pkg/{name}/index.html"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """An absolute URL on this server."""
        return f"http://{host}:{self.port}{path}"

    def host_url(self, version: str, launch: str, host: str = "127.0.0.1", **options) -> str:
        """The host page configured for one scenario (see scorm_host/host.js for the options)."""
        config = {"version": version, "launch": launch, **options}
        return self.url("/host/host.html", host) + "#" + urllib.parse.quote(json.dumps(config))
