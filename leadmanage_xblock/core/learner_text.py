"""Learner text made safe to store and to print: the one rule every input path applies.

Text pasted from a word processor can carry invisible control characters (Word's line break is
U+000B), a text area cut at its length limit can leave half of an emoji (a lone surrogate), and an
API client can send anything. None of these can be encoded in UTF-8, XML or a PDF, so one of them
stored would break the learner's workbook, the course's Problem Responses report or an export.
``clean_text`` removes them and nothing else: every character a person can see is kept as typed.
``lesson.js`` applies the same rule in the browser (a test checks that both agree).
"""

import re
import unicodedata

#: Characters no output can carry: C0 controls but tab and line feed, DEL, C1 controls, lone surrogates
#: and the Unicode non-characters. Carriage returns become line feeds first.
UNSTORABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
#: Windows and old Mac line ends, and Unicode's line and paragraph separators (pasted from some word processors
#: and web pages; no workbook font draws them, so they printed as empty boxes): each becomes a line feed.
_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029]")


def clean_text(text: str) -> str:
    """``text`` with every kind of line end as a line feed and every unstorable character removed."""
    return UNSTORABLE.sub("", _LINE_ENDS.sub("\n", text))


def is_clean(text: str) -> bool:
    """Whether ``text`` is already what :func:`clean_text` would make of it."""
    return _LINE_ENDS.search(text) is None and UNSTORABLE.search(text) is None


def direction(text: str) -> str:
    """The direction of a paragraph of ``text``, found as HTML's ``dir="auto"`` finds it.

    Unicode's rule P2: "rtl" or "ltr" after the first strongly directional character (Arabic and Hebrew
    letters are right to left, Latin, Cyrillic, Greek, CJK and Devanagari left to right), "auto" when
    there is none (digits and punctuation only). The PDF needs it spelt out: WeasyPrint sets a paragraph in
    its element's ``direction`` and ignores both ``dir="auto"`` and ``unicode-bidi: plaintext``.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "auto"
