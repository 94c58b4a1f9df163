"""The block's live cohort summary, recounted from every learner's own stored state, and kept briefly.

Why a recount and not a running total in a ``Scope.user_state_summary`` field: in the LMS the ``FieldDataCache``
reads a block's ``user_state_summary`` row when a request starts and writes it back when the handler returns, so two
learners submitting at the same moment each add one to the same stale copy and one submission is lost; a learner who
resubmits would also need their previous contribution taken out, which the shared field cannot remember without
keeping who gave what. Each learner's own state (``user_states.learner_states``) always holds exactly their latest
work, written by their own request, so counting those is exact under concurrent submits and resubmits, and the
summary keeps no identity: the usernames are dropped as the states are read.

A recount reads one row per learner. It is kept in Django's cache for ``KEEP_SECONDS`` under the block's usage id
(with the lesson's hash, so an edited lesson is recounted), so a staff member reloading the page costs nothing; a quiz
submission forgets it (``forget``), so the next look counts that learner.
"""

import hashlib

from leadmanage_exporters.cohort_report import without_text

from ..core.cohort import CohortSummary, latest_work, summarise_cohort
from ..core.content import Lesson
from ..core.learner_work import LearnerState, LearnerWork
from ..core.workbook_key import lesson_hash
from .request_limits import shared_cache
from .user_states import learner_states

#: How long a recount is kept: a trainer's reload is answered from the cache, a new submission forgets it.
KEEP_SECONDS = 60
#: Bumped when ``CohortSummary`` changes shape, so a worker never reads a summary pickled by an older release.
CACHE_VERSION = 1


def cohort_summary(usage_id: object, lesson: Lesson) -> CohortSummary:
    """Every learner's latest work on the block ``usage_id`` summarised, with no minimum (the caller applies it).

    Raises:
        StatesUnavailableError: this runtime keeps no learners' states (``user_states``).
    """
    cache, key, content = shared_cache(), _key(usage_id), lesson_hash(lesson)
    kept = cache.get(key) if cache is not None else None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == content and isinstance(kept[1], CohortSummary):
        return kept[1]
    summary = recount(usage_id, lesson)
    if cache is not None:
        cache.set(key, (content, summary), KEEP_SECONDS)
    return summary


def recount(usage_id: object, lesson: Lesson) -> CohortSummary:
    """The summary of every learner's stored state, counted now: names and texts dropped as each state is read."""
    works = ((learner, _work(lesson, stored)) for learner, stored in learner_states(usage_id))
    return summarise_cohort(lesson, latest_work(works), min_group=0)


def forget(usage_id: object) -> None:
    """Drop the kept summary of block ``usage_id``: a learner's work changed, the next look recounts."""
    cache = shared_cache()
    if cache is not None:
        cache.delete(_key(usage_id))


def _work(lesson: Lesson, stored: object) -> LearnerWork:
    """What the summary may see of one learner's stored state: submitted choices, and which reflections are written."""
    return without_text(LearnerState.from_stored(stored).submitted_work(lesson))


def _key(usage_id: object) -> str:
    digest = hashlib.sha256(str(usage_id).encode("utf-8")).hexdigest()
    return f"leadmanage:cohort:v{CACHE_VERSION}:{digest}"
