"""The coalition's own pages (overview, members, working groups, settings, audit log, invitations) on a phone,
by keyboard, and through axe."""

from typing import Any

import pytest
from django.urls import reverse

from coalition.coalitions.models import Membership
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

PAGES = [
    "coalitions:overview",
    "coalitions:members",
    "coalitions:former_members",
    "coalitions:working_groups",
    "coalitions:working_group_create",
    "coalitions:settings",
    "coalitions:audit",
    "invitations:list",
]


@pytest.mark.parametrize("name", PAGES)
def test_coalition_page_fits_a_phone_and_passes_axe(page: Any, world: Any, name: str) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(reverse(name, args=[world.coalition.pk]))
    assert page.locator("h1").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361 && e.parentElement.getBoundingClientRect().right <= 361)"
        ".map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40)).slice(0, 8)"
    )
    assert width <= 360, f"{name} is {width}px wide on a 360-px screen: {wide}"
    assert_accessible(page)


def test_a_hub_changes_a_members_roles_by_keyboard_alone(page: Any, world: Any) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    membership = Membership.objects.get(coalition=world.coalition, user=world.member)
    page.goto(reverse("coalitions:member", args=[world.coalition.pk, membership.pk]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    _tab_to(page, "Steering committee")
    page.keyboard.press("Space")
    _tab_to(page, "Save roles")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert sorted(r.role for r in membership.roles.all()) == ["member", "steering"]


def _tab_to(page: Any, label: str, limit: int = 60) -> None:
    """Press Tab until the focused control is the one labelled ``label``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "(() => { const el = document.activeElement;"
            " return (el.labels && el.labels.length ? el.labels[0].textContent : el.textContent).trim(); })()"
        )
        if name == label:
            return
    raise AssertionError(f"Tab never reached {label!r}")
