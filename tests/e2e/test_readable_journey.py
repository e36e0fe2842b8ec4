"""Readable at a glance, on any screen: the demo hub dashboard's height at 1280 px; every main page of each stage
on a 360-px phone, empty and with the whole demo (never wider than the screen, the header one row, the
scorecard's status in view, axe clean); the Gantt scrolling within itself; the stakeholder list's filters folded;
the network diagram's and the power/interest grid's labels, read from the browser, never overlapping."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from coalition.coalitions.models import Coalition
from coalition.core.navigation import CYCLE
from coalition.demo import base
from coalition.joint_action.models import JointActionPlan
from coalition.measurement import demo as measurement_demo
from coalition.network import demo as network_demo
from coalition.network.models import SurveyRound
from coalition.stakeholders import demo as stakeholders_demo
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.measurement import builders

DASHBOARD_GOAL = 3 * 800  # about three screens at 1280 × 800

# Every main page of each stage: the cycle's screens (URL names taking only the coalition id) and the coalition's
# overview, plus the pages below them that a phone user reaches most (entry, round comparison). A screen added to
# the cycle is checked here without editing this list.
MAIN_PAGES = [
    "coalitions:overview",
    *(screen.url_name for stage in CYCLE for screen in stage.screens),
    "measurement:entry",
    "network:compare",
]
PHONE = {"width": 360, "height": 740}

# The page is never wider than the screen; every element that sticks out of its parent is named.
WIDE_ELEMENTS = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361"
    " && e.parentElement.getBoundingClientRect().right <= 361)"
    ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
)


def _fits_a_phone(page: Any, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width}px wide on a 360-px screen: {page.evaluate(WIDE_ELEMENTS)}"
    # the header is one row: the cycle's stages and the coalition's links wait behind the Menu toggle
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    assert header <= 64, f"{name}: the header is {header}px tall"


def test_demo_hub_dashboard_fits_about_three_screens_at_1280(page: Any) -> None:
    ctx = base.seed_base()
    measurement_demo.seed(ctx)
    sign_in(page, ctx.hub.username, base.DEMO_PASSWORD)
    page.goto(reverse("measurement:dashboard", args=[ctx.coalition.pk]))
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nDemo hub dashboard at 1280 px: {height} px tall (goal ≤ {DASHBOARD_GOAL})")
    assert height <= DASHBOARD_GOAL
    # the scorecard comes first, with a sparkline per indicator
    assert page.locator("main h2").first.inner_text() == "Scorecard"
    assert page.locator("table.scorecard svg.sparkline").count() >= 5
    # each chart's table is folded behind a disclosure that opens by keyboard
    summary = page.locator("details.disclosure > summary").first
    table = page.locator("details.disclosure").first.locator("table")
    assert not table.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert table.is_visible()


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_main_page_fits_a_360px_phone_and_passes_axe(page: Any, world: Any, name: str) -> None:
    indicator = builders.make_indicator(world.coalition, "Children reached", is_shared=True, unit="children")
    try:
        url = reverse(name, args=[world.coalition.pk])
    except NoReverseMatch:
        pytest.skip(f"{name} does not exist yet")
    sign_in(page, "hub", factories.PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(url)
    _fits_a_phone(page, name)
    if name == "measurement:dashboard":
        status = page.locator("table.scorecard td.scorecard-status").first
        box = status.bounding_box()
        assert status.is_visible() and box and box["x"] >= 0 and box["x"] + box["width"] <= 360, indicator.name
    assert_accessible(page)


def test_every_main_page_of_the_demo_fits_a_360px_phone_and_passes_axe(page: Any) -> None:
    """The same over the whole demo, whose long tables, charts and diagrams are what overflow a phone."""
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    coalition = Coalition.objects.get(name=base.COALITION_NAME)
    survey = SurveyRound.objects.filter(coalition=coalition).latest("pk")
    plan = JointActionPlan.objects.filter(coalition=coalition).earliest("pk")
    urls = {}
    for name in MAIN_PAGES:
        with contextlib.suppress(NoReverseMatch):  # a screen still to come
            urls[name] = reverse(name, args=[coalition.pk])
    urls["network:diagram"] = reverse("network:diagram", args=[coalition.pk, survey.pk])
    urls["joint_action:plan"] = reverse("joint_action:plan", args=[coalition.pk, plan.pk])
    sign_in(page, "amina", base.DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    for name, url in urls.items():
        page.goto(url)
        _fits_a_phone(page, name)
        assert_accessible(page)
    # the workplan's Gantt chart scrolls within itself, not the page
    page.goto(urls["joint_action:workplan"])
    gantt = page.locator(".ja-gantt").first
    assert gantt.evaluate("el => el.scrollWidth > el.clientWidth") and gantt.get_attribute("tabindex") == "0"
    # the stakeholder list: filters folded, rows as cards whose engagement is in view
    page.goto(urls["stakeholders:list"])
    assert not page.get_by_label("Sector").is_visible()
    page.get_by_text("Filter and sort", exact=True).click()
    expect(page.get_by_label("Sector")).to_be_visible()
    badge = page.locator("table.stakeholder-table td[data-label] .badge").first.bounding_box()
    assert badge and badge["x"] + badge["width"] <= PHONE["width"]


# The boxes of the given SVG texts as the browser draws them, for those shown.
VISIBLE_BOXES = """els => els.filter(e => getComputedStyle(e).display !== 'none')
    .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


def _overlapping(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def test_network_diagram_names_the_central_actors_without_overlap_and_the_rest_on_focus(page: Any) -> None:
    ctx = base.seed_base()
    stakeholders_demo.seed(ctx)
    network_demo.seed(ctx)
    survey = SurveyRound.objects.filter(coalition=ctx.coalition).latest("pk")
    sign_in(page, ctx.hub.username, base.DEMO_PASSWORD)
    page.goto(reverse("network:diagram", args=[ctx.coalition.pk, survey.pk]))
    labels = page.locator("svg.network-diagram text.node-label")
    boxes = labels.evaluate_all(VISIBLE_BOXES)
    assert len(boxes) >= 8, boxes
    assert not _overlapping(boxes)
    # an actor without a label is named when it gets the keyboard focus
    unnamed = page.locator("svg.network-diagram g.node").first
    assert not unnamed.locator("text").is_visible()
    unnamed.focus()
    expect(unnamed.locator("text")).to_be_visible()
    # and every actor is in the text alternative below the picture
    assert page.locator("table tbody tr").count() == page.locator("svg.network-diagram circle").count()


def test_power_interest_grid_names_stakeholders_without_collisions(page: Any) -> None:
    ctx = base.seed_base()
    sign_in(page, ctx.hub.username, base.DEMO_PASSWORD)
    page.goto(reverse("stakeholders:grid", args=[ctx.coalition.pk]))
    names = page.locator("svg.pi-grid .names text").evaluate_all(VISIBLE_BOXES)
    dots = page.locator("svg.pi-grid .point circle").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return ['dot', r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(names) >= 10, names
    assert not _overlapping(names)
    # a name never covers a point other than its own, which sits just beside it
    touching = [pair for pair in _overlapping(names + dots) if "dot" in pair]
    assert not touching, touching
