"""The block's own CSS and JavaScript, compacted and read once per process.

The source files keep their comments for readers; learners download about a quarter less.
"""

import re
from functools import cache
from importlib.resources import files

from leadmanage_xblock.core.rendering import static_text

# Whole-line comments and indentation of our own CSS and JS; nothing else in them is touched.
# A comment that is followed by code on its closing line is left alone.
_COMMENT_LINES = re.compile(r"^[ \t]*/\*(?:[^*]|\*(?!/))*\*/[ \t]*$|^[ \t]*//[^\n]*$", re.MULTILINE)
_INDENTATION = re.compile(r"\n\s+")
# In CSS, spaces and line breaks next to { } ; , and after : mean nothing, except inside quoted strings,
# which the first alternative matches whole and keeps as they are.
_CSS_PUNCTUATION = re.compile(r"(\"[^\"]*\"|'[^']*')|\s*([{};,])\s*|(?<=:)\s+")


@cache
def compact_asset(name: str) -> str:
    """A shared static asset (``css/…``, ``js/…``) without its comment lines and indentation, read once."""
    text = compact(static_text(name))
    return _CSS_PUNCTUATION.sub(lambda m: m.group(1) or m.group(2) or "", text) if name.endswith(".css") else text


@cache
def public_asset(*path: str) -> str:
    """One of the block's own files under ``public/`` (its init scripts, the editor's CSS), compacted, read once."""
    return compact(files("leadmanage_xblock").joinpath("public", *path).read_text(encoding="utf-8"))


def compact(source: str) -> str:
    """``source`` (our own CSS or JS) without whole-line comments and indentation."""
    return _INDENTATION.sub("\n", _COMMENT_LINES.sub("", source)).strip() + "\n"
