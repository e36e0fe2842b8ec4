"""The coalition screens: overview, settings (409 on a stale save), members, working groups and the audit log."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse

from coalition.coalitions import actions
from coalition.coalitions.models import Coalition, Membership
from coalition.core.models import AuditEvent
from tests import factories

SETTINGS = {
    "name": "Coalition A",
    "problem_statement": "Children miss school.",
    "common_purpose": "",
    "scope": "local",
    "places": "North, South",
    "phase": "launching",
    "starts_on": "2026-01-01",
    "ends_on": "2027-12-31",
    "small_cell_threshold": "11",
    "complete_share": "100",
    "on_track_margin": "10.00",
    "shared_indicator_limit": "3",
}


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"coalitions:{name}", args=[world.coalition.pk, *args])


def _membership(world: Any, user: Any) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Overview and navigation


def test_overview_shows_counts_and_next_steps_for_an_empty_coalition(world: Any) -> None:
    coalition = factories.make_coalition("Lonely", hub=world.hub)
    response = world.client_for(world.hub).get(reverse("coalitions:overview", args=[coalition.pk]))
    assert response.status_code == 200
    assert "Map your stakeholders first." in response.content.decode()
    assert "Invite members." in response.content.decode()
    assert reverse("stakeholders:create", args=[coalition.pk]) in response.content.decode()


def test_overview_hides_next_steps_once_done_and_counts_members(world: Any, hub_client: Any) -> None:
    response = hub_client.get(_url(world, "overview"))
    assert "Map your stakeholders first." not in response.content.decode()
    assert response.context["member_count"] == 4 and response.context["stakeholder_count"] == 2


def test_navigation_links_follow_permissions(world: Any, hub_client: Any, member_client: Any) -> None:
    hub_page = hub_client.get(_url(world, "overview")).content.decode()
    member_page = member_client.get(_url(world, "overview")).content.decode()
    for name in ("members", "working_groups", "settings", "audit"):
        assert f'href="{_url(world, name)}"' in hub_page
    assert f'href="{_url(world, "members")}"' in member_page
    assert f'href="{_url(world, "settings")}"' not in member_page
    assert f'href="{_url(world, "audit")}"' not in member_page


# Settings


def test_settings_form_shows_current_values_and_version(world: Any, hub_client: Any) -> None:
    response = hub_client.get(_url(world, "settings"))
    assert response.status_code == 200
    assert response.context["form"]["version"].value() == 1


def test_hub_saves_settings(world: Any, hub_client: Any) -> None:
    response = hub_client.post(_url(world, "settings"), {**SETTINGS, "version": 1})
    assert response.status_code == 302
    coalition = Coalition.objects.get(pk=world.coalition.pk)
    assert (coalition.phase, coalition.small_cell_threshold, coalition.version) == ("launching", 11, 2)


def test_saving_settings_from_a_stale_version_returns_409_and_keeps_the_newer_data(world: Any) -> None:
    actions.do_update_coalition(world.facilitator, world.coalition, expected_version=1, name="Saved meanwhile")
    response = world.client_for(world.hub).post(_url(world, "settings"), {**SETTINGS, "name": "Mine", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved these settings while you were editing" in page
    assert "Saved meanwhile" in page  # what is saved now is shown
    assert response.context["form"]["version"].value() == "2"  # so a deliberate second save can go through
    coalition = Coalition.objects.get(pk=world.coalition.pk)
    assert (coalition.name, coalition.version, coalition.phase) == ("Saved meanwhile", 2, "preparing")


def test_settings_field_errors_are_shown_and_nothing_is_saved(world: Any, hub_client: Any) -> None:
    response = hub_client.post(
        _url(world, "settings"), {**SETTINGS, "name": "", "small_cell_threshold": "0", "version": 1}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "small_cell_threshold"}
    assert Coalition.objects.get(pk=world.coalition.pk).version == 1


def test_settings_end_date_must_come_after_start(world: Any, hub_client: Any) -> None:
    response = hub_client.post(
        _url(world, "settings"), {**SETTINGS, "starts_on": "2026-06-01", "ends_on": "2026-01-01", "version": 1}
    )
    assert response.status_code == 400
    assert "The end date must come after the start date." in response.context["form"].errors["ends_on"]
    assert Coalition.objects.get(pk=world.coalition.pk).ends_on is None


# Members


def test_members_list_shows_people_roles_and_groups(world: Any, member_client: Any) -> None:
    actions.do_save_working_group(
        world.hub, world.coalition, name="Data group", members=[_membership(world, world.member)]
    )
    response = member_client.get(_url(world, "members"))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["page"].paginator.count == 4
    assert "Member Org" in page and "Data group" in page and "Hub / backbone coordinator" in page
    assert _url(world, "member", _membership(world, world.member).pk) not in page  # no manage links for members


def test_only_people_who_manage_members_see_the_invite_link(world: Any, hub_client: Any, member_client: Any) -> None:
    invite = reverse("invitations:list", args=[world.coalition.pk])
    assert invite in hub_client.get(_url(world, "members")).content.decode()
    assert invite not in member_client.get(_url(world, "members")).content.decode()


def test_members_search_and_former_members_are_left_out(world: Any, hub_client: Any) -> None:
    actions.do_deactivate_membership(world.hub, _membership(world, world.observer))
    assert hub_client.get(_url(world, "members"), {"q": "member org"}).context["page"].paginator.count == 1
    assert hub_client.get(_url(world, "members")).context["page"].paginator.count == 3


def test_members_htmx_search_returns_only_the_results(world: Any, hub_client: Any) -> None:
    response = hub_client.get(_url(world, "members"), {"q": "hub"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<h1>" not in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_members_are_paginated(world: Any, hub_client: Any) -> None:
    for _ in range(25):
        factories.add_member(world.coalition)
    first = hub_client.get(_url(world, "members"))
    assert len(first.context["page"]) == 25
    assert len(hub_client.get(_url(world, "members"), {"page": 2}).context["page"]) == 4


def test_members_export_is_csv_with_neutralised_formulas_and_is_logged(world: Any, hub_client: Any) -> None:
    actions.do_update_membership(world.hub, _membership(world, world.member), organisation=None, title="=HYPERLINK(1)")
    response = hub_client.get(_url(world, "members_export"), {"q": "member"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0] == ["Name", "Organisation", "Title", "Roles", "Working groups"]
    assert rows[1][0] == "member" and rows[1][2] == "'=HYPERLINK(1)"
    assert AuditEvent.objects.filter(verb="members.exported", actor=world.hub).exists()


def test_hub_changes_roles(world: Any, hub_client: Any) -> None:
    membership = _membership(world, world.member)
    response = hub_client.post(_url(world, "member_roles", membership.pk), {"roles": ["member", "steering"]})
    assert response.status_code == 302
    assert _membership(world, world.member).role_codes == ["member", "steering"]


def test_dropping_the_last_hub_shows_a_clear_error(world: Any, hub_client: Any) -> None:
    membership = _membership(world, world.hub)
    response = hub_client.post(_url(world, "member_roles", membership.pk), {"roles": ["member"]})
    assert response.status_code == 400
    assert "A coalition needs at least one hub coordinator" in response.content.decode()
    assert _membership(world, world.hub).role_codes == ["hub"]


def test_choosing_no_role_is_refused(world: Any, hub_client: Any) -> None:
    response = hub_client.post(_url(world, "member_roles", _membership(world, world.member).pk), {})
    assert response.status_code == 400
    assert "Choose at least one role." in response.content.decode()


def test_hub_changes_organisation_and_title(world: Any, hub_client: Any) -> None:
    membership = _membership(world, world.member)
    response = hub_client.post(
        _url(world, "member_update", membership.pk), {"organisation": world.other_org.pk, "title": "Chair"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.organisation, membership.title) == (world.other_org, "Chair")


def test_organisation_of_another_coalition_cannot_be_chosen(world: Any, hub_client: Any) -> None:
    foreign = factories.make_stakeholder(world.other)
    membership = _membership(world, world.member)
    response = hub_client.post(_url(world, "member_update", membership.pk), {"organisation": foreign.pk})
    assert response.status_code == 400 and "organisation" in response.context["details_form"].errors
    assert _membership(world, world.member).organisation == world.member_org


def test_deactivation_asks_for_confirmation_first(world: Any, hub_client: Any) -> None:
    membership = _membership(world, world.member)
    response = hub_client.get(_url(world, "member_deactivate", membership.pk))
    assert response.status_code == 200 and "Yes, remove" in response.content.decode()
    assert _membership(world, world.member).is_active


def test_deactivate_then_reactivate_from_former_members(world: Any, hub_client: Any) -> None:
    membership = _membership(world, world.member)
    assert hub_client.post(_url(world, "member_deactivate", membership.pk)).status_code == 302
    assert not _membership(world, world.member).is_active
    former = hub_client.get(_url(world, "former_members"))
    assert list(former.context["page"]) == [membership]
    assert hub_client.post(_url(world, "member_reactivate", membership.pk)).status_code == 302
    restored = _membership(world, world.member)
    assert restored.is_active and restored.role_codes == ["member"]


def test_last_hub_cannot_be_removed(world: Any, hub_client: Any) -> None:
    response = hub_client.post(_url(world, "member_deactivate", _membership(world, world.hub).pk))
    assert response.status_code == 400
    assert "The last hub coordinator cannot leave" in response.content.decode()
    assert _membership(world, world.hub).is_active


def test_an_active_member_cannot_be_reactivated(world: Any, hub_client: Any) -> None:
    response = hub_client.post(_url(world, "member_reactivate", _membership(world, world.member).pk))
    assert response.status_code == 404


# Working groups


def test_hub_creates_and_edits_a_working_group(world: Any, hub_client: Any) -> None:
    member = _membership(world, world.member)
    response = hub_client.post(
        _url(world, "working_group_create"),
        {"name": "Data", "purpose": "Collect data", "is_codesign_group": "on", "members": [member.pk]},
    )
    group = world.coalition.working_groups.get()
    assert response.status_code == 302 and response["Location"] == _url(world, "working_group", group.pk)
    assert group.is_codesign_group and list(group.members.all()) == [member]
    edit = hub_client.get(_url(world, "working_group_edit", group.pk))
    assert edit.context["form"]["name"].value() == "Data"
    hub_client.post(_url(world, "working_group_edit", group.pk), {"name": "Data and evidence", "members": []})
    group.refresh_from_db()
    assert (group.name, group.is_codesign_group, group.members.count()) == ("Data and evidence", False, 0)


def test_working_group_members_of_another_coalition_are_not_valid_choices(world: Any, hub_client: Any) -> None:
    foreign = Membership.objects.get(coalition=world.other, user=world.outsider)
    response = hub_client.post(_url(world, "working_group_create"), {"name": "Mixed", "members": [foreign.pk]})
    assert response.status_code == 400 and "members" in response.context["form"].errors
    assert not world.coalition.working_groups.exists()


def test_duplicate_working_group_name_is_a_form_error(world: Any, hub_client: Any) -> None:
    actions.do_save_working_group(world.hub, world.coalition, name="Data")
    response = hub_client.post(_url(world, "working_group_create"), {"name": "Data"})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert world.coalition.working_groups.count() == 1


def test_every_member_reads_working_groups(world: Any) -> None:
    group = actions.do_save_working_group(
        world.hub, world.coalition, name="Data", members=[_membership(world, world.member)]
    )
    client = world.client_for(world.observer)
    listing = client.get(_url(world, "working_groups"))
    detail = client.get(_url(world, "working_group", group.pk))
    assert listing.status_code == detail.status_code == 200
    assert "Data" in listing.content.decode() and "member" in detail.content.decode()
    assert _url(world, "working_group_edit", group.pk) not in detail.content.decode()


# Audit log


def test_audit_log_shows_who_changed_what_with_before_and_after(world: Any, hub_client: Any) -> None:
    actions.do_update_coalition(world.facilitator, world.coalition, name="Renamed")
    response = hub_client.get(_url(world, "audit"))
    row = response.context["rows"][0]
    assert row["event"].verb == "coalition.updated" and row["actor"] == "facilitator"
    assert row["changes"] == [{"field": "name", "before": "Coalition A", "after": "Renamed"}]
    assert "Coalition A → Renamed" in response.content.decode()


def test_audit_log_filters_by_kind_and_person(world: Any, hub_client: Any) -> None:
    actions.do_update_coalition(world.facilitator, world.coalition, name="Renamed")
    actions.do_save_working_group(world.hub, world.coalition, name="Data")
    by_kind = hub_client.get(_url(world, "audit"), {"kind": "groups"}).context["rows"]
    assert [r["event"].verb for r in by_kind] == ["working_group.created"]
    by_person = hub_client.get(_url(world, "audit"), {"person": world.facilitator.pk}).context["rows"]
    assert [r["event"].verb for r in by_person] == ["coalition.updated"]


def test_audit_log_only_lists_this_coalition(world: Any, hub_client: Any) -> None:
    actions.do_update_coalition(world.outsider, world.other, name="Other renamed")
    events = hub_client.get(_url(world, "audit")).context["page"].paginator.object_list
    assert not events.exclude(coalition=world.coalition).exists()
    assert not events.filter(verb="coalition.updated").exists()


def test_audit_export_is_csv(world: Any, hub_client: Any) -> None:
    actions.do_update_coalition(world.hub, world.coalition, name="=cmd")
    rows = _csv(hub_client.get(_url(world, "audit_export"), {"kind": "settings"}))
    assert rows[0][:3] == ["When (UTC)", "Who", "Action"]
    assert [r[2] for r in rows[1:]] == ["coalition.updated", "coalition.created"]
    assert rows[1][4] == "'=cmd"
