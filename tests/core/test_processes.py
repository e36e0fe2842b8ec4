"""Several app processes behave as one: sign-in throttling and the cache are shared, nothing lives in one process.

Each probe is a real Python process with the suite's settings, on the test database and on Redis (as
``REDIS_URL`` configures production), run one after another as two app servers would serve requests."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests import factories

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("app_process.py")
REDIS_URL = os.environ.get("COALITION_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _in_process(*args: str, prefix: str) -> Any:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coalition.settings_test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "COALITION_CACHE_PREFIX": prefix,
    }
    done = subprocess.run(
        [sys.executable, str(PROBE), *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def prefix() -> str:
    return f"test-{secrets.token_hex(6)}"


def test_failed_sign_ins_in_one_process_lock_the_account_in_another(transactional_db: Any, prefix: str) -> None:
    factories.make_user("shared")
    assert _in_process("fail-logins", "shared", "4", prefix=prefix) == [200] * 4
    assert _in_process("fail-logins", "shared", "1", prefix=prefix) == [429]  # the fifth, counted across processes
    assert _in_process("login", "shared", factories.PASSWORD, prefix=prefix) == 429


def test_a_value_cached_by_one_process_is_read_and_removed_by_another(transactional_db: Any, prefix: str) -> None:
    assert _in_process("cache-set", "dashboard:1", "figures", prefix=prefix) == "set"
    assert _in_process("cache-get", "dashboard:1", prefix=prefix) == "figures"
    assert _in_process("cache-delete", "dashboard:1", prefix=prefix) == "deleted"
    assert _in_process("cache-get", "dashboard:1", prefix=prefix) is None
