"""The shared Jinja2 environment escapes every template kind and refuses undefined names."""

import jinja2
import pytest

from leadmanage_xblock.core.rendering import make_environment


@pytest.mark.parametrize("name", ["partials/card.html.j2", "scorm/imsmanifest.xml.j2", "chart.svg.j2", "page.html"])
def test_templates_by_these_names_escape_author_text(name):
    env = make_environment().overlay(loader=jinja2.DictLoader({name: "{{ value }}"}))
    assert env.get_template(name).render(value="<b>\"&'") == "&lt;b&gt;&#34;&amp;&#39;"


def test_undefined_names_fail_loudly():
    with pytest.raises(jinja2.UndefinedError):
        make_environment().from_string("{{ missing }}").render()


def test_environment_is_built_once_per_language():
    assert make_environment() is make_environment("en")
    assert make_environment("es") is not make_environment("en")
