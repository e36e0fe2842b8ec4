"""A learning pause in the browser: the hub holds a pause from the evidence page, agrees an adaptation that
moves an action's due date, the adaptation log shows before and after, the action has its new date, and the
learning brief is one A4 page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from coalition.joint_action.models import Action
from coalition.learning.models import Pause
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.joint_action import builders as action_builders

SLOW = 60_000


@pytest.fixture(autouse=True)
def _patient(page: Any) -> None:
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)


def test_hold_a_pause_agree_an_adaptation_and_share_a_one_page_brief(page: Any, world: Any) -> None:
    today = timezone.localdate()
    old_due, new_due = today + dt.timedelta(days=10), today + dt.timedelta(days=40)
    action = action_builders.action(
        world.coalition, title="Book the parish hall", starts_on=today - dt.timedelta(days=5), due_on=old_due
    )
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("learning:pauses", args=[world.coalition.pk]))
    page.get_by_role("link", name="Hold a learning pause").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Follow-through on actions")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What happened?").fill("The hall was booked for exams in the same weeks.")
    page.get_by_label("What do we change?").fill("Move the booking after the exams.")
    page.get_by_role("button", name="Record the pause").click()
    page.wait_for_load_state()
    pause = Pause.objects.get(coalition=world.coalition)
    assert "Follow-through on actions" in page.content()

    page.get_by_role("link", name="Agree an adaptation").click()
    page.wait_for_load_state()
    page.locator("#id_kind").select_option("action_dates")
    page.locator("#id_reason").fill("Exams take the hall until then.")
    page.locator("#id_action").select_option(str(action.pk))
    page.locator("#id_due_on").fill(new_due.isoformat())
    page.get_by_role("button", name="Agree and apply").click()
    page.wait_for_load_state()
    assert Action.objects.get(pk=action.pk).due_on == new_due

    page.get_by_role("link", name="Adaptation log").click()
    page.wait_for_load_state()
    log = page.locator("main").inner_text()
    assert f"due_on: {old_due.isoformat()}" in log and f"due_on: {new_due.isoformat()}" in log
    assert "Exams take the hall until then." in log
    assert_accessible(page)

    page.goto(reverse("joint_action:action", args=[world.coalition.pk, action.pk]))
    expect(page.get_by_text("Book the parish hall").first).to_be_visible()

    brief = page.request.get(reverse("learning:brief", args=[world.coalition.pk, pause.pk]))
    assert brief.status == 200
    reader = PdfReader(io.BytesIO(brief.body()))
    assert len(reader.pages) == 1
    assert "Book the parish hall" in reader.pages[0].extract_text().replace("\n", " ")
