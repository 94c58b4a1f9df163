from typing import Any

class BaseCache:
    # True when the key was not there and is now set (atomic in memcached and Redis).
    def add(self, key: str, value: Any, timeout: float | None = ..., version: int | None = None) -> bool: ...
    # The new value; ValueError when the key is missing (or has expired).
    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int: ...
