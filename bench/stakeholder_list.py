"""How long the stakeholder list takes to serve with 5,000 stakeholders in one coalition.

Creates a throwaway SQLite database in a temporary directory (never the demo database), seeds one
coalition with 5,000 stakeholders, signs in as its hub coordinator and requests the list page through
Django's test client (the full server path: middleware, access check, queries, template). Prints the
median of several requests, without and with a search filter, and beside each the time of the bare SQL
the page runs (its count and its page of rows) as the baseline, with the ratio between the two.

Usage: .venv/bin/python bench/stakeholder_list.py
"""

from __future__ import annotations

import random
from collections.abc import Callable

import _setup

WORKDIR = _setup.start("coalition-bench-stakeholders-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from coalition.coalitions.actions import do_create_coalition  # noqa: E402
from coalition.stakeholders.forms import FilterForm  # noqa: E402
from coalition.stakeholders.models import Level, Sector, Stakeholder  # noqa: E402
from coalition.stakeholders.views import LIST_COLUMNS, PAGE_SIZE  # noqa: E402

COUNT = 5_000
PLACES = ["Riverside", "Eastgate North", "Eastgate South", "Millbrook", "Old Town", "Harbourside", "Northvale"]
WORDS = ["youth", "housing", "health", "school", "library", "transport", "food", "arts", "sports", "faith"]


def seed() -> tuple[Client, str, int]:
    call_command("migrate", verbosity=0)
    hub = get_user_model().objects.create_user("bench-hub", password="bench-password-not-secret")  # noqa: S106
    coalition = do_create_coalition(hub, name="Bench coalition")
    rng = random.Random(5000)
    sectors, levels, engagements = Sector.values, Level.values, Stakeholder.Engagement.values
    Stakeholder.objects.bulk_create(
        [
            Stakeholder(
                coalition=coalition,
                name=f"{rng.choice(WORDS).title()} {rng.choice(['Network', 'Trust', 'Office', 'Group'])} {i:05}",
                sector=rng.choice(sectors),
                level=rng.choice(levels),
                place=rng.choice(PLACES),
                power=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                brings_stake=rng.random() < 0.4,
                brings_power=rng.random() < 0.3,
                brings_knowledge=rng.random() < 0.4,
                lived_experience=rng.random() < 0.2,
                marginalised_group=rng.random() < 0.15,
                engagement=rng.choice(engagements),
                notes=" ".join(rng.choices(WORDS, k=12)),
            )
            for i in range(COUNT)
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(hub)
    return client, reverse("stakeholders:list", args=[coalition.pk]), coalition.pk


def page_sql(coalition_id: int, params: dict[str, str]) -> Callable[[], object]:
    """The bare SQL the list runs for one page: the count and the rows, straight through the cursor."""
    qs = FilterForm(params or None).filter(Stakeholder.objects.filter(coalition_id=coalition_id)).only(*LIST_COLUMNS)
    count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
    rows_sql, rows_params = qs[:PAGE_SIZE].query.sql_with_params()

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) AS page_count", count_params)
            cursor.fetchone()
            cursor.execute(rows_sql, rows_params)
            cursor.fetchall()

    return run


def measure(client: Client, url: str, coalition_id: int, label: str, params: dict[str, str]) -> None:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    page_ms = _setup.median_ms(lambda: client.get(url, params))
    sql_ms = _setup.median_ms(page_sql(coalition_id, params))
    print(f"{label}: {page_ms:.0f} ms")
    print(f"{label}_sql_baseline: {sql_ms:.1f} ms")
    print(f"{label}_vs_sql: {page_ms / sql_ms:.1f} x")


def main() -> None:
    try:
        client, url, coalition_id = seed()
        measure(client, url, coalition_id, f"stakeholder_list_{COUNT}", {})
        measure(client, url, coalition_id, f"stakeholder_list_{COUNT}_search", {"q": "river"})
        measure(
            client, url, coalition_id, f"stakeholder_list_{COUNT}_filtered", {"sector": "government", "flag": "lived"}
        )
        print("stakeholder_list_goal: 200 ms")
    finally:
        _setup.finish(WORKDIR)


if __name__ == "__main__":
    main()
