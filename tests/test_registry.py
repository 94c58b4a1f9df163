"""The exporter registry: names, duplicates, typos and entry-point plugins."""

import pytest
from leadmanage_exporters import Exporter, UnknownExporterError, exporter_names, get_exporter, register, registry


class _Plain(Exporter):
    name = "plain-test"
    description = "Titles only, for tests."
    file_extension = "txt"
    mimetype = "text/plain"

    def export(self, lesson):
        return "\n".join(d.title for d in lesson.dimensions).encode()


@pytest.fixture
def isolated_registry(monkeypatch):
    exporter_names()  # the built-ins register on the first lookup: into the registry, not into this test's copy
    monkeypatch.setattr(registry, "_EXPORTERS", dict(registry._EXPORTERS))
    return registry._EXPORTERS


def test_registered_exporter_is_found_and_listed(isolated_registry):
    register(_Plain)
    assert get_exporter("plain-test") is _Plain
    assert "plain-test" in exporter_names()


def test_duplicate_names_are_refused(isolated_registry):
    register(_Plain)
    other = type("Other", (_Plain,), {})
    with pytest.raises(ValueError, match="'plain-test' is already used by"):
        register(other)


def test_unknown_name_lists_valid_names(isolated_registry):
    register(_Plain)
    with pytest.raises(UnknownExporterError, match=r"unknown exporter 'plane'; valid exporters: .*plain-test"):
        get_exporter("plane")


def test_plugins_from_entry_points_are_loaded_once(isolated_registry, monkeypatch):
    class FakeEntryPoint:
        name, value = "plain-test", "tests:_Plain"
        loads = 0

        def load(self):
            FakeEntryPoint.loads += 1
            return _Plain

    monkeypatch.setattr(
        registry, "entry_points", lambda group: [FakeEntryPoint()] if group == registry.ENTRY_POINT_GROUP else []
    )
    registry._load_plugins.cache_clear()
    try:
        assert get_exporter("plain-test") is _Plain
        exporter_names()
        assert FakeEntryPoint.loads == 1
    finally:
        registry._load_plugins.cache_clear()


def test_generic_command_exports_with_a_plugin(isolated_registry, runner, tmp_path):
    from leadmanage_exporters.cli import cli

    register(_Plain)
    out = tmp_path / "titles.txt"
    result = runner.invoke(cli, ["export", "plain-test", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[0].startswith("Goals")
