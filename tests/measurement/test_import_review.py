"""Imports follow the entry grid's review rule (issue 12 items 4 and 10): a member cannot change a
submitted period by either path; a hub change to an approved period sends it back for review by
either path; a hub import for a member is submitted on its behalf and shows in the review queue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coalition.measurement import actions, imports
from coalition.measurement.models import DataValue, Submission
from tests.measurement.builders import START, access, entry, hub_access, make_indicator

pytestmark = pytest.mark.django_db
State = Submission.State
SUBMITTED_REFUSAL = "This period has been submitted; ask the hub to return it before changing it."


def _file(org: str, value: int) -> bytes:
    return f"indicator,period,organisation,value\nMeals,2025-Q1,{org},{value}\n".encode()


def _stored(org: Any) -> Decimal:
    return DataValue.objects.get(organisation=org).value


@pytest.fixture
def meals(world: Any) -> Any:
    return make_indicator(world.coalition, "Meals")


def _submitted_by_member(world: Any, meals: Any) -> Submission:
    member = access(world.member, world.coalition)
    actions.do_enter_values(member, meals, world.member_org, START, [entry(10)])
    return actions.do_submit_period(member, meals, world.member_org, START)


def test_a_member_cannot_change_a_submitted_period_by_grid_or_import(world: Any, meals: Any) -> None:
    _submitted_by_member(world, meals)
    member = access(world.member, world.coalition)
    with pytest.raises(actions.EntryErrors) as refused:
        actions.do_enter_values(member, meals, world.member_org, START, [entry(11)])
    assert refused.value.general == [SUBMITTED_REFUSAL]
    batch, preview = imports.do_import_values(member, _file("Member Org", 11), "values.csv")
    assert batch is None and [(e.line, e.column, e.reason) for e in preview.errors] == [
        (2, "period", SUBMITTED_REFUSAL)
    ]
    assert _stored(world.member_org) == 10
    # the same value again is no change, so re-importing what was submitted is accepted and changes nothing
    batch, preview = imports.do_import_values(member, _file("Member Org", 10), "values.csv")
    assert batch is not None and preview.unchanged == 1


@pytest.mark.parametrize("path", ["grid", "import"])
def test_a_hub_change_to_an_approved_period_returns_it_for_review(world: Any, meals: Any, path: str) -> None:
    hub = hub_access(world.coalition)
    actions.do_approve_period(hub, _submitted_by_member(world, meals))
    if path == "grid":
        actions.do_enter_values(hub, meals, world.member_org, START, [entry(12)])
    else:
        batch, preview = imports.do_import_values(hub, _file("Member Org", 12), "values.csv")
        assert batch is not None, preview.grouped
        assert preview.returned_for_review == 1
    assert _stored(world.member_org) == 12
    assert Submission.objects.get(organisation=world.member_org).state == State.SUBMITTED


def test_an_unchanged_import_leaves_an_approved_period_approved(world: Any, meals: Any) -> None:
    hub = hub_access(world.coalition)
    actions.do_approve_period(hub, _submitted_by_member(world, meals))
    batch, _preview = imports.do_import_values(hub, _file("Member Org", 10), "values.csv")
    assert batch is not None
    assert Submission.objects.get(organisation=world.member_org).state == State.APPROVED


def test_a_hub_import_for_a_member_is_submitted_on_its_behalf_and_queued(world: Any, meals: Any) -> None:
    hub = hub_access(world.coalition)
    queue = reverse("measurement:review", args=[world.coalition.pk])
    assert "Second Org" not in world.client_for(world.hub).get(queue).content.decode()
    batch, _preview = imports.do_import_values(hub, _file("Second Org", 40), "values.csv")
    assert batch is not None
    value = DataValue.objects.get(organisation=world.other_org)
    assert value.on_behalf and value.import_batch == batch and value.entered_by == world.hub
    submission = Submission.objects.get(organisation=world.other_org)
    assert (submission.state, submission.submitted_by) == (State.SUBMITTED, world.hub)
    page = world.client_for(world.hub).get(queue)
    assert page.status_code == 200 and "Second Org" in page.content.decode()
    actions.do_approve_period(hub, submission)  # and once approved it counts in the shared views
    assert Submission.objects.get(pk=submission.pk).state == State.APPROVED
