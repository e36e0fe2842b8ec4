"""How meetings scale: a meeting page with 60 agenda items and 300 attendees, and queuing the follow-up (one
message per invitee with their own action items) for 2,000 invitees.

Creates a throwaway SQLite database (never the demo database). Each figure is taken at two sizes to show the
number of SQL statements does not grow with the meeting; as the baseline, the same statements are replayed on
the bare driver cursor (inside a transaction rolled back, for the follow-up's writes), with the ratio.

Usage: .venv/bin/python bench/meetings.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
WORKDIR = tempfile.mkdtemp(prefix="coalition-bench-meetings-")
os.environ["COALITION_VAR_DIR"] = WORKDIR
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings"
os.environ["DJANGO_DEBUG"] = "0"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from coalition.coalitions.actions import do_create_coalition  # noqa: E402
from coalition.coalitions.models import Coalition, Membership, MembershipRole  # noqa: E402
from coalition.meetings import actions  # noqa: E402
from coalition.meetings.models import AgendaItem, Attendance, Meeting, MeetingDecision  # noqa: E402
from coalition.notifications.models import Notification  # noqa: E402
from coalition.stakeholders.models import Stakeholder  # noqa: E402

REQUESTS = 9
PASSWORD = "bench-password-not-secret"  # noqa: S105


def coalition_with(label: str, people: int) -> tuple[Coalition, object, list[Stakeholder]]:
    users = get_user_model().objects
    hub = users.create_user(f"bench-hub-{label}", password=PASSWORD)
    coalition = do_create_coalition(hub, name=f"Bench meetings {label}")
    orgs = Stakeholder.objects.bulk_create(
        Stakeholder(coalition=coalition, name=f"Org {label}-{i}", engagement="member")
        for i in range(max(1, people // 10))
    )
    made = users.bulk_create(
        get_user_model()(username=f"bench-{label}-{i}", email=f"p{i}-{label}@example.org") for i in range(people)
    )
    memberships = Membership.objects.bulk_create(
        Membership(coalition=coalition, user=user, organisation=orgs[i % len(orgs)]) for i, user in enumerate(made)
    )
    MembershipRole.objects.bulk_create(MembershipRole(membership=m, role="member") for m in memberships)
    return coalition, hub, orgs


def held_meeting(coalition: Coalition, hub: object, orgs: list[Stakeholder], items: int) -> Meeting:
    start = timezone.now() - dt.timedelta(hours=3)
    meeting = actions.do_save_meeting(
        hub, coalition, title="Coordination", forum="coalition", working_group=None, starts_at=start,
        duration_minutes=90, timezone="Europe/London", place="Hall", call_link="",
    )  # fmt: skip
    AgendaItem.objects.bulk_create(
        AgendaItem(
            coalition=coalition,
            meeting=meeting,
            title=f"Item {i}",
            status="accepted",
            position=i,
            minutes="Discussed **well**.\n\n- one\n- two",
        )  # fmt: skip
        for i in range(items)
    )
    for i in range(min(5, items)):
        MeetingDecision.objects.create(coalition=coalition, meeting=meeting, text=f"Decision {i}", rule="consent",
                                       result="adopted")  # fmt: skip
        actions.do_add_action_item(hub, meeting, title=f"Task {i}", owner=orgs[i % len(orgs)],
                                   due_on=timezone.localdate() + dt.timedelta(days=14))  # fmt: skip
    return meeting


def with_attendance(meeting: Meeting) -> Meeting:
    Attendance.objects.bulk_create(
        Attendance(
            coalition_id=meeting.coalition_id,
            meeting=meeting,
            membership=m,
            organisation_id=m.organisation_id,
            status="present" if m.pk % 4 else "absent",
        )  # fmt: skip
        for m in Membership.objects.filter(coalition_id=meeting.coalition_id)
    )
    return meeting


def median_ms(run: Callable[[], object], repeat: int = REQUESTS) -> float:
    for _ in range(2):
        run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def replay(statements: list[str], rollback: bool = False) -> Callable[[], None]:
    def run() -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()
            transaction.set_rollback(rollback)

    return run


def page_figures(size: str, people: int, items: int) -> tuple[Client, str, int, list[str]]:
    coalition, hub, orgs = coalition_with(size, people)
    meeting = with_attendance(held_meeting(coalition, hub, orgs, items))
    client = Client()
    client.force_login(hub)
    url = reverse("meetings:meeting", kwargs={"coalition_id": coalition.pk, "meeting_id": meeting.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return client, url, len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def follow_up(size: str, people: int) -> tuple[float, int, list[str]]:
    coalition, hub, orgs = coalition_with(size, people)
    meeting = held_meeting(coalition, hub, orgs, 5)
    with transaction.atomic():  # rolled back: the follow-up is measured queued, never delivered
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            queued = actions.do_approve_minutes(hub, meeting)
            elapsed = (time.perf_counter() - start) * 1000
        assert queued == Notification.objects.filter(key=f"meetings.follow_up:{meeting.pk}").count() > people
        transaction.set_rollback(True)
    return elapsed, len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        _c, _u, small_queries, _s = page_figures("page-small", 10, 5)
        client, url, queries, statements = page_figures("page-large", 300, 60)
        assert small_queries == queries, (small_queries, queries)
        page_ms = median_ms(lambda: client.get(url))
        sql_ms = median_ms(replay(statements))
        print("meeting_page_items: 60 items")
        print("meeting_page_attendees: 300 people")
        print(f"meeting_page_queries: {queries} queries")
        print(f"meeting_page_queries_5_items_10_attendees: {small_queries} queries")
        print(f"meeting_page: {page_ms:.0f} ms")
        print(f"meeting_page_sql: {sql_ms:.1f} ms")
        print(f"meeting_page_vs_sql: {page_ms / sql_ms:.1f} x")
        _ms, few_queries, _s = follow_up("follow-small", 20)
        follow_ms, follow_queries, follow_statements = follow_up("follow-large", 2000)
        # SQLite binds at most 999 values per statement, so the outbox rows go in batches of ~70; everything else
        # is the same statements whatever the number of invitees (PostgreSQL takes the rows in one INSERT).
        batches = sum(1 for sql in follow_statements if "notifications_notification" in sql.split("(", 1)[0])
        assert few_queries - 1 == follow_queries - batches, sorted({sql[:50] for sql in follow_statements})
        follow_sql_ms = median_ms(replay(follow_statements, rollback=True), repeat=3)
        print("follow_up_invitees: 2001 people")
        print(f"follow_up_queries: {follow_queries} queries")
        print(f"follow_up_queries_21_invitees: {few_queries} queries")
        print(f"follow_up_queries_besides_outbox_batches: {follow_queries - batches} queries")
        print(f"follow_up_outbox_insert_batches: {batches} statements")
        print(f"follow_up_queue: {follow_ms:.0f} ms")
        print(f"follow_up_queue_sql: {follow_sql_ms:.1f} ms")
        print(f"follow_up_queue_vs_sql: {follow_ms / follow_sql_ms:.1f} x")
    finally:
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
