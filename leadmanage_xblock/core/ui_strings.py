"""The interface text our scripts show: one JSON map of translations per page, found in the scripts themselves.

A script holds no translations. Every string it shows is the English literal of a ``t("…")`` call (``ui.t`` in
``lesson.js``): the keyword ``make extract-translations`` extracts (``-k t``), so the literal is also the message id.
A page that loads some scripts gets the translations of exactly the strings those scripts pass to ``t``, as one JSON
map rendered by the ``ui_strings`` macro (``partials/strings.html.j2``) and read by ``LeadManageStrings.translator``
(``js/ui_strings.js``). Placeholders are ``%(name)s`` everywhere, and ``%%`` is a percent sign, as in gettext.
"""

import json
import re
from functools import cache

from .rendering import translations_for

# The first argument of a t() call when it is one string literal, which is what Babel extracts from such a call,
# outside comments (block comments, and line comments on their own line, as our scripts write them).
# tests/test_lesson_js.py checks that both find the same strings in every script.
_T_CALL = re.compile(r'\bt\(\s*("(?:[^"\\\n]|\\.)*")')
_COMMENTS = re.compile(r"/\*.*?\*/|^[ \t]*//[^\n]*", re.DOTALL | re.MULTILINE)


def strings_in(script: str) -> tuple[str, ...]:
    """The strings ``script`` (JavaScript source) passes to ``t``, each once, in order of first use."""
    return tuple(dict.fromkeys(json.loads(literal) for literal in _T_CALL.findall(_COMMENTS.sub("", script))))


@cache
def ui_strings(language: str, *scripts: str) -> dict[str, str]:
    """The translations, in ``language``, of the strings ``scripts`` show, keyed by their English text.

    Only strings the catalog translates are listed: a script shows any other key as it is, so English pages get
    an empty map. Cached: callers pass the same script texts (read once per process) for every page.
    """
    gettext = translations_for(language).gettext
    keys = dict.fromkeys(key for script in scripts for key in strings_in(script))
    return {key: gettext(key) for key in keys if gettext(key) != key}
