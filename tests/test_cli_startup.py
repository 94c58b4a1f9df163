"""A ``leadmanage`` command loads only what it runs, so the command line starts fast.

``leadmanage --help`` used to load the content model, the templates, both exporters and jsonschema (0.35 s), and
``leadmanage export scorm`` the PDF exporter and the package checker too. Each is checked in a new process, as a
user starts it.
"""

import json
import subprocess
import sys

#: Runs the command line with the given arguments, then prints the modules the process loaded.
PROBE = """
import json, sys
from leadmanage_exporters.cli import cli
try:
    cli(sys.argv[1:], prog_name="leadmanage")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""
#: What reading or exporting a lesson needs, and no listing of the commands does.
LESSON_MACHINERY = {
    "jinja2",
    "yaml",
    "jsonschema",
    "importlib.metadata",
    "leadmanage_xblock.core.content",
    "leadmanage_exporters.scorm",
    "leadmanage_exporters.pdf",
    "leadmanage_exporters.check_package",
}


def modules_loaded_by(*arguments: str, cwd) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_listing_the_commands_loads_no_lesson_template_or_exporter(tmp_path):
    assert modules_loaded_by("--help", cwd=tmp_path) & LESSON_MACHINERY == set()


def test_a_scorm_export_loads_nothing_of_the_pdf_exporter_or_the_package_checker(tmp_path):
    loaded = modules_loaded_by("export", "scorm", "-o", str(tmp_path / "lesson.zip"), cwd=tmp_path)
    assert (tmp_path / "lesson.zip").stat().st_size > 0
    assert "leadmanage_exporters.scorm" in loaded
    assert loaded & {"leadmanage_exporters.pdf", "leadmanage_exporters.check_package", "jsonschema"} == set()
