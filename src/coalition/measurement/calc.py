"""The arithmetic of shared measurement as pure functions over plain values (no ORM).

The database queries in ``queries.py`` compute the same figures in SQL; the tests check both agree.
Every function returns ``None`` where a figure cannot be computed (no data, zero denominator) rather
than raising or dividing by zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import overload

from django.utils.translation import gettext_lazy as _

from coalition.measurement import disclosure
from coalition.measurement.models import Direction, MemberAggregation, TimeAggregation

HUNDRED = Decimal(100)
PLACES = Decimal("0.0001")


class UnknownRule(ValueError):
    """An aggregation rule or direction that is not one of the model's choices."""


def time_rule(rule: str) -> TimeAggregation:
    """The over-time rule named by ``rule``; anything else raises ``UnknownRule``."""
    try:
        return TimeAggregation(rule)
    except ValueError:
        raise UnknownRule(rule) from None


def member_rule(rule: str) -> MemberAggregation:
    """The across-members rule named by ``rule``; anything else raises ``UnknownRule``."""
    try:
        return MemberAggregation(rule)
    except ValueError:
        raise UnknownRule(rule) from None


def direction_of(direction: str) -> Direction:
    try:
        return Direction(direction)
    except ValueError:
        raise UnknownRule(direction) from None


def shown_percent(value: Decimal | None, places: int = 0) -> Decimal | None:
    """The one rounding rule for every percentage shown or exported: half up (1/8 → 13 %, 3/8 → 38 %)."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@overload
def q(value: Decimal | float | int) -> Decimal: ...
@overload
def q(value: None) -> None: ...
@overload
def q(value: Decimal | float | int | None) -> Decimal | None: ...
def q(value: Decimal | float | int | None) -> Decimal | None:
    """Round to the stored precision (4 decimal places); ``None`` stays ``None``."""
    if value is None:
        return None
    if type(value) is int:  # exact, and quicker than through text
        value = Decimal(value)
    elif not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(PLACES)


def percentage(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """``numerator / denominator`` as a percentage, or ``None`` if the denominator is missing or zero."""
    if numerator is None or not denominator:
        return None
    return q(numerator * HUNDRED / denominator)


def _average(values: Sequence[Decimal]) -> Decimal | None:
    return q(sum(values, Decimal(0)) / len(values)) if values else None


def over_time(rule: str, values: Sequence[Decimal | None]) -> Decimal | None:
    """Combine per-period values (oldest first) by the indicator's time rule; missing periods are skipped."""
    chosen = time_rule(rule)
    present = [v for v in values if v is not None]
    if not present:
        return None
    match chosen:
        case TimeAggregation.SUM:
            return q(sum(present, Decimal(0)))
        case TimeAggregation.AVERAGE:
            return _average(present)
        case TimeAggregation.LATEST:
            return q(present[-1])
    raise UnknownRule(rule)  # pragma: no cover - every choice is matched above


def across_members(rule: str, values: Sequence[Decimal | None]) -> Decimal | None:
    """Combine members' values for one period: sum, average, or the highest (same people, no double count)."""
    chosen = member_rule(rule)
    present = [v for v in values if v is not None]
    if not present:
        return None
    match chosen:
        case MemberAggregation.SUM:
            return q(sum(present, Decimal(0)))
        case MemberAggregation.AVERAGE:
            return _average(present)
        case MemberAggregation.MAX:
            return q(max(present))
    raise UnknownRule(rule)  # pragma: no cover - every choice is matched above


