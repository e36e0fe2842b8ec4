"""Priorities keep their vote ranking in the common agenda and the one-page brief (issue 12, item 10).

Before: both listed priorities alphabetically, so the winner of the dot vote could come last.
Hand-worked ballot used below (budget 3):
    hub     : Zebra crossings 3
    member  : Zebra crossings 1, Youth club 2
    another : Youth club 1, Allotments 2
Totals: Zebra 4 dots / 2 voters, Youth 3 / 2, Allotments 2 / 1 → Zebra, Youth, Allotments
(the alphabetical order is exactly the reverse).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from coalition.planning import actions, queries
from tests import factories
from tests.planning.factories import access_for, hub_access, make_priority


def _voted(world: Any) -> dict[str, Any]:
    hub = hub_access(world.coalition)
    allot, youth, zebra = (make_priority(world.coalition, t) for t in ("Allotments", "Youth club", "Zebra crossings"))
    vote = actions.do_open_dot_vote(hub, title="Rank", budget=3, priorities=[allot, youth, zebra])
    another = factories.add_member(world.coalition, factories.make_user(), ["member"]).user
    actions.do_place_dots(hub, vote, {zebra.pk: 3})
    actions.do_place_dots(access_for(world.member, world.coalition), vote, {zebra.pk: 1, youth.pk: 2})
    actions.do_place_dots(access_for(another, world.coalition), vote, {youth.pk: 1, allot.pk: 2})
    actions.do_close_dot_vote(hub, vote)
    for priority in (allot, youth, zebra):
        actions.do_decide_priority(hub, priority, status="chosen")
    return {"allot": allot, "youth": youth, "zebra": zebra}


def test_brief_lists_chosen_priorities_in_vote_order(world: Any) -> None:
    _voted(world)
    assert queries.brief(world.coalition)["priorities"] == ["Zebra crossings", "Youth club", "Allotments"]


def test_published_agenda_keeps_the_vote_order(world: Any) -> None:
    p = _voted(world)
    unvoted = make_priority(world.coalition, "Bus shelters")  # never on a ballot: after the ranked ones
    hub = hub_access(world.coalition)
    draft = actions.do_save_agenda_draft(
        hub,
        problem_statement="Streets are unsafe.",
        vision="Safe streets.",
        charter_text="We share data.",
        coordinator=hub.membership,
        priorities=[p["allot"], unvoted, p["youth"], p["zebra"]],
    )
    version = actions.do_publish_agenda(hub, draft)
    expected = ["Zebra crossings", "Youth club", "Allotments", "Bus shelters"]
    assert version.frozen["priorities"] == expected
    assert queries.brief(world.coalition)["priorities"] == expected
    page = world.client_for(world.member).get(reverse("planning:agenda", args=[world.coalition.pk])).content.decode()
    positions = [page.index(f"<li>{title}</li>") for title in expected]
    assert positions == sorted(positions)


def test_a_newer_vote_overrides_an_older_one_and_ties_follow_the_tally(world: Any) -> None:
    p = _voted(world)
    hub = hub_access(world.coalition)
    # Second vote between Allotments and Youth only: 1 dot each from one voter → tie on dots and voters;
    # the tally breaks it by the earlier proposal (Allotments was created first).
    vote = actions.do_open_dot_vote(hub, title="Run-off", budget=2, priorities=[p["youth"], p["allot"]])
    actions.do_place_dots(hub, vote, {p["youth"].pk: 1, p["allot"].pk: 1})
    actions.do_close_dot_vote(hub, vote)
    # Newest vote first (Allotments, Youth club), then what only the older vote ranked (Zebra crossings).
    assert queries.brief(world.coalition)["priorities"] == ["Allotments", "Youth club", "Zebra crossings"]
