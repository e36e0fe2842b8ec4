"""Derived figures kept beside the stored values, so dashboards read thousands of rows, not millions.

Three tables, which nothing else writes:

* ``MemberPeriodValue``: each member's value per indicator and period (rule 1 of ``queries``);
* ``PeriodFigure``: per indicator and period, the figures every across-member rule is read from, for
  member values and for each disaggregated cell;
* ``MemberFigure``: per indicator and member, the figures every rule over time is read from.

The last two exist over all data and over reviewed data only. ``refresh`` recomputes the rows a write
touched from the stored values, with the SQL the queries use on those values
(``queries.member_period_sql``), so the derived rows always equal a full recomputation (``rebuild``).
It runs inside the writing transaction, through ``freshness.data_changed``, after the coalition's data
version row is locked: writers of one coalition refresh one at a time and see each other's values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import connection
from django.db.backends.utils import CursorWrapper

from coalition.measurement.models import Indicator, Submission
from coalition.measurement.queries import PCT, Scope, member_period_sql, total_combination_id

REVIEWED = (Submission.State.APPROVED, Submission.State.LOCKED)
CHUNK = 5000  # periods or members per statement: a bound on the number of parameters
# Indicator id → (period starts, organisation ids) whose values or review states changed.
Touched = Mapping[int, tuple[Iterable[dt.date], Iterable[int]]]


def refresh(touched: Touched) -> None:
    """Recompute the derived rows of each indicator's given periods and members (every pair of them)."""
    for indicator in _indicators(touched):
        starts, organisations = touched[indicator.pk]
        _recompute(indicator, sorted(set(starts)), sorted(set(organisations)))


def rebuild(indicator_ids: Iterable[int]) -> None:
    """Recompute every derived row of these indicators (after values were written some other way)."""
    for indicator in _indicators(indicator_ids):
        _recompute(indicator, None, None)


def _indicators(ids: Iterable[int]) -> list[Indicator]:
    # Only what the SQL needs, so a data migration may call this whatever columns come later.
    return list(Indicator.objects.filter(pk__in=list(ids)).only("pk", "coalition_id", "kind").order_by("pk"))


def _chunks(items: Sequence | None) -> list[Sequence | None]:
    return [None] if items is None else [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _recompute(indicator: Indicator, starts: Sequence[dt.date] | None, organisations: Sequence[int] | None) -> None:
    """Recompute the rows of these periods (``None``: all) and members (``None``: all)."""
    total = total_combination_id(indicator.coalition_id)
    # The reviewed-only figures are empty until a period of the indicator is approved: skip reading for them.
    reviewed = Submission.objects.filter(indicator=indicator, state__in=REVIEWED).exists()
    views = (False, True) if reviewed else (False,)
    with connection.cursor() as cursor:
        for some_starts in _chunks(starts):
            for some_organisations in _chunks(organisations):
                _member_values(
                    cursor, indicator, Scope(periods=some_starts, organisation_ids=some_organisations), total
                )
            _period_figures(cursor, indicator, some_starts, total, views)
        for some_organisations in _chunks(organisations):
            _member_figures(cursor, indicator, some_organisations, views)


def _delete(cursor: CursorWrapper, table: str, indicator: Indicator, scope: Scope) -> None:
    where, params = scope.sql(table)
    cursor.execute(f"DELETE FROM {table} WHERE {table}.indicator_id = %s{where}", [indicator.pk, *params])  # noqa: S608 - constant table names; values are parameters


def _member_values(cursor: CursorWrapper, indicator: Indicator, scope: Scope, total: int) -> None:
    _delete(cursor, "measurement_memberperiodvalue", indicator, scope)
    members, params, _dims = member_period_sql(indicator, scope, total_id=total)
    cursor.execute(
        "INSERT INTO measurement_memberperiodvalue "  # noqa: S608 - constant SQL fragments; values are parameters
        "(indicator_id, period_start, organisation_id, value, numerator, denominator) "
        f"SELECT %s, mp.period_start, mp.org, mp.v, mp.num, mp.den FROM ({members}) mp",
        [indicator.pk, *params],
    )


def _period_figures(
    cursor: CursorWrapper, indicator: Indicator, starts: Sequence[dt.date] | None, total: int, views: Sequence[bool]
) -> None:
    _delete(cursor, "measurement_periodfigure", indicator, Scope(periods=starts))
    columns = (
        "INSERT INTO measurement_periodfigure (indicator_id, period_start, approved_only, cell, members, value_sum, "
        "value_count, value_max, numerator_sum, denominator_sum) "
    )
    cell_value = PCT.format(num="dv.numerator", den="dv.denominator") if indicator.is_percentage else "dv.value"
    for approved in views:
        kept = Scope(periods=starts, approved_only=approved)
        where, params = kept.sql("mp")
        cursor.execute(
            f"{columns}SELECT mp.indicator_id, mp.period_start, %s, 0, COUNT(*), SUM(mp.value), COUNT(mp.value), "  # noqa: S608 - constant SQL fragments; values are parameters
            "MAX(mp.value), SUM(mp.numerator), SUM(mp.denominator) FROM measurement_memberperiodvalue mp "
            f"WHERE mp.indicator_id = %s{where} GROUP BY mp.indicator_id, mp.period_start",
            [approved, indicator.pk, *params],
        )
        where, params = kept.sql("dv")
        cursor.execute(
            f"{columns}SELECT %s, c.period_start, %s, c.combination_id, COUNT(*), SUM(c.v), COUNT(c.v), MAX(c.v), "  # noqa: S608 - constant SQL fragments; values are parameters
            "SUM(c.numerator), SUM(c.denominator) FROM (SELECT dv.period_start, dv.combination_id, "
            f"{cell_value} AS v, dv.numerator, dv.denominator FROM measurement_datavalue dv "
            f"WHERE dv.indicator_id = %s AND dv.combination_id <> %s{where}) c GROUP BY c.period_start, c.combination_id",
            [indicator.pk, approved, indicator.pk, total, *params],
        )


def _member_figures(
    cursor: CursorWrapper, indicator: Indicator, organisations: Sequence[int] | None, views: Sequence[bool]
) -> None:
    table = "measurement_memberfigure"
    _delete(cursor, table, indicator, Scope(organisation_ids=organisations))
    for approved in views:
        where, params = Scope(organisation_ids=organisations, approved_only=approved).sql("mp")
        cursor.execute(
            f"INSERT INTO {table} (indicator_id, organisation_id, approved_only, first_period, latest_period, value_sum, "  # noqa: S608 - constant SQL fragments; values are parameters
            "value_count) SELECT mp.indicator_id, mp.organisation_id, %s, MIN(mp.period_start), MAX(mp.period_start), "
            "SUM(mp.value), COUNT(mp.value) "
            f"FROM measurement_memberperiodvalue mp WHERE mp.indicator_id = %s{where} "
            "GROUP BY mp.indicator_id, mp.organisation_id",
            [approved, indicator.pk, *params],
        )
    where, params = Scope(organisation_ids=organisations).sql(table)
    cursor.execute(
        f"UPDATE {table} SET latest_value = (SELECT mp.value FROM measurement_memberperiodvalue mp "  # noqa: S608 - constant SQL fragments; values are parameters
        f"WHERE mp.indicator_id = {table}.indicator_id AND mp.organisation_id = {table}.organisation_id "
        f"AND mp.period_start = {table}.latest_period) WHERE {table}.indicator_id = %s{where}",
        [indicator.pk, *params],
    )
