"""Derived figures kept beside the stored values, so dashboards read thousands of rows, not millions.

``MemberPeriodValue`` holds each member's value per indicator and period (rule 1 of ``queries``) and
``PeriodFigure`` the per-period figures every across-member rule is read from, for member values and
for each disaggregated cell, over all data and over reviewed data only. Nothing else writes them.

``refresh`` recomputes the rows of the (indicator, period) pairs a write touched, from the stored
values, with the same SQL the queries use on the values (``queries.member_period_sql``); so the
derived rows always equal a full recomputation (``rebuild``). It runs inside the writing transaction,
through ``freshness.data_changed``, after the coalition's data version row is locked: writers of one
coalition refresh one at a time and each sees the others' committed values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import connection

from coalition.measurement.models import Indicator, OptionCombination
from coalition.measurement.queries import PCT, Scope, member_period_sql

CHUNK = 500  # periods per statement: a bound on the number of parameters
DERIVED = ("measurement_memberperiodvalue", "measurement_periodfigure")
FIGURE_COLUMNS = (
    "indicator_id, period_start, approved_only, cell, members, value_sum, value_count, value_max, "
    "numerator_sum, denominator_sum"
)


def refresh(touched: Mapping[int, Iterable[dt.date]]) -> None:
    """Recompute the derived rows of these indicators' periods (indicator id → period starts)."""
    for indicator in _indicators(touched):
        starts = sorted(set(touched[indicator.pk]))
        for i in range(0, len(starts), CHUNK):
            _recompute(indicator, starts[i : i + CHUNK])


def rebuild(indicator_ids: Iterable[int]) -> None:
    """Recompute every derived row of these indicators (after values were written some other way)."""
    for indicator in _indicators(indicator_ids):
        _recompute(indicator, None)


def _indicators(ids: Iterable[int]) -> list[Indicator]:
    # Only what the SQL needs, so a data migration may call this whatever columns come later.
    return list(Indicator.objects.filter(pk__in=list(ids)).only("pk", "coalition_id", "kind").order_by("pk"))


def _recompute(indicator: Indicator, starts: Sequence[dt.date] | None) -> None:
    scope = Scope(periods=starts)
    total = (
        OptionCombination.objects.filter(coalition_id=indicator.coalition_id, key="")
        .values_list("pk", flat=True)
        .first()
    ) or 0
    with connection.cursor() as cursor:
        for table in DERIVED:
            where, params = scope.sql(table)
            cursor.execute(f"DELETE FROM {table} WHERE {table}.indicator_id = %s{where}", [indicator.pk, *params])  # noqa: S608 - constant table names; values are parameters
        members, params, _dims = member_period_sql(indicator, scope, total_id=total)
        cursor.execute(
            "INSERT INTO measurement_memberperiodvalue "  # noqa: S608 - constant SQL fragments; values are parameters
            "(indicator_id, period_start, organisation_id, value, numerator, denominator) "
            f"SELECT %s, mp.period_start, mp.org, mp.v, mp.num, mp.den FROM ({members}) mp",
            [indicator.pk, *params],
        )
        cell_value = PCT.format(num="dv.numerator", den="dv.denominator") if indicator.is_percentage else "dv.value"
        for approved in (False, True):
            kept = Scope(periods=starts, approved_only=approved)
            where, params = kept.sql("mp")
            cursor.execute(
                f"INSERT INTO measurement_periodfigure ({FIGURE_COLUMNS}) "  # noqa: S608 - constant SQL fragments; values are parameters
                "SELECT mp.indicator_id, mp.period_start, %s, 0, COUNT(*), SUM(mp.value), COUNT(mp.value), "
                "MAX(mp.value), SUM(mp.numerator), SUM(mp.denominator) FROM measurement_memberperiodvalue mp "
                f"WHERE mp.indicator_id = %s{where} GROUP BY mp.indicator_id, mp.period_start",
                [approved, indicator.pk, *params],
            )
            where, params = kept.sql("dv")
            cursor.execute(
                f"INSERT INTO measurement_periodfigure ({FIGURE_COLUMNS}) "  # noqa: S608 - constant SQL fragments; values are parameters
                "SELECT %s, c.period_start, %s, c.combination_id, COUNT(*), SUM(c.v), COUNT(c.v), MAX(c.v), "
                "SUM(c.numerator), SUM(c.denominator) FROM (SELECT dv.period_start, dv.combination_id, "
                f"{cell_value} AS v, dv.numerator, dv.denominator FROM measurement_datavalue dv "
                f"WHERE dv.indicator_id = %s AND dv.combination_id <> %s{where}) c "
                "GROUP BY c.period_start, c.combination_id",
                [indicator.pk, approved, indicator.pk, total, *params],
            )
