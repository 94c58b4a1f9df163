"""OLX round trip: a small course unit embedding the block, parsed and exported by the XBlock runtime."""

import io
import logging

import pytest
from fixture_paths import CONTENT
from lxml import etree
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, NullI18nService
from xblock.test.tools import TestRuntime

from leadmanage_xblock.block import LeadManageXBlock

ESCAPED = (CONTENT / "need_escaped.yaml").read_text(encoding="utf-8")
SETTINGS = {
    "display_name": 'Leading & managing <at> "Acme"',
    "weight": 2.5,
    "pass_threshold": 85,
    "max_attempts": 2,
    "show_explanations": False,
    "min_reflection_length": 250,
}


class OlxRuntime(TestRuntime):
    """A runtime with its own in-memory store, able to parse and export OLX."""

    def __init__(self, user_id=None):
        ids = MemoryIdManager()
        self.store = DictKeyValueStore()
        services = {"field-data": KvsFieldData(self.store), "i18n": NullI18nService()}
        super().__init__(id_reader=ids, id_generator=ids, services=services)
        self.user_id = user_id

    def export(self, usage_id) -> bytes:
        """The block's OLX file, as the runtime writes it (UTF-8, with an XML declaration)."""
        output = io.BytesIO()
        self.export_to_xml(self.get_block(usage_id), output)
        return output.getvalue()


def unit_olx(block_xml: str) -> str:
    """A course unit as Open edX exports one: some HTML, then our block."""
    return f"<vertical_demo><html_demo><p>Before the module.</p></html_demo>{block_xml}</vertical_demo>"


def our_block(runtime: OlxRuntime, unit_id) -> LeadManageXBlock:
    unit = runtime.get_block(unit_id)
    return next(child for child in map(runtime.get_block, unit.children) if isinstance(child, LeadManageXBlock))


def authored(block) -> dict:
    return {name: getattr(block, name) for name in [*SETTINGS, "lesson_yaml"]}


def test_settings_and_custom_lesson_survive_import_export_import():
    runtime = OlxRuntime()
    attributes = " ".join(f'{name}="{value}"' for name, value in SETTINGS.items())
    attributes = attributes.replace("&", "&amp;").replace("<", "&lt;").replace('"Acme"', "&quot;Acme&quot;")
    attributes = attributes.replace('"False"', '"false"')
    lesson = ESCAPED.replace("]]>", "]]]]><![CDATA[>")
    unit_id = runtime.parse_xml_string(
        unit_olx(f"<leadmanage {attributes}><lesson><![CDATA[{lesson}]]></lesson></leadmanage>")
    )
    first = our_block(runtime, unit_id)
    assert authored(first) == {**SETTINGS, "lesson_yaml": ESCAPED}

    exported = runtime.export(unit_id)
    element = etree.fromstring(exported).find("leadmanage")
    assert element.find("lesson").text == ESCAPED, "the YAML is the <lesson> element's text, line for line"
    assert "lesson_yaml" not in element.attrib

    again = OlxRuntime()
    second = our_block(again, again.parse_xml_string(exported))
    assert authored(second) == authored(first)
    assert second.lesson().title == first.lesson().title


def test_builtin_lesson_exports_no_lesson_element_and_stays_builtin():
    runtime = OlxRuntime()
    unit_id = runtime.parse_xml_string(unit_olx('<leadmanage display_name="Built in"/>'))
    exported = runtime.export(unit_id)
    element = etree.fromstring(exported).find("leadmanage")
    assert element.find("lesson") is None
    assert element.get("display_name") == "Built in"
    again = OlxRuntime()
    block = our_block(again, again.parse_xml_string(exported))
    assert block.lesson_yaml == ""
    assert block.lesson().id == "leading_vs_managing"


def test_a_lesson_attribute_from_older_olx_is_read():
    runtime = OlxRuntime()
    yaml = (CONTENT / "minimal.yaml").read_text(encoding="utf-8")
    element = etree.Element("leadmanage", lesson_yaml=yaml)
    block = our_block(runtime, runtime.parse_xml_string(unit_olx(etree.tostring(element, encoding="unicode"))))
    assert block.lesson().id == "minimal"


def test_exports_carry_no_learner_state():
    runtime = OlxRuntime()
    unit_id = runtime.parse_xml_string(unit_olx('<leadmanage display_name="Mine"/>'))
    usage_id = our_block(runtime, unit_id).scope_ids.usage_id
    runtime.user_id = "ana"
    learner = runtime.get_block(usage_id)
    learner.answers, learner.reflection, learner.attempts = {"goals_s1": "b"}, {"roles_today": "private words"}, 1
    learner.completed = True
    learner.save()
    exported = runtime.export(usage_id).decode("utf-8")
    for name in ["answers", "reflection", "attempts", "completed", "private words", "goals_s1"]:
        assert name not in exported
    assert 'display_name="Mine"' in exported


def test_learner_state_in_olx_is_ignored_with_a_warning(caplog):
    runtime = OlxRuntime()
    olx = unit_olx('<leadmanage url_name="lm1" attempts="5" answers=\'{"goals_s1": "b"}\' display_name="X"/>')
    with caplog.at_level(logging.WARNING):
        block = our_block(runtime, runtime.parse_xml_string(olx))
    keys = ScopeIds("ana", "leadmanage", block.scope_ids.def_id, block.scope_ids.usage_id)
    learner = LeadManageXBlock(runtime, scope_ids=keys)
    assert (learner.attempts, learner.answers) == (0, {})
    assert block.display_name == "X"
    assert "'attempts'" in caplog.text
    assert "'answers'" in caplog.text
    assert "url_name" not in caplog.text


@pytest.mark.parametrize("bad", ['weight="heavy"', 'pass_threshold="eighty"'])
def test_a_malformed_setting_fails_the_import_loudly(bad):
    with pytest.raises(ValueError):  # noqa: PT011 (the field's own message varies by type)
        OlxRuntime().parse_xml_string(unit_olx(f"<leadmanage {bad}/>"))
