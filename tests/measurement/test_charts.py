"""Server-rendered SVG charts: safe to inline, named for screen readers, legible on long time axes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from coalition.measurement import charts, periods


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _months(n: int) -> list[str]:
    start = dt.date(2020, 1, 1)
    return [periods.label("monthly", periods.shift("monthly", start, i)) for i in range(n)]


def _axis_labels(svg: str) -> list[str]:
    axis = re.search(r'<g class="axis x[^"]*">(.*?)<g class="series', svg, re.S)
    assert axis, "the chart has an x axis"
    return re.findall(r"<text[^>]*>([^<]+)</text>", axis.group(1))


def test_a_chart_is_an_accessible_image_without_script_and_escapes_its_labels() -> None:
    svg = charts.chart("bar", "Meals <by> member", ["A & B", "<C>"], [("Value", [Decimal(3), None])], uid="t1")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Meals &lt;by&gt; member"' in svg
    assert "<script" not in svg
    assert "A &amp; B" in svg and "&lt;C&gt;" in svg and "<C>" not in svg


def test_a_short_time_axis_names_every_period() -> None:
    labels = _months(8)
    svg = charts.chart("line", "Meals", labels, [("Value", [Decimal(i) for i in range(8)])], uid="t2")
    assert _axis_labels(svg) == labels
    assert svg.count('class="dot reactive tooltip-trigger"') == 8


def test_a_long_time_axis_names_a_legible_number_of_periods_from_first_to_last() -> None:
    labels = _months(125)
    values = [Decimal(i % 40) for i in range(125)]
    svg = charts.chart("line", "Meals", labels, [("Value", values), ("Target", values)], uid="t3")
    shown = _axis_labels(svg)
    assert 2 <= len(shown) <= charts.LEGIBLE_LABELS + 1
    assert shown[0] == labels[0] and set(shown) <= set(labels)
    assert svg.count('class="dot reactive tooltip-trigger"') == 2 * len(shown)  # one dot per named period


def test_the_same_numbers_are_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = []
    render = charts._render
    monkeypatch.setattr(charts, "_render", lambda *args: drawn.append(args) or render(*args))
    first = charts.chart("bar", "Meals", ["A"], [("Value", [Decimal(1)])], uid="t4")
    assert charts.chart("bar", "Meals", ["A"], [("Value", [Decimal(1)])], uid="t4") == first
    charts.chart("bar", "Meals", ["A"], [("Value", [Decimal(2)])], uid="t4")
    assert len(drawn) == 2  # a changed value is a new picture
