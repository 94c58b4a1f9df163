"""The learner module's markup (``module.html.j2``): its explicit context, and the XBlock's copy rendered once.

No XBlock imports: the SCORM exporter calls :func:`module_context` with an empty state. Rendering the whole
module takes several milliseconds, and almost all of it is the same for every learner and every block, so the
XBlock's markup (:func:`module_html`) is rendered once per lesson, language and setting with a placeholder id
prefix and no learner state; each request only swaps in its block's prefix. The learner's answers, texts and
results travel in the init data, and ``lesson.js`` puts them into the form.
"""

import hashlib
import re

from markupsafe import Markup

from .content import Lesson
from .rendering import render
from .scoring import profile

EMPTY_STATE = {"answers": {}, "ratings": {}, "reflection": {}, "plan": {}}


def dom_prefix(key: str) -> str:
    """A short DOM id prefix derived from ``key`` (e.g. a usage id), unique per block on a page."""
    return "lm-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10] + "-"


def module_context(
    lesson: Lesson,
    prefix: str,
    *,
    state: dict | None = None,
    results: dict | None = None,
    attempts_left: int | None = None,
    closed_message: str = "",
    min_reflection: int = 0,
    notice: str = "",
) -> dict:
    """Everything ``module.html.j2`` reads, and nothing else.

    Args:
        lesson: the lesson to show.
        prefix: DOM id prefix unique per block instance.
        state: the learner's ``answers``, ``ratings``, ``reflection`` and ``plan`` (default: empty).
        results: the Results JSON of the last submission (see ``results.quiz_results``), or ``None``.
        attempts_left: quiz submissions still allowed, ``None`` when unlimited.
        closed_message: why the quiz cannot be submitted (e.g. past due), or "".
        min_reflection: reflection characters needed for completion.
        notice: a line shown above the module, or "".
    """
    state = {**EMPTY_STATE, **(state or {})}
    return {
        "prefix": prefix,
        "lesson": lesson,
        "answers": state["answers"],
        "ratings": state["ratings"],
        "reflection": state["reflection"],
        "plan": state["plan"],
        "feedback": results["items"] if results else {},
        "score": results["score"] if results else None,
        "rows": profile_rows(lesson, state["ratings"] if results else {}, results),
        "quiz": {"submitted": bool(results), "attempts_left": attempts_left, "closed_message": closed_message},
        "min_reflection": min_reflection,
        "notice": notice,
    }


def profile_rows(lesson: Lesson, ratings: dict, results: dict | None) -> list[dict]:
    """One row per dimension for the score table, the profile chart and the guidance (also the workbook's)."""
    by_id = {row["id"]: row for row in results["dimensions"]} if results else {}
    rows = []
    for dimension, place in zip(lesson.dimensions, profile(lesson, ratings), strict=True):
        row = by_id.get(dimension.id, {})
        rows.append(
            {
                "dimension": dimension,
                "profile": place,
                "guidance": row.get("guidance", ""),
                "correct": row.get("correct", 0),
                "total": row.get("total", 0),
            }
        )
    return rows


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
