"""The LMS, in short, for the tests of workbooks rendered on Celery: Django with our plugin app, and a Celery app.

Imported by a web process and by ``celery -A lms_platform worker`` alike, as the platform's settings and Celery
app are imported by its web servers and its workers. ``LM_MEDIA_ROOT`` is the storage both share, ``LM_BROKER``
the Redis URL. The plugin app is installed as the platform installs it (``INSTALLED_APPS`` and its
``plugin_settings``), and its tasks are found as the platform's Celery app finds every installed app's.
"""

import os

import django
from celery import Celery
from django.apps import apps
from django.conf import settings

from leadmanage_xblock.runtime.openedx import settings as plugin_settings

#: With ``LM_DATABASE`` (an SQLite file) the processes share a store of learners' states, the workbench's (the LMS's
#: ``StudentModule`` is not installable here) and, with ``LM_CACHE`` (a Redis URL), Django's cache, as the LMS's
#: web servers and workers share MySQL and Redis. Without them each process has its own memory cache.
SHARED_STATES = ["workbench"] if os.environ.get("LM_DATABASE") else []
settings.configure(
    INSTALLED_APPS=[*SHARED_STATES, "leadmanage_xblock.runtime.openedx.apps.LeadManageConfig"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["LM_DATABASE"]}}
    if SHARED_STATES
    else {},
    MEDIA_ROOT=os.environ["LM_MEDIA_ROOT"],
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["LM_CACHE"]}
        if os.environ.get("LM_CACHE")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    },
    USE_TZ=True,
    CELERY_BROKER_URL=os.environ["LM_BROKER"],
)
plugin_settings.plugin_settings(settings)
django.setup()

app = Celery("lms", set_as_current=True)
app.set_default()  # every thread's, as a web server serving requests in threads needs (set_as_current is per thread)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(lambda: [config.name for config in apps.get_app_configs()])
app.loader.import_default_modules()
