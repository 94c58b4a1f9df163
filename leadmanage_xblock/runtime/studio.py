"""The Studio editor: the block's settings and its lesson YAML, checked as a whole before anything is saved.

The stock ``StudioEditableXBlockMixin`` form cannot show YAML problems next to their lines and calls
``runtime.notify`` unguarded, so the block has its own small editor (``xblock/studio_view.html.j2`` and
``public/js/studio.js``) and one save handler. A refused save answers 400 with every problem and changes
no field; the editor lists the problems, each with its line in the YAML.
"""

from typing import Any

from web_fragments.fragment import Fragment
from xblock.validation import Validation, ValidationMessage

from ..core.content import BUILTIN_LESSON_ID, builtin_lesson_text
from ..core.rendering import render
from ..core.ui_strings import ui_strings
from ..core.validation import InputError
from .assets import compact_asset, public_asset
from .base import EDIT_CONTENT, LeadManageBase
from .http import json_handler
from .studio_settings import STUDIO_SETTINGS, EditorProblem, Setting, check_settings


def editor_scripts() -> tuple[str, ...]:
    """The editor's scripts, in the order the page runs them: the strings reader, the HTTP helper, the editor."""
    return compact_asset("js/ui_strings.js"), public_asset("js", "xblock_http.js"), public_asset("js", "studio.js")


class StudioEditor(LeadManageBase):
    """``studio_view``, its save handler and Studio's validation, mixed into ``LeadManageXBlock``."""

    def studio_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The editor: settings, the lesson YAML (the built-in lesson's text when empty) and downloads."""
        language, scripts = self.language(), editor_scripts()
        view = {
            "prefix": "lm-studio-",
            # The lesson's textarea has a section of its own, below the settings.
            "settings": [
                self._setting(name, setting)
                for name, setting in STUDIO_SETTINGS.items()
                if setting.control != "textarea"
            ],
            "lesson_label": self.gettext(self.fields["lesson_yaml"].display_name),
            "lesson_yaml": self.lesson_yaml or builtin_lesson_text(language),
            "uses_builtin": not self.lesson_yaml.strip(),
            "builtin_name": f"{BUILTIN_LESSON_ID}.yaml",
            "downloads": self.staff_download_links(),
            "strings": ui_strings(language, *scripts),
        }
        fragment = Fragment(render("xblock/studio_view.html.j2", view, language))
        fragment.add_css(compact_asset("css/lesson.css"))
        fragment.add_css(public_asset("css", "studio.css"))
        for script in scripts:
            fragment.add_javascript(script)
        fragment.initialize_js("LeadManageStudio", {"saveUrl": self.runtime.handler_url(self, "studio_save")})
        return fragment

    def _setting(self, name: str, setting: Setting) -> dict[str, object]:
        """One settings input: its label and help from the field declaration, translated, its value and limits."""
        field = self.fields[name]
        label, help_text = self.gettext(field.display_name), self.gettext(field.help) if field.help else ""
        value = field.default if getattr(self, name) is None else getattr(self, name)
        return {"name": name, "label": label, "help": help_text, "value": value, "setting": setting}

    @json_handler
    def studio_save(self, data: object, suffix: str = "") -> dict[str, bool]:
        """Check every field and the lesson YAML; save all of them, or nothing and answer 400 with the problems."""
        if not self.may_edit():
            raise InputError(self.gettext("You do not have permission to change this component."), 403)
        if not isinstance(data, dict):
            raise InputError(self.gettext("The request must be a JSON object."))
        values, problems = self.check_studio_data(data)
        if problems:
            raise InputError(self.gettext("Nothing was saved: fix the problems listed below."), problems=problems)
        for name, value in values.items():
            setattr(self, name, value)
        return {"saved": True, "uses_builtin": not self.lesson_yaml}

    def may_edit(self) -> bool:
        """Whether the current user may change this block's settings and lesson: Studio's permissions service says.

        Where there is no such service nobody may: in the LMS the settings are read-only (a save there would
        fail when the platform stores the block, a 500), and only Studio offers the service. The workbench
        gets a stand-in (``tests/lm_workbench/staff.py``).
        """
        return self.studio_permits(EDIT_CONTENT) is True

    def check_studio_data(self, data: dict[str, object]) -> tuple[dict[str, Any], list[EditorProblem]]:
        """Clean field values and the list of problems (``{field, line, message}``) of an editor submission."""
        return check_settings(data, self.gettext, self.language())

    def validate(self) -> Validation:
        """Studio's messages for this block: the editor's own checks, run on the stored values.

        Catches what did not come through the editor, e.g. a course import with a broken lesson.
        """
        validation = super().validate()
        _, problems = self.check_studio_data({name: getattr(self, name) for name in STUDIO_SETTINGS})
        for problem in problems:
            line = f"{problem['field']}:{problem['line']}: " if problem["line"] else ""
            validation.add(ValidationMessage(ValidationMessage.ERROR, line + problem["message"]))
        return validation
