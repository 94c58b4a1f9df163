"""OLX import and export: settings as attributes, the lesson YAML as a ``<lesson>`` child, no learner state.

    <leadmanage display_name="..." weight="2.0" pass_threshold="80" ...>
      <lesson><![CDATA[schema_version: 1 ...]]></lesson>
    </leadmanage>

The YAML travels as element text (not a giant attribute) so course exports stay readable and diffable,
and its line numbers stay those the author saw in Studio. The stock serializer writes every field that
is set, learner state included, and the stock parser accepts any field as an attribute; here only
content and settings fields go either way.
"""

import logging
from typing import Any, Self

import yaml
from lxml import etree
from xblock.fields import Field, Scope, ScopeIds
from xblock.runtime import Runtime

from .base import LeadManageBase
from .studio_settings import STUDIO_SETTINGS, check_settings

log = logging.getLogger(__name__)
LESSON_TAG = "lesson"
AUTHORED_SCOPES = (Scope.content, Scope.settings)
#: Attributes the platform puts on every block element; they are not fields of this block.
PLATFORM_ATTRIBUTES = frozenset({"url_name", "xblock-family"})
#: Settings read with the Studio editor's own checks, so an import accepts exactly what the editor would save.
EDITOR_SETTINGS = frozenset(STUDIO_SETTINGS) - {"lesson_yaml"}


# The return type is quoted: XBlock's ``Field`` is generic in its stub only, and Python evaluates annotations.
def authored_fields(block_class: type[LeadManageBase]) -> "dict[str, Field[Any]]":
    """The block's content and settings fields by name (never user state, never children)."""
    return {name: field for name, field in block_class.fields.items() if field.scope in AUTHORED_SCOPES}


class OlxMixin(LeadManageBase):
    """``parse_xml`` and ``add_xml_to_node`` for ``LeadManageXBlock``."""

    @classmethod
    def parse_xml(cls, node: etree._Element, runtime: Runtime, keys: ScopeIds) -> Self:
        """Build a block from its OLX element: its authored attributes and the ``<lesson>`` text.

        Anything else (learner state, unknown attributes or children) is skipped with a warning, and so is a
        setting that is malformed or that the Studio editor would refuse (it keeps its default): one odd
        attribute never stops a course import and no OLX file can plant learner state.
        """
        block = runtime.construct_xblock_from_class(cls, keys)
        fields = authored_fields(cls)
        settings: dict[str, str] = {}
        for name, text in node.items():
            if name in EDITOR_SETTINGS:
                settings[name] = text
            elif name in fields:
                _set_from_string(block, name, text, node.tag)
            elif name not in PLATFORM_ATTRIBUTES:
                log.warning("<%s>: ignoring attribute %r (not an authored field)", node.tag, name)
        for child in node:
            if not isinstance(child.tag, str):
                continue  # a comment or processing instruction
            if etree.QName(child).localname == LESSON_TAG:
                block.lesson_yaml = lesson_text(child)
            else:
                log.warning("<%s>: ignoring child element <%s>", node.tag, child.tag)
        _set_settings(block, settings, node.tag)
        return block

    def add_xml_to_node(self, node: etree._Element) -> None:
        """Write the authored fields that are set; the custom lesson YAML as a ``<lesson>`` child."""
        node.tag = self.xml_element_name()
        node.set("xblock-family", self.entry_point)
        for name, field in authored_fields(type(self)).items():
            if name != "lesson_yaml" and field.is_set_on(self):
                node.set(name, field.to_string(field.read_from(self)))
        if self.lesson_yaml.strip():
            lesson = etree.SubElement(node, LESSON_TAG)
            # CDATA keeps the YAML legible; "]]>" cannot live in it, and then escaped text does the same job.
            lesson.text = self.lesson_yaml if "]]>" in self.lesson_yaml else etree.CDATA(self.lesson_yaml)


def lesson_text(element: etree._Element) -> str:
    """All the text of a ``<lesson>`` element: its text and CDATA, and the text after each comment inside it.

    ``element.text`` alone stops at the first comment or processing instruction.
    """
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            log.warning("<%s>: ignoring child element <%s>", LESSON_TAG, child.tag)
        parts.append(child.tail or "")
    return "".join(parts)


def _set_from_string(block: LeadManageBase, name: str, text: str, tag: object) -> None:
    """Set a field the editor does not show (``due``, an old ``lesson_yaml`` attribute) from its OLX text.

    ``tag``, the element's (any tag lxml holds), only names the element in the log.
    """
    field = block.fields[name]
    try:
        if _has_alias(text):
            raise ValueError("YAML aliases are not read: nested ones grow a few bytes into gigabytes once stored")
        value = field.from_string(text)
    except Exception as exc:  # from_string runs yaml.safe_load, then the field's conversion: either raises anything
        reason = str(exc).partition("\n")[0]
        log.warning(
            "<%s>: %s=%.80r cannot be read (%s): keeping the default %r", tag, name, text, reason, field.default
        )
        return
    setattr(block, name, value)


def _has_alias(text: str) -> bool:
    """Whether the YAML ``text`` repeats a value by alias (``*name``), as a lesson's YAML may not either."""
    try:
        return any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return False  # not YAML at all: the field's own reading says so


def _set_settings(block: LeadManageBase, settings: dict[str, str], tag: object) -> None:
    """Set the editor's settings from their OLX text; each one the editor would refuse keeps its default."""
    submitted = {name: getattr(block, name) for name in STUDIO_SETTINGS}
    submitted.update({name: _editor_value(name, text) for name, text in settings.items()})
    values, problems = check_settings(submitted, block.gettext, block.language())
    refused = {problem["field"]: problem["message"] for problem in problems}
    for name, text in settings.items():
        if name in refused:
            default = block.fields[name].default
            log.warning(
                "<%s>: %s=%.80r is refused (%s): keeping the default %r", tag, name, text, refused[name], default
            )
        else:
            setattr(block, name, values[name])


def _editor_value(name: str, text: str) -> str | bool:
    """An OLX attribute as the editor sends it: text, except a checkbox's true or false."""
    if STUDIO_SETTINGS[name].control == "checkbox":
        return {"true": True, "false": False}.get(text.strip().lower(), text)
    return text
