"""The Studio editor's settings, declared once: each one's form control, limits, check and message.

The editor's form (``xblock/studio_view.html.j2``) is built from this table, ``studio_save`` checks a submission
with it (``check_settings``) and an OLX import reads settings through the same checks, so all three accept exactly
the same values.
``public/js/studio.js`` sends every control of the form by its name: a new row needs no script change. A field's
storage, default, label and help stay in its declaration (``fields.py``).
"""

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from ..core.content import ContentError, builtin_lesson_text, load_builtin_lesson, parse_lesson
from ..core.learner_text import clean_text
from ..core.rendering import LANGUAGES

MAX_LESSON_YAML = 512 * 1024


def _(text: str) -> str:
    """Mark a message for extraction; the editor translates it when it is shown."""
    return text


@dataclass(frozen=True)
class Setting:
    """One setting of the Studio editor.

    Attributes:
        control: the form control: ``text``, ``number``, ``checkbox``, or ``textarea`` (the lesson, shown apart).
        accept: the clean value of a submitted one (text from the form or from OLX), or ``None`` to refuse it.
        message: why a value is refused; ``%(low)s`` and ``%(high)s`` stand for the limits.
        low: the smallest number, or the shortest text, accepted (``None``: no limit).
        high: the largest number, or the longest text, accepted (``None``: no limit).
        step: a number's step in the form: ``1`` for whole numbers, ``any`` for decimals.
    """

    control: str
    accept: Callable[[Any], Any]
    message: str
    low: int | None = None
    high: int | None = None
    step: str = ""

    def refusal(self, gettext: Callable[[str], str]) -> str:
        """The message, translated with ``gettext``, with the limits filled in."""
        return gettext(self.message) % {"low": self.low, "high": self.high}


def _whole(value: object, low: int, high: int | None) -> int | None:
    """``value`` (a whole number, or its digits as text) when it lies in [low, high], else ``None``."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value and (high is None or value <= high) else None


def _decimal(value: object, low: float, high: float) -> float | None:
    """``value`` (a finite number, or its text) when it lies in [low, high], else ``None``."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if low <= value <= high else None


def _one_line(value: object, low: int, high: int) -> str | None:
    """``value`` on one line without the invisible characters a paste can bring, when ``low`` to ``high`` remain.

    A text that shows nothing (zero-width spaces and joiners only) counts as empty.
    """
    text = " ".join(clean_text(value).split()) if isinstance(value, str) else ""
    shown = any(not unicodedata.category(character).startswith(("Z", "C")) for character in text)
    return text if low <= len(text) <= high and (shown or not low) else None


