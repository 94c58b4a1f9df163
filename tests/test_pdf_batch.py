"""Personalised workbooks: reading learner records, safe file names, and the batch command."""

import json
import re

import pytest
from fixture_paths import FIXTURES
from leadmanage_exporters.batch import plan_tasks, run_batch, safe_stem
from leadmanage_exporters.cli import cli
from leadmanage_exporters.responses import (
    LearnerRecord,
    RecordError,
    RecordProblem,
    RecordWarning,
    read_json_lines,
    record_from_dict,
)
from pdf_helpers import answer_rows, body_text, reader, render, squash

pytestmark = pytest.mark.usefixtures("no_weasyprint_warnings")
RESPONSES = FIXTURES / "responses" / "learners.jsonl"
#: The fixture's lines that cannot become a workbook, and why.
BAD_LINES = {3: "invalid JSON", 8: "expected a JSON object", 9: "already appears on line 1"}
#: Lines whose learner gets a workbook without what the lesson cannot take.
WARNED_LINES = {2: "unknown option 'z'", 4: "expected a whole number from 1 to 5", 5: "unknown key 'unexpected'"}


def test_reader_reports_every_bad_line_by_number_and_keeps_the_good_ones(builtin_lesson):
    entries = list(read_json_lines(RESPONSES, builtin_lesson))
    good = [(line, entry.username) for line, entry in entries if isinstance(entry, LearnerRecord)]
    bad = {line: entry.message for line, entry in entries if isinstance(entry, RecordProblem)}
    warned = {line: entry.message for line, entry in entries if isinstance(entry, RecordWarning)}
    assert good == [
        (1, "ana.garcia"),
        (2, "bob"),
        (4, "chris/../../etc"),
        (5, "dee"),
        (7, "eve:o'neil"),
        (9, "ana.garcia"),
    ]
    assert sorted(bad) == [3, 8]
    assert sorted(warned) == sorted(WARNED_LINES)
    for line, message in (bad | warned).items():
        assert (BAD_LINES | WARNED_LINES)[line] in message


def test_the_reader_counts_its_entries_before_reading_them(builtin_lesson):
    assert read_json_lines(RESPONSES, builtin_lesson).count == 8, "nine lines, one blank"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"answers": {}}, "username is missing"),
        ({"username": "  "}, "username must be non-empty text"),
        ({"username": ["ana"]}, "username must be non-empty text, got an array"),
        ({"username": "a" * 151}, "username is longer than 150 characters"),
        (["username", "ana"], "expected a JSON object, got an array"),
        ("ana", "expected a JSON object, got 'ana'"),
    ],
)
def test_an_entry_without_a_usable_username_is_refused_saying_why(builtin_lesson, entry, message):
    with pytest.raises(RecordError, match=re.escape(message)):
        record_from_dict(entry, builtin_lesson)


@pytest.mark.parametrize(
    ("username", "stem"),
    [
        ("ana.garcia", "ana.garcia"),
        ("../../etc/passwd", "etc_passwd"),
        ("José Núñez", "Jose_Nunez"),
        ("...", "learner"),
    ],
)
def test_safe_stem_is_a_plain_file_name(username, stem):
    assert safe_stem(username) == stem


def test_planned_file_names_are_unique_even_when_names_clash():
    records = [
        (1, LearnerRecord("Sam")),
        (2, LearnerRecord("sam")),
        (3, LearnerRecord("s/am")),
        (4, LearnerRecord("x")),
    ]
    tasks = list(plan_tasks(records))
    names = [task.filename for task in tasks]
    assert names[0] == "Sam.pdf"
    assert len({name.lower() for name in names}) == 4
    assert all("/" not in name and not name.startswith(".") for name in names)


def test_personalised_workbook_prints_the_learners_own_answers_and_writing(builtin_lesson):
    record = next(entry for _, entry in read_json_lines(RESPONSES, builtin_lesson) if isinstance(entry, LearnerRecord))
    data = render(builtin_lesson, record)
    text = body_text(data)
    assert squash("Prepared for Ana García") in text
    assert squash("You chose the best answer in 2 of 12 scenarios (17%).") in text
    # "Your answers": the learner's own choices (goals_s1 b, goals_s2 a, approach_s1 d) beside the best answers
    rows = answer_rows(data)
    assert [rows[number] for number in (1, 2, 3, 4)] == [
        ("✓ B, the best answer", "B"),
        ("✗ A, not the best answer", "C"),
        ("No answer", "A"),
        ("✓ D, the best answer", "D"),
    ]
    assert [choice for choice, _ in rows.values()].count("No answer") == 9
    # written text is printed once, as static text, never as a (pre-filled) form field
    assert text.count(squash(record.reflection["roles_today"])) == 1
    assert text.count(squash(record.action_plan["first_step"])) == 1
    assert not reader(data).get_fields()
    assert squash("Leans to leading (Change)") in text
    assert squash(builtin_lesson.guidance_for("goals").leading) in text
    assert printed_ratings(text, builtin_lesson) == dict(record.ratings)


