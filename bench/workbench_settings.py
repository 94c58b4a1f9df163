"""Django settings for the benchmarks: the project's workbench settings, run as production runs Django.

``DEBUG`` is off, as in an LMS: with it on, Django keeps every SQL query and renders templates with debug
information, which would slow the peers' Django templates and none of ours. The test client's host is allowed.
"""

from lm_workbench.settings import *  # noqa: F403  (this module extends the project's workbench settings)

DEBUG = False
ALLOWED_HOSTS = ["testserver"]
TEMPLATES[0]["OPTIONS"]["debug"] = False  # noqa: F405  (the stock settings copied DEBUG into it)
