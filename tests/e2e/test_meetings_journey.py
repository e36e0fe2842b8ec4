"""A meeting from agenda to follow-up, in the browser: a member proposes an item, the facilitator places it and
publishes the agenda, the hub records attendance, a decision and an action item and approves the minutes; the
owner finds the action among their organisation's commitments and the follow-up email lists it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coalition.meetings.models import Meeting
from tests import factories
from tests.e2e.conftest import sign_in
from tests.meetings import builders

SLOW = 60_000


@pytest.fixture(autouse=True)
def _patient(page: Any) -> None:
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)


def test_member_proposes_facilitator_publishes_hub_follows_up_owner_sees_commitment(
    page: Any, browser: Any, live_server: Any, world: Any
) -> None:
    meeting = builders.meeting(world.coalition, title="Coordination meeting", starts_at=builders.soon(days=3))
    meeting_url = reverse("meetings:meeting", args=[world.coalition.pk, meeting.pk])

    # The member proposes an item.
    sign_in(page, "member", factories.PASSWORD)
    page.goto(meeting_url)
    page.get_by_role("link", name="Propose an agenda item").click()
    page.get_by_label("Item").fill("Holiday clubs")
    page.get_by_label("Purpose").select_option("decide")
    page.get_by_label("Time needed (minutes)").fill("20")
    page.get_by_role("button", name="Propose").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Item proposed.")).to_be_visible()
    assert page.get_by_role("button", name="Publish the agenda").count() == 0  # members do not publish

    # The facilitator accepts it and publishes the agenda.
    facilitator = browser.new_context(base_url=live_server.url).new_page()
    facilitator.set_default_timeout(SLOW)
    sign_in(facilitator, "facilitator", factories.PASSWORD)
    facilitator.goto(meeting_url)
    facilitator.get_by_label("Status").select_option("accepted")
    facilitator.get_by_role("button", name="Update").click()
    facilitator.wait_for_load_state()
    facilitator.get_by_role("button", name="Publish the agenda").click()
    facilitator.wait_for_load_state()
    expect(facilitator.get_by_text("Agenda published")).to_be_visible()
    invitation = next(m for m in mail.outbox if m.to == [world.member.email] and "agenda" in m.subject)
    assert "Holiday clubs" in invitation.body and invitation.attachments[0][0] == "invite.ics"

    # The meeting takes place.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))

    # The hub records attendance, a decision and an action item, then approves the minutes.
    hub = browser.new_context(base_url=live_server.url).new_page()
    hub.set_default_timeout(SLOW)
    sign_in(hub, "hub", factories.PASSWORD)
    hub.goto(meeting_url)
    hub.get_by_role("link", name="Record attendance").click()
    membership = world.coalition.memberships.get(user=world.member)
    hub.select_option(f'select[name="status_{membership.pk}"]', "present")
    hub.get_by_role("button", name="Save attendance").click()
    hub.wait_for_load_state()
    expect(hub.get_by_text("Attendance recorded.")).to_be_visible()
    hub.get_by_role("link", name="Record a decision").click()
    hub.get_by_label("Decision").fill("Open holiday clubs in both neighbourhoods")
    hub.get_by_label("Rule used").select_option("consent")
    hub.get_by_label("Result").select_option("adopted")
    hub.get_by_role("button", name="Save").click()
    hub.wait_for_load_state()
    hub.get_by_role("link", name="Add an action item").click()
    hub.locator("#id_title").fill("Draw up the holiday club rota")
    hub.get_by_label("Owner (member organisation)").select_option(label="Member Org")
    hub.get_by_label("Due on").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    hub.get_by_role("button", name="Save").click()
    hub.wait_for_load_state()
    expect(hub.get_by_text("Action item added")).to_be_visible()
    hub.get_by_role("button", name="Approve the minutes and send the follow-up").click()
    hub.wait_for_load_state()
    expect(hub.get_by_text("Minutes approved")).to_be_visible()

    # The owner sees the action among their commitments, and the follow-up email lists it.
    page.goto(reverse("joint_action:commitments", args=[world.coalition.pk]))
    expect(page.get_by_role("link", name="Draw up the holiday club rota")).to_be_visible()
    page.get_by_role("link", name="Draw up the holiday club rota").click()
    expect(page.get_by_role("link", name="Coordination meeting")).to_be_visible()  # the commitment shows its meeting
    follow_up = next(m for m in mail.outbox if m.to == [world.member.email] and "minutes of" in m.subject)
    assert "Draw up the holiday club rota" in follow_up.body
    assert "Open holiday clubs in both neighbourhoods" in follow_up.body
