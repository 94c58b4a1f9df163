"""Long unbroken strings (a URL, an ID, a pasted line without spaces) wrap inside the page, whoever wrote them.

Learner text (name, reflection, plan) and author text (lesson and dimension titles, a scenario option, a
practice tip) each get a 300-character string: every character must be in the PDF's text and on the page.
"""

import io
import re

import pdfplumber
import pytest
import yaml
from leadmanage_exporters.responses import LearnerRecord
from pdf_helpers import render

from leadmanage_xblock.core.content import parse_lesson
from leadmanage_xblock.core.content.loader import builtin_lesson_text

LENGTH = 300


def url(tag: str) -> str:
    return f"https://example.org/{tag}/" + "".join(f"{n:03d}" for n in range(LENGTH))[: LENGTH - len(tag) - 21]


def identifier(tag: str) -> str:
    return (tag.upper() + "".join(f"{n:x}" for n in range(LENGTH)))[:LENGTH]


def pasted(tag: str) -> str:
    return (tag + "Pastedfromasheetwithoutanyspaces" * 10)[:LENGTH]


#: Where each long string goes in the lesson: (path of keys and indexes, the string).
AUTHOR_STRINGS = [
    (("title",), url("lesson")),
    (("dimensions", 0, "title"), identifier("dimension")),
    (("quiz", "scenarios", 0, "options", 0, "text"), pasted("option")),
    (("balancing", "practices", 0, "tips", 0), url("tip")),
]


@pytest.fixture(scope="module")
def long_lesson():
    data = yaml.safe_load(builtin_lesson_text())
    for path, text in AUTHOR_STRINGS:
        *parents, last = path
        place = data
        for key in parents:
            place = place[key]
        place[last] = text
    return parse_lesson(yaml.safe_dump(data, allow_unicode=True))


@pytest.fixture(scope="module")
def long_learner(long_lesson):
    return LearnerRecord(
        "sam",
        full_name=identifier("name"),
        reflection={long_lesson.prompt_ids[0]: url("reflection")},
        action_plan={long_lesson.action_plan_field_ids[0]: pasted("plan")},
    )


def squeezed(text: str) -> str:
    """Text without whitespace or soft hyphens, so where a line broke never matters."""
    return re.sub(r"[\s\u00ad]", "", text)


def chars_off_the_page(pdf) -> list[str]:
    return [
        f"{char['text']!r} on page {page.page_number}"
        for page in pdf.pages
        for char in page.chars
        if char["x0"] < 0 or char["x1"] > page.width or char["top"] < 0 or char["bottom"] > page.height
    ]


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_long_unbroken_strings_are_printed_whole_and_inside_the_page(long_lesson, long_learner, edition):
    personal = edition == "learner"  # the learner's own workbook; the facilitator edition has author text only
    data = render(long_lesson, long_learner if personal else None, edition=edition)
    expected = [text for _, text in AUTHOR_STRINGS]
    if personal:
        expected += [long_learner.full_name, *long_learner.reflection.values(), *long_learner.action_plan.values()]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = squeezed("".join(page.extract_text() for page in pdf.pages))
        assert [string for string in expected if string not in text] == []
        assert chars_off_the_page(pdf) == []
