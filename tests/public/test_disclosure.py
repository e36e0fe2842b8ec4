"""Shared indicators on the public page go through the disclosure control of the shared views, unchanged.

The oracle is the shared view itself and the attacker of ``tests/measurement/test_shared_disclosure.py``
(written independently of ``disclosure``): the public page prints the shared view's value-by-period table
cell for cell (hidden figures as the same mark), never the hub's raw figures, never a member's contribution
or name, and the attacker reading everything the shared view prints (more than the public page shows) still
cannot narrow a hidden figure below the protection width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from coalition.measurement import actions as measurement_actions
from coalition.measurement import disclosure, presenters, queries
from coalition.measurement.models import MemberAggregation, TimeAggregation
from coalition.public import sections
from tests.measurement.builders import entry, hub_access, make_indicator
from tests.measurement.test_shared_disclosure import JULY, JUNE, K, _approved, _attack_sum_of_sums, _member
from tests.public.builders import published, visit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 8, 15)  # the day the shared-view attack is computed for (three monthly periods)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issue_13(world: Any) -> Any:
    """The issue-13 table: Parks 3 (June), Food Bank 27 (June), Library 1 (July), approved; one more value
    entered and submitted but not approved."""
    coalition = world.coalition
    parks, library, food = (_member(coalition, n) for n in ("Parks Department", "Public Library", "Food Bank"))
    indicator = make_indicator(
        coalition,
        "Families helped",
        frequency="monthly",
        starts_on=JUNE,
        is_shared=True,
        kind="count",
        time_aggregation=TimeAggregation.SUM,
        member_aggregation=MemberAggregation.SUM,
    )
    _approved(coalition, indicator, parks, JUNE, 3)
    _approved(coalition, indicator, food, JUNE, 27)
    _approved(coalition, indicator, library, JULY, 1)
    hub = hub_access(coalition)
    measurement_actions.do_enter_values(hub, indicator, food, JULY, [entry(400)])
    measurement_actions.do_submit_period(hub, indicator, food, JULY)  # waiting for review: not shared
    return indicator


def _shared_tables(coalition: Any, indicator: Any, today: dt.date) -> dict[str, presenters.Table]:
    view = presenters.View(shared=True, threshold=K)
    return presenters.indicator_tables(indicator, view, queries.reporting_organisations(coalition), today)


def test_the_public_tables_are_the_shared_views_cell_for_cell(world: Any, issue_13: Any) -> None:
    (public,) = sections.shared_indicators(world.coalition, TODAY)
    shared = _shared_tables(world.coalition, issue_13, TODAY)
    (series,) = public["tables"]  # no breakdown; never the members or completeness tables
    assert series.slug.startswith("series-")
    assert series.rows == shared["series"].rows
    assert disclosure.MARK in [row[1] for row in series.rows], "a small period value is hidden"
    assert all(row[1] != 400 and row[1] != 427 for row in series.rows), "unapproved data is not counted"


def test_the_shared_views_attacker_cannot_narrow_what_the_public_page_hides(world: Any, issue_13: Any) -> None:
    """The public page prints a subset of the shared view (the same figures); the attacker is given the whole
    shared view, members and completeness exports included, and still finds every hidden figure wide."""
    (public,) = sections.shared_indicators(world.coalition, TODAY)
    shared = _shared_tables(world.coalition, issue_13, TODAY)
    (row,) = queries.scorecard(world.coalition, queries.Scope(approved_only=True), shared_only=True)
    possible = _attack_sum_of_sums(shared, row)
    for (period, value, *_rest), public_row in zip(shared["series"].rows, public["tables"][0].rows, strict=True):
        assert public_row[1] == value
        if value == disclosure.MARK:
            spread = possible[("period", period)]
            assert max(spread) - min(spread) >= K, (period, sorted(spread))
    for key in [("Parks Department", "2025-06"), ("Public Library", "2025-07")]:
        assert max(possible[key]) - min(possible[key]) >= K


def test_the_page_prints_the_shared_table_never_the_raw_one_nor_member_names(world: Any, issue_13: Any) -> None:
    today = timezone.localdate()
    shared = _shared_tables(world.coalition, issue_13, today)["series"]
    raw_view = presenters.View(shared=False, threshold=K)
    raw = presenters.indicator_tables(issue_13, raw_view, queries.reporting_organisations(world.coalition), today)
    assert raw["series"].body_html() != shared.body_html()
    html = visit(published(world.coalition, world.hub, sections=["indicators"]))
    assert "Families helped" in html
    assert str(shared.body_html()) in html
    assert str(raw["series"].body_html()) not in html
    for name in ("Parks Department", "Public Library", "Food Bank"):
        assert name not in html


def test_an_indicator_not_marked_shared_never_appears(world: Any, issue_13: Any) -> None:
    make_indicator(world.coalition, "Internal staff hours", is_shared=False)
    html = visit(published(world.coalition, world.hub, sections=["indicators"]))
    assert "Families helped" in html
    assert "Internal staff hours" not in html
