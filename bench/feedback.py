"""The public feedback form under a burst: 200 submissions at once from 50 addresses (ten of them send eight,
over the limit of five per ten minutes; the other forty send three), through Django's test client in 50 threads
against a throwaway SQLite database (production settings, WAL, IMMEDIATE transactions).

Prints ``accepted: N``, ``throttled: N``, ``errors: N`` (anything else, "database is locked" included), the stored
rows (must equal accepted: no accepted submission lost) and the wall time.

Usage: .venv/bin/python bench/feedback.py
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

WORKDIR = _setup.start("coalition-bench-feedback-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from coalition.coalitions.actions import do_create_coalition  # noqa: E402
from coalition.feedback import actions  # noqa: E402
from coalition.feedback.models import Feedback  # noqa: E402

SUBMISSIONS, ADDRESSES, THREADS = 200, 50, 50


def _address(number: int) -> str:
    # 150 submissions spread three per address, the last 50 from the first ten addresses (five more each)
    index = number % ADDRESSES if number < 150 else (number - 150) % 10
    return f"198.51.100.{index + 1}"


def main() -> None:
    call_command("migrate", verbosity=0)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # one "Too Many Requests" line per refusal
    cache.clear()
    hub = get_user_model().objects.create_user("bench-hub", password="bench-password-not-secret")  # noqa: S106
    coalition = do_create_coalition(hub, name="Bench listening")
    url = reverse("feedback_public:form", args=[actions.settings_for(coalition).public_key])
    connection.close()

    def submit(number: int) -> str:
        try:
            response = Client().post(
                url,
                {"topic": "safety", "text": f"Burst feedback number {number}"},
                REMOTE_ADDR=_address(number),
                secure=True,
            )
            if response.status_code == 200 and b'id="tracking-code"' in response.content:
                return "accepted"
            if response.status_code == 429:
                return "throttled"
            return f"error {response.status_code}"
        except Exception as error:  # noqa: BLE001 - every failure is counted and named
            return f"error {type(error).__name__}: {error}"
        finally:
            connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(submit, range(SUBMISSIONS)))
    elapsed = time.perf_counter() - start
    counts = Counter("error" if o.startswith("error") else o for o in outcomes)
    stored = Feedback.objects.filter(coalition=coalition).count()
    print(f"accepted: {counts['accepted']}")
    print(f"throttled: {counts['throttled']}")
    print(f"errors: {counts['error']}")
    print(f"stored: {stored}")
    print(f"burst_wall_time: {elapsed * 1000:.0f} ms")
    for problem in sorted({o for o in outcomes if o.startswith("error")})[:5]:
        print(f"  {problem}")
    if stored != counts["accepted"]:
        print("LOST ACCEPTED SUBMISSIONS")


if __name__ == "__main__":
    try:
        main()
    finally:
        _setup.finish(WORKDIR)
