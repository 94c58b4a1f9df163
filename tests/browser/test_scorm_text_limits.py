"""SCORM 1.2 keeps at most 4,096 characters of a learner's work (cmi.suspend_data), shared by every answer.

Text typed or pasted past that space is cut to what fits, never refused whole, and the learner is told how much was
kept and why; every counter shows the room left for its field given the others. Same rig as test_scorm_runtime.py.
"""

import json
import re

from scorm_harness import Module, all_ratings, answers_with, calls, open_host
from scorm_log import last_values, problems

#: The save status once stored (a pattern is case-sensitive; the text "Saved" also matches "Unsaved changes").
SAVED = re.compile("Saved")

# Each accented letter is stored as a six-character escape: 1,971 letters (under a field's 2,000) need 3,726.
ACCENTED = "¿Qué acción tomé según él? Más diálogo, menos órdenes: ¡ánimo, compañía! " * 27
ROOM = "only {} more fit: the saving space is shared by all your answers"


def box(module: Module, kind: str, field: str):
    return module.frame.locator(f"#{module.prefix}{kind}-{field}")


def paste(module: Module, kind: str, field: str, text: str, caret: int | None = None) -> None:
    """Put ``text`` in at ``caret`` (default: the end) with one input event, as a paste does."""
    module.go(kind)
    target = box(module, kind, field)
    target.evaluate("(node, at) => { node.focus(); node.setSelectionRange(at, at); }", caret or target.input_value())
    module.frame.page.keyboard.insert_text(text)


def counter(module: Module, kind: str, field: str) -> str:
    return module.frame.locator(f"#{module.prefix}{kind}-{field}-count").text_content()


def status(module: Module, kind: str) -> str:
    return module.frame.locator(f".lm-status[data-kind='{kind}']").text_content()


def room_left(module: Module, kind: str, field: str) -> int:
    """The room the field's counter shows, given every other field."""
    text = counter(module, kind, field)
    left = int(text.split("only ")[1].split(" ")[0])
    assert ROOM.format(left) in text
    return left


def test_a_paste_too_long_for_scorm12_keeps_what_fits_and_says_how_much_and_why(page, site, builtin_lesson):
    module = open_host(page, site, "1.2", "scorm12")
    paste(module, "reflection", "roles_today", ACCENTED)  # every other field is empty
    kept = module.text("reflection", "roles_today")
    assert 0 < len(kept) < len(ACCENTED)
    assert ACCENTED.startswith(kept)
    assert status(module, "reflection") == (
        f"Kept {len(kept)} of the {len(ACCENTED)} characters you added: SCORM 1.2 stores at most 4,096 characters "
        "for all your answers together, quiz included."
    )  # and no word of shortening an answer that does not exist
    left = room_left(module, "reflection", "roles_today")
    assert left < 6  # not even one more accented letter
    assert ROOM.format(left) in counter(module, "reflection", "context_next")  # every field shares the space
    assert ROOM.format(left) in counter(module, "action_plan", "first_step")

    paste(module, "action_plan", "first_step", "Short note")
    if left:
        expected = f"Kept {left} of the 10 characters you added: SCORM 1.2"
    else:
        expected = "None of the 10 characters you added fit: SCORM 1.2"
    assert status(module, "action_plan").startswith(expected)
    assert status(module, "action_plan").endswith("quiz included. Shorten another answer to make room.")
    assert module.text("action_plan", "first_step") == "Short note"[:left]
    module.frame.locator(".lm-status[data-kind='reflection']", has_text=SAVED).wait_for(state="attached")

    module.answer(answers_with(builtin_lesson, wrong=0), all_ratings(builtin_lesson, point=5))  # room was kept
    module.submit()
    module.frame.locator(".lm-scorm-finish").click()
    stored = last_values(calls(page), "1.2")["cmi.suspend_data"]
    assert len(stored) <= 4096
    assert json.loads(stored)["t"] == {"roles_today": kept}
    assert len(json.loads(stored)["a"]) == len(builtin_lesson.quiz.scenarios)
    assert problems(calls(page), "1.2") == []


def test_a_paste_in_the_middle_keeps_the_text_around_it(page, site):
    module = open_host(page, site, "1.2", "scorm12")
    module.write("reflection", "roles_today", "Start. End.")
    paste(module, "reflection", "roles_today", ACCENTED, caret=len("Start. "))
    value = module.text("reflection", "roles_today")
    assert value.endswith("End.")
    assert ACCENTED.startswith(value.removeprefix("Start. ").removesuffix("End."))
    assert len(value) > len("Start. End.") + 100
    assert len(value) < len("Start. End.") + len(ACCENTED)
    caret = box(module, "reflection", "roles_today").evaluate("node => node.selectionStart")
    assert caret == len(value) - len("End.")  # the caret right after what was kept
    assert status(module, "reflection").startswith(f"Kept {len(value) - len('Start. End.')} of the {len(ACCENTED)}")


def test_the_counter_shows_the_room_a_field_has_once_others_use_the_shared_space(page, site):
    module = open_host(page, site, "1.2", "scorm12")
    assert "more fit" not in counter(module, "reflection", "shift_focus")  # its own 2,000 characters bind first
    module.write("reflection", "roles_today", "x" * 2000)
    module.write("reflection", "context_next", "y" * 1200)
    left = room_left(module, "reflection", "shift_focus")
    assert 0 < left < 2000
    paste(module, "reflection", "shift_focus", "z" * 2000)
    assert module.text("reflection", "shift_focus") == "z" * left  # exactly what the counter promised
    assert status(module, "reflection").startswith(f"Kept {left} of the 2000 characters you added")


def test_the_message_and_counters_fit_a_375_px_phone(page, site):
    page.set_viewport_size({"width": 375, "height": 800})
    module = open_host(page, site, "1.2", "scorm12")
    page.evaluate("document.getElementById('sco').style.width = '375px'")
    paste(module, "reflection", "roles_today", ACCENTED)
    line = module.frame.locator(".lm-status[data-kind='reflection']")
    count = module.frame.locator(f"#{module.prefix}reflection-roles_today-count")
    assert line.is_visible()
    assert count.is_visible()
    assert "more fit" in count.text_content()
    assert module.frame.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    for element in (line, count):
        area = element.bounding_box()
        assert area["x"] >= 0
        assert area["x"] + area["width"] <= 375
