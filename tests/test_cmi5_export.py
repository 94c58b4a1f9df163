"""The cmi5 package: cmi5.xml against the official CourseStructure XSD, one AU, deterministic bytes, the CLI.

``check-package`` accepts it and names what is wrong with broken ones.
"""

import io
import json
import re
import zipfile

import pytest
from english_leftovers import english_in
from fixture_paths import REPO
from leadmanage_exporters import get_exporter
from leadmanage_exporters.cli import cli
from leadmanage_exporters.cmi5 import Cmi5Exporter
from lxml import etree

XSD = REPO / "exporters" / "schemas" / "cmi5" / "CourseStructure.xsd"
CS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def structure(data: bytes) -> etree._Element:
    return etree.fromstring(unzip(data)["cmi5.xml"])


def official_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def page_config(data: bytes) -> dict:
    html = unzip(data)["index.html"].decode()
    found = re.search(r'<script type="application/json" id="lm-scorm-config">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_cmi5_xml_is_valid_against_the_official_xsd_with_one_au_launching_the_page(builtin_lesson):
    data = Cmi5Exporter().export(builtin_lesson)
    root = structure(data)
    official_schema().assertValid(root)
    (au,) = root.iter(f"{CS}au")
    assert au.findtext(f"{CS}url") == "index.html"
    assert "index.html" in unzip(data)
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.7")
    assert au.findtext(f"{CS}title/{CS}langstring") == builtin_lesson.title


def test_mastery_and_completion_only_set_move_on_and_mastery_score(builtin_lesson):
    au = next(structure(Cmi5Exporter(mastery=85).export(builtin_lesson)).iter(f"{CS}au"))
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.85")
    au = next(structure(Cmi5Exporter(mastery=None).export(builtin_lesson)).iter(f"{CS}au"))
    assert (au.get("moveOn"), au.get("masteryScore")) == ("Completed", None)
    assert page_config(Cmi5Exporter(mastery=None).export(builtin_lesson))["mastery"] is None


def test_the_same_lesson_gives_the_same_bytes(builtin_lesson, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert Cmi5Exporter().export(builtin_lesson) == Cmi5Exporter().export(builtin_lesson)


def test_texts_needing_escapes_stay_valid_xml_and_read_back_unchanged(escaped_lesson):
    root = structure(Cmi5Exporter().export(escaped_lesson))
    official_schema().assertValid(root)
    assert root.findtext(f"{CS}course/{CS}title/{CS}langstring") == escaped_lesson.title


def test_the_page_carries_each_items_interaction_definition_and_may_call_any_lrs(builtin_lesson):
    data = Cmi5Exporter().export(builtin_lesson)
    activities = page_config(data)["activities"]
    scenario = builtin_lesson.quiz.scenarios[0]
    definition = activities[scenario.id]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == [scenario.correct_option.id]
    assert [choice["id"] for choice in definition["choices"]] == [option.id for option in scenario.options]
    rating = builtin_lesson.quiz.ratings.items[0]
    assert activities[rating.id]["definition"]["interactionType"] == "likert"
    html = unzip(data)["index.html"].decode()
    assert "connect-src 'self' *;" in html
    assert all(
        f"js/{name}" in html for name in ("cmi5_launch.js", "cmi5_session.js", "cmi5_lrs.js", "cmi5_statements.js")
    )
    assert "scorm_api.js" not in html


def texts(value) -> list[str]:
    """The string values in decoded JSON (keys are field names or ids, never shown)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return [value] if isinstance(value, str) else []


def test_cli_lang_es_gives_a_spanish_course_interactions_and_notices(runner, tmp_path):
    target = tmp_path / "es.zip"
    assert runner.invoke(cli, ["export", "cmi5", "--lang", "es", "-o", str(target)]).exit_code == 0
    data = target.read_bytes()
    root = structure(data)
    assert {element.get("lang") for element in root.iter(f"{CS}langstring")} == {"es"}
    assert english_in(" ".join(root.itertext()), "es") == []
    definitions = [activity["definition"] for activity in page_config(data)["activities"].values()]
    assert {key for definition in definitions for key in definition["name"]} == {"es"}
    assert english_in("\n".join(texts(definitions)), "es") == []
    html = unzip(data)["index.html"].decode()
    found = re.search(r'<script type="application/json" class="lm-strings">(.*?)</script>', html, re.S)
    assert found
    strings = json.loads(found.group(1))  # what cmi5_launch.js's t("…") shows a Spanish learner
    assert (
        strings["Connection restored: all your work is saved."]
        == "Conexión restablecida: todo su trabajo está guardado."
    )
    assert strings["You are reviewing your work as it was saved: it is read-only and nothing is recorded."] == (
        "Está revisando su trabajo tal como se guardó: es de solo lectura y no se registra nada."
    )
    assert strings[
        "Your LMS is not answering yet. Your work is kept in this browser while this page tries again."
    ].startswith("Su LMS aún no responde.")


def test_learner_texts_stay_out_of_statements_unless_the_author_passes_send_text(runner, tmp_path):
    assert "--send-text" in runner.invoke(cli, ["export", "cmi5", "--help"]).output
    default, opted_in = tmp_path / "default.zip", tmp_path / "text.zip"
    assert runner.invoke(cli, ["export", "cmi5", "-o", str(default)]).exit_code == 0
    assert runner.invoke(cli, ["export", "cmi5", "--send-text", "-o", str(opted_in)]).exit_code == 0
    assert page_config(default.read_bytes())["sendText"] is False
    assert page_config(opted_in.read_bytes())["sendText"] is True


def test_action_plan_fields_are_activities_of_their_own(builtin_lesson):
    activities = page_config(Cmi5Exporter().export(builtin_lesson))["activities"]
    for field in builtin_lesson.action_plan.fields:
        activity = activities[f"action_plan:{field.id}"]
        assert activity["id"] == f"urn:leadmanage:leading_vs_managing:action_plan:{field.id}"
        assert activity["definition"]["name"] == {"en": field.label}
        assert activity["definition"]["interactionType"] == "long-fill-in"


def test_registered_as_an_exporter():
    assert get_exporter("cmi5") is Cmi5Exporter


def test_cli_exports_a_package_check_package_accepts(runner, tmp_path):
    target = tmp_path / "course.zip"
    result = runner.invoke(cli, ["export", "cmi5", "--mastery", "80", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert next(structure(target.read_bytes()).iter(f"{CS}au")).get("masteryScore") == "0.8"
    result = runner.invoke(cli, ["check-package", str(target)])
    assert result.exit_code == 0, result.output
    assert "no problems found (cmi5: semantic checks and the CourseStructure XSD)" in result.output


def test_cli_refuses_mastery_with_completion_only(runner, tmp_path):
    result = runner.invoke(
        cli, ["export", "cmi5", "--mastery", "80", "--completion-only", "-o", str(tmp_path / "x.zip")]
    )
    assert result.exit_code == 2
    assert "--mastery and --completion-only exclude each other" in result.output


def broken(builtin_lesson, edit) -> bytes:
    files = unzip(Cmi5Exporter().export(builtin_lesson))
    edit(files)
    return rezip(files)


def replace_in_structure(old: str, new: str):
    def edit(files: dict[str, bytes]) -> None:
        assert old.encode() in files["cmi5.xml"]
        files["cmi5.xml"] = files["cmi5.xml"].replace(old.encode(), new.encode())

    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda files: files.pop("index.html"),
            "cmi5.xml: AU 'urn:leadmanage:course:leading_vs_managing:au:module' "
            "launches 'index.html', which is not in the package",
        ),
        (
            replace_in_structure('moveOn="CompletedAndPassed"', 'moveOn="Finished"'),
            "'Finished' is not an element of the set",
        ),
        (replace_in_structure("<url>index.html</url>", "<url></url>"), "cmi5.xml: XSD: "),
        (replace_in_structure('masteryScore="0.7"', 'masteryScore="70"'), "masteryScore"),
        (
            replace_in_structure(":au:module", ""),
            "cmi5.xml: <au id='urn:leadmanage:course:leading_vs_managing'>: id used twice",
        ),
        (
            replace_in_structure("<?xml version='1.0' encoding='utf-8'?>", "<?xml version='1.0'?><!DOCTYPE x []>"),
            "cmi5.xml has a DOCTYPE; cmi5 course structures need none",
        ),
        (replace_in_structure("</courseStructure>", ""), "cmi5.xml is not well-formed XML"),
        (replace_in_structure("profiles/cmi5/v1", "profiles/cmi5/v9"), "not in the cmi5 namespace"),
    ],
    ids=[
        "launch-file-missing",
        "bad-move-on",
        "empty-url",
        "mastery-not-a-fraction",
        "duplicate-id",
        "doctype",
        "not-xml",
        "wrong-namespace",
    ],
)
def test_check_package_names_what_is_wrong_with_a_broken_cmi5_package(runner, builtin_lesson, tmp_path, edit, expected):
    path = tmp_path / "broken.zip"
    path.write_bytes(broken(builtin_lesson, edit))
    result = runner.invoke(cli, ["check-package", str(path)])
    assert result.exit_code == 1
    assert expected in result.output


def test_vendored_xsd_is_the_official_one_with_its_licence():
    notice = (XSD.parent / "README.md").read_text()
    assert "Apache License 2.0" in notice
    assert "Apache License" in (XSD.parent / "LICENSE").read_text()
    assert official_schema() is not None


THIRD_PARTY = b"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.edu/courses/geology">
    <title><langstring lang="en-US">Geology</langstring></title>
    <description><langstring lang="en-US">Rocks</langstring></description>
  </course>
  <objectives>
    <objective id="https://example.edu/objectives/plates">
      <title><langstring lang="en-US">Plates</langstring></title>
      <description><langstring lang="en-US">Plate tectonics</langstring></description>
    </objective>
  </objectives>
  <block id="https://example.edu/courses/geology/blocks/1">
    <title><langstring lang="en-US">Part 1</langstring></title>
    <description><langstring lang="en-US">Basics</langstring></description>
    <au id="https://example.edu/courses/geology/aus/local" moveOn="Passed" masteryScore="0.8">
      <title><langstring lang="en-US">Local</langstring></title>
      <description><langstring lang="en-US">In the package</langstring></description>
      <url>content/start.html?chapter=1</url>
    </au>
    <au id="https://example.edu/courses/geology/aus/remote">
      <title><langstring lang="en-US">Remote</langstring></title>
      <description><langstring lang="en-US">Served elsewhere</langstring></description>
      <url>https://content.example.edu/geology/remote.html</url>
    </au>
  </block>
</courseStructure>
"""


def test_check_package_accepts_any_valid_cmi5_course_with_blocks_and_remote_aus(runner, tmp_path):
    path = tmp_path / "geology.zip"
    path.write_bytes(rezip({"cmi5.xml": THIRD_PARTY, "content/start.html": b"<!DOCTYPE html><title>x</title>"}))
    result = runner.invoke(cli, ["check-package", str(path)])
    assert result.exit_code == 0, result.output
    path.write_bytes(rezip({"cmi5.xml": THIRD_PARTY}))
    result = runner.invoke(cli, ["check-package", str(path)])
    assert result.exit_code == 1
    assert "launches 'content/start.html?chapter=1', which is not in the package" in result.output
