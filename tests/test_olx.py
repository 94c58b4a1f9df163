"""OLX round trip: a small course unit embedding the block, parsed and exported by the XBlock runtime."""

import io
import logging

import pytest
from fixture_paths import CONTENT
from lxml import etree
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, NullI18nService
from xblock.test.tools import TestRuntime

from leadmanage_xblock.runtime.block import LeadManageXBlock

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


DEEP = "[" * 5000
#: 240 bytes of YAML that name one list many times over: stored as JSON, three more levels are gigabytes.
ALIASES = "[&a [x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a], [*b, *b, *b, *b, *b, *b, *b, *b]]"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("weight", "abc"),
        ("weight", "1e400"),
        ("weight", "-0.5"),
        ("weight", "500"),
        ("pass_threshold", "200"),
        ("pass_threshold", "80.5"),
        ("pass_threshold", "eighty"),
        ("max_attempts", "-1"),
        ("max_attempts", "1000"),
        ("max_attempts", DEEP),
        ("min_reflection_length", "-5"),
        ("min_reflection_length", "9000"),  # the built-in lesson's 4 prompts hold 4 × 2000 characters
        ("show_explanations", "maybe"),
        ("show_explanations", "1"),
        ("display_name", " \t "),
        ("due", "not a date"),
        ("due", "!!python/object/apply:os.system [echo]"),
        ("due", DEEP),
        ("tags", ALIASES),
    ],
)
def test_a_malformed_or_refused_setting_keeps_its_default_with_a_warning_and_the_import_goes_on(name, value, caplog):
    other = "max_attempts" if name == "weight" else "weight"
    element = etree.Element("leadmanage", {name: value, other: "2"})
    runtime = OlxRuntime()
    with caplog.at_level(logging.WARNING):
        block = our_block(runtime, runtime.parse_xml_string(unit_olx(etree.tostring(element, encoding="unicode"))))
    assert getattr(block, name) == block.fields[name].default
    assert getattr(block, other) == 2, "the element's other settings are kept"
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert f"{name}={value!r}"[: len(name) + 81] in caplog.text  # the value, cut at 80 characters
    assert "keeping the default" in caplog.text


def test_settings_from_olx_are_cleaned_like_the_editor_cleans_them():
    olx = unit_olx(
        '<leadmanage display_name="  Leading&#127; &#10; vs&#x9f;&#xFDD0; managing " show_explanations="False"/>'
    )
    runtime = OlxRuntime()
    block = our_block(runtime, runtime.parse_xml_string(olx))
    assert (block.display_name, block.show_explanations) == ("Leading vs managing", False)


MINIMAL = (CONTENT / "minimal.yaml").read_text(encoding="utf-8")
HEAD, TAIL = MINIMAL.split("dimensions:\n", 1)


@pytest.mark.parametrize(
    "inside",
    [
        f"<!-- exported by hand --><![CDATA[{MINIMAL}]]>",
        f"<![CDATA[{HEAD}]]><!-- the dimensions follow --><![CDATA[dimensions:\n{TAIL}]]>",
        f"<![CDATA[{HEAD}]]><?editor keep?><![CDATA[dimensions:\n{TAIL}]]>",
        f"<![CDATA[{MINIMAL}]]><!-- end of the lesson -->",
        f"<!--a--><![CDATA[{HEAD}]]><!--b-->dimensions:\n<!--c--><![CDATA[{TAIL}]]><!--d-->",
    ],
    ids=["comment at the start", "comment in the middle", "processing instruction", "comment at the end", "many"],
)
def test_a_comment_inside_lesson_never_truncates_the_yaml(inside):
    runtime = OlxRuntime()
    block = our_block(
        runtime, runtime.parse_xml_string(unit_olx(f"<leadmanage><lesson>{inside}</lesson></leadmanage>"))
    )
    assert block.lesson_yaml == MINIMAL
    assert block.lesson().id == "minimal"


def test_a_stored_lesson_with_characters_xml_cannot_carry_still_exports():
    """Field data written before any check (an old database row) may hold them; the String field strips them."""
    runtime = OlxRuntime()
    block = our_block(runtime, runtime.parse_xml_string(unit_olx("<leadmanage/>")))
    unstorable = "\x00\x0b\x1f\ud800\ufffe\uffff"
    block._field_data.set(block, "lesson_yaml", MINIMAL.replace("Minimal lesson", f"Minimal{unstorable} lesson"))  # noqa: SLF001
    block._field_data.set(block, "display_name", f"Mine{unstorable}")  # noqa: SLF001
    exported = runtime.export(block.scope_ids.usage_id)
    again = OlxRuntime()
    imported = again.get_block(again.parse_xml_string(exported))
    assert imported.display_name == "Mine"
    assert imported.lesson().title == "Minimal lesson"
