"""Refused measurement writes with bodies that would be accepted change nothing (no audit event, no row),
including a member posting values for another organisation (the ``OWN_ORGANISATION`` rule). Who may open
which screen is the generated matrix in ``tests/test_authorization_matrix.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.measurement import actions
from coalition.measurement.models import (
    CategoryOption,
    DataValue,
    DisaggregationCategory,
    Indicator,
    Submission,
    Target,
)
from tests.measurement import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world: Any) -> dict[str, Any]:
    category = builders.make_category(world.coalition, "Sex")
    indicator = builders.make_indicator(world.coalition, "Meals", is_shared=True)
    hub = builders.hub_access(world.coalition)
    world.member_org.refresh_from_db()
    actions.do_enter_values(hub, indicator, world.member_org, builders.START, [builders.entry(6)])
    submission = actions.do_submit_period(hub, indicator, world.member_org, builders.START)
    return {
        "indicator_id": indicator.pk,
        "category_id": category.pk,
        "option_id": category.options.first().pk,
        "submission_id": submission.pk,
        "period": "2025-Q1",
        "table": "series",
    }


def route(world: Any, name: str, keys: set[str] | dict, objects: dict[str, Any]) -> str:
    return reverse(f"measurement:{name}", kwargs={"coalition_id": world.coalition.pk, **{k: objects[k] for k in keys}})


def state(world: Any) -> tuple:
    return (
        AuditEvent.objects.count(),
        list(Indicator.objects.values_list("name", "is_archived", "is_shared")),
        Target.objects.count(),
        list(DisaggregationCategory.objects.values_list("name", flat=True)),
        list(CategoryOption.objects.values_list("name", "is_active")),
        list(DataValue.objects.values_list("value", flat=True)),
        list(Submission.objects.values_list("state", flat=True)),
    )


def writes(objects: dict[str, Any]) -> list[tuple[str, set[str], dict[str, Any]]]:
    option = objects["option_id"]
    return [
        ("indicator_create", set(), {"name": "X", "kind": "count", "starts_on": "2025-01-01"}),
        ("indicator_edit", {"indicator_id"}, {"name": "Renamed", "starts_on": "2025-01-01"}),
        ("indicator_targets", {"indicator_id"}, {"target_2025_01": "5"}),
        ("indicator_archive", {"indicator_id"}, {"archived": "1"}),
        ("categories", set(), {"name": "Age", "options": "0-5", "order": "0"}),
        ("category", {"category_id"}, {"name": "Gender", "options": "", "order": "0"}),
        ("option", {"option_id"}, {f"o{option}-name": "Renamed"}),
        ("review_decide", {"submission_id"}, {"decision": "approve"}),
    ]


@pytest.mark.parametrize("role", ["observer", "member", "outsider", "anonymous"])
def test_refused_writes_change_nothing(world: Any, objects: dict[str, Any], role: str) -> None:
    client = world.client_for(None if role == "anonymous" else getattr(world, role))
    before = state(world)
    for name, keys, data in writes(objects):
        response = client.post(route(world, name, keys, objects), data)
        expected = {"observer": 403, "member": 403, "outsider": 404, "anonymous": 302}[role]
        assert response.status_code == expected, name
    grid = route(world, "entry_grid", {"indicator_id", "period"}, objects)
    response = client.post(grid, {"organisation": world.other_org.pk, "cell-total": "9", "intent": "save"})
    assert response.status_code in (302, 403, 404)
    assert state(world) == before
