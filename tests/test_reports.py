"""Instructor reports: the block's Problem Responses columns, and personalised workbooks printed from that CSV.

One fixture, tests/fixtures/reports/problem_responses.csv, is built from the block's own
``generate_report_data`` (build_problem_responses.py); these tests check both of its ends.
"""

import csv
import json
import sys
import tracemalloc
from collections import namedtuple

import pytest
from fixture_paths import FIXTURES
from leadmanage_exporters.cli import cli
from leadmanage_exporters.report_csv import read_report_csv
from leadmanage_exporters.responses import MAX_LINE_BYTES, LearnerRecord, RecordProblem, RecordWarning
from pdf_helpers import body_text, squash
from xblock_runtime import make_block

from leadmanage_xblock.core.content import load_builtin_lesson

REPORTS = FIXTURES / "reports"
REPORT_CSV = REPORTS / "problem_responses.csv"
STATES = json.loads((REPORTS / "learner_states.json").read_text(encoding="utf-8"))
LESSON = load_builtin_lesson()
UserState = namedtuple("UserState", "username state")
sys.path.insert(0, str(REPORTS))
from build_problem_responses import report_csv  # noqa: E402  (the fixture's own builder)


def rows_for(states: dict, **fields) -> dict:
    block = make_block(**fields)
    return dict(block.generate_report_data(UserState(name, state) for name, state in states.items()))


def test_one_readable_column_per_item_rating_profile_text_and_completion():
    ana = rows_for(STATES)["ana.garcia"]
    first = LESSON.quiz.scenarios[0]
    chosen = next(option for option in first.options if option.id == "b")
    assert ana[f"{first.id} answer"] == f"b: {chosen.text}"
    assert ana[f"{first.id} correct"] == ("yes" if chosen.correct else "no")
    assert ana["score"] == "2/12"
    assert ana["goals_r1 rating"] == "1"
    assert ana["profile goals"] == "leading"
    assert ana["profile approach"] == "managing"
    assert ana["reflection roles_today"] == STATES["ana.garcia"]["reflection"]["roles_today"]
    assert ana["action_plan first_step"] == "Book 1:1s, starting Monday"
    assert ana["action_plan support"] == ""
    assert ana["completed"] == "yes"
    assert list(ana)[0] == "score"
    assert list(ana)[-1] == "completed"


def test_removed_items_and_unsubmitted_drafts_are_not_reported():
    rows = rows_for(STATES)
    ana, ben = rows["ana.garcia"], rows["ben"]
    assert not any("retired" in column for column in ana)
    assert "Text for a prompt the author removed" not in ana.values()
    assert ben["score"] == ""
    assert ben["goals_s1 answer"] == "", "a draft choice is not an answer"
    assert ben["reflection roles_today"] == "Only a start"
    assert ben["completed"] == "no"


def test_limit_responses_caps_the_learners():
    block = make_block()
    states = [UserState(name, state) for name, state in STATES.items()]
    assert [name for name, _ in block.generate_report_data(iter(states), limit_responses=2)] == ["ana.garcia", "ben"]


def test_a_broken_lesson_reports_why_on_every_row_instead_of_failing():
    rows = rows_for(STATES, lesson_yaml="schema_version: 1\n")
    assert sorted(rows) == sorted(STATES)
    assert [dict(row) for row in rows.values()] == [{"error": "This module's content has problems."}] * len(STATES)


def test_a_custom_lesson_reports_its_own_columns():
    yaml = (FIXTURES / "content" / "minimal.yaml").read_text(encoding="utf-8")
    ana = rows_for({"ana": STATES["ana.garcia"]}, lesson_yaml=yaml)["ana"]
    assert [column for column in ana if column.endswith(" answer")] == ["goals_s1 answer"]
    assert ana["score"] == "0/1"


def test_the_fixture_csv_is_exactly_what_the_block_reports():
    expected = report_csv(make_block(display_name="Leading vs Managing"))
    assert REPORT_CSV.read_bytes() == expected.encode("utf-8"), (
        "rebuild it: python " + "tests/fixtures/reports/build_problem_responses.py"
    )


def test_reader_takes_our_rows_and_skips_other_blocks():
    entries = list(read_report_csv(REPORT_CSV, LESSON))
    records = {entry.username: entry for _, entry in entries if isinstance(entry, LearnerRecord)}
    assert sorted(records) == ["ana.garcia", "ben", "chloé:o'neil"]
    assert [entry for _, entry in entries if isinstance(entry, RecordProblem)] == []
    ana = records["ana.garcia"]
    assert ana.answers["goals_s1"] == "b"
    assert len(ana.answers) == 12
    assert ana.ratings["approach_r1"] == 5
    assert ana.reflection["roles_today"] == STATES["ana.garcia"]["reflection"]["roles_today"]
    assert ana.action_plan == {"first_step": "Book 1:1s, starting Monday"}


