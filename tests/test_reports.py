"""Instructor reports: the block's Problem Responses columns, and personalised workbooks printed from that CSV.

One fixture, tests/fixtures/reports/problem_responses.csv, is built from the block's own
``generate_report_data`` (build_problem_responses.py); these tests check both of its ends.
"""

import csv
import json
import sys
from collections import namedtuple

import pytest
from fixture_paths import FIXTURES
from leadmanage_exporters.cli import cli
from leadmanage_exporters.report_csv import read_report_csv
from leadmanage_exporters.responses import LearnerRecord, RecordProblem
from pdf_helpers import body_text, squash
from xblock_runtime import make_block

from leadmanage_xblock.content import load_builtin_lesson

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
    assert ana["plan first_step"] == "Book 1:1s, starting Monday"
    assert ana["plan support"] == ""
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


def test_a_row_that_does_not_fit_the_lesson_is_reported_with_its_line(tmp_path):
    def break_ben(rows):
        rows[1]["goals_s2 answer"] = "z: an option the lesson never had"
        rows[1]["goals_r1 rating"] = "lots"

    entries = list(read_report_csv(edited_copy(tmp_path, break_ben), LESSON))
    problems = [(line, entry.message) for line, entry in entries if isinstance(entry, RecordProblem)]
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 4, "ana's row spans lines 2-3 (her reflection has a line break), so ben's starts on 4"
    assert "unknown option 'z'" in message
    assert "goals_r1" in message


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
    assert "--block only apply with --responses" in result.output
