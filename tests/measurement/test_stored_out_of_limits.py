"""Figures stored before the limits held (issue 12 item 3, the half about existing data): an old raw upsert on
SQLite could keep 1e30 or an infinity, and the member's own entry grid then failed to open. The migration that
ships the checks sets such figures aside, keeping the originals in the audit log, and every page opens again so
the member can enter the value anew."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.measurement import actions, repair
from coalition.measurement.models import DataValue, Target
from tests.measurement.builders import START, entry, hub_access, make_indicator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'sqlite'", reason="only SQLite ever stored such figures"),
]


def _store_raw(table: str, column: str, literal: str) -> None:
    with connection.cursor() as cursor:  # what an old raw upsert could store, bypassing every check
        cursor.execute(f"UPDATE {table} SET {column} = {literal}")  # noqa: S608 - test literals


@pytest.mark.parametrize("stored", ["1e30", "-1e17", "9e999"])
def test_out_of_limit_values_are_set_aside_and_every_page_opens(world: Any, stored: str) -> None:
    indicator = make_indicator(world.coalition, kind="score")
    other = make_indicator(world.coalition, kind="score")
    access = hub_access(world.coalition)
    actions.do_enter_values(access, indicator, world.member_org, START, [entry(5)])
    actions.do_enter_values(access, other, world.member_org, START, [entry(8)])
    _store_raw(DataValue._meta.db_table, "value", f"{stored} WHERE indicator_id = {indicator.pk}")
    grid = reverse("measurement:entry_grid", args=[world.coalition.pk, indicator.pk, "2025-Q1"])
    client = world.client_for(world.member)
    client.raise_request_exception = False
    assert client.get(grid).status_code == 500  # the failure the repair mends

    assert repair.set_aside_out_of_limit_figures() == 1

    assert list(DataValue.objects.values_list("indicator_id", "value")) == [(other.pk, 8)]
    event = AuditEvent.objects.get(verb=repair.VERB)
    assert event.coalition_id == world.coalition.pk and event.object_id
    assert float(event.before["value"]) == float(stored)
    pages = [
        reverse("measurement:dashboard", args=[world.coalition.pk]),
        reverse("measurement:export_scorecard", args=[world.coalition.pk]),
        reverse("measurement:indicator", args=[world.coalition.pk, indicator.pk]),
        grid,
    ]
    for url in pages:
        assert world.client_for(world.member).get(url).status_code == 200, url
    response = world.client_for(world.member).post(grid, {"cell-total": "7", "intent": "save"})
    assert response.status_code == 302
    assert DataValue.objects.get(indicator=indicator).value == 7


def test_out_of_limit_targets_and_bounds_are_set_aside_too(world: Any) -> None:
    indicator = make_indicator(world.coalition, kind="score", min_value=1, max_value=100)
    Target.objects.create(indicator=indicator, period_start=START, value=10)
    _store_raw(Target._meta.db_table, "value", "1e20")
    _store_raw(indicator._meta.db_table, "max_value", "9e999")
    assert repair.set_aside_out_of_limit_figures() == 2
    indicator.refresh_from_db()
    assert indicator.max_value is None and indicator.min_value == 1
    assert not Target.objects.exists()
    assert world.client_for(world.hub).get(
        reverse("measurement:indicator_targets", args=[world.coalition.pk, indicator.pk])
    ).status_code == 200


def test_figures_within_limits_are_left_alone(world: Any) -> None:
    indicator = make_indicator(world.coalition, kind="score")
    actions.do_enter_values(hub_access(world.coalition), indicator, world.member_org, START, [entry("999999999999999.9999")])
    assert repair.set_aside_out_of_limit_figures() == 0
    assert DataValue.objects.count() == 1 and not AuditEvent.objects.filter(verb=repair.VERB).exists()
