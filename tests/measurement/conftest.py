from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rolled-back tests may reuse a coalition id and version."""
    cache.clear()
    yield
    cache.clear()
