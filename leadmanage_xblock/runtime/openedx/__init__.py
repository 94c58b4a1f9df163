"""The Open edX plugin app: how the LMS and Studio find LeadManage's settings and its Celery tasks.

The platform (edx-django-utils' plugin framework) reads the ``lms.djangoapp`` and ``cms.djangoapp`` entry points
(``setup.cfg``), adds ``apps.LeadManageConfig`` to ``INSTALLED_APPS`` because it has a ``plugin_app``, and calls
``settings.plugin_settings`` with the project's settings. The platform's Celery app discovers the tasks of every
installed app, so ``tasks`` is registered on the LMS and Studio workers (``lms-worker`` and ``cms-worker`` in
Tutor) with nothing else to configure.
"""
