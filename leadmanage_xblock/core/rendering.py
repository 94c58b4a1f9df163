"""The one Jinja2 environment per language that renders every output: XBlock, SCORM page and PDF.

A built wheel also ships every template compiled to Python (``compiled/`` in the templates package, written by
``build_templates.py`` with :func:`compile_templates`), so a new process renders without parsing a template.
"""

import gettext
import shutil
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Protocol, cast

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    ModuleLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)

from .languages import LANGUAGES as LANGUAGES  # re-exported: modules that render import it from here
from .languages import ui_language
from .learner_text import direction

TEMPLATES_PACKAGE = "leadmanage_templates"
#: The folder of the templates package that holds the compiled templates, in a built wheel only.
COMPILED_FOLDER = "compiled"
LOCALE_DIR = files("leadmanage_xblock").joinpath("conf", "locale")
TEXT_DOMAIN = "django"


class _GettextEnvironment(Protocol):
    """The method ``jinja2.ext.i18n`` adds to an environment (with ``Environment.extend``, so untyped)."""

    def install_gettext_translations(
        self, translations: gettext.NullTranslations, newstyle: bool | None = None
    ) -> None: ...


def translations_for(language: str) -> gettext.NullTranslations:
    """The UI message catalog for a language tag (see :func:`ui_language`)."""
    return _translations(ui_language(language))


@cache
def _translations(language: str) -> gettext.NullTranslations:
    return gettext.translation(TEXT_DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)


def make_environment(language: str = "en") -> Environment:
    """The shared environment for a language tag, built once per UI language so templates are loaded once."""
    return _environment(ui_language(language))


@cache
def _environment(language: str) -> Environment:
    env = new_environment(_template_loader())
    # cast: new_environment loads jinja2.ext.i18n, which adds the method at run time; jinja2's hints cannot know it.
    cast("_GettextEnvironment", env).install_gettext_translations(translations_for(language), newstyle=True)
    return env


def new_environment(loader: BaseLoader) -> Environment:
    """An environment with the options every template is compiled and rendered with (no translations yet).

    ``select_autoescape()``'s defaults only match names *ending* in ``.html``/``.xml``, so the
    ``.j2`` forms are listed explicitly: every learner and author string is escaped.
    """
    environment = Environment(
        loader=loader,
        autoescape=select_autoescape(["html", "xml", "html.j2", "xml.j2", "svg.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.filters["direction"] = direction  # the dir of learner text a PDF prints (learner_text.direction)
    return environment


def _template_loader() -> BaseLoader:
    """The compiled templates in front of their sources; the sources alone where nothing was compiled.

    Parsing the templates took a new process about 0.1 s (a new LMS worker's first view, every
    ``leadmanage export``). A checkout or an editable install has no compiled copy, so an edit shows at once.
    """
    sources = PackageLoader(TEMPLATES_PACKAGE, "")
    compiled = files(TEMPLATES_PACKAGE).joinpath(COMPILED_FOLDER)
    return ChoiceLoader([ModuleLoader(str(compiled)), sources]) if compiled.is_dir() else sources


def compile_templates(package_dir: Path) -> Path:
    """Compile every template under ``package_dir`` into ``package_dir/compiled`` (replaced); return that folder.

    Raises:
        jinja2.TemplateSyntaxError: a template does not parse (the build fails rather than ship it).
    """
    target = package_dir / COMPILED_FOLDER
    shutil.rmtree(target, ignore_errors=True)  # a template removed since the last build must not linger
    environment = new_environment(FileSystemLoader(package_dir))
    environment.compile_templates(target, extensions=["j2"], zip=None, ignore_errors=False)
    return target


def render(template_name: str, context: Mapping[str, object], language: str = "en") -> str:
    """Render ``template_name`` (a path under ``templates/``) with an explicit ``context``.

    Templates never see the XBlock or an exporter: ``context`` holds every name they use.
    """
    return make_environment(language).get_template(template_name).render(context)


@cache
def static_text(name: str) -> str:
    """A shared static asset (``templates/static/<name>``), read once per process."""
    return files(TEMPLATES_PACKAGE).joinpath("static", name).read_text(encoding="utf-8")
