from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.stakeholders import actions
from coalition.stakeholders.models import ContactPerson, Interview, Stakeholder
from tests import factories


def url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"stakeholders:{name}", args=[world.coalition.pk, *args])


VALID = {
    "name": "Northside Food Bank",
    "kind": "organisation",
    "sector": "civil_society",
    "level": "local",
    "place": "Northside",
    "power": "2",
    "interest": "5",
    "brings_stake": "on",
    "lived_experience": "on",
    "engagement": "identified",
    "email": "",
    "phone": "",
    "website": "",
    "notes": "Runs the Friday pantry.",
}


def test_empty_map_explains_how_to_start(world: Any) -> None:
    coalition = factories.make_coalition("Empty", hub=world.hub)
    response = world.client_for(world.hub).get(reverse("stakeholders:list", args=[coalition.pk]))
    assert response.status_code == 200
    assert "Start mapping the local system" in response.content.decode()
    assert "across every sector" in response.content.decode()


def test_list_shows_stakeholders_and_filters_by_search_and_sector(world: Any) -> None:
    factories.make_stakeholder(world.coalition, "Riverside Library", sector="government", place="Riverside")
    factories.make_stakeholder(world.coalition, "Hill Mosque", sector="faith", notes="Youth circle on Fridays")
    client = world.client_for(world.observer)
    page = client.get(url(world, "list")).content.decode()
    assert "Riverside Library" in page and "Hill Mosque" in page
    searched = client.get(url(world, "list"), {"q": "friday"}).content.decode()
    assert "Hill Mosque" in searched and "Riverside Library" not in searched
    by_place = client.get(url(world, "list"), {"q": "riverside"}).content.decode()
    assert "Riverside Library" in by_place and "Hill Mosque" not in by_place
    by_sector = client.get(url(world, "list"), {"sector": "government"}).content.decode()
    assert "Riverside Library" in by_sector and "Hill Mosque" not in by_sector
    none = client.get(url(world, "list"), {"q": "zzz"}).content.decode()
    assert "No stakeholder matches these filters" in none


def test_list_filters_by_engagement_kind_level_and_flag(world: Any) -> None:
    factories.make_stakeholder(
        world.coalition, "Ms Ade", kind="individual", level="neighbourhood", marginalised_group=True
    )
    client = world.client_for(world.hub)
    for params in ({"kind": "individual"}, {"level": "neighbourhood"}, {"flag": "marginalised"}):
        page = client.get(url(world, "list"), params).content.decode()
        assert "Ms Ade" in page, params
        assert "Member Org" not in page, params
    members = client.get(url(world, "list"), {"engagement": "member"}).content.decode()
    assert "Member Org" in members and "Ms Ade" not in members


