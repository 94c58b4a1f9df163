"""What a problem in a lesson file is, and how a place in the lesson is named: shared by every check.

Apart from the YAML reader, so that loading the built-in lesson (shipped pre-read) never imports PyYAML.
"""

from dataclasses import dataclass

#: Where a value sits in the lesson: keys and list indexes from the top, e.g. ("quiz", "scenarios", 0, "id").
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a lesson file."""

    line: int
    path: str
    message: str

    @property
    def text(self) -> str:
        """``path: message``, or the message alone when the problem is the whole file or line."""
        return f"{self.path}: {self.message}" if self.path else self.message

    def format(self, source: str) -> str:
        """Render as ``FILE:LINE: path: message``."""
        return f"{source}:{self.line}: {self.text}"


def dotted(path: YamlPath) -> str:
    """``("quiz", "scenarios", 0, "id")`` as ``quiz.scenarios[0].id``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")
