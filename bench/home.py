"""How the "what needs me" home page scales: a person in 5 coalitions with 500 open to-dos.

Creates a throwaway SQLite database (never the demo database). The person is a member for an organisation in
five coalitions, each with 100 open joint actions their organisation leads, due this week or overdue, so the
home page lists 500 to-dos. It then requests the page through Django's test client (middleware, access,
providers, template) and prints the median time, the number of SQL statements (the same for 5 or 500 to-dos:
each app's provider answers for all coalitions in one or two queries), and, as the baseline, the very same
statements replayed on the bare driver cursor, with the ratio between the two.

Usage: .venv/bin/python bench/home.py
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import _setup

WORKDIR = _setup.start("coalition-bench-home-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from coalition.coalitions.actions import do_add_membership, do_create_coalition  # noqa: E402
from coalition.joint_action.models import Action, ActivityType, JointActionPlan  # noqa: E402
from coalition.stakeholders.models import Stakeholder  # noqa: E402

COALITIONS = 5
PER_COALITION = 100


def seed(per_coalition: int) -> Client:
    users = get_user_model().objects
    person = users.create_user(f"bench-member-{per_coalition}", password="bench-password-not-secret")  # noqa: S106
    today = timezone.localdate()
    for n in range(COALITIONS):
        hub = users.create_user(f"bench-hub-{per_coalition}-{n}", password="bench-password-not-secret")  # noqa: S106
        coalition = do_create_coalition(hub, name=f"Bench coalition {per_coalition}-{n}")
        org = Stakeholder.objects.create(coalition=coalition, name="Reading Trust", sector="civil_society")
        do_add_membership(hub, coalition, person, roles=["member"], organisation=org)
        plan = JointActionPlan.objects.create(coalition=coalition, title="Plan")
        kind = ActivityType.objects.create(coalition=coalition, name="Reading club")
        Action.objects.bulk_create(
            [
                Action(
                    coalition=coalition,
                    plan=plan,
                    title=f"Action {i:03}",
                    activity_type=kind,
                    place="North",
                    lead=org,
                    starts_on=today - dt.timedelta(days=30),
                    due_on=today + dt.timedelta(days=(i % 14) - 7),  # a week overdue to a week ahead
                )
                for i in range(per_coalition)
            ]
        )
    client = Client()
    client.force_login(person)
    return client


def page(client: Client) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200, response.status_code
    total = re.search(r"(\d+) things? needs? you", response.content.decode())
    assert total is not None
    return (
        int(total.group(1)),
        len(captured.captured_queries),
        [q["sql"] for q in captured.captured_queries],
    )


def replay(statements: list[str]) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        small = seed(2)
        large = seed(PER_COALITION)
        small_todos, small_queries, _ = page(small)
        todos, queries, statements = page(large)
        assert todos == COALITIONS * PER_COALITION, todos
        assert small_queries == queries, (small_queries, queries)
        page_ms = _setup.median_ms(lambda: large.get(reverse("core:home")))
        sql_ms = _setup.median_ms(replay(statements))
        print(f"home_page_todos: {todos} to-dos")
        print(f"home_page_queries: {queries} queries")
        print(f"home_page_queries_{small_todos}_todos: {small_queries} queries")
        print(f"home_page: {page_ms:.0f} ms")
        print(f"home_page_sql: {sql_ms:.1f} ms")
        print(f"home_page_vs_sql: {page_ms / sql_ms:.1f} x")
    finally:
        _setup.finish(WORKDIR)


if __name__ == "__main__":
    main()
