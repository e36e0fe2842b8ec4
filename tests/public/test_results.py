"""The sections built from listening, learning and funding: only opted in, only what the hub published or the
storyteller consented to, gone from the page and the feed as soon as it is withdrawn."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coalition.feedback import actions as feedback_actions
from coalition.funding import actions as funding_actions
from coalition.funding.models import Phase
from coalition.learning import actions as learning_actions
from coalition.public import results
from coalition.public.models import PublicPage
from coalition.stakeholders.actions import do_record_public_listing
from tests.feedback import builders as feedback_builders
from tests.funding import builders as funding_builders
from tests.learning import builders as learning_builders
from tests.public.builders import days_ago, published, visit

pytestmark = pytest.mark.django_db
NEW = ("you_said", "stories", "brief", "funding")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def feed(page: PublicPage) -> str:
    response = Client().get(reverse("public_page:feed", kwargs={"slug": page.slug}))
    assert response.status_code == 200
    return response.content.decode()


def _closed(world: Any, text: str, *, summary: str, changed: str, public: bool = True, **fields: Any) -> Any:
    item = feedback_builders.feedback(world.coalition, text=text, **fields)
    feedback_actions.do_answer_feedback(world.hub, item, answer="Thank you, we are on it.")
    return feedback_actions.do_close_feedback(
        world.hub, item, what_changed=changed, on_public_page=public, public_summary=summary if public else ""
    )


def _decided_call(world: Any, title: str = "Reading grants") -> tuple[Any, Any, Any]:
    call = funding_builders.call(world.coalition, title=title, phase=Phase.OPEN)
    listed = funding_builders.member(world.coalition, "lena")
    unlisted = funding_builders.member(world.coalition, "omar")
    first = funding_builders.proposal(call, listed, "300", title="Saturday reading club")
    second = funding_builders.proposal(call, unlisted, "200", title="Homework corner")
    funding_builders.advance_to(call, Phase.VOTING)
    funding_actions.do_decide_call(
        world.hub, call, awards=[(first, D("300")), (second, D("150"))], reason="Both fit the budget."
    )
    return call, listed, unlisted


def test_only_opted_in_result_sections_appear(world: Any) -> None:
    _closed(world, "The park lights are out.", summary="Lights in the park", changed="The council fixed them.")
    learning_builders.story(world.coalition, title="A quiet boy reads aloud")
    pause = learning_builders.pause(world.coalition)
    learning_actions.do_share_brief(world.hub, pause)
    _decided_call(world)
    page = published(world.coalition, world.hub, sections=["purpose"])
    html = visit(page)
    for absent in ("Lights in the park", "A quiet boy reads aloud", "learning/brief/", "Saturday reading club"):
        assert absent not in html
    for key in NEW:
        assert f'id="section-{key}"' not in html

    for key, expected in (
        ("you_said", "Lights in the park"),
        ("stories", "A quiet boy reads aloud"),
        ("brief", "learning/brief/"),
        ("funding", "Saturday reading club"),
    ):
        from coalition.public import actions

        actions.do_save_public_page(world.hub, world.coalition, slug=page.slug, sections=[key])
        html = visit(page)
        assert f'id="section-{key}"' in html and expected in html
        others = [k for k in NEW if k != key]
        assert not any(f'id="section-{k}"' in html for k in others)


# --- You said, we did ---------------------------------------------------------------------------------------------


def test_you_said_shows_only_published_summaries_never_the_submitter(world: Any) -> None:
    _closed(
        world,
        "Raw words: the lights by gate 4 are broken, call me.",
        summary="Lights by the gate",
        changed="New lamps since March.",
        contact_name="Zelda Quill",
        contact_email="zelda@example.org",
        contact_phone="+44 7000 123456",
        may_contact=True,
    )
    _closed(world, "The bus is always late.", summary="", changed="We wrote to the operator.", public=False)
    open_item = feedback_builders.feedback(world.coalition, text="Open item, still being handled.")
    page = published(world.coalition, world.hub, sections=["you_said"])
    html, atom = visit(page), feed(page)
    assert "Lights by the gate" in html and "New lamps since March." in html
    assert "You said: Lights by the gate" in atom
    for secret in (
        "Raw words",
        "Zelda",
        "zelda@example.org",
        "7000 123456",
        "We wrote to the operator.",
        "bus is always late",
        "Open item",
    ):
        assert secret not in html and secret not in atom
    assert open_item.pk  # made, never shown


def test_you_said_item_taken_down_leaves_page_and_feed_at_once(world: Any) -> None:
    item = _closed(world, "Too loud at night.", summary="Noise at night", changed="Quiet hours agreed.")
    page = published(world.coalition, world.hub, sections=["you_said"])
    assert "Noise at night" in visit(page) and "Noise at night" in feed(page)
    feedback_actions.do_set_public(world.hub, item, on_public_page=False)
    assert "Noise at night" not in visit(page)
    assert "Noise at night" not in feed(page)
    assert 'id="section-you_said"' not in visit(page)  # nothing left: the section is left out


# --- Stories of change --------------------------------------------------------------------------------------------


def test_stories_follow_the_storytellers_consent(world: Any) -> None:
    learning_builders.story(world.coalition, title="Named public story", storyteller="Amal Rivers")
    learning_builders.story(
        world.coalition, title="Anonymous public story", storyteller="Bea Secretname", consent_named=False
    )
    learning_builders.story(
        world.coalition, title="Internal only story", storyteller="Cal Inside", consent_public=False
    )
    page = published(world.coalition, world.hub, sections=["stories"])
    html, atom = visit(page), feed(page)
    assert "Named public story" in html and "Amal Rivers" in html
    assert "Anonymous public story" in html and "Anonymous" in html
    for hidden in ("Bea Secretname", "Internal only story", "Cal Inside"):
        assert hidden not in html and hidden not in atom
    assert "Story of change: Named public story" in atom and "Story of change: Anonymous public story" in atom


def test_withdrawn_consent_removes_the_story_from_page_and_feed_at_once(world: Any) -> None:
    story = learning_builders.story(world.coalition, title="Ours to share", storyteller="Dina Vale")
    page = published(world.coalition, world.hub, sections=["stories"])
    assert "Ours to share" in visit(page) and "Ours to share" in feed(page)
    learning_actions.do_set_consent(world.hub, story, consent_internal=True, consent_public=True, consent_named=False)
    html = visit(page)
    assert "Ours to share" in html and "Dina Vale" not in html and "Dina Vale" not in feed(page)
    learning_actions.do_set_consent(world.hub, story, consent_internal=True, consent_public=False, consent_named=False)
    assert "Ours to share" not in visit(page) and "Ours to share" not in feed(page)
    learning_actions.do_set_consent(
        world.hub, story, consent_internal=False, consent_public=True, consent_named=True
    )  # public needs internal consent too
    assert "Ours to share" not in visit(page)


def test_stories_of_another_coalition_never_show(world: Any) -> None:
    learning_builders.story(world.other, title="Their story")
    page = published(world.coalition, world.hub, sections=["stories"])
    assert "Their story" not in visit(page)


# --- Latest learning brief ----------------------------------------------------------------------------------------


def test_the_brief_is_linked_only_while_shared(world: Any) -> None:
    pause = learning_builders.pause(world.coalition)
    page = published(world.coalition, world.hub, sections=["brief"])
    assert 'id="section-brief"' not in visit(page)
    shared = learning_actions.do_share_brief(world.hub, pause)
    html = visit(page)
    token = shared.share_token
    link = reverse("learning_brief:brief", kwargs={"token": token})
    assert link in html and link in feed(page)
    assert Client().get(link).status_code == 200  # the link the page gives works without an account
    learning_actions.do_revoke_brief(world.hub, shared)
    html = visit(page)
    assert token not in html and 'id="section-brief"' not in html
    assert token not in feed(page)


def test_a_newer_unshared_brief_hides_the_older_shared_one(world: Any) -> None:
    old = learning_builders.pause(world.coalition, period_start=days_ago(200), period_end=days_ago(120))
    token = learning_actions.do_share_brief(world.hub, old).share_token
    page = published(world.coalition, world.hub, sections=["brief"])
    assert token in visit(page)
    learning_builders.pause(world.coalition)
    assert token not in visit(page)


# --- Funding ------------------------------------------------------------------------------------------------------


def test_awards_of_decided_calls_name_only_listed_leads(world: Any) -> None:
    _call, listed, unlisted = _decided_call(world)
    do_record_public_listing(world.hub, listed.organisation, days_ago(1))
    pending = funding_builders.call(world.coalition, title="Open call", phase=Phase.OPEN)
    funding_builders.proposal(pending, funding_builders.member(world.coalition, "pia"), "100", title="Undecided idea")
    page = published(world.coalition, world.hub, sections=["funding"])
    html, atom = visit(page), feed(page)
    assert "Saturday reading club" in html and "lena Org" in html and "300.00\N{NO-BREAK SPACE}EUR" in html
    assert "Homework corner" in html and "150.00\N{NO-BREAK SPACE}EUR" in html
    assert "omar Org" not in html  # did not agree to be listed
    assert "Undecided idea" not in html and "Undecided idea" not in atom
    assert "Awarded: Saturday reading club" in atom and "Awarded: Homework corner" in atom
    do_record_public_listing(world.hub, listed.organisation, None)  # withdrawn: unnamed at once
    assert "lena Org" not in visit(page)


def test_fund_totals_are_per_currency_never_converted(world: Any) -> None:
    eur = funding_builders.fund(world.coalition, "Pooled fund", "EUR")
    funding_builders.receive(eur, "100.00")
    funding_builders.receive(eur, "450.50")
    funding_builders.receive(eur, "40.00", currency="USD")
    restricted = funding_builders.fund(world.coalition, "Coordination fund", "EUR")
    funding_builders.receive(restricted, "60.00", restriction="coordination")
    _decided_call(world)  # grants 300 + 150 EUR from the pooled fund's unrestricted money
    totals = {t.currency: t for t in results.totals_by_currency(world.coalition)}
    assert set(totals) == {"EUR", "USD"}
    # By hand: EUR received 100 + 450.50 + 60 = 610.50; granted 450; unrestricted uncommitted 550.50 - 450.
    assert totals["EUR"].received == D("610.50") and totals["EUR"].granted == D("450.00")
    assert totals["EUR"].held == D("610.50") and totals["EUR"].unrestricted_uncommitted == D("100.50")
    assert totals["USD"].received == D("40.00") and totals["USD"].granted == D("0")
    page = published(world.coalition, world.hub, sections=["funding"])
    html = visit(page)
    assert "610.50" in html and "40.00" in html and "USD" in html
    funding_builders.receive(eur, "9.50")
    assert "620.00" in visit(page)  # the stamp saw the new ledger entry
