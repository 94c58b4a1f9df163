"""Whatever an author pastes, imports or points the CLI at, the loader answers with problems and lines, never a crash.

Each class of hostile input from issue 10 (item 6) is a table here, plus a fuzz pass over any text.
"""

import os
import tempfile
import threading
from pathlib import Path

import pytest
import yaml
from fixture_paths import CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from leadmanage_exporters.cli import cli

from leadmanage_xblock.core.content import ContentError, Lesson, load_lesson, parse_lesson, yaml_events, yaml_source

MINIMAL = (CONTENT / "minimal.yaml").read_text(encoding="utf-8")
TITLE = "title: Minimal lesson"  # line 5 of minimal.yaml
KEYS = ": keys are names written as text, such as 'title'"
PASTED = ", often pasted from a word processor: delete it or retype the line"


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, "x.yaml")
    assert [problem.format("x.yaml") for problem in caught.value.found] == caught.value.problems
    return caught.value.problems


def minimal_with(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


@pytest.fixture(params=["libyaml", "pure Python"])
def loader(request, monkeypatch):
    """Both parsers the loader can use: libyaml when PyYAML has it, pure Python otherwise."""
    if request.param == "pure Python":
        monkeypatch.setattr(yaml_events, "_YAML_LOADER", yaml.SafeLoader)
    return request.param


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\x0b", "invisible control character U+000B"),  # Word's manual line break
        ("\x00", "invisible control character U+0000"),
        ("\x1b", "invisible control character U+001B"),
        ("\x7f", "invisible control character U+007F"),
        ("\x80", "invisible control character U+0080"),
        ("\x9f", "invisible control character U+009F"),
        ("\ud800", "invisible character U+D800"),  # half of a surrogate pair
        ("\udfff", "invisible character U+DFFF"),
        ("\ufffe", "invisible character U+FFFE"),
        ("\uffff", "invisible character U+FFFF"),
    ],
)
def test_a_character_yaml_cannot_read_is_reported_on_its_line(character, name, loader):
    assert problems(minimal_with(TITLE, f"title: Minimal{character} lesson")) == [f"x.yaml:5: {name}{PASTED}"]


def test_each_line_with_such_characters_is_reported_once_with_every_other_problem():
    text = minimal_with(TITLE, "title: A\x0bB\x0bC\x00").replace("id: goals_s1", "id: Goals\x0c S1", 1)
    assert problems(text) == [
        "x.yaml:5: invisible control characters U+000B, U+0000, often pasted from a word processor: delete them "
        "or retype the line",
        "x.yaml:53: invisible control character U+000C" + PASTED,
        "x.yaml:53: quiz.scenarios[0].id: 'Goals S1' is not a valid id: use lower-case letters, digits and _, "
        "start with a letter, at most 40",
    ]


def test_line_breaks_yaml_allows_are_counted_as_yaml_counts_them():
    """NEL (U+0085) is a YAML line break, not a control character to refuse; lines after it still agree."""
    text = minimal_with("subtitle: A fixture for tests", "subtitle: A fixture\x85 for tests")
    assert problems(text.replace("organisation: Test Org", "organisation: Test\x0b Org")) == [
        "x.yaml:8: invisible control character U+000B" + PASTED
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object:os.system echo", "!!python/object:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/object/apply:os.system [echo]", "!!python/object/apply:os.system"),
        ("!foo bar", "!foo"),
        ("!!int xyz", "!!int"),
        ("!!float abc", "!!float"),
        ("!!binary '@@@'", "!!binary"),
        ("!!timestamp nonsense", "!!timestamp"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!!str Minimal lesson", "!!str"),
        ("! Minimal lesson", "!"),
        ("!<tag:example.com,2000:x> y", "tag:example.com,2000:x"),
    ],
)
def test_every_explicit_tag_is_refused_with_its_line(value, shown, loader):
    assert problems(minimal_with(TITLE, f"title: {value}")) == [
        f"x.yaml:5: YAML tag {shown} is not allowed: a lesson needs no tags, delete it"
    ]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("? [a, b]\n: c", "a list or mapping is used as a key (a YAML complex key)"),
        ("? {a: b}\n: c", "a list or mapping is used as a key (a YAML complex key)"),
        ("[a, b]: c", "a list or mapping is used as a key (a YAML complex key)"),
        ("1: x", "the key '1' is read as a whole number, not as text"),
        ("true: x", "the key 'true' is read as true/false, not as text"),
        ("null: x", "the key 'null' is read as nothing (null), not as text"),
        ("~: x", "the key '~' is read as nothing (null), not as text"),
        ("?\n: x", "the key '' is read as nothing (null), not as text"),
        ("3.5: y", "the key '3.5' is read as a number, not as text"),
        ("2024-01-01: y", "the key '2024-01-01' is read as a date, not as text"),
        ("<<: {a: b}", "the key '<<' is read as a YAML merge key, not as text"),
        ("*anchor : y", "the YAML alias *anchor is used as a key"),
    ],
)
def test_keys_that_are_not_text_are_refused_with_their_line(key, message, loader):
    text = minimal_with(TITLE, f"title: &anchor Minimal lesson\n{key}")
    assert problems(text) == [f"x.yaml:6: {message}{KEYS}"]


