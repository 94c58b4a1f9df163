"""The exporter contract: turn a lesson into the bytes of one output file."""

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # the CLI imports this module to start; the content model loads when a lesson is read
    from leadmanage_xblock.core.content import Lesson


class ExportError(Exception):
    """An export cannot be made; the message says why and what to do."""


class Exporter(ABC):
    """Base class of every exporter.

    Exporters are pure: they take a lesson and return bytes, and never write files themselves
    (the CLI and the XBlock download handlers decide where the bytes go). Options specific to an
    exporter go to its ``__init__``.
    """

    #: Registry name, used on the command line: ``leadmanage export NAME``.
    name: ClassVar[str]
    #: One line for ``leadmanage export --help``.
    description: ClassVar[str]
    #: File name extension of the output, without the dot.
    file_extension: ClassVar[str]
    #: MIME type of the output, for downloads.
    mimetype: ClassVar[str]

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Why this exporter cannot run on this machine, or ``None`` when it can."""
        return None

    def default_filename(self, lesson: "Lesson") -> str:
        """The output file name used when the user names none."""
        return f"{lesson.id}.{self.file_extension}"

    @abstractmethod
    def export(self, lesson: "Lesson") -> bytes:
        """Render ``lesson`` and return the output file's bytes."""
