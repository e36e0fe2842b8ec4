"""Property tests for the pure measurement arithmetic (aggregation, targets, status, trend, suppression)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.measurement import calc
from coalition.measurement.calc import Status

AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
SIGNED = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(AMOUNTS, min_size=1, max_size=30))
def test_sum_of_cells_equals_total(cells: list[Decimal]) -> None:
    assert calc.member_value(None, cells) == calc.q(sum(cells))
    assert calc.over_time(calc.SUM, cells) == calc.across_members(calc.SUM, cells) == calc.q(sum(cells))


@given(st.lists(AMOUNTS, min_size=1, max_size=30), AMOUNTS)
def test_a_direct_total_is_never_added_to_its_breakdown(cells: list[Decimal], total: Decimal) -> None:
    assert calc.member_value(total, cells) == total
    check = calc.consistency(total, cells)
    assert check.consistent == (calc.q(total) == calc.q(sum(cells)))
    assert check.difference == calc.q(total - sum(cells))


@given(st.lists(st.one_of(st.none(), AMOUNTS), max_size=30))
def test_average_and_latest_rules(values: list[Decimal | None]) -> None:
    present = [v for v in values if v is not None]
    if not present:
        assert calc.over_time(calc.AVERAGE, values) is None
        assert calc.over_time(calc.LATEST, values) is None
        return
    average = calc.over_time(calc.AVERAGE, values)
    assert min(present) - Decimal("0.0001") <= average <= max(present) + Decimal("0.0001")
    assert calc.over_time(calc.LATEST, values) == calc.q(present[-1])
    assert calc.across_members(calc.MAX, values) == calc.q(max(present))


@given(AMOUNTS, st.one_of(st.none(), st.just(Decimal(0)), AMOUNTS))
def test_percentage_never_divides_by_zero(numerator: Decimal, denominator: Decimal | None) -> None:
    result = calc.percentage(numerator, denominator)
    if not denominator:
        assert result is None
    else:
        assert result == calc.q(numerator * 100 / denominator)


@given(st.lists(st.tuples(AMOUNTS, st.one_of(st.just(Decimal(0)), AMOUNTS)), max_size=20))
def test_pooled_percentage_across_members(pairs: list[tuple[Decimal, Decimal]]) -> None:
    pooled = calc.ratio_across_members(calc.SUM, pairs)
    total_denominator = sum((d for _n, d in pairs), Decimal(0))
    if not total_denominator:
        assert pooled is None
    else:
        assert pooled == calc.percentage(sum((n for n, _d in pairs), Decimal(0)), total_denominator)
    shares = [calc.percentage(n, d) for n, d in pairs if d]
    assert calc.ratio_across_members(calc.MAX, pairs) == (max(shares) if shares else None)
    mean = calc.ratio_across_members(calc.AVERAGE, pairs)
    assert mean == (calc.q(sum(shares) / len(shares)) if shares else None)


@given(st.lists(AMOUNTS, min_size=1, max_size=12))
def test_life_of_effort_target(targets: list[Decimal]) -> None:
    assert calc.life_target(calc.SUM, targets) == calc.q(sum(targets))
    assert calc.life_target(calc.LATEST, targets) == calc.q(targets[-1])


@given(SIGNED, SIGNED.filter(lambda t: t != 0), st.integers(min_value=0, max_value=50))
def test_status_reads_the_margin_the_right_way(actual: Decimal, target: Decimal, margin: int) -> None:
    up = calc.status(actual, target, calc.INCREASE, Decimal(margin))
    down = calc.status(actual, target, calc.DECREASE, Decimal(margin))
    band = abs(target) * margin / Decimal(100)
    within = abs(actual - target) <= band
    assert (up == Status.ON_TRACK) == within == (down == Status.ON_TRACK)
    if not within:
        # Above the band is good when the indicator should increase, bad when it should decrease.
        assert (up == Status.AHEAD) == (actual > target) == (down == Status.BEHIND)


def test_status_examples() -> None:
    margin = Decimal(15)
    assert calc.status(Decimal(90), Decimal(100), calc.INCREASE, margin) == Status.ON_TRACK
    assert calc.status(Decimal(80), Decimal(100), calc.INCREASE, margin) == Status.BEHIND
    assert calc.status(Decimal(80), Decimal(100), calc.DECREASE, margin) == Status.AHEAD
    assert calc.status(Decimal(120), Decimal(100), calc.DECREASE, margin) == Status.BEHIND
    assert calc.status(None, Decimal(100), calc.DECREASE, margin) == Status.UNKNOWN
    assert calc.progress(Decimal(50), Decimal(200)) == Decimal(25)
    assert calc.progress(Decimal(50), Decimal(25), calc.DECREASE) == Decimal(50)
    assert calc.progress(Decimal(5), Decimal(0)) is None


@given(st.lists(SIGNED, min_size=2, max_size=20), st.sampled_from([calc.INCREASE, calc.DECREASE]))
def test_trend_counts_how_long_the_latest_movement_lasted(values: list[Decimal], direction: str) -> None:
    result = calc.trend(values, direction)
    steps = [calc._step(a, b) for a, b in zip(values, values[1:], strict=False)]
    assert result.direction == steps[-1]
    assert 1 <= result.periods <= len(steps)
    assert all(s == result.direction for s in steps[-result.periods :])
    if result.periods < len(steps):
        assert steps[-result.periods - 1] != result.direction
    if result.direction != "flat":
        assert result.good == ((result.direction == "up") == (direction == calc.INCREASE))


def test_trend_examples() -> None:
    t = calc.trend([Decimal(x) for x in (5, 3, 4, 6, 9)], calc.DECREASE)
    assert (t.direction, t.periods, t.good, t.arrow) == ("up", 3, False, "↑")
    assert calc.trend([Decimal(1)]).periods == 0


# --- Suppression --------------------------------------------------------------------------------


def _extended(table: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in table]
    return [*rows, [sum(col) for col in zip(*rows, strict=True)]]


def _determined(extended: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden entries whose value follows from the shown entries and the row/column equations
    (any linear combination, not only a single subtraction): e_i lies in the row space."""
    variables = sorted(hidden)
    index = {v: i for i, v in enumerate(variables)}
    n_rows, n_cols = len(extended), len(extended[0])
    equations: list[list[Fraction]] = []
    for r in range(n_rows):  # cells of the row minus its total = 0
        eq = [Fraction(0)] * len(variables)
        for c in range(n_cols):
            if (r, c) in index:
                eq[index[(r, c)]] += -1 if c == n_cols - 1 else 1
        equations.append(eq)
    for c in range(n_cols):
        eq = [Fraction(0)] * len(variables)
        for r in range(n_rows):
            if (r, c) in index:
                eq[index[(r, c)]] += -1 if r == n_rows - 1 else 1
        equations.append(eq)
    # Row-reduce, then a variable is determined iff its unit vector is in the span.
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    for eq in equations:
        vec = eq[:]
        for b, p in zip(basis, pivots, strict=True):
            if vec[p]:
                factor = vec[p]
                vec = [x - factor * y for x, y in zip(vec, b, strict=True)]
        lead = next((i for i, x in enumerate(vec) if x), None)
        if lead is None:
            continue
        vec = [x / vec[lead] for x in vec]
        for k, b in enumerate(basis):
            if b[lead]:
                factor = b[lead]
                basis[k] = [x - factor * y for x, y in zip(b, vec, strict=True)]
        basis.append(vec)
        pivots.append(lead)
    found = set()
    for var, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(variables))]
        for b, p in zip(basis, pivots, strict=True):
            if unit[p]:
                factor = unit[p]
                unit = [x - factor * y for x, y in zip(unit, b, strict=True)]
        if not any(unit):
            found.add(var)
    return found


