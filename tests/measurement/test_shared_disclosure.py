"""The shared view's member and period figures, attacked across exports (issue 13, docs/adr/0007).

The attacker here is written independently of ``disclosure``: it reads only the printed tables (the
members export, the period export, the completeness export and the scorecard), and enumerates every
whole-number member × period table that agrees with all of them. A hidden figure, and a member's small
value for a period, must keep a range of at least the protection width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import product
from typing import Any

import pytest

from coalition.coalitions.models import Coalition
from coalition.measurement import actions, disclosure, presenters, queries
from coalition.measurement.models import Indicator, MemberAggregation, TimeAggregation
from coalition.stakeholders.models import Stakeholder
from tests import factories
from tests.measurement.builders import entry, hub_access, make_indicator

pytestmark = pytest.mark.django_db
JUNE, JULY = dt.date(2025, 6, 1), dt.date(2025, 7, 1)
K = 5
REPORTED = {"Approved", "Locked"}


def _member(coalition: Coalition, name: str) -> Stakeholder:
    org = factories.make_stakeholder(coalition, name, engagement="member")
    factories.add_member(coalition, factories.make_user(name.split()[0].lower()), ["member"], organisation=org)
    return org


def _approved(coalition: Coalition, indicator: Indicator, org: Stakeholder, start: dt.date, value: int) -> None:
    hub = hub_access(coalition)
    actions.do_enter_values(hub, indicator, org, start, [entry(value)])
    actions.do_approve_period(hub, actions.do_submit_period(hub, indicator, org, start))


def _shared_tables(coalition: Coalition, indicator: Indicator) -> tuple[dict[str, presenters.Table], Any]:
    view = presenters.View(shared=True, threshold=K)
    organisations = queries.reporting_organisations(coalition)
    tables = presenters.indicator_tables(indicator, view, organisations, dt.date(2025, 8, 15))
    (row,) = queries.scorecard(coalition, view.scope, shared_only=True)
    return tables, row


def _assignments(cells: list[tuple[str, str]], total: int) -> Iterator[dict[tuple[str, str], int]]:
    """Every way of giving the cells whole values ≥ 0 that add up to ``total``."""
    for values in product(range(total + 1), repeat=len(cells)):
        if sum(values) == total:
            yield dict(zip(cells, values, strict=True))


def _attack_sum_of_sums(tables: dict[str, presenters.Table], row: Any) -> dict[Any, set[int]]:
    """For an indicator summed over time and across members: every value each cell and each hidden
    figure can take, given everything printed (a hidden figure is a mark, and so not 0)."""
    completeness = tables["completeness"]
    labels = completeness.header[1:-1]
    cells = [
        (r[0], label)
        for r in completeness.rows
        for label, state in zip(labels, r[1:-1], strict=True)
        if state in REPORTED
    ]
    members = {r[0]: r[1] for r in tables["members"].rows}
    member_total = tables["members"].footer[1]
    series = tables["series"]
    col = {name: series.header.index(name) for name in ("Period", "Value", "To date", "Members reporting")}
    periods = [(r[col["Period"]], r[col["Value"]], r[col["To date"]], r[col["Members reporting"]]) for r in series.rows]
    grand = int(row.to_date)  # the scorecard's figure to date
    possible: dict[Any, set[int]] = {}
    for values in _assignments(cells, grand):

        def fits(shown: Any, figure: int) -> bool:
            return figure != 0 if shown == disclosure.MARK else figure == shown

        by_member = {m: sum(v for (who, _p), v in values.items() if who == m) for m in members}
        by_period = [sum(v for (_m, p), v in values.items() if p == label) for label, *_rest in periods]
        to_date = [sum(by_period[: n + 1]) for n in range(len(periods))]
        if not all(fits(members[m], by_member[m]) for m in members) or not fits(member_total, grand):
            continue
        if not all(
            fits(value, by_period[n]) and fits(so_far, to_date[n]) and count == sum(1 for c in cells if c[1] == label)
            for n, (label, value, so_far, count) in enumerate(periods)
        ):
            continue
        if row.latest is not None and by_period[[p[0] for p in periods].index(row.latest.label)] != row.latest.value:
            continue
        for key, value in values.items():
            possible.setdefault(key, set()).add(value)
        for m, value in by_member.items():
            possible.setdefault(("member", m), set()).add(value)
        for (label, *_rest), value in zip(periods, by_period, strict=True):
            possible.setdefault(("period", label), set()).add(value)
    return possible


def test_issue_13_members_series_and_completeness_exports_together_reveal_nothing(world: Any) -> None:
    """Before: members "City Parks <5, Library <5, total 31", series "June 30 (2 reporting), July 1
    (1 reporting)" and completeness "the library reported only in July" gave Library = 1, City Parks = 3."""
    coalition = world.coalition
    parks, library, food = (_member(coalition, n) for n in ("Parks Department", "Public Library", "Food Bank"))
    indicator = make_indicator(
        coalition,
        "Families helped",
        frequency="monthly",
        starts_on=JUNE,
        is_shared=True,
        kind="count",
        time_aggregation=TimeAggregation.SUM,
        member_aggregation=MemberAggregation.SUM,
    )
    _approved(coalition, indicator, parks, JUNE, 3)
    _approved(coalition, indicator, food, JUNE, 27)
    _approved(coalition, indicator, library, JULY, 1)
    tables, row = _shared_tables(coalition, indicator)
    possible = _attack_sum_of_sums(tables, row)
    truth = {("Parks Department", "2025-06"): 3, ("Food Bank", "2025-06"): 27, ("Public Library", "2025-07"): 1}
    for key, value in truth.items():
        assert value in possible[key], "the true table agrees with what is printed"
    for key in [*truth, ("member", "Parks Department"), ("member", "Public Library")]:
        assert max(possible[key]) - min(possible[key]) >= K, (key, sorted(possible[key]))
    shown = [r[1] for r in tables["members"].rows]
    assert disclosure.MARK in shown, "small contributions are hidden"
