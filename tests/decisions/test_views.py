"""What each persona sees and may do on the decision screens."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from coalition.decisions import actions
from coalition.decisions.models import Kind, Poll
from coalition.meetings import actions as meeting_actions
from coalition.meetings.models import DecisionRule, MeetingDecision
from tests.decisions import builders
from tests.meetings import builders as meeting_builders


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"decisions:{name}", args=[world.coalition.pk, *args])


def test_the_hub_opens_a_ranked_poll_through_the_form(world: Any) -> None:
    response = world.client_for(world.hub).post(
        _url(world, "poll_new"),
        {
            "title": "Which site first?",
            "kind": "ranked",
            "electorate": "people",
            "quorum_percent": "50",
            "majority_rule": "simple",
            "max_choices": "1",
            "seats": "1",
            "budget": "10",
            "opens_at": "2026-01-01T10:00",
            "closes_at": "2030-01-01T10:00",
            "reasons": "optional",
            "options": "Park\nLibrary\n\nClinic",
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get(title="Which site first?")
    assert [o.label for o in poll.options.all()] == ["Park", "Library", "Clinic"]


def test_a_member_ranks_in_the_form_and_sees_no_result_until_closing(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.RANKED, options=("Park", "Library", "Clinic"))
    ids = builders.option_ids(poll)
    client = world.client_for(world.member)
    refused = client.post(_url(world, "poll", poll.pk), {f"o{ids['Park']}": "1", f"o{ids['Clinic']}": "1"})
    assert refused.status_code == 400
    response = client.post(_url(world, "poll", poll.pk), {f"o{ids['Clinic']}": "1", f"o{ids['Park']}": "2"})
    assert response.status_code == 302
    page = client.get(_url(world, "poll", poll.pk))
    assert page.context["result"] is None
    assert "result-table" not in page.content.decode()
    actions.do_close_poll(world.hub, poll)
    page = client.get(_url(world, "poll", poll.pk))
    assert page.context["result"]["summary"] == "Chosen: Clinic"


def test_an_observer_reads_polls_and_the_log_but_cannot_vote(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.MAJORITY)
    client = world.client_for(world.observer)
    assert client.get(_url(world, "poll", poll.pk)).context["ballot_form"] is None
    assert client.post(_url(world, "poll", poll.pk), {"answer": "yes"}).status_code == 403
    assert client.get(_url(world, "log")).status_code == 200
    assert not poll.participations.exists()


def test_the_facilitator_is_offered_no_ballot_until_the_coalition_allows_it(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.MAJORITY)
    client = world.client_for(world.facilitator)
    assert client.post(_url(world, "poll", poll.pk), {"answer": "yes"}).status_code == 403
    world.client_for(world.hub).post(_url(world, "settings"), {"facilitator_may_vote": "on"})
    assert client.get(_url(world, "poll", poll.pk)).context["ballot_form"] is not None
    assert client.post(_url(world, "poll", poll.pk), {"answer": "yes"}).status_code == 302


def test_a_recusal_is_shown_to_everyone(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.MAJORITY)
    world.client_for(world.member).post(_url(world, "recuse", poll.pk), {"reason": "I sit on the applicant's board"})
    page = world.client_for(world.observer).get(_url(world, "poll", poll.pk)).content.decode()
    assert "I sit on the applicant&#x27;s board" in page


def test_the_log_searches_filters_and_exports_closed_polls_with_their_outcome(world: Any) -> None:
    kept = builders.poll(world.coalition, Kind.CONSENT, title="Adopt the charter")
    other = builders.poll(world.coalition, Kind.MAJORITY, title="Move the meeting day")
    builders.poll(world.coalition, Kind.MAJORITY, title="Still open")
    actions.do_cast_ballot(
        world.member, builders.membership(world.coalition, world.member), kept, choice={"answer": "consent"}
    )
    kept = actions.do_close_poll(world.hub, kept)
    actions.do_close_poll(world.hub, other)
    actions.do_record_outcome(world.hub, kept, outcome_statement="Charter adopted", outcome_reasoning="No objection")
    client = world.client_for(world.member)
    titles = [e.title for e in client.get(_url(world, "log")).context["page"]]
    assert sorted(titles) == ["Adopt the charter", "Move the meeting day"]
    assert [e.title for e in client.get(_url(world, "log"), {"q": "objection"}).context["page"]] == [
        "Adopt the charter"
    ]
    assert [e.title for e in client.get(_url(world, "log"), {"rule": "majority"}).context["page"]] == [
        "Move the meeting day"
    ]
    export = client.get(_url(world, "log_export")).content.decode()
    assert "Charter adopted" in export and "Passed" in export and "1 of 2" in export


def test_the_log_holds_decisions_taken_in_meetings_too(world: Any) -> None:
    held = meeting_builders.meeting(world.coalition, title="March coordination")
    meeting_actions.do_record_decision(
        world.hub,
        held,
        text="Hold the summer fair on the green",
        rule=DecisionRule.values[0],
        result=MeetingDecision.Result.values[0],
        reasoning="The school hall is booked",
    )
    client = world.client_for(world.member)
    found = list(client.get(_url(world, "log")).context["page"])
    assert [e.title for e in found] == ["Hold the summer fair on the green"]
    assert found[0].url == reverse(
        "meetings:meeting", kwargs={"coalition_id": world.coalition.pk, "meeting_id": held.pk}
    )
    assert [e.title for e in client.get(_url(world, "log"), {"q": "school hall"}).context["page"]] == [
        "Hold the summer fair on the green"
    ]
    assert list(client.get(_url(world, "log"), {"q": "nothing like it"}).context["page"]) == []
    assert list(client.get(_url(world, "log"), {"rule": "majority"}).context["page"]) == []
    assert "Hold the summer fair on the green" in client.get(_url(world, "log_export")).content.decode()
