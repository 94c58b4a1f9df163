from collections.abc import Iterable, Mapping
from urllib.request import OpenerDirector

class URLFetcherResponse:
    url: str
    status: int
    def __init__(
        self, url: str, body: bytes | str | None = None, headers: Mapping[str, str] | None = None, status: int = 200
    ) -> None: ...

class URLFetcher(OpenerDirector):
    def __init__(
        self,
        timeout: float = 10,
        *,
        allowed_protocols: Iterable[str] | None = None,
        allow_redirects: bool = True,
        fail_on_errors: bool = False,
    ) -> None: ...
    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse: ...
    def __call__(self, url: str) -> URLFetcherResponse: ...
