"""A cohort's aggregates (`leadmanage cohort`): hand-computed counts, the minimum group, hostile reports.

tests/fixtures/reports/cohort_responses.csv (see its builder) is a Problem Responses report of seven learners:
six submitted, one of them twice (only the later row counts), one only wrote a reflection. Every number below
was counted by hand from the builder's table, not by the code under test.
"""

import csv
import io
import json

import pytest
from fixture_paths import FIXTURES
from leadmanage_exporters.cli import cli
from leadmanage_exporters.cli_cohort import MIN_GROUP
from leadmanage_exporters.cohort_report import read_cohort
from test_cli_startup import LESSON_MACHINERY, modules_loaded_by

from leadmanage_xblock.core.cohort import DEFAULT_MIN_GROUP, CohortTooSmallError, latest_work, summarise_cohort
from leadmanage_xblock.core.content import ContentError, builtin_lesson_text, parse_lesson
from leadmanage_xblock.core.learner_work import LearnerWork

REPORT = FIXTURES / "reports" / "cohort_responses.csv"
#: dimension: (leading, balanced, managing, mean self-rating)
BANDS = {
    "goals": (4, 1, 1, 2.17),
    "approach": (1, 3, 2, 3.33),
    "resources": (0, 1, 5, 4.33),
    "people": (3, 2, 1, 2.5),
}
#: scenario: learners per option, in the lesson's order
OPTIONS = {
    "goals_s1": {"a": 3, "b": 2, "c": 1},
    "goals_s2": {"a": 0, "b": 1, "c": 5},
    "goals_s3": {"a": 5, "b": 1, "c": 0},
    "approach_s1": {"a": 1, "b": 0, "c": 0, "d": 5},
    "approach_s2": {"a": 5, "b": 1, "c": 0},
    "approach_s3": {"a": 0, "b": 0, "c": 6},
    "resources_s1": {"a": 1, "b": 5, "c": 0},
    "resources_s2": {"a": 0, "b": 0, "c": 0, "d": 6},
    "resources_s3": {"a": 5, "b": 1, "c": 0},
    "people_s1": {"a": 0, "b": 0, "c": 6},
    "people_s2": {"a": 1, "b": 5, "c": 0},
    "people_s3": {"a": 0, "b": 0, "c": 0, "d": 6},
}
MISSED = {"goals_s1": 4, "goals_s2": 1, "goals_s3": 1, "approach_s1": 1, "approach_s2": 1, "resources_s1": 1}
MISSED |= {"resources_s3": 1, "people_s2": 1}
USERNAMES = ("zq_ana", "zq_ben", "zq_cai", "zq_dee", "zq_eve", "zq_fay", "zq_gus")


@pytest.fixture(scope="module")
def summary(builtin_lesson):
    return read_cohort(REPORT, builtin_lesson).summary


def test_participation_counts_each_learner_once(summary):
    assert vars(summary.participation) == {"started": 7, "submitted": 6, "reflected": 4}


def test_each_dimension_counts_learners_per_band_and_the_mean_rating(summary):
    found = {
        t.dimension: (*(t.bands[b] for b in ("leading", "balanced", "managing")), t.mean_rating)
        for t in summary.dimensions
    }
    assert {key: (*value[:3], round(value[3], 2)) for key, value in found.items()} == BANDS
    assert {t.dimension: t.tendency for t in summary.dimensions} == {
        "goals": "leading",
        "approach": "balanced",
        "resources": "managing",
        "people": "leading",
    }


def test_each_scenario_counts_learners_per_option_and_the_misses(summary):
    assert {t.scenario: dict(t.options) for t in summary.scenarios} == OPTIONS
    assert {t.scenario: t.missed for t in summary.scenarios if t.missed} == MISSED
    assert [t.scenario for t in summary.hardest()] == ["goals_s1", "goals_s2", "goals_s3"]
    assert summary.scenarios[0].share("a") == 50


def test_a_resubmission_replaces_the_learners_earlier_work(builtin_lesson):
    first = LearnerWork(answers={"goals_s1": "a"})
    later = LearnerWork(answers={"goals_s1": "b"})
    others = [(f"learner{n}", LearnerWork(answers={"goals_s1": "c"})) for n in range(4)]
    works = latest_work([("eve", first), *others, ("eve", later)])
    tally = summarise_cohort(builtin_lesson, works).scenarios[0]
    assert dict(tally.options) == {"a": 0, "b": 1, "c": 4}


def test_the_summary_holds_no_username_or_learner_text(summary):
    data = json.dumps(summary.to_json()) + repr(summary)
    assert [name for name in USERNAMES if name in data] == []
    assert "SECRET" not in data


def test_below_the_minimum_group_nothing_is_summarised(builtin_lesson):
    works = [LearnerWork(answers={"goals_s1": "a"})] * 4 + [LearnerWork(reflection={"roles_today": "hi"})]
    with pytest.raises(CohortTooSmallError, match="only 4 learner"):
        summarise_cohort(builtin_lesson, works)
    assert MIN_GROUP == DEFAULT_MIN_GROUP == 5


