"""Pseudonyms in member-facing network views cannot be traced back to names (issue 12, item 5).

Before: "Organisation N" was the actor's place in the alphabetical list of the round, rows kept that
order, and an actor who opted out left a hole in the numbering.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from typing import Any

from django.test import Client
from django.urls import reverse

from coalition.network import actions, queries
from coalition.network.models import SurveyRound
from tests.network.helpers import actors, make_round, respondent_with_answers

PSEUDONYM = re.compile(r"^Organisation (\d+), civil society$")


def _round_of_six(world: Any) -> tuple[SurveyRound, list[Any]]:
    """Six actors in alphabetical = entry order; the first is named, the fourth withdraws after answering."""
    survey = make_round(world.coalition, size=6)
    six = actors(survey)
    respondent_with_answers(survey, six[0], six[1:], named=True)
    respondent_with_answers(survey, six[1], [six[0], six[2]], named=False)
    withdrawn, _ = respondent_with_answers(survey, six[3], [six[0], six[4]], named=False)
    actions.do_withdraw(withdrawn)
    return survey, six


def _export(client: Client, world: Any, survey: SurveyRound) -> list[list[str]]:
    url = reverse("network:export_actors", kwargs={"coalition_id": world.coalition.pk, "round_id": survey.pk})
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def test_export_numbers_without_gaps_and_rows_sorted_by_pseudonym(world: Any, member_client: Client) -> None:
    survey, six = _round_of_six(world)
    for _ in range(5):
        rows = _export(member_client, world, survey)
        labels = [row[0] for row in rows]
        # Named actor first, then the four anonymous ones still in the round (six minus named minus withdrawn).
        assert labels[0] == six[0].name
        numbers = [int(PSEUDONYM.match(label).group(1)) for label in labels[1:]]
        assert numbers == [1, 2, 3, 4]  # no hole where the withdrawn actor was, sorted by pseudonym
        assert set(labels[1:]).isdisjoint(six[i].name for i in range(1, 6))


def test_pseudonym_of_an_actor_varies_between_exports(world: Any) -> None:
    survey, six = _round_of_six(world)
    seen: dict[int, set[int]] = defaultdict(set)
    for _ in range(200):
        data = queries.load_round(survey, reveal_names=False)
        for actor in data.actors:
            if not actor.named:
                seen[actor.id].add(actor.number)
    anonymous = [six[i].pk for i in (1, 2, 4, 5)]
    assert set(seen) == set(anonymous)
    # Each of the 4 anonymous actors took every number 1..4 over 200 draws (a fixed or name-ranked
    # numbering gives one value each; a uniform one misses a value with probability about 4 * 0.75**200).
    for actor_id in anonymous:
        assert seen[actor_id] == {1, 2, 3, 4}


def test_member_pages_show_gapless_pseudonyms(world: Any, member_client: Client) -> None:
    survey, six = _round_of_six(world)
    url = reverse("network:metrics", kwargs={"coalition_id": world.coalition.pk, "round_id": survey.pk})
    body = member_client.get(url).content.decode()
    shown = {int(n) for n in re.findall(r"Organisation (\d+), civil society", body)}
    assert shown == {1, 2, 3, 4}
    assert six[0].name in body


def test_hub_still_sees_every_name_in_alphabetical_order(world: Any, hub_client: Client) -> None:
    survey, six = _round_of_six(world)
    names = [row[0] for row in _export(hub_client, world, survey)]
    expected = sorted((six[i].name for i in (0, 1, 2, 4, 5)), key=str.casefold)
    assert names == expected
