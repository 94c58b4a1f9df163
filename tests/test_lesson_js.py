"""Our scripts in Node: one module pattern, the pure parts, the HTTP helper, the strings each page is sent.

Every file loads as a Node module and as a plain page script; lesson.js cleans text as the server does; the
XBlock's HTTP helper talks to a real HTTP server; every string a script shows reaches its page translated.
The DOM behaviour itself runs in Chromium (tests/browser/); the SCORM scripts' logic in tests/test_scorm_js.py.
"""

import json
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from hypothesis import given, settings
from hypothesis import strategies as st
from leadmanage_exporters.scorm import SCRIPTS
from test_scorm_js import JS, NODE

from leadmanage_xblock.core.learner_text import clean_text
from leadmanage_xblock.core.module_view import LEARNER_SCRIPTS
from leadmanage_xblock.core.rendering import static_text
from leadmanage_xblock.core.ui_strings import strings_in, ui_strings

PUBLIC = files("leadmanage_xblock").joinpath("public", "js")
#: Every script, as a page loads it (the SCORM page's order, then the XBlock's own), and the global it defines there.
GLOBALS = {
    JS.joinpath("ui_strings.js"): "LeadManageStrings",
    JS.joinpath("lesson_steps.js"): "LeadManageSteps",
    JS.joinpath("lesson.js"): "LeadManage",
    JS.joinpath("scoring.js"): "LeadManageScoring",
    JS.joinpath("scorm_api.js"): "LeadManageScormApi",
    JS.joinpath("scorm_state.js"): "LeadManageScormState",
    JS.joinpath("scorm_tracking.js"): "LeadManageScormTracking",
    JS.joinpath("scorm_launch.js"): "LeadManageScormLaunch",
    PUBLIC.joinpath("xblock_http.js"): "LeadManageHttp",
    PUBLIC.joinpath("leadmanage.js"): "LeadManageXBlock",
    PUBLIC.joinpath("studio.js"): "LeadManageStudio",
}


def node(program: str) -> object:
    """Run ``program`` in Node; it prints one JSON value, which is returned."""
    assert NODE, "node is missing: run `make setup` (Debian nodejs)"
    done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def required(path) -> str:
    return f"require({json.dumps(str(path))})"


def test_every_script_is_a_node_module_that_sets_no_global():
    program = "const out = {};\n"
    for path, name in GLOBALS.items():
        program += f"out[{json.dumps(name)}] = [Object.keys({required(path)}), typeof globalThis.{name}];\n"
    program += "console.log(JSON.stringify(out));"
    loaded = node(program)
    assert loaded["LeadManage"] == [["start", "cleanText"], "undefined"]
    assert loaded["LeadManageStrings"] == [["translator", "fill", "reasonOf"], "undefined"]
    assert loaded["LeadManageHttp"] == [["postJson", "csrfToken", "refusal", "waitForWorkbooks"], "undefined"]
    assert all(kind == "undefined" for _, kind in loaded.values()), "nothing leaks into Node's global object"
    assert all(keys for keys, _ in loaded.values()), "each one exports its API"


def test_in_a_page_every_script_defines_one_global_and_the_init_functions_are_callable():
    """Loaded as plain scripts in order, as the SCORM page and the XBlock fragments do: globals only, no module."""
    sources = json.dumps([path.read_text(encoding="utf-8") for path in GLOBALS])
    program = f"""
      const vm = require("vm");
      const page = vm.createContext({{}});
      const before = new Set(Object.keys(page));
      for (const source of {sources}) vm.runInContext(source, page);
      const added = Object.keys(page).filter(name => !before.has(name));
      console.log(JSON.stringify([added, typeof page.LeadManageXBlock, typeof page.LeadManageStudio]));"""
    added, xblock_init, studio_init = node(program)
    assert sorted(added) == sorted(GLOBALS.values())
    assert (xblock_init, studio_init) == ("function", "function"), "the XBlock runtime calls them by name"


def test_the_page_and_the_scorm_package_load_the_learner_scripts_in_order():
    assert SCRIPTS[: len(LEARNER_SCRIPTS)] == LEARNER_SCRIPTS
    assert LEARNER_SCRIPTS == ("js/ui_strings.js", "js/lesson_steps.js", "js/lesson.js"), (
        "lesson.js reads LeadManageStrings and LeadManageSteps as it loads"
    )


# Any character, lone surrogates included, and the ones a word processor's paste brings more often than chance would.
PASTED = st.one_of(
    st.characters(exclude_categories=()),
    st.sampled_from(["\r\n", "\r", "\x0b", "\u2028", "\u2029", "\ufffe", "\U0010ffff"]),
)


@settings(derandomize=True, max_examples=25, deadline=None)
@given(st.lists(st.lists(PASTED, max_size=30).map("".join), min_size=20, max_size=40))
def test_the_page_cleans_any_text_as_the_server_does(texts):
    program = f"console.log(JSON.stringify({json.dumps(texts)}.map({required(JS.joinpath('lesson.js'))}.cleanText)));"
    assert node(program) == [clean_text(text) for text in texts]


