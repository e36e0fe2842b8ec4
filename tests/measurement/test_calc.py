"""Tests of the pure measurement arithmetic (aggregation, targets, status, trend, rounding).

Oracles are independent of ``calc``: exact ``Fraction`` arithmetic, or answers computed by hand.
Rules are sampled from the model's enums, so a new rule without its arithmetic fails here.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from coalition.measurement import calc, disclosure
from coalition.measurement.calc import Status
from coalition.measurement.models import Direction, MemberAggregation, TimeAggregation

AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
SIGNED = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
FOUR = Fraction(1, 10**4)


def _close(result: Decimal | None, exact: Fraction | None) -> bool:
    """``result`` is ``exact`` rounded to 4 places (within half a unit of the last place)."""
    if result is None or exact is None:
        return result is None and exact is None
    return abs(Fraction(result) - exact) <= FOUR / 2


def _time_oracle(rule: TimeAggregation, values: list[Decimal | None]) -> Fraction | None:
    present = [Fraction(v) for v in values if v is not None]
    if not present:
        return None
    return {
        TimeAggregation.SUM: lambda: sum(present, Fraction(0)),
        TimeAggregation.AVERAGE: lambda: sum(present, Fraction(0)) / len(present),
        TimeAggregation.LATEST: lambda: present[-1],
    }[rule]()


def _member_oracle(rule: MemberAggregation, values: list[Decimal | None]) -> Fraction | None:
    present = [Fraction(v) for v in values if v is not None]
    if not present:
        return None
    return {
        MemberAggregation.SUM: lambda: sum(present, Fraction(0)),
        MemberAggregation.AVERAGE: lambda: sum(present, Fraction(0)) / len(present),
        MemberAggregation.MAX: lambda: max(present),
    }[rule]()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TimeAggregation), st.lists(st.one_of(st.none(), AMOUNTS), max_size=30))
def test_every_time_rule_matches_exact_arithmetic(rule: TimeAggregation, values: list[Decimal | None]) -> None:
    assert _close(calc.over_time(rule, values), _time_oracle(rule, values))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MemberAggregation), st.lists(st.one_of(st.none(), AMOUNTS), max_size=30))
def test_every_member_rule_matches_exact_arithmetic(rule: MemberAggregation, values: list[Decimal | None]) -> None:
    assert _close(calc.across_members(rule, values), _member_oracle(rule, values))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(AMOUNTS, min_size=1, max_size=30), AMOUNTS)
def test_a_direct_total_is_never_added_to_its_breakdown(cells: list[Decimal], total: Decimal) -> None:
    assert calc.member_value(total, cells) == total
    assert _close(calc.member_value(None, cells), sum((Fraction(c) for c in cells), Fraction(0)))
    check = calc.consistency(total, cells)
    assert check.consistent == (Fraction(total) == sum((Fraction(c) for c in cells), Fraction(0)))


@given(
    st.sampled_from(MemberAggregation),
    st.lists(st.tuples(AMOUNTS, st.one_of(st.just(Decimal(0)), AMOUNTS)), max_size=20),
)
def test_percentages_across_members_match_exact_arithmetic(
    rule: MemberAggregation, pairs: list[tuple[Decimal, Decimal]]
) -> None:
    shares = [Fraction(n) * 100 / Fraction(d) for n, d in pairs if d]
    denominators = sum((Fraction(d) for _n, d in pairs), Fraction(0))
    exact = {
        MemberAggregation.SUM: sum((Fraction(n) for n, _d in pairs), Fraction(0)) * 100 / denominators
        if denominators
        else None,
        MemberAggregation.AVERAGE: sum(shares, Fraction(0)) / len(shares) if shares else None,
        MemberAggregation.MAX: max(shares) if shares else None,
    }[rule]
    # The mean and maximum are of shares each rounded to 4 places first: allow that rounding too.
    result = calc.ratio_across_members(rule, pairs)
    assert (result is None) == (exact is None)
    if result is not None and exact is not None:
        assert abs(Fraction(result) - exact) <= FOUR


def test_aggregation_examples_computed_by_hand() -> None:
    values = [Decimal(4), None, Decimal(10), Decimal(1)]
    assert calc.over_time(TimeAggregation.SUM, values) == Decimal(15)
    assert calc.over_time(TimeAggregation.AVERAGE, values) == Decimal(5)
    assert calc.over_time(TimeAggregation.LATEST, values) == Decimal(1)
    assert calc.across_members(MemberAggregation.MAX, values) == Decimal(10)
    # Pooled: (1 + 3 + 2) / (4 + 4 + 0) = 75 %; mean of 25 % and 75 % (no share for 2/0) = 50 %; max 75 %.
    pairs = [(Decimal(1), Decimal(4)), (Decimal(3), Decimal(4)), (Decimal(2), Decimal(0))]
    assert calc.ratio_across_members(MemberAggregation.SUM, pairs) == Decimal(75)
    assert calc.ratio_across_members(MemberAggregation.AVERAGE, pairs) == Decimal(50)
    assert calc.ratio_across_members(MemberAggregation.MAX, pairs) == Decimal(75)
    assert calc.life_target(TimeAggregation.SUM, [Decimal(10), Decimal(20)]) == Decimal(30)
    assert calc.life_target(TimeAggregation.LATEST, [Decimal(10), Decimal(20)]) == Decimal(20)
    assert calc.percentage(Decimal(1), Decimal(0)) is None


@pytest.mark.parametrize("rule", ["median", "", "SUM", "latest "])
def test_unknown_rules_are_refused(rule: str) -> None:
    with pytest.raises(calc.UnknownRule):
        calc.over_time(rule, [Decimal(1)])
    with pytest.raises(calc.UnknownRule):
        calc.across_members(rule, [Decimal(1)])
    with pytest.raises(calc.UnknownRule):
        calc.ratio_across_members(rule, [(Decimal(1), Decimal(2))])
    with pytest.raises(calc.UnknownRule):
        calc.progress(Decimal(1), Decimal(2), rule)


@given(SIGNED, SIGNED.filter(lambda t: t != 0), st.integers(min_value=0, max_value=50))
def test_status_reads_the_margin_the_right_way(actual: Decimal, target: Decimal, margin: int) -> None:
    up = calc.status(actual, target, Direction.INCREASE, Decimal(margin))
    down = calc.status(actual, target, Direction.DECREASE, Decimal(margin))
    band = abs(target) * margin / Decimal(100)
    within = abs(actual - target) <= band
    assert (up == Status.ON_TRACK) == within == (down == Status.ON_TRACK)
    if not within:
        # Above the band is good when the indicator should increase, bad when it should decrease.
        assert (up == Status.AHEAD) == (actual > target) == (down == Status.BEHIND)


def test_status_and_progress_examples() -> None:
    margin = Decimal(15)
    assert calc.status(Decimal(90), Decimal(100), Direction.INCREASE, margin) == Status.ON_TRACK
    assert calc.status(Decimal(80), Decimal(100), Direction.INCREASE, margin) == Status.BEHIND
    assert calc.status(Decimal(80), Decimal(100), Direction.DECREASE, margin) == Status.AHEAD
    assert calc.status(Decimal(120), Decimal(100), Direction.DECREASE, margin) == Status.BEHIND
    assert calc.status(None, Decimal(100), Direction.DECREASE, margin) == Status.UNKNOWN
    assert calc.progress(Decimal(50), Decimal(200), Direction.INCREASE) == Decimal(25)
    assert calc.progress(Decimal(50), Decimal(25), Direction.DECREASE) == Decimal(50)
    assert calc.progress(Decimal(5), Decimal(0), Direction.INCREASE) is None
    # Issue 13: should decrease, 60 against a target of 55 is 55/60 = 91.67 %, not 109.09 %.
    assert calc.progress(Decimal(60), Decimal(55), Direction.DECREASE) == Decimal("91.6667")


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(1, 8, 13), (3, 8, 38), (5, 8, 63), (7, 8, 88), (1, 3, 33), (2, 3, 67), (1, 200, 1), (1, 400, 0)],
)
def test_percentages_are_shown_rounded_half_up(numerator: int, denominator: int, shown: int) -> None:
    """Issue 13: 1/8 = 12.5 % shows 13 %, not 12 % (half to even)."""
    assert calc.shown_percent(calc.percentage(Decimal(numerator), Decimal(denominator))) == Decimal(shown)


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40), st.integers(1, 100))
def test_completeness_rule_by_counting(reporters: int, expected: int, share: int) -> None:
    # Oracle: the smallest whole number of members that is at least share % of the expected ones.
    needed = next(n for n in range(expected + 1) if Fraction(n, max(expected, 1)) * 100 >= share) if expected else 1
    assert calc.is_complete(reporters, expected, share) == (reporters >= needed)


@given(st.lists(SIGNED, min_size=2, max_size=20), st.sampled_from(Direction))
def test_trend_counts_how_long_the_latest_movement_lasted(values: list[Decimal], direction: Direction) -> None:
    result = calc.trend(values, direction)

    # Oracle: walk back from the end, counting the changes in the last change's direction.
    def sign(a: Decimal, b: Decimal) -> int:
        return (b > a) - (b < a)

    last = sign(values[-2], values[-1])
    lasted = 0
    for a, b in zip(reversed(values[:-1]), reversed(values[1:]), strict=True):
        if sign(a, b) != last:
            break
        lasted += 1
    assert (result.direction, result.periods) == ({1: "up", -1: "down", 0: "flat"}[last], lasted)
    wanted = 1 if direction == Direction.INCREASE else -1
    assert result.good == (None if last == 0 else last == wanted)


def test_trend_examples() -> None:
    t = calc.trend([Decimal(x) for x in (5, 3, 4, 6, 9)], Direction.DECREASE)
    assert (t.direction, t.periods, t.good, t.arrow) == ("up", 3, False, "↑")
    assert calc.trend([Decimal(1)], Direction.INCREASE).periods == 0


# --- Suppression, audited by an attacker written here (not the code under test) -----------------


def _attack(cells: np.ndarray, hidden: set[tuple[int | None, ...]]) -> dict[tuple[int | None, ...], tuple[int, int]]:
    """The range of every hidden entry an attacker can prove, as an integer programme over the table's
    cells only (a different formulation from ``disclosure``: unknowns are the cells, a total is a sum
    of cells). The attacker knows every shown entry and the grand total, that counts are whole numbers
    ≥ 0, and that zeros are always shown, so a hidden entry is at least 1."""
    shape = cells.shape
    n = cells.size
    grand = (None,) * len(shape)

    def row_of(key: tuple[int | None, ...]) -> np.ndarray:
        mask = np.zeros(shape)
        mask[tuple(slice(None) if i is None else i for i in key)] = 1
        return mask.reshape(n)

    entries = list(product(*[[*range(s), None] for s in shape]))
    a_rows, lows, highs = [], [], []
    for key in entries:
        value = float(cells[tuple(slice(None) if i is None else i for i in key)].sum())
        if key in hidden and key != grand:
            a_rows.append(row_of(key))
            lows.append(1.0)
            highs.append(np.inf)
        else:
            a_rows.append(row_of(key))
            lows.append(value)
            highs.append(value)
    constraint = LinearConstraint(np.array(a_rows), lows, highs)
    found = {}
    for key in hidden - {grand}:
        objective = row_of(key)
        low = milp(objective, constraints=constraint, integrality=np.ones(n), bounds=Bounds(0, np.inf))
        high = milp(-objective, constraints=constraint, integrality=np.ones(n), bounds=Bounds(0, np.inf))
        assert low.status == 0, "the true table is a solution"
        found[key] = (round(low.fun), 10**9 if high.status != 0 else round(-high.fun))
    return found


def _hidden_keys(cells: np.ndarray, threshold: int, width: int) -> tuple[set[tuple[int | None, ...]], dict]:
    values = {tuple(int(i) for i in index): int(v) for index, v in np.ndenumerate(cells)}
    full = disclosure.cube(values, cells.shape)
    result = disclosure.protect(full, cells.shape, threshold, width, known=[(None,) * cells.ndim])
    if result.withheld:  # nothing is shown: every entry is hidden, zeros too
        assert result.hidden == set(full)
    return set(result.hidden), full


def _small_tables(draw: st.DrawFn) -> np.ndarray:
    """Two-, three- and four-way tables of small cells, zeros and larger ones."""
    dims = draw(st.integers(2, 4))
    sides = {2: (2, 4), 3: (2, 3), 4: (2, 2)}[dims]
    shape = tuple(draw(st.integers(*sides)) for _ in range(dims))
    cell = st.one_of(st.integers(0, 4), st.integers(5, 30), st.just(0))
    return np.array(draw(st.lists(cell, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(shape)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.composite(_small_tables)(), st.integers(min_value=3, max_value=6))
def test_no_hidden_entry_can_be_narrowed_below_the_protection_width(cells: np.ndarray, k: int) -> None:
    hidden, full = _hidden_keys(cells, k, k)
    if hidden == set(full):
        return  # withheld: nothing is shown
    grand = (None,) * cells.ndim
    for key, value in full.items():
        if 0 < value < k and key != grand:
            assert key in hidden, "every small entry is hidden"
        if value == 0:
            assert key not in hidden or key == grand, "zeros are shown (they protect nothing)"
    for key, (low, high) in _attack(cells, hidden).items():
        assert high - low >= k, (key, low, high)


def test_four_dimensions_are_protected_too() -> None:
    cells = np.array([3, 9, 0, 12, 7, 2, 11, 6, 8, 5, 1, 14, 10, 6, 9, 4]).reshape(2, 2, 2, 2)
    hidden, _full = _hidden_keys(cells, 5, 5)
    assert all(high - low >= 5 for low, high in _attack(cells, hidden).values())


def test_issue_13_sex_only_table_of_four_and_four() -> None:
    """Before: "<5, <5, total 8" gave both. Now both are hidden and each could be anything from 1 to 7."""
    result = calc.suppress([[4], [4]], 5)
    assert [result.text(row[0]) for row in result.cells] == ["x", "x"]
    assert result.text(result.total) == "8"
    assert _attack(np.array([4, 4]), {(0,), (1,)}) == {(0,): (1, 7), (1,): (1, 7)}


def test_issue_13_sex_by_age_with_an_empty_band() -> None:
    """Before: with an empty 65+ band, Female 0–17 = 3 could be worked out. Now its range is wide."""
    table = [[3, 12, 20, 0], [6, 15, 18, 0]]
    result = calc.suppress(table, 5)
    shown = [[result.text(c) for c in row] for row in result.cells]
    assert shown[0][0] == "x" and shown[0][3] == "0" and shown[1][3] == "0"
    hidden = {(r, c) for r, row in enumerate(result.cells) for c, cell in enumerate(row) if cell.hidden}
    hidden |= {(r, None) for r, cell in enumerate(result.row_totals) if cell.hidden}
    hidden |= {(None, c) for c, cell in enumerate(result.column_totals) if cell.hidden}
    low, high = _attack(np.array(table), hidden)[(0, 0)]
    assert high - low >= 5


def test_one_mark_for_every_hidden_entry_and_the_shown_ones_are_true() -> None:
    result = calc.suppress([[3, 40, 12]], 5)
    assert [result.text(c) for c in result.cells[0]] == ["x", "40", "x"]
    assert result.text(result.row_totals[0]) == "55"
    assert result.cells[0][0].primary and result.cells[0][2].complementary


def test_a_table_that_cannot_be_protected_is_withheld() -> None:
    """One member of 3 whose total is published elsewhere: no amount of hiding protects it."""
    result = calc.suppress([[3]], 5)
    assert result.withheld and result.cells[0][0].hidden