def test_quoted_keys_are_text():
    text = minimal_with(TITLE, '"title": Minimal lesson')
    assert parse_lesson(text, "x.yaml").title == "Minimal lesson"


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 10_000,
        "{" * 10_000,
        "{a: " * 10_000,
        "- " * 10_000 + "x",
        "".join(f"{'  ' * level}- \n" for level in range(200)),
        "".join(f"{'  ' * level}k{level}:\n" for level in range(200)),
    ],
    ids=["brackets", "braces", "flow mappings", "dashes", "indented lists", "indented mappings"],
)
def test_extreme_nesting_is_refused_before_anything_recurses(nested, loader):
    found = problems(f"schema_version: 1\nx: {nested}\n" if nested[0] in "[{" else f"schema_version: 1\nx:\n{nested}")
    assert len(found) <= yaml_source.MAX_DEPTH + 1  # a brace inside a brace is a complex key too
    assert all(int(problem.split(":")[1]) >= 2 for problem in found)
    assert "nest" in found[-1]  # ours, or libyaml's own limit where its scanner reads ahead


def test_nesting_a_real_lesson_needs_is_accepted_and_past_the_limit_refused():
    deep = yaml_source.MAX_DEPTH - 1  # the document's top-level mapping is one level
    ok = minimal_with(TITLE, TITLE + "\n" + "extra: " + "[" * deep + "]" * deep)
    assert problems(ok) == [
        "x.yaml:6: extra: unknown key 'extra' (allowed: action_plan, balancing, closing, "
        "dimensions, duration_minutes, facilitator, id, introduction, language, organisation, "
        "profile, quiz, reflection, schema_version, subtitle, title)"
    ]
    too_deep = minimal_with(TITLE, TITLE + "\n" + "extra: " + "[" * (deep + 1) + "]" * (deep + 1))
    assert problems(too_deep) == [
        "x.yaml:6: lists and mappings are nested more than 64 levels deep: a lesson needs fewer than 10, "
        "check the brackets and indentation"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "points: 5",
            "points: 1.0e+400",
            "69: quiz.ratings.scale.points: '1.0e+400' is not a finite number: write an ordinary number such as 0.5",
        ),
        (
            "balanced_within: 0.34",
            "balanced_within: -.inf",
            "81: profile.balanced_within: '-.inf' is not a finite number: write an ordinary number such as 0.5",
        ),
        (
            "balanced_within: 0.34",
            "balanced_within: .nan",
            "81: profile.balanced_within: '.nan' is not a finite number: write an ordinary number such as 0.5",
        ),
        (
            "max_length: 500",
            "max_length: " + "9" * 5000,
            "90: reflection.max_length: '9999999999999999999999999999999999999999'… (5000 characters) cannot be "
            "read as a whole number: put it in quotes if it is meant as text",
        ),
        (
            "max_length: 500",
            "max_length: " + "9" * 4000,
            "90: reflection.max_length: must be at most 10000",
        ),
        (
            "points: 5",
            "points: 1e400",  # YAML 1.1 reads this as text
            "69: quiz.ratings.scale.points: expected a whole number, got text",
        ),
        (
            TITLE,
            "title: 2001-13-45",
            "5: title: '2001-13-45' cannot be read as a date: put it in quotes if it is meant as text",
        ),
        (TITLE, "title: 2001-12-14", "5: title: expected text, got a date"),
    ],
)
def test_numbers_no_field_can_hold_are_problems(old, new, expected, loader):
    assert problems(minimal_with(old, new)) == [f"x.yaml:{expected}"]


