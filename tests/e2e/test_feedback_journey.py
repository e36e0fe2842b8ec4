"""Listening in the browser. A resident with no account, on a 360 px phone with JavaScript off, sends feedback and
gets a tracking code; the hub triages and answers it; the resident reads the answer with the code; the hub closes it
with what changed and puts it on "You said, we did", where the resident reads it. Then a perception survey round:
members answer, and the hub sees the results only once the minimum of answers is reached.

Every wait has a short explicit timeout (the contexts' defaults and each navigation), so a stuck page fails the test
instead of hanging it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from coalition.feedback import actions as feedback_actions
from coalition.feedback.models import Feedback, Status
from tests import factories
from tests.e2e.conftest import sign_in
from tests.feedback import builders as feedback_builders

WAIT = 15_000  # milliseconds: the longest any step may take
PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def _short_waits(page: Any) -> None:
    page.set_default_timeout(WAIT)
    page.set_default_navigation_timeout(WAIT)


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A basic phone: 360 px wide, scripts off, no session."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(WAIT)
    context.set_default_navigation_timeout(WAIT)
    yield context.new_page()
    context.close()


def _submit(page: Any, button: str) -> None:
    page.get_by_role("button", name=button).click(timeout=WAIT)
    page.wait_for_load_state(timeout=WAIT)


def _track(phone: Any, code: str) -> str:
    phone.goto(reverse("feedback_public:track"), timeout=WAIT)
    phone.get_by_label("Your tracking code").fill(code, timeout=WAIT)
    _submit(phone, "Show")
    return str(phone.locator("main").inner_text(timeout=WAIT))


def test_a_resident_is_heard_answered_and_sees_what_changed(page: Any, phone: Any, world: Any) -> None:
    key = feedback_actions.settings_for(world.coalition).public_key

    phone.goto(reverse("feedback_public:form", args=[key]), timeout=WAIT)
    phone.get_by_label("What is it about?").select_option("safety", timeout=WAIT)
    phone.get_by_label("Your feedback").fill("The lights on the <b>canal path</b> are out at night.", timeout=WAIT)
    _submit(phone, "Send feedback")
    code = phone.locator("#tracking-code").inner_text(timeout=WAIT).strip()
    assert len(code) >= 20
    stored = Feedback.objects.get(coalition=world.coalition)
    assert (stored.author_id, stored.contact_email, stored.channel) == (None, "", "public_form")

    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("feedback:inbox", args=[world.coalition.pk]), timeout=WAIT)
    page.get_by_role("link", name="The lights on the <b>canal path</b>").click(timeout=WAIT)
    page.wait_for_load_state(timeout=WAIT)
    page.locator("#id_urgency").select_option("high", timeout=WAIT)
    _submit(page, "Save triage")
    page.locator("#id_answer").fill("Thank you: we reported it to the council's lighting team.", timeout=WAIT)
    _submit(page, "Save answer")
    assert page.locator("#status").inner_text(timeout=WAIT) == "Answered"

    shown = _track(phone, code)
    assert "The lights on the <b>canal path</b> are out at night." in shown  # markup is shown as text
    assert phone.locator("#feedback-status").inner_text(timeout=WAIT) == "Answered"
    assert "reported it to the council's lighting team" in phone.locator("#feedback-answer").inner_text(timeout=WAIT)

    page.locator("#id_what_changed").fill("The council replaced six lamps along the canal path.", timeout=WAIT)
    page.locator("#id_on_public_page").check(timeout=WAIT)
    page.locator("#id_public_summary").fill("The canal path was dark at night.", timeout=WAIT)
    _submit(page, "Close")
    assert page.locator("#status").inner_text(timeout=WAIT) == "Closed"
    assert Feedback.objects.get(pk=stored.pk).status == Status.CLOSED

    _track(phone, code)
    assert "replaced six lamps" in phone.locator("#feedback-changed").inner_text(timeout=WAIT)
    assert phone.get_by_text("No feedback has this code.").count() == 0
    _track(phone, "not-a-real-code-" + code[:8])
    assert phone.get_by_text("No feedback has this code.").is_visible(timeout=WAIT)

    phone.goto(reverse("feedback_public:you_said_we_did", args=[key]), timeout=WAIT)
    public = phone.locator("main").inner_text(timeout=WAIT)
    assert "You said: The canal path was dark at night." in public
    assert "The council replaced six lamps along the canal path." in public
    assert "canal path</b>" not in public  # the resident's own words are never published


def _answer(browser: Any, live_server: Any, username: str, url: str, score: int) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(WAIT)
    context.set_default_navigation_timeout(WAIT)
    member = context.new_page()
    try:
        sign_in(member, username, factories.PASSWORD)
        member.goto(url, timeout=WAIT)
        member.locator(f'input[name="satisfaction"][value="{score}"]').check(timeout=WAIT)
        _submit(member, "Send my answers")
        assert member.get_by_text("Thank you: your answers are in.").is_visible(timeout=WAIT)
    finally:
        context.close()


def test_survey_results_appear_only_from_the_minimum_of_answers(
    page: Any, browser: Any, live_server: Any, world: Any
) -> None:
    coalition = world.coalition
    feedback_actions.do_update_settings(world.hub, coalition, public_form_open=True, min_answers=3)
    survey = feedback_builders.survey(coalition, title="Autumn round", opened=True)
    for name in ("member2", "member3"):
        factories.add_member(coalition, factories.make_user(name), ["member"], organisation=world.member_org)
    answer_url = reverse("feedback:answer", args=[coalition.pk, survey.pk])
    results_url = reverse("feedback:results", args=[coalition.pk, survey.pk])

    _answer(browser, live_server, "member", answer_url, 4)
    _answer(browser, live_server, "member2", answer_url, 5)
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(results_url, timeout=WAIT)
    assert page.locator("#too-few").is_visible(timeout=WAIT)
    assert page.locator(".mean").count() == 0

    _answer(browser, live_server, "member3", answer_url, 2)
    page.goto(results_url, timeout=WAIT)
    assert page.locator("#too-few").count() == 0
    assert page.locator(".mean").inner_text(timeout=WAIT) == "3.67"  # (4 + 5 + 2) / 3
