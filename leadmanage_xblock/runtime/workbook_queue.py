"""Workbooks rendered on the platform's Celery workers, never inside a web request, where the platform allows it.

Where the plugin app (``runtime/openedx``) is installed, as the LMS and Studio install it from our entry points,
the platform's workers have our render task and a download that finds no stored workbook only queues one:
the request answers at once and the page asks again (``workbook_status``) until the file is in storage.
``LEADMANAGE_WORKBOOKS_ON_CELERY = False`` turns that off. Elsewhere (the workbench, a runtime without the app)
and when the broker cannot take the task, the download renders in its own request, a few at once per process
(``request_limits.render_slot``), and stores what it renders: the documented fallback.

A workbook is queued once per content key until its task has had time to run (a Django cache ``add``, atomic in
every backend the platform uses): learners and tabs asking for the same workbook share one render.
"""

import logging
import time
from typing import Any, Literal

log = logging.getLogger(__name__)

#: The plugin app whose tasks the platform's workers run.
PLUGIN_APP = "leadmanage_xblock.runtime.openedx"
#: How long a queued workbook is not queued again: the task's time limit (``celery_tasks.TASK_TIME_LIMIT``).
QUEUED_FOR_SECONDS = 300
#: After this long the page stops waiting and says so: a render normally takes seconds, so the workers are
#: overloaded or the task failed. A later click finds the file if it came, or queues it again once
#: ``QUEUED_FOR_SECONDS`` have passed.
OVERDUE_SECONDS = 180

#: The render tasks a download queues (``openedx.tasks``): a learner's or staff's workbook, or a cohort's debrief.
RenderTask = Literal["render_workbook_to_cache", "render_debrief_to_cache"]


def workbooks_on_celery() -> bool:
    """Whether downloads queue their workbooks for the platform's workers instead of rendering them."""
    try:  # Django is always there in the LMS and Studio, but not in every runtime: imported only when used.
        from django.apps import apps
        from django.conf import settings
    except ImportError:
        return False
    if not (settings.configured and apps.ready and apps.is_installed(PLUGIN_APP)):
        return False
    return bool(getattr(settings, "LEADMANAGE_WORKBOOKS_ON_CELERY", True))


def queued_seconds_ago(key: str) -> int:
    """How long ago workbook ``key`` was queued (0 when it was not): the page's sign of progress."""
    from django.core.cache import cache

    queued_at = cache.get(_queued(key))
    return max(0, int(time.time() - queued_at)) if isinstance(queued_at, float) else 0


def _queued(key: str) -> str:
    return f"leadmanage:queued:{key}"


def queue_workbook(key: str, job: dict[str, Any], task: RenderTask = "render_workbook_to_cache") -> bool:
    """Queue the render of workbook ``key`` unless it was queued lately; False when the broker cannot take it.

    ``task`` is one of ``openedx.tasks``' render tasks and ``job`` its argument: for ``render_workbook_to_cache``
    the lesson's YAML (``None`` for the built-in lesson), the exporter's options and the learner's record as
    ``responses.record_payload`` writes it; for ``render_debrief_to_cache`` the lesson and the cohort's counts.
    """
    from django.core.cache import cache

    from .openedx import tasks

    if not cache.add(_queued(key), time.time(), QUEUED_FOR_SECONDS):
        return True
    try:
        getattr(tasks, task).apply_async(args=[job], retry=False)
    except Exception:  # noqa: BLE001 (kombu and redis raise their own errors; any of them means not queued)
        cache.delete(_queued(key))
        log.warning("LeadManage: cannot queue %s for %s; rendering it in the request", task, key, exc_info=True)
        return False
    return True
