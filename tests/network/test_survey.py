"""The respondent's side: personal links, consent, answers, adding an actor, declining, withdrawing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.network import actions, queries
from coalition.network.models import Actor, Answer, Respondent, hash_token
from tests.network.helpers import actors, invite, make_round, respondent_with_answers


def url(name: str, token: str) -> str:
    return reverse(f"network_survey:{name}", args=[token])


def test_only_a_hash_of_the_token_is_stored(world: Any) -> None:
    survey = make_round(world.coalition)
    first = actors(survey)[0]
    token = invite(survey, first)[first.pk]
    respondent = Respondent.objects.get(actor=first)
    assert respondent.token_hash == hash_token(token)
    assert token not in respondent.token_hash
    assert not AuditEvent.objects.filter(after__icontains=token).exists()


def test_a_new_link_replaces_the_old_one(world: Any) -> None:
    survey = make_round(world.coalition)
    first = actors(survey)[0]
    old = invite(survey, first)[first.pk]
    new = invite(survey, first)[first.pk]
    assert Client().get(url("survey", old)).status_code == 404
    assert Client().get(url("survey", new)).status_code == 200


def test_unknown_token_is_404(db: Any) -> None:
    assert Client().get(url("survey", "not-a-real-token")).status_code == 404
    assert Client().post(url("withdraw", "not-a-real-token")).status_code == 404


def test_respondent_sees_how_answers_are_used_before_consenting(world: Any) -> None:
    survey = make_round(world.coalition, hub_sees_answers=False)
    first = actors(survey)[0]
    token = invite(survey, first)[first.pk]
    response = Client().get(url("survey", token))
    body = response.content.decode()
    assert "How your answers will be used" in body
    assert "nobody, not even the coordinators, can read your individual answers" in body
    assert response["Referrer-Policy"] == "same-origin"
    assert "Save my answers" not in body


def test_respondent_consents_answers_and_adds_an_actor(world: Any) -> None:
    survey = make_round(world.coalition, size=3)
    me, other, third = actors(survey)
    token = invite(survey, me)[me.pk]
    client = Client()
    client.post(url("consent", token), {"agrees_to_be_named": "on"})
    respondent = Respondent.objects.get(actor=me)
    assert respondent.status == Respondent.Status.CONSENTED and respondent.agrees_to_be_named
    page = client.get(url("survey", token)).content.decode()
    assert other.name in page and "Save my answers" in page
    client.post(
        url("answer", token),
        {
            f"a{other.pk}-information": "on",
            f"a{other.pk}-cooperation": "on",
            f"a{other.pk}-frequency": "4",
            f"a{other.pk}-trust_open": "4",
            f"a{other.pk}-value_power": "2",
        },
    )
    answer = Answer.objects.get(respondent=respondent)
    assert answer.target == other and answer.types == ["information", "cooperation"]
    assert answer.frequency == 4 and answer.trust_open == 4 and answer.trust_reliable is None
    client.post(url("add_actor", token), {"name": "Riverside Food Bank", "sector": "civil_society"})
    added = Actor.objects.get(round=survey, name="Riverside Food Bank")
    assert added.added_by == respondent and added.stakeholder is None
    assert third.pk != added.pk


def test_answers_need_consent_and_an_open_round(world: Any) -> None:
    survey = make_round(world.coalition, open_=False)
    me, other, *_ = actors(survey)
    respondent = actions.respondent_for_token(invite(survey, me)[me.pk])
    with pytest.raises(PermissionDenied):
        actions.do_save_answers(respondent, {other.pk: {"information": True}})
    actions.do_consent(respondent, agrees_to_be_named=False)
    with pytest.raises(ValidationError):
        actions.do_save_answers(respondent, {other.pk: {"information": True}})
    assert not Answer.objects.exists()


def test_answers_about_another_rounds_actor_are_refused(world: Any) -> None:
    survey = make_round(world.coalition)
    elsewhere = make_round(world.other)
    me = actors(survey)[0]
    respondent = actions.respondent_for_token(invite(survey, me)[me.pk])
    actions.do_consent(respondent, agrees_to_be_named=False)
    with pytest.raises(PermissionDenied):
        actions.do_save_answers(respondent, {actors(elsewhere)[0].pk: {"information": True}})
    with pytest.raises(PermissionDenied):
        actions.do_save_answers(respondent, {me.pk: {"information": True}})  # not about oneself


def test_ratings_outside_the_scale_are_refused(world: Any) -> None:
    survey = make_round(world.coalition)
    me, other, *_ = actors(survey)
    respondent = actions.respondent_for_token(invite(survey, me)[me.pk])
    actions.do_consent(respondent, agrees_to_be_named=False)
    with pytest.raises(ValidationError):
        actions.do_save_answers(respondent, {other.pk: {"information": True, "trust_open": 5}})
    response = Client().post(url("answer", invite(survey, me)[me.pk]), {f"a{other.pk}-trust_open": "9"})
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_declining_leaves_the_actor_out_of_the_network(world: Any) -> None:
    survey = make_round(world.coalition, size=3)
    me, other, third = actors(survey)
    respondent_with_answers(survey, other, [me, third])
    token = invite(survey, me)[me.pk]
    Client().post(url("decline", token))
    assert Respondent.objects.get(actor=me).status == Respondent.Status.DECLINED
    data = queries.load_round(survey, reveal_names=True)
    assert me.pk not in data.by_id
    assert all(me.pk not in (r.source, r.target) for r in data.reports)


def test_withdrawing_deletes_answers_and_added_actors(world: Any) -> None:
    survey = make_round(world.coalition, size=3)
    me, other, third = actors(survey)
    respondent, token = respondent_with_answers(survey, me, [other, third], named=True)
    actions.do_add_actor(respondent, name="Corner Café", sector="private")
    other_respondent, _ = respondent_with_answers(survey, other, [me, third])
    Client().post(url("withdraw", token))
    respondent.refresh_from_db()
    assert respondent.status == Respondent.Status.WITHDRAWN
    assert not respondent.agrees_to_be_named
    assert not Answer.objects.filter(respondent=respondent).exists()
    assert not Actor.objects.filter(name="Corner Café").exists()
    # Others' answers about the withdrawn actor stay stored but are never used.
    assert Answer.objects.filter(respondent=other_respondent, target=me).exists()
    analysis = queries.analyse(survey, reveal_names=True)
    assert me.pk not in analysis.result.degree
    assert analysis.result.ties == 1  # only other → third remains


def test_withdrawn_respondent_may_take_part_again_while_open(world: Any) -> None:
    survey = make_round(world.coalition)
    me, other, *_ = actors(survey)
    respondent, token = respondent_with_answers(survey, me, [other])
    actions.do_withdraw(respondent)
    page = Client().get(url("survey", token)).content.decode()
    assert "You withdrew" in page and "I agree to take part" in page


def test_withdrawal_is_possible_after_the_round_closes(world: Any, hub_client: Client) -> None:
    survey = make_round(world.coalition)
    me, other, *_ = actors(survey)
    respondent, token = respondent_with_answers(survey, me, [other])
    actions.do_close_round(world.hub, survey)
    Client().post(url("withdraw", token))
    assert not Answer.objects.filter(respondent=respondent).exists()


def test_audit_events_hold_no_answer_contents(world: Any) -> None:
    survey = make_round(world.coalition)
    me, other, *_ = actors(survey)
    respondent, _ = respondent_with_answers(survey, me, [other], trust=4)
    actions.do_add_actor(respondent, name="Secret Partner Ltd", sector="private")
    events = AuditEvent.objects.filter(object_type__startswith="network")
    text = " ".join(f"{e.before} {e.after} {e.note} {e.object_repr}" for e in events)
    assert "Secret Partner" not in text
    assert "trust" not in text
