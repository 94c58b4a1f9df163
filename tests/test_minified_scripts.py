"""The wheel's learner-view scripts are minified (build_templates.py), and behave exactly as the scripts we write.

Minifying them is what keeps the learner view within its weight (docs/benchmarks.md): the XBlock sends them with
every view. Here each script in the checkout is minified as the build does it, then checked: it parses, weighs
less than what an editable install serves, shows the same translatable strings, and gives Node the same results.
"""

import gzip
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from leadmanage_xblock.core.ui_strings import strings_in
from leadmanage_xblock.runtime.assets import compact

REPO = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
_spec = importlib.util.spec_from_file_location("build_templates", REPO / "build_templates.py")
build_templates = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_templates)  # not through sys.path: the checkout must not shadow the installed package


def checkout_path(name: str) -> Path:
    """A script of ``MINIFIED_SCRIPTS`` (a path in the build) where the checkout keeps it."""
    package, _, rest = name.partition("/")
    return REPO / ("templates" if package == "leadmanage_templates" else package) / rest


def gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), 9))


@pytest.mark.parametrize("name", build_templates.MINIFIED_SCRIPTS)
def test_a_minified_script_parses_weighs_less_and_shows_the_same_strings(name):
    source = checkout_path(name).read_text(encoding="utf-8")
    minified = build_templates.minify_script(source)
    assert gzip_size(minified) < gzip_size(compact(source))
    checked = subprocess.run([NODE, "--check"], input=minified, text=True, capture_output=True)
    assert checked.returncode == 0, checked.stderr
    assert strings_in(minified) == strings_in(source)


def test_a_script_whose_shortened_names_would_hide_a_string_keeps_its_names():
    """``reasonOf(error, t)`` in ui_strings.js: a parameter ``t`` renamed would take its strings off the page's map."""
    source = '(function () { function reason(error, t) { return t("the server could not be reached"); } }());'
    assert strings_in(build_templates.minify_script(source)) == ("the server could not be reached",)


#: What each script gives Node, the same whether loaded from the sources or from their minified copies.
BEHAVIOUR = """
const load = (name) => require(require("path").join(process.argv[1], name));
const S = load("ui_strings.js"), L = load("lesson.js"), H = load("xblock_http.js"), X = load("leadmanage.js");
const t = (key, values) => "[" + S.fill(key, values || {}) + "]";
const conflict = H.refusal(409, {error: "", conflicts: [{kind: "reflection", id: "a"}], next_attempt: 2});
console.log(JSON.stringify([
  [S, L, H, X].map((api) => Object.keys(api)),
  L.cleanText("a\\r\\nb\\u0000c\\uFFFEd\\uD800e\\tf"),
  S.fill("%(correct)s of %(total)s (%(percent)s%%)", {correct: 3, total: 4, percent: 75}),
  [new Error("Said."), Object.assign(new Error(""), {status: 502}), new Error("")].map((e) => S.reasonOf(e, t)),
  H.csrfToken("a=1; csrftoken=abc%20d; b=2"),
  [conflict.status, conflict.retry, conflict.conflicts, conflict.nextAttempt, H.refusal(503, null).retry],
]));
"""


def test_minified_scripts_give_node_what_their_sources_give(tmp_path):
    minified = tmp_path / "minified"
    minified.mkdir()
    for name in build_templates.MINIFIED_SCRIPTS:
        source = checkout_path(name)
        (minified / source.name).write_text(build_templates.minify_script(source.read_text(encoding="utf-8")))
        shutil.copy(source, tmp_path / source.name)

    def results(folder: Path) -> list:
        done = subprocess.run([NODE, "-e", BEHAVIOUR, str(folder)], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    assert results(minified) == results(tmp_path)
