"""HTTP for the block's handlers: the one way to read a JSON request and to build every response.

XBlock's own ``json_handler`` parses the body before the handler can look at it: a deeply nested body
recurses until Python gives up, and ``NaN``, a 5,000-digit number or a body that is not UTF-8 raise errors it
does not catch, each a 500. Here the body is checked first (size, nesting, encoding) and every refusal is a
JSON ``{"error": message}`` in the learner's language, with extra fields where the page can act on them.
"""

import functools
import json
import re
from collections.abc import Callable
from typing import Protocol
from urllib.parse import parse_qs

from webob import Request, Response
from xblock.core import XBlock

from ..core.validation import InputError

#: Larger than any request the pages send (every text field full, escaped), far below what would cost memory.
MAX_BODY_BYTES = 1024 * 1024
#: The pages' requests nest three levels deep and hold a few dozen arrays and objects; anything far beyond is not ours.
MAX_DEPTH = 16
MAX_CONTAINERS = 256
#: A JSON string, or from an opening quote that is never closed to the end of the body (the JSON is invalid then
#: anyway). Possessive, and never retried from a later quote: the scan takes time in proportion to the body, where
#: a body of escaped quotes with no closing one (``"\\"\\"…``) would otherwise be rescanned from each of them.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|.*)', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_response(body: object, status: int = 200) -> Response:
    """``body`` as a JSON response."""
    return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")


def error_response(error: InputError) -> Response:
    """The JSON ``{"error": message, **details}`` of a refused request."""
    return json_response({"error": str(error), **error.details}, error.status)


def text_response(message: str, status: int) -> Response:
    """A plain-text answer (the download handlers' refusals, which a browser shows as a page)."""
    return Response(message, status=status, content_type="text/plain", charset="utf-8")


def page_response(html: str, policy: str) -> Response:
    """An HTML page opened in the browser, allowed to load only what the ``Content-Security-Policy`` says."""
    response = Response(html, content_type="text/html", charset="utf-8")
    response.headers["Content-Security-Policy"] = policy
    return response


def file_response(body: bytes, mimetype: str, filename: str) -> Response:
    """A file to save, under a name made of safe characters only."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return Response(body, content_type=mimetype, content_disposition=f'attachment; filename="{safe}"')


def query_value(request: Request, name: str, default: str | None = None) -> str | None:
    """The query string's last ``name``, or ``default``; bytes that are not UTF-8 read as U+FFFD.

    WebOb's ``request.GET`` raises on them (a 500): here the handler's allow-list refuses the value instead.
    """
    values = parse_qs(request.query_string, keep_blank_values=True, errors="replace").get(name)
    return values[-1] if values else default


def read_json(request: Request, gettext: Callable[[str], str]) -> object:
    """The request's JSON body, checked before it is parsed.

    Raises:
        InputError: not POST (405), too large (413), not UTF-8, too deeply nested or not JSON (400).
    """
    if request.method != "POST":
        raise InputError(gettext("Only POST is allowed."), 405)
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise InputError(gettext("The request is too large."), 413)
    if _too_complex(body):
        raise InputError(gettext("The request is not valid JSON."))
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):  # bad JSON, NaN, a number too long to convert
        raise InputError(gettext("The request is not valid JSON.")) from None


def _too_complex(body: bytes) -> bool:
    """Whether ``body`` holds too many arrays and objects, or nests them too deeply (counted outside strings)."""
    outside_strings = _JSON_STRING.sub(b"", body)
    if outside_strings.count(b"[") + outside_strings.count(b"{") > MAX_CONTAINERS:
        return True
    depth = 0
    for bracket in _BRACKETS.finditer(outside_strings):
        depth += 1 if bracket.group() in b"[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


class Translates(Protocol):
    """What ``json_handler`` needs of the block: its refusals are in the learner's language."""

    def gettext(self, text: str) -> str:
        """``text`` translated."""


def json_handler[B: Translates](
    method: Callable[[B, object, str], object],
) -> Callable[[B, Request, str], Response]:
    """Make ``method(self, data, suffix)`` an XBlock handler that reads JSON safely and answers JSON.

    ``data`` is the request's JSON, any JSON value: the method checks it. The method returns the body of a 200
    answer or raises :class:`InputError`.
    """

    @XBlock.handler
    @functools.wraps(method)
    def handler(self: B, request: Request, suffix: str = "") -> Response:
        try:
            return json_response(method(self, read_json(request, self.gettext), suffix))
        except InputError as error:
            return error_response(error)

    return handler
