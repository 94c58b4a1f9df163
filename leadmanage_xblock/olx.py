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

from lxml import etree
from xblock.fields import Scope

log = logging.getLogger(__name__)
LESSON_TAG = "lesson"
AUTHORED_SCOPES = (Scope.content, Scope.settings)
#: Attributes the platform puts on every block element; they are not fields of this block.
PLATFORM_ATTRIBUTES = frozenset({"url_name", "xblock-family"})


def authored_fields(block_class) -> dict:
    """The block's content and settings fields by name (never user state, never children)."""
    return {name: field for name, field in block_class.fields.items() if field.scope in AUTHORED_SCOPES}


class OlxMixin:
    """``parse_xml`` and ``add_xml_to_node`` for ``LeadManageXBlock``."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build a block from its OLX element: its authored attributes and the ``<lesson>`` text.

        Anything else (learner state, unknown attributes or children) is skipped with a warning, so one
        odd attribute never stops a course import and no OLX file can plant learner state.
        """
        block = runtime.construct_xblock_from_class(cls, keys)
        fields = authored_fields(cls)
        for name, value in node.items():
            if name in fields:
                setattr(block, name, fields[name].from_string(value))
            elif name not in PLATFORM_ATTRIBUTES:
                log.warning("<%s>: ignoring attribute %r (not an authored field)", node.tag, name)
        for child in node:
            if child.tag is etree.Comment:
                continue
            if etree.QName(child).localname == LESSON_TAG:
                block.lesson_yaml = child.text or ""
            else:
                log.warning("<%s>: ignoring child element <%s>", node.tag, child.tag)
        return block

    def add_xml_to_node(self, node) -> None:
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
