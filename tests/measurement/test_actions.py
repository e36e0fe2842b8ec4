"""Defining indicators and entering, reviewing and correcting values: rules, permissions, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.core.models import AuditEvent
from coalition.measurement import actions, queries
from coalition.measurement.models import CategoryOption, DataValue, Indicator, Submission
from tests import factories
from tests.measurement.builders import START, access, entry, hub_access, make_category, make_indicator, options_of

pytestmark = pytest.mark.django_db
Q1, Q2 = START, dt.date(2025, 4, 1)


def test_hub_defines_an_indicator_and_it_is_audited(world) -> None:
    indicator = make_indicator(world.coalition, "Children attending weekly", unit="children", is_shared=True)
    assert indicator.coalition == world.coalition
    event = AuditEvent.objects.get(verb="indicator.created", object_id=str(indicator.pk))
    assert event.after["name"] == "Children attending weekly"


def test_member_cannot_define_indicators(world) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_save_indicator(access(world.member, world.coalition), name="X", starts_on=START)
    assert not Indicator.objects.exists()


def test_shared_indicators_are_limited_to_the_coalition_setting(world) -> None:
    for n in range(3):
        make_indicator(world.coalition, f"Shared {n}", is_shared=True)
    with pytest.raises(ValidationError) as exc:
        make_indicator(world.coalition, "One too many", is_shared=True)
    assert "is_shared" in exc.value.message_dict
    world.coalition.shared_indicator_limit = 4
    world.coalition.save()
    assert make_indicator(world.coalition, "Now allowed", is_shared=True).is_shared


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "money"}, "currency"),
        ({"kind": "count", "currency": "EUR"}, "currency"),
        ({"kind": "percentage", "time_aggregation": "sum"}, "time_aggregation"),
        ({"baseline_value": Decimal(5)}, "baseline_date"),
        ({"baseline_value": Decimal(5), "baseline_date": START, "baseline_not_applicable": True}, "baseline_value"),
        ({"ends_on": dt.date(2024, 1, 1)}, "ends_on"),
    ],
)
def test_inconsistent_definitions_are_refused(world, fields, field) -> None:
    with pytest.raises(ValidationError) as exc:
        make_indicator(world.coalition, **fields)
    assert field in exc.value.message_dict


def test_member_enters_own_values_and_they_count(world) -> None:
    indicator = make_indicator(world.coalition)
    result = actions.do_enter_values(
        access(world.member, world.coalition), indicator, world.member_org, Q1, [entry(12)]
    )
    assert (result.created, result.updated) == (1, 0)
    value = DataValue.objects.get()
    assert (value.value, value.entered_by, value.on_behalf) == (Decimal(12), world.member, False)
    assert AuditEvent.objects.filter(verb="values.entered").count() == 1
    assert queries.series(indicator)[0].value == Decimal(12)


def test_member_cannot_enter_for_another_organisation(world) -> None:
    indicator = make_indicator(world.coalition)
    with pytest.raises(PermissionDenied):
        actions.do_enter_values(access(world.member, world.coalition), indicator, world.other_org, Q1, [entry(5)])
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("persona", ["observer", "facilitator"])
def test_people_without_an_organisation_or_right_cannot_enter(world, persona) -> None:
    indicator = make_indicator(world.coalition)
    with pytest.raises(PermissionDenied):
        actions.do_enter_values(
            access(getattr(world, persona), world.coalition), indicator, world.member_org, Q1, [entry(5)]
        )
    assert not DataValue.objects.exists()


def test_hub_enters_on_behalf_of_a_member_and_it_is_recorded(world) -> None:
    indicator = make_indicator(world.coalition)
    actions.do_enter_values(hub_access(world.coalition), indicator, world.member_org, Q1, [entry(7)])
    assert DataValue.objects.get().on_behalf
    assert AuditEvent.objects.filter(verb="values.entered_on_behalf").exists()


def test_another_coalitions_organisation_is_refused(world) -> None:
    indicator = make_indicator(world.coalition)
    foreign = factories.make_stakeholder(world.other)
    with pytest.raises(PermissionDenied):
        actions.do_enter_values(hub_access(world.coalition), indicator, foreign, Q1, [entry(7)])
    foreign_indicator = make_indicator(world.other)
    with pytest.raises(PermissionDenied):
        actions.do_enter_values(hub_access(world.coalition), foreign_indicator, world.member_org, Q1, [entry(7)])
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    ("kind", "cell", "message"),
    [
        ("count", entry(-1), "negative"),
        ("count", entry("2.5"), "whole number"),
        ("yes_no", entry(2), "1 for yes"),
        ("percentage", entry(numerator=3, denominator=0), "greater than zero"),
        ("percentage", entry(numerator=5, denominator=4), "larger than the denominator"),
        ("percentage", entry(numerator=5), "numerator and a denominator"),
        ("money", entry(-3), "negative"),
    ],
)
def test_values_are_checked_against_the_type(world, kind, cell, message) -> None:
    fields = {"kind": kind}
    if kind == "money":
        fields["currency"] = "EUR"
    if kind == "percentage":
        fields["time_aggregation"] = "latest"
    indicator = make_indicator(world.coalition, **fields)
    with pytest.raises(actions.EntryErrors) as exc:
        actions.do_enter_values(hub_access(world.coalition), indicator, world.member_org, Q1, [cell])
    assert message in " ".join(exc.value.cells[""])
    assert not DataValue.objects.exists()


def test_range_and_period_are_checked(world) -> None:
    indicator = make_indicator(world.coalition, max_value=Decimal(100), ends_on=dt.date(2025, 12, 31))
    hub = hub_access(world.coalition)
    with pytest.raises(actions.EntryErrors, match="above the highest"):
        actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(101)])
    for bad in (dt.date(2024, 10, 1), dt.date(2026, 1, 1), dt.date(2025, 2, 1)):
        with pytest.raises(actions.EntryErrors, match="outside the life"):
            actions.do_enter_values(hub, indicator, world.member_org, bad, [entry(1)])
    assert not DataValue.objects.exists()


def test_percentage_is_computed_from_numerator_and_denominator(world) -> None:
    indicator = make_indicator(world.coalition, kind="percentage", time_aggregation="latest")
    actions.do_enter_values(
        hub_access(world.coalition), indicator, world.member_org, Q1, [entry(numerator=30, denominator=40)]
    )
    assert DataValue.objects.get().value == Decimal(75)


def test_disaggregated_cells_need_one_option_of_each_category(world) -> None:
    sex = make_category(world.coalition)
    age = make_category(world.coalition, "Age band", ("6-9", "10-14"))
    indicator = make_indicator(world.coalition)
    actions.do_set_indicator_categories(hub_access(world.coalition), indicator, [sex, age])
    female, male = options_of(sex)
    young, old = options_of(age)
    hub = hub_access(world.coalition)
    with pytest.raises(actions.EntryErrors) as exc:
        actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(3, female)])
    assert "exactly one option of each category" in exc.value.cells[str(female)][0]
    with pytest.raises(actions.EntryErrors, match="given twice"):
        actions.do_enter_values(
            hub, indicator, world.member_org, Q1, [entry(3, female, young), entry(4, young, female)]
        )
    result = actions.do_enter_values(
        hub, indicator, world.member_org, Q1, [entry(3, female, young), entry(4, male, old), entry(7)]
    )
    assert result.created == 3
    assert queries.by_option(indicator, sex) == {female: Decimal(3), male: Decimal(4)}
    assert queries.series(indicator)[0].value == Decimal(7)  # the direct total, not 7 + 3 + 4


def test_clearing_a_cell_removes_the_value(world) -> None:
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(5)])
    again = actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(5)])
    assert again.unchanged == 1
    cleared = actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(None)])
    assert cleared.deleted == 1 and not DataValue.objects.exists()


def test_review_cycle_submit_approve_lock_and_correct_with_reason(world) -> None:
    indicator = make_indicator(world.coalition)
    member, hub = access(world.member, world.coalition), hub_access(world.coalition)
    with pytest.raises(ValidationError, match="at least one value"):
        actions.do_submit_period(member, indicator, world.member_org, Q1)
    actions.do_enter_values(member, indicator, world.member_org, Q1, [entry(10)])
    submission = actions.do_submit_period(member, indicator, world.member_org, Q1)
    assert submission.state == Submission.State.SUBMITTED
    with pytest.raises(actions.EntryErrors, match="submitted"):
        actions.do_enter_values(member, indicator, world.member_org, Q1, [entry(11)])
    with pytest.raises(PermissionDenied):
        actions.do_approve_period(member, submission)
    submission = actions.do_approve_period(hub, submission)
    assert queries.series(indicator, queries.Scope(approved_only=True))[0].value == Decimal(10)
    submission = actions.do_lock_period(hub, submission)
    with pytest.raises(actions.EntryErrors, match="locked"):
        actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(12)])
    with pytest.raises(actions.EntryErrors, match="Say why"):
        actions.do_correct_values(hub, indicator, world.member_org, Q1, [entry(12)], reason="  ")
    with pytest.raises(PermissionDenied):
        actions.do_correct_values(member, indicator, world.member_org, Q1, [entry(12)], reason="typo")
    actions.do_correct_values(hub, indicator, world.member_org, Q1, [entry(12)], reason="Typo in the school register")
    assert DataValue.objects.get().value == Decimal(12)
    event = AuditEvent.objects.get(verb="values.corrected")
    assert event.note == "Typo in the school register"
    assert (event.before["total"], event.after["total"]) == ("10.0000", "12")


def test_hub_returns_a_submission_with_a_reason(world) -> None:
    indicator = make_indicator(world.coalition)
    member, hub = access(world.member, world.coalition), hub_access(world.coalition)
    actions.do_enter_values(member, indicator, world.member_org, Q1, [entry(10)])
    submission = actions.do_submit_period(member, indicator, world.member_org, Q1)
    with pytest.raises(ValidationError):
        actions.do_return_period(hub, submission, reason="")
    submission = actions.do_return_period(hub, submission, reason="Check March")
    assert submission.state == Submission.State.DRAFT
    actions.do_enter_values(member, indicator, world.member_org, Q1, [entry(9)])
    with pytest.raises(ValidationError, match="cannot be"):
        actions.do_lock_period(hub, submission)


def test_breakdown_cannot_change_once_disaggregated_values_exist(world) -> None:
    sex, age = make_category(world.coalition), make_category(world.coalition, "Age", ("young", "old"))
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(4)])
    actions.do_set_indicator_categories(hub, indicator, [sex])  # totals alone never block a change
    female, male = options_of(sex)
    actions.do_enter_values(hub, indicator, world.member_org, Q2, [entry(3, female), entry(6, male)])
    for change in ([sex, age], [], [age]):
        with pytest.raises(ValidationError, match="refused"):
            actions.do_set_indicator_categories(hub, indicator, change)
    assert list(indicator.categories.all()) == [sex]
    # Adding an option is fine; retiring one keeps its data readable but takes no new values.
    actions.do_save_category(hub, category=sex, name="Sex", options=["Another gender"])
    actions.do_update_option(hub, CategoryOption.objects.get(pk=male), is_active=False)
    assert queries.by_option(indicator, sex)[male] == Decimal(6)
    with pytest.raises(actions.EntryErrors, match="retired"):
        actions.do_enter_values(hub, indicator, world.other_org, Q2, [entry(2, male)])


def test_targets_are_set_per_period_and_audited(world) -> None:
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_set_targets(hub, indicator, {Q1: Decimal(10), Q2: Decimal(20)})
    actions.do_set_targets(hub, indicator, {Q2: None})
    assert list(indicator.targets.values_list("value", flat=True)) == [Decimal(10)]
    with pytest.raises(ValidationError):
        actions.do_set_targets(hub, indicator, {dt.date(2025, 2, 1): Decimal(1)})
    assert AuditEvent.objects.filter(verb="indicator.targets_set").count() == 2


def test_type_and_frequency_are_fixed_once_values_exist(world) -> None:
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_save_indicator(hub, indicator=indicator, frequency="monthly")
    actions.do_enter_values(hub, indicator, world.member_org, Q1, [entry(1)])
    with pytest.raises(ValidationError, match="no longer change"):
        actions.do_save_indicator(hub, indicator=indicator, frequency="quarterly")
    with pytest.raises(ValidationError):
        actions.do_save_indicator(hub, indicator=indicator, starts_on=Q2)
