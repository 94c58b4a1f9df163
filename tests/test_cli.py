"""The ``leadmanage`` command line, through Click's runner."""

import json

from fixture_paths import CONTENT
from leadmanage_exporters.cli import cli

from leadmanage_xblock import __version__


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_validate_builtin_lesson(runner):
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "the built-in lesson is valid: 4 dimensions" in result.output


def test_validate_outline_lists_every_dimension_and_item(runner, builtin_lesson):
    result = runner.invoke(cli, ["validate", "--outline"])
    assert result.exit_code == 0
    for dimension in builtin_lesson.dimensions:
        assert dimension.title in result.output
    for item_id in builtin_lesson.scenarios_by_id:
        assert item_id in result.output


def test_validate_lists_every_problem_with_file_and_line_and_exits_1(runner):
    path = CONTENT / "invalid" / "several_mistakes.yaml"
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "5 problems in the lesson" in result.output
    for line in ("8", "17", "53", "94"):
        assert f"{path}:{line}: " in result.output


def test_validate_usage_errors_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert runner.invoke(cli, ["validate", "--no-such-flag"]).exit_code == 2


def test_schema_prints_the_json_schema(runner):
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["properties"]["schema_version"]["type"] == "integer"
    assert "dimensions" in schema["required"]


def test_unknown_exporter_lists_the_valid_names(runner):
    result = runner.invoke(cli, ["export", "scrom"])
    assert result.exit_code == 2
    assert "unknown exporter 'scrom'; valid exporters:" in result.output
