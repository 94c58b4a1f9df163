"""Celery tasks on the platform's workers: workbooks and debriefs rendered into storage, old ones removed, a recount.

A task finds the workbook by its content key first (``runtime.workbook_cache``), so a repeated request renders
nothing, and a task run twice (acknowledged late, redelivered after a worker died) stores the same entry.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from leadmanage_exporters.celery_tasks import TASK_TIME_LIMIT
from leadmanage_exporters.pdf import PdfExporter
from leadmanage_exporters.pdf_debrief import export_debrief
from leadmanage_exporters.responses import record_from_payload

from leadmanage_xblock.core.cohort import CohortSummary
from leadmanage_xblock.core.content import load_builtin_lesson, parse_lesson
from leadmanage_xblock.core.workbook_key import (
    WorkbookVariant,
    counts_hash,
    debrief_key,
    lesson_hash,
    work_hash,
    workbook_key,
)

from ..cohort_recount import recount_and_keep
from ..workbook_cache import WorkbookCache
from .settings import WORKBOOK_CACHE_DAYS


@shared_task(
    name="leadmanage.render_workbook_to_cache", acks_late=True, reject_on_worker_lost=True, time_limit=TASK_TIME_LIMIT
)
def render_workbook_to_cache(job: dict[str, Any]) -> str:
    """Render one workbook into the platform's storage unless it is there; returns its content key.

    ``job``: ``lesson`` (the author's YAML, or ``None`` for the built-in lesson), ``options`` (``PdfExporter``'s:
    edition, paper, language...) and ``record`` (a learner's record as ``record_payload`` writes it, or ``None``).
    """
    options = job["options"]
    lesson = parse_lesson(job["lesson"]) if job.get("lesson") else load_builtin_lesson(options.get("language") or "en")
    record = record_from_payload(job["record"]) if job.get("record") else None
    variant = WorkbookVariant(
        edition=options.get("edition", "learner"),
        paper=options.get("paper", "a4"),
        language=options.get("language") or lesson.language,
        fillable=options.get("fillable", False),
        grayscale=options.get("grayscale", False),
    )
    key = workbook_key(lesson_hash(lesson), variant, work_hash(record, record.display_name if record else ""))
    WorkbookCache().get_or_render(key, lambda: PdfExporter(**options).export(lesson, record))
    return key


@shared_task(
    name="leadmanage.render_debrief_to_cache", acks_late=True, reject_on_worker_lost=True, time_limit=TASK_TIME_LIMIT
)
def render_debrief_to_cache(job: dict[str, Any]) -> str:
    """Render a cohort's debrief into the platform's storage unless it is there; returns its content key.

    ``job`` (``cohort_view.CohortPanel._debrief_job``): ``lesson`` (the author's YAML, or ``None`` for the
    built-in lesson), ``language`` (the built-in lesson's), ``summary`` (``CohortSummary.to_payload``: counts
    only), ``min_group`` and ``block`` (the block's usage key as text).
    """
    lesson = parse_lesson(job["lesson"]) if job.get("lesson") else load_builtin_lesson(job["language"])
    summary, min_group = CohortSummary.from_payload(job["summary"]), int(job["min_group"])
    key = debrief_key(lesson, counts_hash(summary, min_group, job["block"]))
    WorkbookCache().get_or_render(key, lambda: export_debrief(lesson, summary, min_group))
    return key


@shared_task(name="leadmanage.remove_old_workbooks")
def remove_old_workbooks() -> int:
    """Delete cached workbooks older than ``LEADMANAGE_WORKBOOK_CACHE_DAYS``; returns how many (for a beat schedule)."""
    days = int(getattr(settings, "LEADMANAGE_WORKBOOK_CACHE_DAYS", WORKBOOK_CACHE_DAYS))
    return WorkbookCache().remove_older_than(datetime.now(UTC) - timedelta(days=days))


@shared_task(name="leadmanage.recount_cohort", acks_late=True, reject_on_worker_lost=True, time_limit=TASK_TIME_LIMIT)
def recount_cohort(job: dict[str, Any]) -> int:
    """Count one block's cohort from every learner's stored state into Django's cache; returns how many submitted.

    ``job`` (``cohort_recount.recount_job``): ``usage_id`` (the block's usage key as text), ``lesson`` (the
    author's YAML, or ``None`` for the built-in lesson) and ``language`` (the built-in lesson's).
    """
    lesson = parse_lesson(job["lesson"]) if job.get("lesson") else load_builtin_lesson(job["language"])
    return recount_and_keep(job["usage_id"], lesson).summary.participation.submitted
