"""xblock-sdk workbench settings, fixed to boot from a fresh checkout.

The stock settings log to ``var/workbench.log`` and keep the database in ``var/``, relative to the working
directory, and fail when that folder is missing; here both live in ``LEADMANAGE_WORKBENCH_VAR``
(default ``var/``), which is created first.
"""

import os
from pathlib import Path

os.environ.setdefault("EXCLUDE_SAMPLE_XBLOCKS", "yes")  # Only our block in the scenario list.

from workbench.settings import *  # noqa: E402, F403  (this module extends the stock settings)
from workbench.settings import LOGGING  # noqa: E402

VAR = Path(os.environ.get("LEADMANAGE_WORKBENCH_VAR", "var")).resolve()
VAR.mkdir(parents=True, exist_ok=True)

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR / "workbench.db")}}
# Django's default storage, where the block keeps rendered workbooks (the stock settings leave it the working folder).
MEDIA_ROOT = str(VAR / "media")
LOGGING["handlers"]["logfile"]["filename"] = str(VAR / "workbench.log")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# "?student=staff…" is course staff (the block's staff-only downloads); see lm_workbench/staff.py.
WORKBENCH["services"]["user"] = "lm_workbench.staff.StaffAwareUserService"  # noqa: F405
# Studio's permissions service: the block's editor saves only where it says so (as in Studio).
WORKBENCH["services"]["studio_user_permissions"] = "lm_workbench.staff.StaffPermissions"  # noqa: F405
# "?lang=es" shows the block in Spanish (kept in a cookie for its handler requests); see lm_workbench/language.py.
MIDDLEWARE = [*MIDDLEWARE, "lm_workbench.language.LanguageMiddleware"]  # noqa: F405
