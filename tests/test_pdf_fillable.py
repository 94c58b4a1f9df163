"""The fillable workbook (`--fillable`) as a PDF form: what it asks, how readers name it, and what a filled copy holds.

Read back with pypdf and pdfplumber, as a form tool or a printer would see it. Each PDF is rendered once.
"""

import io
import re

import pdfplumber
import pytest
from pdf_helpers import answer_rows, reader, render, render_builtin
from pypdf import PdfWriter

#: Annotation flags (ISO 32000-1, 12.5.3).
HIDDEN, PRINT, NO_VIEW = 2, 4, 32


@pytest.fixture(scope="module")
def fillable():
    return render_builtin("learner", fillable=True)


@pytest.fixture(scope="module")
def fields(fillable):
    return reader(fillable).get_fields()


@pytest.fixture(scope="module")
def personal_fillable(builtin_lesson):
    from leadmanage_exporters.responses import LearnerRecord

    learner = LearnerRecord(
        "ana",
        full_name="Ana García",
        answers={"goals_s1": "b"},
        ratings={"goals_r1": 4},
        reflection={"roles_today": "Monday rota"},
    )
    return render(builtin_lesson, learner, fillable=True)


def expected_fields(lesson):
    """Every field a fillable learner workbook of ``lesson`` has: {name: kind}, "choice" being a radio group."""
    names = {"wb-learner-name": "text"}
    names |= {f"wb-scenario-{item.id}": "choice" for item in lesson.quiz.scenarios}
    for item in lesson.quiz.ratings.items:
        names |= {f"wb-rating-{item.id}": "choice", f"wb-grid-{item.id}": "text"}
    for dimension in lesson.dimensions:
        names |= {f"wb-grid-{dimension.id}-{part}": "text" for part in ("total", "average")}
        names |= {f"wb-grid-{dimension.id}-lean": "choice"}
        names |= {f"wb-check-{dimension.id}-{number}": "text" for number in range(1, len(dimension.self_check) + 1)}
    names |= {f"wb-reflection-{prompt.id}": "text" for prompt in lesson.reflection.prompts}
    return names | {f"wb-action_plan-{field.id}": "text" for field in lesson.action_plan.fields}


def widgets(data):
    """Every widget annotation, page by page, with the field it belongs to (itself, or its radio group)."""
    found = []
    for number, page in enumerate(reader(data).pages):
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/Subtype") == "/Widget":
                found.append((number, widget, widget if "/T" in widget else widget["/Parent"].get_object()))
    return found


def test_every_choice_name_grid_box_and_writing_space_is_one_field(fields, builtin_lesson):
    kinds = {"/Tx": "text", "/Btn": "choice"}
    assert {name: kinds[field.get("/FT")] for name, field in fields.items()} == expected_fields(builtin_lesson)


def test_each_radio_group_offers_the_options_by_their_own_values(fields, builtin_lesson):
    points = [f"/{point}" for point in range(1, builtin_lesson.quiz.ratings.scale.points + 1)]
    for item in builtin_lesson.quiz.scenarios:
        assert fields[f"wb-scenario-{item.id}"]["/_States_"] == [f"/{option.id}" for option in item.options]
    for item in builtin_lesson.quiz.ratings.items:
        assert fields[f"wb-rating-{item.id}"]["/_States_"] == points
    for dimension in builtin_lesson.dimensions:
        assert fields[f"wb-grid-{dimension.id}-lean"]["/_States_"] == ["/leading", "/balanced", "/managing"]
    assert all(field.get("/V") in (None, "", "/Off") for field in fields.values())  # nothing chosen yet


def test_every_field_and_every_radio_button_is_labelled(fillable, fields, builtin_lesson):
    scenario = builtin_lesson.quiz.scenarios[0]
    assert fields[f"wb-scenario-{scenario.id}"]["/TU"] == f"Scenario 1: {scenario.question}"
    assert fields["wb-learner-name"]["/TU"] == "Your name"
    writing = [question for dimension in builtin_lesson.dimensions for question in dimension.self_check]
    writing += [prompt.text for prompt in builtin_lesson.reflection.prompts]
    writing += [field.label for field in builtin_lesson.action_plan.fields]
    assert {field["/TU"] for field in fields.values() if field.get("/Ff", 0) & 4096} == set(writing)  # multiline
    first_options = [
        widget.get("/TU") for _, widget, field in widgets(fillable) if field["/T"] == f"wb-scenario-{scenario.id}"
    ]
    assert first_options == [f"{option.id.upper()}. {option.text}" for option in scenario.options]
    assert all(field.get("/TU", "").strip() for field in fields.values())


def test_tab_order_is_the_reading_order(fillable):
    """Each page tabs in structure order (/Tabs /S), and the structure holds the fields in the page's order."""
    pdf = reader(fillable)
    pages_with_fields = {number for number, _, _ in widgets(fillable)}
    assert all(pdf.pages[number]["/Tabs"] == "/S" for number in pages_with_fields)
    in_structure = _dedupe(field_name for field_name in _structure_widgets(pdf.trailer["/Root"]["/StructTreeRoot"]))
    in_markup = _dedupe(re.findall(r'<(?:input|textarea)[^>]* name="([^"]+)"', _fillable_html()))
    assert in_structure == in_markup


