"""The Studio editor: the block's settings and its lesson YAML, checked as a whole before anything is saved.

The stock ``StudioEditableXBlockMixin`` form cannot show YAML problems next to their lines and calls
``runtime.notify`` unguarded, so the block has its own small editor (``xblock/studio_view.html.j2`` and
``public/js/studio.js``) and one save handler. A refused save answers 400 with every problem and changes
no field; the editor lists the problems, each with its line in the YAML.
"""

import json
import math
import re

from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.validation import ValidationMessage

from .content import BUILTIN_LESSON_ID, ContentError, builtin_lesson_text, parse_lesson
from .rendering import LANGUAGES, render
from .view_cache import compact_asset, public_asset

MAX_DISPLAY_NAME = 255
MAX_LESSON_YAML = 512 * 1024
#: The settings the editor shows, in order, with their input type.
SETTING_INPUTS = {
    "display_name": "text",
    "weight": "number",
    "pass_threshold": "number",
    "max_attempts": "number",
    "min_reflection_length": "number",
    "show_explanations": "checkbox",
}


def _(text: str) -> str:
    """Mark a message for extraction; ``self.gettext`` translates it when it is shown."""
    return text


def _whole(value, low: int, high: int | None = None) -> int | None:
    """``value`` (a whole number, or its digits as text) when it lies in [low, high], else ``None``."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value and (high is None or value <= high) else None


def _decimal(value, low: float) -> float | None:
    """``value`` (a finite number, or its text) when it is ``low`` or more, else ``None``."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < low:
        return None
    return float(value)


def normalise_yaml(text: str) -> str:
    """The author's YAML with Unix line ends; "" (the built-in lesson) when it is a built-in text unchanged."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    builtin = {builtin_lesson_text(language).strip() for language in LANGUAGES}
    return "" if not text.strip() or text.strip() in builtin else text


#: Field name → (checker returning the clean value or ``None``, message when it returns ``None``).
STUDIO_CHECKS = {
    "display_name": (
        lambda v: v.strip() if isinstance(v, str) and 0 < len(v.strip()) <= MAX_DISPLAY_NAME else None,
        _("The display name must be 1 to 255 characters."),
    ),
    "weight": (lambda v: _decimal(v, 0), _("The problem weight must be a number, 0 or more.")),
    "pass_threshold": (
        lambda v: _whole(v, 0, 100),
        _("The pass threshold must be a whole number from 0 to 100."),
    ),
    "max_attempts": (lambda v: _whole(v, 0), _("Attempts allowed must be 0 (unlimited) or more.")),
    "min_reflection_length": (
        lambda v: _whole(v, 0),
        _("The minimum reflection length must be a whole number, 0 or more."),
    ),
    "show_explanations": (
        lambda v: v if isinstance(v, bool) else None,
        _("Choose whether to show explanations."),
    ),
    "lesson_yaml": (
        lambda v: normalise_yaml(v) if isinstance(v, str) and len(v) <= MAX_LESSON_YAML else None,
        _("The lesson must be YAML text of at most 512 KB."),
    ),
}


class StudioEditor:
    """``studio_view`` and its save handler, mixed into ``LeadManageXBlock``."""

    def studio_view(self, context=None) -> Fragment:
        """The editor: settings, the lesson YAML (the built-in lesson's text when empty) and downloads."""
        language = self.language()
        context = {
            "prefix": "lm-studio-",
            "settings": [self._setting(name, kind) for name, kind in SETTING_INPUTS.items()],
            "lesson_label": self.gettext(self.fields["lesson_yaml"].display_name),
            "lesson_yaml": self.lesson_yaml or builtin_lesson_text(language),
            "uses_builtin": not self.lesson_yaml.strip(),
            "builtin_name": f"{BUILTIN_LESSON_ID}.yaml",
            "downloads": self.staff_download_links(),
        }
        fragment = Fragment(render("xblock/studio_view.html.j2", context, language))
        fragment.add_css(compact_asset("css/lesson.css"))
        fragment.add_css(public_asset("css", "studio.css"))
        fragment.add_javascript(public_asset("js", "studio.js"))
        fragment.initialize_js("LeadManageStudio", {"saveUrl": self.runtime.handler_url(self, "studio_save")})
        return fragment

    def _setting(self, name: str, kind: str) -> dict:
        """One settings input: its label and help from the field declaration, translated, and its value."""
        field = self.fields[name]
        step = "any" if name == "weight" else "1"
        label, help_text = self.gettext(field.display_name), self.gettext(field.help) if field.help else ""
        return {
            "name": name,
            "label": label,
            "help": help_text,
            "value": getattr(self, name),
            "kind": kind,
            "step": step,
        }

    @XBlock.handler
    def studio_save(self, request, suffix=""):
        """Check every field and the lesson YAML; save all of them, or nothing and answer 400 with the problems."""
        if request.method != "POST":
            return self._json({"error": self.gettext("Only POST is allowed.")}, 405)
        if not self.may_edit():
            return self._json({"error": self.gettext("You do not have permission to change this component.")}, 403)
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if not isinstance(data, dict):
            return self._json({"error": self.gettext("The request must be a JSON object.")}, 400)
        values, problems = self.check_studio_data(data)
        if problems:
            message = self.gettext("Nothing was saved: fix the problems listed below.")
            return self._json({"error": message, "problems": problems}, 400)
        for name, value in values.items():
            setattr(self, name, value)
        return self._json({"saved": True, "uses_builtin": not self.lesson_yaml})

    def may_edit(self) -> bool:
        """Whether the current user may change this block's settings and lesson.

        Studio's ``studio_user_permissions`` service knows who may write to the course. A runtime
        without it (the LMS, where handlers cannot write settings at all, or the workbench) is trusted
        to let only authors reach the editor.
        """
        permissions = self.runtime.service(self, "studio_user_permissions")
        course_key = getattr(self.scope_ids.usage_id, "context_key", None)
        return permissions is None or course_key is None or bool(permissions.can_write(course_key))

    def check_studio_data(self, data: dict) -> tuple[dict, list[dict]]:
        """Clean field values and the list of problems (``{field, line, message}``) of an editor submission."""
        values, problems = {}, []
        unknown = sorted(set(data) - set(STUDIO_CHECKS))
        problems += [{"field": name, "line": None, "message": self.gettext("Unknown field.")} for name in unknown]
        for name, (check, message) in STUDIO_CHECKS.items():
            value = check(data.get(name))
            if value is None:
                problems.append({"field": name, "line": None, "message": self.gettext(message)})
            else:
                values[name] = value
        if isinstance(values.get("lesson_yaml"), str):
            problems += self._yaml_problems(values)
        return values, problems

    def _yaml_problems(self, values: dict) -> list[dict]:
        if not values["lesson_yaml"]:
            return []
        try:
            parse_lesson(values["lesson_yaml"], "lesson_yaml")
        except ContentError as exc:
            return [{"field": "lesson_yaml", "line": problem.line, "message": problem.text} for problem in exc.found]
        return []

    def validate(self):
        """Studio's messages for this block: the editor's own checks, run on the stored values.

        Catches what did not come through the editor, e.g. a course import with a broken lesson.
        """
        validation = super().validate()
        _, problems = self.check_studio_data({name: getattr(self, name) for name in STUDIO_CHECKS})
        for problem in problems:
            line = f"{problem['field']}:{problem['line']}: " if problem["line"] else ""
            validation.add(ValidationMessage(ValidationMessage.ERROR, line + problem["message"]))
        return validation

    @staticmethod
    def _json(body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")
