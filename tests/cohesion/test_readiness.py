"""The readiness questions answered with each "should the coalition continue?" answer: a rating and a note per
question, kept per answer (a revisit adds a set, never overwrites one), validated, audited and shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.coalitions.access import get_access
from coalition.cohesion import actions, queries
from coalition.cohesion.models import PlanVersion, ReadinessAnswer, SustainabilityPlan
from coalition.core.models import AuditEvent
from tests.cohesion.fixtures import READY

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)
LATER = dt.date(2026, 9, 1)

# The first answer and the revisit at a learning pause, written out by hand.
FIRST = {
    **READY,
    "voices": ("partly", "No tenants' group yet"),
    "hub_skills": ("not_yet", "Nobody   raises funds"),  # spaces collapse on saving
}
REVISIT = {
    **READY,
    "voices": ("ready", "Two tenants' groups joined"),
    "trust": ("partly", "Money decisions are not shared"),
}


def hub(world: Any) -> Any:
    return get_access(world.hub, world.coalition.pk)


def decide(world: Any, readiness: dict[str, tuple[str, str]], **changes: Any) -> SustainabilityPlan:
    values = {"decision": "continue", "reasons": "Still needed.", "review_on": LATER, "today": TODAY}
    return actions.do_record_sustainability_decision(hub(world), readiness=readiness, **{**values, **changes})


def saved(version: PlanVersion) -> dict[str, tuple[str, str]]:
    return {a.question: (a.rating, a.note) for a in ReadinessAnswer.objects.filter(version=version)}


def test_a_revisit_keeps_the_earlier_answers_beside_its_own(world: Any) -> None:
    plan = decide(world, FIRST)
    decide(world, REVISIT, decision="transform")
    first, second = PlanVersion.objects.filter(plan=plan).order_by("number")
    assert saved(first) == {**READY, "voices": ("partly", "No tenants' group yet"),
                            "hub_skills": ("not_yet", "Nobody raises funds")}  # fmt: skip
    assert saved(second) == REVISIT
    assert ReadinessAnswer.objects.count() == 14
    assert queries.readiness_of(plan) == REVISIT
    event = AuditEvent.objects.get(verb="sustainability.revisited")
    # only what changed is kept in the event: the decision and the readiness answers
    assert event.before["readiness"]["hub_skills"] == {"rating": "not_yet", "note": "Nobody raises funds"}
    assert event.after["readiness"]["hub_skills"] == {"rating": "ready", "note": ""}
    assert event.after["readiness"]["trust"] == {"rating": "partly", "note": "Money decisions are not shared"}
    assert (event.before["decision"], event.after["decision"]) == ("continue", "transform")
    answers = queries.answers(plan)
    assert [a.version.number for a in answers] == [2, 1]
    assert [r.question for r in answers[1].readiness] == list(READY)  # in the questions' order


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"trust": ("", "")}, "trust_rating"), ({"voices": ("maybe", "")}, "voices_rating"),
     ({"membership": ("ready", "x" * 501)}, "membership_note")],
)  # fmt: skip
def test_every_question_needs_a_rating_and_a_short_note(world: Any, changes: dict, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        decide(world, {**READY, **changes})
    assert list(raised.value.message_dict) == [field]
    assert not SustainabilityPlan.objects.exists() and not ReadinessAnswer.objects.exists()


def test_a_question_left_out_is_an_error_and_an_unknown_one_a_bug(world: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        decide(world, {k: v for k, v in READY.items() if k != "networks"})
    assert list(raised.value.message_dict) == ["networks_rating"]
    with pytest.raises(ValueError, match="luck"):
        decide(world, {**READY, "luck": ("ready", "")})
    assert not ReadinessAnswer.objects.exists()


def _body(ratings: dict[str, tuple[str, str]], **changes: str) -> dict[str, str]:
    soon = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    body = {"decision": "continue", "reasons": "Members want to keep meeting.", "continues": "", "review_on": soon}
    for code, (rating, note) in ratings.items():
        body[f"{code}_rating"], body[f"{code}_note"] = rating, note
    return {**body, **changes}


def test_the_hub_rates_through_the_form_and_everyone_reads_the_ratings(world: Any) -> None:
    cid = world.coalition.pk
    client = world.client_for(world.hub)
    url = reverse("cohesion:sustainability_decide", args=[cid])
    form = client.get(url).content.decode()
    assert form.count("<fieldset data-question=") == 7
    missing = client.post(url, _body({k: v for k, v in FIRST.items() if k != "trust"}))
    assert missing.status_code == 400 and "trust_rating" in missing.context["form"].errors
    assert not SustainabilityPlan.objects.exists()
    assert client.post(url, _body(FIRST)).status_code == 302
    # the revisit form starts from the ratings given last time
    again = client.get(url).content.decode()
    assert 'name="hub_skills_rating" value="not_yet" id="id_hub_skills_rating_2" required checked' in again
    assert 'value="Nobody raises funds"' in again
    assert client.post(url, _body(REVISIT, decision="transform")).status_code == 302
    plan = SustainabilityPlan.objects.get()
    first = plan.versions.get(number=1)

    page = world.client_for(world.observer).get(reverse("cohesion:sustainability", args=[cid])).content.decode()
    current, history = page.split("data-answer-history")
    assert 'data-question="trust" data-rating="partly"' in current and "Money decisions are not shared" in current
    assert 'data-question="hub_skills" data-rating="ready"' in current
    assert 'data-version="1"' in history and 'data-question="hub_skills" data-rating="not_yet"' in history
    assert "Nobody raises funds" in history
    assert reverse("cohesion:sustainability_version", args=[cid, first.pk]) in history
    version_page = client.get(reverse("cohesion:sustainability_version", args=[cid, first.pk])).content.decode()
    assert 'data-question="voices" data-rating="partly"' in version_page
    # a later change to the plan's lines shows the ratings it stood on
    body = {"part": "financial", "what": "Fees", "responsible": "Treasurer", "milestone": "Agreed",
            "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "status": "planned", "factor": ""}  # fmt: skip
    assert client.post(reverse("cohesion:sustainability_item_new", args=[cid]), body).status_code == 302
    third = plan.versions.get(number=3)
    version_page = client.get(reverse("cohesion:sustainability_version", args=[cid, third.pk])).content.decode()
    assert "As rated with the answer of version 2." in version_page
    assert 'data-question="trust" data-rating="partly"' in version_page
