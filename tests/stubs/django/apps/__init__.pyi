# Django 5.2: the base of the Open edX plugin app's configuration.
class AppConfig:
    name: str
    label: str
    verbose_name: str
