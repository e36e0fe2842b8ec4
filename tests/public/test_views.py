"""The hub's public-page screen: settings, publishing and listing consent, through the browser's forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coalition.public.models import PublicPage
from tests import factories
from tests.public.builders import days_ago

pytestmark = pytest.mark.django_db


def _url(world: Any, name: str) -> str:
    return reverse(name, kwargs={"coalition_id": world.coalition.pk})


def test_the_hub_sets_up_publishes_and_takes_down_the_page(world: Any, hub_client: Client) -> None:
    response = hub_client.get(_url(world, "public:settings"))
    assert response.status_code == 200
    assert 'value="coalition-a"' in response.content.decode()  # an address is suggested
    response = hub_client.post(
        _url(world, "public:settings"),
        {"slug": "coalition-a", "introduction": "Hello", "sections": ["purpose", "decisions"], "decisions_shown": "5"},
    )
    assert response.status_code == 302
    page = PublicPage.objects.get(coalition=world.coalition)
    assert (page.sections, page.decisions_shown, page.is_published) == (["purpose", "decisions"], 5, False)
    assert Client().get("/p/coalition-a/").status_code == 404
    hub_client.post(_url(world, "public:publish"), {"state": "published"})
    assert Client().get("/p/coalition-a/").status_code == 200
    hub_client.post(_url(world, "public:publish"), {"state": "unpublished"})
    assert Client().get("/p/coalition-a/").status_code == 404


def test_a_bad_setting_shows_field_errors_and_saves_nothing(world: Any, hub_client: Client) -> None:
    response = hub_client.post(
        _url(world, "public:settings"),
        {"slug": "not a slug!", "sections": ["nope"], "decisions_shown": "999"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"slug", "sections", "decisions_shown"} <= set(errors)
    assert not PublicPage.objects.exists()


def test_a_taken_address_is_a_field_error(world: Any, hub_client: Client) -> None:
    world.client_for(world.outsider).post(
        reverse("public:settings", kwargs={"coalition_id": world.other.pk}),
        {"slug": "taken", "sections": ["purpose"], "decisions_shown": "10"},
    )
    response = hub_client.post(
        _url(world, "public:settings"), {"slug": "taken", "sections": ["purpose"], "decisions_shown": "10"}
    )
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors


def test_publishing_before_saving_says_what_to_do(world: Any, hub_client: Client) -> None:
    response = hub_client.post(_url(world, "public:publish"), {"state": "published"}, follow=True)
    assert "Save the page" in response.content.decode()
    assert not PublicPage.objects.exists()


def test_the_hub_records_and_withdraws_a_listing_agreement(world: Any, hub_client: Client) -> None:
    hub_client.post(
        _url(world, "public:listing"), {"organisation": world.member_org.pk, "agreed_on": days_ago(1).isoformat()}
    )
    world.member_org.refresh_from_db()
    assert world.member_org.listing_agreed_on == days_ago(1)
    page = hub_client.get(_url(world, "public:settings")).content.decode()
    assert "Withdraw Member Org" in page
    hub_client.post(_url(world, "public:listing"), {"organisation": world.member_org.pk, "agreed_on": ""})
    world.member_org.refresh_from_db()
    assert world.member_org.listing_agreed_on is None


def test_another_coalitions_organisation_cannot_be_listed(world: Any, hub_client: Client) -> None:
    foreign = factories.make_stakeholder(world.other, "Foreign Org", engagement="member")
    response = hub_client.post(
        _url(world, "public:listing"), {"organisation": foreign.pk, "agreed_on": days_ago(1).isoformat()}, follow=True
    )
    assert "Choose a member organisation" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.listing_agreed_on is None
