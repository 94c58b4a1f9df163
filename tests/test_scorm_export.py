"""The SCORM package: manifest per target, a self-contained launch page, deterministic bytes, the CLI."""

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser

import pytest
from fixture_paths import CONTENT
from leadmanage_exporters import ExportError, get_exporter
from leadmanage_exporters.cli import cli
from leadmanage_exporters.scorm import ScormExporter, interaction_ids
from leadmanage_exporters.scorm_manifest import TARGETS
from lxml import etree

ADLCP12 = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
ADLCP2004 = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
IMSSS = "{http://www.imsglobal.org/xsd/imsss}"


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def manifest_of(data: bytes) -> etree._Element:
    return etree.fromstring(unzip(data)["imsmanifest.xml"])


def local(element) -> str:
    return etree.QName(element).localname


@pytest.mark.parametrize(
    ("target", "schemaversion"),
    [("scorm12", "1.2"), ("scorm2004-3", "2004 3rd Edition"), ("scorm2004-4", "2004 4th Edition")],
)
def test_manifest_names_the_exact_schemaversion_and_one_sco_listing_every_file(builtin_lesson, target, schemaversion):
    data = ScormExporter(target).export(builtin_lesson)
    root = manifest_of(data)
    assert root.xpath("string(*[local-name()='metadata']/*[local-name()='schemaversion'])") == schemaversion
    organizations = root.xpath("*[local-name()='organizations']/*[local-name()='organization']")
    assert len(organizations) == 1
    assert len(organizations[0].xpath(".//*[local-name()='item']")) == 1
    resources = root.xpath("*[local-name()='resources']/*")
    sco = resources[0]
    assert sco.get("href") == "index.html"
    spelling = f"{ADLCP12}scormtype" if target == "scorm12" else f"{ADLCP2004}scormType"
    assert sco.get(spelling) == "sco"
    listed = {file.get("href") for file in sco}
    assert listed == set(unzip(data)) - {"imsmanifest.xml"}


def test_scorm12_mastery_is_the_masteryscore(builtin_lesson):
    root = manifest_of(ScormExporter("scorm12", mastery=70).export(builtin_lesson))
    assert [e.text for e in root.iter(f"{ADLCP12}masteryscore")] == ["70"]
    plain = manifest_of(ScormExporter("scorm12", mastery=None).export(builtin_lesson))
    assert list(plain.iter(f"{ADLCP12}masteryscore")) == []


@pytest.mark.parametrize("target", ["scorm2004-3", "scorm2004-4"])
def test_scorm2004_mastery_is_a_primary_objective_satisfied_by_measure(builtin_lesson, target):
    root = manifest_of(ScormExporter(target, mastery=75).export(builtin_lesson))
    (objective,) = root.iter(f"{IMSSS}primaryObjective")
    assert objective.get("satisfiedByMeasure") == "true"
    assert objective.findtext(f"{IMSSS}minNormalizedMeasure") == "0.75"
    plain = manifest_of(ScormExporter(target, mastery=None).export(builtin_lesson))
    assert list(plain.iter(f"{IMSSS}primaryObjective")) == []


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


@pytest.mark.parametrize("target", list(TARGETS))
def test_launch_page_loads_only_files_inside_the_package(builtin_lesson, target):
    files = unzip(ScormExporter(target).export(builtin_lesson))
    parser = _References()
    parser.feed(files["index.html"].decode("utf-8"))
    external = [url for url in parser.urls if not url.startswith("#") and url not in files]
    assert parser.urls
    assert external == []
    css_urls = re.findall(r"url\(([^)]*)\)", files["css/lesson.css"].decode("utf-8"))
    assert [url for url in css_urls if "//" in url] == []


def test_launch_page_is_the_shared_module_with_every_activity(builtin_lesson):
    page = unzip(ScormExporter().export(builtin_lesson))["index.html"].decode("utf-8")
    assert 'class="lm-module"' in page
    for item in builtin_lesson.quiz.scenarios + builtin_lesson.quiz.ratings.items:
        assert f'data-item="{item.id}"' in page
    for prompt in builtin_lesson.reflection.prompts:
        assert f'data-field="{prompt.id}"' in page


