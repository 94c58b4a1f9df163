"""The learner module's markup (``module.html.j2``): its explicit context, and the XBlock's copy rendered once.

No XBlock imports: the SCORM exporter calls :func:`module_context` too. The markup never holds a learner's work:
it is the same for every learner, and ``lesson.js`` puts their answers, texts and results into it from its init data.
Rendering the whole module takes several milliseconds, so the XBlock's markup (:func:`module_html`) is rendered once
per lesson, language and setting with a placeholder id prefix, and filled in with each block's prefix once.
"""

import hashlib
import re
from typing import NamedTuple, TypedDict

from markupsafe import Markup

from .content import Lesson
from .learner_work import LearnerWork
from .rendering import render, static_text
from .results import DimensionResult, quiz_results
from .ui_strings import ui_strings

#: The shared scripts of the learner module, in the order a page loads them (static assets of the templates).
LEARNER_SCRIPTS = ("js/ui_strings.js", "js/lesson_steps.js", "js/lesson.js")


class Section(TypedDict):
    """One section of the module: ``id`` (a panel's ``data-section``, the SCORM bookmark) and ``title``."""

    id: str
    title: str


class ModuleContext(TypedDict):
    """Everything ``module.html.j2`` reads (see :func:`module_context`)."""

    prefix: str
    lesson: Lesson
    sections: list[Section]
    rows: tuple[DimensionResult, ...]
    strings: dict[str, str]
    min_reflection: int
    notice: str


def dom_prefix(key: str) -> str:
    """A short DOM id prefix derived from ``key`` (e.g. a usage id), unique per block on a page."""
    return "lm-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10] + "-"


def module_context(
    lesson: Lesson, prefix: str, *, strings: dict[str, str], min_reflection: int = 0, notice: str = ""
) -> ModuleContext:
    """Everything ``module.html.j2`` reads, and nothing else.

    Args:
        lesson: the lesson to show.
        prefix: DOM id prefix unique per block instance.
        strings: the translations of the strings the page's scripts show (see ``ui_strings``).
        min_reflection: reflection characters needed for completion.
        notice: a line shown above the module, or "".
    """
    return {
        "prefix": prefix,
        "lesson": lesson,
        "sections": sections(lesson),
        "rows": quiz_results(lesson, LearnerWork()).dimensions,  # unrated: lesson.js places the learner's marks
        "strings": strings,
        "min_reflection": min_reflection,
        "notice": notice,
    }


def sections(lesson: Lesson) -> list[Section]:
    """The module's sections in reading order: ``id`` (a panel's ``data-section``, the SCORM bookmark) and ``title``."""
    dimensions: list[Section] = [
        {"id": f"dim-{dimension.id}", "title": dimension.title} for dimension in lesson.dimensions
    ]
    return [
        {"id": "intro", "title": lesson.introduction.title},
        *dimensions,
        {"id": "balancing", "title": lesson.balancing.title},
        {"id": "quiz", "title": lesson.quiz.title},
        {"id": "results", "title": lesson.profile.title},
        {"id": "reflection", "title": lesson.reflection.title},
        {"id": "action_plan", "title": lesson.action_plan.title},
        {"id": "summary", "title": lesson.closing.title},
    ]


# Raw "<" cannot come out of escaped author text, so this placeholder only ever matches the prefix slots.
PREFIX_SLOT = Markup("lm-<prefix>-")
MAX_ENTRIES = 64
#: Blocks whose filled-in markup an entry keeps (about 100 KB each): a course has a few blocks per lesson.
MAX_BLOCKS = 16


class _Entry(NamedTuple):
    lesson: Lesson
    markup: str  # with ``PREFIX_SLOT``s
    blocks: dict[str, str]  # prefix -> the markup with it filled in


#: (``id(lesson)``, language, min_reflection, notice) -> the lesson, its markup and each block's copy.
_cache: dict[tuple[int, str, int, str], _Entry] = {}


def module_html(lesson: Lesson, prefix: str, *, language: str, min_reflection: int, notice: str) -> str:
    """The ``xblock/student_view.html.j2`` markup for ``lesson`` with the DOM id ``prefix`` filled in.

    Rendered once per lesson and setting, and filled in once per block: swapping the prefix into its ~90 places
    costs a view about 0.05 ms.
    """
    key = (id(lesson), language, min_reflection, notice)
    entry = _cache.get(key)
    if entry is None or entry.lesson is not lesson:  # The id of a lesson that is gone may be reused.
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        strings = ui_strings(language, *map(static_text, LEARNER_SCRIPTS))
        context = module_context(lesson, PREFIX_SLOT, strings=strings, min_reflection=min_reflection, notice=notice)
        html = render("xblock/student_view.html.j2", context, language)
        entry = _cache[key] = _Entry(lesson, _BETWEEN_TAGS.sub("> <", html), {})
    if prefix not in entry.blocks:
        if len(entry.blocks) >= MAX_BLOCKS:
            entry.blocks.clear()
        entry.blocks[prefix] = entry.markup.replace(PREFIX_SLOT, prefix)
    return entry.blocks[prefix]


# The cached markup holds no learner text (its textareas are empty) and no <pre>, so whitespace between
# tags only indents the source: one space renders the same.
_BETWEEN_TAGS = re.compile(r">\s+<")
