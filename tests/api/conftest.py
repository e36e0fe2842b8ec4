from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache, keyed by user id, which the rolled-back database reuses."""
    cache.clear()
    yield
    cache.clear()
