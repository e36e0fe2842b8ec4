"""A small fixed-window rate limit kept in Django's cache (used against sign-up and confirmation-mail abuse).

The default cache is per process, so with several workers each counts on its own; configure a shared cache
(``CACHES``) to make the limit exact across workers.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, subject: str) -> str:
    # Hashed, so that addresses and IPs never appear in the cache's keys.
    return "throttle:" + scope + ":" + hashlib.sha256(subject.encode()).hexdigest()


def hit(scope: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; ``False`` when ``subject`` already used its ``limit`` attempts in this window."""
    key = _key(scope, subject)
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