def _fillable_html():
    from leadmanage_exporters.pdf import PdfExporter

    from leadmanage_xblock.core.content import load_builtin_lesson

    return PdfExporter(fillable=True).render_html(load_builtin_lesson())


def _structure_widgets(element):
    """The field name of every widget in the structure tree, depth first (the order readers and Tab follow)."""
    element = element.get_object() if hasattr(element, "get_object") else element
    if isinstance(element, list):
        for child in element:
            yield from _structure_widgets(child)
    elif hasattr(element, "get"):
        if element.get("/Type") == "/OBJR" and element["/Obj"].get_object().get("/Subtype") == "/Widget":
            widget = element["/Obj"].get_object()
            yield widget["/T"] if "/T" in widget else widget["/Parent"].get_object()["/T"]
        elif "/K" in element:
            yield from _structure_widgets(element["/K"])


def _dedupe(names):
    """Names in order, a radio group's buttons counted once."""
    ordered = []
    for name in names:
        if not ordered or ordered[-1] != name:
            ordered.append(name)
    return ordered


def test_fields_print_where_the_page_draws_them(fillable):
    """Every widget prints and shows, and lies on a box, ring or line the page itself draws.

    So paper shows the field, filled in or not, in any viewer.
    """
    by_page = {}
    for number, widget, _ in widgets(fillable):
        assert widget["/F"] & PRINT
        assert not widget["/F"] & (HIDDEN | NO_VIEW)
        by_page.setdefault(number, []).append([float(value) for value in widget["/Rect"]])
    with pdfplumber.open(io.BytesIO(fillable)) as pdf:
        for number, rects in by_page.items():
            page = pdf.pages[number]
            drawn = [
                (shape["x0"], page.height - shape["bottom"], shape["x1"])
                for shape in page.rects + page.lines + page.curves
            ]
            for x0, y_a, x1, y_b in rects:
                left, right, bottom = min(x0, x1), max(x0, x1), min(y_a, y_b)
                assert any(a <= left + 1 and b >= right - 1 and bottom - 6 <= y <= bottom + 3 for a, y, b in drawn), (
                    f"a field on page {number + 1} has nothing drawn under it"
                )


def test_a_filled_form_reads_back_every_value(fillable, fields):
    values = {}
    for name, field in fields.items():
        if field.get("/FT") == "/Btn":
            values[name] = field["/_States_"][1]  # the second option: not the default anything
        else:
            values[name] = "3" if "-grid-" in name else f"Ana's answer to {name}"
    filled = PdfWriter(clone_from=reader(fillable))
    for page in filled.pages:
        if "/Annots" in page:
            filled.update_page_form_field_values(page, values, auto_regenerate=False)
    output = io.BytesIO()
    filled.write(output)
    assert {name: field.get("/V") for name, field in reader(output.getvalue()).get_fields().items()} == values


def test_a_personalised_fillable_workbook_starts_with_the_learners_choices(personal_fillable):
    fields = reader(personal_fillable).get_fields()
    # The scenario pages explain every option, the same for every learner: the choices are in "Your answers".
    assert not [name for name in fields if name.startswith("wb-scenario-")]
    assert answer_rows(personal_fillable)[1] == ("✓ B, the best answer", "B")
    assert fields["wb-rating-goals_r1"]["/V"] == "/4"
    assert fields["wb-reflection-roles_today"]["/V"] == "Monday rota"
    assert "wb-learner-name" not in fields  # the cover prints the learner's name


def test_the_text_is_drawn_once_the_field_shows_its_value(personal_fillable):
    """The learner's writing is the field's value only: printed on the page too, it would show twice."""
    with pdfplumber.open(io.BytesIO(personal_fillable)) as pdf:
        assert not any("Monday rota" in page.extract_text() for page in pdf.pages)


def test_fillable_workbook_stays_small_because_the_field_font_is_subset(fillable):
    plain = render_builtin("learner")
    # DejaVu Sans embedded whole would add about 430 KB; the subset about 58 KB, the fields about 70 KB.
    assert len(fillable) - len(plain) < 150_000
    assert len(fillable) < 300_000
    pdf = reader(fillable)
    typed_in = {widget["/DA"].split(" Tf")[0].split()[-2] for _, widget, _ in widgets(fillable) if "/DA" in widget}
    assert len(typed_in) == 1  # one font for every text field
    font = pdf.trailer["/Root"]["/AcroForm"]["/DR"]["/Font"][typed_in.pop()].get_object()
    assert font["/BaseFont"].endswith("+LeadManage-Field")
    descriptor = font.get("/DescendantFonts", [font])[0].get_object()["/FontDescriptor"]
    assert len(descriptor["/FontFile2"].get_data()) < 110_000  # uncompressed; the whole font is 750 KB


def test_the_field_font_draws_what_a_greek_or_russian_learner_types(fillable):
    """A viewer shows typed text in the field's own font: a Latin-only one left Greek and Cyrillic to chance."""
    from fontTools.ttLib import TTFont

    fonts = reader(fillable).trailer["/Root"]["/AcroForm"]["/DR"]["/Font"]
    field_font = next(font.get_object() for font in fonts.values() if "LeadManage-Field" in font["/BaseFont"])
    descriptor = field_font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    drawable = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())).getBestCmap()
    assert all(ord(character) in drawable for character in "Ελένη Παπαδοπούλου Ірина Шевченко Ana García €")
