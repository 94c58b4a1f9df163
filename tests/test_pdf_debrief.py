"""The cohort debrief PDF (`leadmanage export pdf --edition debrief`), made as a trainer makes it.

It prints every count of the cohort and nothing of any learner, passes outloud's PDF/UA-1 checks as the
workbooks do, and speaks Spanish with --lang es. The fixture report's counts are hand-computed in test_cohort.py.
"""

from functools import cache

import pytest
from click.testing import CliRunner
from english_leftovers import english_in
from fixture_paths import FIXTURES
from leadmanage_exporters.cli import cli
from outloud import check
from pdf_helpers import reader, squash, weasyprint_logs
from test_cohort import BANDS, OPTIONS, USERNAMES
from test_pdf_ua import explained

from leadmanage_xblock.core.content import load_builtin_lesson

REPORT = FIXTURES / "reports" / "cohort_responses.csv"


@cache
def debrief(language: str, folder: str) -> bytes:
    """The debrief PDF of the fixture cohort in ``language``, written by the command line once per session."""
    output = f"{folder}/debrief-{language}.pdf"
    arguments = ["export", "pdf", "--edition", "debrief", "--responses", str(REPORT), "--lang", language, "-o", output]
    with weasyprint_logs() as messages:
        result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert not messages, f"WeasyPrint warned: {messages}"
    with open(output, "rb") as file:
        return file.read()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("debrief"))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(data).pages)


def test_the_debrief_prints_every_count(folder):
    text = squash(pdf_text(debrief("en", folder)))
    lesson = load_builtin_lesson()
    assert squash("Started the module Submitted the quiz Wrote a reflection") + "764" in text
    for dimension_id, (leading, balanced, managing, mean) in BANDS.items():
        title = squash(lesson.dimensions_by_id[dimension_id].title)
        assert f"{title}{leading}{balanced}{managing}{mean:.1f}" in text, dimension_id
    for scenario_id, options in OPTIONS.items():
        spread = "·".join(f"{option}:{count}" for option, count in options.items())
        assert f"{spread}{lesson.scenarios_by_id[scenario_id].correct_option.id}" in text, scenario_id


def test_the_hardest_scenario_shows_its_spread_and_what_to_discuss(folder):
    text = squash(pdf_text(debrief("en", folder)))
    scenario = load_builtin_lesson().scenarios_by_id["goals_s1"]
    assert squash("Scenario 1: 4 of 6 learners missed it") in text
    assert squash(f"{scenario.options[0].text}") + "350%" in text  # option a: 3 learners, 50 %
    assert squash(scenario.correct_option.explanation) in text
    assert squash("Most often chosen instead: a.") in text


def test_the_prompts_follow_the_cohorts_tendencies(folder):
    text = squash(pdf_text(debrief("en", folder)))
    prompts = {(p.dimension, p.band): squash(p.prompt) for p in load_builtin_lesson().facilitator.debrief_prompts}
    chosen = {("goals", "leading"), ("approach", "balanced"), ("resources", "managing"), ("people", "leading")}
    assert [key for key in chosen if prompts[key] not in text] == []
    assert [key for key in prompts.keys() - chosen if prompts[key] in text] == []
    assert squash("Trainer's notes") in text


def test_the_debrief_prints_no_learner(folder):
    data = debrief("en", folder)
    text = pdf_text(data) + str(reader(data).metadata)
    assert [name for name in USERNAMES if name in text] == []
    assert "SECRET" not in text  # every reflection and action plan of the fixture is marked so


@pytest.mark.parametrize("language", ["en", "es"])
def test_outloud_finds_no_pdf_ua_error_and_only_the_documented_warnings(folder, language):
    path = f"{folder}/debrief-{language}.pdf"
    debrief(language, folder)
    result = check(path)
    assert result.error is None, result.error
    assert [run.rule for run in result.runs if run.status == "crashed"] == []
    assert [f"{f.rule} p.{f.page}: {f.message}" for f in result.findings if f.severity == "error"] == []
    warnings = [f for f in result.findings if f.severity == "warning" and not explained(f, "")]
    assert [f"{f.rule} p.{f.page}: {f.message} ({f.evidence})" for f in warnings] == []


def test_the_spanish_debrief_is_in_spanish(folder):
    data = debrief("es", folder)
    text = pdf_text(data)
    assert english_in(text, "es") == []
    assert "Puesta en común del grupo" in text
    assert "Página 2 de" in text
    assert str(reader(data).trailer["/Root"]["/Lang"]) == "es"


def test_a_group_below_the_minimum_gets_no_debrief(tmp_path):
    output = tmp_path / "debrief.pdf"
    arguments = ["export", "pdf", "--edition", "debrief", "--responses", str(REPORT), "--min-group", "7"]
    result = CliRunner().invoke(cli, [*arguments, "-o", str(output)])
    assert result.exit_code == 1
    assert "only 6 learner(s) submitted" in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert not output.exists()


def test_the_debrief_needs_a_report(tmp_path):
    result = CliRunner().invoke(cli, ["export", "pdf", "--edition", "debrief", "-o", str(tmp_path / "d.pdf")])
    assert result.exit_code == 2
    assert "--responses" in result.output


def test_workbook_only_options_are_refused_with_the_debrief(tmp_path):
    arguments = ["export", "pdf", "--edition", "debrief", "--responses", str(REPORT), "--fillable"]
    result = CliRunner().invoke(cli, [*arguments, "-o", str(tmp_path / "d.pdf")])
    assert result.exit_code == 2
    assert "the debrief takes" in result.output
