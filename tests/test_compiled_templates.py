"""A wheel ships its templates compiled to Python, and renders every output from them exactly as from the sources.

A new process used to parse every template it rendered (0.1 s of a new LMS worker's first view and of every
``leadmanage export``). ``build_templates.py`` compiles them into the wheel with ``compile_templates``; here the
templates package is copied, compiled and stripped of its ``.j2`` sources, and a new process that imports that
copy must still produce every output byte for byte.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.scorm import ScormExporter
from xblock_runtime import as_author, html_of, make_block

from leadmanage_xblock.core.content import load_builtin_lesson
from leadmanage_xblock.core.rendering import TEMPLATES_PACKAGE, compile_templates, make_environment

TESTS = Path(__file__).resolve().parent
SOURCES = Path(str(files(TEMPLATES_PACKAGE)))
TEMPLATE_NAMES = sorted(path.relative_to(SOURCES).as_posix() for path in SOURCES.rglob("*.j2"))


def output_digests(template_names: list[str]) -> dict:
    """Where the templates were loaded from, and a digest of each output: XBlock views, SCORM package, workbooks."""
    lesson = load_builtin_lesson()
    outputs = {
        "student_view": html_of(make_block()),
        "studio_view": as_author(make_block()).render("studio_view").content,
        "scorm": ScormExporter("scorm12").export(lesson),
        "scorm_es": ScormExporter("scorm2004-4").export(load_builtin_lesson("es")),
        "learner_workbook": PdfExporter().render_html(lesson),
        "facilitator_workbook": PdfExporter(edition="facilitator").render_html(lesson),
    }
    for name in template_names:
        make_environment().get_template(name)  # every template loads, not only the ones rendered above
    digests = {
        name: hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()
        for name, data in outputs.items()
    }
    return {"templates": str(files(TEMPLATES_PACKAGE)), "outputs": digests}


def test_compiled_templates_render_every_output_without_their_sources(tmp_path):
    package = tmp_path / TEMPLATES_PACKAGE
    shutil.copytree(SOURCES, package, ignore=shutil.ignore_patterns("__pycache__", "compiled"))
    compiled = compile_templates(package)
    for source in package.rglob("*.j2"):
        source.unlink()
    assert len(list(compiled.glob("tmpl_*.py"))) == len(TEMPLATE_NAMES)

    probe = f"import json, test_compiled_templates as t; print(json.dumps(t.output_digests({TEMPLATE_NAMES!r})))"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(TESTS)])}
    result = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    from_compiled = json.loads(result.stdout.splitlines()[-1])

    assert from_compiled["templates"] == str(package)
    assert from_compiled["outputs"] == output_digests(TEMPLATE_NAMES)["outputs"]
