"""Lesson YAML text to plain data with the line of every path: any text gives data or problems, never an exception.

Authors paste from word processors, import courses from elsewhere and make typos. PyYAML answers some of
that with exceptions that are not syntax errors (``ReaderError`` for a control character, ``ConstructorError``
or ``ValueError`` for a tag, ``TypeError`` for a list used as a key) or with recursion as deep as the text
is nested. So the text passes two flat gates:

1. characters YAML cannot read are reported, one problem per line, then dropped so the rest is still checked;
2. one pass over the parser's events (``yaml_events``) builds the data and the line of every path, and
   refuses deep nesting, tags, keys that are not text, aliases of lists or mappings and unreadable values.
"""

import re
import unicodedata
from functools import lru_cache
from typing import Any

from .problems import Problem, YamlPath, dotted
from .yaml_events import MAX_DEPTH, EventReader

__all__ = ["MAX_DEPTH", "UNREADABLE", "LineIndex", "read_yaml", "unreadable_characters"]

#: Characters YAML cannot read (the complement of YAML 1.1's printable set, which PyYAML and libyaml enforce):
#: C0 controls but tab, line feed and carriage return; DEL; C1 controls but NEL; lone surrogates; U+FFFE, U+FFFF.
UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Line breaks as YAML counts them for its line marks, so every problem's line agrees.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def read_yaml(text: str) -> tuple[Any, "LineIndex | None", list[Problem]]:
    """The data in ``text``, the line of each of its paths, and every problem found on the way.

    Returns:
        ``(data, lines, problems)``. ``lines`` is ``None`` when a problem stopped the reading before there
        was data to check further; otherwise ``problems`` holds only those that leave the data usable
        (unreadable characters, which are dropped, and duplicate keys).
    """
    problems = unreadable_characters(text)
    if problems:
        text = UNREADABLE.sub("", text)
    reader = EventReader()
    reader.read(text)
    stopping = reader.stopping or reader.composer or reader.aliases or reader.unreadable_values
    if stopping:
        return None, None, problems + stopping
    if reader.is_empty:
        return None, None, [*problems, Problem(1, "", "the file is empty: expected a lesson")]
    return reader.data, LineIndex(reader.lines), problems + reader.duplicate_keys


def unreadable_characters(text: str) -> list[Problem]:
    """One problem per line that holds characters YAML cannot read, naming each code point once."""
    if UNREADABLE.search(text) is None:
        return []
    problems = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        characters = UNREADABLE.findall(line)
        if characters:
            problems.append(Problem(number, "", _characters_message(tuple(dict.fromkeys(characters)))))
    return problems


@lru_cache(maxsize=64)  # a pasted document repeats the same few characters on many lines
def _characters_message(characters: tuple[str, ...]) -> str:
    controls = all(unicodedata.category(character) == "Cc" for character in characters)
    kind = "invisible control character" if controls else "invisible character"
    names = ", ".join(f"U+{ord(character):04X}" for character in characters)
    plural = len(characters) > 1
    return (
        f"{kind}{'s' if plural else ''} {names}, often pasted from a word processor: "
        f"delete {'them' if plural else 'it'} or retype the line"
    )


class LineIndex:
    """The line of every path in the lesson's YAML, so a problem found later in the data points at its line."""

    def __init__(self, lines: dict[YamlPath, int]):
        self.lines = lines

    def problem(self, path: YamlPath, message: str) -> Problem:
        """A problem at ``path``, on the line of the nearest part of the path that exists."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return Problem(self.lines[path[:end]], dotted(path), message)
        return Problem(1, dotted(path), message)
