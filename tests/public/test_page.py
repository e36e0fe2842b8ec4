"""The public page as an anonymous visitor sees it: only opted-in sections, only what is published or final,
no account, no script, served from the cache until something it shows changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalition.core import extensions
from coalition.core.extensions import PublicSection, PublicUpdate
from coalition.decisions import actions as decision_actions
from coalition.meetings import actions as meeting_actions
from coalition.planning import actions as planning_actions
from coalition.public import actions
from coalition.stakeholders.actions import do_change_engagement, do_record_public_listing
from tests import factories
from tests.decisions import builders as poll_builders
from tests.meetings import builders as meeting_builders
from tests.planning.factories import hub_access as planning_hub_access
from tests.planning.factories import make_published_agenda
from tests.public.builders import days_ago, published, visit

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _final_poll(world: Any, title: str, outcome: str) -> Any:
    poll = poll_builders.poll(world.coalition, title=title)
    closed = decision_actions.do_close_poll(world.facilitator, poll)
    return decision_actions.do_record_outcome(world.facilitator, closed, outcome_statement=outcome)


def _meeting_decision(world: Any, text: str, *, approve: bool) -> Any:
    meeting = meeting_builders.meeting(world.coalition, starts_at=timezone.now() - dt.timedelta(days=2))
    meeting_actions.do_record_decision(world.hub, meeting, text=text, rule="consent", result="adopted", reasoning="")
    if approve:
        meeting_actions.do_approve_minutes(world.hub, meeting)
    return meeting


# --- Sections -----------------------------------------------------------------------------------------------------


def test_only_opted_in_sections_appear(world: Any) -> None:
    world.coalition.common_purpose = "Every child reads by eleven."
    world.coalition.save()
    do_record_public_listing(world.hub, world.member_org, days_ago(2))
    _final_poll(world, "Open the Saturday club", "The club opens in May.")
    page = published(world.coalition, world.hub, sections=["purpose"])
    html = visit(page)
    assert "Every child reads by eleven." in html
    assert 'id="section-purpose"' in html
    for absent in ('id="section-members"', "Member Org", 'id="section-decisions"', "Open the Saturday club"):
        assert absent not in html

    actions.do_save_public_page(world.hub, world.coalition, slug=page.slug, sections=["members", "decisions"])
    html = visit(page)
    assert "Member Org" in html and "Open the Saturday club" in html
    assert "Every child reads by eleven." not in html


def test_a_section_another_app_registers_shows_only_once_opted_in(world: Any) -> None:
    section = PublicSection("test-stories", "Stories of change", lambda coalition: "<p>Maya's story</p>", order=60)
    extensions.register_public_section(section)
    try:
        page = published(world.coalition, world.hub, sections=["purpose"])
        assert "Maya's story" not in visit(page)
        actions.do_save_public_page(world.hub, world.coalition, slug=page.slug, sections=["purpose", "test-stories"])
        html = visit(page)
        assert "Stories of change" in html and "Maya's story" in html
    finally:
        extensions.unregister_public_section("test-stories")
    # The app is gone (or its section withdrawn): the page drops it rather than failing.
    html = visit(page)
    assert "Maya's story" not in html


def test_a_section_with_nothing_published_is_left_out(world: Any) -> None:
    page = published(world.coalition, world.hub, sections=["members", "decisions"])
    html = visit(page)
    assert 'id="section-members"' not in html and 'id="section-decisions"' not in html
    assert "Nothing is published here yet." in html


# --- Nothing unpublished ------------------------------------------------------------------------------------------


def test_only_organisations_that_agreed_and_are_members_are_named(world: Any) -> None:
    agreed = world.member_org
    do_record_public_listing(world.hub, agreed, days_ago(5))
    left = factories.make_stakeholder(world.coalition, "Former Partner", engagement="member")
    do_record_public_listing(world.hub, left, days_ago(5))
    do_change_engagement(world.hub, left, "declined")
    withdrawn = factories.make_stakeholder(world.coalition, "Changed Mind", engagement="member")
    do_record_public_listing(world.hub, withdrawn, days_ago(5))
    do_record_public_listing(world.hub, withdrawn, None)
    html = visit(published(world.coalition, world.hub, sections=["members"]))
    assert "Member Org" in html
    for unnamed in ("Second Org", "Former Partner", "Changed Mind"):  # Second Org never agreed
        assert unnamed not in html


def test_a_draft_agenda_never_appears_only_the_published_version(world: Any) -> None:
    make_published_agenda(world.coalition, vision="Published vision of safe afternoons.")
    access = planning_hub_access(world.coalition)
    planning_actions.do_save_agenda_draft(
        access,
        problem_statement="Draft problem",
        vision="Secret draft vision.",
        charter_text="Draft charter",
        coordinator=access.membership,
    )
    html = visit(published(world.coalition, world.hub, sections=["purpose"]))
    assert "Published vision of safe afternoons." in html
    assert "Secret draft vision." not in html


def test_only_final_decisions_appear(world: Any) -> None:
    _final_poll(world, "Decided poll", "Agreed to open on Saturdays.")
    poll_builders.poll(world.coalition, title="Still open poll")
    decision_actions.do_close_poll(world.facilitator, poll_builders.poll(world.coalition, title="Closed no outcome"))
    _meeting_decision(world, "Approved meeting decision", approve=True)
    _meeting_decision(world, "Minutes not approved yet", approve=False)
    html = visit(published(world.coalition, world.hub, sections=["decisions"]))
    assert "Decided poll" in html and "Agreed to open on Saturdays." in html
    assert "Approved meeting decision" in html
    for unpublished in ("Still open poll", "Closed no outcome", "Minutes not approved yet"):
        assert unpublished not in html


def test_the_hub_limits_how_many_decisions_are_shown(world: Any) -> None:
    for n in range(3):
        _final_poll(world, f"Decision number {n}", "Done.")
    page = published(world.coalition, world.hub, sections=["decisions"])
    actions.do_save_public_page(world.hub, world.coalition, slug=page.slug, sections=["decisions"], decisions_shown=2)
    html = visit(page)
    assert sum(f"Decision number {n}" in html for n in range(3)) == 2


def test_an_unpublished_or_unknown_page_is_not_found(world: Any) -> None:
    page = actions.do_save_public_page(world.hub, world.coalition, slug="not-yet", sections=["purpose"])
    client = Client()
    assert client.get(reverse("public_page:page", kwargs={"slug": "not-yet"})).status_code == 404
    assert client.get(reverse("public_page:feed", kwargs={"slug": "not-yet"})).status_code == 404
    assert client.get(reverse("public_page:page", kwargs={"slug": "nobody"})).status_code == 404
    page = actions.do_publish_public_page(world.hub, page)
    visit(page)  # now cached
    actions.do_unpublish_public_page(world.hub, page)
    assert client.get(reverse("public_page:page", kwargs={"slug": "not-yet"})).status_code == 404


def test_the_page_needs_no_account_no_script_and_sets_no_cookie(world: Any) -> None:
    page = published(world.coalition, world.hub, sections=["purpose"])
    response = Client().get(reverse("public_page:page", kwargs={"slug": page.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html and "<form" not in html
    assert not response.cookies
    assert "public" in response["Cache-Control"]


# --- Cache --------------------------------------------------------------------------------------------------------


def test_a_second_visit_is_served_from_the_cache(world: Any) -> None:
    _final_poll(world, "Cached decision", "Yes.")
    do_record_public_listing(world.hub, world.member_org, days_ago(1))
    page = published(world.coalition, world.hub)
    client = Client()
    with CaptureQueriesContext(connection) as cold:
        first = visit(page, client)
    with CaptureQueriesContext(connection) as warm:
        second = visit(page, client)
    assert first == second
    # The page row, then one cheap stamp per section: no section is rendered again.
    assert len(warm) <= 1 + 5 < len(cold)


def test_a_listing_change_shows_on_the_next_visit(world: Any) -> None:
    page = published(world.coalition, world.hub, sections=["members"])
    do_record_public_listing(world.hub, world.member_org, days_ago(1))
    assert "Member Org" in visit(page)
    do_record_public_listing(world.hub, world.member_org, None)
    assert "Member Org" not in visit(page)


def test_a_section_without_a_stamp_is_rebuilt_when_its_app_reports_a_change(world: Any) -> None:
    shown = {"text": "First award"}
    extensions.register_public_section(PublicSection("test-awards", "Awards", lambda c: f"<p>{shown['text']}</p>"))
    try:
        page = published(world.coalition, world.hub, sections=["test-awards"])
        assert "First award" in visit(page)
        shown["text"] = "Second award"
        assert "First award" in visit(page)  # cached: the app has not said anything changed
        extensions.public_content_changed(world.coalition.pk)
        assert "Second award" in visit(page)
    finally:
        extensions.unregister_public_section("test-awards")


# --- Feed ---------------------------------------------------------------------------------------------------------


def test_the_feed_lists_published_updates_newest_first(world: Any) -> None:
    make_published_agenda(world.coalition)
    _final_poll(world, "Feed decision", "Adopted.")
    poll_builders.poll(world.coalition, title="Open feed poll")
    page = published(world.coalition, world.hub, sections=["purpose", "decisions"])
    response = Client().get(reverse("public_page:feed", kwargs={"slug": page.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles[0] == "Public page published"
    assert "Decided: Feed decision" in titles
    assert "Common agenda, version 1, published" in titles
    assert not any("Open feed poll" in (t or "") for t in titles)
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) and all((i or "").startswith("http://testserver/p/") for i in ids)
    updated = [e.findtext(f"{ATOM}updated") for e in root.iter(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)


def test_the_feed_leaves_out_updates_of_sections_not_opted_in(world: Any) -> None:
    when = timezone.now() - dt.timedelta(days=1)
    section = PublicSection(
        "test-news",
        "News",
        lambda c: "<p>news</p>",
        updates=lambda c: [PublicUpdate("one", "Hidden news item", when)],
    )
    extensions.register_public_section(section)
    try:
        page = published(world.coalition, world.hub, sections=["purpose"])
        feed = Client().get(reverse("public_page:feed", kwargs={"slug": page.slug})).content.decode()
        assert "Hidden news item" not in feed
        actions.do_save_public_page(world.hub, world.coalition, slug=page.slug, sections=["purpose", "test-news"])
        feed = Client().get(reverse("public_page:feed", kwargs={"slug": page.slug})).content.decode()
        assert "Hidden news item" in feed
    finally:
        extensions.unregister_public_section("test-news")
