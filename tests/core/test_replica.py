"""Read-only pages read from a real PostgreSQL streaming replica, and never where the reader must see a write.

Runs when ``COALITION_TEST_REPLICA=1`` (``make test-postgres`` starts the primary and replica pair with
``scripts/replica.sh`` and sets it)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("replica_probe.py")
PRIMARY = "postgres://postgres@127.0.0.1:5433"
REPLICA = "postgres://postgres@127.0.0.1:5434"

pytestmark = pytest.mark.skipif(
    os.environ.get("COALITION_TEST_REPLICA") != "1", reason="needs scripts/replica.sh (make test-postgres)"
)


@pytest.fixture(scope="module")
def seen() -> dict[str, object]:
    name = f"coalition_replica_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coalition.settings_test",
            "DATABASE_URL": f"{PRIMARY}/{name}",
            "DATABASE_REPLICA_URL": f"{REPLICA}/{name}",
            "PYTHONPATH": str(PROJECT_DIR),
        }
        done = subprocess.run(
            [sys.executable, str(PROBE)], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_read_only_page_reads_from_the_replica(seen: dict) -> None:
    assert seen["caught_up_read"]["shows"] is True
    assert seen["caught_up_read"]["replica_queries"] > 0


def test_the_page_after_saving_shows_the_save_from_the_primary(seen: dict) -> None:
    after = seen["same_browser_after_saving"]
    assert after["status"] == 302
    assert after["shows"] is True
    assert after["replica_queries"] == 0


def test_another_reader_may_see_the_replica_a_little_behind(seen: dict) -> None:
    """The proof that reads really go to the replica: it has not applied the save yet."""
    assert seen["other_browser_stale_replica"]["shows"] is False
    assert seen["other_browser_stale_replica"]["replica_queries"] > 0


def test_a_write_then_a_read_in_one_request_sees_the_write(seen: dict) -> None:
    assert seen["write_then_read_in_one_request"] is True


def test_a_lagging_replica_is_skipped_for_the_primary(seen: dict) -> None:
    # The one query the replica answers is the lag measurement itself.
    assert seen["other_browser_lag_fallback"] == {"shows": True, "replica_queries": 1}
