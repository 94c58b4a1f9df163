from collections.abc import Mapping
from typing import Any

class Request:
    method: str
    body: bytes
    GET: Mapping[str, str]
    @classmethod
    def blank(cls, path: str, method: str = "GET", body: bytes | None = None, **kwargs: Any) -> Request: ...

class Response:
    status_code: int
    body: bytes
    text: str
    content_type: str
    headers: dict[str, str]
    def __init__(
        self,
        body: bytes | str | None = None,
        status: int | str | None = None,
        content_type: str | None = None,
        charset: str | None = None,
        content_disposition: str | None = None,
        json_body: Any = None,
        **kwargs: Any,
    ) -> None: ...
