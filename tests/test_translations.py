"""The UI message catalogs (conf/locale, OEP-58 layout): extracted, complete, compiled and shipped.

The source catalog (en) must hold exactly what Babel extracts from the code today, every translation must
translate every message with the same placeholders, and the committed .mo must be the compiled .po.
"""

import re
import subprocess
import sys
from importlib.metadata import files
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from fixture_paths import REPO

from leadmanage_xblock.core.rendering import translations_for

LOCALE = REPO / "leadmanage_xblock" / "conf" / "locale"
SOURCE = LOCALE / "en" / "LC_MESSAGES" / "django.po"
TRANSLATED = ("es",)
# %(name)s (templates, gettext), {name} (str.format in validation.py) and a literal %%.
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|%%")


def read_catalog(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def messages(catalog) -> dict:
    return {message.id: message for message in catalog if message.id}


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """What `make extract-translations` would write today (the same babel.cfg and keyword)."""
    output = tmp_path_factory.mktemp("extract") / "django.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", "-k", "t", "--no-location", "-o", output, "."],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return set(messages(read_catalog(output)))


def test_extraction_finds_python_template_and_script_strings(extracted):
    assert "Nothing is saved here: sign in as a learner to save your work." in extracted  # handlers.py
    assert "Standalone mode: no LMS was found, so your progress is kept in this browser only." in extracted  # SCORM JS
    assert "Problem weight" in extracted  # fields.py, marked with the no-op _
    assert "Module sections" in extracted  # module.html.j2
    assert "Page %(page)s of %(pages)s" in extracted  # pdf.py
    assert "Saving…" in extracted  # lesson.js's ui.t(...) and studio.js's t(...)


def test_source_catalog_is_up_to_date_with_the_code(extracted):
    committed = set(messages(read_catalog(SOURCE)))
    assert sorted(extracted - committed) == [], "new UI strings: run `make extract-translations`"
    assert sorted(committed - extracted) == [], "strings no longer in the code: run `make extract-translations`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_source_string_is_translated(language):
    translated = messages(read_catalog(po_path(language)))
    problems = []
    for msgid in messages(read_catalog(SOURCE)):
        message = translated.get(msgid)
        if message is None or not message.string:
            problems.append(f"untranslated: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy (needs review): {msgid!r}")
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    wrong = [
        (message.id, message.string)
        for message in messages(read_catalog(po_path(language))).values()
        if message.string and sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string))
    ]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_committed_mo_is_the_compiled_po(language):
    """A .po edited without `make compile-translations` would ship the old strings."""
    po = {message.id: message.string for message in messages(read_catalog(po_path(language))).values()}
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as file:
        mo = {message.id: message.string for message in read_mo(file) if message.id}
    assert mo == po, "the .mo is stale: run `make compile-translations`"


def test_the_installed_package_ships_and_uses_the_catalogs():
    shipped = {str(path) for path in files("leadmanage-xblock")}
    for language in TRANSLATED:
        assert f"leadmanage_xblock/conf/locale/{language}/LC_MESSAGES/django.mo" in shipped
        assert f"leadmanage_xblock/conf/locale/{language}/LC_MESSAGES/django.po" in shipped
    assert translations_for("es").gettext("Save") == "Guardar"
    assert translations_for("en").gettext("Save") == "Save"
    assert translations_for("xx").gettext("Save") == "Save"
