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

settings.configure(
    INSTALLED_APPS=["leadmanage_xblock.runtime.openedx.apps.LeadManageConfig"],
    MEDIA_ROOT=os.environ["LM_MEDIA_ROOT"],
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
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
