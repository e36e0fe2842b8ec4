"""The selection rule a decided call used is stored as data and worded in the reader's language; calls decided
before keep their stored English sentence, converted to data where the migration recognises it."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.urls import reverse

from coalition.funding import actions
from coalition.funding.models import Call, Phase, rule_sentence
from tests.funding import builders

OLD = (
    "By member support within the budget: proposals in order of support (ties: mean review score, smaller "
    "request, earlier submission), each funded in full if it still fits, skipped if it no longer does"
)
MIGRATION = importlib.import_module("coalition.funding.migrations.0005_rule_as_data")


def _decided(world: Any, *, part_funding: bool, lead: str = "lead") -> Call:
    call = builders.call(world.coalition, phase=Phase.OPEN, part_funding=part_funding)
    builders.proposal(call, builders.member(world.coalition, lead), "100", title="Choir")
    builders.advance_to(call, Phase.VOTING)
    return actions.do_decide_call(world.hub, call)


def _rule_line(world: Any, call: Call, language: str) -> str:
    page = world.client_for(world.member).get(
        reverse("funding:call", args=[world.coalition.pk, call.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    text = page.content.decode()
    start = text.index('<p id="rule">')
    return text[start : text.index("</p>", start)]


def test_the_decision_stores_the_rule_as_data(world: Any) -> None:
    call = _decided(world, part_funding=True)
    call.refresh_from_db()
    assert call.result["rule"] == {"kind": "support_within_budget", "part_funding": True}


def test_the_same_decision_reads_in_english_and_in_french(world: Any) -> None:
    call = _decided(world, part_funding=True)
    english = _rule_line(world, call, "en")
    assert "By member support within the budget" in english and "part-funded with what is left" in english
    french = _rule_line(world, call, "fr")
    assert "Selon le soutien des membres dans la limite du budget" in french
    assert "financée en partie avec ce qui reste" in french
    assert "member support" not in french


def test_without_part_funding_the_sentence_says_nothing_of_it(world: Any) -> None:
    call = _decided(world, part_funding=False)
    assert "part-funded" not in _rule_line(world, call, "en")
    assert "en partie" not in _rule_line(world, call, "fr")


def _stored(call: Call, rule: Any) -> None:
    Call.objects.filter(pk=call.pk).update(result={**(call.result or {}), "rule": rule})


def test_the_migration_converts_the_sentences_it_knows_and_keeps_the_others(world: Any) -> None:
    plain = _decided(world, part_funding=False, lead="ana")
    part = _decided(world, part_funding=True, lead="ben")
    odd = _decided(world, part_funding=False, lead="cy")
    _stored(plain, OLD + ".")
    _stored(part, OLD + "; the first that no longer fits is part-funded with what is left.")
    _stored(odd, "Chosen by lot at the general assembly.")
    MIGRATION.to_data(apps, None)
    found = {c.pk: c.result["rule"] for c in Call.objects.all()}
    assert found[plain.pk] == {"kind": "support_within_budget", "part_funding": False}
    assert found[part.pk] == {"kind": "support_within_budget", "part_funding": True}
    assert found[odd.pk] == "Chosen by lot at the general assembly."
    # the row it could not convert still reads, as stored, in any language
    assert "Chosen by lot at the general assembly." in _rule_line(world, Call.objects.get(pk=odd.pk), "fr")
    MIGRATION.to_sentence(apps, None)
    back = {c.pk: c.result["rule"] for c in Call.objects.all()}
    assert back[plain.pk] == OLD + "." and back[odd.pk] == "Chosen by lot at the general assembly."


def test_an_unknown_rule_reads_as_nothing_rather_than_failing() -> None:
    assert rule_sentence(None) == ""
    assert rule_sentence({"kind": "lottery"}) == ""
    assert rule_sentence("Kept as written.") == "Kept as written."