def test_placeholders_are_filled_as_python_fills_them():
    """Every translated string the pages send, filled by the page and by Python's %: the same text."""
    scripts = [static_text(name) for name in SCRIPTS] + [PUBLIC.joinpath("studio.js").read_text(encoding="utf-8")]
    translated = ui_strings("es", *scripts)
    cases = [(text, {name: f"<{name}>" for name in re.findall(r"%\((\w+)\)s", text)}) for text in translated.values()]
    assert any("%%" in text for text, _ in cases), "a literal percent sign is among them"
    strings = required(JS.joinpath("ui_strings.js"))
    filled = node(f"console.log(JSON.stringify({json.dumps(cases)}.map(([t, v]) => {strings}.fill(t, v))));")
    assert filled == [text % values for text, values in cases]


def test_a_failed_request_is_worded_by_the_page_unless_the_server_explained_it():
    strings = required(JS.joinpath("ui_strings.js"))
    program = f"""
      const S = {strings};
      const t = (key, values) => "[" + S.fill(key, values || {{}}) + "]";
      const said = Object.assign(new Error("Nothing was saved."), {{status: 400}});
      const silent = Object.assign(new Error(""), {{status: 502}});
      const offline = Object.assign(new Error(""), {{status: 0}});
      console.log(JSON.stringify([said, silent, offline].map(error => S.reasonOf(error, t))));"""
    assert node(program) == [
        "Nothing was saved.",
        "[the server did not answer (error 502)]",
        "[the server could not be reached]",
    ]


HTTP_SERVER = """
  const http = require("http");
  const Http = %(helper)s;
  const answers = {
    "/saved": [200, "application/json", JSON.stringify({saved: true})],
    "/conflict": [409, "application/json", JSON.stringify({error: "Changed elsewhere.", conflicts: [{kind: "plan",
      id: "first_step", value: "theirs", revision: 2}]})],
    "/attempt": [409, "application/json", JSON.stringify({error: "Submitted elsewhere.", next_attempt: 3})],
    "/problems": [400, "application/json", JSON.stringify({error: "Nothing was saved.", problems: [{field: "weight",
      line: null, message: "Too heavy."}]})],
    "/gateway": [502, "text/html", "<html><body>Bad Gateway</body></html>"],
  };
  const received = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", chunk => { body += chunk; });
    request.on("end", () => {
      received.push({method: request.method, token: request.headers["x-csrftoken"],
        type: request.headers["content-type"], body: JSON.parse(body)});
      const [status, type, text] = answers[request.url];
      response.writeHead(status, {"Content-Type": type});
      response.end(text);
    });
  });
  const outcome = promise => promise.then(reply => ({reply}), error => ({message: error.message,
    status: error.status, retry: error.retry, conflicts: error.conflicts || null,
    nextAttempt: error.nextAttempt || null, problems: error.problems || null}));
  globalThis.document = {cookie: "sessionid=abc; csrftoken=tok%%3Den"};  // Django's cookie, URL-encoded
  server.listen(0, "127.0.0.1", async () => {
    const base = "http://127.0.0.1:" + server.address().port;
    const results = [];
    for (const path of Object.keys(answers)) results.push(await outcome(Http.postJson(base + path, {kind: "plan"})));
    server.close();
    results.push(await outcome(Http.postJson(base + "/saved", {})));  // nobody listens any more
    console.log(JSON.stringify({received, results}));
  });
"""


def test_the_http_helper_sends_json_with_the_csrf_token_and_keeps_what_the_server_said():
    exchange = node(HTTP_SERVER % {"helper": required(PUBLIC.joinpath("xblock_http.js"))})
    assert exchange["received"][0] == {
        "method": "POST",
        "token": "tok=en",
        "type": "application/json",
        "body": {"kind": "plan"},
    }
    saved, conflict, attempt, problems, gateway, offline = exchange["results"]
    assert saved == {"reply": {"saved": True}}
    assert conflict["message"] == "Changed elsewhere."
    assert (conflict["status"], conflict["retry"]) == (409, False)
    assert conflict["conflicts"] == [{"kind": "plan", "id": "first_step", "value": "theirs", "revision": 2}]
    assert (attempt["nextAttempt"], attempt["retry"]) == (3, False)
    assert problems["problems"] == [{"field": "weight", "line": None, "message": "Too heavy."}]
    assert (gateway["message"], gateway["status"], gateway["retry"]) == ("", 502, True), "the page words it"
    assert (offline["message"], offline["status"], offline["retry"]) == ("", 0, True)


ALL_SCRIPTS = sorted(GLOBALS, key=str)
CHECKOUT = Path(__file__).resolve().parent.parent


def as_written(path) -> Path:
    """The checkout's copy of a shipped script, which the catalog is extracted from.

    A wheel ships the learner view's scripts minified (build_templates.py), which Babel's JavaScript lexer does
    not always read; the build checks that the minified copy passes ``t`` the same strings.
    """
    folders = (CHECKOUT / "templates" / "static" / "js", CHECKOUT / "leadmanage_xblock" / "public" / "js")
    return next(folder / path.name for folder in folders if (folder / path.name).exists())


@pytest.mark.parametrize("path", ALL_SCRIPTS, ids=[path.name for path in ALL_SCRIPTS])
def test_the_strings_a_page_sends_are_the_ones_the_catalog_extracts(path):
    """The page's map is built from the same t("…") literals `make extract-translations` puts in the catalog."""
    extracted = extract_from_file("javascript", str(as_written(path)), keywords={"t": None})
    assert list(strings_in(path.read_text(encoding="utf-8"))) == list(
        dict.fromkeys(text for _, text, _, _ in extracted)
    )