def test_cli_json_agrees_with_the_aggregates(runner, summary):
    result = runner.invoke(cli, ["cohort", "--responses", str(REPORT)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["participation"] == {"started": 7, "submitted": 6, "reflected": 4}
    assert {
        d["id"]: (d["leading"], d["balanced"], d["managing"], d["mean_rating"]) for d in data["dimensions"]
    } == BANDS
    assert {s["id"]: s["options"] for s in data["scenarios"]} == OPTIONS
    assert data["dimensions"][0]["title"] == "Goals: change vs stability"


def test_cli_csv_agrees_with_the_json(runner):
    as_json = json.loads(runner.invoke(cli, ["cohort", "--responses", str(REPORT)]).stdout)
    result = runner.invoke(cli, ["cohort", "--responses", str(REPORT), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {(r["section"], r["id"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows[("participation", "", "submitted")] == "6"
    for entry in as_json["dimensions"]:
        for band in ("leading", "balanced", "managing", "mean_rating"):
            assert rows[("dimension", entry["id"], band)] == str(entry[band])
    for entry in as_json["scenarios"]:
        for option, count in entry["options"].items():
            assert rows[("scenario", entry["id"], f"option {option}")] == str(count)
        assert rows[("scenario", entry["id"], "missed")] == str(entry["missed"])


def test_spanish_titles_with_lang_es(runner):
    result = runner.invoke(cli, ["cohort", "--responses", str(REPORT), "--lang", "es"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "es"
    assert data["dimensions"][0]["title"].startswith("Metas")
    assert data["dimensions"][0]["leading"] == 4


def test_cli_refuses_a_group_below_the_minimum(runner):
    result = runner.invoke(cli, ["cohort", "--responses", str(REPORT), "--min-group", "7"])
    assert result.exit_code == 1
    assert "only 6 learner(s) submitted" in result.output
    assert "at least 7" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "{" not in result.stdout  # nothing of the aggregates is printed


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not,a,report\n1,2,3\n", "no 'username' column"),
        (b"username,title\nzq_ana,x\n", "none of this lesson's columns"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_report_is_one_clear_line(runner, tmp_path, content, expected):
    path = tmp_path / "report.csv"
    path.write_bytes(content)
    result = runner.invoke(cli, ["cohort", "--responses", str(path)])
    assert result.exit_code == 1
    assert expected in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_folder_or_missing_file_is_one_clear_line(runner, tmp_path):
    for path in (tmp_path, tmp_path / "missing.csv"):
        result = runner.invoke(cli, ["cohort", "--responses", str(path)])
        assert result.exit_code == 1
        assert str(path) in result.output
        assert isinstance(result.exception, SystemExit)


def test_broken_rows_are_listed_and_the_rest_counted(runner, tmp_path):
    text = REPORT.read_text(encoding="utf-8")
    path = tmp_path / "report.csv"
    path.write_text(text + 'zq_odd,"an unclosed quote\n', encoding="utf-8")
    result = runner.invoke(cli, ["cohort", "--responses", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stderr
    assert "participation,,submitted,6" in result.stdout


def test_debrief_prompts_are_validated_with_the_lesson():
    text = builtin_lesson_text("en").replace("band: managing", "band: sideways", 1)
    text = text.replace("- dimension: goals\n      band: leading", "- dimension: vision\n      band: leading", 1)
    with pytest.raises(ContentError) as caught:
        parse_lesson(text)
    problems = "\n".join(caught.value.problems)
    assert "facilitator.debrief_prompts[2].band: 'sideways' is not one of: leading, balanced, managing" in problems
    assert "names dimension 'vision'" in problems


def test_the_cohort_commands_help_loads_no_lesson_or_exporter(tmp_path):
    assert modules_loaded_by("cohort", "--help", cwd=tmp_path) & LESSON_MACHINERY == set()


def test_json_lines_records_give_the_same_aggregates_as_the_report(builtin_lesson, tmp_path, summary):
    from leadmanage_xblock.core.reports import record_from_report_row

    with REPORT.open(encoding="utf-8", newline="") as file:
        records = [record_from_report_row(builtin_lesson, row) for row in csv.DictReader(file)]
    path = tmp_path / "learners.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    assert read_cohort(path, builtin_lesson).summary == summary


def test_an_over_long_line_is_skipped_and_the_rest_counted(builtin_lesson, tmp_path, summary):
    path = tmp_path / "report.csv"
    huge = "zq_huge," + "x" * (5 * 2**20) + "\n"  # past the readers' 4 MB line limit
    path.write_text(REPORT.read_text(encoding="utf-8") + huge, encoding="utf-8")
    reading = read_cohort(path, builtin_lesson)
    assert [(label, "longer than 4 MB" in message) for _, label, message in reading.notes] == [("skipped", True)]
    assert reading.summary == summary


def test_odd_answers_are_left_out_with_a_warning_and_never_counted(builtin_lesson, tmp_path):
    rows = list(csv.DictReader(io.StringIO(REPORT.read_text(encoding="utf-8"), newline="")))
    odd = {**rows[0], "username": "zq_odd\u202e", "goals_s1 answer": "z: <script>☃", "goals_r1 rating": "²"}
    path = tmp_path / "report.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, odd])
    reading = read_cohort(path, builtin_lesson)
    assert sorted(label for _, label, _ in reading.notes) == ["warning", "warning"]
    goals_s1, goals_s2 = reading.summary.scenarios[:2]
    assert dict(goals_s1.options) == {"a": 3, "b": 2, "c": 1}  # the odd answer is not counted
    assert dict(goals_s2.options) == {"a": 0, "b": 1, "c": 6}  # the row's valid answers are
    assert reading.summary.participation.submitted == 7
