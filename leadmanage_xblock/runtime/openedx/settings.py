"""Settings the plugin framework adds to the LMS's and Studio's (``plugin_settings``); operators may override them."""

from typing import Any

#: Days a cached workbook is kept after it was rendered (``leadmanage.remove_old_workbooks``).
WORKBOOK_CACHE_DAYS = 30
#: Whether the block's workbook downloads queue their renders for the workers (``runtime/workbook_queue.py``).
WORKBOOKS_ON_CELERY = True


def plugin_settings(settings: Any) -> None:
    """Set LeadManage's defaults on the project's ``settings`` module, keeping any value the operator set."""
    if not hasattr(settings, "LEADMANAGE_WORKBOOK_CACHE_DAYS"):
        settings.LEADMANAGE_WORKBOOK_CACHE_DAYS = WORKBOOK_CACHE_DAYS
    if not hasattr(settings, "LEADMANAGE_WORKBOOKS_ON_CELERY"):
        settings.LEADMANAGE_WORKBOOKS_ON_CELERY = WORKBOOKS_ON_CELERY
