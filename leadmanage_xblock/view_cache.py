"""The learner view's markup, rendered once per lesson, language and setting, then reused.

Rendering the whole module takes several milliseconds, and almost all of it is the same for every learner
and every block. So the markup is rendered once with a placeholder id prefix and no learner state; each
request only swaps in its block's prefix. The learner's answers, texts and results travel in the init
data, and ``lesson.js`` puts them into the form.
"""

import re
from functools import cache
from importlib.resources import files

from markupsafe import Markup

from .content import Lesson
from .learner_view import module_context
from .rendering import render, static_text

# Raw "<" cannot come out of escaped author text, so this placeholder only ever matches the prefix slots.
PREFIX_SLOT = Markup("lm-<prefix>-")
MAX_ENTRIES = 64
_cache: dict[tuple, tuple[Lesson, str]] = {}


def module_html(lesson: Lesson, prefix: str, *, language: str, min_reflection: int, notice: str) -> str:
    """The ``xblock/student_view.html.j2`` markup for ``lesson`` with the DOM id ``prefix`` filled in."""
    key = (id(lesson), language, min_reflection, notice)
    entry = _cache.get(key)
    if entry is None or entry[0] is not lesson:  # The id of a lesson that is gone may be reused.
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        context = module_context(lesson, PREFIX_SLOT, min_reflection=min_reflection, notice=notice)
        html = render("xblock/student_view.html.j2", context, language)
        entry = _cache[key] = (lesson, _BETWEEN_TAGS.sub("> <", html))
    return entry[1].replace(PREFIX_SLOT, prefix)


# The cached markup holds no learner text (its textareas are empty) and no <pre>, so whitespace between
# tags only indents the source: one space renders the same.
_BETWEEN_TAGS = re.compile(r">\s+<")
# Whole-line comments and indentation of our own CSS and JS; nothing else in them is touched.
# A comment that is followed by code on its closing line is left alone.
_COMMENT_LINES = re.compile(r"^[ \t]*/\*(?:[^*]|\*(?!/))*\*/[ \t]*$|^[ \t]*//[^\n]*$", re.MULTILINE)
_INDENTATION = re.compile(r"\n\s+")
# In CSS, spaces and line breaks next to { } ; , and after : mean nothing, except inside quoted strings,
# which the first alternative matches whole and keeps as they are.
_CSS_PUNCTUATION = re.compile(r"(\"[^\"]*\"|'[^']*')|\s*([{};,])\s*|(?<=:)\s+")


@cache
def compact_asset(name: str) -> str:
    """A shared static asset (``css/…``, ``js/…``) without its comment lines and indentation, read once.

    The source keeps its comments for readers; learners download about a quarter less.
    """
    text = compact(static_text(name))
    return _CSS_PUNCTUATION.sub(lambda m: m.group(1) or m.group(2) or "", text) if name.endswith(".css") else text


@cache
def public_asset(*path: str) -> str:
    """One of the block's own files under ``public/`` (its init scripts, the editor's CSS), compacted, read once."""
    return compact(files(__package__).joinpath("public", *path).read_text(encoding="utf-8"))


def compact(source: str) -> str:
    """``source`` (our own CSS or JS) without whole-line comments and indentation."""
    return _INDENTATION.sub("\n", _COMMENT_LINES.sub("", source)).strip() + "\n"
