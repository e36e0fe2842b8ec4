"""Events raised by the actions reach the people the record concerns, and a failing mail server never
breaks the request that raised them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coalition.measurement import actions as m_actions
from coalition.measurement.models import Submission
from coalition.network import actions as net_actions
from coalition.notifications import delivery, reminders
from coalition.notifications.models import Notification
from coalition.planning import actions as p_actions
from coalition.planning.models import AgendaVersion
from tests.joint_action import builders as ja
from tests.measurement import builders as mb
from tests.planning import factories as pf


def recipients(event_type: str) -> set[str]:
    return set(Notification.objects.filter(event_type=event_type).values_list("recipient__username", flat=True))


def _draft(world: Any) -> AgendaVersion:
    access = pf.hub_access(world.coalition)
    return p_actions.do_save_agenda_draft(
        access,
        problem_statement="Children lack safe places after school.",
        vision="Every child has somewhere safe to go.",
        charter_text="Members share data.",
        coordinator=access.membership,
    )


def test_publishing_an_agenda_asks_every_signer_by_email(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(world.hub).post(reverse("planning:agenda_publish", args=[world.coalition.pk]))
    # Those who may sign (hub, facilitator, member); not the observer; not the other coalition.
    assert recipients("planning.agenda_published") == {"hub", "facilitator", "member"}
    assert sorted(m.to[0] for m in mail.outbox) == ["facilitator@example.org", "hub@example.org", "member@example.org"]
    assert "please sign version 1" in mail.outbox[0].subject


def test_failing_mail_server_keeps_the_published_agenda_and_retries_the_message(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _draft(world)
    settings.EMAIL_BACKEND = "tests.notifications.engine_support.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(world.hub).post(reverse("planning:agenda_publish", args=[world.coalition.pk]))
    assert response.status_code == 302  # the request went through
    assert AgendaVersion.objects.filter(coalition=world.coalition, status="published", number=1).exists()
    rows = Notification.objects.filter(event_type="planning.agenda_published")
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver_pending(now=timezone.now() + dt.timedelta(minutes=3)) == 3
    assert len(mail.outbox) == 3


def test_votes_opened_to_voters_and_closed_to_everyone_in_the_digest(world: Any) -> None:
    hub = pf.hub_access(world.coalition)
    priorities = [pf.make_priority(world.coalition) for _ in range(2)]
    vote = p_actions.do_open_dot_vote(hub, title="Rank", budget=3, priorities=priorities)
    assert recipients("planning.vote_opened") == {"hub", "member"}  # facilitators and observers do not vote
    p_actions.do_close_dot_vote(hub, vote)
    closed = Notification.objects.filter(event_type="planning.vote_closed")
    assert {r.recipient.username for r in closed} == {"hub", "facilitator", "member", "observer"}
    assert {r.status for r in closed} == {"digest"}  # its default


def test_returned_and_approved_data_tell_the_reporting_organisation(world: Any) -> None:
    indicator = mb.make_indicator(world.coalition, "Children reading", frequency="monthly", is_shared=True)
    member = mb.access(world.member, world.coalition)
    period = dt.date(2026, 10, 1)
    m_actions.do_enter_values(member, indicator, world.member_org, period, [mb.entry(12)])
    m_actions.do_submit_period(member, indicator, world.member_org, period)
    m_actions.do_return_period(mb.hub_access(world.coalition), Submission.objects.get(), reason="Check the total")
    assert recipients("measurement.data_returned") == {"member"}
    assert "Check the total" in Notification.objects.get(event_type="measurement.data_returned").body
    m_actions.do_submit_period(member, indicator, world.member_org, period)
    m_actions.do_approve_period(mb.hub_access(world.coalition), Submission.objects.get())
    assert recipients("measurement.data_approved") == {"member"}


def test_survey_round_opened_tells_the_organisations_asked(world: Any) -> None:
    survey = net_actions.do_create_round(
        world.hub, world.coalition, name="Baseline", stakeholders=[world.member_org, world.other_org]
    )
    net_actions.do_issue_links(world.hub, survey, survey.actors.all())
    net_actions.do_open_round(world.hub, survey)
    assert recipients("network.round_opened") == {"member"}


def test_daily_reminders_raise_due_then_overdue_once_each(world: Any) -> None:
    action = ja.action(
        world.coalition, lead=world.member_org, starts_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 11, 9)
    )
    reminders.run_daily(dt.date(2026, 11, 1))  # eight days ahead: nothing yet
    assert not Notification.objects.exists()
    reminders.run_daily(dt.date(2026, 11, 3))
    reminders.run_daily(dt.date(2026, 11, 4))  # the next day adds nothing
    assert recipients("joint_action.commitment_due") == {"member"}
    assert Notification.objects.count() == 1
    reminders.run_daily(dt.date(2026, 11, 10))
    reminders.run_daily(dt.date(2026, 11, 11))
    assert recipients("joint_action.commitment_overdue") == {"member"}
    assert Notification.objects.count() == 2
    assert action.title in Notification.objects.get(event_type="joint_action.commitment_overdue").subject
