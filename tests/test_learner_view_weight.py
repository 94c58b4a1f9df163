"""The learner view sends nothing twice that the page's script can repeat: it stays within 20 KB gzip.

Every self-rating had its own copy of the same scale of radios, every radio repeated its item's id twice and every
panel a "Next:" link the menu already holds; docs/benchmarks.md measures the weight, these tests keep the markup
from growing back. The page's script (lesson.js) rebuilds each of them: tests/browser/ drives it.
"""

import re

from xblock_runtime import html_of, make_block

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()


def test_the_rating_scale_is_sent_once_for_every_item():
    html = html_of(make_block())
    options = sum(len(item.options) for item in LESSON.quiz.scenarios)
    assert html.count('class="lm-scale-points"') == 1
    assert html.count('type="radio"') == options + LESSON.quiz.ratings.scale.points
    assert html.count('<ol class="lm-scale" role="list"></ol>') == len(LESSON.quiz.ratings.items)


def test_radios_carry_only_their_value_and_the_script_names_them():
    radios = re.findall(r"<input [^>]*>", html_of(make_block()))
    assert radios
    assert all(re.fullmatch(r'<input type="radio" value="\w+">', radio) for radio in radios)


def test_the_next_links_come_from_the_menu_not_the_markup():
    html = html_of(make_block())
    assert html.count("data-go=") == len(LESSON.dimensions) + 7 + 1  # the menu's sections, and "See your profile"
    assert "lm-step-next" not in html
