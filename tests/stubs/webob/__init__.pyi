from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, Self

class Request:
    method: str
    body: bytes
    # The query string, still percent-encoded (http.query_value reads it; GET raises on bytes that are not UTF-8).
    query_string: str
    @classmethod
    def blank(
        cls,
        path: str,
        environ: dict[str, Any] | None = None,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        POST: Any = None,
        **kw: Any,
    ) -> Self: ...

class Response:
    status_code: int
    body: bytes
    text: str
    content_type: str | None
    # A case-insensitive MultiDict of the response's headers.
    headers: MutableMapping[str, str]
    # Keyword arguments past `charset` set the attribute of that name (e.g. `content_disposition`), except
    # `json_body`, which becomes the body.
    def __init__(
        self,
        body: bytes | str | None = None,
        status: int | str | None = None,
        headerlist: list[tuple[str, str]] | None = None,
        app_iter: Iterable[bytes] | None = None,
        content_type: str | None = None,
        conditional_response: bool | None = None,
        charset: str | None = ...,
        **kw: Any,
    ) -> None: ...
