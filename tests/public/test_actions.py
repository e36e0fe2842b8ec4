"""The public page's actions and the listing consent: rules with hand-written expectations, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coalition.core import extensions
from coalition.core.models import AuditEvent
from coalition.public import actions
from coalition.public.models import PublicPage
from coalition.stakeholders.actions import do_record_public_listing
from coalition.stakeholders.models import Stakeholder
from tests import factories
from tests.public.builders import days_ago, published

pytestmark = pytest.mark.django_db


# --- Listing consent (stakeholders) ----------------------------------------------------------------------------


def test_recording_an_agreement_dates_it_and_audits_before_and_after(world: Any) -> None:
    org = do_record_public_listing(world.hub, world.member_org, days_ago(3))
    assert org.listing_agreed_on == days_ago(3)
    event = AuditEvent.objects.get(verb="stakeholder.listing_agreed")
    assert event.before == {"listing_agreed_on": None}
    assert event.after == {"listing_agreed_on": str(days_ago(3))}
    assert event.coalition_id == world.coalition.pk


def test_withdrawing_clears_the_date_and_is_audited(world: Any) -> None:
    do_record_public_listing(world.hub, world.member_org, days_ago(3))
    org = do_record_public_listing(world.hub, world.member_org, None)
    assert org.listing_agreed_on is None
    assert AuditEvent.objects.filter(verb="stakeholder.listing_withdrawn").count() == 1


def test_recording_the_same_agreement_twice_changes_nothing(world: Any) -> None:
    do_record_public_listing(world.hub, world.member_org, days_ago(3))
    do_record_public_listing(world.hub, world.member_org, days_ago(3))
    assert AuditEvent.objects.filter(verb__startswith="stakeholder.listing").count() == 1


def test_an_agreement_cannot_be_dated_in_the_future(world: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        do_record_public_listing(world.hub, world.member_org, timezone.localdate() + dt.timedelta(days=1))
    assert "agreed_on" in raised.value.message_dict
    world.member_org.refresh_from_db()
    assert world.member_org.listing_agreed_on is None


def test_individuals_are_never_listed(world: Any) -> None:
    person = factories.make_stakeholder(world.coalition, "Jo Resident", kind=Stakeholder.Kind.INDIVIDUAL)
    with pytest.raises(ValidationError):
        do_record_public_listing(world.hub, person, days_ago(1))
    assert not AuditEvent.objects.filter(verb="stakeholder.listing_agreed").exists()


# --- The page's settings -------------------------------------------------------------------------------------------


def test_saving_keeps_the_registered_sections_in_page_order_and_audits(world: Any) -> None:
    page = actions.do_save_public_page(
        world.hub, world.coalition, slug=" Our-Page ", sections=["decisions", "purpose", "purpose"]
    )
    assert page.slug == "our-page"
    assert page.sections == ["purpose", "decisions"]
    assert not page.is_published
    event = AuditEvent.objects.get(verb="public_page.created")
    assert event.after["sections"] == ["purpose", "decisions"]


def test_an_unknown_section_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.do_save_public_page(world.hub, world.coalition, slug="x", sections=["purpose", "secret-ledger"])
    assert "sections" in raised.value.message_dict
    assert not PublicPage.objects.exists()


def test_two_coalitions_cannot_share_an_address(world: Any) -> None:
    actions.do_save_public_page(world.hub, world.coalition, slug="eastgate", sections=["purpose"])
    with pytest.raises(ValidationError) as raised:
        actions.do_save_public_page(world.outsider, world.other, slug="eastgate", sections=["purpose"])
    assert "slug" in raised.value.message_dict


def test_a_malformed_address_is_a_field_error(world: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.do_save_public_page(world.hub, world.coalition, slug="no spaces/allowed", sections=["purpose"])
    assert "slug" in raised.value.message_dict


def test_suggested_address_avoids_one_taken(world: Any) -> None:
    actions.do_save_public_page(world.outsider, world.other, slug="coalition-a", sections=["purpose"])
    assert actions.suggested_slug(world.coalition) == "coalition-a-2"


def test_every_change_raises_the_version_and_an_unchanged_save_does_not(world: Any) -> None:
    page = actions.do_save_public_page(world.hub, world.coalition, slug="a", sections=["purpose"])
    first = page.version
    page = actions.do_save_public_page(world.hub, world.coalition, slug="a", sections=["purpose"])
    assert page.version == first
    page = actions.do_save_public_page(world.hub, world.coalition, slug="a", sections=["purpose", "members"])
    assert page.version == first + 1
    assert AuditEvent.objects.filter(verb="public_page.changed").count() == 1


def test_a_page_without_sections_cannot_be_published(world: Any) -> None:
    page = actions.do_save_public_page(world.hub, world.coalition, slug="a", sections=[])
    with pytest.raises(ValidationError):
        actions.do_publish_public_page(world.hub, page)
    page.refresh_from_db()
    assert not page.is_published


def test_publishing_and_taking_down_are_audited_and_raise_the_version(world: Any) -> None:
    page = published(world.coalition, world.hub)
    assert page.is_published and page.published_at is not None
    version = page.version
    page = actions.do_unpublish_public_page(world.hub, page)
    assert not page.is_published
    assert page.version == version + 1
    verbs = list(AuditEvent.objects.filter(verb__startswith="public_page.").values_list("verb", flat=True))
    assert sorted(verbs) == ["public_page.created", "public_page.published", "public_page.unpublished"]


def test_an_app_reporting_a_change_raises_only_its_coalitions_version(world: Any) -> None:
    page = published(world.coalition, world.hub)
    other = published(world.other, world.outsider, slug="other")
    before, other_before = page.version, other.version
    extensions.public_content_changed(world.coalition.pk)
    page.refresh_from_db()
    other.refresh_from_db()
    assert (page.version, other.version) == (before + 1, other_before)
