"""The loader accepts good lessons and reports every problem of a bad one, with file, line and path."""

import dataclasses
import json

import pytest
from fixture_paths import CONTENT
from lesson_patches import DELETE, line_of, patched_builtin

from leadmanage_xblock.core.content import (
    ContentError,
    Lesson,
    lesson_schema,
    load_builtin_lesson,
    load_lesson,
    parse_lesson,
)


def every_option(correct: bool):
    """A patch for a scenario's options: each one marked ``correct`` (or not)."""
    return lambda options: [{**option, "correct": correct} for option in options]


#: Each rule, broken in the built-in lesson: the patch, then each problem as (where it points, what it says).
#: "Where" is a line of the generated YAML, or the lines to read down through to reach it (``line_of``).
BROKEN = {
    "unknown key": (
        {"dimensions[0].colour": "blue", "closing.call_to_act": DELETE, "closing.call_to_acts": "Act now."},
        [
            (
                "colour: blue",
                "dimensions[0].colour: unknown key 'colour' (allowed: id, leading, managing, question, self_check, "
                "takeaway, title)",
            ),
            ("closing:", "closing.call_to_act: required field is missing"),
            (
                "call_to_acts: Act now.",
                "closing.call_to_acts: unknown key 'call_to_acts' (did you mean 'call_to_act'?)",
            ),
        ],
    ),
    "missing field": (
        {"dimensions[0].takeaway": DELETE},
        [("id: goals", "dimensions[0].takeaway: required field is missing")],
    ),
    "wrong type": (
        {"duration_minutes": "ten", "introduction.objectives": "Learn one thing."},
        [
            ("duration_minutes: ten", "duration_minutes: expected a whole number, got text"),
            ("objectives: Learn one thing.", "introduction.objectives: expected a list, got text"),
        ],
    ),
    "duplicate id": (
        {"reflection.prompts[1].id": "roles_today"},
        [
            (
                ("reflection:", "id: roles_today", "id: roles_today"),
                "reflection.prompts[1].id: duplicate id 'roles_today'",
            )
        ],
    ),
    "unknown dimension": (
        {"quiz.scenarios[0].dimension": "vision"},
        [
            (
                "dimension: vision",
                "quiz.scenarios[0].dimension: names dimension 'vision', which the lesson does not define "
                "(dimensions: goals, approach, resources, people)",
            )
        ],
    ),
    "dimension without a scenario": (
        {"quiz.scenarios": lambda items: [item for item in items if item["dimension"] != "goals"]},
        [("id: goals", "dimensions[0]: dimension 'goals' has no scenario item")],
    ),
    "two correct": (
        {"quiz.scenarios[0].options": every_option(correct=True)},
        [
            (
                ("id: goals_s1", "options:"),
                "quiz.scenarios[0].options: needs exactly one option with 'correct: true' (found 3)",
            )
        ],
    ),
    "no correct": (
        {"quiz.scenarios[0].options": every_option(correct=False)},
        [
            (
                ("id: goals_s1", "options:"),
                "quiz.scenarios[0].options: needs exactly one option with 'correct: true' (found 0)",
            )
        ],
    ),
    "scale out of range": (
        {"quiz.ratings.scale.points": 4, "profile.balanced_within": 1.5},
        [
            ("points: 4", "quiz.ratings.scale.points: scale of 4 points is out of range: use 3, 5 or 7"),
            (
                "balanced_within: 1.5",
                "profile.balanced_within: 1.5 is out of range: must be more than 0 and less than 1",
            ),
        ],
    ),
    "unsupported version": (
        {"schema_version": 2},
        [("schema_version: 2", "schema_version: unsupported schema_version 2: this version of LeadManage reads 1")],
    ),
}


def problems_in(text: str) -> list[str]:
    """Every problem the loader finds in ``text``, as ``LINE: path: message``."""
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, "lesson.yaml")
    return [problem.removeprefix("lesson.yaml:") for problem in caught.value.problems]


def expected_in(text: str, expected: list[tuple[str | tuple[str, ...], str]]) -> list[str]:
    """``expected`` problems as ``LINE: path: message``, each line found in ``text``."""
    return [f"{line_of(text, *([where] if isinstance(where, str) else where))}: {said}" for where, said in expected]


def test_the_unpatched_builtin_lesson_dumps_to_a_valid_copy_of_itself():
    assert parse_lesson(patched_builtin({}), "lesson.yaml") == load_builtin_lesson()


@pytest.mark.parametrize(("patch", "expected"), BROKEN.values(), ids=BROKEN)
def test_each_rule_reports_its_exact_message_and_line(patch, expected):
    text = patched_builtin(patch)
    assert problems_in(text) == expected_in(text, expected)


def test_a_yaml_syntax_error_names_the_line_of_the_open_quote_and_of_the_end():
    """Written by hand: where the quote opens and where the file ends is the point, so the layout is fixed."""
    text = 'schema_version: 1\ntitle: "Goals: change vs stability\nid: goals\n'
    assert problems_in(text) == [
        "2: YAML syntax error while scanning a quoted scalar: found unexpected end of stream (line 4)"
    ]


def test_several_mistakes_are_all_reported_in_one_go_sorted_by_line():
    cases = [BROKEN[name] for name in ("unknown dimension", "duplicate id", "missing field", "wrong type")]
    text = patched_builtin({path: value for patch, _ in cases for path, value in patch.items()})
    expected = expected_in(text, [problem for _, problems in cases for problem in problems])
    assert problems_in(text) == sorted(expected, key=lambda problem: int(problem.split(":")[0]))
    assert len(expected) == 5


