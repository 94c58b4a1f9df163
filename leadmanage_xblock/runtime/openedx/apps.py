"""The Django app the Open edX plugin framework installs (see the package's docstring)."""

from django.apps import AppConfig

#: The platform's plugin keys (edx-django-utils ``PluginSettings``, ``ProjectType``, ``SettingsType``), spelled
#: out: importing them would tie this module to the platform, and they are stable strings.
SETTINGS_CONFIG, RELATIVE_PATH, COMMON = "settings_config", "relative_path", "common"


class LeadManageConfig(AppConfig):
    """LeadManage in the LMS and Studio: its settings and its Celery tasks (rendering workbooks off the web request)."""

    name = "leadmanage_xblock.runtime.openedx"
    label = "leadmanage"
    verbose_name = "LeadManage workbooks"
    plugin_app = {
        SETTINGS_CONFIG: {
            project: {COMMON: {RELATIVE_PATH: "settings"}} for project in ("lms.djangoapp", "cms.djangoapp")
        },
    }
