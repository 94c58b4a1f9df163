"""Build step: the wheel ships its templates compiled, the learner view's scripts minified, the lessons pre-read.

setup.cfg makes :class:`BuildPy` the ``build_py`` command. setuptools copies the packages into the build as
usual; then every template there is compiled into ``leadmanage_templates/compiled/`` with the options the
package renders with (``leadmanage_xblock.core.rendering.compile_templates``), so a new process never parses a
template, the scripts every learner view sends (:data:`MINIFIED_SCRIPTS`) are replaced by minified copies, and
each built-in lesson is also written as the JSON of its data, which the package reads without PyYAML.
An editable install skips this step, so an edit to a template, a script or a lesson shows at once.
"""

import json
import shutil
import sys
from pathlib import Path

from setuptools.command.build_py import build_py

CHECKOUT = Path(__file__).resolve().parent
#: The scripts of the XBlock's learner view (the SCORM page shares the first two), as paths in the build. After
#: the lesson's own text they are most of the view's weight; the other scripts (Studio's, the SCORM runtime's)
#: are not sent with every view and stay as written.
MINIFIED_SCRIPTS = (
    "leadmanage_templates/static/js/ui_strings.js",
    "leadmanage_templates/static/js/lesson_steps.js",
    "leadmanage_templates/static/js/lesson.js",
    "leadmanage_xblock/public/js/xblock_http.js",
    "leadmanage_xblock/public/js/leadmanage.js",
)


class BuildPy(build_py):
    """setuptools' ``build_py``, then the templates compiled and the learner view's scripts minified in the build."""

    def run(self) -> None:
        """Copy the packages into the build, then compile and minify there (not for an editable install)."""
        if self.editable_mode:
            super().run()
            return
        self.remove_earlier_builds()
        super().run()
        sys.path.insert(0, str(CHECKOUT))  # the package being built is not installed in the build environment
        from leadmanage_xblock.core.rendering import compile_templates

        build = Path(self.build_lib)
        compile_templates(build / "leadmanage_templates")
        for name in MINIFIED_SCRIPTS:
            script = build / name
            script.write_text(minify_script(script.read_text(encoding="utf-8")), encoding="utf-8")
        for lesson in (build / "leadmanage_xblock/core/content/lessons").glob("*.yaml"):
            lesson.with_suffix(".json").write_text(lesson_json(lesson.read_text(encoding="utf-8")), encoding="utf-8")

    def remove_earlier_builds(self) -> None:
        """Empty the build's copy of each package first.

        setuptools reuses ``build/lib`` in a checkout and only adds to it: a module since moved or deleted would
        still be there, and ship in every later wheel beside the code that replaced it.
        """
        for package in {name.partition(".")[0] for name in self.packages or ()}:
            shutil.rmtree(Path(self.build_lib, package), ignore_errors=True)


def lesson_json(text: str) -> str:
    """The data of a built-in lesson's YAML ``text`` as JSON, read by ``load_builtin_lesson`` in a new process.

    Raises:
        ValueError: the text has a problem (the build fails rather than ship a lesson that reads differently).
    """
    from leadmanage_xblock.core.content.yaml_source import read_yaml

    data, _lines, problems = read_yaml(text)
    if problems:
        raise ValueError(f"a built-in lesson has problems: {problems}")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def minify_script(source: str) -> str:
    """``source`` (one of our ES5 scripts) without comments and spaces, its local names shortened.

    Global and property names stay, and so does each ``t("…")`` literal the page's translations are looked up
    by (``leadmanage_xblock.core.ui_strings``): where shortening a name would hide one (a parameter called
    ``t``), the script keeps its names and only loses its spaces.

    Raises:
        ValueError: the minified script shows other strings than the source (the build fails rather than ship it).
    """
    from calmjs.parse import es5
    from calmjs.parse.unparsers.es5 import minify_print

    from leadmanage_xblock.core.ui_strings import strings_in

    for shorten_names in (True, False):
        minified = minify_print(es5(source), obfuscate=shorten_names, obfuscate_globals=False)
        if strings_in(minified) == strings_in(source):
            return minified + "\n"
    raise ValueError("minifying changed the strings a script passes to t()")