def edited_copy(tmp_path, change) -> str:
    """The fixture with ``change(rows)`` applied; returns the new file's path."""
    with REPORT_CSV.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    change(rows)
    path = tmp_path / "edited.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_what_a_row_holds_that_the_lesson_cannot_take_is_left_out_with_a_warning_on_its_line(tmp_path):
    def break_ben(rows):
        rows[1]["goals_s2 answer"] = "z: an option the lesson never had"
        rows[1]["goals_s3 answer"] = "a: an option the lesson has"
        rows[1]["goals_r1 rating"] = "lots"
        rows[1]["goals_r2 rating"] = "²"  # "²".isdigit() is True, and int("²") raises
        rows[1]["goals_r3 rating"] = "٣"  # Arabic-Indic three: isdigit() too
        rows[1]["approach_r1 rating"] = "4" + "0" * 5000  # past int()'s digit limit
        rows[1]["people_r1 rating"] = "4"

    entries = list(read_report_csv(edited_copy(tmp_path, break_ben), LESSON))
    assert not [entry for _, entry in entries if isinstance(entry, RecordProblem)]
    warnings = [(line, entry.message) for line, entry in entries if isinstance(entry, RecordWarning)]
    assert {line for line, _ in warnings} == {4}, "ana's row spans lines 2-3 (a line break in her reflection)"
    messages = " | ".join(message for _, message in warnings)
    assert "answers.goals_s2: unknown option 'z'" in messages
    for rating, shown in [("goals_r1", "'lots'"), ("goals_r2", "'²'"), ("goals_r3", "'٣'"), ("approach_r1", "'4000")]:
        assert f"ratings.{rating}: expected a whole number from 1 to 5, got {shown}" in messages
    ben = next(entry for _, entry in entries if isinstance(entry, LearnerRecord) and entry.username == "ben")
    assert ben.answers == {"goals_s3": "a"}
    assert ben.ratings == {"people_r1": 4}
    assert ben.reflection["roles_today"] == "Only a start"


def test_a_state_cell_past_the_csv_modules_default_field_limit_is_read(tmp_path):
    reflection = "Жизнь — это то, что с тобой происходит. " * 50  # 2,000 characters: the lesson's limit
    state = json.dumps({"reflection": {"roles_today": reflection * 20}})  # every letter escaped: \u0416

    def long_cyrillic_reflection(rows):
        rows[0]["reflection roles_today"] = reflection
        rows[0]["state"] = state

    assert len(state) > 131_072, "the csv module's default field limit"
    entries = list(read_report_csv(edited_copy(tmp_path, long_cyrillic_reflection), LESSON))
    records = {entry.username: entry for _, entry in entries if isinstance(entry, LearnerRecord)}
    assert sorted(records) == ["ana.garcia", "ben", "chloé:o'neil"]
    assert records["ana.garcia"].reflection["roles_today"] == reflection
    assert not [entry for _, entry in entries if not isinstance(entry, LearnerRecord)]


def test_a_broken_row_is_skipped_with_its_line_and_the_rest_is_read(tmp_path):
    lines = REPORT_CSV.read_bytes().splitlines(keepends=True)
    header, ana, ben = lines[0], b"".join(lines[1:3]), lines[3]
    broken = [
        b"only,three,cells\r\n",  # line 4
        ben.replace(b"ben,", b"b\xe9n,", 1),  # line 5: Latin-1, not UTF-8
        b"x,an unquoted\rcarriage return,y\r\n",  # line 6: the csv module raises csv.Error
        b"x" * (MAX_LINE_BYTES + 10) + b"\r\n",  # line 7: too long to read
    ]
    path = tmp_path / "broken.csv"
    path.write_bytes(header + ana + b"".join(broken) + ben)
    entries = list(read_report_csv(path, LESSON))
    problems = {line: entry.message for line, entry in entries if isinstance(entry, RecordProblem)}
    assert sorted(problems) == [4, 5, 6, 7]
    assert problems[4] == f"the row has 3 cells, the header {len(next(csv.reader([header.decode()])))}"
    assert problems[5] == "the line is not UTF-8 text (byte 2)"
    assert problems[6] == "the row cannot be read as CSV: new-line character seen in unquoted field"
    assert problems[7] == "the line is longer than 4 MB"
    records = [(line, entry.username) for line, entry in entries if isinstance(entry, LearnerRecord)]
    assert records == [(2, "ana.garcia"), (8, "ben")]


