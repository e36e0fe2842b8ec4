"""The cohesion pages: what each persona sees and may do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coalition.measurement.models import DataValue, Indicator
from tests.cohesion.fixtures import Q1, build

pytestmark = pytest.mark.django_db


def test_hub_adds_a_computed_indicator_and_members_see_its_values_linked_to_records(world) -> None:
    build(world.coalition)
    world.coalition.starts_on = dt.date(2025, 1, 1)
    world.coalition.save()
    url = reverse("cohesion:indicators", args=[world.coalition.pk])
    hub = world.client_for(world.hub)
    response = hub.post(url, {"key": "cohesion.follow_through"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(coalition=world.coalition, computed_by="cohesion.follow_through")
    assert DataValue.objects.filter(indicator=indicator, period_start=Q1[0]).get().value == 50
    page = world.client_for(world.member).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Follow-through rate" in text
    assert "records/?key=cohesion.follow_through&amp;first=" in text  # the last periods, each linked


def test_member_cannot_add_computed_indicators(world) -> None:
    url = reverse("cohesion:indicators", args=[world.coalition.pk])
    assert world.client_for(world.member).post(url, {"key": "cohesion.joint_plans"}).status_code == 403
    assert not Indicator.objects.exists()


def test_records_page_lists_what_the_figure_counts(world) -> None:
    build(world.coalition)
    url = reverse("cohesion:records", args=[world.coalition.pk])
    response = world.client_for(world.member).get(
        url, {"key": "cohesion.consistent_attendance", "first": Q1[0].isoformat(), "last": Q1[1].isoformat()}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "<span data-figure>2</span>" in text
    assert "Records counted (2)" in text


@pytest.mark.parametrize(
    "params",
    [{}, {"key": "nope", "first": "2025-01-01", "last": "2025-03-31"}, {"key": "cohesion.joint_plans", "first": "x"}],
)
def test_bad_records_links_answer_400(world, params) -> None:
    url = reverse("cohesion:records", args=[world.coalition.pk])
    assert world.client_for(world.member).get(url, params).status_code == 400
