"""SCORM targets and the ``imsmanifest.xml`` that describes a package to the LMS."""

from collections.abc import Iterable
from dataclasses import dataclass

from leadmanage_xblock.core.content import Lesson
from leadmanage_xblock.core.rendering import render

LAUNCH_FILE = "index.html"
MANIFEST_FILE = "imsmanifest.xml"


@dataclass(frozen=True)
class ScormTarget:
    """One SCORM version and edition, with what differs between them."""

    name: str
    version: str  # "1.2" or "2004": which run-time API and data model
    schemaversion: str  # written verbatim to <schemaversion>
    suspend_budget: int  # characters the LMS must store in cmi.suspend_data

    @property
    def is_2004(self) -> bool:
        """Whether the target uses the SCORM 2004 API (``API_1484_11``)."""
        return self.version == "2004"


TARGETS = {
    "scorm12": ScormTarget("scorm12", "1.2", "1.2", 4096),
    "scorm2004-3": ScormTarget("scorm2004-3", "2004", "2004 3rd Edition", 64000),
    "scorm2004-4": ScormTarget("scorm2004-4", "2004", "2004 4th Edition", 64000),
}


def manifest_ids(lesson: Lesson) -> dict[str, str]:
    """The manifest's identifiers: valid ``xs:ID`` values, stable across re-exports of a lesson."""
    return {
        "manifest": f"leadmanage_{lesson.id}",
        "organization": f"org_{lesson.id}",
        "item": f"item_{lesson.id}",
        "resource": f"sco_{lesson.id}",
        "objective": f"urn:leadmanage:{lesson.id}:mastery",
    }


def build_manifest(lesson: Lesson, target: ScormTarget, files: Iterable[str], mastery: int | None) -> bytes:
    """The manifest for ``target`` listing ``files``; ``mastery`` (percent) is omitted when ``None``."""
    context = {
        "target": {"version": target.version, "schemaversion": target.schemaversion},
        "ids": manifest_ids(lesson),
        "title": lesson.title,
        "files": sorted(files),
        "launch": LAUNCH_FILE,
        "mastery": mastery,
    }
    return render("scorm/imsmanifest.xml.j2", context).encode("utf-8")