def test_invalid_filter_values_are_ignored_not_errors(world: Any) -> None:
    response = world.client_for(world.hub).get(url(world, "list"), {"sector": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert "Member Org" in response.content.decode()


def test_list_paginates(world: Any) -> None:
    Stakeholder.objects.bulk_create(
        [Stakeholder(coalition=world.coalition, name=f"Org {i:03}", sector="private") for i in range(60)]
    )
    client = world.client_for(world.hub)
    first = client.get(url(world, "list"), {"sector": "private"}).content.decode()
    assert "Org 000" in first and "Org 030" not in first and "page 1 of 3" in first
    second = client.get(url(world, "list"), {"sector": "private", "page": 2}).content.decode()
    assert "Org 030" in second and "sector=private&amp;page=3" in second


def test_htmx_request_gets_only_the_results(world: Any) -> None:
    response = world.client_for(world.hub).get(
        url(world, "list"), {"q": "member"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert "Member Org" in body
    assert "<html" not in body


def test_archived_stakeholders_leave_the_list_but_can_be_shown(world: Any) -> None:
    actions.do_archive_stakeholder(world.hub, world.other_org)
    client = world.client_for(world.hub)
    assert "Second Org" not in client.get(url(world, "list")).content.decode()
    assert "Second Org" in client.get(url(world, "list"), {"archived": "on"}).content.decode()


def test_hub_creates_a_stakeholder(world: Any) -> None:
    response = world.client_for(world.hub).post(url(world, "create"), VALID)
    stakeholder = Stakeholder.objects.get(name="Northside Food Bank")
    assert response.status_code == 302
    assert response["Location"] == url(world, "detail", stakeholder.pk)
    assert (stakeholder.power, stakeholder.interest, stakeholder.brings_stake, stakeholder.lived_experience) == (
        2,
        5,
        True,
        True,
    )
    assert AuditEvent.objects.filter(verb="stakeholder.created", object_id=str(stakeholder.pk)).exists()


def test_create_form_shows_clear_errors(world: Any) -> None:
    client = world.client_for(world.hub)
    bad = {**VALID, "name": "  ", "power": "9", "sector": "aliens", "website": "not a url"}
    response = client.post(url(world, "create"), bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the fields marked below." in body
    assert "This field is required." in body or "Give the stakeholder a name." in body
    assert "Select a valid choice" in body
    assert "Enter a valid URL." in body
    assert not Stakeholder.objects.filter(coalition=world.coalition, sector="aliens").exists()


def test_duplicate_name_is_refused_whatever_the_case(world: Any) -> None:
    response = world.client_for(world.hub).post(url(world, "create"), {**VALID, "name": "member ORG"})
    assert response.status_code == 200
    assert "already has a stakeholder with this name" in response.content.decode()
    assert Stakeholder.objects.filter(coalition=world.coalition, name__iexact="member org").count() == 1


def test_hub_edits_a_stakeholder(world: Any) -> None:
    stakeholder = world.other_org
    data = {**VALID, "name": "Second Org", "power": "5"}
    data.pop("engagement")
    response = world.client_for(world.hub).post(url(world, "edit", stakeholder.pk), data)
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.power == 5
    event = AuditEvent.objects.get(verb="stakeholder.updated", object_id=str(stakeholder.pk))
    assert event.before["power"] == 3 and event.after["power"] == 5


def test_edit_form_has_no_engagement_field(world: Any) -> None:
    page = world.client_for(world.hub).get(url(world, "edit", world.other_org.pk)).content.decode()
    assert 'name="engagement"' not in page


def test_detail_shows_contacts_interviews_history_and_members(world: Any) -> None:
    stakeholder = world.member_org
    actions.do_add_contact(world.hub, stakeholder, name="Rosa Diaz", position="Director", email="rosa@example.org")
    actions.do_record_interview(
        world.hub, stakeholder, held_on=dt.date(2026, 1, 5), summary="Wants homework clubs.", interviewer=world.hub
    )
    actions.do_change_engagement(world.hub, stakeholder, "consulted", note="Met at the library")
    page = world.client_for(world.observer).get(url(world, "detail", stakeholder.pk)).content.decode()
    assert "Rosa Diaz" in page and "Director" in page
    assert "Wants homework clubs." in page
    assert "from Member to Consulted" in page and "Met at the library" in page
    assert "member" in page  # the membership of the "member" persona represents it
    assert "Keep informed" in page or "Monitor" in page
    assert "Edit" not in page.split("<main", 1)[1].split("Ratings and what they bring")[0]  # observer: no buttons


def test_engagement_change_via_view(world: Any) -> None:
    client = world.client_for(world.hub)
    response = client.post(url(world, "engagement", world.other_org.pk), {"engagement": "declined", "note": "No time"})
    assert response.status_code == 302
    world.other_org.refresh_from_db()
    assert world.other_org.engagement == "declined"
    same = client.post(url(world, "engagement", world.other_org.pk), {"engagement": "declined"}, follow=True)
    assert "already has this engagement status" in same.content.decode()


def test_archive_and_restore_via_views(world: Any) -> None:
    client = world.client_for(world.hub)
    client.post(url(world, "archive", world.other_org.pk))
    world.other_org.refresh_from_db()
    assert world.other_org.is_archived
    page = client.get(url(world, "detail", world.other_org.pk)).content.decode()
    assert "This stakeholder is archived" in page
    client.post(url(world, "restore", world.other_org.pk))
    world.other_org.refresh_from_db()
    assert not world.other_org.is_archived


def test_archive_needs_post(world: Any) -> None:
    response = world.client_for(world.hub).get(url(world, "archive", world.other_org.pk))
    assert response.status_code == 405


def test_contact_add_and_edit(world: Any) -> None:
    client = world.client_for(world.hub)
    response = client.post(url(world, "contact_add", world.other_org.pk), {"name": "Ali", "email": "bad"})
    assert response.status_code == 200 and "Enter a valid email address." in response.content.decode()
    client.post(url(world, "contact_add", world.other_org.pk), {"name": "Ali", "position": "Chair"})
    contact = ContactPerson.objects.get(name="Ali")
    client.post(url(world, "contact_edit", world.other_org.pk, contact.pk), {"name": "Ali Khan", "position": "Chair"})
    contact.refresh_from_db()
    assert contact.name == "Ali Khan"
    assert AuditEvent.objects.filter(verb="stakeholder.contact_updated").count() == 1


def test_contact_of_another_stakeholder_is_404(world: Any) -> None:
    contact = actions.do_add_contact(world.hub, world.member_org, name="Rosa")
    response = world.client_for(world.hub).get(url(world, "contact_edit", world.other_org.pk, contact.pk))
    assert response.status_code == 404


def test_interview_add_rejects_future_dates(world: Any) -> None:
    client = world.client_for(world.hub)
    future = dt.date.today() + dt.timedelta(days=30)
    response = client.post(url(world, "interview_add", world.other_org.pk), {"held_on": future, "summary": "x"})
    assert "before it has taken place" in response.content.decode()
    client.post(url(world, "interview_add", world.other_org.pk), {"held_on": "2026-02-01", "summary": "Keen."})
    interview = Interview.objects.get(stakeholder=world.other_org)
    assert interview.interviewer == world.hub
