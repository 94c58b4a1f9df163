# Django 5.2: the base of the Open edX plugin app's configuration.
class AppConfig:
    name: str
    label: str
    verbose_name: str

# The registry of installed apps: whether the platform installed LeadManage's plugin app.
class Apps:
    ready: bool
    def is_installed(self, app_name: str) -> bool: ...

apps: Apps