def test_yaml_value_and_merge_words_as_values_are_plain_text():
    assert parse_lesson(minimal_with(TITLE, "title: '='\nsubtitle: =").replace("subtitle: A fixture for tests\n", ""))


def test_a_text_larger_than_1_mb_is_refused_before_it_is_parsed():
    huge = MINIMAL + "# " + "x" * (1024 * 1024) + "\n"
    assert problems(huge) == ["x.yaml:1: the lesson is larger than 1 MB, the most LeadManage reads"]
    wide = MINIMAL + "# " + "é" * (600 * 1024) + "\n"  # fewer characters than 1 MB, more bytes
    assert problems(wide) == ["x.yaml:1: the lesson is larger than 1 MB, the most LeadManage reads"]


def test_a_huge_number_of_problems_is_cut_to_a_readable_list():
    found = problems("\x0b\n" * 5000)
    assert len(found) == 201
    assert found[-1] == "x.yaml:200: 4801 more problems from this line on: fix the ones above and check again"


# --- Files ----------------------------------------------------------------------------------------------


def load_problems(path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_lesson(path)
    return caught.value.problems


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes
    assert load_problems(big) == [f"{big}:1: the lesson is larger than 1 MB, the most LeadManage reads"]


def test_text_that_is_not_utf8_is_reported_with_its_line(tmp_path):
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(MINIMAL.replace("Test Org", "Café Org").encode("latin-1"))
    assert load_problems(latin1) == [
        f"{latin1}:7: the file is not UTF-8 text (byte 0xE9 on this line): save it as UTF-8"
    ]


def test_a_folder_a_device_and_a_pipe_are_refused_before_they_are_opened(tmp_path):
    fifo = tmp_path / "lesson.fifo"
    os.mkfifo(fifo)
    # Opening a pipe with no writer blocks: should the loader open it, this writer unblocks it and the test fails.
    rescue = threading.Timer(5, lambda: fifo.write_bytes(b"schema_version: 1\n"))
    rescue.start()
    try:
        assert load_problems(fifo) == [f"{fifo}: is a named pipe, not a lesson file: give the path of a YAML file"]
    finally:
        rescue.cancel()
    assert load_problems(tmp_path) == [f"{tmp_path}: is a folder, not a lesson file: give the path of a YAML file"]
    assert load_problems("/dev/zero") == ["/dev/zero: is a device, not a lesson file: give the path of a YAML file"]


def test_cli_validate_lists_the_problems_and_exits_1(runner, tmp_path):
    pasted = tmp_path / "pasted.yaml"
    pasted.write_text(minimal_with(TITLE, "title: !!python/object:os.system x\u000b"), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(pasted)])
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        f"{pasted}:5: YAML tag !!python/object:os.system is not allowed: a lesson needs no tags, delete it",
        f"{pasted}:5: invisible control character U+000B" + PASTED,
    ]
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["validate", "/dev/zero"])
    assert (result.exit_code, "is a device" in result.output) == (1, True)


# --- Fuzz: any text gives a Lesson or problems with lines ---------------------------------------------------

