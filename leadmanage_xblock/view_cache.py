"""The learner view's markup, rendered once per lesson, language and setting, then reused.

Rendering the whole module takes several milliseconds, and almost all of it is the same for every learner
and every block. So the markup is rendered once with a placeholder id prefix and no learner state; each
request only swaps in its block's prefix. The learner's answers, texts and results travel in the init
data, and ``lesson.js`` puts them into the form.
"""

from markupsafe import Markup

from .content import Lesson
from .learner_view import module_context
from .rendering import render

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
        entry = _cache[key] = (lesson, render("xblock/student_view.html.j2", context, language))
    return entry[1].replace(PREFIX_SLOT, prefix)
