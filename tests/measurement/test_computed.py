"""Indicators computed from records: added from the registry, one value per period in the normal storage,
refreshed in a constant number of queries, never typed over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.coalitions.models import Coalition
from coalition.core.models import AuditEvent
from coalition.measurement import actions, computed, imports, queries
from coalition.measurement.models import DataValue, Indicator
from tests.measurement.builders import access, entry, hub_access

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 8, 15)  # Q3 2025: periods Q1, Q2 and Q3 when the series starts in January
FIGURES = {dt.date(2025, 1, 1): Decimal(3), dt.date(2025, 4, 1): None, dt.date(2025, 7, 1): Decimal("7.5")}
CALLS: list[str] = []


def _one(coalition: Coalition, first: dt.date, last: dt.date) -> Decimal | None:
    CALLS.append("one")
    return FIGURES.get(first)


def _many(coalition: Coalition, spans: Sequence[computed.Period]) -> dict[dt.date, Decimal | None]:
    CALLS.append("many")
    return {first: FIGURES.get(first) for first, _last in spans}


@pytest.fixture
def registered() -> Iterator[None]:
    computed.register_computation(
        computed.Computation(
            key="test.count",
            label="Things counted",
            definition="Counted things.",
            kind="count",
            compute=_one,
            compute_many=_many,
        )
    )
    computed.register_computation(
        computed.Computation(
            key="test.rate",
            label="Share of things",
            definition="A share.",
            kind="percentage",
            compute=_one,
            unit="%",
        )
    )
    CALLS.clear()
    yield
    computed._REGISTRY.pop("test.count", None)
    computed._REGISTRY.pop("test.rate", None)


def _stored(indicator: Indicator) -> dict[dt.date, Decimal]:
    return dict(DataValue.objects.filter(indicator=indicator).values_list("period_start", "value"))


def test_adding_a_computation_makes_a_cohesion_indicator_with_one_value_per_period(world, registered) -> None:
    world.coalition.starts_on = dt.date(2025, 2, 10)
    world.coalition.save()
    indicator = actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY)
    assert (indicator.level, indicator.kind, indicator.computed_by) == ("cohesion", "count", "test.count")
    assert indicator.starts_on == dt.date(2025, 1, 1)
    assert _stored(indicator) == {dt.date(2025, 1, 1): Decimal(3), dt.date(2025, 7, 1): Decimal("7.5")}
    assert CALLS == ["many"]  # the whole series in one call
    assert AuditEvent.objects.filter(verb="indicator.computed_added", object_id=str(indicator.pk)).exists()
    # it reads back like any indicator: the series shows the stored figures
    points = {p.period_start: p.value for p in queries.series(indicator)}
    assert points[dt.date(2025, 7, 1)] == Decimal("7.5")
    # adding it again returns the same indicator
    assert actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY) == indicator


def test_percentages_are_stored_so_every_rule_reads_them_back(world, registered) -> None:
    world.coalition.starts_on = dt.date(2025, 1, 1)
    world.coalition.save()
    indicator = actions.do_add_computed_indicator(world.coalition, "test.rate", world.hub, today=TODAY)
    assert CALLS == ["one", "one", "one"]  # no compute_many: one call per period
    points = {p.period_start: p.value for p in queries.series(indicator)}
    assert points[dt.date(2025, 1, 1)] == Decimal(3)
    assert points[dt.date(2025, 7, 1)] == Decimal("7.5")


def test_refresh_follows_the_records_and_counts_changed_periods(world, registered) -> None:
    world.coalition.starts_on = dt.date(2025, 1, 1)
    world.coalition.save()
    indicator = actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY)
    assert actions.do_refresh_computed(indicator, world.hub, today=TODAY) == 0
    FIGURES[dt.date(2025, 4, 1)] = Decimal(4)
    FIGURES[dt.date(2025, 1, 1)] = None
    try:
        assert actions.do_refresh_computed(indicator, world.hub, today=TODAY) == 2
    finally:
        FIGURES[dt.date(2025, 4, 1)] = None
        FIGURES[dt.date(2025, 1, 1)] = Decimal(3)
    assert _stored(indicator) == {dt.date(2025, 4, 1): Decimal(4), dt.date(2025, 7, 1): Decimal("7.5")}


def test_refreshing_all_takes_the_same_queries_however_long_the_series(world, registered) -> None:
    world.coalition.starts_on = dt.date(2024, 1, 1)
    world.coalition.save()
    indicator = actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY)
    DataValue.objects.filter(indicator=indicator).delete()
    with CaptureQueriesContext(connection) as short:
        actions.do_refresh_all_computed(world.coalition, world.hub, today=TODAY)
    DataValue.objects.filter(indicator=indicator).delete()
    with CaptureQueriesContext(connection) as long:
        actions.do_refresh_all_computed(world.coalition, world.hub, today=dt.date(2027, 12, 1))
    assert len(long) == len(short)


def test_members_cannot_type_over_computed_values(world, registered) -> None:
    indicator = actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY)
    with pytest.raises(actions.EntryErrors):
        actions.do_enter_values(
            hub_access(world.coalition), indicator, world.member_org, indicator.first_period, [entry(5)]
        )
    with pytest.raises(actions.EntryErrors):
        actions.do_enter_values(
            access(world.member, world.coalition), indicator, world.member_org, indicator.first_period, [entry(5)]
        )
    assert not DataValue.objects.filter(indicator=indicator, organisation=world.member_org).exists()


def test_computed_indicators_cannot_be_imported(world, registered) -> None:
    indicator = actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY)
    data = f"indicator,organisation,period,value\n{indicator.name},Member Org,2025-Q1,9\n".encode()
    preview = imports.preview_import(hub_access(world.coalition), data, "values.csv")
    assert not preview.ok
    assert any("computed" in str(e.reason) for e in preview.errors)


def test_unknown_computation_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        actions.do_add_computed_indicator(world.coalition, "nobody.knows", world.hub)
    assert not Indicator.objects.exists()


def test_the_records_organisation_is_not_a_reporter(world, registered) -> None:
    actions.do_add_computed_indicator(world.coalition, "test.count", world.hub, today=TODAY)
    reporters = {o.name for o in queries.reporting_organisations(world.coalition)}
    assert actions.RECORDS_ORGANISATION not in reporters
    assert DataValue.objects.filter(
        organisation__name=actions.RECORDS_ORGANISATION, organisation__is_archived=True
    ).exists()