def test_author_markup_is_shown_as_text_in_page_config_and_manifest(escaped_lesson):
    files = unzip(ScormExporter("scorm2004-4").export(escaped_lesson))
    page = files["index.html"].decode("utf-8")
    assert "<script>alert" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    config = re.search(r'<script type="application/json" id="lm-scorm-config">(.*?)</script>', page, re.S).group(1)
    assert "<" not in config  # the JSON cannot end its script element
    guidance = json.loads(config)["key"]["dimensions"][0]["guidance"]["leading"]
    assert '<script>alert("x")</script>' in guidance  # the data is intact; lesson.js writes it with textContent
    title = etree.fromstring(files["imsmanifest.xml"]).xpath("string(//*[local-name()='title'])")
    assert title == escaped_lesson.title


def test_same_lesson_gives_identical_bytes(builtin_lesson, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for target in TARGETS:
        assert ScormExporter(target).export(builtin_lesson) == ScormExporter(target).export(builtin_lesson)


def test_entries_are_sorted_with_fixed_times_from_source_date_epoch(builtin_lesson, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(io.BytesIO(ScormExporter().export(builtin_lesson))) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert all(name.isascii() and not name.startswith("/") and ".." not in name for name in names)


def test_bad_source_date_epoch_is_a_clear_error(builtin_lesson, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH"):
        ScormExporter().export(builtin_lesson)


def test_interaction_ids_are_valid_for_each_version(builtin_lesson):
    ids12 = interaction_ids(builtin_lesson, TARGETS["scorm12"]).values()
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,255}", value) for value in ids12)
    ids2004 = list(interaction_ids(builtin_lesson, TARGETS["scorm2004-4"]).values())
    assert all(value.startswith("urn:leadmanage:leading_vs_managing:") and " " not in value for value in ids2004)
    assert len(set(ids2004)) == len(ids2004)


def test_exporter_is_registered_and_refuses_bad_options():
    assert get_exporter("scorm") is ScormExporter
    with pytest.raises(ExportError, match="scorm12"):
        ScormExporter("scorm2005")
    with pytest.raises(ExportError, match="0 to 100"):
        ScormExporter(mastery=101)


def test_cli_writes_the_default_target_under_dist(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["export", "scorm"])
    assert result.exit_code == 0, result.output
    assert "dist/leading_vs_managing-scorm12.zip" in result.output
    written = (tmp_path / "dist" / "leading_vs_managing-scorm12.zip").read_bytes()
    assert b"<schemaversion>1.2</schemaversion>" in unzip(written)["imsmanifest.xml"]


def test_cli_target_content_and_completion_only(runner, tmp_path):
    out = tmp_path / "pkg.zip"
    args = ["export", "scorm", "--content", str(CONTENT / "minimal.yaml"), "--target", "scorm2004-3"]
    result = runner.invoke(cli, [*args, "--completion-only", "-o", str(out)])
    assert result.exit_code == 0, result.output
    manifest = unzip(out.read_bytes())["imsmanifest.xml"]
    assert b"2004 3rd Edition" in manifest
    assert b"primaryObjective" not in manifest


def test_cli_refuses_mastery_with_completion_only_and_out_of_range(runner, tmp_path):
    both = runner.invoke(cli, ["export", "scorm", "--mastery", "70", "--completion-only", "-o", str(tmp_path / "x")])
    assert both.exit_code == 2
    assert "exclude each other" in both.output
    high = runner.invoke(cli, ["export", "scorm", "--mastery", "150", "-o", str(tmp_path / "y")])
    assert high.exit_code == 2
    assert "150" in high.output
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "y").exists()


def test_separate_runs_write_identical_bytes(tmp_path):
    # Separate processes with different hash seeds: nothing may depend on set or dict iteration order.
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}.zip"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        command = [sys.executable, "-m", "leadmanage_exporters", "export", "scorm", "--target", "scorm2004-4"]
        subprocess.run([*command, "-o", str(out)], check=True, env=env, capture_output=True, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
