# WeasyPrint 60+ ships no type hints: what LeadManage's PDF exporter calls, with its keyword-only use.
from collections.abc import Sequence

from .document import Document as Document
from .document import Page as Page
from .text.fonts import FontConfiguration
from .urls import URLFetcher

__version__: str

class HTML:
    def __init__(
        self, *, string: str | None = None, base_url: str | None = None, url_fetcher: URLFetcher | None = None
    ) -> None: ...
    def render(
        self,
        font_config: FontConfiguration | None = None,
        *,
        stylesheets: Sequence[CSS] | None = None,
        pdf_variant: str | None = None,
        pdf_forms: bool | None = None,
    ) -> Document: ...

class CSS:
    def __init__(
        self,
        *,
        string: str | None = None,
        url_fetcher: URLFetcher | None = None,
        font_config: FontConfiguration | None = None,
    ) -> None: ...