def normalise_yaml(text: str) -> str:
    """The author's YAML with Unix line ends; "" (the built-in lesson) when it is a built-in text unchanged."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    builtin = {builtin_lesson_text(language).strip() for language in LANGUAGES}
    return "" if not text.strip() or text.strip() in builtin else text


def whole_number(low: int, high: int | None, message: str) -> Setting:
    """A whole number from ``low`` to ``high`` (``None``: no upper limit)."""
    return Setting("number", lambda value: _whole(value, low, high), message, low, high, "1")


def decimal_number(low: int, high: int, message: str) -> Setting:
    """A number with decimals from ``low`` to ``high``."""
    return Setting("number", lambda value: _decimal(value, low, high), message, low, high, "any")


def one_line_text(low: int, high: int, message: str) -> Setting:
    """A text on one line of ``low`` to ``high`` characters, once cleaned."""
    return Setting("text", lambda value: _one_line(value, low, high), message, low, high)


#: Every value the editor sends, in the form's order.
STUDIO_SETTINGS: dict[str, Setting] = {
    "display_name": one_line_text(1, 255, _("The display name must be %(low)s to %(high)s characters.")),
    # The weight is the quiz's points in the gradebook, weighed against the other problems of its subsection;
    # Open edX problems are worth a few points, so a weight above 100 is taken for a typo (1000 for 100, 80 for 0.8).
    "weight": decimal_number(0, 100, _("The problem weight must be a number from %(low)s to %(high)s.")),
    "pass_threshold": whole_number(0, 100, _("The pass threshold must be a whole number from %(low)s to %(high)s.")),
    # 0 already means unlimited; more than 100 tries at one quiz is unlimited in practice, so larger is a typo.
    "max_attempts": whole_number(
        0, 100, _("Attempts allowed must be a whole number from %(low)s (unlimited) to %(high)s.")
    ),
    # Its upper limit depends on the lesson: StudioEditor checks it against the lesson's reflection prompts.
    "min_reflection_length": whole_number(
        0, None, _("The minimum reflection length must be a whole number, %(low)s or more.")
    ),
    # From 1, as the CLI's --min-group; more than 1000 learners is no cohort a trainer debriefs at once: a typo.
    "min_group": whole_number(
        1, 1000, _("The minimum group for the cohort summary must be a whole number from %(low)s to %(high)s.")
    ),
    "show_explanations": Setting(
        "checkbox", lambda value: value if isinstance(value, bool) else None, _("Choose whether to show explanations.")
    ),
    "lesson_yaml": Setting(
        "textarea",
        lambda value: normalise_yaml(value) if isinstance(value, str) and len(value) <= MAX_LESSON_YAML else None,
        _("The lesson must be YAML text of at most 512 KB."),
    ),
}


class EditorProblem(TypedDict):
    """Why the editor refuses a value: the field, the line of the lesson YAML (``None``: none) and the message."""

    field: str
    line: int | None
    message: str


def check_settings(
    data: Mapping[str, object], gettext: Callable[[str], str], language: str
) -> tuple[dict[str, Any], list[EditorProblem]]:
    """The clean values and the problems of an editor submission (or of the stored settings, or of OLX).

    Args:
        data: values by field name, as the editor sends them.
        gettext: translates the messages.
        language: the built-in lesson's language (its prompts bound the minimum reflection length).
    """
    values: dict[str, Any] = {}
    problems = [_problem(name, gettext("Unknown field.")) for name in sorted(set(data) - set(STUDIO_SETTINGS))]
    for name, setting in STUDIO_SETTINGS.items():
        value = setting.accept(data.get(name))
        if value is None:
            problems.append(_problem(name, setting.refusal(gettext)))
        else:
            values[name] = value
    if isinstance(values.get("lesson_yaml"), str):
        problems += _yaml_problems(values["lesson_yaml"])
    return values, problems + _unreachable_minimum(values, problems, gettext, language)


def _problem(name: str, message: str) -> EditorProblem:
    return {"field": name, "line": None, "message": message}


def _yaml_problems(lesson_yaml: str) -> list[EditorProblem]:
    if not lesson_yaml:
        return []
    try:
        parse_lesson(lesson_yaml, "lesson_yaml")
    except ContentError as exc:
        return [{"field": "lesson_yaml", "line": problem.line, "message": problem.text} for problem in exc.found]
    return []


def _unreachable_minimum(
    values: dict[str, Any], problems: list[EditorProblem], gettext: Callable[[str], str], language: str
) -> list[EditorProblem]:
    """A minimum reflection length the lesson's prompts cannot hold would keep every learner from completing."""
    both = {"lesson_yaml", "min_reflection_length"}
    if not both <= values.keys() or any(problem["field"] in both for problem in problems):
        return []  # one of them is wrong already
    capacity = reflection_capacity(values["lesson_yaml"], language)
    if values["min_reflection_length"] <= capacity:
        return []
    message = gettext(
        "The minimum reflection length must be at most {capacity}, the most the lesson's reflection prompts can hold."
    )
    return [_problem("min_reflection_length", message.format(capacity=capacity))]


def reflection_capacity(lesson_yaml: str, language: str) -> int:
    """The most characters of reflection a learner can write: prompts × their length limit.

    Args:
        lesson_yaml: the lesson's valid YAML, or "" for the built-in lesson.
        language: the built-in lesson's language.
    """
    lesson = parse_lesson(lesson_yaml, "lesson_yaml") if lesson_yaml else load_builtin_lesson(language)
    prompt_ids, max_length = lesson.writing_fields("reflection")
    return len(prompt_ids) * max_length
