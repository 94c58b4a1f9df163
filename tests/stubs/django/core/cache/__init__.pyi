from django.core.cache.backends.base import BaseCache

# A proxy to the default cache backend.
cache: BaseCache
