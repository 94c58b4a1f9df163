"""The interface languages: each has a UI catalog and a built-in lesson, and every output and the CLI offer them.

Apart from ``rendering.py`` so that what only needs the list (the CLI's ``--lang`` option) does not load Jinja.
"""

#: Languages with a UI catalog and a built-in lesson.
LANGUAGES = ("en", "es")


def ui_language(code: str | None) -> str:
    """The interface language for a language tag: ``es-MX`` and ``ES`` give ``es``; anything unknown, ``en``."""
    primary = (code or "en").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else "en"
