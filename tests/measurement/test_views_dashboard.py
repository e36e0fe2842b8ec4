"""The dashboard and indicator figures: scorecard, charts with tables, live values, exports, and the
shared view that never shows a small cell."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.measurement import actions, presenters
from tests.measurement import builders

pytestmark = pytest.mark.django_db
Q1, Q2 = dt.date(2025, 1, 1), dt.date(2025, 4, 1)
# A cold load (first after a write): session, user, access, the cache key's versions, indicators with their
# targets and categories, then one statement per figure (series, per member, option combinations, breakdown
# per table shape, completeness; the shared view also the members' values per period, which its disclosure
# control reads), the header's unread notifications count: the same for 1 or 100 indicators. Warm loads: see
# test_dashboard_cache.py.
DASHBOARD_QUERIES = 21


def dashboard_url(world: Any) -> str:
    return reverse("measurement:dashboard", args=[world.coalition.pk])


def report(world: Any, indicator: Any, organisation: Any, start: dt.date, cells: dict, *, approve: bool = True) -> None:
    hub = builders.hub_access(world.coalition)
    entries = [builders.entry(v, *opts) for opts, v in cells.items()]
    actions.do_enter_values(hub, indicator, organisation, start, entries)
    if approve:
        submission = actions.do_submit_period(hub, indicator, organisation, start)
        actions.do_approve_period(hub, submission)


def shared_sex_indicator(world: Any) -> tuple[Any, int, int]:
    sex = builders.make_category(world.coalition, "Sex")
    indicator = builders.make_indicator(world.coalition, "Children reached", is_shared=True, unit="children")
    hub = builders.hub_access(world.coalition)
    actions.do_set_indicator_categories(hub, indicator, [sex])
    actions.do_set_targets(hub, indicator, {Q1: Decimal(20), Q2: Decimal(30)})
    female, male = builders.options_of(sex)
    return indicator, female, male


def section(page: str, slug: str) -> str:
    start = page.index(f'id="p-{slug}"')
    return page[start : page.index("</section>", start)]


def cells_of(markup: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", markup, re.S)
    ]


def test_empty_dashboard_says_what_to_do(world: Any) -> None:
    page = world.client_for(world.hub).get(dashboard_url(world)).content.decode()
    assert "No indicators yet" in page and "Define an indicator" in page


def test_scorecard_shows_latest_actual_target_variance_and_trend(world: Any) -> None:
    indicator, female, male = shared_sex_indicator(world)
    report(world, indicator, world.member_org, Q1, {(female,): 12, (male,): 10})
    report(world, indicator, world.member_org, Q2, {(female,): 14, (male,): 12})
    page = world.client_for(world.hub).get(dashboard_url(world)).content.decode()
    row = cells_of(page[page.index('<table class="scorecard') : page.index("</table>", page.index("scorecard"))])
    assert "2025-Q2" in row and "26 children" in row and "30" in row and "-4" in row, row
    assert "trend-good" in page and "↑" in page and "1 period" in page  # the arrow and how long it lasted
    assert "Table of values" in page and "Contribution by member" in page and "Breakdown by Sex" in page
    assert "<svg" in page and "<script" not in page.split("</head>")[1]


def test_dashboard_is_live_a_saved_value_shows_on_next_load(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "Meals", is_shared=True)
    client = world.client_for(world.hub)
    first = client.get(dashboard_url(world))
    assert "4321" not in first.content.decode()
    assert "no-cache" in first["Cache-Control"]  # browsers must not show a stale copy either
    report(world, indicator, world.member_org, Q1, {(): 4321}, approve=False)
    assert "4,321" in client.get(dashboard_url(world)).content.decode()
    report(world, indicator, world.member_org, Q2, {(): 5000}, approve=False)
    assert "5,000" in client.get(dashboard_url(world)).content.decode()


def test_member_view_never_shows_a_small_cell_nor_lets_it_be_recomputed(world: Any) -> None:
    indicator, female, male = shared_sex_indicator(world)
    report(world, indicator, world.member_org, Q1, {(female,): 3, (male,): 10})
    page = world.client_for(world.member).get(dashboard_url(world)).content.decode()
    assert "Shared view" in page
    cells = cells_of(section(page, f"breakdown-{indicator.pk}"))
    assert cells[cells.index("Female") + 1] == "x"
    assert cells[cells.index("Male") + 1] == "x"  # hidden too (one mark): the total would give Female away
    assert "3" not in cells and "10" not in cells


def test_hub_sees_raw_numbers_and_can_choose_the_shared_view(world: Any) -> None:
    indicator, female, male = shared_sex_indicator(world)
    report(world, indicator, world.member_org, Q1, {(female,): 3, (male,): 10})
    client = world.client_for(world.hub)
    raw = cells_of(section(client.get(dashboard_url(world)).content.decode(), f"breakdown-{indicator.pk}"))
    assert raw[raw.index("Female") + 1] == "3"
    shared = client.get(dashboard_url(world) + "?view=shared").content.decode()
    cells = cells_of(section(shared, f"breakdown-{indicator.pk}"))
    assert cells[cells.index("Female") + 1] == "x"


def test_member_cannot_ask_for_the_raw_view(world: Any) -> None:
    indicator, female, male = shared_sex_indicator(world)
    report(world, indicator, world.member_org, Q1, {(female,): 3, (male,): 10})
    url = reverse("measurement:indicator", args=[world.coalition.pk, indicator.pk]) + "?view=raw"
    cells = cells_of(section(world.client_for(world.member).get(url).content.decode(), f"breakdown-{indicator.pk}"))
    assert cells[cells.index("Female") + 1] == "x"


def test_shared_view_counts_only_approved_data(world: Any) -> None:
    indicator = builders.make_indicator(world.coalition, "Meals", is_shared=True)
    report(world, indicator, world.member_org, Q1, {(): 777}, approve=False)
    assert "777" not in world.client_for(world.member).get(dashboard_url(world)).content.decode()
    assert "777" in world.client_for(world.hub).get(dashboard_url(world)).content.decode()


def test_exports_of_every_table_and_shared_exports_are_suppressed(world: Any) -> None:
    indicator, female, male = shared_sex_indicator(world)
    report(world, indicator, world.member_org, Q1, {(female,): 3, (male,): 10})
    hub = world.client_for(world.hub)
    scorecard = hub.get(reverse("measurement:export_scorecard", args=[world.coalition.pk]) + "?format=csv")
    assert scorecard["Content-Disposition"].startswith('attachment; filename="scorecard-')
    assert "Children reached" in scorecard.content.decode()
    for table in ("series", "members", "breakdown", "completeness"):
        url = reverse("measurement:export_indicator_table", args=[world.coalition.pk, indicator.pk, table])
        assert hub.get(url + "?format=xlsx").status_code == 200
        assert hub.get(url + "?format=csv").status_code == 200
    url = reverse("measurement:export_indicator_table", args=[world.coalition.pk, indicator.pk, "breakdown"])
    raw = list(csv.reader(io.StringIO(hub.get(url).content.decode("utf-8-sig"))))
    assert ["Female", "3"] in raw
    member = world.client_for(world.member).get(url + "?format=csv")
    assert "-shared-" in member["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(member.content.decode("utf-8-sig"))))
    assert ["Female", "x"] in rows and ["Female", "3"] not in rows
    assert hub.get(url.replace("breakdown", "nonsense")).status_code == 404
    assert hub.get(url + "?format=pdf").status_code == 404


def test_dashboard_query_count_does_not_grow_with_values(world: Any, django_assert_max_num_queries: Any) -> None:
    indicator, female, male = shared_sex_indicator(world)
    for org in (world.member_org, world.other_org):
        report(world, indicator, org, Q1, {(female,): 12, (male,): 10})
        report(world, indicator, org, Q2, {(female,): 14, (male,): 11})
    client = world.client_for(world.hub)
    client.get(dashboard_url(world))
    cache.clear()  # a cold load: the figures are computed
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(dashboard_url(world))


def test_observer_reads_dashboard_and_outsider_gets_404(world: Any) -> None:
    builders.make_indicator(world.coalition, "Meals", is_shared=True)
    assert world.client_for(world.observer).get(dashboard_url(world)).status_code == 200
    assert world.client_for(world.outsider).get(dashboard_url(world)).status_code == 404
    anonymous = world.client_for(None).get(dashboard_url(world))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# --- Suppression in the breakdown table, for any counts ---------------------------------------------


class FakeCategory:
    def __init__(self, name: str, names: list[str]) -> None:
        self.name = name
        self.option_list = [type("Option", (), {"pk": i + 1, "name": n})() for i, n in enumerate(names)]


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    grid=st.lists(st.lists(counts, min_size=1, max_size=3), min_size=1, max_size=4).filter(
        lambda g: len({len(r) for r in g}) == 1
    )
)
def test_shared_breakdown_never_shows_a_small_cell_or_a_way_to_recompute_it(grid: list[list[int]]) -> None:
    rows, cols = FakeCategory("Age", [f"r{i}" for i in range(len(grid))]), None
    categories = [rows]
    if len(grid[0]) > 1:
        cols = FakeCategory("Sex", [f"c{j}" for j in range(len(grid[0]))])
        categories.append(cols)
    cells = {
        ((i + 1, j + 1) if cols else (i + 1,)): Decimal(v) for i, row in enumerate(grid) for j, v in enumerate(row)
    }
    indicator = type("Indicator", (), {"pk": 1, "name": "I", "kind": "count"})()
    table = presenters.breakdown_panel(indicator, presenters.View(shared=True, threshold=5), categories, cells).table
    body = [row[1:] for row in table.rows]
    shown = [*body, table.footer[1:]]
    for row in shown:
        for value in row:
            assert not (isinstance(value, Decimal) and 0 < value < 5), "a small cell is shown"
    # No hidden entry is alone in its row or column: one equation cannot reveal it.
    equations = [*(shown if cols else []), *zip(*shown, strict=True)]  # a single column has no row totals
    for line in equations:
        hidden = [v for v in line if isinstance(v, str)]
        assert len(hidden) != 1, f"{line}: a single hidden entry can be recomputed from the total"


def grow(world: Any, n: int, sex: Any, age: Any) -> None:
    """Add a member organisation and ``n`` shared indicators (one, two or no categories), with values."""
    from tests import factories

    hub = builders.hub_access(world.coalition)
    org = factories.make_stakeholder(world.coalition, f"Member {n} {Q1}", engagement="member")
    factories.add_member(world.coalition, factories.make_user(f"member-{n}-{id(org)}"), ["member"], organisation=org)
    f, m = builders.options_of(sex)
    y, o = builders.options_of(age)
    for k in range(n):
        shape = [[], [sex], [sex, age]][k % 3]
        indicator = builders.make_indicator(world.coalition, f"Grown {n}-{k}", is_shared=True)
        actions.do_set_indicator_categories(hub, indicator, shape)
        actions.do_set_targets(hub, indicator, {Q1: Decimal(10), Q2: Decimal(20)})
        cells = [{(): 9}, {(f,): 4, (m,): 5}, {(f, y): 1, (f, o): 2, (m, y): 3, (m, o): 4}][k % 3]
        for who in (world.member_org, org):
            report(world, indicator, who, Q1, cells)
            report(world, indicator, who, Q2, cells, approve=False)


@pytest.mark.parametrize("shared_view", [False, True])
def test_dashboard_query_count_does_not_grow_with_indicators_or_members(
    world: Any, django_assert_max_num_queries: Any, shared_view: bool
) -> None:
    world.coalition.shared_indicator_limit = 20
    world.coalition.save(update_fields=["shared_indicator_limit"])
    sex = builders.make_category(world.coalition, "Sex")
    age = builders.make_category(world.coalition, "Age", ("Young", "Old"))
    url = dashboard_url(world) + ("?view=shared" if shared_view else "")
    client = world.client_for(world.hub)
    grow(world, 3, sex, age)
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as small:
        assert client.get(url).status_code == 200
    grow(world, 6, sex, age)
    builders.make_indicator(world.coalition, "Not shared, no data")
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as large:
        page = client.get(url).content.decode()
    assert "Grown 6-5" in page and "Not shared, no data" in page
    assert len(large.captured_queries) == len(small.captured_queries), [q["sql"][:90] for q in large.captured_queries]


@pytest.mark.parametrize("members", [3, presenters.MEMBERS_CHARTED + 5])
def test_the_contribution_chart_shows_the_largest_and_the_table_every_member(members: int) -> None:
    organisations = [type("Org", (), {"pk": n, "name": f"Member {n:02d}"})() for n in range(members)]
    contributions = {n: Decimal(n * 7 % members) for n in range(members)}
    indicator = type("Indicator", (), {"pk": 1, "name": "Meals", "kind": "count", "member_aggregation": "sum"})()
    panel = presenters.members_panel(
        indicator, presenters.View(shared=False, threshold=5), organisations, contributions
    )
    assert [row[0] for row in panel.table.rows] == [o.name for o in organisations]  # everyone, by name
    bars = re.findall(r'<desc class="x_label">([^<]+)</desc>', panel.chart)
    shown = min(members, presenters.MEMBERS_CHARTED)
    largest = sorted(contributions, key=lambda n: -contributions[n])[:shown]
    assert len(bars) == shown and set(bars) == {f"Member {n:02d}" for n in largest}
    assert ("largest contributions" in panel.table.note) == (members > shown)
