"""Rapid assessment worksheet and asset map: actions, views and who may change them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from coalition.coalitions.actions import StaleVersion
from coalition.core.models import AuditEvent
from coalition.planning import actions, queries
from coalition.planning.models import Assessment, Asset
from tests import factories as base
from tests.planning.factories import access_for, hub_access, make_asset


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"planning:{name}", args=[world.coalition.pk, *args])


def test_hub_saves_assessment_linked_to_stakeholders_and_it_is_audited(world: Any) -> None:
    access = hub_access(world.coalition)
    saved = actions.do_save_assessment(
        access,
        held_on=None,
        key_findings="Two thirds of pupils go home to an empty flat.",
        challenges="No late buses.",
        opportunities="The library is open until 7 pm.",
        stakeholders=[world.member_org],
    )
    assert list(saved.stakeholders.all()) == [world.member_org]
    assert AuditEvent.objects.filter(verb="assessment.saved", coalition=world.coalition).exists()


def test_assessment_refuses_stakeholders_of_another_coalition(world: Any) -> None:
    foreign = base.make_stakeholder(world.other, "Elsewhere Org")
    with pytest.raises(PermissionDenied):
        actions.do_save_assessment(
            hub_access(world.coalition),
            held_on=None,
            key_findings="",
            challenges="",
            opportunities="",
            stakeholders=[foreign],
        )
    assert not Assessment.objects.exists()


def test_saving_a_stale_assessment_is_refused(world: Any) -> None:
    access = hub_access(world.coalition)
    fields = {"held_on": None, "key_findings": "a", "challenges": "", "opportunities": ""}
    first = actions.do_save_assessment(access, **fields)
    actions.do_save_assessment(access, expected_version=first.version, **{**fields, "key_findings": "b"})
    with pytest.raises(StaleVersion):
        actions.do_save_assessment(access, expected_version=first.version, **{**fields, "key_findings": "c"})
    assert Assessment.objects.get().key_findings == "b"


def test_member_cannot_change_the_assessment(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_save_asset(access_for(world.member, world.coalition), name="Hall", kind="meeting_space")
    assert not Asset.objects.exists()


def test_asset_map_groups_by_type_then_place_and_by_place_then_type(world: Any) -> None:
    make_asset(world.coalition, "Central library", place="Centre")
    make_asset(world.coalition, "North library", place="North")
    make_asset(world.coalition, "North hall", kind="meeting_space", place="North")
    make_asset(world.coalition, "Gone", place="North", is_archived=True)
    make_asset(world.other, "Other coalition's library", place="North")
    by_kind = queries.asset_map(world.coalition, "kind")
    assert [(outer, [(inner, [a.name for a in items]) for inner, items in groups]) for outer, groups in by_kind] == [
        ("Library", [("Centre", ["Central library"]), ("North", ["North library"])]),
        ("Meeting space", [("North", ["North hall"])]),
    ]
    by_place = queries.asset_map(world.coalition, "place")
    assert [outer for outer, _groups in by_place] == ["Centre", "North"]
    assert [inner for inner, _items in by_place[1][1]] == ["Library", "Meeting space"]


def test_assessment_page_shows_worksheet_and_asset_map_to_members(world: Any) -> None:
    make_asset(
        world.coalition, "Riverside school hall", kind="school", place="Riverside", who_may_use="Members, by booking"
    )
    response = world.client_for(world.member).get(_url(world, "assessment"))
    assert response.status_code == 200
    assert b"Riverside school hall" in response.content
    assert b"Members, by booking" in response.content
    assert b"Add an asset" not in response.content  # members read; the hub edits


def test_hub_adds_edits_and_removes_an_asset_through_the_pages(world: Any) -> None:
    client = world.client_for(world.hub)
    response = client.post(
        _url(world, "asset_add"),
        {"name": "Youth club van", "kind": "transport", "owner": world.member_org.pk, "place": "North"},
    )
    assert response.status_code == 302
    asset = Asset.objects.get(name="Youth club van")
    assert asset.owner == world.member_org
    client.post(_url(world, "asset_edit", asset.pk), {"name": "Minibus", "kind": "transport", "place": "North"})
    asset.refresh_from_db()
    assert asset.name == "Minibus" and asset.owner is None
    client.post(_url(world, "asset_archive", asset.pk))
    asset.refresh_from_db()
    assert asset.is_archived
    assert "taken off the asset map" in client.get(_url(world, "assessment")).content.decode()
    assert b"Minibus" not in client.get(_url(world, "assessment")).content


def test_asset_form_shows_field_errors(world: Any) -> None:
    response = world.client_for(world.hub).post(_url(world, "asset_add"), {"name": "", "kind": "library"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Asset.objects.exists()


def test_hub_fills_in_the_worksheet_page(world: Any) -> None:
    client = world.client_for(world.hub)
    response = client.post(
        _url(world, "assessment_edit"),
        {
            "held_on": "2026-03-02",
            "key_findings": "Few safe spaces",
            "challenges": "",
            "opportunities": "",
            "stakeholders": [world.member_org.pk],
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(coalition=world.coalition)
    assert assessment.key_findings == "Few safe spaces"
    assert list(assessment.stakeholders.all()) == [world.member_org]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(None, 302), ("outsider", 404), ("observer", 403), ("member", 403), ("hub", 302)],
)
def test_who_may_edit_the_worksheet(world: Any, persona: str | None, expected: int) -> None:
    user = getattr(world, persona) if persona else None
    events = AuditEvent.objects.count()
    response = world.client_for(user).post(
        _url(world, "assessment_edit"), {"key_findings": "changed", "challenges": "", "opportunities": ""}
    )
    assert response.status_code == expected
    if expected != 302 or persona is None:
        assert AuditEvent.objects.count() == events
        assert not Assessment.objects.exists()
    if persona is None:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("persona", "expected"), [(None, 302), ("outsider", 404), ("observer", 200), ("hub", 200)])
def test_who_may_read_the_assessment(world: Any, persona: str | None, expected: int) -> None:
    user = getattr(world, persona) if persona else None
    assert world.client_for(user).get(_url(world, "assessment")).status_code == expected
