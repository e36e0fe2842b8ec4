"""The notification engine: outbox rows, idempotent delivery, choices, digest, unsubscribe, retries."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coalition.notifications import delivery, registry, tokens
from coalition.notifications.events import raise_event
from coalition.notifications.models import Notification, Preference
from tests import factories
from tests.notifications.engine_support import HELLO, DiesOnThirdBackend, WorkerKilled

Status = Notification.Status


def hello(users: list[Any], what: str = "world", key: str | None = None) -> int:
    return raise_event(HELLO.name, key=key or f"hello:{what}", payload={"to": [u.pk for u in users], "what": what})


@pytest.fixture
def people(db: Any) -> list[Any]:
    return [factories.make_user(f"person{i}") for i in range(4)]


def test_raising_writes_one_row_per_recipient_and_delivers_after_commit(
    people: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hello(people)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_raising_the_same_event_twice_adds_nothing(people: list[Any]) -> None:
    hello(people)
    hello(people)
    assert Notification.objects.count() == len(people)


def test_delivery_run_twice_sends_each_message_once(people: list[Any]) -> None:
    hello(people)
    assert delivery.deliver_pending() == 4
    assert delivery.deliver_pending() == 0
    assert len(mail.outbox) == 4


def test_worker_killed_mid_batch_and_restarted_sends_each_message_once(people: list[Any], settings: Any) -> None:
    hello(people)
    settings.EMAIL_BACKEND = "tests.notifications.engine_support.DiesOnThirdBackend"
    DiesOnThirdBackend.calls = 0
    with pytest.raises(WorkerKilled):
        delivery.deliver_pending()
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(status=Status.SENT).count() == 2
    assert Notification.objects.filter(status=Status.SENDING).count() == 2  # claimed by the dead worker
    # Restarted at once: the dead worker's claims are not yet stale, so nothing is taken twice.
    assert delivery.deliver_pending() == 0
    # After the lease, the two unsent rows go; the two sent ones never again.
    later = timezone.now() + delivery.LEASE + dt.timedelta(seconds=1)
    assert delivery.deliver_pending(now=later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once() -> None:
    people = [factories.make_user(f"busy{i}") for i in range(30)]
    hello(people)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            delivery.deliver_pending()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_person_who_chose_never_receives_nothing(people: list[Any]) -> None:
    quiet, *others = people
    Preference.objects.create(user=quiet, event_type=HELLO.name, delivery="never")
    hello(people)
    delivery.deliver_pending()
    assert quiet.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == len(others)
    assert not Notification.objects.filter(recipient=quiet).exists()


def test_security_messages_ignore_a_never_choice(people: list[Any]) -> None:
    person = people[0]
    Preference.objects.create(user=person, event_type="security.password_changed", delivery="never")
    raise_event("security.password_changed", key="pw:1", payload={"user_id": person.pk, "username": "p"})
    delivery.deliver_pending()
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_email_carries_one_click_unsubscribe_headers(people: list[Any]) -> None:
    hello(people[:1])
    delivery.deliver_pending()
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http") and link.endswith(">")
    assert tokens.read_token(link.rstrip(">").rsplit("/", 2)[-2]) == (people[0].pk, HELLO.name)
    assert "Body about world" in message.body


def test_digest_groups_a_weeks_events_in_one_email_per_person(people: list[Any]) -> None:
    weekly, also_weekly, immediate, _ = people
    for person in (weekly, also_weekly):
        Preference.objects.create(user=person, event_type=HELLO.name, delivery="digest")
    start = timezone.now() - dt.timedelta(days=6)
    for day, what in enumerate(["monday", "wednesday", "friday"]):
        hello([weekly, immediate], what=what)
        Notification.objects.filter(key=f"hello:{what}").update(created_at=start + dt.timedelta(days=2 * day))
    hello([also_weekly], what="once")
    delivery.deliver_pending()
    assert sorted(m.to[0] for m in mail.outbox) == [immediate.email] * 3  # the immediate person's three
    mail.outbox.clear()

    assert delivery.send_digests() == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {weekly.email, also_weekly.email}
    body = by_person[weekly.email].body
    assert all(f"Hello {what}" in body for what in ("monday", "wednesday", "friday"))
    assert "Hello once" not in body and "Hello once" in by_person[also_weekly.email].body
    assert "3" in by_person[weekly.email].subject
    assert delivery.send_digests() == 0  # each week's rows go once


def test_digest_leaves_events_raised_after_its_moment_for_next_week(people: list[Any]) -> None:
    person = people[0]
    Preference.objects.create(user=person, event_type=HELLO.name, delivery="digest")
    hello([person], what="late")
    assert delivery.send_digests(now=timezone.now() - dt.timedelta(minutes=1)) == 0
    assert delivery.send_digests() == 1


def _token_of(person: Any, event_type: str = HELLO.name) -> str:
    return tokens.make_token(person.pk, event_type)


def test_unsubscribe_link_works_signed_out_with_one_click_post(people: list[Any]) -> None:
    person = people[0]
    url = reverse("notifications:unsubscribe", args=[_token_of(person)])
    client = Client(enforce_csrf_checks=True)  # a mail provider posts without any cookie
    page = client.get(url)
    assert page.status_code == 200
    assert not Preference.objects.exists()  # looking at the link changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=person, event_type=HELLO.name).delivery == "never"
    hello(people)
    delivery.deliver_pending()
    assert person.email not in [m.to[0] for m in mail.outbox]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: "x" + t,
        lambda t: "not-a-token",
    ],
)
def test_tampered_unsubscribe_link_is_refused(people: list[Any], mangle: Any) -> None:
    url = reverse("notifications:unsubscribe", args=[mangle(_token_of(people[0]))])
    assert Client().post(url).status_code == 404
    assert not Preference.objects.exists()


def test_token_for_another_person_cannot_be_forged_by_changing_the_id(people: list[Any]) -> None:
    genuine = _token_of(people[0])
    forged = tokens.make_token(people[1].pk, HELLO.name).split(":")[0] + ":" + genuine.split(":", 1)[1]
    assert tokens.read_token(forged) is None


def test_security_messages_cannot_be_unsubscribed(people: list[Any]) -> None:
    url = reverse("notifications:unsubscribe", args=[_token_of(people[0], "security.password_changed")])
    assert Client().post(url).status_code == 404
    assert not Preference.objects.exists()


def test_failing_mail_server_retries_with_backoff_and_logs_no_body(
    people: list[Any], settings: Any, caplog: Any
) -> None:
    hello(people[:1])
    settings.EMAIL_BACKEND = "tests.notifications.engine_support.BrokenBackend"
    now = timezone.now()
    with caplog.at_level(logging.WARNING, logger="coalition.notifications"):
        assert delivery.deliver_pending(now=now) == 0
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at == now + dt.timedelta(minutes=2)
    assert "secret-body-text" not in caplog.text and people[0].email not in caplog.text
    assert "ConnectionRefusedError" in caplog.text
    assert delivery.deliver_pending(now=now + dt.timedelta(minutes=1)) == 0  # not yet due: not tried
    assert Notification.objects.get().attempts == 1
    moment = now
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        moment += delivery.backoff(attempt - 1)
        delivery.deliver_pending(now=moment)
        assert Notification.objects.get().attempts == attempt
    assert Notification.objects.get().status == Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver_pending(now=moment + dt.timedelta(days=2)) == 0  # given up: never sent twice or late


def test_choices_page_saves_and_refuses_security_types(people: list[Any]) -> None:
    person = people[0]
    client = Client()
    client.force_login(person)
    assert client.get(reverse("notifications:choices")).status_code == 200
    form = {t.name: t.default.value for t in registry.adjustable_types()}
    response = client.post(
        reverse("notifications:choices"), {**form, HELLO.name: "digest", "security.password_changed": "never"}
    )
    assert response.status_code == 302
    assert (
        dict(Preference.objects.filter(user=person).values_list("event_type", "delivery")).get(HELLO.name) == "digest"
    )
    assert not Preference.objects.filter(event_type="security.password_changed").exists()


def test_recent_list_shows_only_my_notifications(people: list[Any]) -> None:
    hello(people[:1], what="mine")
    hello(people[1:2], what="theirs")
    client = Client()
    client.force_login(people[0])
    page = client.get(reverse("notifications:recent")).content.decode()
    assert "Hello mine" in page and "Hello theirs" not in page
    assert Client().get(reverse("notifications:recent")).status_code == 302  # signed out: sign in first
