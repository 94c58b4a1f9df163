"""The block's live cohort summary, recounted from every learner's own stored state, and kept between looks.

Why a recount and not a running total in a ``Scope.user_state_summary`` field: in the LMS the ``FieldDataCache``
reads a block's ``user_state_summary`` row when a request starts and writes it back when the handler returns, so two
learners submitting at the same moment each add one to the same stale copy and one submission is lost; a learner who
resubmits would also need their previous contribution taken out, which the shared field cannot remember without
keeping who gave what. Each learner's own state (``user_states.learner_states``) always holds exactly their latest
work, written by their own request, so counting those is exact under concurrent submits and resubmits, and the
summary keeps no identity: the usernames are dropped as the states are read.

A recount reads one row per learner (about 0.3 ms of CPU each: a second per 3,000 learners). It is kept in Django's
cache with the time it was counted; a quiz submission marks the block changed (``note_change``). A kept count is
*fresh* when it is younger than ``FRESH_SECONDS`` and no submission came after it started. Where heavy work goes to
the platform's Celery workers (``workbook_queue.workbooks_on_celery``), a count that is not fresh is recounted by
the task ``leadmanage.recount_cohort``, queued once at a time, and staff see the kept count (with its time) until
the new one lands, or "being counted" the first time: a course of any size never makes a web request wait.
Elsewhere (the workbench, a small site) the request recounts at once.
"""

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from leadmanage_exporters.cohort_report import without_text

from ..core.cohort import CohortSummary, latest_work, summarise_cohort
from ..core.content import Lesson
from ..core.learner_work import LearnerState, LearnerWork
from ..core.workbook_key import lesson_hash
from .request_limits import shared_cache
from .user_states import learner_states

#: How long a count stays fresh when no learner submits: text saves (who wrote a reflection) show within this.
FRESH_SECONDS = 60
#: How long a count is kept at all: shown, marked with its time, while a newer one is being counted.
KEEP_SECONDS = 24 * 3600
#: How long a queued recount keeps others from being queued, unless it ends first (a worker that died).
QUEUED_SECONDS = 600
#: Bumped when ``KeptCount`` changes shape, so a worker never reads a count pickled by an older release.
CACHE_VERSION = 2


@dataclass(frozen=True)
class KeptCount:
    """A cohort summary as counted for one lesson, and when the count started (seconds since the epoch)."""

    content: str
    summary: CohortSummary
    counted_at: float


@dataclass(frozen=True)
class CohortLook:
    """What staff see: the latest count (``None`` before the first), and whether a newer one is being made."""

    count: KeptCount | None
    updating: bool


def look(usage_id: object, lesson: Lesson, job: dict[str, Any], on_celery: bool) -> CohortLook:
    """The block's cohort summary as staff should see it now, recounting or queueing a recount when it is not fresh.

    ``job`` is what the task ``leadmanage.recount_cohort`` takes (``recount_job``); ``on_celery`` says whether
    recounts go to the platform's workers.

    Raises:
        StatesUnavailableError: this runtime keeps no learners' states (``user_states``).
    """
    kept = kept_count(usage_id, lesson)
    if kept is not None and _is_fresh(usage_id, kept):
        return CohortLook(kept, updating=False)
    if not on_celery:
        return CohortLook(recount_and_keep(usage_id, lesson), updating=False)
    _queue_recount(usage_id, job)
    return CohortLook(kept, updating=True)


def recount_job(usage_id: object, lesson_yaml: str | None, language: str) -> dict[str, Any]:
    """The recount task's input: the block, and its lesson (``None``: the built-in lesson in ``language``)."""
    return {"usage_id": str(usage_id), "lesson": lesson_yaml, "language": language}


def recount_and_keep(usage_id: object, lesson: Lesson) -> KeptCount:
    """Count every learner's stored state now and keep the result (what the recount task does)."""
    started = time.time()
    kept = KeptCount(lesson_hash(lesson), recount(usage_id, lesson), started)
    cache = shared_cache()
    if cache is not None:
        cache.set(_key(usage_id), kept, KEEP_SECONDS)
        cache.delete(_key(usage_id, "queued"))  # the next change may queue the next recount at once
    return kept


def recount(usage_id: object, lesson: Lesson) -> CohortSummary:
    """The summary of every learner's stored state, counted now: names and texts dropped as each state is read."""
    works = ((learner, counted_work(lesson, stored)) for learner, stored in learner_states(usage_id))
    return summarise_cohort(lesson, latest_work(works), min_group=0)


def kept_count(usage_id: object, lesson: Lesson) -> KeptCount | None:
    """The latest count kept for this block and lesson (an edited lesson's count is not its own)."""
    cache = shared_cache()
    kept = cache.get(_key(usage_id)) if cache is not None else None
    return kept if isinstance(kept, KeptCount) and kept.content == lesson_hash(lesson) else None


def note_change(usage_id: object) -> None:
    """A learner submitted: counts that started before now are no longer fresh."""
    cache = shared_cache()
    if cache is not None:
        cache.set(_key(usage_id, "changed"), time.time(), KEEP_SECONDS)


def _is_fresh(usage_id: object, kept: KeptCount) -> bool:
    cache = shared_cache()
    changed_at = cache.get(_key(usage_id, "changed")) if cache is not None else None
    not_changed = not isinstance(changed_at, float) or changed_at < kept.counted_at
    return not_changed and time.time() - kept.counted_at < FRESH_SECONDS


def _queue_recount(usage_id: object, job: dict[str, Any]) -> None:
    """Queue one recount at a time per block (a Django cache ``add``); a broker that refuses is tried next look."""
    from django.core.cache import cache

    from .openedx.tasks import recount_cohort

    queued = _key(usage_id, "queued")
    if cache.add(queued, time.time(), QUEUED_SECONDS):
        try:
            recount_cohort.apply_async(args=[job], retry=False)
        except Exception:  # noqa: BLE001 (kombu and redis raise their own errors; any of them means not queued)
            cache.delete(queued)


def counted_work(lesson: Lesson, stored: object) -> LearnerWork:
    """What the summary may see of one learner's stored state: submitted choices, and which reflections are written."""
    return without_text(LearnerState.from_stored(stored).submitted_work(lesson))


def _key(usage_id: object, part: str = "count") -> str:
    digest = hashlib.sha256(str(usage_id).encode("utf-8")).hexdigest()
    return f"leadmanage:cohort:v{CACHE_VERSION}:{part}:{digest}"
