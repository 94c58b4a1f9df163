"""A lesson saved in Studio costs a request what the built-in one costs: a worker scans its YAML once.

XBlock's ``String`` field scans its whole value for characters XML cannot hold when it loads it and on every
read, about 1 ms for a 40 KB lesson: a quiz submission scanned a Studio lesson several times, the built-in lesson
(an empty field) never. ``lesson_yaml`` is a ``LongString``, which keeps the scan's result per distinct text.
"""

from lesson_patches import patched_builtin
from xblock.field_data import DictFieldData
from xblock.fields import String
from xblock_runtime import call, make_block, submission

from leadmanage_xblock.core.content import load_builtin_lesson


def counting_scans(monkeypatch, text: str) -> list[str]:
    """The fields whose scans of ``text`` happen from now on."""
    scans = []
    scan = String._sanitize

    def counted(field, value):
        if value == text:
            scans.append(field.name)
        return scan(field, value)

    monkeypatch.setattr(String, "_sanitize", counted)
    return scans


def test_a_studio_lesson_is_scanned_once_however_many_requests_read_it(monkeypatch):
    text = patched_builtin({"title": "Read by many requests"})  # a text no other test uses: never scanned yet
    scans = counting_scans(monkeypatch, text)
    data = DictFieldData({"lesson_yaml": text})
    for _ in range(3):  # three requests, each with its own block instance
        block = make_block(data)
        assert block.max_score() == len(block.lesson().quiz.scenarios)  # the grade reads it too
        status, _ = call(block, "submit_quiz", submission())
        assert status == 200
    assert len(scans) == 1


def test_a_lesson_written_during_the_request_is_the_one_read_next():
    block = make_block(lesson_yaml=patched_builtin({"title": "Our own lesson"}))
    assert block.lesson().title == "Our own lesson"
    block.lesson_yaml = patched_builtin({"title": "Edited in the same request"})
    assert block.lesson().title == "Edited in the same request"
    del block.lesson_yaml
    assert block.lesson() == load_builtin_lesson()


def test_a_text_is_cleaned_as_xblock_cleans_it():
    block = make_block(lesson_yaml="title: a\x00b\ufffe")
    assert block.lesson_yaml == "title: ab"
