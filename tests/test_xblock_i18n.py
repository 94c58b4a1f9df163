"""Every interface string of the learner module goes through gettext, in the template and in lesson.js."""

import json
import re
from html.parser import HTMLParser

import jinja2
import pytest
from english_leftovers import author_strings

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.module_view import module_context
from leadmanage_xblock.core.rendering import static_text

LESSON = load_builtin_lesson()
OPEN, CLOSE = "⟪", "⟫"


def marking_environment() -> jinja2.Environment:
    """The templates with a "translation" that brackets every message, so untranslated text stands out."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leadmanage_templates", ""),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
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
    answers = {item.id: item.correct_option.id for item in LESSON.quiz.scenarios}
    ratings = {item.id: 2 for item in LESSON.quiz.ratings.items}
    from leadmanage_xblock.core.results import quiz_results

    results = quiz_results(LESSON, answers, ratings, attempts_left=2)
    context = module_context(LESSON, "lm-t-", state={"answers": answers, "ratings": ratings}, results=results)
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


def test_every_string_lesson_js_shows_is_in_the_translated_catalog(marked_html):
    catalog = json.loads(re.search(r'class="lm-strings">(.*?)</script>', marked_html).group(1))
    script = static_text("js/lesson.js")
    used = {literal for call in re.findall(r"ui\.t\(([^()]*)", script) for literal in re.findall(r'"([^"]+)"', call)}
    assert used, "the script's strings were found"
    assert sorted(used - set(catalog)) == []
    assert all(text.startswith(OPEN) for text in catalog.values())
