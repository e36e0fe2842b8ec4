"""Each cohesion figure equals a count made by hand on the fixture built for it (tests/cohesion/fixtures.py),
and the records page lists exactly what each figure counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from coalition.cohesion import figures, records
from coalition.joint_action import calc as ja_calc
from coalition.measurement.computed import computation
from coalition.network import metrics
from tests.cohesion.fixtures import Q1, Q2, Q3, Q4_2024, build

pytestmark = pytest.mark.django_db
SPANS = [Q4_2024, Q1, Q2, Q3]


def series(coalition, key: str) -> dict[dt.date, Decimal | None]:
    found = computation(key)
    assert found is not None
    return found.series(coalition, SPANS)


def by_quarter(values: dict[dt.date, Decimal | None]) -> list[Decimal | None]:
    return [values[first] for first, _last in SPANS]


def test_members_consistently_attending(world) -> None:
    build(world.coalition)
    # Q4 2024 and Q2: no meeting with a register → not measured; Q1: A and B; Q3: C.
    assert by_quarter(series(world.coalition, "cohesion.consistent_attendance")) == [None, 2, None, 1]


def test_charter_signatories_of_the_version_in_force(world) -> None:
    build(world.coalition)
    # Q4 2024: no charter yet; Q1: A, B on v1 (A's two people once, X has no organisation);
    # Q2 and Q3: v2 is in force and only A signed it.
    assert by_quarter(series(world.coalition, "cohesion.charter_signatories")) == [None, 2, 1, 1]


def test_joint_plans_and_actions_completed(world) -> None:
    build(world.coalition)
    assert by_quarter(series(world.coalition, "cohesion.joint_plans")) == [0, 1, 1, 1]
    # a1 done in February; a2 (April) and a6 (June) in Q2; nothing in Q3.
    assert by_quarter(series(world.coalition, "cohesion.actions_completed")) == [0, 1, 2, 0]


def test_follow_through_rate_as_of_each_period_end(world) -> None:
    build(world.coalition)
    # End of Q1: a1 on time, a2 overdue (done only in April) → 1 of 2.
    # End of Q2: a1, a6 on time; a2 late; a3, a4 overdue → 2 of 5. End of Q3: same five → 40 %.
    assert by_quarter(series(world.coalition, "cohesion.follow_through")) == [
        None,
        Decimal("50.00"),
        Decimal("40.00"),
        Decimal("40.00"),
    ]


def test_network_figures_from_the_latest_closed_round(world) -> None:
    build(world.coalition)
    c = world.coalition
    # R0 (Dec 2024): three actors, the only answers from an invited respondent → no tie.
    assert by_quarter(series(c, "cohesion.network_size")) == [3, 4, 4, 4]
    # R1: star of 4 → 3 of 6 pairs; R2: A-B, B-C, C-D, D-A, B-D → 5 of 6 (E declined, left out).
    assert by_quarter(series(c, "cohesion.network_density")) == [
        0,
        Decimal("50.00"),
        Decimal("83.33"),
        Decimal("83.33"),
    ]
    # Star: 100 %. R2 degrees 2,3,2,3: (1+0+1+0) / (3·2) = 33.33 %. R0 (no ties): 0.
    assert by_quarter(series(c, "cohesion.network_centralisation")) == [0, 100, Decimal("33.33"), Decimal("33.33")]
    # The hub A: 3 of 3 others in R1; 2 of 3 in R2; no ties in R0.
    assert by_quarter(series(c, "cohesion.hub_share")) == [0, 100, Decimal("66.67"), Decimal("66.67")]
    # Most central: nobody in R0 (no ties), A in R1, B and D in R2.
    assert by_quarter(series(c, "cohesion.most_central_changed")) == [None, 1, 1, 1]


def test_records_pages_list_what_each_figure_counts(world) -> None:
    built = build(world.coalition)
    c = world.coalition
    found = records.records(c, "cohesion.consistent_attendance", *Q1)
    assert found is not None
    assert [r.label for r in found.counted] == ["A", "B"]
    assert len(found.context) == 4
    found = records.records(c, "cohesion.follow_through", *Q2)
    assert found is not None
    assert sorted(r.label for r in found.counted) == ["a1", "a6"]
    assert sorted(r.label for r in found.context) == ["a1", "a2", "a3", "a4", "a6"]
    assert built.actions["a5"].title not in [r.label for r in found.context]
    found = records.records(c, "cohesion.charter_signatories", *Q1)
    assert found is not None
    assert [r.label for r in found.counted] == ["A", "B"]


def test_a_series_takes_the_same_queries_for_one_period_or_twenty(world) -> None:
    build(world.coalition)
    keys = [
        "cohesion.consistent_attendance",
        "cohesion.charter_signatories",
        "cohesion.follow_through",
        "cohesion.network_density",
    ]
    long = [
        (dt.date(2021 + q // 4, 1 + 3 * (q % 4), 1), dt.date(2021 + q // 4, 1 + 3 * (q % 4), 28)) for q in range(20)
    ]
    for key in keys:
        found = computation(key)
        assert found is not None
        with CaptureQueriesContext(connection) as one:
            found.series(world.coalition, [Q1])
        with CaptureQueriesContext(connection) as many:
            found.series(world.coalition, long)
        assert len(one) == len(many), key


def test_percent_never_divides_by_zero() -> None:
    assert figures.percent(0, 0) is None
    assert figures.percent(1, 3) == Decimal("33.33")


ROW_DATES = st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@st.composite
def action_rows(draw: st.DrawFn) -> figures.ActionRow:
    status = draw(st.sampled_from(["planned", "under_way", "done", "dropped"]))
    return figures.ActionRow(
        draw(st.integers(1, 10**6)), status, draw(ROW_DATES), draw(ROW_DATES) if status == "done" else None
    )


@given(st.lists(action_rows(), max_size=12, unique_by=lambda r: r.pk), ROW_DATES)
def test_follow_through_pick_agrees_with_joint_actions_rule(rows: list[figures.ActionRow], last: dt.date) -> None:
    """The pick equals ``joint_action.calc.follow_through`` run as of the day after ``last`` on each action as
    it stood then (one done after ``last`` was still open)."""
    due, on_time = figures.pick_follow_through(rows, last)
    expected_due, expected_on_time = [], []
    for row in rows:
        later = row.status == "done" and row.completed_on is not None and row.completed_on > last
        state = ja_calc.Commitment("under_way" if later else row.status, row.due_on, None if later else row.completed_on)
        result = ja_calc.follow_through([state], last + dt.timedelta(days=1))
        if result.due:
            expected_due.append(row.pk)
        if result.on_time:
            expected_on_time.append(row.pk)
    assert (due, on_time) == (sorted(expected_due), sorted(expected_on_time))


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=40))
def test_degrees_count_the_pairs_metrics_defines(links: list[tuple[int, int]]) -> None:
    found = figures.degrees(range(6), links)
    inside = [(s, t) for s, t in links if s < 6 and t < 6]
    assert found.ties == len(metrics.undirected_pairs(inside))
