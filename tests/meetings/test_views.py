"""What each persona sees and may do on meeting pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition.meetings import actions, markup
from coalition.meetings.models import AgendaItem, Forum, Meeting
from coalition.notifications.models import Notification
from tests import factories
from tests.meetings import builders


def _url(name: str, world: Any, **kwargs: Any) -> str:
    return reverse(f"meetings:{name}", kwargs={"coalition_id": world.coalition.pk, **kwargs})


def test_a_member_proposes_an_item_with_a_paper_but_cannot_publish(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    client = world.client_for(world.member)
    paper = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="text/html")
    response = client.post(
        _url("item_new", world, meeting_id=meeting.pk),
        {"title": "Summer", "purpose": "decide", "minutes_needed": "15", "description": "", "paper": paper},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.status == "proposed" and item.papers.get().content_type == "application/pdf"  # type from extension
    assert client.post(_url("publish", world, meeting_id=meeting.pk)).status_code == 403
    assert client.post(_url("item_triage", world, item_id=item.pk), {"status": "accepted", "position": "1",
                                                                      "minutes_needed": "5"}).status_code == 403  # fmt: skip
    assert Meeting.objects.get(pk=meeting.pk).agenda_published_at is None
    assert not Notification.objects.exists()


def test_a_paper_of_another_type_is_refused_on_its_field(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    response = world.client_for(world.member).post(
        _url("item_new", world, meeting_id=meeting.pk),
        {"title": "x", "purpose": "inform", "minutes_needed": "5", "paper": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 400 and "paper" in response.context["form"].errors


def test_the_facilitator_triages_and_publishes(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    item = builders.item(world.coalition, in_meeting=meeting)
    AgendaItem.objects.filter(pk=item.pk).update(status="proposed")
    client = world.client_for(world.facilitator)
    client.post(
        _url("item_triage", world, item_id=item.pk), {"status": "accepted", "position": "2", "minutes_needed": "25"}
    )
    assert AgendaItem.objects.get(pk=item.pk).minutes_needed == 25
    assert client.post(_url("publish", world, meeting_id=meeting.pk)).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).agenda_published_at is not None
    assert Notification.objects.filter(event_type="meetings.agenda_published", recipient=world.member).exists()


def test_steering_committee_papers_are_closed_to_non_invitees(world: Any) -> None:
    steering = factories.add_member(world.coalition, factories.make_user("steer"), ["steering"]).user
    meeting = builders.meeting(world.coalition, forum=Forum.STEERING)
    paper = builders.paper(world.coalition, in_meeting=meeting)
    for url in (_url("meeting", world, meeting_id=meeting.pk), _url("paper", world, paper_id=paper.pk)):
        assert world.client_for(world.member).get(url).status_code == 403
        assert world.client_for(world.observer).get(url).status_code == 403
        assert world.client_for(steering).get(url).status_code == 200
        assert world.client_for(world.hub).get(url).status_code == 200
    assert world.client_for(world.member).post(_url("item_new", world, meeting_id=meeting.pk),
                                               {"title": "x", "purpose": "inform", "minutes_needed": "5"}).status_code == 403  # fmt: skip
    listing = world.client_for(world.member).get(_url("list", world)).content.decode()
    assert meeting.title not in listing
    download = world.client_for(steering).get(_url("paper", world, paper_id=paper.pk))
    assert download["Content-Disposition"] == f'attachment; filename="paper-{paper.pk}.pdf"'


def test_draft_minutes_are_for_those_who_run_meetings_approved_ones_for_members(world: Any) -> None:
    meeting = builders.meeting(world.coalition, starts_at=timezone.now() - dt.timedelta(hours=2))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    meeting.refresh_from_db()
    item = builders.item(world.coalition, in_meeting=meeting, title="Budget")
    actions.do_save_minutes(world.hub, item, "Agreed **in full**.\n\n- first\n- <script>alert(1)</script>")
    member = world.client_for(world.member)
    assert "in full" not in member.get(_url("meeting", world, meeting_id=meeting.pk)).content.decode()
    assert member.get(_url("minutes_csv", world, meeting_id=meeting.pk)).status_code == 403
    actions.do_approve_minutes(world.hub, meeting)
    page = member.get(_url("meeting", world, meeting_id=meeting.pk)).content.decode()
    assert "<strong>in full</strong>" in page and "<script>alert" not in page and "&lt;script&gt;" in page
    csv = member.get(_url("minutes_csv", world, meeting_id=meeting.pk))
    assert csv.status_code == 200 and "Budget" in csv.content.decode()
    pdf = member.get(_url("minutes_pdf", world, meeting_id=meeting.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_attendance_is_recorded_with_the_organisation_represented_and_exported(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    member = world.coalition.memberships.get(user=world.member)
    client = world.client_for(world.hub)
    form = client.get(_url("attendance", world, meeting_id=meeting.pk)).context["form"]
    data = {name: (field.initial or "") for name, field in form.fields.items()}
    data[f"status_{member.pk}"] = "present"
    data[f"org_{member.pk}"] = str(world.other_org.pk)
    assert client.post(_url("attendance", world, meeting_id=meeting.pk), data).status_code == 302
    record = meeting.attendance.get(membership=member)
    assert record.status == "present" and record.organisation == world.other_org
    exported = client.get(_url("attendance_csv", world, meeting_id=meeting.pk)).content.decode()
    assert "Second Org" in exported


def test_markup_escapes_everything_and_draws_only_the_small_subset() -> None:
    html = markup.render("Hi <b>x</b> [site](https://example.org/?a=1&b=2) [bad](javascript:alert(1)) *it*")
    assert html == (
        '<p>Hi &lt;b&gt;x&lt;/b&gt; <a href="https://example.org/?a=1&amp;b=2" rel="nofollow noopener">site</a> '
        "[bad](javascript:alert(1)) <em>it</em></p>"
    )
    assert markup.render('"><img src=x onerror=alert(1)>') == "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"


def test_the_agenda_rhythm_of_the_common_agenda_shows_the_real_series(world: Any) -> None:
    builders.series(world.coalition, title="Coordination meeting")
    page = world.client_for(world.member).get(reverse("planning:agenda", args=[world.coalition.pk]))
    assert page.status_code == 200
    # no agenda published yet: the page still renders; the series is listed once an agenda is shown
    from coalition.core import extensions

    links = extensions.links("planning.meeting_rhythm", world.coalition.pk)
    assert [link.label for link in links] == ["Coordination meeting"]
    assert links[0].note == "Every two weeks, Tuesday, 17:00 Europe/London"
