"""Content keys: one name for everything that makes a workbook what it is.

A workbook is a pure function of the lesson, how it is printed (edition, paper, language, form fields,
colour), the learner's work and printed name, and the code that lays it out (the package version). Hashing
exactly those gives a key under which a rendered file can be stored and found again: the same key means the
same workbook, so a second request is a lookup, and a changed answer or an edited lesson is a new key.
Caching and idempotent rendering are then the same thing.

The lesson is hashed as its content model, not as its YAML text: a comment or a reordered key changes no
page, so it changes no key either.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from leadmanage_xblock import __version__

from .cohort import CohortSummary
from .content import Lesson
from .learner_work import CHOICE_KINDS, TEXT_KINDS, LearnerWork

#: Bumped whenever what goes into a key changes, so keys made by older code never match by accident, and when a
#: workbook's layout changes before the version does (2: the personalised edition's "Your answers").
KEY_SCHEME = 2


@dataclass(frozen=True)
class WorkbookVariant:
    """How a workbook is printed: its edition, paper, interface language, form fields and colour."""

    edition: str
    paper: str
    language: str
    fillable: bool = False
    grayscale: bool = False


def lesson_hash(lesson: Lesson) -> str:
    """A hex digest of the lesson's content: every text, item and setting a workbook can print."""
    return _digest(asdict(lesson))


def work_hash(work: LearnerWork | None, printed_name: str = "") -> str:
    """A hex digest of a learner's answers, ratings, writing and the name on the cover (``None``: a blank one)."""
    if work is None:
        return _digest(None)
    # Only what a workbook prints: a subclass's extra fields (a username) are not part of the content.
    kinds = {kind: dict(getattr(work, kind)) for kind in (*CHOICE_KINDS, *TEXT_KINDS)}
    return _digest({"name": printed_name, **kinds})


def workbook_key(lesson_digest: str, variant: WorkbookVariant, work_digest: str, version: str = __version__) -> str:
    """The content key of one workbook: equal keys, equal workbooks; any input that changes a page changes it."""
    return _digest([KEY_SCHEME, version, lesson_digest, asdict(variant), work_digest])


def counts_hash(summary: CohortSummary, min_group: int, block: str) -> str:
    """A hex digest of one block's cohort counts and the minimum group its debrief prints.

    The block is in it so that the digest, which a debrief's download link carries, names that block's debrief only.
    """
    return _digest({"summary": summary.to_payload(), "min_group": min_group, "block": block})


def debrief_key(lesson: Lesson, counts_digest: str) -> str:
    """The content key of a cohort's debrief (A4, the lesson's language): the lesson and the counts' digest."""
    variant = WorkbookVariant(edition="debrief", paper="a4", language=lesson.language)
    return workbook_key(lesson_hash(lesson), variant, counts_digest)


def _digest(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys, no spaces): equal data, equal digest, in any process."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
