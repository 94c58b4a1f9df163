"""Characters a workbook could not draw, and the learner's text that holds them.

A character that no installed font has prints as an empty box (the font's .notdef glyph). WeasyPrint reports
each one as it draws it, with the character, so that report is what is checked: it is exactly what was
drawn, after Pango's own font fallback, whatever the fonts, scripts or ligatures, at no extra cost. (Checking
the learner's text against fonts' character maps beforehand would have to guess which fonts Pango falls back
to, and load every installed font's map.) The report does not say where the character was, so each one is
traced to the learner's name, reflection or action plan that contains it, or else to the lesson's own text.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .responses import LearnerRecord

#: WeasyPrint's logger, and the start of its message for a character drawn as .notdef (WeasyPrint 60-70).
WEASYPRINT_LOGGER = "weasyprint"
NOTDEF_MESSAGE = ".notdef glyph"
LESSON_TEXT = "the lesson's text"


@dataclass(frozen=True)
class Undrawn:
    """Characters that print as empty boxes, and where they are: a learner field ("the name") or the lesson."""

    where: str
    characters: str

    @property
    def message(self) -> str:
        """One line: where, the characters and their code points, and what to do."""
        points = ", ".join(f"U+{ord(char):04X}" for char in self.characters)
        return (
            f"{self.where} has characters no installed font can draw ({points}): they print as empty boxes "
            "(README: 'Fonts for every script')"
        )


class _NotdefCollector(logging.Handler):
    """Collects the characters WeasyPrint draws as .notdef in this thread (another may be rendering too)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread, self.characters = threading.get_ident(), set[str]()

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the character of a .notdef report made by this thread."""
        if record.thread == self.thread and str(record.msg).startswith(NOTDEF_MESSAGE) and record.args:
            character = record.args[0] if isinstance(record.args, tuple) else None
            if isinstance(character, str) and len(character) == 1:
                self.characters.add(character)


@contextmanager
def undrawn_characters() -> Iterator[set[str]]:
    """The characters drawn as empty boxes while the block runs (the set fills as WeasyPrint draws)."""
    collector, logger = _NotdefCollector(), logging.getLogger(WEASYPRINT_LOGGER)
    logger.addHandler(collector)
    try:
        yield collector.characters
    finally:
        logger.removeHandler(collector)


def trace_undrawn(characters: set[str], learner: LearnerRecord | None) -> list[Undrawn]:
    """Which of the learner's fields hold ``characters``; any found in none of them are the lesson's."""
    found: list[Undrawn] = []
    left = set(characters)
    for where, text in learner_texts(learner):
        if here := "".join(sorted(set(text) & characters)):
            found.append(Undrawn(where, here))
            left -= set(here)
    if left:
        found.append(Undrawn(LESSON_TEXT, "".join(sorted(left))))
    return found


def learner_texts(learner: LearnerRecord | None) -> Iterator[tuple[str, str]]:
    """Every learner text a workbook prints, named as the learner records name it ("reflection 'roles_today'")."""
    if learner is None:
        return
    yield "the name", learner.display_name
    for kind, label in (("reflection", "reflection"), ("action_plan", "action plan")):
        for field_id, text in learner.texts(kind).items():
            yield f"{label} {field_id!r}", text
