"""Limits that hold across requests: one accepted submission per attempt, bounded work per learner.

Open edX loads a block's user state when a request starts and saves it when the handler returns, last
writer wins, and gives handlers no lock. Two submissions sent together (two tabs, a request the browser
retried) would both read the same attempt count, both pass the ``max_attempts`` check and both publish a
grade. So the page sends the number of the attempt it makes (the stored count + 1 when it was shown), and
the handler accepts it only if it follows the stored count *and* it can claim that number first in the
platform's cache: Django's ``cache.add`` is atomic in memcached and Redis, the caches Open edX runs, so the
second request is refused even before the first one's state is saved.

A workbook costs the server about a second of CPU and 100 MB: a learner may ask for a few a minute, and a
web process renders only a few at once, so no one can tie up the LMS's web workers (``docs/architecture.md``).

Without Django (a bare XBlock runtime) both are kept in this process.
"""

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Django is there in the LMS, Studio and the workbench, not in every runtime
    from django.core.cache.backends.base import BaseCache

#: Long enough to outlast the request that made the claim; short, so a staff reset of attempts is not blocked.
CLAIM_SECONDS = 60
#: Workbooks one learner may download from one block per minute (a retry or two, never a loop).
WORKBOOKS_PER_MINUTE = 4
#: Workbooks one web process renders at the same time; more requests are told to come back.
RENDERS_AT_ONCE = 2

_local: dict[str, tuple[float, int]] = {}
_local_lock = threading.Lock()
_render_slots = threading.BoundedSemaphore(RENDERS_AT_ONCE)


def claim_attempt(user_id: object, usage_id: object, attempt: int) -> bool:
    """Claim ``attempt`` of this learner on this block; ``False`` when another request claimed it already."""
    return _count(_key("attempt", user_id, usage_id, attempt), CLAIM_SECONDS) == 1


def within_rate(user_id: object, usage_id: object, limit: int = WORKBOOKS_PER_MINUTE) -> bool:
    """Count one more workbook for this learner and block this minute; ``False`` once past ``limit``."""
    minute = int(time.time() // 60)
    return _count(_key("workbook", user_id, usage_id, minute), 60) <= limit


def within_rate_for(user_id: object, usage_id: object, workbook_key: str) -> bool:
    """As :func:`within_rate`, counting a workbook once a minute however often the page asks for it.

    The page asks whether a workbook is ready every two seconds while it is made; each workbook the learner's
    work changed into is a new render, and counts.
    """
    minute = int(time.time() // 60)
    if _count(_key("asked", user_id, usage_id, workbook_key, minute), 60) > 1:
        return True
    return within_rate(user_id, usage_id)


@contextmanager
def render_slot() -> Iterator[bool]:
    """Hold one of this process's rendering slots; yields ``False`` (holding none) when all are busy."""
    acquired = _render_slots.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            _render_slots.release()


def _key(kind: str, *parts: object) -> str:
    return f"leadmanage:{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _count(key: str, seconds: int) -> int:
    """Add one to the counter ``key`` (which lives ``seconds``) and return its new value."""
    cache = shared_cache()
    if cache is None:
        return _count_here(key, seconds)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between add and incr: this request is the first again
        return 1 if cache.add(key, 1, seconds) else 2


def shared_cache() -> "BaseCache | None":
    """Django's default cache when Django runs here (the LMS, Studio, the workbench), else ``None``."""
    try:
        from django.conf import settings
        from django.core.cache import cache
    except ImportError:
        return None
    return cache if settings.configured else None


def _count_here(key: str, seconds: int) -> int:
    now = time.monotonic()
    with _local_lock:
        for stale in [k for k, (expires, _) in _local.items() if expires < now]:
            del _local[stale]
        expires, count = _local.get(key, (now + seconds, 0))
        _local[key] = (expires, count + 1)
        return count + 1
