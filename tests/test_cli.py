"""The ``leadmanage`` command line, through Click's runner."""

import json

from leadmanage_exporters.cli import cli
from lesson_patches import DELETE, line_of, patched_builtin

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


def test_validate_lists_every_problem_with_file_and_line_and_exits_1(runner, tmp_path):
    text = patched_builtin({"duration_minutes": "ten", "dimensions[0].takeaway": DELETE})
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "2 problems in the lesson" in result.output
    assert f"{path}:{line_of(text, 'duration_minutes: ten')}: duration_minutes: " in result.output
    assert f"{path}:{line_of(text, 'id: goals')}: dimensions[0].takeaway: " in result.output


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
