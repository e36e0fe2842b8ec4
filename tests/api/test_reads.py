"""Reads of the later domains: the screens' rules, aggregates only where the screens show aggregates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from coalition.coalitions.access import get_access
from coalition.cohesion import actions as cohesion_actions
from coalition.core.models import AuditEvent
from coalition.decisions import actions as decision_actions
from coalition.decisions.models import Kind
from coalition.feedback.actions import hash_code
from coalition.feedback.models import Feedback
from coalition.meetings import actions as meeting_actions
from coalition.meetings.models import Forum, Meeting
from tests import factories
from tests.decisions import builders as decision_builders
from tests.feedback import builders as feedback_builders
from tests.funding import builders as funding_builders
from tests.learning import builders as learning_builders
from tests.meetings import builders as meeting_builders
from tests.network.helpers import make_round


def _url(name: str, world: Any, **kwargs: Any) -> str:
    return reverse(f"api:{name}", kwargs={"coalition_id": world.coalition.pk, **kwargs})


def _voters(world: Any, n: int) -> list[Any]:
    return [factories.add_member(world.coalition, factories.make_user(f"voter{i}"), ["member"]).user for i in range(n)]


def _vote(world: Any, user: Any, poll: Any, answer: str) -> None:
    membership = decision_builders.membership(world.coalition, user)
    decision_actions.do_cast_ballot(user, membership, poll, choice={"answer": answer})


def test_poll_totals_appear_only_once_closed_and_never_a_ballot(world: Any) -> None:
    named = decision_builders.poll(world.coalition, Kind.MAJORITY, title="Named")
    secret = decision_builders.poll(world.coalition, Kind.MAJORITY, title="Secret", is_anonymous=True)
    voters = _voters(world, 3)
    for user, answer in zip(voters, ("yes", "yes", "no"), strict=True):
        _vote(world, user, named, answer)
    for user in voters[:2]:
        _vote(world, user, secret, "yes")
    client = world.client_for(world.observer)
    before = {p["title"]: p for p in client.get(_url("polls", world)).json()["items"]}
    assert before["Named"]["status"] == "open"
    assert before["Named"]["result"] is None and before["Named"]["turnout"] is None
    decision_actions.do_close_poll(world.hub, named)
    decision_actions.do_close_poll(world.hub, secret)
    response = client.get(_url("polls", world))
    after = {p["title"]: p for p in response.json()["items"]}
    assert after["Named"]["turnout"] == 3
    assert ["yes", "2"] in after["Named"]["result"] and ["no", "1"] in after["Named"]["result"]
    # an anonymous poll with two voters shows neither turnout nor totals (the screen needs three)
    assert after["Secret"]["status"] == "closed"
    assert after["Secret"]["turnout"] is None and after["Secret"]["result"] is None
    assert "voter0" not in response.content.decode()


def test_the_decision_log_lists_closed_polls(world: Any) -> None:
    poll = decision_builders.poll(world.coalition, Kind.MAJORITY, title="Buy the van")
    decision_actions.do_close_poll(world.hub, poll)
    body = world.client_for(world.member).get(_url("decisions", world) + "?q=van").json()
    assert [e["title"] for e in body["items"]] == ["Buy the van"]


def test_anonymous_feedback_carries_no_submitter_and_only_the_hub_reads_the_inbox(world: Any) -> None:
    feedback_builders.feedback(world.coalition, "Anonymous lights")
    feedback_builders.feedback(world.coalition, "Named bins", channel="member", author=world.member)
    items = world.client_for(world.hub).get(_url("feedback", world)).json()["items"]
    by_text = {i["text"]: i for i in items}
    assert not {"submitter", "contact_email", "contact_phone"} & set(by_text["Anonymous lights"])
    assert by_text["Named bins"]["submitter"] == "member"
    assert world.client_for(world.member).get(_url("feedback", world)).status_code == 403


def test_a_member_gives_anonymous_feedback_that_keeps_no_trace_of_them(world: Any) -> None:
    client = world.client_for(world.member)
    url = _url("feedback_give", world)
    body = {"topic": "safety", "text": "The underpass is dark."}
    refused = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert refused.status_code == 422 and not Feedback.objects.exists()
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    saved = Feedback.objects.get()
    assert saved.author is None and saved.channel == "member"
    assert saved.tracking_hash == hash_code(response.json()["tracking_code"])
    assert not AuditEvent.objects.filter(actor=world.member, verb__startswith="feedback").exists()


def test_named_feedback_takes_an_idempotency_key(world: Any) -> None:
    client = world.client_for(world.member)
    body = {"topic": "idea", "text": "A repair cafe.", "anonymous": False}
    url = _url("feedback_give", world)
    first = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k2"})
    replay = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k2"})
    assert first.status_code == replay.status_code == 201
    assert first.json() == replay.json() and replay["Idempotent-Replayed"] == "true"
    assert Feedback.objects.get().author == world.member


def test_balances_sum_the_ledger(world: Any) -> None:
    fund = funding_builders.fund(world.coalition)
    funding_builders.receive(fund, "100")
    funding_builders.receive(fund, "50.50")
    rows = world.client_for(world.observer).get(_url("balances", world)).json()["items"]
    assert [(r["fund"], r["currency"], r["received"], r["held"], r["granted"]) for r in rows] == [
        ("Pooled fund", "EUR", "150.50", "150.50", "0.00")
    ]


def test_network_rounds_being_prepared_stay_with_those_who_run_surveys(world: Any) -> None:
    draft = make_round(world.coalition, size=3, open_=False)
    out = make_round(world.coalition, size=3)
    member = world.client_for(world.member)
    listed = [r["id"] for r in member.get(_url("network_rounds", world)).json()["items"]]
    assert listed == [out.pk]
    assert member.get(_url("network_metrics", world, network_round_id=draft.pk)).status_code == 403
    metrics = member.get(_url("network_metrics", world, network_round_id=out.pk)).json()
    assert (metrics["actors"], metrics["ties"], metrics["isolates"]) == (3, 0, 3)  # nobody has answered yet
    hub = world.client_for(world.hub)
    assert hub.get(_url("network_metrics", world, network_round_id=draft.pk)).status_code == 200


def test_health_check_results_give_means_never_answers(world: Any) -> None:
    hub_access = get_access(world.hub, world.coalition.pk)
    check = cohesion_actions.do_start_health_check(hub_access, title="Spring check")
    cohesion_actions.do_answer_health_check(hub_access, check, {"convening": 4})
    cohesion_actions.do_answer_health_check(get_access(world.member, world.coalition.pk), check, {"convening": 5})
    body = world.client_for(world.observer).get(_url("health_check", world, check_id=check.pk)).json()
    convening = next(f for f in body["factors"] if f["code"] == "convening")
    assert (convening["mean"], convening["answers"], body["answered_by"]) == ("4.5", 2, 2)
    assert Decimal(convening["mean"]) == (Decimal(4) + Decimal(5)) / 2


def test_public_stories_are_only_those_their_storytellers_let_be_shared(world: Any) -> None:
    learning_builders.story(world.coalition, title="Shared widely")
    learning_builders.story(world.coalition, title="Kept inside", consent_public=False)
    client = world.client_for(world.observer)
    everyone = {s["title"] for s in client.get(_url("stories", world)).json()["items"]}
    public = {s["title"] for s in client.get(_url("stories", world) + "?public=true").json()["items"]}
    assert (everyone, public) == ({"Shared widely", "Kept inside"}, {"Shared widely"})


def test_outcomes_and_pauses_are_listed_for_readers(world: Any) -> None:
    learning_builders.pause(world.coalition)
    learning_builders.outcome(world.coalition)
    client = world.client_for(world.observer)
    assert client.get(_url("pauses", world)).json()["count"] == 1
    outcomes = client.get(_url("outcomes", world) + "?q=library").json()["items"]
    assert [o["social_actor"] for o in outcomes] == ["City council"]


def _agenda(world: Any) -> tuple[Any, dict[str, Any]]:
    """A meeting starting 17:00 London time with three accepted items placed out of proposal order, one item
    still proposed and one deferred (neither is on the agenda)."""
    start = meeting_builders.soon(days=3, hour=17)
    meeting = meeting_builders.meeting(world.coalition, starts_at=start, title="Coordination")
    made = {}
    for title, status, position, minutes in (
        ("Budget", "accepted", 2, 15),
        ("Idea", "proposed", 0, 10),
        ("Welcome", "accepted", 1, 20),
        ("Later", "deferred", 0, 5),
        ("Next steps", "accepted", 3, 10),
    ):
        item = meeting_builders.item(world.coalition, in_meeting=meeting, title=title)
        meeting_actions.do_triage_item(world.hub, item, status=status, position=position, minutes_needed=minutes)
        made[title] = item
    return meeting, made


def test_a_meeting_reads_with_its_agenda_in_order_and_each_slot(world: Any) -> None:
    meeting, _made = _agenda(world)
    response = world.client_for(world.member).get(_url("meeting", world, meeting_id=meeting.pk))
    assert response.status_code == 200
    body = response.json()
    items = body["items"]
    assert [i["title"] for i in items] == ["Welcome", "Budget", "Next steps"]
    # by hand: 17:00 + 20 min, then 15, then 10 (London, the meeting's zone)
    zone = ZoneInfo("Europe/London")
    slots = [(dt.datetime.fromisoformat(i["starts_at"]).astimezone(zone).strftime("%H:%M"),
              dt.datetime.fromisoformat(i["ends_at"]).astimezone(zone).strftime("%H:%M")) for i in items]  # fmt: skip
    assert slots == [("17:00", "17:20"), ("17:20", "17:35"), ("17:35", "17:45")]
    assert body["timezone"] == "Europe/London" and body["minutes_approved"] is False


def test_minutes_reach_members_once_approved_and_drafts_only_those_who_run_meetings(world: Any) -> None:
    meeting, made = _agenda(world)
    meeting_actions.do_save_minutes(world.hub, made["Budget"], "Agreed the draft budget.")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))  # it took place
    url = _url("meeting", world, meeting_id=meeting.pk)
    member = world.client_for(world.member)
    draft = member.get(url)
    assert all("minutes" not in i for i in draft.json()["items"])
    assert "Agreed the draft budget" not in draft.content.decode()
    hub_items = world.client_for(world.hub).get(url).json()["items"]
    assert [i["minutes"] for i in hub_items] == ["", "Agreed the draft budget.", ""]
    meeting.refresh_from_db()
    meeting_actions.do_approve_minutes(world.hub, meeting)
    approved = member.get(url).json()
    assert approved["minutes_approved"] is True
    assert [i["minutes"] for i in approved["items"]] == ["", "Agreed the draft budget.", ""]


def test_a_closed_forum_meeting_is_refused_to_non_invitees_and_hidden_from_outsiders(world: Any) -> None:
    steering = factories.add_member(world.coalition, factories.make_user("steer"), ["steering"]).user
    meeting = meeting_builders.meeting(world.coalition, forum=Forum.STEERING)
    url = _url("meeting", world, meeting_id=meeting.pk)
    assert world.client_for(world.member).get(url).status_code == 403
    assert world.client_for(steering).get(url).status_code == 200
    assert world.client_for(world.outsider).get(url).status_code == 404
    elsewhere = meeting_builders.meeting(world.other)
    assert world.client_for(world.member).get(_url("meeting", world, meeting_id=elsewhere.pk)).status_code == 404
