"""Every interface string of the learner module goes through gettext, in the template and in lesson.js."""

import json
import re
from html.parser import HTMLParser

import jinja2
import pytest
from english_leftovers import author_strings

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.module_view import LEARNER_SCRIPTS, module_context, module_html
from leadmanage_xblock.core.rendering import new_environment, static_text
from leadmanage_xblock.core.ui_strings import strings_in

LESSON = load_builtin_lesson()
OPEN, CLOSE = "⟪", "⟫"


def marking_environment() -> jinja2.Environment:
    """The templates with a "translation" that brackets every message, so untranslated text stands out."""
    env = new_environment(jinja2.PackageLoader("leadmanage_templates", ""))
    env.install_gettext_callables(
        lambda text: OPEN + text + CLOSE, lambda one, many, n: OPEN + (one if n == 1 else many) + CLOSE, newstyle=True
    )
    return env


class VisibleText(HTMLParser):
    """Text nodes and the attributes people hear or see, outside <script>."""

    def __init__(self):
        super().__init__()
        self.chunks, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        self.chunks += [value for name, value in attrs if name in ("aria-label", "title", "alt") and value]

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if not self.in_script and data.strip():
            self.chunks.append(data)


@pytest.fixture(scope="module")
def marked_html():
    context = module_context(LESSON, "lm-t-", strings={}, min_reflection=100)
    return marking_environment().get_template("module.html.j2").render(context)


def test_every_visible_interface_string_is_translatable(marked_html):
    parser = VisibleText()
    parser.feed(marked_html)
    content = sorted(set(author_strings(LESSON)), key=len, reverse=True)
    untranslated = []
    for chunk in parser.chunks:
        rest = re.sub(f"{OPEN}.*?{CLOSE}", "", chunk, flags=re.S)
        for text in content:
            rest = rest.replace(text, "")
        if re.sub(r"[\W\d_]+", "", rest.replace("A", "").replace("B", "").replace("C", "").replace("D", "")):
            untranslated.append(chunk.strip())
    assert untranslated == []


def test_the_page_sends_every_string_its_scripts_show_translated():
    shown = {key for name in LEARNER_SCRIPTS for key in strings_in(static_text(name))}
    assert len(shown) > 20, "the scripts' strings were found"
    page = module_html(load_builtin_lesson("es"), "lm-t-", language="es", min_reflection=0, notice="")
    sent = json.loads(re.search(r'class="lm-strings">(.*?)</script>', page).group(1))
    assert sorted(shown - set(sent)) == []
    assert all(sent[key] != key for key in sent)
    english = module_html(LESSON, "lm-t-", language="en", min_reflection=0, notice="")
    assert "lm-strings" not in english, "an English page needs no map: each key is its own text"
