"""The only way WeasyPrint may load a resource: the package's own assets and small ``data:`` images and fonts.

WeasyPrint's default fetcher follows ``file:``, ``http(s):`` and ``ftp:`` URLs and redirects, so one
stray ``<img src="file:///etc/passwd">`` or ``<link rel="attachment">`` in rendered text could read a
local file or reach the network. This fetcher refuses all of that. The same instance is passed to
every ``HTML``, ``CSS`` and ``Attachment`` object the exporter builds.
"""

import base64
import binascii
import mimetypes
from collections.abc import Mapping
from importlib.resources import files
from typing import NoReturn
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

#: Scheme of the package's own assets: ``leadmanage-asset:css/print.css`` is ``templates/static/css/print.css``.
ASSET_SCHEME = "leadmanage-asset:"
ASSET_SUFFIXES = frozenset({".css", ".svg", ".png", ".jpg", ".ttf", ".otf", ".woff", ".woff2"})
DATA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "font/")
#: Largest ``data:`` URL accepted; the subset field font is about 50 KB once base64-encoded.
MAX_DATA_URL = 512 * 1024


class BlockedURLError(ValueError):
    """The workbook asked for a resource outside the allow-list."""


class PackageAssetFetcher(URLFetcher):
    """Serves ``leadmanage-asset:`` files and small ``data:`` images and fonts; refuses everything else."""

    def __init__(self) -> None:
        """Build the fetcher; a refused URL is logged by WeasyPrint as an error and the rendering goes on."""
        # allowed_protocols is a second fence should ``fetch`` ever reach the parent class.
        super().__init__(timeout=5, allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at ``url``, or raise ``BlockedURLError`` for anything not allowed."""
        if url.startswith(ASSET_SCHEME):
            return self._asset(url)
        if url[:5].lower() == "data:":
            return self._data(url)
        return self._refuse(url, "only packaged assets and data: images or fonts may be loaded")

    def _asset(self, url: str) -> URLFetcherResponse:
        name = url.removeprefix(ASSET_SCHEME)
        parts = name.split("/")
        if any(part in ("", ".", "..") or "\\" in part for part in parts) or not name.endswith(tuple(ASSET_SUFFIXES)):
            return self._refuse(url, "not a packaged asset name")
        asset = files("leadmanage_templates").joinpath("static", *parts)
        if not asset.is_file():
            return self._refuse(url, "no such packaged asset")
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, asset.read_bytes(), {"Content-Type": mimetype})

    def _data(self, url: str) -> URLFetcherResponse:
        header, comma, payload = url[5:].partition(",")
        mimetype = header.split(";")[0].strip().lower()
        if not comma or len(url) > MAX_DATA_URL or not mimetype.startswith(DATA_TYPES):
            return self._refuse(url, "only small data: images and fonts are allowed")
        try:
            body = base64.b64decode(payload, validate=True) if header.endswith(";base64") else unquote(payload).encode()
        except binascii.Error:
            return self._refuse(url, "malformed base64 data")
        return URLFetcherResponse(url[:64], body, {"Content-Type": mimetype})

    @staticmethod
    def _refuse(url: str, why: str) -> NoReturn:
        raise BlockedURLError(f"refused {url[:80]!r}: {why}")