# Fixed seed, bounded, and no example database: every run tries the same 200 inputs.
FUZZ = settings(
    derandomize=True, max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
SCALARS = st.one_of(
    st.sampled_from(
        [
            *"1 -1 0x1F 0o17 1_000 1:20 1.5e+3 .inf -.Inf .NaN ~ null yes Off = << 'q' | > [ ] { } , # % @ `".split(),
            *"2001-12-14 2001-02-30 2001-12-14t21:59:43.10-05:00 *a !!int !foo".split(),
            '"\\x0b"',
            "&a x",
            "? x",
            "9" * 4400,
        ]
    ),
    st.text(max_size=20),
)
TAGS = st.sampled_from(["", "", "", "!!str ", "!!int ", "!!float ", "!!python/none ", "!x ", "!!set ", "!!map "])


@st.composite
def yamlish(draw) -> str:
    """Documents made of YAML's pieces: keys, scalars, tags, flow brackets, dashes and uneven indentation."""
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.integers(0, 6))
        key = draw(st.one_of(st.sampled_from(["title", "schema_version", "id", "? [a]", "1", "- ", ""]), SCALARS))
        lines.append(f"{indent}{key}: {draw(TAGS)}{draw(SCALARS)}")
    return "\n".join(lines)


@st.composite
def mutated_minimal(draw) -> str:
    """The minimal lesson with a few lines' values replaced, so the schema and semantic checks are reached too."""
    lines = MINIMAL.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        head = lines[index].split(":", 1)[0] if ":" in lines[index] else lines[index]
        lines[index] = f"{head}: {draw(TAGS)}{draw(SCALARS)}"
    return "\n".join(lines)


def lesson_or_error(text: str) -> Lesson | ContentError:
    try:
        return parse_lesson(text, "fuzz.yaml")
    except ContentError as exc:
        return exc


def assert_lesson_or_located_problems(text: str) -> None:
    outcome = lesson_or_error(text)
    if isinstance(outcome, ContentError):
        assert outcome.found, "parsed text always reports Problem objects"
        assert all(problem.line >= 1 for problem in outcome.found)
        assert outcome.problems == [problem.format("fuzz.yaml") for problem in outcome.found]
    else:
        assert isinstance(outcome, Lesson)


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_any_text(text):
    assert_lesson_or_located_problems(text)


@FUZZ
@given(yamlish())
def test_fuzz_yaml_like_documents(text):
    assert_lesson_or_located_problems(text)


@FUZZ
@given(mutated_minimal())
def test_fuzz_a_lesson_with_hostile_values(text):
    assert_lesson_or_located_problems(text)


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_any_file(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(content)
        try:
            outcome = load_lesson(path)
        except ContentError as exc:
            outcome = exc
    if isinstance(outcome, ContentError):
        assert all(problem.line >= 1 for problem in outcome.found)
        assert all(line.startswith(f"{path}:") for line in outcome.problems)
    else:
        assert isinstance(outcome, Lesson)


@st.composite
def anchored(draw) -> str:
    """Mappings and lists with anchors and aliases of scalars (allowed) and of collections (refused)."""
    lines = []
    for number in range(draw(st.integers(1, 8))):
        value = draw(st.sampled_from(["&s{n} text", "*s{m}", "&c{n} [1, 2]", "*c{m}", "&m{n} {{a: 1}}", "[*s{m}]"]))
        lines.append(f"k{number}: " + value.format(n=number, m=draw(st.integers(0, 7))))
    return "\n".join(lines)


def composed_lines(node: yaml.Node, path: tuple = (), lines: dict | None = None) -> dict:
    """The line of every path in PyYAML's composed tree: mapping values on their key's line."""
    lines = {} if lines is None else lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*path, key.value)] = key.start_mark.line + 1
            composed_lines(value, (*path, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            composed_lines(value, (*path, index), lines)
    return lines


@FUZZ
@given(st.one_of(yamlish(), mutated_minimal(), anchored()))
def test_what_the_one_pass_reader_accepts_is_what_pyyaml_reads_on_the_same_lines(text):
    """The reader builds the data itself from libyaml's events: PyYAML's own loader is the oracle."""
    data, lines, _ = yaml_source.read_yaml(text)
    if lines is None:
        return  # refused: the tables above check each refusal's message
    cleaned = yaml_source.UNREADABLE.sub("", text)
    assert data == yaml.load(cleaned, Loader=yaml.CSafeLoader)
    assert lines.lines == composed_lines(yaml.compose(cleaned, Loader=yaml.CSafeLoader))
