"""The SCORM page's scripts in Node: the same scores as Python, SCORM time formats, the suspend_data codec."""

import json
import random
import shutil
import subprocess
from importlib.resources import files

import pytest
from fixture_paths import REPO
from leadmanage_exporters.scorm import answer_key

from leadmanage_xblock.core.learner_work import LearnerWork
from leadmanage_xblock.core.results import quiz_results

NODE = shutil.which("node")
JS = files("leadmanage_templates").joinpath("static", "js")


def run_node(script: str, payload) -> object:
    """Run ``script`` (which reads ``input`` and prints JSON) with our scripts loaded as CommonJS."""
    assert NODE, "node is missing: run `make setup` (Debian nodejs)"
    prelude = "".join(
        f"const {name} = require({json.dumps(str(JS.joinpath(file)))});\n"
        for name, file in [
            ("Scoring", "scoring.js"),
            ("Api", "scorm_api.js"),
            ("State", "scorm_state.js"),
        ]
    )
    program = prelude + f"const input = {json.dumps(payload)};\nconsole.log(JSON.stringify({script}));\n"
    done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def random_learners(lesson, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    points = lesson.quiz.ratings.scale.points
    learners = []
    for _ in range(count):
        answers = {i.id: rng.choice(i.options).id for i in lesson.quiz.scenarios if rng.random() < 0.9}
        ratings = {i.id: rng.randint(1, points) for i in lesson.quiz.ratings.items if rng.random() < 0.8}
        learners.append({"answers": answers, "ratings": ratings, "threshold": rng.choice([0, 50, 80, 100])})
    return learners


@pytest.mark.parametrize("lesson_name", ["builtin_lesson", "minimal_lesson"])
def test_results_in_the_browser_equal_the_python_results(request, lesson_name):
    lesson = request.getfixturevalue(lesson_name)
    learners = random_learners(lesson, 150, seed=4)
    learners.append({"answers": {}, "ratings": {}, "threshold": 80})
    script = "input.learners.map(l => Scoring.results(input.key, l.answers, l.ratings, l.threshold))"
    in_js = run_node(script, {"key": answer_key(lesson), "learners": learners})
    in_python = [
        quiz_results(
            lesson,
            LearnerWork(answers=learner["answers"], ratings=learner["ratings"]),
            pass_threshold=learner["threshold"],
        ).to_json()
        for learner in learners
    ]
    assert in_js == in_python


def test_rounding_follows_python_on_exact_ties():
    values = [0.125, 0.375, -0.375, 2.675, 1.005, 0.5, 2.5, -0.125, 0.3333333333333333]
    rounded = run_node("input.map(v => [Scoring.pyRound(v, 2), Scoring.pyRound(v, 0)])", values)
    assert rounded == [[round(v, 2), float(round(v, 0))] for v in values]


def test_session_times_use_each_versions_format():
    cases = [0, 5, 1250, 65_250, 3_600_000, 3_661_010, 360_000_000]
    got = run_node("input.map(ms => [Api.sessionTime12(ms), Api.sessionTime2004(ms)])", cases)
    assert got == [
        ["0000:00:00.00", "PT0S"],
        ["0000:00:00.01", "PT0.01S"],
        ["0000:00:01.25", "PT1.25S"],
        ["0000:01:05.25", "PT1M5.25S"],
        ["0001:00:00.00", "PT1H"],
        ["0001:01:01.01", "PT1H1M1.01S"],
        ["0100:00:00.00", "PT100H"],
    ]


def test_suspend_data_is_ascii_and_gives_back_every_character():
    state = {
        "answers": {"goals_s1": "b"},
        "ratings": {"goals_r1": 5},
        "reflection": {"roles_today": "Emoji 😀🎯, quotes \"x\" 'y', <b>&amp;</b>\nnew line\r\ttab \\ end"},
        "action_plan": {"first_step": "Über — ✓", "by_when": ""},
        "submitted": True,
        "location": "dim-goals",
    }
    encoded, decoded = run_node("[State.encode(input), State.decode(State.encode(input))]", state)
    assert encoded.isascii()
    assert json.loads(encoded)["v"] == 1
    assert decoded == {**state, "action_plan": {"first_step": "Über — ✓"}}  # empty texts cost nothing and mean nothing


def test_remaining_counts_stored_characters_not_letters():
    empty = {"answers": {}, "ratings": {}, "reflection": {}, "action_plan": {}, "submitted": False}
    left = run_node(
        "[State.remaining(input, 4096), State.remaining(State.withTexts(input, 'reflection', {a: '😀'}), 4096),"
        " State.remaining(State.withTexts(input, 'reflection', {a: 'x'}), 4096)]",
        empty,
    )
    assert left[0] - left[2] == len('"a":"x"')
    assert left[2] - left[1] == len("\\ud83d\\ude00") - 1  # an emoji is stored as two escapes


def test_empty_suspend_data_is_a_first_visit():
    assert run_node("State.decode(input)", "") is None


@pytest.mark.parametrize("text", ["not json", '{"v":2,"a":{}}', "[1,2]", "null", '{"v":1,"a":{"x":"a"', '"text"'])
def test_unreadable_suspend_data_is_told_apart_from_a_first_visit(text):
    """Cut short, foreign or newer: the page must keep it untouched, not take it for a first visit."""
    assert run_node("State.decode(input) === undefined", text) is True


def test_budget_keeps_room_for_the_quiz_answered_after_the_texts(builtin_lesson):
    # Fill the reflection up to the last character the 1.2 budget allows, then answer the whole quiz
    # with the longest answers: the stored state must still fit.
    script = """(() => {
      const key = input.key, empty = {answers: {}, ratings: {}, reflection: {}, action_plan: {}, submitted: false};
      const room = State.remaining(empty, 4096, key);
      let state = State.withTexts(empty, 'reflection', {roles_today: '"'.repeat(Math.floor((room - 20) / 2))});
      const left = State.remaining(state, 4096, key);
      key.scenarios.forEach(item => { state.answers[item.id] = item.options[item.options.length - 1]; });
      key.ratings.forEach(item => { state.ratings[item.id] = key.points; });
      state.submitted = true;
      return [left, State.encode(state).length];
    })()"""
    left, stored = run_node(script, {"key": answer_key(builtin_lesson)})
    assert 0 <= left < 30
    assert stored <= 4096


SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist"


def run_with_runtime(version: str, script: str, payload) -> object:
    """Run ``script`` with scorm-again's real runtime (no DOM needed) as ``lms``, and our Tracker."""
    bundle = SCORM_AGAIN / ("scorm12.js" if version == "1.2" else "scorm2004.js")
    assert bundle.exists(), "scorm-again is missing: run `make setup` (npm ci)"
    setup = (
        f"require('vm').runInThisContext(require('fs').readFileSync({json.dumps(str(bundle))}, 'utf8'));\n"
        f"const Tracking = require({json.dumps(str(JS.joinpath('scorm_tracking.js')))});\n"
        f"const lms = new {'Scorm12API' if version == '1.2' else 'Scorm2004API'}({{logLevel: 5}});\n"
    )
    return run_node(f"(() => {{ {setup} {script} }})()", payload)


@pytest.mark.parametrize("passing", ["0.8", "0.7", "0.35", "0.58"])
def test_an_lms_pass_mark_is_read_exactly(builtin_lesson, passing):
    script = """
      lms.loadFromJSON({scaled_passing_score: input.passing}, "");
      const conn = new Api.Connection(lms, "2004");
      const tracker = new Tracking.Tracker(conn, {version: "2004", mastery: 50, key: input.key, interactions: {}});
      tracker.open();
      return tracker.mastery();"""
    got = run_with_runtime("2004", script, {"passing": passing, "key": answer_key(builtin_lesson)})
    assert got == int(passing[2:].ljust(2, "0"))  # 0.8 -> 80, not 80.00000000000001


@pytest.mark.parametrize(("version", "given"), [("1.2", "-50"), ("1.2", "150"), ("2004", "7"), ("2004", "-0.5")])
def test_a_pass_mark_the_lms_gives_outside_0_to_100_percent_leaves_the_package_s(builtin_lesson, version, given):
    """-50 % would pass every learner, 700 % none: the LMS's mistake, so the package's own pass mark stands."""
    script = """(() => {
      const Tracking = require(input.tracking);
      const value = (element) => /mastery_score|scaled_passing_score/.test(element) ? input.given : "";
      const lms = {LMSInitialize: () => "true", Initialize: () => "true", LMSGetValue: value, GetValue: value,
        LMSGetLastError: () => "0", GetLastError: () => "0"};
      const conn = new Api.Connection(lms, input.version);
      const config = {version: input.version, mastery: 70, key: input.key, interactions: {}};
      const tracker = new Tracking.Tracker(conn, config);
      tracker.open();
      return tracker.mastery();
    })()"""
    tracking = str(JS.joinpath("scorm_tracking.js"))
    payload = {"version": version, "given": given, "key": answer_key(builtin_lesson), "tracking": tracking}
    assert run_node(script, payload) == 70


def test_saved_work_of_the_wrong_types_is_read_as_far_as_it_is_work():
    """A rating of "abc" or an object is no rating (the results would show NaN); a text must be text."""
    text = '{"v":1,"a":{"s1":"a","s2":3},"r":{"r1":"abc","r2":{"x":1},"r3":4},"t":{"p":"kept","q":[1]},"p":7,"l":5}'
    assert run_node("State.decode(input)", text) == {
        "answers": {"s1": "a"},
        "ratings": {"r3": 4},
        "reflection": {"p": "kept"},
        "action_plan": {},
        "submitted": False,
        "location": "",
    }


def keep(accepted: str, edited: str, caret: int, room: int) -> dict:
    """``State.keepWhatFits`` with a limit of ``room`` UTF-16 code units on the whole value."""
    script = "State.keepWhatFits(input.accepted, input.edited, input.caret, (text) => text.length <= input.room)"
    return run_node(script, {"accepted": accepted, "edited": edited, "caret": caret, "room": room})


def test_a_paste_that_does_not_fit_keeps_its_beginning_and_the_text_around_it():
    got = keep("Start. End.", "Start. 0123456789End.", 17, 15)
    assert got == {"value": "Start. 0123End.", "caret": 11, "kept": 4, "added": 10}


def test_a_paste_into_an_empty_field_keeps_what_fits_and_one_that_fits_is_kept_whole():
    assert keep("", "x" * 50, 50, 20) == {"value": "x" * 20, "caret": 20, "kept": 20, "added": 50}
    assert keep("ab", "abcd", 4, 20) == {"value": "abcd", "caret": 4, "kept": 2, "added": 2}


def test_a_cut_never_splits_an_emoji_and_counts_it_as_one_character():
    got = keep("", "😀😀😀", 6, 5)  # room for two and a half emoji in UTF-16 units
    assert got == {"value": "😀😀", "caret": 4, "kept": 2, "added": 3}
    replaced = keep("ab😀", "ab😃", 4, 3)  # same first surrogate: the new emoji is the addition, whole or not at all
    assert replaced["value"] == "ab"
    assert replaced["added"] == 1


def test_repeated_letters_are_placed_where_the_caret_says_they_were_typed():
    got = keep("aaa", "aaaaaa", 3, 4)  # three "a" typed at the start (caret 3), room for one
    assert got == {"value": "aaaa", "caret": 1, "kept": 1, "added": 3}


def test_nothing_fits_keeps_the_text_as_it_was():
    assert keep("full", "fullmore", 8, 4) == {"value": "full", "caret": 4, "kept": 0, "added": 4}


SAVED = {
    "answers": {"goals_s1": "a", "goals_s2": "b"},
    "ratings": {"goals_r1": 2},
    "reflection": {"roles_today": "Saved last week.", "shift_focus": "Also saved."},
    "action_plan": {"first_step": "Saved plan"},
    "submitted": True,
    "location": "quiz",
}


def merge(page: dict, room: int = 10_000) -> dict:
    """``State.merge(SAVED, page)`` where a state fits while its encoding is at most ``room`` characters."""
    empty = {"answers": {}, "ratings": {}, "reflection": {}, "action_plan": {}, "submitted": False, "location": ""}
    script = "State.merge(input.saved, input.page, (state) => State.encode(state).length <= input.room)"
    return run_node(script, {"saved": SAVED, "page": {**empty, **page}, "room": room})


def test_work_done_before_the_lms_was_found_is_merged_with_its_copy_and_nothing_saved_is_lost():
    merged = merge(
        {
            "answers": {"goals_s2": "c", "goals_s3": "a"},
            "reflection": {"roles_today": "Typed meanwhile.", "shift_focus": "Also saved.", "context_next": "New"},
            "action_plan": {"first_step": ""},
            "location": "reflection",
        }
    )
    assert merged == {
        "answers": {"goals_s1": "a", "goals_s2": "c", "goals_s3": "a"},  # the newer choice wins
        "ratings": {"goals_r1": 2},
        "reflection": {
            "roles_today": "Saved last week.\n\nTyped meanwhile.",  # both, the saved text first
            "shift_focus": "Also saved.",  # the same text is not repeated
            "context_next": "New",
        },
        "action_plan": {"first_step": "Saved plan"},  # an empty field never wipes a saved one
        "submitted": True,
        "location": "reflection",
    }
    assert merge({})["location"] == "quiz"  # the learner did not move: back where they were


def test_a_merge_past_the_budget_cuts_only_what_was_typed_meanwhile():
    saved_length = run_node("State.encode(input).length", SAVED)
    merged = merge({"reflection": {"roles_today": "x" * 100}}, room=saved_length + 30)
    kept = merged["reflection"]["roles_today"]
    assert kept.startswith("Saved last week.\n\nxxx")
    assert len(kept) < len("Saved last week.\n\n") + 100
    assert merged["reflection"]["shift_focus"] == "Also saved."
    no_room = merge({"reflection": {"roles_today": "x" * 100}}, room=saved_length + 4)  # the line breaks, no "x"
    assert no_room["reflection"]["roles_today"] == "Saved last week."  # no line breaks left dangling
