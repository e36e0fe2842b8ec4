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


# ---- On a phone: each picture read without panning, its labels legible ----

# The rendered size of each shown SVG text: its font size in user units times the picture's scale on screen.
RENDERED_SIZES = """els => els.filter(e => getComputedStyle(e).display !== 'none')
    .map(e => [e.textContent, parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a,
               e.getBoundingClientRect().height])"""
LEGIBLE = 12  # px


def _scrolls_within_itself(box: Any) -> None:
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the picture is shrunk to the screen"
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"


def _legible(page: Any, selector: str) -> None:
    small = [s for s in page.locator(selector).evaluate_all(RENDERED_SIZES) if s[1] < LEGIBLE or s[2] < LEGIBLE]
    assert not small, small


def test_network_diagram_on_a_phone_ranks_the_central_actors_and_keeps_labels_legible(page: Any) -> None:
    ctx = base.seed_base()
    stakeholders_demo.seed(ctx)
    network_demo.seed(ctx)
    survey = SurveyRound.objects.filter(coalition=ctx.coalition).latest("pk")
    sign_in(page, ctx.hub.username, base.DEMO_PASSWORD)
    url = reverse("network:diagram", args=[ctx.coalition.pk, survey.pk])
    page.set_viewport_size(PHONE)
    page.goto(url)
    _fits_a_phone(page, "network:diagram")
    assert_accessible(page)
    # the picture keeps its size and pans within its own box; every label shown is legible and none overlap
    _scrolls_within_itself(page.locator(".diagram-figure .scroll-x"))
    labels = "svg.network-diagram text.node-label"
    _legible(page, labels)
    assert not _overlapping(page.locator(labels).evaluate_all(VISIBLE_BOXES))
    page.locator("svg.network-diagram g.node").first.focus()  # a name shown on focus is legible too
    expect(page.locator("svg.network-diagram g.node").first.locator("text")).to_be_visible()
    _legible(page, labels)
    # above the picture, the 12 most central actors ranked by ties, each with the figures of the full table
    cards = page.locator(".central-actors li")
    expect(cards.first).to_be_visible()
    assert cards.count() == 12
    table = {
        row[0]: row[2:]
        for row in page.locator("table tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))"
        )
    }
    ranked = cards.evaluate_all(
        "els => els.map(e => [e.querySelector('strong').textContent, [...e.querySelectorAll('dd')].map(d => d.textContent)])"
    )
    assert all(figures == table[name] for name, figures in ranked), (ranked, table)
    ties = [int(figures[0]) for _, figures in ranked]
    assert ties == sorted(ties, reverse=True)
    assert min(ties) >= max(int(row[0]) for name, row in table.items() if name not in dict(ranked))
    # a wide screen shows the picture whole and no second list
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(cards.first).to_be_hidden()


# The demo's stakeholders by quadrant, worked out by hand from their ratings (4 and 5 count as high).
QUADRANT_MEMBERS = {
    "Manage closely": {"Harmon Family Foundation"},
    "Keep satisfied": {
        "City Parks & Recreation Department",
        "City Council Education Committee",
        "Department of Children & Family Services",
        "Metro Transit Authority",
        "Community Foundation of the Valley",
    },
    "Keep informed": {
        "Eastgate Youth Centre",
        "Riverside Primary School",
        "Eastgate Public Library",
        "Families First Network",
        "St. Brigid's Parish",
        "Eastgate Tenants' Association",
        "Northvale University School of Education",
        "Mrs. Lydia Okafor (block captain)",
        "Eastgate Mosque Community Centre",
        "Boys & Girls Sports League",
        "Literacy Volunteers of Eastgate",
        "New Arrivals Support Centre",
        "Millbrook Mothers' Circle",
        "Youth Council of Eastgate",
        "Parent representative, Riverside PTA",
        "Grandparents raising grandchildren group",
        "Eastgate Arts Collective",
    },
    "Monitor": {
        "Eastgate Police Community Unit",
        "Eastgate Health Clinic",
        "Disability Rights Eastgate",
        "Eastgate Business Improvement District",
        "Corner Grocers' Association",
        "BrightPath Tutoring Ltd.",
        "Regional Power & Light Co. (community fund)",
        "Northvale Community College (youth work course)",
        "Pastor Daniel Reyes",
        "School District Transport Office",
    },
}


def test_power_interest_grid_on_a_phone_lists_every_stakeholder_under_its_quadrant(page: Any) -> None:
    ctx = base.seed_base()
    sign_in(page, ctx.hub.username, base.DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(reverse("stakeholders:grid", args=[ctx.coalition.pk]))
    _fits_a_phone(page, "stakeholders:grid")
    assert_accessible(page)
    shown = {}
    for title in QUADRANT_MEMBERS:
        section = page.locator(".quadrant-notes section").filter(has=page.get_by_role("heading", name=title))
        items = section.locator(".quadrant-members li")
        expect(items.first).to_be_visible()
        shown[title] = {item.locator("a").inner_text() for item in items.all()}
        # each with its ratings, which put it in this quadrant
        for text in items.all_inner_texts():
            power, interest = (int(n) for n in text.rsplit("power ", 1)[1].split(", interest "))
            assert (power >= 4, interest >= 4) == (
                title in {"Manage closely", "Keep satisfied"},
                title in {"Manage closely", "Keep informed"},
            ), text
    assert shown == QUADRANT_MEMBERS
    # the picture stays, at a size whose names are legible, panning within its own box
    _scrolls_within_itself(page.locator(".grid-figure .scroll-x"))
    _legible(page, "svg.pi-grid .names text")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator(".quadrant-members").first).to_be_hidden()
