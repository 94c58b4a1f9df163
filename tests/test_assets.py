"""The block's CSS and JavaScript as the page gets them: shared, from this host only, compacted without loss."""

import re
import subprocess

import pytest
from xblock_runtime import make_block


def test_fragment_carries_shared_css_and_js_and_one_init_function():
    fragment = make_block().student_view()
    assert fragment.js_init_fn == "LeadManageXBlock"
    assert any("LeadManage.start" in r.data for r in fragment.resources if r.kind == "text")
    assert any(".lm-module" in r.data for r in fragment.resources if r.mimetype == "text/css")
    assert not any(r.kind == "url" and "//" in r.data for r in fragment.resources), "nothing from another host"


@pytest.mark.parametrize("name", ["js/lesson.js", "css/lesson.css"])
def test_served_assets_lose_only_comments_and_indentation(name):
    from leadmanage_xblock.core.rendering import static_text
    from leadmanage_xblock.runtime.assets import compact_asset

    source, served = static_text(name), compact_asset(name)
    # A wheel ships lesson.js minified already (build_templates.py): then nothing is left to compact.
    assert len(served) < len(source) or served == source
    comments, spaces = re.compile(r"/\*.*?\*/|^[ \t]*//[^\n]*$", re.S | re.M), re.compile(r"\s+")
    code = [spaces.sub("", comments.sub("", text)) for text in (served, source)]
    assert code[0] == code[1], "nothing but comments and whitespace went"


def test_served_script_still_parses():
    from leadmanage_xblock.runtime.assets import compact_asset

    checked = subprocess.run(["node", "--check"], input=compact_asset("js/lesson.js"), text=True, capture_output=True)
    assert checked.returncode == 0, checked.stderr


def test_css_compaction_keeps_the_spaces_inside_quoted_strings():
    from leadmanage_xblock.runtime.assets import _CSS_PUNCTUATION

    css = '.a { content: "Note: one, two; three" ; }\n.b::after { content: \'x ; y\' / ""; }'
    compacted = _CSS_PUNCTUATION.sub(lambda m: m.group(1) or m.group(2) or "", css)
    assert compacted == '.a{content:"Note: one, two; three";}.b::after{content:\'x ; y\' / "";}'
