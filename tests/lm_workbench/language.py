"""The workbench's language switch: ``?lang=es`` shows the block in Spanish, ``?lang=en`` in English again.

The xblock-sdk workbench has no locale middleware, so Django's language stays ``LANGUAGE_CODE`` (en-us) and
the block (``language()`` reads ``translation.get_language()``) is always English. Here a ``lang`` query
parameter naming one of the block's languages activates it for that request and is kept in a cookie: the
block's handler requests (its own URLs, called from the page's scripts without the parameter) and later
pages then get the same language. Any other value is ignored.

The language is activated around each request and deactivated after it (``translation.override``): Django
keeps it per thread, and the development server's threads must not carry one request's language to the next.
"""

from django.utils import translation

from leadmanage_xblock.core.languages import LANGUAGES

PARAMETER = "lang"
COOKIE = "lm_workbench_lang"


def _known(code: str | None) -> str | None:
    return code if code in LANGUAGES else None


class LanguageMiddleware:
    """Activate the language asked for by ``?lang=`` or remembered in the cookie, for one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = _known(request.GET.get(PARAMETER))
        language = asked or _known(request.COOKIES.get(COOKIE))
        if language is None:
            return self.get_response(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        if asked:
            response.set_cookie(COOKIE, asked, samesite="Lax", httponly=True)
        return response