TABLES = st.integers(min_value=1, max_value=4).flatmap(
    lambda cols: st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=cols, max_size=cols), min_size=1, max_size=4
    )
)


@settings(max_examples=300, deadline=None)
@given(TABLES, st.integers(min_value=2, max_value=11))
def test_no_hidden_value_can_be_recomputed_from_what_is_shown(table: list[list[int]], k: int) -> None:
    result = calc.suppress(table, k)
    extended = _extended(table)
    shown = [[*row, total] for row, total in zip(result.cells, result.row_totals, strict=True)]
    shown.append([*result.column_totals, result.total])
    hidden = {(r, c) for r, row in enumerate(shown) for c, cell in enumerate(row) if cell.hidden}
    for r, row in enumerate(shown):
        for c, cell in enumerate(row):
            small = 0 < extended[r][c] < k
            assert cell.primary == small, "every small entry (and only those) is a primary suppression"
            if not cell.hidden:
                assert cell.value == extended[r][c]
    assert not _determined(extended, hidden)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8), st.integers(min_value=2, max_value=11))
def test_one_way_breakdown_never_leaks_through_its_total(values: list[int], k: int) -> None:
    result = calc.suppress([values], k)
    hidden = [cell for cell in result.cells[0] if cell.hidden]
    assert len(hidden) != 1 or result.row_totals[0].hidden
    assert all(result.text(c).startswith("<") for c in result.cells[0] if c.primary)


def test_suppression_example_hides_a_second_cell() -> None:
    result = calc.suppress([[3, 40, 12]], 5)
    assert [result.text(c) for c in result.cells[0]] == ["<5", "40", "–"]
    assert result.text(result.row_totals[0]) == "55"


@pytest.mark.parametrize("rule", ["median", ""])
def test_unknown_rules_are_refused(rule: str) -> None:
    with pytest.raises(ValueError):
        calc.over_time(rule, [Decimal(1)])
    with pytest.raises(ValueError):
        calc.across_members(rule, [Decimal(1)])
