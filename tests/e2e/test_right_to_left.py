"""Right to left: the main pages in Arabic at a desktop width and on a 360-px phone. The page declares
``dir="rtl"`` and ``lang="ar"``, nothing runs off either side of the screen, the header's items do not sit on
top of each other, and the layout mirrors (the brand, first in the header, is on the right)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import sign_in, speak

PAGES = [
    ("core:home", False),
    ("coalitions:overview", True),
    ("coalitions:members", True),
    ("stakeholders:list", True),
    ("measurement:dashboard", True),
    ("joint_action:plans", True),
    ("meetings:list", True),
    ("funding:fund", True),
]
WIDTHS = [1280, 360]

# Elements wider than the screen, leaving out what sits inside a box that scrolls or clips on its own.
OVERFLOWING = """(width) => [...document.querySelectorAll('body *')].filter((e) => {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || (r.left >= -1 && r.right <= width + 1)) return false;
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return false;
  }
  return true;
}).map((e) => `${e.tagName}.${e.className} [${Math.round(e.getBoundingClientRect().left)}, ${Math.round(e.getBoundingClientRect().right)}]`).slice(0, 8)"""

# The header's items and the cycle's tabs that are shown, as boxes.
HEADER_BOXES = """() => [...document.querySelectorAll(
  '.topbar .brand, .topbar-coalition, .topbar-links a, .topbar-user > a, .topbar-user > button,'
  + ' .language-switcher select, .language-switcher button, .cycle .stage-link')]
  .map((e) => ({name: `${e.tagName}.${e.className} ${(e.textContent || '').trim().slice(0, 20)}`,
                r: e.getBoundingClientRect().toJSON()}))
  .filter((b) => b.r.width > 0 && b.r.height > 0)"""


def _overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    def meet(a: dict[str, float], b: dict[str, float]) -> bool:
        return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5 and (
            min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
        )

    return [
        (one["name"], other["name"])
        for i, one in enumerate(boxes)
        for other in boxes[i + 1 :]
        if meet(one["r"], other["r"])
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "scoped"), PAGES)
def test_main_pages_mirror_in_arabic_without_overflow_or_overlap(
    page: Any, world: Any, name: str, scoped: bool, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    speak(page, "ar")
    sign_in(page, "hub", factories.PASSWORD, "ar")
    page.goto(reverse(name, args=[world.coalition.pk] if scoped else []))

    html = page.locator("html")
    assert (html.get_attribute("dir"), html.get_attribute("lang")) == ("rtl", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOWING, width)
    assert scroll_width <= width and not overflowing, f"{name} at {width}px: {scroll_width}px wide, {overflowing}"

    boxes = page.evaluate(HEADER_BOXES)
    assert len(boxes) >= 4
    assert not _overlapping(boxes), f"{name} at {width}px: header items overlap: {_overlapping(boxes)}"

    brand = page.locator(".topbar .brand").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert brand["x"] + brand["width"] > width - 40, "the brand starts the header on the right"
    if brand["y"] == switcher["y"]:  # on one line, the switcher ends it on the left
        assert switcher["x"] < brand["x"]
