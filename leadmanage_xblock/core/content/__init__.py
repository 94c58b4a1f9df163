"""The lesson content model and its loader, shared by the XBlock and every exporter."""

from .loader import (
    BUILTIN_LESSON_ID,
    ContentError,
    builtin_lesson_text,
    lesson_schema,
    load_builtin_lesson,
    load_lesson,
    parse_lesson,
)
from .model import Dimension, Lesson, Option, RatingItem, Scenario

__all__ = [
    "BUILTIN_LESSON_ID",
    "ContentError",
    "Dimension",
    "Lesson",
    "Option",
    "RatingItem",
    "Scenario",
    "builtin_lesson_text",
    "lesson_schema",
    "load_builtin_lesson",
    "load_lesson",
    "parse_lesson",
]
