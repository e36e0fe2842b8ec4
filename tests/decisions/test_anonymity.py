"""Anonymous means unlinkable: after anonymous ballots cast through the web, no stored row of any table, no
export, no page and no captured log line ties a ballot's content to its voter."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from coalition.decisions import actions
from coalition.decisions.models import Ballot, Kind, Participation
from tests import factories
from tests.decisions import builders

VOTERS = 6


def _every_row() -> dict[str, list[str]]:
    """Every row of every table of the project (and auth), each as one string."""
    return {
        model._meta.label: [repr(row) for row in model._default_manager.values_list()]
        for model in apps.get_models()
        if model.__module__.startswith(("coalition.", "django.contrib.auth"))
    }


@pytest.fixture
def cast(world: Any, caplog: Any) -> dict[str, Any]:
    """Six voters cast anonymous ballots through the web, each with a reason no one else wrote."""
    caplog.set_level(logging.DEBUG)
    poll = builders.poll(world.coalition, Kind.CONSENT, is_anonymous=True, title="Shared office lease")
    users = [world.member] + [
        factories.add_member(world.coalition, factories.make_user(f"anon{i}"), ["member"]).user
        for i in range(VOTERS - 1)
    ]
    markers = {}
    for user in users:
        marker = f"reason-{secrets.token_hex(8)}"
        markers[user.username] = marker
        response = world.client_for(user).post(
            reverse("decisions:poll", args=[world.coalition.pk, poll.pk]), {"answer": "consent", "reason": marker}
        )
        assert response.status_code == 302
    return {"poll": poll, "users": users, "markers": markers}


def test_ballot_rows_carry_no_voter_no_time_and_random_ids(world: Any, cast: dict[str, Any]) -> None:
    rows = list(Ballot.objects.filter(poll=cast["poll"]).values())
    assert len(rows) == VOTERS
    for row in rows:
        assert row["participation_id"] is None and row["cast_at"] is None
        assert row["id"].version == 4
    datetime_fields = [f.name for f in Participation._meta.get_fields() if isinstance(f, models.DateTimeField)]
    assert datetime_fields == []  # who voted keeps the day only


def test_no_row_outside_the_ballot_table_holds_a_ballot_and_no_ballot_names_a_voter(
    world: Any, cast: dict[str, Any]
) -> None:
    markers = set(cast["markers"].values())
    identities = {u.username for u in cast["users"]} | {u.email for u in cast["users"] if u.email}
    for label, rows in _every_row().items():
        for row in rows:
            holds_content = any(m in row for m in markers)
            if label == "decisions.Ballot":
                assert not any(name in row for name in identities)
            else:
                assert not holds_content, f"{label} holds ballot content: {row}"


def test_storage_order_does_not_follow_voting_order(world: Any, cast: dict[str, Any]) -> None:
    order = [cast["markers"][u.username] for u in cast["users"]]
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason FROM decisions_ballot ORDER BY {physical}")  # noqa: S608 - fixed names
        stored = [r[0] for r in cursor.fetchall()]
    by_id = list(Ballot.objects.filter(poll=cast["poll"]).order_by("id").values_list("reason", flat=True))
    assert sorted(stored) == sorted(order)
    # each order matches the voting order only by a 1-in-720 chance; both together 1 in 518,400
    assert not (stored == order and by_id == order)


def test_no_log_line_names_a_ballot(world: Any, cast: dict[str, Any], caplog: Any) -> None:
    markers = set(cast["markers"].values())
    for record in caplog.records:
        line = record.getMessage() + repr(record.__dict__)
        assert not any(m in line for m in markers)


def test_pages_and_export_show_no_voter_of_an_anonymous_poll(world: Any, cast: dict[str, Any]) -> None:
    poll = actions.do_close_poll(world.hub, cast["poll"])
    hub = world.client_for(world.hub)
    page = hub.get(reverse("decisions:poll", args=[world.coalition.pk, poll.pk])).content.decode()
    export = hub.get(reverse("decisions:log_export", args=[world.coalition.pk])).content.decode()
    assert "Shared office lease" in export and "Shared office lease" in page
    for user in cast["users"][1:]:  # the hub's page names the hub, never a voter
        membership = builders.membership(world.coalition, user)
        for text in (page, export):
            assert user.username not in text
            assert membership.display_name not in text
    for marker in cast["markers"].values():
        assert marker not in export
        assert marker in page  # the reasons are shown, alphabetically, with no voter beside them


def test_turnout_shows_only_from_three_voters(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.CONSENT, is_anonymous=True)
    url = reverse("decisions:poll", args=[world.coalition.pk, poll.pk])
    hub = world.client_for(world.hub)
    voters = [factories.add_member(world.coalition, factories.make_user(f"t{i}"), ["member"]).user for i in range(3)]
    for count, user in enumerate(voters, start=1):
        world.client_for(user).post(url, {"answer": "consent"})
        assert (hub.get(url).context["turnout"] is None) == (count < 3)
