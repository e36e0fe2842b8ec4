"""What the shared view may print of an indicator's member and period figures (docs/adr/0007).

The members table (each member's contribution and their total), the period table (each period's
value, its progress towards the target and the value to date), the completeness table (who reported
which period, so the reporter counts) and the scorecard all describe one **member × period table**:
the unknown cells are each member's value for each period it reported (approved data only, in the
shared view), and every printed figure is a linear combination of them, by the indicator's rules:

* a member's contribution: the sum, the average or the last of its cells (rule over time);
* a period's value: the sum or the average of the cells of that period (rule across members), for
  "latest value" indicators of each member's last cell at or before it (carried forward, ADR 0006);
* the value to date: the sum or the average of the period values so far ("latest value": the
  period's value itself);
* the members' total: the sum of their contributions.

The completeness table says which cells exist (a member that did not report has no cell), so the
attacker knows the table's shape exactly and a reporter count adds nothing. The scorecard and the
brief publish the latest period's value and the value to date: those are *known*. Everything is
protected as one ``disclosure.Release``, so combining the members export, the period export and the
completeness view cannot narrow a hidden value or a member's small value for a period.

"Highest" across members is not linear: its period values are only hidden when small (primary), and
are left out of the audit (ADR 0007 says so).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coalition.measurement import calc, disclosure
from coalition.measurement.models import Indicator, MemberAggregation, TimeAggregation
from coalition.measurement.queries import PeriodPoint

Row = dict[int, float]
# ("cell", (org, start)), ("member", org), ("total", None), ("period", start), ("to_date", start)
Label = tuple[str, Any]


@dataclass(frozen=True)
class Hidden:
    """Which member and period figures the shared view hides."""

    periods: frozenset[dt.date] = frozenset()  # the period's value, and so its progress
    to_date: frozenset[dt.date] = frozenset()
    members: frozenset[int] = frozenset()
    total: bool = False
    withheld: bool = False
    note: str = ""  # what the view says about hidden figures


def _scaled(row: Row, factor: float) -> Row:
    return {c: v * factor for c, v in row.items()}


def _spread(columns: Sequence[int], average: bool) -> Row:
    """The row of the sum (or the average) of some columns."""
    return dict.fromkeys(columns, 1 / len(columns) if average and columns else 1.0)


def _added(rows: Sequence[Row]) -> Row:
    found: Row = defaultdict(float)
    for row in rows:
        for c, v in row.items():
            found[c] += v
    return dict(found)


@dataclass
class _Table:
    """The release being built: entries (label, row over the columns, shown, known) and the columns' truth."""

    truth: list[float] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    shown: list[bool] = field(default_factory=list)
    known: list[bool] = field(default_factory=list)

    def column(self, value: Decimal) -> int:
        self.truth.append(float(value))
        return len(self.truth) - 1

    def add(self, label: Label, row: Row, *, shown: bool = True, known: bool = False) -> None:
        self.labels.append(label)
        self.rows.append(row)
        self.shown.append(shown)
        self.known.append(known)

    def release(self) -> disclosure.Release:
        return disclosure.release_of(self.labels, self.rows, self.truth, self.shown, self.known)


def _members(
    table: _Table, time_rule: TimeAggregation, own: Mapping[int, list[tuple[dt.date, int]]], orgs: Sequence[int]
) -> list[Row]:
    """Each member's contribution (its rule over time over its cells): their rows."""
    member_rows = []
    for org in orgs:
        cells = [c for _start, c in own.get(org, [])]
        row = _spread(
            cells[-1:] if time_rule == TimeAggregation.LATEST else cells, time_rule == TimeAggregation.AVERAGE
        )
        table.add(("member", org), row)
        member_rows.append(row)
    return member_rows


def release(
    indicator: Indicator,
    points: Sequence[PeriodPoint],
    contributions: Mapping[int, Decimal | None],
    values: Mapping[tuple[int, dt.date], Decimal],
    latest: dt.date | None,
) -> tuple[disclosure.Release, list[Label]]:
    """The member × period table of one indicator with everything the shared view prints of it, and
    the entries' labels.

    ``values``: each member's value per period it reported (the cells); ``points`` and
    ``contributions``: the period and member figures shown, computed from the same data; ``latest``:
    the period the scorecard shows. For "highest" across members, each period's value is a column of
    its own (only the value to date is linked to it)."""
    table = _Table()
    columns = {key: table.column(values[key]) for key in sorted(values)}
    own: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)  # oldest first
    for (org, start), c in columns.items():
        own[org].append((start, c))
    for key, c in columns.items():
        table.add(("cell", key), {c: 1.0}, shown=False)
    time_rule = calc.time_rule(indicator.time_aggregation)
    member_rule = calc.member_rule(indicator.member_aggregation)
    orgs = sorted(o for o, v in contributions.items() if v is not None)
    member_rows = _members(table, time_rule, own, orgs)
    if member_rule == MemberAggregation.SUM and member_rows:  # the members table's total
        table.add(("total", None), _added(member_rows), known=time_rule != TimeAggregation.AVERAGE)
    carried = time_rule == TimeAggregation.LATEST
    period_rows: list[Row] = []
    for n, point in enumerate(points):
        at = point.period_start
        sources = [
            max(((start, c) for start, c in cells if start <= at), default=(None, None))[1]
            if carried
            else columns.get((org, at))
            for org, cells in own.items()
        ]
        present = [c for c in sources if c is not None]
        if member_rule == MemberAggregation.MAX:  # not linear: a column of its own
            row: Row = {table.column(point.value or Decimal(0)): 1.0}
        else:
            row = _spread(present, member_rule == MemberAggregation.AVERAGE)
        period_rows.append(row)
        last = n == len(points) - 1
        table.add(("period", at), row, known=at == latest or (carried and last))
        if not carried:  # "latest value": the value to date is the period's value
            so_far = _added(period_rows)
            table.add(
                ("to_date", at),
                so_far if time_rule == TimeAggregation.SUM else _scaled(so_far, 1 / (n + 1)),
                known=last,
            )
    return table.release(), table.labels


def hidden_figures(
    indicator: Indicator,
    points: Sequence[PeriodPoint],
    contributions: Mapping[int, Decimal | None],
    values: Mapping[tuple[int, dt.date], Decimal],
    latest: dt.date | None,
    threshold: int,
    width: int,
) -> Hidden:
    """Which of the indicator's member and period figures the shared view must hide."""
    made, labels = release(indicator, points, contributions, values, latest)
    result = disclosure.protect_release_cached(made, threshold, width)
    hidden: dict[str, set[Any]] = defaultdict(set)
    for entry in result.hidden:
        kind, key = labels[entry]
        hidden[kind].add(key)
    periods = frozenset(hidden["period"])
    carried = calc.time_rule(indicator.time_aggregation) == TimeAggregation.LATEST
    return Hidden(
        periods=periods,
        to_date=periods if carried else frozenset(hidden["to_date"]),
        members=frozenset(hidden["member"]),
        total=bool(hidden["total"]),
        withheld=result.withheld,
    )
