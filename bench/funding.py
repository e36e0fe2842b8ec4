"""The fund's balance page over a ledger of 1,000,000 entries (SQLite), beside the bare SQL sum.

Seeds ``BENCH_ENTRIES`` (1,000,000) ledger entries with ``bulk_create`` (two funds, three restrictions, two
currencies, every bucket) into a throwaway database and rebuilds the running totals from them
(``do_rebuild_totals``: the totals the actions keep entry by entry), then prints (``name: value unit``):

* ``ledger_entries`` — entries in the ledger;
* ``balance_page_queries`` / ``balance_page_queries_small`` — SQL statements per load of the fund page with the
  full ledger and with a ledger of 10 entries (equal: balances are one read of the running totals);
* ``balance_page`` — median full page time (test client: middleware, access, the aggregate, template);
* ``bare_sql_sum`` — ``SELECT SUM(cents) FROM funding_ledgerentry WHERE coalition_id = %s`` on the bare driver
  cursor, median;
* ``ratio`` — ``balance_page / bare_sql_sum``; goal ≤ 2 x;
* ``balance_at_date`` — the balances at 30 November (a statement's closing balances, a month before the ledger's
  last day): the running totals less one ``GROUP BY`` over the month of entries after that date, median.

Usage: .venv/bin/python bench/funding.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
from decimal import Decimal

import _setup

WORKDIR = _setup.start("coalition-bench-funding-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from coalition.coalitions.actions import do_create_coalition  # noqa: E402
from coalition.funding import ledger  # noqa: E402
from coalition.funding.actions import do_rebuild_totals  # noqa: E402
from coalition.funding.models import KIND_BUCKET, EntryKind, Fund, LedgerEntry, to_cents  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000000"))
BATCH = 5000
KINDS = [EntryKind.PLEDGE, EntryKind.RECEIPT, EntryKind.IN_KIND, EntryKind.GRANT, EntryKind.DISBURSEMENT]


def _entries(coalition_id: int, funds: list[Fund], count: int, rng: random.Random) -> None:
    start = dt.date(2025, 1, 1)
    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            kind = rng.choice(KINDS)
            amount = Decimal(rng.randint(1, 1_000_000)).scaleb(-2)
            batch.append(
                LedgerEntry(
                    coalition_id=coalition_id,
                    fund=rng.choice(funds),
                    kind=kind,
                    bucket=KIND_BUCKET[kind],
                    occurred_on=start + dt.timedelta(days=rng.randint(0, 364)),
                    amount=amount,
                    cents=to_cents(amount),
                    currency=rng.choice(("EUR", "USD")),
                    restriction=rng.choice(("unrestricted", "coordination")),
                    source_type="donor",
                    source_name="Bench donor",
                )
            )
        LedgerEntry.objects.bulk_create(batch)
        made += len(batch)


def main() -> None:
    call_command("migrate", verbosity=0)
    hub = get_user_model().objects.create_user("bench-hub", password="bench-password-not-secret")  # noqa: S106
    rng = random.Random(19)  # noqa: S311 - benchmark data only
    small = do_create_coalition(hub, name="Small bench coalition")
    big = do_create_coalition(hub, name="Bench coalition")
    for coalition, count in ((small, 10), (big, ENTRIES)):
        funds = [
            Fund.objects.create(coalition=coalition, name=name, currency="EUR") for name in ("Pooled fund", "Sponsor")
        ]
        _entries(coalition.pk, funds, count, rng)
        do_rebuild_totals(hub, coalition)
    call_command("migrate", verbosity=0)  # nothing to do; keeps the connection warm
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(hub)
    queries = {}
    for coalition in (small, big):
        url = reverse("funding:fund", args=[coalition.pk])
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        queries[coalition.pk] = len(seen)
    url = reverse("funding:fund", args=[big.pk])
    page = _setup.median_ms(lambda: client.get(url))

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(cents) FROM funding_ledgerentry WHERE coalition_id = %s", [big.pk])
            cursor.fetchone()

    sql = _setup.median_ms(bare)
    at_date = _setup.median_ms(lambda: ledger.balances(big.pk, until=dt.date(2025, 11, 30)))
    print(f"ledger_entries: {LedgerEntry.objects.filter(coalition=big).count()}")
    print(f"balance_page_queries: {queries[big.pk]}")
    print(f"balance_page_queries_small: {queries[small.pk]}")
    print(f"balance_page: {page:.1f} ms")
    print(f"bare_sql_sum: {sql:.1f} ms")
    print(f"ratio: {page / sql:.2f} x")
    print(f"balance_at_date: {at_date:.1f} ms")


if __name__ == "__main__":
    try:
        main()
    finally:
        _setup.finish(WORKDIR)
