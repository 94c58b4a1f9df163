"""The learner view's weight, measured as docs/benchmarks.md measures it, and the markup rules that keep it light.

The weight is what a browser fetches for a new learner's view (``page_weight`` in bench/xblock_harness.py): the
block's HTML with its inline stylesheet and scripts as one file, gzip level 9, each script as the wheel ships it
(minified by build_templates.py; an editable install serves them as written). The markup tests keep repetition out
of the view: the page's script (lesson.js) makes what repeats, and tests/browser/ drives it.
"""

import gzip
import importlib.util
import re
from pathlib import Path

from fixture_paths import REPO
from xblock_runtime import html_of, make_block

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.runtime.assets import compact


def _load(path: Path):
    """A module of the checkout by its file (not through sys.path: the checkout must not shadow the installed one)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_templates = _load(REPO / "build_templates.py")
scaled_lesson_text = _load(REPO / "bench" / "scaled_lesson.py").scaled_lesson_text  # the benchmarks' 4x lesson

LESSON = load_builtin_lesson()
KB = 1024
#: Issue 12 item 9 asks for 20 KB; the view weighs 20.8 KB here (20.7 KB without this runtime's wrapper). What it is
#: made of, what was tried and what 20 KB would take are in docs/benchmarks.md: until the budget is met or changed,
#: this ceiling keeps the view from growing.
CEILING = 21 * KB


def _as_shipped() -> dict[str, str]:
    """Each learner-view script as the editable install serves it -> as the wheel serves it (minified)."""
    shipped = {}
    for name in build_templates.MINIFIED_SCRIPTS:
        package, _, rest = name.partition("/")
        source = (REPO / ("templates" if package == "leadmanage_templates" else package) / rest).read_text("utf-8")
        shipped[compact(source)] = compact(build_templates.minify_script(source))
    return shipped


AS_SHIPPED = _as_shipped()


def view_weight(block) -> int:
    """Gzip bytes of the block's learner view with its inline stylesheet and scripts, as the wheel serves them."""
    fragment = block.render("student_view")
    resources = [AS_SHIPPED.get(resource.data, resource.data) for resource in fragment.resources]
    assert all(resource.kind == "text" for resource in fragment.resources), "nothing linked: all is in the page"
    return len(gzip.compress((fragment.body_html() + "".join(resources)).encode("utf-8"), 9))


def test_the_built_in_lesson_view_stays_under_its_ceiling():
    assert view_weight(make_block()) <= CEILING


def test_a_lesson_four_times_as_long_costs_its_text_not_more_markup():
    """Four times the dimensions, items, prompts and fields weigh under 1.2 times the built-in lesson's view.

    The page's markup and scripts do not grow with the lesson, only its text (docs/benchmarks.md gives the numbers).
    """
    assert view_weight(make_block(lesson_yaml=scaled_lesson_text(4))) < 1.2 * view_weight(make_block())


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


def test_the_script_makes_the_character_counters():
    """A counter per field, read out with it, is lesson.js's to add: without script nothing counts as one types."""
    html = html_of(make_block())
    assert "lm-counter" not in html
    assert "-count" not in html
    assert html.count("maxlength=") == len(LESSON.prompt_ids) + len(LESSON.action_plan_field_ids), "the limits stay"


def test_the_profile_chart_is_sent_once_as_the_table_column_it_draws():
    """The profile chart is the profile table's lean column, which the stylesheet draws.

    No SVG figure beside a table that says the same (the printed workbook keeps its SVG chart).
    """
    html = html_of(make_block())
    assert "<svg" not in html
    assert html.count('class="lm-axis"') == 1
    assert html.count('class="lm-band"') == len(LESSON.dimensions)
