"""Fixtures every test module can use: lessons, the CLI runner, Django as the LMS has it, folders, PDF warnings.

Plain helper functions live in helper modules beside this file (``xblock_runtime``, ``pdf_helpers``,
``lesson_patches``...); fixtures live here, or in ``browser/conftest.py`` for the browser tests.
"""

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixture_paths import CONTENT
from redis_server import running_redis


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


@pytest.fixture(scope="session")
def lms_django():
    """Django set up once per session as the LMS has it: a cache for attempt claims, time zones on, a media folder.

    Configured in this process only when a test asks for it: most tests run the block without Django, as
    the workbench and the XBlock ``TestRuntime`` allow.
    """
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            USE_TZ=True,
            MEDIA_ROOT=tempfile.mkdtemp(prefix="lm-media-"),  # the default storage: rendered workbooks
        )
        django.setup()


@pytest.fixture
def django_language(lms_django):
    """``django_language("es")`` is a context in which the request's language (``translation``) is Spanish."""
    from django.utils import translation

    return translation.override


@pytest.fixture(autouse=True)
def fresh_request_limits():
    """Each test is a new course: attempt claims and download counts of an earlier test do not carry over."""
    from django.conf import settings

    from leadmanage_xblock.runtime import request_limits

    request_limits._local.clear()  # noqa: SLF001 (the process-local store has no public reset)
    if settings.configured:  # once a test has asked for lms_django, its cache holds the claims
        from django.core.cache import cache

        cache.clear()
        shutil.rmtree(Path(settings.MEDIA_ROOT, "leadmanage"), ignore_errors=True)  # and its storage, workbooks


@pytest.fixture
def no_weasyprint_warnings():
    """Fail the test if WeasyPrint logs a warning or error in this process (a missing resource, bad CSS)."""
    from pdf_helpers import weasyprint_logs

    with weasyprint_logs() as messages:
        yield
    assert not messages, f"WeasyPrint warned: {messages}"


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder no file can be created in, for a normal user (mode 555) and for root (immutable attribute)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        locked = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        assert locked.returncode == 0, f"root needs chattr +i for an unwritable folder: {locked.stderr}"
    try:
        with pytest.raises(PermissionError):  # EACCES for a user, EPERM for root: both are PermissionError
            (folder / "probe").touch()
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    """A Redis server for the module's tests (``redis_server.running_redis``), stopped after them."""
    with running_redis(tmp_path_factory.mktemp("redis")) as port:
        yield port


_databases = itertools.count(1)


@pytest.fixture
def broker(redis_port) -> str:
    """A Redis URL on a database no other test uses: no test's workers take another's tasks."""
    return f"redis://127.0.0.1:{redis_port}/{next(_databases)}"
