"""Shared fixtures: lesson files, the CLI runner."""

import pytest
from click.testing import CliRunner
from fixture_paths import CONTENT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def builtin_lesson():
    from leadmanage_xblock.core.content import load_builtin_lesson

    return load_builtin_lesson()


@pytest.fixture(scope="session")
def escaped_lesson():
    """Every author string contains <b>, &, quotes and <script>: outputs must show it as text."""
    from leadmanage_xblock.core.content import load_lesson

    return load_lesson(CONTENT / "need_escaped.yaml")


@pytest.fixture(scope="session")
def minimal_lesson():
    from leadmanage_xblock.core.content import load_lesson

    return load_lesson(CONTENT / "minimal.yaml")


@pytest.fixture(autouse=True)
def fresh_request_limits():
    """Each test is a new course: attempt claims and download counts of an earlier test do not carry over."""
    from django.conf import settings

    from leadmanage_xblock.runtime import request_limits

    request_limits._local.clear()  # noqa: SLF001 (the process-local store has no public reset)
    if settings.configured:  # some test modules set Django up; its cache then holds the claims
        from django.core.cache import cache

        cache.clear()
