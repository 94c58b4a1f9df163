"""Check a cmi5 course package: ``cmi5.xml`` against the official CourseStructure XSD, and what an LMS needs of it.

The XSD (vendored, see ``schemas/cmi5/README.md``) checks the structure; the rules it cannot express are checked
here: each AU's launch file is in the package (or is an absolute URL), and every id is unique (cmi5 section 13).
The zip is read within the same limits as a SCORM package, and ``cmi5.xml`` is refused if it has a DOCTYPE.
"""

import re
import zipfile
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from lxml import etree

from .check_package import MANIFEST, parse_manifest
from .cmi5_structure import NAMESPACE, STRUCTURE_FILE, structure_errors
from .zip_inspect import ZipLimits, inspect_zip

_NS = {"cs": NAMESPACE}


def check_cmi5_zip(stream: BinaryIO, limits: ZipLimits) -> list[str]:
    """Every problem of the cmi5 package in ``stream`` (a zip whose root holds ``cmi5.xml``)."""
    contents = inspect_zip(stream, STRUCTURE_FILE, limits)
    problems = contents.problems
    if contents.kept is None:
        return problems  # cmi5.xml could not be read: its problem is listed already
    root = parse_manifest(contents.kept, STRUCTURE_FILE)
    if isinstance(root, str):
        return [*problems, root]
    if etree.QName(root).namespace != NAMESPACE:
        return [*problems, f"{STRUCTURE_FILE}: the root element is not in the cmi5 namespace {NAMESPACE}"]
    problems += [f"{STRUCTURE_FILE}: XSD: {message}" for message in structure_errors(root)]
    return problems + _id_problems(root) + _launch_problems(root, contents.files)


def _id_problems(root: etree._Element) -> list[str]:
    problems, seen = [], set()
    for element in root.iterfind(".//cs:*[@id]", _NS):
        identifier = element.get("id", "")
        where = f"{STRUCTURE_FILE}: <{etree.QName(element).localname} id={identifier!r}>"
        if identifier in seen:
            problems.append(f"{where}: id used twice (each course, block, AU and objective needs its own)")
        seen.add(identifier)
    return problems


def _launch_problems(root: etree._Element, names: set[str]) -> list[str]:
    problems = []
    for au in root.iterfind(".//cs:au", _NS):
        url = (au.findtext("cs:url", default="", namespaces=_NS)).strip()
        if not url or urlsplit(url).scheme:
            continue  # an empty url is an XSD error; an absolute one is served from elsewhere
        path = re.split(r"[?#]", url, maxsplit=1)[0].removeprefix("./")
        if path not in names:
            problems.append(f"{STRUCTURE_FILE}: AU {au.get('id')!r} launches {url!r}, which is not in the package")
    return problems


def is_cmi5_package(package: Path) -> bool:
    """Whether the sound zip at ``package`` is a cmi5 course package (``cmi5.xml`` and no SCORM manifest)."""
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
    return STRUCTURE_FILE in names and MANIFEST not in names
