"""The dashboard's figures come from a cache, yet every write shows on the next load, and the shared
view never serves what the raw view cached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from coalition.coalitions import actions as coalition_actions
from coalition.measurement import actions, imports
from coalition.measurement.models import DataVersion, Submission
from tests.measurement import builders
from tests.measurement.test_views_dashboard import dashboard_url, report

pytestmark = pytest.mark.django_db
Q1, Q2 = dt.date(2025, 1, 1), dt.date(2025, 4, 1)
# Session, user, access (membership, roles), the versions, the reporting organisations, the header's unread
# notifications count: nothing else.
WARM_QUERIES = 7


def meals(world: Any) -> Any:
    """A shared indicator, Q1 target 100, one approved Q1 value of 90 (on track within 15 %)."""
    indicator = builders.make_indicator(world.coalition, "Meals", is_shared=True)
    actions.do_set_targets(builders.hub_access(world.coalition), indicator, {Q1: Decimal(100)})
    report(world, indicator, world.member_org, Q1, {(): 90})
    return indicator


def enter(world: Any, indicator: Any) -> None:
    report(world, indicator, world.member_org, Q2, {(): 4321}, approve=False)


def import_file(world: Any, indicator: Any) -> None:
    # (for the second member: the hub's import submits its period for review on its behalf)
    data = f"indicator,period,organisation,value\n{indicator.name},2025-Q2,{world.other_org.name},4321\n".encode()
    batch, preview = imports.do_import_values(builders.hub_access(world.coalition), data, "values.csv")
    assert batch is not None, preview.grouped


def submit(world: Any, indicator: Any) -> None:
    report(world, indicator, world.member_org, Q2, {(): 4321}, approve=False)
    actions.do_submit_period(builders.hub_access(world.coalition), indicator, world.member_org, Q2)


def approve(world: Any, indicator: Any) -> None:
    submission = Submission.objects.get(indicator=indicator, period_start=Q2, organisation=world.member_org)
    actions.do_approve_period(builders.hub_access(world.coalition), submission)


def set_target(world: Any, indicator: Any) -> None:
    actions.do_set_targets(builders.hub_access(world.coalition), indicator, {Q1: Decimal(9876)})


def rename(world: Any, indicator: Any) -> None:
    actions.do_save_indicator(builders.hub_access(world.coalition), indicator=indicator, name="Hot meals served")


def narrow_margin(world: Any, indicator: Any) -> None:
    coalition_actions.do_update_coalition(world.hub, world.coalition, on_track_margin=Decimal(5))


def nothing(world: Any, indicator: Any) -> None:
    pass


@pytest.mark.parametrize(
    ("prepare", "write", "viewer", "expected"),
    [
        pytest.param(nothing, enter, "hub", "4,321", id="entry"),
        pytest.param(nothing, import_file, "hub", "4,321", id="import"),
        pytest.param(submit, approve, "member", "4,321", id="approval"),  # the shared view counts approved only
        pytest.param(nothing, set_target, "hub", "9,876", id="target"),
        pytest.param(nothing, rename, "hub", "Hot meals served", id="indicator-edit"),
        pytest.param(nothing, narrow_margin, "hub", "status-behind", id="coalition-settings"),  # 90 vs 100
    ],
)
def test_a_write_shows_on_the_next_load(
    world: Any, prepare: Callable, write: Callable, viewer: str, expected: str
) -> None:
    indicator = meals(world)
    prepare(world, indicator)
    client = world.client_for(getattr(world, viewer))
    assert expected not in client.get(dashboard_url(world)).content.decode()
    assert expected not in client.get(dashboard_url(world)).content.decode()  # now from the cache
    write(world, indicator)
    assert expected in client.get(dashboard_url(world)).content.decode()


def test_every_measurement_write_raises_the_data_version(world: Any) -> None:
    def version() -> int:
        return DataVersion.objects.filter(coalition=world.coalition).values_list("version", flat=True).first() or 0

    hub = builders.hub_access(world.coalition)
    indicator = meals(world)
    sex = builders.make_category(world.coalition, "Sex")
    first_q1 = Submission.objects.get(indicator=indicator, period_start=Q1)
    writes = [
        lambda: import_file(world, indicator),
        lambda: submit(world, indicator),  # an entry, then the submission
        lambda: approve(world, indicator),
        lambda: actions.do_lock_approved(hub, indicator, Q2),
        lambda: actions.do_correct_values(
            hub, indicator, world.member_org, Q2, [builders.entry(4322)], reason="typing error"
        ),
        lambda: actions.do_return_period(hub, first_q1, reason="check the total"),
        lambda: set_target(world, indicator),
        lambda: rename(world, indicator),
        lambda: actions.do_save_category(hub, name="Age", options=["Young", "Old"]),
        lambda: actions.do_update_option(hub, sex.options.get(name="Male"), name="Men"),
        lambda: actions.do_set_indicator_categories(hub, indicator, [sex]),
        lambda: actions.do_archive_indicator(hub, indicator),
    ]
    for n, write in enumerate(writes):
        before = version()
        write()
        assert version() > before, n
    assert not DataVersion.objects.filter(coalition=world.other).exists()


def test_the_shared_view_never_shows_what_the_raw_view_cached(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "Meals", is_shared=True)
    report(world, indicator, world.member_org, Q1, {(): 777}, approve=False)  # not approved: raw view only
    hub = world.client_for(world.hub)
    assert "777" in hub.get(dashboard_url(world)).content.decode()
    assert "777" not in hub.get(dashboard_url(world) + "?view=shared").content.decode()
    assert "777" not in world.client_for(world.member).get(dashboard_url(world)).content.decode()
    assert "777" in hub.get(dashboard_url(world)).content.decode()  # and the other way round


def test_a_warm_dashboard_costs_a_few_queries(world: Any, django_assert_max_num_queries: Any) -> None:
    sex = builders.make_category(world.coalition, "Sex")
    indicator = meals(world)
    actions.do_set_indicator_categories(builders.hub_access(world.coalition), indicator, [sex])
    female, male = builders.options_of(sex)
    report(world, indicator, world.other_org, Q2, {(female,): 12, (male,): 10})
    client = world.client_for(world.hub)
    cold = client.get(dashboard_url(world)).content.decode()
    with django_assert_max_num_queries(WARM_QUERIES):
        warm = client.get(dashboard_url(world)).content.decode()
    assert "Breakdown by Sex" in warm and "<svg" in warm
    assert warm[warm.index("<h1>") : warm.index("</main>")] == cold[cold.index("<h1>") : cold.index("</main>")]
