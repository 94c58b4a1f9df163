"""The one Jinja2 environment per language that renders every output: XBlock, SCORM page and PDF."""

import gettext
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

TEMPLATES_PACKAGE = "leadmanage_templates"
LOCALE_DIR = files("leadmanage_xblock").joinpath("conf", "locale")
TEXT_DOMAIN = "django"
#: Languages with a UI catalog and a built-in lesson; every output and the CLI offer these.
LANGUAGES = ("en", "es")


def ui_language(code: str | None) -> str:
    """The interface language for a language tag: ``es-MX`` and ``ES`` give ``es``; anything unknown, ``en``."""
    primary = (code or "en").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else "en"


def translations_for(language: str) -> gettext.NullTranslations:
    """The UI message catalog for a language tag (see :func:`ui_language`)."""
    return _translations(ui_language(language))


@cache
def _translations(language: str) -> gettext.NullTranslations:
    return gettext.translation(TEXT_DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)


def make_environment(language: str = "en") -> Environment:
    """The shared environment for a language tag, built once per UI language so templates are parsed once.

    ``select_autoescape()``'s defaults only match names *ending* in ``.html``/``.xml``, so the
    ``.j2`` forms are listed explicitly: every learner and author string is escaped.
    """
    return _environment(ui_language(language))


@cache
def _environment(language: str) -> Environment:
    env = Environment(
        loader=PackageLoader(TEMPLATES_PACKAGE, ""),
        autoescape=select_autoescape(["html", "xml", "html.j2", "xml.j2", "svg.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations_for(language), newstyle=True)
    return env


def render(template_name: str, context: dict, language: str = "en") -> str:
    """Render ``template_name`` (a path under ``templates/``) with an explicit ``context``.

    Templates never see the XBlock or an exporter: ``context`` holds every name they use.
    """
    return make_environment(language).get_template(template_name).render(context)


@cache
def static_text(name: str) -> str:
    """A shared static asset (``templates/static/<name>``), read once per process."""
    return files(TEMPLATES_PACKAGE).joinpath("static", name).read_text(encoding="utf-8")
