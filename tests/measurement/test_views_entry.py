"""Reporting values through the grid, submitting, reviewing and correcting locked periods."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.core.models import AuditEvent
from coalition.measurement import actions, periods
from coalition.measurement.models import DataValue, Submission
from tests.measurement import builders

pytestmark = pytest.mark.django_db
Q1 = "2025-Q1"


def grid_url(world: Any, indicator: Any, period: str = Q1, organisation: Any = None) -> str:
    base = reverse(
        "measurement:entry_grid",
        kwargs={"coalition_id": world.coalition.pk, "indicator_id": indicator.pk, "period": period},
    )
    return f"{base}?organisation={organisation.pk}" if organisation else base


def sex_indicator(world: Any, **fields: Any) -> tuple[Any, list[int]]:
    sex = builders.make_category(world.coalition, "Sex")
    indicator = builders.make_indicator(world.coalition, "Children reached", **fields)
    actions.do_set_indicator_categories(builders.hub_access(world.coalition), indicator, [sex])
    return indicator, builders.options_of(sex)


def values(indicator: Any) -> dict[str, Decimal]:
    return {
        v.combination.key: v.value for v in DataValue.objects.filter(indicator=indicator).select_related("combination")
    }


def test_member_sees_its_indicators_and_periods(world: Any) -> None:
    builders.make_indicator(world.coalition, "Meals served")
    page = world.client_for(world.member).get(reverse("measurement:entry", args=[world.coalition.pk])).content.decode()
    current = periods.label("quarterly", timezone.localdate())
    assert "Reporting for Member Org" in page and "Meals served" in page and current in page


def test_member_enters_a_disaggregated_quarter_in_the_grid(world: Any) -> None:
    indicator, (female, male) = sex_indicator(world)
    client = world.client_for(world.member)
    page = client.get(grid_url(world, indicator)).content.decode()
    assert "Female" in page and "Male" in page and f'name="cell-{female}"' in page
    response = client.post(grid_url(world, indicator), {f"cell-{female}": "12", f"cell-{male}": "9", "intent": "save"})
    assert response.status_code == 302
    assert values(indicator) == {str(female): Decimal(12), str(male): Decimal(9)}
    value = DataValue.objects.filter(indicator=indicator).first()
    assert value.organisation == world.member_org and value.entered_by == world.member and not value.on_behalf


def test_cell_errors_are_shown_per_cell_and_nothing_is_saved(world: Any) -> None:
    indicator, (female, male) = sex_indicator(world)
    response = world.client_for(world.member).post(
        grid_url(world, indicator), {f"cell-{female}": "-3", f"cell-{male}": "lots", "intent": "save"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a number" in page and 'aria-invalid="true"' in page
    assert not DataValue.objects.exists()
    response = world.client_for(world.member).post(
        grid_url(world, indicator), {f"cell-{female}": "-3", f"cell-{male}": "4", "intent": "save"}
    )
    assert "A count cannot be negative." in response.content.decode()
    assert not DataValue.objects.exists()


def test_percentage_grid_takes_numerator_and_denominator(world: Any) -> None:
    indicator = builders.make_indicator(
        world.coalition, "Attendance rate", kind="percentage", time_aggregation="average"
    )
    client = world.client_for(world.member)
    page = client.get(grid_url(world, indicator)).content.decode()
    assert 'name="cell-total-n"' in page
    # each of the two boxes is labelled on screen with its part, not only for screen readers
    assert '<label class="cell-part">Numerator <input type="text" inputmode="decimal" name="cell-total-n"' in page
    assert '<label class="cell-part">Denominator <input type="text" inputmode="decimal" name="cell-total-d"' in page
    response = client.post(grid_url(world, indicator), {"cell-total-n": "5", "cell-total-d": "0", "intent": "save"})
    assert "denominator must be greater than zero" in response.content.decode()
    client.post(grid_url(world, indicator), {"cell-total-n": "5", "cell-total-d": "20", "intent": "save"})
    assert values(indicator) == {"": Decimal("25.0000")}


def test_period_outside_the_indicator_life_is_404(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition)
    client = world.client_for(world.member)
    assert client.get(grid_url(world, indicator, "2024-Q4")).status_code == 404
    assert client.get(grid_url(world, indicator, "not-a-period")).status_code == 404


def test_member_cannot_enter_for_another_organisation(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition)
    client = world.client_for(world.member)
    events = AuditEvent.objects.count()
    assert client.get(grid_url(world, indicator, organisation=world.other_org)).status_code == 403
    response = client.post(
        grid_url(world, indicator), {"organisation": world.other_org.pk, "cell-total": "5", "intent": "save"}
    )
    assert response.status_code == 403
    assert not DataValue.objects.exists() and AuditEvent.objects.count() == events


def test_observer_cannot_reach_entry(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition)
    client = world.client_for(world.observer)
    assert client.get(reverse("measurement:entry", args=[world.coalition.pk])).status_code == 403
    assert client.post(grid_url(world, indicator), {"cell-total": "5"}).status_code == 403
    assert not DataValue.objects.exists()


def test_hub_enters_on_behalf_of_a_member_and_it_is_shown(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition)
    client = world.client_for(world.hub)
    page = client.get(grid_url(world, indicator, organisation=world.other_org)).content.decode()
    assert "on this member&#x27;s behalf" in page or "on this member's behalf" in page
    client.post(grid_url(world, indicator), {"organisation": world.other_org.pk, "cell-total": "7", "intent": "save"})
    value = DataValue.objects.get()
    assert value.organisation == world.other_org and value.on_behalf and value.entered_by == world.hub
    assert AuditEvent.objects.filter(verb="values.entered_on_behalf").exists()


def test_submit_approve_lock_and_correct_with_reason(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition)
    member, hub = world.client_for(world.member), world.client_for(world.hub)
    member.post(grid_url(world, indicator), {"cell-total": "10", "intent": "submit"})
    submission = Submission.objects.get()
    assert submission.state == "submitted"
    # Once submitted, the member can no longer change it.
    refused = member.post(grid_url(world, indicator), {"cell-total": "99", "intent": "save"})
    assert refused.status_code == 200  # the grid again, read-only: nothing to save
    assert DataValue.objects.get().value == 10
    queue = hub.get(reverse("measurement:review", args=[world.coalition.pk])).content.decode()
    assert "Member Org" in queue and Q1 in queue
    decide = reverse("measurement:review_decide", args=[world.coalition.pk, submission.pk])
    assert member.post(decide, {"decision": "approve"}).status_code == 403
    hub.post(decide, {"decision": "approve"})
    hub.post(decide, {"decision": "lock"})
    submission.refresh_from_db()
    assert submission.state == "locked"
    grid = grid_url(world, indicator, organisation=world.member_org)
    assert "Reason for correcting" in hub.get(grid).content.decode()
    response = hub.post(grid, {"organisation": world.member_org.pk, "cell-total": "11", "intent": "correct"})
    assert "Say why" in response.content.decode()
    assert values(indicator) == {"": Decimal(10)}
    hub.post(grid, {"organisation": world.member_org.pk, "cell-total": "11", "reason": "Typo in register"})
    assert values(indicator) == {"": Decimal(11)}
    assert AuditEvent.objects.get(verb="values.corrected").note == "Typo in register"


def test_return_needs_a_reason_and_reopens_the_period(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition)
    world.client_for(world.member).post(grid_url(world, indicator), {"cell-total": "10", "intent": "submit"})
    submission = Submission.objects.get()
    hub = world.client_for(world.hub)
    decide = reverse("measurement:review_decide", args=[world.coalition.pk, submission.pk])
    hub.post(decide, {"decision": "return", "reason": ""})
    submission.refresh_from_db()
    assert submission.state == "submitted"
    hub.post(decide, {"decision": "return", "reason": "Check the boys' count"})
    submission.refresh_from_db()
    assert submission.state == "draft"


def test_blank_cell_removes_a_stored_value(world: Any) -> None:
    indicator, (female, male) = sex_indicator(world)
    client = world.client_for(world.member)
    client.post(grid_url(world, indicator), {f"cell-{female}": "3", f"cell-{male}": "4"})
    client.post(grid_url(world, indicator), {f"cell-{female}": "3", f"cell-{male}": ""})
    assert values(indicator) == {str(female): Decimal(3)}


def test_total_and_breakdown_that_disagree_are_flagged(world: Any) -> None:
    indicator, (female, male) = sex_indicator(world)
    client = world.client_for(world.member)
    client.post(grid_url(world, indicator), {f"cell-{female}": "3", f"cell-{male}": "4", "cell-total": "9"})
    assert "disagree" in client.get(grid_url(world, indicator)).content.decode()
