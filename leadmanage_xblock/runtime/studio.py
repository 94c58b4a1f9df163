"""The Studio editor: the block's settings and its lesson YAML, checked as a whole before anything is saved.

The stock ``StudioEditableXBlockMixin`` form cannot show YAML problems next to their lines and calls
``runtime.notify`` unguarded, so the block has its own small editor (``xblock/studio_view.html.j2`` and
``public/js/studio.js``) and one save handler. A refused save answers 400 with every problem and changes
no field; the editor lists the problems, each with its line in the YAML.
"""

from web_fragments.fragment import Fragment
from xblock.validation import ValidationMessage

from ..core.content import BUILTIN_LESSON_ID, ContentError, builtin_lesson_text, load_builtin_lesson, parse_lesson
from ..core.rendering import render
from ..core.ui_strings import ui_strings
from ..core.validation import InputError
from .assets import compact_asset, public_asset
from .http import json_handler
from .studio_settings import STUDIO_SETTINGS, Setting

# StudioPermissionsService methods: (current, older). Current Open edX has both and deprecates the older one
# (it warns); releases before the change have only the older one. docs/architecture.md: "Platform contract".
EDIT_CONTENT = ("can_edit_content", "can_write")
READ_CONTENT = ("can_read_content", "can_read")


def _(text: str) -> str:
    """Mark a message for extraction; ``self.gettext`` translates it when it is shown."""
    return text


def reflection_capacity(lesson_yaml: str, language: str) -> int:
    """The most characters of reflection a learner can write: prompts × their length limit.

    Args:
        lesson_yaml: the lesson's valid YAML, or "" for the built-in lesson.
        language: the built-in lesson's language.
    """
    lesson = parse_lesson(lesson_yaml, "lesson_yaml") if lesson_yaml else load_builtin_lesson(language)
    prompt_ids, max_length = lesson.writing_fields("reflection")
    return len(prompt_ids) * max_length


def editor_scripts() -> tuple[str, ...]:
    """The editor's scripts, in the order the page runs them: the strings reader, the HTTP helper, the editor."""
    return compact_asset("js/ui_strings.js"), public_asset("js", "xblock_http.js"), public_asset("js", "studio.js")


class StudioEditor:
    """``studio_view`` and its save handler, mixed into ``LeadManageXBlock``."""

    def studio_view(self, context=None) -> Fragment:
        """The editor: settings, the lesson YAML (the built-in lesson's text when empty) and downloads."""
        language, scripts = self.language(), editor_scripts()
        context = {
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
        fragment = Fragment(render("xblock/studio_view.html.j2", context, language))
        fragment.add_css(compact_asset("css/lesson.css"))
        fragment.add_css(public_asset("css", "studio.css"))
        for script in scripts:
            fragment.add_javascript(script)
        fragment.initialize_js("LeadManageStudio", {"saveUrl": self.runtime.handler_url(self, "studio_save")})
        return fragment

    def _setting(self, name: str, setting: Setting) -> dict:
        """One settings input: its label and help from the field declaration, translated, its value and limits."""
        field = self.fields[name]
        label, help_text = self.gettext(field.display_name), self.gettext(field.help) if field.help else ""
        value = field.default if getattr(self, name) is None else getattr(self, name)
        return {"name": name, "label": label, "help": help_text, "value": value, "setting": setting}

    @json_handler
    def studio_save(self, data, suffix=""):
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

    def studio_permits(self, permission: tuple[str, str]) -> bool | None:
        """What Studio's permissions service says of the current user and this block's course or library.

        ``None`` where there is no such service (the LMS; Studio always has one).

        Args:
            permission: ``EDIT_CONTENT`` or ``READ_CONTENT``: the service's current method and the older one.
        """
        service = self.runtime.service(self, "studio_user_permissions")
        if service is None:
            return None
        context_key = getattr(self.scope_ids.usage_id, "context_key", None)
        current, older = permission
        check = getattr(service, current, None) or getattr(service, older)
        return bool(check(context_key))

    def check_studio_data(self, data: dict) -> tuple[dict, list[dict]]:
        """Clean field values and the list of problems (``{field, line, message}``) of an editor submission."""
        values, problems = {}, []
        unknown = sorted(set(data) - set(STUDIO_SETTINGS))
        problems += [{"field": name, "line": None, "message": self.gettext("Unknown field.")} for name in unknown]
        for name, setting in STUDIO_SETTINGS.items():
            value = setting.accept(data.get(name))
            if value is None:
                problems.append({"field": name, "line": None, "message": setting.refusal(self.gettext)})
            else:
                values[name] = value
        if isinstance(values.get("lesson_yaml"), str):
            problems += self._yaml_problems(values)
        return values, problems + self._unreachable_minimum(values, problems)

    def _unreachable_minimum(self, values: dict, problems: list[dict]) -> list[dict]:
        """A minimum reflection length the lesson's prompts cannot hold would keep every learner from completing."""
        both = {"lesson_yaml", "min_reflection_length"}
        if not both <= values.keys() or any(problem["field"] in both for problem in problems):
            return []  # one of them is wrong already
        capacity = reflection_capacity(values["lesson_yaml"], self.language())
        if values["min_reflection_length"] <= capacity:
            return []
        message = self.gettext(
            "The minimum reflection length must be at most {capacity}, the most the lesson's reflection prompts can "
            "hold."
        )
        return [{"field": "min_reflection_length", "line": None, "message": message.format(capacity=capacity)}]

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
        _, problems = self.check_studio_data({name: getattr(self, name) for name in STUDIO_SETTINGS})
        for problem in problems:
            line = f"{problem['field']}:{problem['line']}: " if problem["line"] else ""
            validation.add(ValidationMessage(ValidationMessage.ERROR, line + problem["message"]))
        return validation
