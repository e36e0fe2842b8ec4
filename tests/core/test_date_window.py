"""Every date a person enters falls in the coalition's window of years (issue 12, item 6).

Before: a workplan task from 0001-01-01 to 9999-12-31 was accepted (and made the workplan page
enormous); an indicator ending 9999-12-31 was accepted and its targets page answered 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalition.coalitions import actions as coalition_actions
from coalition.coalitions.models import Coalition
from coalition.core.dates import DateWindow, check_dates
from coalition.joint_action import actions as ja_actions
from coalition.joint_action.models import WorkplanTask
from coalition.measurement.models import Indicator
from coalition.planning import actions as planning_actions
from coalition.stakeholders import actions as stakeholder_actions
from tests.joint_action import builders as ja
from tests.measurement.builders import make_indicator
from tests.planning.factories import hub_access

YEAR_ONE = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)
TODAY = dt.date.today()


def test_a_new_coalition_covers_five_years_back_to_ten_ahead(world: Any) -> None:
    coalition = Coalition.objects.get(pk=world.coalition.pk)
    assert (coalition.first_year, coalition.last_year) == (TODAY.year - 5, TODAY.year + 10)
    window = coalition.date_window
    assert window.first == dt.date(TODAY.year - 5, 1, 1) and window.last == dt.date(TODAY.year + 10, 12, 31)
    assert window.first in window and window.last in window
    assert window.first - dt.timedelta(days=1) not in window and window.last + dt.timedelta(days=1) not in window


def test_check_dates_names_each_field_outside() -> None:
    window = DateWindow.for_years(2020, 2030)
    check_dates(window, a=dt.date(2020, 1, 1), b=dt.date(2030, 12, 31), c=None)  # edges and empty pass
    with pytest.raises(ValidationError) as caught:
        check_dates(window, a=dt.date(2019, 12, 31), b=dt.date(2025, 6, 1), c=dt.date(2031, 1, 1))
    assert set(caught.value.message_dict) == {"a", "c"}


def _plan(world: Any, day: dt.date) -> Any:
    return ja_actions.do_save_plan(world.hub, world.coalition, title="Plan", starts_on=day, ends_on=None)


def _action(world: Any, day: dt.date) -> Any:
    return ja.action(world.coalition, starts_on=TODAY, due_on=day)


def _activity(world: Any, day: dt.date) -> Any:
    return ja.member_activity(world.coalition, starts_on=TODAY, ends_on=day)


def _workplan(world: Any, day: dt.date) -> Any:
    return ja_actions.do_start_workplan(world.hub, world.coalition, day)


def _task(world: Any, day: dt.date) -> Any:
    workplan = ja.workplan_task(world.coalition).workplan
    return ja_actions.do_save_task(world.hub, workplan, title="Task", starts_on=TODAY, due_on=day)


def _indicator(world: Any, day: dt.date) -> Any:
    return make_indicator(world.coalition, starts_on=dt.date(TODAY.year, 1, 1), ends_on=day)


def _assessment(world: Any, day: dt.date) -> Any:
    return planning_actions.do_save_assessment(
        hub_access(world.coalition), held_on=day, key_findings="", challenges="", opportunities=""
    )


def _interview(world: Any, day: dt.date) -> Any:
    return stakeholder_actions.do_record_interview(world.hub, world.member_org, held_on=day, summary="Talked")


def _coalition(world: Any, day: dt.date) -> Any:
    return coalition_actions.do_update_coalition(world.hub, world.coalition, starts_on=day)


WRITES: dict[str, tuple[Callable[[Any, dt.date], Any], str]] = {
    "plan": (_plan, "starts_on"),
    "action": (_action, "due_on"),
    "member activity": (_activity, "ends_on"),
    "workplan": (_workplan, "starts_on"),
    "workplan task": (_task, "due_on"),
    "indicator": (_indicator, "ends_on"),
    "assessment": (_assessment, "held_on"),
    "interview": (_interview, "held_on"),
    "coalition": (_coalition, "starts_on"),
}


@pytest.mark.parametrize("name", WRITES)
def test_every_dated_write_refuses_dates_outside_the_window(world: Any, name: str) -> None:
    write, field = WRITES[name]
    too_early = dt.date(TODAY.year - 6, 12, 31)  # one day before the window opens
    for day in (YEAR_ONE, too_early, LAST_DAY):
        with pytest.raises(ValidationError) as caught:
            write(world, day)
        assert field in caught.value.message_dict, (name, day)
    write(world, dt.date(TODAY.year - 5, 1, 1) if name in ("assessment", "interview") else TODAY)  # inside: fine


def test_workplan_form_shows_the_window_error_and_saves_nothing(world: Any, hub_client: Any) -> None:
    ja.workplan_task(world.coalition)
    count = WorkplanTask.objects.count()
    url = reverse("joint_action:task_new", args=[world.coalition.pk])
    response = hub_client.post(url, {"title": "Forever", "starts_on": "0001-01-01", "due_on": "9999-12-31"})
    assert response.status_code == 200
    assert "Choose a date between" in response.content.decode()
    assert WorkplanTask.objects.count() == count


def test_indicator_form_refuses_an_end_in_year_9999(world: Any, hub_client: Any) -> None:
    indicator = make_indicator(world.coalition, starts_on=dt.date(TODAY.year, 1, 1))
    url = reverse("measurement:indicator_edit", args=[world.coalition.pk, indicator.pk])
    page = hub_client.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None and not isinstance(v, list)}
    response = hub_client.post(url, {**data, "ends_on": "9999-12-31"})
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert indicator.ends_on is None


def test_pages_stay_bounded_with_records_saved_before_the_window(world: Any, hub_client: Any) -> None:
    task = ja.workplan_task(world.coalition)
    WorkplanTask.objects.filter(pk=task.pk).update(starts_on=YEAR_ONE, due_on=LAST_DAY)
    response = hub_client.get(reverse("joint_action:workplan", args=[world.coalition.pk]))
    assert response.status_code == 200
    # The chart has one column per week of the window at most: 16 years ≈ 835 weeks (not 521,000).
    assert len(response.content) < 3_000_000

    indicator = make_indicator(world.coalition, starts_on=dt.date(TODAY.year, 1, 1), frequency="annual")
    Indicator.objects.filter(pk=indicator.pk).update(starts_on=YEAR_ONE, ends_on=LAST_DAY)
    response = hub_client.get(reverse("measurement:indicator_targets", args=[world.coalition.pk, indicator.pk]))
    assert response.status_code == 200
    years = {int(name[len("target_") :][:4]) for name in response.context["form"].fields}
    # Annual periods clamped to the window: from 5 years back to 10 years ahead, nothing outside.
    assert min(years) >= TODAY.year - 5 and max(years) <= TODAY.year + 10


def test_the_window_is_a_setting_with_sensible_bounds(world: Any) -> None:
    updated = coalition_actions.do_update_coalition(world.hub, world.coalition, first_year=2000, last_year=2040)
    assert updated.date_window == DateWindow(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
    world.coalition = updated
    _plan(world, dt.date(2000, 1, 1))  # now inside
    for first, last in ((2030, 2020), (1990, 2100), (1, 9999)):
        with pytest.raises(ValidationError):
            coalition_actions.do_update_coalition(world.hub, world.coalition, first_year=first, last_year=last)


def test_settings_page_offers_the_window(world: Any, hub_client: Any) -> None:
    body = hub_client.get(reverse("coalitions:settings", args=[world.coalition.pk])).content.decode()
    assert 'name="first_year"' in body and 'name="last_year"' in body


def test_imports_keep_values_inside_the_window_even_for_an_old_open_ended_indicator(world: Any) -> None:
    from coalition.measurement import imports

    indicator = make_indicator(world.coalition, "Meals served", starts_on=dt.date(TODAY.year, 1, 1), frequency="annual")
    Indicator.objects.filter(pk=indicator.pk).update(starts_on=YEAR_ONE, ends_on=None)  # saved before the window
    data = (
        "indicator,period,organisation,value\n"
        f"Meals served,{TODAY.year},Member Org,5\n"
        "Meals served,0005,Member Org,5\n"
        f"Meals served,{TODAY.year + 11},Member Org,5\n"
    ).encode()
    preview = imports.preview_import(hub_access(world.coalition), data, "values.csv")
    assert preview.created == 1
    assert sorted(e.line for e in preview.errors) == [3, 4]  # year 5 and one year past the window
