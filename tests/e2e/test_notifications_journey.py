"""What needs me, in the browser: a published agenda reaches the member's home and inbox and leaves once
signed; every stage menu opens by keyboard, mouse and touch at 1280 and 360 px without being cut off (on a phone
inside the site menu, which folds the header into one row); home and overview pass axe."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from coalition.planning import actions as p_actions
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.planning import factories as pf

MENU_STAGES = ("Assess", "Co-design", "Act", "Measure")
SLOW = 60_000  # the shared test machine can be slow; waits end as soon as the page is ready


@pytest.fixture(autouse=True)
def _patient(page: Any) -> None:
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)


SIZES = [(1280, 900), (360, 640)]
PHONE = 640  # up to 40rem the header folds into the site menu


def _draft(world: Any) -> None:
    access = pf.hub_access(world.coalition)
    p_actions.do_save_agenda_draft(
        access,
        problem_statement="Children lack safe places after school.",
        vision="Every child has somewhere safe to go.",
        charter_text="Members share data.",
        coordinator=access.membership,
    )


def test_published_agenda_reaches_the_members_home_and_inbox_and_leaves_once_signed(
    page: Any, browser: Any, live_server: Any, world: Any
) -> None:
    _draft(world)
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("planning:agenda", args=[world.coalition.pk]))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish the draft").click()
    page.wait_for_load_state()
    assert any(m.to == ["member@example.org"] and "sign version 1" in m.subject for m in mail.outbox)

    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 640})
    context.set_default_timeout(SLOW)
    member = context.new_page()
    sign_in(member, "member", factories.PASSWORD)
    member.goto("/")
    todo = member.get_by_role("link", name="Sign the common agenda and charter, version 1")
    assert todo.is_visible()
    todo.click()
    member.get_by_role("button", name="Sign version 1").click()
    member.wait_for_load_state()
    member.goto("/")
    assert member.get_by_role("link", name="Sign the common agenda and charter, version 1").count() == 0
    expect(member.get_by_text("Nothing needs you right now.")).to_be_visible()
    context.close()


def _focused_text(page: Any) -> str:
    return page.evaluate("(document.activeElement.textContent || '').replace(/\\s+/g, ' ').trim()")


def _is_reachable(page: Any, locator: Any) -> bool:
    """Visible inside the viewport and the topmost element at its centre (not clipped or covered)."""
    box = locator.bounding_box()
    size = page.viewport_size
    if box is None or box["width"] < 1 or box["x"] < 0 or box["x"] + box["width"] > size["width"] + 1:
        return False
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return bool(locator.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", [x, y]))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_stage_menu_opens_by_keyboard_alone(page: Any, world: Any, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("coalitions:overview", args=[world.coalition.pk]))
    if width <= PHONE:  # the stages are inside the folded site menu: open it by keyboard first
        for _ in range(20):
            page.keyboard.press("Tab")
            if _focused_text(page).endswith("Menu") and page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Collective-action cycle")
    for stage in MENU_STAGES:
        for _ in range(80):  # Tab until the stage's toggle has the focus
            page.keyboard.press("Tab")
            if _focused_text(page).endswith(stage) and page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        else:
            raise AssertionError(f"{stage} never got the keyboard focus")
        page.keyboard.press("Enter")
        links = nav.locator("details[open] .screens a")
        assert links.count() >= 2, f"{stage} did not open"
        for index in range(links.count()):
            page.keyboard.press("Tab")
            link = links.nth(index)
            assert link.evaluate("el => el === document.activeElement"), f"{stage}: focus left the menu"
            assert _is_reachable(page, link), f"{stage}: {link.text_content()} is clipped at {width}px"
        page.keyboard.press("Escape")
        assert nav.locator("details[open]").count() == 0
        assert _focused_text(page).endswith(stage)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_stage_menu_opens_by_mouse_and_touch(
    browser: Any, live_server: Any, world: Any, width: int, height: int
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height}, has_touch=True)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("coalitions:overview", args=[world.coalition.pk]))
    if width <= PHONE:
        page.get_by_text("Menu", exact=True).tap()
    nav = page.get_by_role("navigation", name="Collective-action cycle")
    screens = {"Assess": "Rapid assessment", "Co-design": "Priorities", "Act": "Action plans", "Measure": "Indicators"}
    for use_touch in (False, True):
        for stage, screen in screens.items():
            toggle = nav.locator("summary", has_text=stage)
            toggle.tap() if use_touch else toggle.click()
            link = nav.get_by_role("link", name=screen, exact=True)
            assert _is_reachable(page, link), f"{screen} under {stage} is not reachable at {width}px"
        page.mouse.click(2, 2)  # a click elsewhere (the header's edge) closes the open menu
        assert nav.locator("details[open]").count() == 0
    # And the link really leads there.
    nav.locator("summary", has_text="Co-design").click()
    nav.get_by_role("link", name="Common agenda", exact=True).click()
    page.wait_for_url(f"**{reverse('planning:agenda', args=[world.coalition.pk])}")
    context.close()


def test_the_header_folds_into_one_row_with_a_menu_on_a_phone(page: Any, world: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("coalitions:overview", args=[world.coalition.pk]))
    bottom = page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().bottom")
    assert bottom <= 64, f"the header is {bottom}px tall"
    nav = page.get_by_role("navigation", name="Collective-action cycle")
    assert not nav.is_visible()
    assert not page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_text("Menu", exact=True).click()
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.keyboard.press("Escape")  # folds the menu again
    assert not nav.is_visible()
    # on a wide screen there is no toggle: the links are always there
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    assert not page.get_by_text("Menu", exact=True).is_visible() and nav.is_visible()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_home_and_overview_with_todos_pass_axe(page: Any, world: Any, width: int, height: int) -> None:
    pf.make_published_agenda(world.coalition)
    pf.make_vote(world.coalition)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "member", factories.PASSWORD)
    page.goto("/")
    expect(page.get_by_role("link", name="Vote on priorities: Rank priorities")).to_be_visible()
    assert_accessible(page)
    page.goto(reverse("coalitions:overview", args=[world.coalition.pk]))
    expect(page.get_by_role("heading", name="Where the coalition stands")).to_be_visible()
    assert_accessible(page)
    if width > 360:  # on a phone an open menu covers the page below it, which axe reports as covered targets
        page.get_by_role("navigation", name="Collective-action cycle").locator("summary", has_text="Assess").click()
        assert_accessible(page)  # with a menu open
