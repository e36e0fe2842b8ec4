"""Hub and member screens: permissions per endpoint, privacy of names and answers, exports."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.network.models import Actor, Respondent, SurveyRound
from tests.network.helpers import actors, make_round, respondent_with_answers


def u(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"network:{name}", kwargs={"coalition_id": world.coalition.pk, **kwargs})


def rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def mapped(world: Any) -> dict[str, Any]:
    """A round of four: A (named) and B (not named) answered; C answered then withdrew; D never answered."""
    survey = make_round(world.coalition, size=4, hub_sees_answers=True)
    a, b, c, d = actors(survey)
    respondent_with_answers(survey, a, [b, c, d], named=True)
    respondent_with_answers(survey, b, [a, c], named=False)
    withdrawn, _ = respondent_with_answers(survey, c, [a, b, d], named=True)
    from coalition.network import actions

    actions.do_withdraw(withdrawn)
    return {"survey": survey, "a": a, "b": b, "c": c, "d": d}


@pytest.mark.parametrize("page", ["respondents", "answers"])
def test_hub_only_pages_are_denied_to_members(world: Any, mapped: dict, page: str) -> None:
    url = u(world, page, round_id=mapped["survey"].pk)
    assert world.client_for(world.member).get(url).status_code == 403
    assert world.client_for(world.observer).get(url).status_code == 403
    assert world.client_for(world.outsider).get(url).status_code == 404
    assert world.client_for(world.hub).get(url).status_code == 200


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("issue_links", {"actor": ["1"]}),
        ("round_status", {"to": "close"}),
        ("round_settings", {"name": "Hacked", "hub_sees_answers": "on"}),
        ("add_actors", {}),
    ],
)
def test_members_cannot_manage_rounds(world: Any, mapped: dict, page: str, data: dict) -> None:
    survey = mapped["survey"]
    url = u(world, page, round_id=survey.pk)
    before = AuditEvent.objects.count()
    assert world.client_for(world.member).post(url, data).status_code == 403
    assert Client().post(url, data).status_code == 302
    assert world.client_for(world.outsider).post(url, data).status_code == 404
    survey.refresh_from_db()
    assert survey.status == SurveyRound.Status.OPEN and survey.name != "Hacked"
    assert AuditEvent.objects.count() == before


def test_member_cannot_create_a_round(world: Any) -> None:
    url = u(world, "round_create")
    assert world.client_for(world.member).get(url).status_code == 403
    response = world.client_for(world.member).post(url, {"name": "X", "stakeholders": [world.member_org.pk]})
    assert response.status_code == 403
    assert not SurveyRound.objects.exists()


def test_hub_creates_opens_and_issues_links(world: Any, hub_client: Client) -> None:
    response = hub_client.post(
        u(world, "round_create"),
        {"name": "Baseline, March", "stakeholders": [world.member_org.pk, world.other_org.pk]},
    )
    survey = SurveyRound.objects.get(name="Baseline, March")
    assert response.status_code == 302
    assert survey.status == SurveyRound.Status.DRAFT and not survey.hub_sees_answers
    hub_client.post(u(world, "round_status", round_id=survey.pk), {"to": "open"})
    survey.refresh_from_db()
    assert survey.is_open
    first = actors(survey)[0]
    hub_client.post(u(world, "issue_links", round_id=survey.pk), {"actor": [str(first.pk)]})
    page = hub_client.get(u(world, "respondents", round_id=survey.pk)).content.decode()
    assert "/survey/" in page
    assert Respondent.objects.filter(actor=first).exists()
    # shown once only
    assert "/survey/" not in hub_client.get(u(world, "respondents", round_id=survey.pk)).content.decode()


def test_round_needs_two_actors(world: Any, hub_client: Client) -> None:
    response = hub_client.post(u(world, "round_create"), {"name": "Tiny", "stakeholders": [world.member_org.pk]})
    assert response.status_code == 200
    assert "at least two actors" in response.content.decode()
    assert not SurveyRound.objects.exists()


def test_answers_cannot_be_opened_to_the_hub_after_consent(world: Any, hub_client: Client) -> None:
    survey = make_round(world.coalition, hub_sees_answers=False)
    a, b, *_ = actors(survey)
    respondent_with_answers(survey, a, [b])
    hub_client.post(u(world, "round_settings", round_id=survey.pk), {"name": survey.name, "hub_sees_answers": "on"})
    survey.refresh_from_db()
    assert not survey.hub_sees_answers


def test_hub_cannot_read_answers_unless_the_round_allows_it(world: Any, hub_client: Client) -> None:
    survey = make_round(world.coalition, hub_sees_answers=False)
    a, b, *_ = actors(survey)
    respondent_with_answers(survey, a, [b])
    assert hub_client.get(u(world, "answers", round_id=survey.pk)).status_code == 403
    assert hub_client.get(u(world, "answers", round_id=survey.pk) + "?format=csv").status_code == 403


def test_hub_reads_answers_when_allowed_but_not_withdrawn_ones(world: Any, hub_client: Client, mapped: dict) -> None:
    response = hub_client.get(u(world, "answers", round_id=mapped["survey"].pk) + "?format=csv")
    table = rows(response)
    respondents = {row[0] for row in table[1:]}
    assert respondents == {mapped["a"].name, mapped["b"].name}
    assert all(mapped["c"].name not in row for row in table)


def test_member_sees_names_only_of_those_who_agreed(world: Any, member_client: Client, mapped: dict) -> None:
    survey = mapped["survey"]
    for page in ("metrics", "diagram"):
        body = member_client.get(u(world, page, round_id=survey.pk)).content.decode()
        assert mapped["a"].name in body  # agreed to be named
        assert mapped["b"].name not in body  # did not agree
        assert mapped["d"].name not in body  # never answered, so never agreed
        assert re.search(r"Organisation \d+, civil society", body)


def test_member_exports_are_anonymised_the_same_way(world: Any, member_client: Client, mapped: dict) -> None:
    survey = mapped["survey"]
    for page in ("export_actors", "export_ties"):
        text = member_client.get(u(world, page, round_id=survey.pk)).content.decode()
        assert mapped["a"].name in text
        assert mapped["b"].name not in text and mapped["d"].name not in text
        assert re.search(r"Organisation \d+, civil society", text)


def test_hub_sees_every_name(world: Any, hub_client: Client, mapped: dict) -> None:
    body = hub_client.get(u(world, "metrics", round_id=mapped["survey"].pk)).content.decode()
    assert mapped["b"].name in body and mapped["d"].name in body


def test_withdrawn_respondent_leaves_no_trace_in_views_or_exports(
    world: Any, hub_client: Client, member_client: Client, mapped: dict
) -> None:
    survey, c = mapped["survey"], mapped["c"]
    for client in (hub_client, member_client):
        for page in ("metrics", "diagram", "export_actors", "export_ties"):
            text = client.get(u(world, page, round_id=survey.pk)).content.decode()
            assert c.name not in text, page
            assert "Organisation 3," not in text, page  # only B and D are left to number: 1 and 2
    assert c.name not in hub_client.get(u(world, "answers", round_id=survey.pk)).content.decode()
    answers_csv = hub_client.get(u(world, "answers", round_id=survey.pk) + "?format=csv").content.decode()
    assert c.name not in answers_csv and mapped["a"].name in answers_csv
    actors_csv = rows(hub_client.get(u(world, "export_actors", round_id=survey.pk)))
    assert len(actors_csv) == 1 + 3  # header + A, B, D
    ties_csv = rows(hub_client.get(u(world, "export_ties", round_id=survey.pk)))
    assert len(ties_csv) == 1 + 2  # A–B (both ways), A–D


def test_metrics_change_when_a_respondent_withdraws(world: Any, hub_client: Client) -> None:
    from coalition.network import actions, queries

    survey = make_round(world.coalition, size=3)
    a, b, c = actors(survey)
    respondent_with_answers(survey, a, [b, c])
    second, _ = respondent_with_answers(survey, b, [c])
    assert queries.analyse(survey, reveal_names=True).result.ties == 3
    actions.do_withdraw(second)
    survey.refresh_from_db()
    result = queries.analyse(survey, reveal_names=True).result
    assert result.size == 2 and result.ties == 1


def test_member_cannot_see_a_draft_round(world: Any, member_client: Client) -> None:
    survey = make_round(world.coalition, open_=False)
    assert member_client.get(u(world, "metrics", round_id=survey.pk)).status_code == 403
    assert survey.name not in member_client.get(u(world, "rounds")).content.decode()


def test_individual_scores_hidden_below_three_raters(world: Any, member_client: Client) -> None:
    from coalition.network import queries

    survey = make_round(world.coalition, size=3)
    a, b, c = actors(survey)
    respondent_with_answers(survey, a, [c], trust=1)
    respondent_with_answers(survey, b, [c], trust=1)
    rows_ = {r["id"]: r for r in queries.analyse(survey, reveal_names=False).rows()}
    assert rows_[c.pk]["trust"] is None


def test_relationship_filter_and_size_choice(world: Any, hub_client: Client) -> None:
    survey = make_round(world.coalition, size=3)
    a, b, c = actors(survey)
    respondent_with_answers(survey, a, [b], cooperation=True)
    respondent_with_answers(survey, b, [c], resources=True)
    response = hub_client.get(u(world, "diagram", round_id=survey.pk) + "?relation=cooperation&size=betweenness")
    assert response.status_code == 200
    assert response.context["m"].ties == 1
    assert "<svg" in response.content.decode()
    response = hub_client.get(u(world, "metrics", round_id=survey.pk) + "?relation=nonsense")
    assert response.context["m"].ties == 2


def test_compare_two_rounds(world: Any, hub_client: Client) -> None:
    from coalition.network import actions

    first = make_round(world.coalition, size=3)
    a, b, c = actors(first)
    respondent_with_answers(first, a, [b])
    second = actions.do_create_round(
        world.hub,
        world.coalition,
        name="Later",
        stakeholders=[x.stakeholder for x in (a, b, c)],
        hub_organisation=a.stakeholder,
    )
    actions.do_open_round(world.hub, second)
    a2, b2, c2 = (second.actors.get(stakeholder=x.stakeholder) for x in (a, b, c))
    respondent_with_answers(second, a2, [c2])
    respondent_with_answers(second, b2, [c2])
    response = hub_client.get(u(world, "compare") + f"?a={first.pk}&b={second.pk}")
    change = response.context["change"]
    assert change.new_ties == 2 and change.lost_ties == 1
    assert change.density_change == pytest.approx(2 / 3 - 1 / 3)
    hub_rows = response.context["hub_over_time"]
    assert [r["round"] for r in hub_rows] == [first, second]
    # The hub (A) is tied to one of two others in both rounds; in the second C is the broker.
    assert [r["degree_share"] for r in hub_rows] == [pytest.approx(0.5), pytest.approx(0.5)]
    assert [r["betweenness"] for r in hub_rows] == [0, 0]
    assert [r["centralisation"] for r in hub_rows] == [pytest.approx(0.5), pytest.approx(1.0)]
    body = response.content.decode()
    assert "its ties ÷ (n − 1)" in body and "What the measures mean" in body
    # one unit throughout: shares in per cent, their changes in percentage points (1/3 → 2/3 is +33.3 points)
    assert '<td class="num" id="density-change">+33.3 pts</td>' in body
    # and a chart of the rounds, every line in per cent on one axis
    assert "aria-label=\"The hub's place and the network's shape by round, in per cent\"" in body
    assert body.count("<svg") >= 1 and "per cent" in body


def test_hub_centrality_is_empty_when_the_hub_left_the_network(world: Any, hub_client: Client) -> None:
    from coalition.network import actions

    first = make_round(world.coalition, size=3)
    hub_actor, b, c = actors(first)
    withdrawn, _ = respondent_with_answers(first, hub_actor, [b, c])
    actions.do_withdraw(withdrawn)
    make_round(world.coalition, size=3)
    response = hub_client.get(u(world, "compare"))
    assert response.status_code == 200
    assert response.context["hub_over_time"][0]["degree_share"] is None


@pytest.mark.parametrize("page", ["metrics", "diagram"])
def test_measures_are_defined_with_their_formulas(world: Any, member_client: Client, mapped: dict, page: str) -> None:
    body = member_client.get(u(world, page, round_id=mapped["survey"].pk)).content.decode()
    assert "What the measures mean" in body
    assert "ties ÷ (n × (n − 1) ÷ 2)" in body  # density
    assert "(n − 1)(n − 2)" in body  # centralisation and betweenness


def test_suggestions_name_conveners_isolated_members_and_unlinked_sectors(world: Any, member_client: Client) -> None:
    survey = make_round(world.coalition, size=4)
    a, b, c, d = actors(survey)
    Actor.objects.filter(pk=c.pk).update(sector="private")
    Actor.objects.filter(pk=d.pk).update(sector="government")
    respondent_with_answers(survey, a, [b], named=True)
    respondent_with_answers(survey, b, [c])  # B bridges A and C but did not agree to be named
    response = member_client.get(u(world, "metrics", round_id=survey.pk))
    suggestions = response.context["suggestions"]
    assert [row["id"] for row in suggestions["conveners"]] == [b.pk]
    assert [row["id"] for row in suggestions["isolated_members"]] == [d.pk]
    assert {row["id"] for row in suggestions["weakly_tied_members"]} == {a.pk, c.pk}
    assert set(suggestions["sector_gaps"]) == {("Civil society", "Government"), ("Government", "Private sector")}
    body = response.content.decode()
    panel = body[body.index("Possible conveners") : body.index("Members to reach out to")]
    b_label, d_label = suggestions["conveners"][0]["label"], suggestions["isolated_members"][0]["label"]
    assert re.fullmatch(r"Organisation [123], civil society", b_label) and b_label in panel and b.name not in body
    assert re.fullmatch(r"Organisation [123], government", d_label) and d_label in body and d.name not in body
    assert "Civil society ↔ Government" in body
