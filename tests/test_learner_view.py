"""What a learner sees: the whole path, no answer key before submitting, their own work, everything escaped.

The block runs in a real XBlock TestRuntime (tests/xblock_runtime.py); the page's scripts are tested in Chromium
under tests/browser/.
"""

import re

from fixture_paths import CONTENT
from xblock.field_data import DictFieldData
from xblock_runtime import block_for, call, html_of, learner_data, make_block, reflection, state_of, submission

from leadmanage_xblock.core.content import load_builtin_lesson

LESSON = load_builtin_lesson()
SCENARIOS = LESSON.quiz.scenarios
RATINGS = LESSON.quiz.ratings.items


def test_view_shows_the_whole_path_with_labelled_items():
    html = html_of(make_block())
    assert LESSON.introduction.title in html
    for dimension in LESSON.dimensions:
        assert dimension.takeaway in html
        assert dimension.leading.label in html
        assert dimension.managing.label in html
    assert html.count('<fieldset class="lm-item lm-scenario"') == len(SCENARIOS)
    assert html.count('<fieldset class="lm-item lm-rating"') == len(RATINGS)
    assert html.count("<textarea") == len(LESSON.prompt_ids) + len(LESSON.action_plan_field_ids)
    assert 'role="status"' in html
    assert "lm-profile-table" in html
    assert 'class="lm-axis"' in html, "the profile chart: the table's lean column, with its axis"


def test_view_gives_no_answer_key_before_submitting():
    html = html_of(make_block())
    assert "data-correct" not in html
    for option in SCENARIOS[0].options:
        assert option.explanation not in html


def test_two_blocks_get_different_dom_prefixes():
    first, second = html_of(make_block(usage_id="a")), html_of(make_block(usage_id="b"))
    prefix = re.search(r'data-prefix="([^"]+)"', first).group(1)
    assert prefix not in second
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids)), "every id is unique within a block"
    assert all(i.startswith(prefix) for i in ids)


def test_markup_is_shared_and_the_learner_data_carries_the_rest():
    data = DictFieldData({})
    call(make_block(data), "save_text", {"kind": "reflection", "values": {"roles_today": "only mine"}})
    mine, fresh = html_of(make_block(data)), html_of(make_block(DictFieldData({})))
    strip = re.compile(r'<script type="application/json" class="lm-learner-data">.*?</script>')
    assert strip.sub("", mine) == strip.sub("", fresh)
    assert mine.count("only mine") == 1, "the text is sent once, in the learner data"
    assert learner_data(make_block(DictFieldData({})))["results"] is None


def test_author_and_learner_text_is_escaped():
    yaml_text = (CONTENT / "need_escaped.yaml").read_text(encoding="utf-8")
    data = DictFieldData({"lesson_yaml": yaml_text})
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    call(make_block(data), "save_text", {"kind": "reflection", "values": {"roles_today": hostile}})
    html = html_of(make_block(data))
    assert "<script>alert" not in html
    assert "<b>bold" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    own = make_block(data).student_view().content
    json_scripts = own.count('<script type="application/json"')
    assert own.count("</script>") == json_scripts, "only our JSON scripts end: nothing learner-written closes one"
    assert learner_data(make_block(data))["state"]["reflection"]["roles_today"] == hostile


def test_broken_lesson_yaml_shows_its_problems_to_staff_and_a_notice_to_learners():
    html = html_of(block_for("staff1", staff=True, lesson_yaml="schema_version: 1\nid: x\n"))
    assert "lesson content has problems" in html
    assert "required field is missing" in html
    learner = html_of(make_block(lesson_yaml="schema_version: 1\nid: x\n"))
    assert "being updated by the course team" in learner
    assert "required field" not in learner, "learners are not shown the YAML's problems"


def test_anonymous_learner_sees_the_module_and_nothing_is_saved():
    data = DictFieldData({})
    block = make_block(data, user_id=None)
    assert "Preview: your answers and texts are not saved." in html_of(block)
    before = state_of(data)
    status, body = call(block, "save_text", reflection(10))
    assert status == 403
    assert "sign in" in body["error"]
    assert call(make_block(data, user_id=None), "submit_quiz", submission())[0] == 403
    assert state_of(data) == before


def test_studio_preview_renders_and_saves_nothing():
    data = DictFieldData({})
    block = make_block(data)
    block.runtime.is_author_mode = True
    assert "Preview: your answers and texts are not saved." in html_of(block)
    before = state_of(data)
    status, _ = call(block, "save_text", reflection(5))
    assert status == 403
    assert state_of(data) == before


def test_spanish_learners_get_the_spanish_lesson(monkeypatch):
    from leadmanage_xblock.runtime.block import LeadManageXBlock

    monkeypatch.setattr(LeadManageXBlock, "language", lambda self: "es")
    spanish = load_builtin_lesson("es")
    html = html_of(make_block())
    assert spanish.introduction.title in html
    assert 'lang="es"' in html
    assert LESSON.introduction.title not in html


def test_workbench_scenarios_name_the_block():
    from leadmanage_xblock.runtime.block import LeadManageXBlock

    scenarios = dict(LeadManageXBlock.workbench_scenarios())
    assert set(scenarios) == {"Default", "Two blocks on one page", "Custom settings", "Past due"}
    assert scenarios["Two blocks on one page"].count("<leadmanage ") == 2
