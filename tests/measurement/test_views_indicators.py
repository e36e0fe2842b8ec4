"""Screens that define indicators, targets and categories: who may use them and what they save."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.measurement.models import CategoryOption, DisaggregationCategory, Indicator, Target
from tests.measurement import builders

pytestmark = pytest.mark.django_db


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"measurement:{name}", kwargs={"coalition_id": world.coalition.pk, **kwargs})


def indicator_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Children reached",
        "definition": "Children attending at least one session.",
        "level": "output",
        "kind": "count",
        "unit": "children",
        "currency": "",
        "direction": "increase",
        "time_aggregation": "sum",
        "member_aggregation": "sum",
        "frequency": "quarterly",
        "data_source": "Attendance registers",
        "owner_organisation": "",
        "owner_group": "",
        "baseline_value": "120",
        "baseline_date": "2024-12-31",
        "min_value": "",
        "max_value": "",
        "order": "0",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_list_shows_shared_indicators_first_then_by_level(world: Any) -> None:
    builders.make_indicator(world.coalition, "Zeta process", level="process")
    builders.make_indicator(world.coalition, "Alpha outcome", level="outcome")
    builders.make_indicator(world.coalition, "Shared one", level="cohesion", is_shared=True)
    page = world.client_for(world.member).get(url(world, "indicators")).content.decode()
    assert page.index("Shared one") < page.index("Alpha outcome") < page.index("Zeta process")
    assert "Define an indicator" not in page  # members cannot define


def test_list_empty_state_tells_the_hub_what_to_do(world: Any) -> None:
    page = world.client_for(world.hub).get(url(world, "indicators")).content.decode()
    assert "No indicators yet" in page
    assert reverse("measurement:indicator_create", kwargs={"coalition_id": world.coalition.pk}) in page


def test_hub_creates_indicator_with_every_field_and_a_breakdown(world: Any) -> None:
    sex = builders.make_category(world.coalition, "Sex")
    response = world.client_for(world.hub).post(
        url(world, "indicator_create"),
        indicator_post(categories=[sex.pk], is_shared="on", owner_organisation=world.member_org.pk),
    )
    indicator = Indicator.objects.get(name="Children reached")
    assert response.status_code == 302
    assert response["Location"] == url(world, "indicator_targets", indicator_id=indicator.pk)
    assert indicator.is_shared and indicator.owner_organisation == world.member_org
    assert indicator.baseline_value == Decimal("120") and indicator.ends_on == dt.date(2026, 12, 31)
    assert list(indicator.categories.all()) == [sex]
    assert AuditEvent.objects.filter(verb="indicator.created", object_id=str(indicator.pk)).exists()


def test_form_shows_the_action_errors_on_the_fields(world: Any) -> None:
    response = world.client_for(world.hub).post(
        url(world, "indicator_create"), indicator_post(kind="percentage", time_aggregation="sum")
    )
    assert response.status_code == 200
    assert "cannot be added up over time" in response.content.decode()
    assert not Indicator.objects.exists()


def test_shared_indicator_limit_is_a_clear_error(world: Any) -> None:
    world.coalition.shared_indicator_limit = 1
    world.coalition.save()
    builders.make_indicator(world.coalition, "Already shared", is_shared=True)
    response = world.client_for(world.hub).post(url(world, "indicator_create"), indicator_post(is_shared="on"))
    assert response.status_code == 200
    assert "already has 1 shared indicators" in response.content.decode()
    assert not Indicator.objects.filter(name="Children reached").exists()


def test_hub_edits_an_indicator(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "Old name")
    client = world.client_for(world.hub)
    form = client.get(url(world, "indicator_edit", indicator_id=indicator.pk)).content.decode()
    assert 'value="Old name"' in form
    response = client.post(
        url(world, "indicator_edit", indicator_id=indicator.pk),
        indicator_post(name="New name", baseline_value="", baseline_date="", baseline_not_applicable="on"),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "New name" and indicator.baseline_not_applicable


def test_targets_form_sets_and_removes_targets(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, ends_on=dt.date(2025, 12, 31))
    client = world.client_for(world.hub)
    page = client.get(url(world, "indicator_targets", indicator_id=indicator.pk)).content.decode()
    assert "2025-Q4" in page and "2026-Q1" not in page
    client.post(
        url(world, "indicator_targets", indicator_id=indicator.pk), {"target_2025_01": "10", "target_2025_04": "20"}
    )
    assert dict(Target.objects.values_list("period_start", "value")) == {
        dt.date(2025, 1, 1): Decimal(10),
        dt.date(2025, 4, 1): Decimal(20),
    }
    client.post(url(world, "indicator_targets", indicator_id=indicator.pk), {"target_2025_01": "10"})
    assert list(Target.objects.values_list("period_start", flat=True)) == [dt.date(2025, 1, 1)]


def test_detail_shows_definition_targets_and_panels(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "Meals served", definition="Hot meals.", unit="meals")
    page = world.client_for(world.observer).get(url(world, "indicator", indicator_id=indicator.pk)).content.decode()
    assert "Hot meals." in page and "Value vs target over time" in page and "Data completeness" in page
    assert "Edit" not in page.split("<main", 1)[1].split("Definition", 1)[0]


def test_archive_keeps_the_indicator_and_hides_it_from_the_list(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "To archive")
    client = world.client_for(world.hub)
    client.post(url(world, "indicator_archive", indicator_id=indicator.pk), {"archived": "1"})
    indicator.refresh_from_db()
    assert indicator.is_archived
    page = client.get(url(world, "indicators")).content.decode()
    assert "1 archived indicator" in page


def test_categories_are_created_renamed_and_options_retired(world: Any) -> None:
    client = world.client_for(world.hub)
    client.post(url(world, "categories"), {"name": "Age band", "options": "0-5\n6-11\n12-17", "order": "0"})
    category = DisaggregationCategory.objects.get(name="Age band")
    assert list(category.options.values_list("name", flat=True)) == ["0-5", "6-11", "12-17"]
    client.post(url(world, "category", category_id=category.pk), {"name": "Age", "options": "18+", "order": "1"})
    category.refresh_from_db()
    assert category.name == "Age" and category.options.count() == 4
    option = category.options.get(name="0-5")
    client.post(url(world, "option", option_id=option.pk), {f"o{option.pk}-name": "Under 6"})
    option.refresh_from_db()
    assert option.name == "Under 6" and not option.is_active


def test_duplicate_category_name_is_shown_on_the_form(world: Any) -> None:
    builders.make_category(world.coalition, "Sex")
    response = world.client_for(world.hub).post(url(world, "categories"), {"name": "sex", "options": "", "order": "0"})
    assert "already a category with this name" in response.content.decode()


@pytest.mark.parametrize("who", ["member", "observer", "facilitator_get"])
def test_only_definers_reach_the_definition_forms(world: Any, who: str) -> None:
    indicator = builders.make_indicator(world.coalition, "Fixed")
    category = builders.make_category(world.coalition, "Sex")
    option = CategoryOption.objects.filter(category=category).first()
    user = world.facilitator if who == "facilitator_get" else getattr(world, who)
    client = world.client_for(user)
    events = AuditEvent.objects.count()
    expected = 200 if who == "facilitator_get" else 403
    assert client.get(url(world, "indicator_create")).status_code == expected
    assert client.get(url(world, "indicator_edit", indicator_id=indicator.pk)).status_code == expected
    assert client.get(url(world, "indicator_targets", indicator_id=indicator.pk)).status_code == expected
    if who != "facilitator_get":
        assert client.post(url(world, "indicator_create"), indicator_post()).status_code == 403
        assert client.post(url(world, "indicator_archive", indicator_id=indicator.pk)).status_code == 403
        assert client.post(url(world, "categories"), {"name": "X", "order": "0"}).status_code == 403
        assert client.post(url(world, "option", option_id=option.pk), {f"o{option.pk}-name": "Y"}).status_code == 403
        assert AuditEvent.objects.count() == events
        assert Indicator.objects.count() == 1 and not Indicator.objects.get().is_archived


def test_anonymous_is_sent_to_login_and_outsider_gets_404(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "Private")
    anonymous = world.client_for(None).get(url(world, "indicator", indicator_id=indicator.pk))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    outsider = world.client_for(world.outsider)
    assert outsider.get(url(world, "indicators")).status_code == 404
    assert outsider.post(url(world, "indicator_create"), indicator_post()).status_code == 404
    assert Indicator.objects.count() == 1