def printed_ratings(text: str, lesson) -> dict[str, int]:
    """The point each self-rating item shows filled in (❶ among ① ② ③ …), by item id."""
    points = lesson.quiz.ratings.scale.points
    marks = re.findall("[①-⑦❶-❼]", text.split(squash(lesson.quiz.ratings.title))[-1])[3:]  # after the key's three
    scales = [marks[start : start + points] for start in range(0, len(marks), points)]
    assert len(scales) == len(lesson.quiz.ratings.items), "one scale per item"
    return {
        item.id: filled[0] + 1
        for item, scale in zip(lesson.quiz.ratings.items, scales, strict=True)
        if (filled := [point for point, mark in enumerate(scale) if mark in "❶❷❸❹❺❻❼"])
    }


@pytest.mark.slow
def test_batch_writes_a_workbook_per_learner_and_reports_what_it_left_out(runner, tmp_path):
    # Two workers, so workbooks finish out of order (the tests below run one worker).
    result = runner.invoke(
        cli, ["export", "pdf", "--responses", str(RESPONSES), "--out-dir", str(tmp_path), "--jobs", "2"]
    )
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files[:2] == ["ana.garcia.pdf", "bob.pdf"]
    assert files[2].startswith("chris_.._.._etc-")
    assert files[3:4] == ["dee.pdf"]
    assert files[4].startswith("eve_o_neil-")
    assert len(files) == 5
    ana, eve = (body_text((tmp_path / name).read_bytes()) for name in (files[0], files[4]))
    assert squash("I lead in planning meetings & manage the rota <b>every</b> Monday.") in ana
    assert squash("My mentor, Jo.") in eve
    assert squash("My mentor, Jo.") not in ana
    assert squash("Eve O'Neil") in eve
    for line, message in BAD_LINES.items():
        assert re.search(f"learners.jsonl:{line}: skipped: .*{re.escape(message)}", result.output)
    for line, message in WARNED_LINES.items():
        assert re.search(f"learners.jsonl:{line}: warning: .*{re.escape(message)}", result.output)
    assert "Wrote 5 workbook(s)" in result.output
    assert "3 line(s) skipped, 0 failed, 4 warning(s)" in result.output
    assert result.exit_code == 1, "three lines got no workbook"
    assert "Error: 3 entries got no workbook" in result.output


def test_batch_exits_0_when_warnings_are_all_there_is(runner, tmp_path):
    responses = tmp_path / "warned.jsonl"
    responses.write_text('{"username": "kim", "answers": {"retired_s9": "a"}}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(responses), "--out-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "warned.jsonl:1: warning: answers: unknown scenario 'retired_s9'; its answer was left out" in result.output
    assert [path.name for path in out.iterdir()] == ["kim.pdf"]


def test_batch_exits_1_when_no_workbook_can_be_written(runner, tmp_path):
    responses = tmp_path / "bad.jsonl"
    responses.write_text('{"username": ""}\n{oops\n', encoding="utf-8")
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(responses), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.jsonl:1: skipped: username must be non-empty text" in result.output
    assert "bad.jsonl:2: skipped: invalid JSON" in result.output
    assert "Wrote 0 workbook(s)" in result.output
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("content", ["", "\n  \n", "username,goals_s1 answer,block_key\nana,a,type@problem+block@x\n"])
def test_an_input_without_learners_is_refused_as_the_wrong_file(runner, tmp_path, content):
    responses = tmp_path / ("learners.csv" if "," in content else "learners.jsonl")
    responses.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(responses), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {responses} holds no learner entries: is it the right file?\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["--out-dir", "x"],
        ["--jobs", "2"],
        ["--responses", str(RESPONSES), "-o", "one.pdf"],
        ["--responses", str(RESPONSES), "--edition", "facilitator"],
        ["--jobs", "0", "--responses", str(RESPONSES)],
    ],
)
def test_option_mistakes_are_usage_errors(runner, arguments):
    result = runner.invoke(cli, ["export", "pdf", *arguments])
    assert result.exit_code == 2


def test_single_workbook_goes_to_dist_by_default(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["export", "pdf", "--edition", "facilitator", "--paper", "letter"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "dist" / "leading_vs_managing-facilitator-letter.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert float(reader(written.read_bytes()).pages[0].mediabox.width) == pytest.approx(612)


def test_records_round_trip_through_json(builtin_lesson):
    entry = {"username": "kim", "answers": {"goals_s1": "b"}, "ratings": {"goals_r1": 3}}
    record, warnings = record_from_dict(json.loads(json.dumps(entry)), builtin_lesson)
    assert record.display_name == "kim"
    assert record.answers == {"goals_s1": "b"}
    assert warnings == []


def test_one_workbook_that_cannot_be_written_does_not_stop_the_others(builtin_lesson, tmp_path):
    tasks = plan_tasks([(1, LearnerRecord("ana")), (2, LearnerRecord("ben"))])
    (tmp_path / "ana.pdf").mkdir()  # something already sits where Ana's workbook should go
    result = run_batch(builtin_lesson, tasks, tmp_path, {"edition": "learner"}, processes=1)
    assert [path.name for path in result.written] == ["ben.pdf"]
    assert [(failure.line, failure.username) for failure in result.failed] == [(1, "ana")]
    assert "ana.pdf" in result.failed[0].message
    assert (tmp_path / "ben.pdf").read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob(".*.part")), "no half-written file is left behind"
