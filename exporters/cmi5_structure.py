"""The cmi5 course structure (``cmi5.xml``): one course with one AU, the module's launch page.

Built with lxml, so every title and description is escaped as XML text whatever the lesson holds. Validated
against the official ``CourseStructure.xsd``, vendored in ``schemas/cmi5/`` (Apache 2.0, see its README).
"""

from decimal import Decimal
from functools import cache
from importlib.resources import files

from lxml import etree

from leadmanage_xblock.core.content import Lesson

NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
STRUCTURE_FILE = "cmi5.xml"
LAUNCH_FILE = "index.html"
#: moveOn when a pass mark is set, and when the package reports completion only (cmi5 section 13.1.4).
MOVE_ON_SCORED = "CompletedAndPassed"
MOVE_ON_COMPLETION = "Completed"


def course_id(lesson: Lesson) -> str:
    """The publisher's course IRI: stable per lesson, so a re-export updates the same course in an LMS."""
    return f"urn:leadmanage:course:{lesson.id}"


def au_id(lesson: Lesson) -> str:
    """The publisher's AU IRI (the LMS launches it under an activity id of its own)."""
    return f"{course_id(lesson)}:au:module"


def build_structure(lesson: Lesson, mastery: int | None, language: str) -> bytes:
    """``cmi5.xml``: the course and its one AU, passed at ``mastery`` percent (``None``: completion only)."""
    root = etree.Element(f"{{{NAMESPACE}}}courseStructure", nsmap={None: NAMESPACE})
    course = etree.SubElement(root, _tag("course"), id=course_id(lesson))
    _texts(course, lesson, language)
    au = etree.SubElement(root, _tag("au"), id=au_id(lesson))
    au.set("moveOn", MOVE_ON_COMPLETION if mastery is None else MOVE_ON_SCORED)
    if mastery is not None:
        au.set("masteryScore", str(Decimal(mastery) / 100))
    au.set("launchMethod", "AnyWindow")
    _texts(au, lesson, language)
    etree.SubElement(au, _tag("url")).text = LAUNCH_FILE
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _texts(parent: etree._Element, lesson: Lesson, language: str) -> None:
    for name, text in (("title", lesson.title), ("description", lesson.subtitle)):
        langstring = etree.SubElement(etree.SubElement(parent, _tag(name)), _tag("langstring"), lang=language)
        langstring.text = text


def structure_errors(root: etree._Element) -> list[str]:
    """XSD errors of a parsed ``cmi5.xml`` against the official CourseStructure schema, one line each."""
    schema = course_structure_schema()
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@cache
def course_structure_schema() -> etree.XMLSchema:
    """The vendored official schema, loaded once, with no network."""
    data = files("leadmanage_exporters").joinpath("schemas/cmi5/CourseStructure.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(data, etree.XMLParser(no_network=True)))
