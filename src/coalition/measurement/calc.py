"""The arithmetic of shared measurement as pure functions over plain values (no ORM).

The database queries in ``queries.py`` compute the same figures in SQL; the tests check both agree.
Every function returns ``None`` where a figure cannot be computed (no data, zero denominator) rather
than raising or dividing by zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import overload

from django.utils.translation import gettext_lazy as _

SUM, AVERAGE, LATEST, MAX = "sum", "average", "latest", "max"
INCREASE, DECREASE = "increase", "decrease"
HUNDRED = Decimal(100)
PLACES = Decimal("0.0001")


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
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == SUM:
        return q(sum(present, Decimal(0)))
    if rule == AVERAGE:
        return _average(present)
    if rule == LATEST:
        return q(present[-1])
    raise ValueError(rule)


def across_members(rule: str, values: Sequence[Decimal | None]) -> Decimal | None:
    """Combine members' values for one period: sum, average, or the highest (same people, no double count)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == SUM:
        return q(sum(present, Decimal(0)))
    if rule == AVERAGE:
        return _average(present)
    if rule == MAX:
        return q(max(present))
    raise ValueError(rule)


def ratio_across_members(rule: str, pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """A percentage indicator across members: ``sum`` pools them (sum of numerators over sum of
    denominators, so large members weigh more), ``average`` is the plain mean of member percentages and
    ``max`` the highest one. Members with a zero denominator have no percentage."""
    if rule == SUM:
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


def progress(actual: Decimal | None, target: Decimal | None, direction: str = INCREASE) -> Decimal | None:
    """How far ``actual`` has come towards ``target``, in % (100 = target met), read for the direction.

    For an indicator that should decrease, being below the target is better: progress is target/actual.
    """
    if actual is None or target is None:
        return None
    if direction == DECREASE:
        if actual <= 0:
            return HUNDRED if target >= actual else None
        return q(target * HUNDRED / actual)
    if target == 0:
        return None
    return q(actual * HUNDRED / target)


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
    better = actual - target if direction == INCREASE else target - actual
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


def trend(values: Sequence[Decimal | None], direction: str = INCREASE) -> Trend:
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
    good = None if last == "flat" else (last == "up") == (direction == INCREASE)
    return Trend(last, lasted, good)


# --- Small-cell suppression ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table entry after suppression: ``value`` is ``None`` when hidden."""

    value: Decimal | None
    primary: bool = False  # hidden because small (1..k-1)
    complementary: bool = False  # hidden so a small neighbour cannot be recomputed from a total

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

    def text(self, cell: Cell) -> str:
        """What a shared view prints: the value, ``<k`` for a small cell, ``–`` for a protecting one."""
        if cell.primary:
            return f"<{self.threshold}"
        if cell.complementary:
            return "–"
        return "" if cell.value is None else f"{cell.value.normalize():f}"


def _bridges(edges: set[tuple[int, int]], rows: int) -> list[tuple[int, int]]:
    """Edges of the row/column graph of hidden entries whose removal disconnects it (Tarjan)."""
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for r, c in edges:
        adjacency.setdefault(r, []).append((rows + c, (r, c)))
        adjacency.setdefault(rows + c, []).append((r, (r, c)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, tuple[int, int] | None, Iterator[tuple[int, tuple[int, int]]]]] = [
            (root, None, iter(adjacency[root]))
        ]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for neighbour, edge in neighbours:
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, edge, iter(adjacency[neighbour])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)  # type: ignore[arg-type]
    return sorted(found)


def _component(edges: set[tuple[int, int]], start: int, removed: tuple[int, int], rows: int) -> set[int]:
    """Nodes reachable from node ``start`` without crossing ``removed`` (rows 0.., columns rows+c)."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for r, c in edges:
            if (r, c) == removed:
                continue
            a, b = r, rows + c
            for x, y in ((a, b), (b, a)):
                if x == node and y not in seen:
                    seen.add(y)
                    todo.append(y)
    return seen


def suppress(table: Sequence[Sequence[Decimal | int]], threshold: int) -> SuppressedTable:
    """Hide small cells (1 .. threshold-1) of a table and its totals, plus enough other entries that no
    hidden value can be worked out from what is shown.

    The table is extended with its row totals, column totals and grand total. Each row and column of
    that extended table is an equation; a hidden entry can be recomputed exactly when it is a bridge
    in the graph whose nodes are rows and columns and whose edges are hidden entries. So after the
    primary suppression, each bridge gets closed into a cycle by hiding the smallest entry that does so.
    """
    values = [[Decimal(v) for v in row] for row in table]
    n_rows, n_cols = len(values), len(values[0]) if values else 0
    extended = [[*row, sum(row, Decimal(0))] for row in values]
    extended.append([sum((row[c] for row in extended), Decimal(0)) for c in range(n_cols + 1)])
    rows, cols = n_rows + 1, n_cols + 1
    primary = {(r, c) for r in range(rows) for c in range(cols) if 0 < extended[r][c] < threshold}
    hidden = set(primary)
    if n_rows and n_cols:
        while bridges := _bridges(hidden, rows):
            r, c = bridges[0]
            row_side = _component(hidden, r, (r, c), rows)
            column_side = _component(hidden, rows + c, (r, c), rows)
            open_entries = [(a, b) for a in range(rows) for b in range(cols) if (a, b) not in hidden]
            # An entry joining the two sides closes a cycle through the bridge; failing that, grow a side.
            candidates = [
                (a, b)
                for a, b in open_entries
                if (a in row_side and rows + b in column_side) or (a in column_side and rows + b in row_side)
            ] or [(a, b) for a, b in open_entries if {a, rows + b} & (row_side | column_side)]
            hidden.add(min(candidates, key=lambda e: (e[0] == n_rows or e[1] == n_cols, extended[e[0]][e[1]], e)))

    def cell(r: int, c: int) -> Cell:
        if (r, c) in hidden:
            return Cell(None, primary=(r, c) in primary, complementary=(r, c) not in primary)
        return Cell(extended[r][c])

    return SuppressedTable(
        cells=[[cell(r, c) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[cell(r, n_cols) for r in range(n_rows)],
        column_totals=[cell(n_rows, c) for c in range(n_cols)],
        total=cell(n_rows, n_cols),
        threshold=threshold,
    )
