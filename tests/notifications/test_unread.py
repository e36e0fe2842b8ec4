"""Unread marks: a new notification is unread, opening it marks it read and follows its link, "mark all read"
clears the rest, and the header counts what is unread (only the person's own messages)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from coalition.notifications.events import raise_event
from coalition.notifications.models import Notification
from tests.notifications.engine_support import HELLO


def _tell(*users: Any, what: str = "news", url: str = "/somewhere/") -> None:
    raise_event(HELLO.name, key=f"hello:{what}", payload={"to": [u.pk for u in users], "what": what}, url=url)


def _count_in_header(client: Any) -> str:
    page = client.get(reverse("notifications:choices")).content.decode()
    header = page.split('class="topbar-notifications"')[1].split("</a>")[0]
    return header.split('class="badge"')[1].split(">")[1].split("<")[0] if 'class="badge"' in header else ""


def test_header_counts_unread_and_opening_one_marks_it_read(world: Any) -> None:
    _tell(world.member, what="one", url="/one/")
    _tell(world.member, world.hub, what="two", url="/two/")
    client = world.client_for(world.member)
    assert _count_in_header(client) == "2"
    assert _count_in_header(world.client_for(world.observer)) == ""
    row = Notification.objects.get(recipient=world.member, key="hello:one")
    opened = client.post(reverse("notifications:open", args=[row.pk]))
    assert opened.status_code == 302 and opened["Location"] == "/one/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert _count_in_header(client) == "1"
    assert Notification.objects.get(recipient=world.hub, key="hello:two").read_at is None  # the hub's copy


def test_mark_all_read_clears_only_my_messages(world: Any) -> None:
    _tell(world.member, world.hub, what="a")
    _tell(world.member, what="b")
    client = world.client_for(world.member)
    listing = client.get(reverse("notifications:recent")).content.decode()
    assert listing.count('class="unread"') == 2 and "Mark all read" in listing
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=world.member, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.hub, read_at__isnull=True).count() == 1
    listing = client.get(reverse("notifications:recent")).content.decode()
    assert 'class="unread"' not in listing and "Mark all read" not in listing
    assert _count_in_header(client) == ""


def test_nobody_opens_another_persons_message(world: Any) -> None:
    _tell(world.hub, what="private")
    row = Notification.objects.get(recipient=world.hub)
    response = world.client_for(world.member).post(reverse("notifications:open", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None
    huge = reverse("notifications:open", args=[2**70])
    assert world.client_for(world.member).post(huge).status_code == 404


def test_opening_needs_post_and_a_signed_in_person(world: Any) -> None:
    _tell(world.member, what="x")
    row = Notification.objects.get(recipient=world.member)
    url = reverse("notifications:open", args=[row.pk])
    assert world.client_for(world.member).get(url).status_code == 405
    assert Client().post(url).status_code == 302  # to sign in
    row.refresh_from_db()
    assert row.read_at is None


def test_an_outside_link_is_never_followed(world: Any) -> None:
    _tell(world.member, what="odd", url="https://elsewhere.example/phish")
    row = Notification.objects.get(recipient=world.member)
    response = world.client_for(world.member).post(reverse("notifications:open", args=[row.pk]))
    assert response["Location"] == reverse("notifications:recent")