def test_duplicate_yaml_keys_are_reported():
    text = (
        (CONTENT / "minimal.yaml").read_text().replace("title: Minimal lesson", "title: Minimal lesson\ntitle: Again")
    )
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, "dup.yaml")
    assert caught.value.problems == ["dup.yaml:6: title: duplicate key"]


def test_ids_must_be_stable_identifiers():
    text = (CONTENT / "minimal.yaml").read_text().replace("id: goals_s1", "id: Goals S1")
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, "ids.yaml")
    assert caught.value.problems == [
        "ids.yaml:53: quiz.scenarios[0].id: 'Goals S1' is not a valid id: use lower-case letters, digits and _, "
        "start with a letter, at most 40"
    ]


def test_empty_and_non_mapping_files_are_refused():
    for text, message in [
        ("", "the file is empty: expected a lesson"),
        ("- a list\n", "expected a mapping of lesson keys at the top level"),
    ]:
        with pytest.raises(ContentError) as caught:
            parse_lesson(text, "x.yaml")
        assert caught.value.problems == [f"x.yaml:1: {message}"]


def test_unreadable_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="cannot read the file"):
        load_lesson(tmp_path / "nope.yaml")


def test_minimal_lesson_builds_the_model(minimal_lesson):
    assert isinstance(minimal_lesson, Lesson)
    assert minimal_lesson.dimensions[0].leading.behaviours == ("Paints a picture of the future.",)
    assert minimal_lesson.quiz.scenarios[0].correct_option.id == "a"
    assert minimal_lesson.profile.balanced_within == pytest.approx(0.34)
    assert minimal_lesson.reflection.prompts[0].hint == "Think of last week."
    assert minimal_lesson.action_plan.fields[0].hint == ""  # optional field takes its default
    with pytest.raises(dataclasses.FrozenInstanceError):
        minimal_lesson.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("language", ["en", "es"])
def test_builtin_lesson_meets_the_module_brief(language):
    lesson = load_builtin_lesson(language)
    assert lesson.language == language
    assert [d.id for d in lesson.dimensions] == ["goals", "approach", "resources", "people"]
    for dimension in lesson.dimensions:
        assert len(lesson.scenarios_for(dimension.id)) >= 3
        assert len(lesson.ratings_for(dimension.id)) >= 2
        assert dimension.leading.behaviours
        assert dimension.managing.behaviours
        assert dimension.takeaway
        lesson.guidance_for(dimension.id)
    assert all(len(s.options) >= 2 and all(o.explanation for o in s.options) for s in lesson.quiz.scenarios)
    assert lesson.quiz.ratings.scale.points == 5
    assert len(lesson.reflection.prompts) >= 3
    assert [p.id for p in lesson.balancing.practices] == ["context", "both_skills", "delegate"]
    assert lesson.facilitator.timings
    assert lesson.facilitator.discussion


def test_spanish_lesson_has_the_same_ids_as_english():
    english, spanish = load_builtin_lesson("en"), load_builtin_lesson("es")
    assert list(english.scenarios_by_id) == list(spanish.scenarios_by_id)
    assert list(english.ratings_by_id) == list(spanish.ratings_by_id)
    assert english.prompt_ids == spanish.prompt_ids
    assert english.action_plan_field_ids == spanish.action_plan_field_ids
    for en_item, es_item in zip(english.quiz.scenarios, spanish.quiz.scenarios, strict=True):
        assert [o.id for o in en_item.options] == [o.id for o in es_item.options]
        assert en_item.correct_option.id == es_item.correct_option.id


def test_schema_and_model_name_the_same_fields():
    """The JSON Schema is the single declaration; the dataclasses must mirror it exactly."""
    schema = lesson_schema()

    def resolve(node):
        return schema["$defs"][node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node

    def check(cls, node):
        node = resolve(node)
        assert set(node["properties"]) == {f.name for f in dataclasses.fields(cls)}, cls.__name__
        hints = {f.name: f.type for f in dataclasses.fields(cls)}
        for name, sub in node["properties"].items():
            sub = resolve(sub)
            hint = hints[name]
            inner = getattr(hint, "__args__", (None,))[0]
            if dataclasses.is_dataclass(hint):
                check(hint, sub)
            elif dataclasses.is_dataclass(inner):
                check(inner, sub["items"])

    check(Lesson, schema)
    json.dumps(schema)  # plain JSON, usable by editors


def test_yaml_aliases_are_refused_before_they_can_expand():
    """Nested aliases ("billion laughs") would expand a few hundred bytes into millions of nodes."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefg", "bcdefgh", strict=True)
    ]
    text = "schema_version: 1\n" + "\n".join(levels) + "\n"
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, "laughs.yaml")
    assert caught.value.problems[0] == (
        "laughs.yaml:3: b[0]: uses a YAML alias of the anchor on line 2: anchors and aliases are not allowed"
    )
    assert len(caught.value.problems) == 7 * 9


def test_an_id_of_the_wrong_type_is_reported_not_a_crash():
    text = (CONTENT / "minimal.yaml").read_text().replace("    - id: roles_today", "    - id: [roles_today]")
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, "ids.yaml")
    assert caught.value.problems == ["ids.yaml:92: reflection.prompts[0].id: expected text, got a list"]
