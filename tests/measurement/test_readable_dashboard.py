"""The dashboard read in one pass: sparklines, words for the figure over the whole effort, the breakdown's
total explained, the last 12 periods by default and every period on request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from coalition.measurement import actions, charts, presenters
from coalition.measurement.models import Kind
from tests.measurement import builders

D = Decimal


def _pairs(points: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]


def test_sparkline_points_by_hand() -> None:
    # width 120, height 28, padding 3: x from 3 to 117 in steps of 57; y from 3 (highest) to 25 (lowest)
    assert charts.sparkline_points([D(0), D(10), D(5)]) == "3.0,25.0 60.0,3.0 117.0,14.0"
    # a missing value keeps its place on the x axis
    assert charts.sparkline_points([D(2), None, D(4)]) == "3.0,25.0 117.0,3.0"
    # a flat line sits in the middle; fewer than two values draw nothing
    assert charts.sparkline_points([D(7), D(7)]) == "3.0,14.0 117.0,14.0"
    assert charts.sparkline_points([D(1), None]) == ""


@given(st.lists(st.one_of(st.none(), st.decimals(-10**6, 10**6, places=2)), min_size=0, max_size=40))
def test_sparkline_stays_inside_its_box_and_orders_heights(values: list[Decimal | None]) -> None:
    pairs = _pairs(charts.sparkline_points(values))
    known = [v for v in values if v is not None]
    if len(known) < 2:
        assert pairs == []
        return
    assert len(pairs) == len(known)
    assert all(2.9 <= x <= 117.1 and 2.9 <= y <= 25.1 for x, y in pairs)
    assert [x for x, _ in pairs] == sorted(x for x, _ in pairs)
    top = max(known)
    assert min(y for _, y in pairs) == pytest.approx(
        [y for (_, y), v in zip(pairs, known, strict=True) if v == top][0]
    )


def test_sparkline_is_an_accessible_image_without_script() -> None:
    svg = charts.sparkline([D(1), D(3)], "Meals <rising>")
    assert 'role="img"' in svg and 'aria-label="Meals &lt;rising&gt;"' in svg and "<script" not in svg


def _row(kind: str, to_date: str | None, life: str | None, progress: str | None, **fields: Any) -> Any:
    indicator = type(
        "I",
        (),
        {"kind": kind, "unit": fields.get("unit", ""), "time_aggregation": fields.get("rule", "latest"),
         "direction": fields.get("direction", "increase"), "name": "X"},
    )()
    return type(
        "R",
        (),
        {"indicator": indicator, "to_date": D(to_date) if to_date else None, "life_target": D(life) if life else None,
         "progress": D(progress) if progress else None},
    )()


def test_a_percentage_indicator_is_read_in_points_not_as_a_share_of_a_share() -> None:
    text = presenters.to_date_text(_row(Kind.PERCENTAGE, "21", "18", "116.67"))
    assert text == "21% at the latest report; the end-of-effort target of 18% is reached."
    assert "116" not in text
    behind = presenters.to_date_text(_row(Kind.PERCENTAGE, "60.53", "70", "86.47"))
    assert behind.endswith("the end-of-effort target is 70%: 9.47 percentage points to go.")
    lower = presenters.to_date_text(_row(Kind.PERCENTAGE, "30", "20", "66", direction="decrease"))
    assert lower.endswith("10 percentage points to go.")


def test_a_count_says_what_it_counts_and_how_far_it_has_come() -> None:
    text = presenters.to_date_text(_row(Kind.COUNT, "304", "404", "75.2475", unit="children", rule="sum"))
    assert text == "304 children in total so far, against an end-of-effort target of 404 children: 75% of the way."
    assert presenters.to_date_text(_row(Kind.COUNT, None, None, None)) == "No values reported yet."
    assert "no end-of-effort target" in presenters.to_date_text(_row(Kind.SCORE, "3.5", None, None, rule="average"))


def test_the_breakdown_total_is_explained_only_when_it_differs() -> None:
    assert presenters.breakdown_difference(D(304), D(304)) == ""
    assert presenters.breakdown_difference("x", D(304)) == ""  # hidden in the shared view: nothing to compare
    note = presenters.breakdown_difference(D(217), D(304))
    assert "217" in note and "304" in note and "total alone" in note


@pytest.mark.django_db
def test_dashboard_charts_the_last_12_periods_and_every_period_on_request(world: Any) -> None:
    indicator = builders.make_indicator(
        world.coalition, "Meals", is_shared=True, frequency="monthly", unit="meals", starts_on=dt.date(2024, 1, 1)
    )
    hub = builders.hub_access(world.coalition)
    start = dt.date(2024, 1, 1)
    for month in range(15):
        period = dt.date(start.year + (month // 12), month % 12 + 1, 1)
        actions.do_enter_values(hub, indicator, world.member_org, period, [builders.entry(100 + month)])
    url = reverse("measurement:dashboard", args=[world.coalition.pk])
    client = world.client_for(world.hub)
    page = client.get(url).content.decode()
    assert "Table of values (12 periods)" in page and "2024-04" in page and ">2024-03<" not in page
    assert 'class="sparkline"' in page and "Show every period" in page
    every = client.get(url + "?periods=all").content.decode()
    assert "Table of values (15 periods)" in every and ">2024-01<" in every
