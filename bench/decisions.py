"""Vote counting at scale: instant runoff over 100,000 ballots × 12 candidates, and closing such a poll from
the web request, each beside a baseline measured in the same run.

Prints (``name: value unit``):

* ``irv_count_100000x12`` — ``counting.count_instant_runoff`` on 100,000 random partial rankings of 12
  candidates (median of 5), goal < 1000 ms; ``irv_baseline_counter_100000x12`` — a plain ``Counter`` of the
  same ballots' first preferences (one pass, no rounds), the floor any count must pay;
* ``close_poll_web_100000x12`` — the facilitator's POST that closes an anonymous ranked poll holding those
  100,000 ballots (read, count, store the result and rounds, audit), through Django's test client on a
  throwaway SQLite database; ``close_baseline_read_count_100000x12`` — the same ballots read with the bare
  driver cursor and counted by ``count_instant_runoff`` (no request, no ORM, no write).

Usage: .venv/bin/python bench/decisions.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
WORKDIR = tempfile.mkdtemp(prefix="coalition-bench-decisions-")
os.environ["COALITION_VAR_DIR"] = WORKDIR
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings"
os.environ["DJANGO_DEBUG"] = "0"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from coalition.coalitions.actions import do_create_coalition  # noqa: E402
from coalition.decisions import actions, counting  # noqa: E402
from coalition.decisions.models import Ballot  # noqa: E402

BALLOTS, CANDIDATES, REPEATS = 100_000, 12, 5


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _median_time(work: object, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pure(ballots: list[tuple[int, ...]], candidates: list[int]) -> None:
    irv = _median_time(lambda: counting.count_instant_runoff(candidates, ballots))
    baseline = _median_time(lambda: Counter(b[0] for b in ballots if b))
    print(f"irv_count_100000x12: {_ms(irv)}")
    print(f"irv_baseline_counter_100000x12: {_ms(baseline)}")


def web_close(rng: random.Random) -> None:
    call_command("migrate", verbosity=0)
    hub = get_user_model().objects.create_user("bench-hub", password="bench-password-not-secret")  # noqa: S106
    coalition = do_create_coalition(hub, name="Bench decisions")
    labels = tuple(f"Candidate {i:02}" for i in range(CANDIDATES))
    now = timezone.now()
    poll = actions.do_create_poll(
        hub,
        coalition,
        options=[(label, None) for label in labels],
        title="Bench ranked poll",
        kind="ranked",
        electorate="people",
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
        is_anonymous=True,
    )
    ids = list(poll.options.values_list("pk", flat=True))
    # seeded directly: 100,000 ballots through the voting action would time the seeding, not the close
    Ballot.objects.bulk_create(
        (
            Ballot(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                poll=poll,
                choice={"ranking": rng.sample(ids, rng.randint(1, CANDIDATES))},
            )
            for _ in range(BALLOTS)
        ),
        batch_size=5000,
    )

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT choice FROM decisions_ballot WHERE poll_id = %s", [poll.pk])
            rankings = [json.loads(row[0])["ranking"] for row in cursor.fetchall()]
        counting.count_instant_runoff(ids, rankings)

    read_count = _median_time(baseline, 3)
    client = Client()
    client.force_login(hub)
    url = reverse("decisions:close", args=[coalition.pk, poll.pk])
    start = time.perf_counter()
    response = client.post(url)
    elapsed = time.perf_counter() - start
    poll.refresh_from_db()
    assert response.status_code == 302 and poll.closed_at is not None, response.status_code
    print(f"close_poll_web_100000x12: {_ms(elapsed)}")
    print(f"close_baseline_read_count_100000x12: {_ms(read_count)}")


def main() -> None:
    rng = random.Random(16)  # noqa: S311 - benchmark data
    candidates = list(range(CANDIDATES))
    ballots = [tuple(rng.sample(candidates, rng.randint(1, CANDIDATES))) for _ in range(BALLOTS)]
    try:
        pure(ballots, candidates)
        web_close(rng)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