def test_reading_a_100000_row_report_holds_one_row_at_a_time(tmp_path, minimal_lesson):
    path = tmp_path / "big.csv"
    header = ["username", "goals_s1 answer", "goals_r1 rating", "reflection roles_today", "block_key", "state"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        key = "block-v1:Acme+LVM+2026+type@leadmanage+block@lvm1"
        writer.writerows([f"learner{n}", "a: A new direction.", "3", f"Row {n}.", key, "{}"] for n in range(100_000))
    tracemalloc.start()
    try:
        responses = read_report_csv(path, minimal_lesson)
        records = sum(isinstance(entry, LearnerRecord) for _, entry in responses)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (records, responses.count) == (100_000, 100_000)
    assert peak < 2_000_000, f"{peak:,} bytes at the peak: rows are being kept"


def test_pdf_batch_prints_personalised_workbooks_from_the_report(runner, tmp_path):
    out = tmp_path / "workbooks"
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(REPORT_CSV), "--out-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Wrote 3 workbook(s)" in result.output
    names = sorted(path.name for path in out.glob("*.pdf"))
    assert names[:2] == ["ana.garcia.pdf", "ben.pdf"]
    assert names[2].startswith("chloe_o_neil-")
    ana = body_text((out / "ana.garcia.pdf").read_bytes())
    assert squash("You chose the best answer in 2 of 12 scenarios (17%).") in ana
    assert squash(STATES["ana.garcia"]["reflection"]["shift_focus"]) in ana
    assert squash("Book 1:1s, starting Monday") in ana
    assert squash("Only a start") not in ana
    assert squash("Only a start") in body_text((out / "ben.pdf").read_bytes())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,score\nana,1/12\n", "no 'username' column"),
        ("username,title,q1 answer\nana,Quiz,a\n", "none of this lesson's columns"),
    ],
)
def test_a_csv_that_is_not_our_report_is_refused_clearly(runner, tmp_path, content, message):
    path = tmp_path / "report.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(path), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "out").exists()


SECOND_BLOCK = "block-v1:Acme+LVM+2026+type@leadmanage+block@lvm2"


def two_blocks(rows):
    """Ben also answered a second LeadManage block in the course, with different answers."""
    ben_again = {**rows[1], "goals_s1 answer": "c: x", "block_key": SECOND_BLOCK}
    rows.append(ben_again)


def test_a_report_with_two_leadmanage_blocks_asks_which_one(runner, tmp_path):
    report = edited_copy(tmp_path, two_blocks)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["export", "pdf", "--responses", report, "--out-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 1
    assert "has answers from 2 LeadManage blocks: choose one with --block:" in result.output
    assert "block@lvm1" in result.output
    assert SECOND_BLOCK in result.output
    assert not out.exists()


def test_block_chooses_whose_rows_are_printed(runner, tmp_path):
    report = edited_copy(tmp_path, two_blocks)
    out = tmp_path / "out"
    arguments = ["export", "pdf", "--responses", report, "--out-dir", str(out), "--jobs", "1", "--block", SECOND_BLOCK]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert "Wrote 1 workbook(s)" in result.output
    assert [path.name for path in out.glob("*.pdf")] == ["ben.pdf"]


@pytest.mark.parametrize(
    ("responses", "block", "message"),
    [
        ("report", "block-v1:Acme+LVM+2026+type@leadmanage+block@nope", "has no rows for block"),
        ("jsonl", SECOND_BLOCK, "--block chooses a LeadManage block in a Problem Responses report (.csv) only"),
    ],
)
def test_a_block_the_report_does_not_have_is_refused(runner, tmp_path, responses, block, message):
    path = REPORT_CSV if responses == "report" else tmp_path / "learners.jsonl"
    if responses == "jsonl":
        path.write_text('{"username": "ana"}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["export", "pdf", "--responses", str(path), "--out-dir", str(out), "--block", block])
    assert result.exit_code == 1
    assert message in result.output
    if responses == "report":
        assert "choose one with --block: block-v1:Acme+LVM+2026+type@leadmanage+block@lvm1" in result.output
    assert not out.exists()


def test_block_without_responses_is_a_usage_error(runner):
    result = runner.invoke(cli, ["export", "pdf", "--block", SECOND_BLOCK])
    assert result.exit_code == 2
    assert "--block and --broker only apply with --responses" in result.output
