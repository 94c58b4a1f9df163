"""Find English left in an output that should be wholly in another language (a plain module tests import).

Two sources of English: the UI catalog's source strings (split at their placeholders, so "Saved %(time)s"
is looked for as "Saved") and the English lesson's text. Strings a translation keeps as they are
("Total", ids, the organisation's name) are not English leftovers and are skipped.
"""

import dataclasses
import re
from functools import cache
from importlib.resources import files

from babel.messages.pofile import read_po

from leadmanage_xblock.core.content import load_builtin_lesson

PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|%%")
EDGE = " \t\n.,:;()!?—·-'\"…"


def author_strings(value) -> list[str]:
    """Every string in a lesson (or any part of one)."""
    if dataclasses.is_dataclass(value):
        return [s for field in dataclasses.fields(value) for s in author_strings(getattr(value, field.name))]
    if isinstance(value, tuple | list):
        return [s for item in value for s in author_strings(item)]
    return [value] if isinstance(value, str) else []


@cache
def ui_fragments(language: str) -> tuple[str, ...]:
    """The English words of every UI message that ``language``'s catalog translates differently."""
    path = files("leadmanage_xblock").joinpath("conf", "locale", language, "LC_MESSAGES", "django.po")
    with path.open("rb") as file:
        catalog = read_po(file)
    fragments = set()
    for message in catalog:
        if not message.id or message.string == message.id:
            continue
        for piece in PLACEHOLDER.split(message.id):
            piece = piece.strip(EDGE)
            if sum(char.isalpha() for char in piece) >= 2:
                fragments.add(piece)
    return tuple(sorted(fragments, key=len, reverse=True))


@cache
def lesson_strings(language: str) -> tuple[str, ...]:
    """The English lesson's sentences and labels that the ``language`` lesson does not share."""
    kept = set(author_strings(load_builtin_lesson(language)))
    english = {text.strip() for text in author_strings(load_builtin_lesson("en")) if text not in kept}
    return tuple(sorted(text for text in english if " " in text or len(text) > 6))


def normalise(text: str) -> str:
    """Runs of whitespace (line breaks in a PDF, indentation in HTML) as one space."""
    return re.sub(r"\s+", " ", text)


def english_in(text: str, language: str) -> list[str]:
    """Every English UI fragment or lesson string found in ``text`` (whole words only, case-sensitive).

    Placeholders (``%(correct)s`` in the strings lesson.js fills in) are names, not text, and are ignored.
    """
    text = normalise(PLACEHOLDER.sub(" ", text))
    found = [fragment for fragment in ui_fragments(language) if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text)]
    found += [string for string in lesson_strings(language) if normalise(string) in text]
    return found
