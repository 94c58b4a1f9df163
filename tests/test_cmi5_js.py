"""The cmi5 AU's statement builder and launch parsing in Node: what an LRS is sent, rule by rule (cmi5 section 9)."""

import json
import re
import shutil
import subprocess
from importlib.resources import files

NODE = shutil.which("node")
JS = files("leadmanage_templates").joinpath("static", "js")
LAUNCH = {
    "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.example", "name": "ada"}},
    "activityId": "https://lms.example/au/1",
    "registration": "7a1c1e5e-3a4e-4b7e-9f2e-2d7f0d6f1a11",
    "contextTemplate": {
        "contextActivities": {"grouping": [{"id": "urn:x:au"}]},
        "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1"},
    },
    "masteryScore": 0.7,
}
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CHOICE = {
    "objectType": "Activity",
    "id": "urn:leadmanage:l:scenario:s1",
    "definition": {"interactionType": "choice", "correctResponsesPattern": ["b"]},
}


def run_node(script: str) -> object:
    """Run ``script`` with a Builder ``b`` on LAUNCH whose clock stands still (every statement made at one instant)."""
    assert NODE, "node is missing: run `make setup` (Debian nodejs)"
    program = (
        f"const S = require({json.dumps(str(JS.joinpath('cmi5_statements.js')))});\n"
        f"const L = require({json.dumps(str(JS.joinpath('cmi5_launch.js')))});\n"
        f"const b = new S.Builder({json.dumps(LAUNCH)}, () => 1765000000000);\n"
        f"console.log(JSON.stringify({script}));\n"
    )
    done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def categories(statement: dict) -> list[str]:
    return [a["id"] for a in statement["context"].get("contextActivities", {}).get("category", [])]


def test_statements_made_in_one_instant_still_have_increasing_timestamps_and_unique_uuids():
    statements = run_node("[b.initialized(), b.completed(), b.terminated()]")
    stamps = [s["timestamp"] for s in statements]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3
    assert len({s["id"] for s in statements}) == 3
    assert all(
        re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", s["id"])
        for s in statements
    )


def test_defined_statements_carry_the_template_unchanged_plus_the_cmi5_category():
    initialized, completed = run_node("[b.initialized(), b.completed()]")
    for statement in (initialized, completed):
        assert statement["object"] == {"objectType": "Activity", "id": LAUNCH["activityId"]}
        assert statement["context"]["registration"] == LAUNCH["registration"]
        assert statement["context"]["extensions"] == LAUNCH["contextTemplate"]["extensions"]
        assert statement["context"]["contextActivities"]["grouping"] == [{"id": "urn:x:au"}]
    assert categories(initialized) == [CMI5]
    assert "result" not in initialized
    assert categories(completed) == [CMI5, MOVE_ON]
    assert completed["result"] == {"completion": True, "duration": "PT0S"}


def test_judged_uses_scaled_against_mastery_and_names_the_lms_mastery_score():
    passed, failed = run_node("[b.judged(7, 10, 0.7), b.judged(6, 10, 0.7)]")
    assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert passed["result"]["score"] == {"scaled": 0.7, "raw": 7, "min": 0, "max": 10}
    assert passed["result"]["success"] is True
    assert failed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert failed["result"]["success"] is False
    assert failed["result"]["score"]["scaled"] < LAUNCH["masteryScore"]
    mastery = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    assert passed["context"]["extensions"][mastery] == 0.7
    assert all("duration" in s["result"] for s in (passed, failed))


def test_allowed_statements_have_no_cmi5_category_and_the_au_as_parent():
    answered, responded = run_node(
        f"[b.answered({json.dumps(CHOICE)}, 'b'), b.responded({json.dumps(CHOICE)}, 'héllo 😀')]"
    )
    for statement in (answered, responded):
        assert categories(statement) == []
        assert statement["context"]["contextActivities"]["parent"] == [
            {"id": LAUNCH["activityId"], "objectType": "Activity"}
        ]
        assert statement["context"]["registration"] == LAUNCH["registration"]
    assert answered["result"] == {"response": "b", "success": True}
    assert responded["result"] == {"extensions": {"urn:leadmanage:xapi:extension:characters": 7}}
    assert "héllo" not in json.dumps(responded, ensure_ascii=False)


def test_responded_carries_the_text_only_when_the_author_opted_in():
    (opted_in,) = run_node(f"[b.responded({json.dumps(CHOICE)}, 'héllo 😀', true)]")
    assert opted_in["result"] == {"response": "héllo 😀", "extensions": {"urn:leadmanage:xapi:extension:characters": 7}}


def test_language_preference_picks_the_first_language_the_package_offers():
    chosen = run_node(
        "[L.chooseLanguage('fr-FR,es-MX,en', ['es']), L.chooseLanguage('fr-FR,de', ['en']),"
        " L.chooseLanguage(undefined, ['en']), L.chooseLanguage('EN-gb', ['es', 'en'])]"
    )
    assert chosen == ["es", "en", "en", "en"]


def test_durations_are_iso_8601_seconds():
    assert run_node("[S.duration(0), S.duration(61234), S.duration(5)]") == ["PT0S", "PT61.23S", "PT0.01S"]


def test_launch_parameters_need_all_five_web_addresses_and_a_json_object_actor():
    query = "?endpoint=https%3A%2F%2Flrs%2F&fetch=https%3A%2F%2Flms%2Ff&registration=r&activityId=a&actor="
    actors = ["%7B%22name%22%3A%22x%22%7D", "nope", "null", "5", "%5B%5D"]
    calls = [f"L.launchParameters({json.dumps(query + actor)})" for actor in actors]
    hostile = "?endpoint=javascript%3Aalert(1)%2F%2F&fetch=data%3Atext%2Fplain%2Cx&registration=r&activityId=a"
    hostile += "&actor=%7B%7D"
    good, *bad_actors = run_node(f"[{', '.join(calls)}]")
    scripted, missing = run_node(f"[L.launchParameters({json.dumps(hostile)}), L.launchParameters('?endpoint=x')]")
    assert good["actor"] == {"name": "x"}
    assert good["endpoint"] == "https://lrs/"
    assert bad_actors == [{"missing": ["actor"]}] * 4
    assert scripted == {"missing": ["endpoint", "fetch"]}, "no token goes to a javascript: or data: address"
    assert missing["missing"] == ["endpoint", "fetch", "actor", "registration", "activityId"]


def test_work_kept_in_this_browser_is_scoped_to_the_registration_the_lrs_and_the_learner():
    """Another launch on the same registration, with another endpoint or actor, never reads this one's copy."""
    query = "?endpoint={}&fetch=https%3A%2F%2Flms%2Ff&registration=r&activityId=a&actor={}"
    ada, lrs = "%7B%22name%22%3A%22ada%22%7D", "https%3A%2F%2Flrs%2F"
    launches = [query.format(lrs, ada), query.format("https%3A%2F%2Fevil%2F", ada), query.format(lrs, "%7B%7D")]
    scopes = run_node("[" + ", ".join(f"L.launchParameters({json.dumps(q)}).scope" for q in launches) + "]")
    assert len(set(scopes)) == 3
