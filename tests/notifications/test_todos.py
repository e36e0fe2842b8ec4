""" "What needs me": each to-do appears for the roles the record concerns, links to the screen that completes
it, and is gone once the work is done. Expected roles come from the permission table by hand (hub,
facilitator, member, observer), not from the code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.coalitions import actions as account_actions
from coalition.joint_action import actions as ja_actions
from coalition.measurement import actions as m_actions
from coalition.measurement.models import Submission
from coalition.network import actions as net_actions
from coalition.notifications.seats import seats_of
from coalition.notifications.todos import collect, url_stamper
from coalition.planning import actions as p_actions
from tests import factories
from tests.joint_action import builders as ja
from tests.measurement import builders as mb
from tests.planning import factories as pf

PERSONAS = ("hub", "facilitator", "member", "observer")


def kinds_by_persona(world: Any, today: dt.date, kind: str) -> dict[str, list[str]]:
    found = {}
    for persona in PERSONAS:
        user = getattr(world, persona)
        found[persona] = [t.label for t in collect(user, seats_of(user), today) if t.kind == kind]
    return found


def who_has(world: Any, today: dt.date, kind: str) -> set[str]:
    return {persona for persona, labels in kinds_by_persona(world, today, kind).items() if labels}


TODAY = dt.date(2026, 11, 5)


def test_agenda_to_sign_appears_for_signers_and_goes_once_signed(world: Any) -> None:
    assert who_has(world, TODAY, "planning.sign_agenda") == set()
    version = pf.make_published_agenda(world.coalition)
    # Hub, facilitator and member may sign; an observer only reads.
    assert who_has(world, TODAY, "planning.sign_agenda") == {"hub", "facilitator", "member"}
    todo = next(t for t in collect(world.member, seats_of(world.member), TODAY) if t.kind == "planning.sign_agenda")
    assert todo.url == reverse("planning:agenda", kwargs={"coalition_id": world.coalition.pk})  # signed there
    p_actions.do_sign_agenda(pf.access_for(world.member, world.coalition), version)
    assert who_has(world, TODAY, "planning.sign_agenda") == {"hub", "facilitator"}
    # A new version asks everyone again, the member included.
    newer = pf.make_published_agenda(world.coalition, change_note="v2")
    assert who_has(world, TODAY, "planning.sign_agenda") == {"hub", "facilitator", "member"}
    assert str(newer.number) in kinds_by_persona(world, TODAY, "planning.sign_agenda")["member"][0]


def test_open_vote_appears_for_voters_and_goes_once_they_vote(world: Any) -> None:
    vote = pf.make_vote(world.coalition)
    # Facilitators stay neutral (no vote) and observers only read.
    assert who_has(world, TODAY, "planning.vote") == {"hub", "member"}
    first = vote.priorities.order_by("pk").first()
    p_actions.do_place_dots(pf.access_for(world.member, world.coalition), vote, {first.pk: 2})
    assert who_has(world, TODAY, "planning.vote") == {"hub"}
    p_actions.do_close_dot_vote(pf.hub_access(world.coalition), vote)
    assert who_has(world, TODAY, "planning.vote") == set()


def test_codesign_only_vote_is_a_todo_only_inside_the_group(world: Any) -> None:
    pf.make_vote(world.coalition, codesign_group_only=True)
    assert who_has(world, TODAY, "planning.vote") == set()


def _shared_monthly(world: Any) -> Any:
    return mb.make_indicator(world.coalition, "Children reading", frequency="monthly", is_shared=True)


def test_data_due_then_overdue_then_gone_once_entered(world: Any) -> None:
    indicator = _shared_monthly(world)
    # Hand-computed: on 5 November the last complete month is October, due 10 days after 31 October; the
    # months chased are those due at most 92 days back (5 August): July (due 10 August) to October.
    labels = kinds_by_persona(world, TODAY, "measurement.data_due")
    assert labels["member"] == [f"Enter Children reading for 2026-{m}" for m in ("07", "08", "09", "10")]
    assert {p for p, found in labels.items() if found} == {"member"}  # only someone reporting for an organisation
    mine = [t for t in collect(world.member, seats_of(world.member), TODAY) if t.kind == "measurement.data_due"]
    assert [(t.due_on, t.overdue) for t in mine] == [
        (dt.date(2026, 8, 10), True),
        (dt.date(2026, 9, 10), True),
        (dt.date(2026, 10, 10), True),
        (dt.date(2026, 11, 10), False),
    ]
    late = [
        t
        for t in collect(world.member, seats_of(world.member), dt.date(2026, 11, 11))
        if t.kind == "measurement.data_due"
    ]
    # On 11 November October is overdue too, and July (due 10 August, 93 days back) is no longer chased.
    assert [(t.label[-7:], t.overdue) for t in late] == [("2026-08", True), ("2026-09", True), ("2026-10", True)]
    member = mb.access(world.member, world.coalition)
    for month in (7, 8, 9, 10):
        m_actions.do_enter_values(member, indicator, world.member_org, dt.date(2026, month, 1), [mb.entry(12)])
    assert who_has(world, TODAY, "measurement.data_due") == set()


def test_an_indicator_sets_its_own_due_rule(world: Any) -> None:
    mb.make_indicator(
        world.coalition, "Hours", frequency="monthly", is_shared=True, starts_on=dt.date(2026, 10, 1), due_days=3
    )
    # October ends on the 31st; three days later is 3 November, so on 5 November it is overdue.
    (todo,) = [t for t in collect(world.member, seats_of(world.member), TODAY) if t.kind == "measurement.data_due"]
    assert (todo.due_on, todo.overdue) == (dt.date(2026, 11, 3), True)


def test_returned_data_reaches_the_member_and_review_reaches_the_hub(world: Any) -> None:
    indicator = _shared_monthly(world)
    member = mb.access(world.member, world.coalition)
    period = dt.date(2026, 10, 1)
    m_actions.do_enter_values(member, indicator, world.member_org, period, [mb.entry(12)])
    assert who_has(world, TODAY, "measurement.approve") == set()
    m_actions.do_submit_period(member, indicator, world.member_org, period)
    # Only the hub approves data (facilitators do not).
    assert who_has(world, TODAY, "measurement.approve") == {"hub"}
    assert kinds_by_persona(world, TODAY, "measurement.approve")["hub"] == ["Review 1 submitted data periods"]
    submission = Submission.objects.get()
    m_actions.do_return_period(mb.hub_access(world.coalition), submission, reason="Check the total")
    assert who_has(world, TODAY, "measurement.approve") == set()
    assert who_has(world, TODAY, "measurement.data_returned") == {"member"}
    m_actions.do_submit_period(member, indicator, world.member_org, period)
    assert who_has(world, TODAY, "measurement.data_returned") == set()
    m_actions.do_approve_period(mb.hub_access(world.coalition), Submission.objects.get())
    assert who_has(world, TODAY, "measurement.approve") == set()


def test_commitment_due_soon_overdue_and_gone_when_done(world: Any) -> None:
    hub = world.hub
    action = ja.action(
        world.coalition, lead=world.member_org, starts_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 11, 9)
    )
    assert who_has(world, dt.date(2026, 11, 1), "joint_action.commitment") == set()  # 8 days ahead: not yet
    assert who_has(world, dt.date(2026, 11, 2), "joint_action.commitment") == {"member"}  # 7 days ahead
    overdue = collect(world.member, seats_of(world.member), dt.date(2026, 11, 10))
    assert [t.overdue for t in overdue if t.kind == "joint_action.commitment"] == [True]
    ja_actions.do_update_action(hub, action, status="done", completed_on=dt.date(2026, 11, 8))
    assert who_has(world, dt.date(2026, 11, 10), "joint_action.commitment") == set()


def test_contributing_member_also_sees_the_commitment(world: Any) -> None:
    action = ja.action(
        world.coalition, lead=world.other_org, starts_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 11, 6)
    )
    assert who_has(world, TODAY, "joint_action.commitment") == set()
    ja_actions.do_set_contribution(world.hub, action, world.member_org, amount=None, currency="", in_kind="A room")
    assert who_has(world, TODAY, "joint_action.commitment") == {"member"}


def test_pending_invitation_is_a_todo_for_those_who_manage_members(world: Any) -> None:
    invitation, _link = account_actions.do_invite_member(
        world.hub, world.coalition, email="new@example.org", roles=["member"], base_url="http://testserver"
    )
    # Hub and facilitator manage members.
    assert who_has(world, TODAY, "accounts.invitations") == {"hub", "facilitator"}
    account_actions.do_revoke_invitation(world.hub, invitation)
    assert who_has(world, TODAY, "accounts.invitations") == set()


def test_network_survey_to_answer_until_submitted(world: Any) -> None:
    survey = net_actions.do_create_round(
        world.hub, world.coalition, name="Baseline", stakeholders=[world.member_org, world.other_org]
    )
    net_actions.do_issue_links(world.hub, survey, survey.actors.all())
    assert who_has(world, TODAY, "network.answer") == set()  # not open yet
    net_actions.do_open_round(world.hub, survey)
    assert who_has(world, TODAY, "network.answer") == {"member"}
    respondent = survey.respondents.get(actor__stakeholder=world.member_org)
    net_actions.do_decline(respondent)
    assert who_has(world, TODAY, "network.answer") == set()


def test_outsider_sees_nothing_of_coalition_a(world: Any) -> None:
    pf.make_published_agenda(world.coalition)
    pf.make_vote(world.coalition)
    assert {t.coalition_id for t in collect(world.outsider, seats_of(world.outsider), TODAY)} <= {world.other.pk}


def _home_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("extra_coalitions", [0, 3])
def test_home_page_costs_the_same_queries_for_few_or_many_todos(world: Any, extra_coalitions: int) -> None:
    client = world.client_for(world.member)
    for _ in range(extra_coalitions):
        coalition = factories.make_coalition()
        factories.add_member(coalition, world.member, ["member"])
    few = _home_queries(client)
    for n in range(6):
        ja.action(world.coalition, lead=world.member_org, title=f"Task {n}", starts_on=TODAY, due_on=TODAY)
        owned = {"is_shared": True} if n < 3 else {"owner_organisation": world.member_org}  # at most 3 shared
        mb.make_indicator(world.coalition, f"Indicator {n}", frequency="monthly", **owned)
    pf.make_published_agenda(world.coalition)
    pf.make_vote(world.coalition)
    page = client.get(reverse("core:home")).content.decode()
    total = len(collect(world.member, seats_of(world.member), dt.date.today()))
    assert total >= 14 and f"{total} things need you" in page
    assert _home_queries(client) == few


def test_home_shows_the_first_ten_of_a_coalition_and_links_to_the_rest(world: Any) -> None:
    for n in range(13):
        ja.action(world.coalition, lead=world.member_org, title=f"Task {n:02}", starts_on=TODAY, due_on=TODAY)
    page = world.client_for(world.member).get(reverse("core:home")).content.decode()
    assert page.count('<li class="todo') == 10
    overview = reverse("coalitions:overview", args=[world.coalition.pk])
    assert f'<a href="{overview}">and 3 more in Coalition A</a>' in page
    assert "13 things need you" in page


def test_home_and_overview_show_the_todo_with_its_link(world: Any) -> None:
    pf.make_published_agenda(world.coalition)
    link = f'href="{reverse("planning:agenda", kwargs={"coalition_id": world.coalition.pk})}">Sign the common agenda'
    client = world.client_for(world.member)
    assert link in client.get(reverse("core:home")).content.decode()
    overview = client.get(reverse("coalitions:overview", args=[world.coalition.pk])).content.decode()
    assert link in overview
    assert link not in world.client_for(world.observer).get(reverse("core:home")).content.decode()


def test_overview_shows_where_the_coalition_stands(world: Any) -> None:
    client = world.client_for(world.hub)
    page = client.get(reverse("coalitions:overview", args=[world.coalition.pk])).content.decode()
    # The world has stakeholders but nothing else yet: the next milestone is the rapid assessment.
    assert "Next:" in page and "Rapid assessment held" in page.split("Next:")[1].split("</p>")[0]
    pf.make_published_agenda(world.coalition)
    page = client.get(reverse("coalitions:overview", args=[world.coalition.pk])).content.decode()
    assert 'is-done"><span class="badge badge-good">done</span> <a href="' in page
    assert "Common agenda published" in page.split("is-done")[-1]


@settings(deadline=None)  # the first call imports the URLconf
@given(st.integers(min_value=1, max_value=2**63 - 2), st.integers(min_value=1, max_value=2**63 - 2))
def test_url_stamper_gives_what_reverse_gives(coalition_id: int, action_id: int) -> None:
    url = url_stamper("joint_action:action", "action_id")
    expected = reverse("joint_action:action", kwargs={"coalition_id": coalition_id, "action_id": action_id})
    assert url(action_id, coalition_id=coalition_id) == expected
    assert url(action_id, coalition_id=coalition_id) == expected  # the second call uses the cached route
