"""Shared fixtures: lesson files, the CLI runner."""

import pytest
from click.testing import CliRunner
from fixture_paths import CONTENT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def builtin_lesson():
    from leadmanage_xblock.content import load_builtin_lesson

    return load_builtin_lesson()


@pytest.fixture(scope="session")
def escaped_lesson():
    """Every author string contains <b>, &, quotes and <script>: outputs must show it as text."""
    from leadmanage_xblock.content import load_lesson

    return load_lesson(CONTENT / "need_escaped.yaml")


@pytest.fixture(scope="session")
def minimal_lesson():
    from leadmanage_xblock.content import load_lesson

    return load_lesson(CONTENT / "minimal.yaml")
