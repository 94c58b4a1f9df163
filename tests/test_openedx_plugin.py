"""The Open edX plugin app: the platform finds it through its entry points, installs it, and its Celery task runs.

The platform's side is done here as edx-django-utils' plugin framework and the LMS's Celery app do it, in a new
process (a Django of its own): the ``lms.djangoapp`` entry point's AppConfig goes into ``INSTALLED_APPS`` as
``module.Class``, its ``plugin_app`` settings module's ``plugin_settings`` is called with the settings, and
Celery discovers the tasks of every installed app.
"""

import configparser
import json
import subprocess
import sys

from fixture_paths import REPO
from pdf_helpers import body_text, squash

#: The platform, in short: load the entry point, install the app, add its settings, discover and run the task.
PLATFORM = """
import json, sys
from importlib import import_module
from importlib.metadata import EntryPoint

import django
from celery import Celery
from django.apps import apps
from django.conf import settings

config = EntryPoint("leadmanage", sys.argv[1], "lms.djangoapp").load()
settings.configure(INSTALLED_APPS=[f"{config.__module__}.{config.__name__}"], MEDIA_ROOT=sys.argv[2], USE_TZ=True)
relative = config.plugin_app["settings_config"]["lms.djangoapp"]["common"]["relative_path"]
import_module(f"{config.name}.{relative}").plugin_settings(settings)
django.setup()

app = Celery("lms", set_as_current=True)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(lambda: [app_config.name for app_config in apps.get_app_configs()])
app.loader.import_default_modules()
record = {"username": "ana", "full_name": "Ana García", "answers": {"goals_s1": "b"}, "ratings": {},
          "reflection": {}, "action_plan": {}}
job = {"lesson": None, "options": {"edition": "learner", "paper": "a4"}, "record": record}
task = app.tasks["leadmanage.render_workbook_to_cache"]
keys = [task.apply(args=[job]).get() for _ in range(2)]
print(json.dumps({
    "tasks": sorted(name for name in app.tasks if name.startswith("leadmanage.")),
    "keys": keys,
    "cache_days": settings.LEADMANAGE_WORKBOOK_CACHE_DAYS,
}))
"""


def declared_entry_points(group: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "setup.cfg", encoding="utf-8")
    lines = parser["options.entry_points"][group].strip().splitlines()
    return dict(tuple(part.strip() for part in line.split("=", 1)) for line in lines)


def test_the_lms_and_studio_find_the_same_plugin_app():
    lms, cms = declared_entry_points("lms.djangoapp"), declared_entry_points("cms.djangoapp")
    assert lms == cms == {"leadmanage": "leadmanage_xblock.runtime.openedx.apps:LeadManageConfig"}


def test_the_platform_installs_the_app_and_its_task_renders_a_workbook_once_into_storage(tmp_path):
    entry_point = declared_entry_points("lms.djangoapp")["leadmanage"]
    result = subprocess.run(
        [sys.executable, "-c", PLATFORM, entry_point, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["tasks"] == [
        "leadmanage.recount_cohort",
        "leadmanage.remove_old_workbooks",
        "leadmanage.render_debrief_to_cache",
        "leadmanage.render_workbook_to_cache",
    ]
    assert found["cache_days"] == 30
    first, second = found["keys"]
    assert first == second, "the same content, the same key"
    stored = list(tmp_path.glob("leadmanage/workbooks/*/*.pdf"))
    assert [path.name for path in stored] == [f"{first}.pdf"], "stored once, under its key"
    assert squash("Prepared for Ana García") in body_text(stored[0].read_bytes())
