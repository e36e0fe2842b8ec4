"""The shared view's member and period figures, attacked across exports (issue 13, docs/adr/0007).

The attacker here is written independently of ``disclosure``: it reads only the printed tables (the
members export, the period export, the completeness export and the scorecard), and enumerates every
whole-number member × period table that agrees with all of them. A hidden figure, and a member's small
value for a period, must keep a range of at least the protection width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from itertools import product
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from coalition.coalitions.models import Coalition
from coalition.measurement import actions, disclosure, presenters, queries, sharing
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


# --- Random member × period tables with reporting gaps, attacked by an integer programme -------------

GRID = st.integers(2, 4).flatmap(
    lambda members: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 4), st.integers(5, 30)), min_size=3, max_size=3),
        min_size=members,
        max_size=members,
    )
)
MONTHS = [dt.date(2025, m, 1) for m in (5, 6, 7)]


def _figures(grid: list[list[int | None]], time_rule: TimeAggregation) -> tuple[list, dict, dict]:
    """The printed figures by the rules of ADR 0006, each as (its cells with coefficients, value)."""
    cells = {(m, p): v for m, row in enumerate(grid) for p, v in enumerate(row) if v is not None}
    members = {}
    for m in range(len(grid)):
        own = sorted(p for mm, p in cells if mm == m)
        if own:
            chosen = own[-1:] if time_rule == TimeAggregation.LATEST else own
            members[m] = {(m, p): 1.0 for p in chosen}
    periods = []
    for p in sorted({p for _m, p in cells}):
        if time_rule == TimeAggregation.LATEST:  # each member's last cell at or before p
            row = {}
            for m in members:
                earlier = [q for mm, q in cells if mm == m and q <= p]
                if earlier:
                    row[(m, max(earlier))] = 1.0
        else:
            row = {(m, p): 1.0 for m in range(len(grid)) if (m, p) in cells}
        periods.append((p, row))
    return periods, members, cells


def _value(row: dict, cells: dict) -> float:
    return sum(c * cells[k] for k, c in row.items())


def _milp_range(
    objective: dict, equal: list[tuple[dict, float]], at_least_one: list[dict], keys: list
) -> tuple[int, int]:
    index = {k: n for n, k in enumerate(keys)}

    def vector(row: dict) -> np.ndarray:
        out = np.zeros(len(keys))
        for k, c in row.items():
            out[index[k]] += c
        return out

    rows = [vector(r) for r, _v in equal] + [vector(r) for r in at_least_one]
    lows = [v for _r, v in equal] + [1.0] * len(at_least_one)
    highs = [v for _r, v in equal] + [np.inf] * len(at_least_one)
    constraint = LinearConstraint(np.array(rows), lows, highs)
    found = []
    for sign in (1, -1):
        result = milp(
            sign * vector(objective), constraints=constraint, integrality=np.ones(len(keys)), bounds=Bounds(0, np.inf)
        )
        assert result.status == 0, "the true table is a solution"
        found.append(round(sign * result.fun))
    return found[0], found[1]


@settings(max_examples=40, deadline=None)
@given(grid=GRID, time_rule=st.sampled_from([TimeAggregation.SUM, TimeAggregation.LATEST, TimeAggregation.AVERAGE]))
def test_member_and_period_figures_cannot_be_narrowed_whatever_the_gaps(grid, time_rule) -> None:
    periods, members, cells = _figures(grid, time_rule)
    if not cells:
        return
    # The figures as the app computes them (queries), restated here only to hand them over.
    values = [_value(row, cells) for _p, row in periods]
    so_far = [
        values[n]
        if time_rule == TimeAggregation.LATEST
        else sum(values[: n + 1]) / (1 if time_rule == TimeAggregation.SUM else n + 1)
        for n in range(len(values))
    ]
    points = [
        queries.PeriodPoint(MONTHS[p], "", Decimal(str(v)), Decimal(str(t)), 0, None)
        for (p, _row), v, t in zip(periods, values, so_far, strict=True)
    ]
    contributions = {
        m: Decimal(str(_value(row, cells) / (len(row) if time_rule == TimeAggregation.AVERAGE else 1)))
        for m, row in members.items()
    }
    indicator = Indicator(time_aggregation=time_rule, member_aggregation=MemberAggregation.SUM)
    latest = periods[-1][0]
    hidden = sharing.hidden_figures(
        indicator,
        points,
        contributions,
        {(m, MONTHS[p]): Decimal(v) for (m, p), v in cells.items()},
        MONTHS[latest],
        K,
        K,
    )
    # What the attacker reads: every shown figure; the scorecard's latest value and the value to date.
    average = time_rule == TimeAggregation.AVERAGE
    figures: list[tuple[Any, dict, float, bool]] = []  # label, row, value, hidden
    for n, (p, row) in enumerate(periods):
        figures.append((("period", p), row, values[n], MONTHS[p] in hidden.periods and p != latest))
        if time_rule != TimeAggregation.LATEST:
            scale = 1 / (n + 1) if average else 1.0
            running = {}
            for _q, r in periods[: n + 1]:
                for k, c in r.items():
                    running[k] = running.get(k, 0.0) + c * scale
            figures.append((("to_date", p), running, so_far[n], MONTHS[p] in hidden.to_date and n != len(periods) - 1))
    for m, row in members.items():
        scaled = {k: c / len(row) for k, c in row.items()} if average else row
        figures.append((("member", m), scaled, float(contributions[m]), m in hidden.members))
    total = {
        k: c
        for _m, row in members.items()
        for k, c in ({kk: cc / len(row) for kk, cc in row.items()} if average else row).items()
    }
    figures.append((("total",), total, sum(float(v) for v in contributions.values()), hidden.total and average))
    if hidden.withheld:
        return
    equal = [(row, value) for _l, row, value, is_hidden in figures if not is_hidden]
    whole_hidden = [row for _l, row, _v, is_hidden in figures if is_hidden and not average]
    keys = sorted(cells)
    for label, row, _shown, is_hidden in figures:
        if is_hidden and not average:
            low, high = _milp_range(row, equal, whole_hidden, keys)
            assert high - low >= K, (label, low, high, grid)
    for key, value in cells.items():
        if 0 < value < K:
            low, high = _milp_range({key: 1.0}, equal, whole_hidden, keys)
            assert high - low >= K, (key, low, high, grid)