def ratio_across_members(rule: str, pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """A percentage indicator across members: ``sum`` pools them (sum of numerators over sum of
    denominators, so large members weigh more), ``average`` is the plain mean of member percentages and
    ``max`` the highest one. Members with a zero denominator have no percentage."""
    if member_rule(rule) == MemberAggregation.SUM:
        if not pairs:
            return None
        return percentage(sum((n for n, _d in pairs), Decimal(0)), sum((d for _n, d in pairs), Decimal(0)))
    return across_members(rule, [percentage(n, d) for n, d in pairs])


def member_value(total: Decimal | None, cells: Sequence[Decimal]) -> Decimal | None:
    """One member's value for a period: the total it entered directly, else the sum of its breakdown.

    A total and a breakdown are never added together; ``consistency`` flags when they disagree.
    """
    if total is not None:
        return total
    return q(sum(cells, Decimal(0))) if cells else None


@dataclass(frozen=True)
class Consistency:
    total: Decimal | None
    breakdown: Decimal | None
    difference: Decimal | None

    @property
    def consistent(self) -> bool:
        return self.difference is None or self.difference == 0


def consistency(total: Decimal | None, cells: Sequence[Decimal]) -> Consistency:
    """Compare a directly entered total with the sum of its disaggregated cells (when both exist)."""
    breakdown = q(sum(cells, Decimal(0))) if cells else None
    difference = q(total - breakdown) if total is not None and breakdown is not None else None
    return Consistency(q(total), breakdown, difference)


def life_target(rule: str, targets: Sequence[Decimal]) -> Decimal | None:
    """The life-of-effort target from the period targets (oldest first): their sum for indicators summed
    over time, the last one for cumulative/snapshot indicators, their average for averaged ones."""
    return over_time(rule, list(targets))


def progress(actual: Decimal | None, target: Decimal | None, direction: str) -> Decimal | None:
    """How far ``actual`` has come towards ``target``, in % (100 = target met), read for the direction.

    For an indicator that should decrease, being below the target is better: progress is target/actual.
    """
    chosen = direction_of(direction)
    if actual is None or target is None:
        return None
    if chosen == Direction.DECREASE:
        if actual <= 0:
            return HUNDRED if target >= actual else None
        return q(target * HUNDRED / actual)
    if target == 0:
        return None
    return q(actual * HUNDRED / target)


def is_complete(reporters: int, expected: int, share_percent: int) -> bool:
    """A period is complete when at least ``share_percent`` % of the expected members reported (rounded
    up: 3 of 4 meets 75 %, 2 of 4 does not); with nobody expected, any report makes it complete."""
    if expected <= 0:
        return reporters > 0
    return reporters * 100 >= expected * share_percent


class Status(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def is_on_track(self) -> bool:
        return self in (Status.AHEAD, Status.ON_TRACK)


STATUS_LABELS = {
    Status.AHEAD: _("Ahead of target"),
    Status.ON_TRACK: _("On track"),
    Status.BEHIND: _("Off track"),
    Status.UNKNOWN: _("No data"),
}


def status(actual: Decimal | None, target: Decimal | None, direction: str, margin_percent: Decimal) -> Status:
    """On track when ``actual`` is within ``margin_percent`` of ``target``; beyond it, ahead or behind
    depending on whether the indicator should increase or decrease."""
    if actual is None or target is None:
        return Status.UNKNOWN
    band = abs(target) * Decimal(margin_percent) / HUNDRED
    better = actual - target if direction_of(direction) == Direction.INCREASE else target - actual
    if better > band:
        return Status.AHEAD
    if better < -band:
        return Status.BEHIND
    return Status.ON_TRACK


@dataclass(frozen=True)
class Trend:
    direction: str  # "up", "down" or "flat"
    periods: int  # how many consecutive period-to-period changes went this way (0 with < 2 values)
    good: bool | None  # True if the movement is the desired direction; None for flat or unknown

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓"}.get(self.direction, "→")


def _step(a: Decimal, b: Decimal) -> str:
    return "up" if b > a else "down" if b < a else "flat"


def trend(values: Sequence[Decimal | None], direction: str) -> Trend:
    """Direction of the latest change between consecutive reported periods and how long it has lasted."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return Trend("flat", 0, None)
    steps = [_step(a, b) for a, b in zip(present, present[1:], strict=False)]
    last = steps[-1]
    lasted = 0
    for step in reversed(steps):
        if step != last:
            break
        lasted += 1
    good = None if last == "flat" else (last == "up") == (direction_of(direction) == Direction.INCREASE)
    return Trend(last, lasted, good)


# --- Small-cell suppression ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table entry after suppression: ``value`` is ``None`` when hidden."""

    value: Decimal | None
    primary: bool = False  # hidden because small (1..k-1)
    complementary: bool = False  # hidden so that no hidden entry can be narrowed down

    @property
    def hidden(self) -> bool:
        return self.primary or self.complementary


@dataclass(frozen=True)
class SuppressedTable:
    """Cells, row totals, column totals and the grand total, each possibly hidden."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    threshold: int
    withheld: bool = False  # nothing could be shown safely

    def text(self, cell: Cell) -> str:
        """What a shared view prints: the value, or one mark for every hidden entry whatever its reason
        (a different mark for small cells would tell an attacker their range)."""
        if cell.hidden:
            return disclosure.MARK
        return "" if cell.value is None else f"{cell.value.normalize():f}"


def _keyer(n_rows: int, n_cols: int) -> tuple[tuple[int, ...], Callable[[int | None, int | None], disclosure.Key]]:
    """The shape ``disclosure`` sees for a table of ``n_rows`` × ``n_cols`` (one row or one column is a
    one-way table) and the key of its entry in row ``r``, column ``c`` (``None``: the total)."""
    one_way = n_rows == 1 or n_cols == 1
    shape = (max(n_rows, n_cols),) if one_way else (n_rows, n_cols)

    def key(r: int | None, c: int | None) -> disclosure.Key:
        return ((c if n_rows == 1 else r),) if one_way else (r, c)

    return shape, key


def table_entries(table: Sequence[Sequence[Decimal | int]]) -> tuple[dict[disclosure.Key, Decimal], tuple[int, ...]]:
    """A table of counts with all its marginal totals as ``disclosure`` addresses them, and its shape."""
    n_rows, n_cols = len(table), len(table[0]) if table else 0
    shape, key = _keyer(n_rows, n_cols)
    cells = {key(r, c): Decimal(table[r][c]) for r in range(n_rows) for c in range(n_cols)}
    return disclosure.cube(cells, shape), shape


def suppress(
    table: Sequence[Sequence[Decimal | int]], threshold: int, width: int | None = None, *, total_known: bool = True
) -> SuppressedTable:
    """Hide small entries (1 .. threshold-1) of a table and its totals, then enough others that the
    range anyone can prove for each hidden entry is at least ``width`` (default: the threshold) wide,
    checked by ``disclosure.protect``'s linear-programming audit. A table of one row or one column is
    protected as a one-way table. ``total_known``: the grand total is published elsewhere (the
    scorecard), so the audit counts it as known even where this table hides it."""
    n_rows, n_cols = len(table), len(table[0]) if table else 0
    shape, key = _keyer(n_rows, n_cols)
    full, _shape = table_entries(table)
    grand = (None,) * len(shape)
    result = disclosure.protect_cached(full, shape, threshold, width or threshold, known=[grand] if total_known else [])

    def cell(k: disclosure.Key) -> Cell:
        if k in result.hidden:
            return Cell(None, primary=k in result.primary, complementary=k not in result.primary)
        return Cell(full[k])

    return SuppressedTable(
        cells=[[cell(key(r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[cell(key(r, None)) for r in range(n_rows)],
        column_totals=[cell(key(None, c)) for c in range(n_cols)],
        total=cell(grand),
        threshold=threshold,
        withheld=result.withheld,
    )
