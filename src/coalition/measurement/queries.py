"""Aggregation of stored values in the database (SQL run by the database, not Python loops).

Every figure follows the indicator's two rules, in this order:

1. **member value** for a period: the total the member entered directly, otherwise the sum of its
   breakdown cells (never both; ``consistency_issues`` lists where they disagree); for percentages,
   numerator and denominator are summed and divided;
2. **across members** for a period: sum, average or maximum (percentages: pooled, mean or maximum);
3. **over time**: sum, average or latest.

Rule 1 is applied when values are written: ``rollups`` keeps each member's value per period
(``MemberPeriodValue``), per period the figures every rule 2 is read from (``PeriodFigure``) and per
member those every rule 3 is read from (``MemberFigure``), so the dashboard reads a few thousand
derived rows rather than every value. ``member_period_sql`` is rule 1
on the stored values; the rollups are made with it, and breakdowns the derived figures cannot answer
(a subset of members; averages or maxima over cells that fold together) still read the values.

The SQL is plain, portable SQL (SQLite ≥ 3.25 and PostgreSQL: CTEs and window functions). The pure
functions in ``calc.py`` define the same arithmetic; the tests check the two agree on random data.
Results are plain dataclasses holding ``Decimal`` values (rounded to 4 places) ready for templates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils.translation import ngettext

from coalition.coalitions.models import Coalition, Membership
from coalition.measurement import calc
from coalition.measurement.models import (
    CategoryOption,
    Direction,
    DisaggregationCategory,
    Indicator,
    MemberAggregation,
    MemberPeriodValue,
    OptionCombination,
    Submission,
    TimeAggregation,
)
from coalition.stakeholders.models import Stakeholder

PCT = "CASE WHEN {den} > 0 THEN {num} * 100.0 / {den} END"
MEMBER_RULE = {MemberAggregation.SUM: "SUM(v)", MemberAggregation.AVERAGE: "AVG(v)", MemberAggregation.MAX: "MAX(v)"}
MEMBER_RULE_PCT = {
    MemberAggregation.SUM: PCT.format(num="SUM(num)", den="SUM(den)"),
    MemberAggregation.AVERAGE: "AVG(v)",
    MemberAggregation.MAX: "MAX(v)",
}
RUNNING = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"


@dataclass(frozen=True)
class Scope:
    """Which values a query reads: a period range, some members, and whether only reviewed data counts."""

    since: dt.date | None = None
    until: dt.date | None = None
    organisation_ids: Sequence[int] | None = None
    approved_only: bool = False
    periods: Sequence[dt.date] | None = None  # only these period starts

    def sql(self, alias: str = "dv") -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if self.periods is not None:
            parts.append(f"{alias}.period_start IN ({', '.join(['%s'] * len(self.periods)) or 'NULL'})")
            params.extend(self.periods)
        if self.since is not None:
            parts.append(f"{alias}.period_start >= %s")
            params.append(self.since)
        if self.until is not None:
            parts.append(f"{alias}.period_start <= %s")
            params.append(self.until)
        if self.organisation_ids is not None:
            ids = [int(i) for i in self.organisation_ids] or [0]
            parts.append(f"{alias}.organisation_id IN ({', '.join(['%s'] * len(ids))})")
            params.extend(ids)
        if self.approved_only:
            parts.append(
                "EXISTS (SELECT 1 FROM measurement_submission s WHERE s.indicator_id = "  # noqa: S608 - constant SQL fragments; values are parameters
                f"{alias}.indicator_id AND s.organisation_id = {alias}.organisation_id AND "
                f"s.period_start = {alias}.period_start AND s.state IN ('approved', 'locked'))"
            )
        return "".join(f" AND {p}" for p in parts), params


ALL = Scope()


def total_combination_id(coalition_id: int) -> int:
    """Id of the coalition's "total" combination (no option), or 0 when nothing was entered yet."""
    found = OptionCombination.objects.filter(coalition_id=coalition_id, key="").values_list("pk", flat=True).first()
    return found or 0


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _to_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def combination_options(coalition_id: int) -> dict[int, dict[int, int]]:
    """Per option combination of the coalition: category id → option id (one small query)."""
    mapping: dict[int, dict[int, int]] = defaultdict(dict)
    rows = OptionCombination.options.through.objects.filter(optioncombination__coalition_id=coalition_id).values_list(
        "optioncombination_id", "categoryoption__category_id", "categoryoption_id"
    )
    for combination, category, option in rows:
        mapping[combination][category] = option
    return dict(mapping)


def member_period_sql(
    indicator: Indicator,
    scope: Scope,
    categories: Sequence[int] = (),
    total_id: int | None = None,
    combinations: dict[int, dict[int, int]] | None = None,
    join: tuple[str, list[Any]] = ("", []),
) -> tuple[str, list[Any], list[str]]:
    """SQL of one row per (period, member[, option of each category]) with ``v``, ``num``, ``den``.
    ``join``: a clause (and its parameters) joined to the values ``dv``, to read only some of them.

    Without categories a member's row is its direct total when it entered one, else the sum of its
    cells. With categories, only cells are read, grouped by their option of each category. The option
    of a cell is looked up in ``combinations`` (``combination_options``, fetched if not given) and
    written into the SQL as a ``CASE`` on the combination id, so there is no join per value.
    """
    where, params = scope.sql()
    dims: list[str] = []
    if categories:
        if combinations is None:
            combinations = combination_options(indicator.coalition_id)
        eligible, dims = _dims("dv.combination_id", categories, combinations)
        where = f" AND dv.combination_id IN ({_ids(eligible)}){where}"
    if categories:
        pick = {col: f"SUM(dv.{col})" for col in ("value", "numerator", "denominator")}
    else:
        pick = {
            col: f"COALESCE(SUM(CASE WHEN dv.combination_id = %s THEN dv.{col} END), SUM(dv.{col}))"
            for col in ("value", "numerator", "denominator")
        }
    value = PCT.format(num=pick["numerator"], den=pick["denominator"]) if indicator.is_percentage else pick["value"]
    select = (
        "SELECT dv.period_start AS period_start, dv.organisation_id AS org"
        + "".join(f", {d} AS d{i}" for i, d in enumerate(dims))
        + f", {value} AS v, {pick['numerator']} AS num, {pick['denominator']} AS den"
    )
    # Every placeholder in the SELECT list is the id of the "total" combination.
    if categories:
        head = []
    else:
        total = total_combination_id(indicator.coalition_id) if total_id is None else total_id
        head = [total] * select.count("%s")
    sql = (
        f"{select} FROM measurement_datavalue dv{join[0]} WHERE dv.indicator_id = %s{where} "  # noqa: S608 - constant SQL fragments and ints; values are parameters
        "GROUP BY dv.period_start, dv.organisation_id" + "".join(f", {d}" for d in dims)
    )
    params_all = [*head, *join[1], indicator.pk, *params]
    return sql, params_all, [f"d{i}" for i in range(len(categories))]


def _dims(
    column: str, categories: Sequence[int], combinations: dict[int, dict[int, int]]
) -> tuple[list[int], list[str]]:
    """The combinations holding an option of every category, and per category the SQL giving a
    combination's option of it (a ``CASE`` on ``column``, so no join is needed)."""
    eligible = sorted(c for c, options in combinations.items() if all(k in options for k in categories))
    dims = []
    for category in categories:
        branches = " ".join(f"WHEN {int(c)} THEN {int(combinations[c][category])}" for c in eligible)
        # A bare NULL may not be grouped by on PostgreSQL; a typed one may.
        dims.append(f"CASE {column} {branches} END" if eligible else "CAST(NULL AS INTEGER)")
    return eligible, dims


def _ids(ids: Sequence[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "0"


def _member_rule(indicator: Indicator) -> str:
    return (MEMBER_RULE_PCT if indicator.is_percentage else MEMBER_RULE)[calc.member_rule(indicator.member_aggregation)]


def _figure_rule(indicator: Indicator) -> str:
    """The across-member rule read from ``PeriodFigure`` rows (aggregated, so several rows may fold
    into one group: right for sums always, for averages and maxima only when each member has at most
    one row per group)."""
    match calc.member_rule(indicator.member_aggregation):
        case MemberAggregation.AVERAGE:
            return "CASE WHEN SUM(value_count) > 0 THEN SUM(value_sum) * 1.0 / SUM(value_count) END"
        case MemberAggregation.MAX:
            return "MAX(value_max)"
        case MemberAggregation.SUM:
            return (
                PCT.format(num="SUM(numerator_sum)", den="SUM(denominator_sum)")
                if indicator.is_percentage
                else "SUM(value_sum)"
            )
    raise calc.UnknownRule(indicator.member_aggregation)  # pragma: no cover - every choice is matched above


def _figures(indicator: Indicator, scope: Scope, cells: str) -> tuple[str, list[Any]]:
    """``FROM … WHERE …`` of the indicator's ``PeriodFigure`` rows in ``scope`` (which must not name
    members): ``cells`` is the SQL condition on ``pf.cell``."""
    where, params = replace(scope, approved_only=False).sql("pf")
    return (
        f"FROM measurement_periodfigure pf WHERE pf.indicator_id = %s AND pf.approved_only = %s AND {cells}{where}",
        [indicator.pk, scope.approved_only, *params],
    )


def member_values_sql(indicator: Indicator, scope: Scope) -> tuple[str, list[Any]]:
    """SQL of the members' values (``MemberPeriodValue``): period_start, org, v, num, den."""
    where, params = scope.sql("mp")
    sql = (
        "SELECT mp.period_start AS period_start, mp.organisation_id AS org, mp.value AS v, "  # noqa: S608 - constant SQL fragments; values are parameters
        "mp.numerator AS num, mp.denominator AS den FROM measurement_memberperiodvalue mp "
        f"WHERE mp.indicator_id = %s{where}"
    )
    return sql, [indicator.pk, *params]


def member_values_many(indicators: Sequence[Indicator], scope: Scope) -> dict[int, dict[tuple[int, dt.date], Decimal]]:
    """Each member's value per period it reported (``MemberPeriodValue``) of several indicators of one
    coalition in one query: indicator id → (organisation id, period start) → value."""
    if not indicators:
        return {}
    rows = _fetch_many([(i.pk, *member_values_sql(i, scope)) for i in indicators])
    return {
        pk: {(org, _to_date(start)): calc.q(v) for start, org, v, _num, _den in found if v is not None}
        for pk, found in rows.items()
    }


# --- Per period ---------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a dashboard makes thousands, and a frozen one is slower to build
class PeriodPoint:
    period_start: dt.date
    label: str
    value: Decimal | None  # the coalition's value for the period (across members)
    to_date: Decimal | None  # the time rule applied from the first period up to this one
    reporters: int  # members who reported for the period itself
    target: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    direction: str = Direction.INCREASE
    carried: int = 0  # "latest value" indicators: members whose older value is carried forward
    carried_from: dt.date | None = None  # the oldest period a carried value comes from
    complete: bool = True  # flows: enough members reported (the coalition's completeness rule)

    @property
    def progress(self) -> Decimal | None:
        """The period's value towards its target, read for the indicator's direction."""
        return calc.progress(self.value, self.target, self.direction)


def series_sql(indicator: Indicator, scope: Scope = ALL) -> tuple[str, list[Any]]:
    """SQL of the per-period series: period, value, running value to date, reporters, num, den, carried,
    carried_from.

    "Latest value" indicators carry each member's most recent value at or before a period forward
    (rule 3 of ``docs/adr/0006``), so a member that has not reported yet still counts with its last
    value; ``carried`` says how many members' values are carried and ``carried_from`` since when."""
    if calc.time_rule(indicator.time_aggregation) == TimeAggregation.LATEST:
        if replace(scope, approved_only=False) == ALL:  # every period and member: the derived figures
            return _carried_from_figures_sql(indicator, scope)
        return _carried_series_sql(indicator, scope)
    if scope.organisation_ids is None:
        source, params = _figures(indicator, scope, "pf.cell = 0")
        per_period = (
            f"SELECT pf.period_start AS period_start, {_figure_rule(indicator)} AS value, "
            f"SUM(pf.members) AS reporters, SUM(pf.numerator_sum) AS num, SUM(pf.denominator_sum) AS den "
            f"{source} GROUP BY pf.period_start"
        )
    else:
        inner, params = member_values_sql(indicator, scope)
        per_period = (
            f"SELECT period_start, {_member_rule(indicator)} AS value, COUNT(*) AS reporters, "  # noqa: S608 - constant SQL fragments; values are parameters
            f"SUM(num) AS num, SUM(den) AS den FROM ({inner}) mp GROUP BY period_start"
        )
    running = {
        TimeAggregation.SUM: f"SUM(value) OVER (ORDER BY period_start {RUNNING})",
        TimeAggregation.AVERAGE: f"AVG(value) OVER (ORDER BY period_start {RUNNING})",
    }[calc.time_rule(indicator.time_aggregation)]
    sql = (
        f"WITH pp AS ({per_period}) "  # noqa: S608 - constant SQL fragments; values are parameters
        f"SELECT period_start, value, {running} AS to_date, reporters, num, den, 0 AS carried, "
        "CAST(NULL AS DATE) AS carried_from FROM pp ORDER BY period_start"
    )
    return sql, params


def _carried_from_figures_sql(indicator: Indicator, scope: Scope) -> tuple[str, list[Any]]:
    """``_carried_series_sql`` over every period and member, from the derived figures: each period's
    reporters from ``PeriodFigure``, plus the rows carried forward, read only for members with a gap
    (``MemberFigure``: a member whose values fill every period with data from its first to the last
    one carries nothing)."""
    inner, params = member_values_sql(indicator, scope)
    figures = [indicator.pk, scope.approved_only]
    sql = (
        "WITH pf AS MATERIALIZED (SELECT pf.period_start, pf.members, pf.value_sum, pf.value_count, pf.value_max, "  # noqa: S608 - constant SQL fragments; values are parameters
        "pf.numerator_sum, pf.denominator_sum FROM measurement_periodfigure pf "
        "WHERE pf.indicator_id = %s AND pf.approved_only = %s AND pf.cell = 0), "
        "pr AS MATERIALIZED (SELECT period_start AS at, ROW_NUMBER() OVER (ORDER BY period_start) AS r FROM pf), "
        "gm AS MATERIALIZED (SELECT mf.organisation_id AS org FROM measurement_memberfigure mf "
        "WHERE mf.indicator_id = %s AND mf.approved_only = %s AND (mf.first_period IS NULL "
        "OR mf.latest_period < (SELECT MAX(at) FROM pr) OR mf.value_count < (SELECT COUNT(*) FROM pr "
        "WHERE pr.at >= mf.first_period AND pr.at <= mf.latest_period))), "
        f"mp AS ({inner} AND mp.organisation_id IN (SELECT org FROM gm)), "
        "nx AS (SELECT mp.period_start, mp.v, mp.num, mp.den, pr.r, "
        "LEAD(mp.period_start) OVER (PARTITION BY mp.org ORDER BY mp.period_start) AS nxt, "
        "LEAD(pr.r) OVER (PARTITION BY mp.org ORDER BY mp.period_start) AS nr FROM mp JOIN pr ON pr.at = mp.period_start), "
        "gap AS (SELECT * FROM nx WHERE nr > r + 1 OR (nr IS NULL AND r < (SELECT MAX(r) FROM pr))), "
        "c AS (SELECT period_start AS at, members, value_sum, value_count, value_max, numerator_sum, "
        "denominator_sum, 0 AS carried, CAST(NULL AS DATE) AS src FROM pf UNION ALL "
        "SELECT pr.at, 0, gap.v, CASE WHEN gap.v IS NULL THEN 0 ELSE 1 END, gap.v, gap.num, gap.den, 1, "
        "gap.period_start FROM gap JOIN pr ON pr.at > gap.period_start AND (gap.nxt IS NULL OR pr.at < gap.nxt)), "
        f"pp AS (SELECT at AS period_start, {_figure_rule(indicator)} AS value, SUM(members) AS reporters, "
        "SUM(numerator_sum) AS num, SUM(denominator_sum) AS den, SUM(carried) AS carried, MIN(src) AS carried_from "
        "FROM c GROUP BY at) "
        "SELECT period_start, value, value AS to_date, reporters, num, den, carried, carried_from "
        "FROM pp ORDER BY period_start"
    )
    return sql, [*figures, *figures, *params]


def _carried_series_sql(indicator: Indicator, scope: Scope) -> tuple[str, list[Any]]:
    """Per period with data, the across-member rule over each member's value at or before it: a member
    row holds from its period until the member's next row. Only rows followed by a gap (the member
    skips the next period with data) are joined with later periods, so a coalition whose members
    report every period costs no range join."""
    inner, params = member_values_sql(indicator, scope)
    sql = (
        f"WITH mp AS ({inner}), "  # noqa: S608 - constant SQL fragments; values are parameters
        "rk AS (SELECT period_start, org, v, num, den, DENSE_RANK() OVER (ORDER BY period_start) AS r FROM mp), "
        "nx AS (SELECT period_start, org, v, num, den, r, LEAD(period_start) OVER (PARTITION BY org ORDER BY period_start) "
        "AS nxt, LEAD(r) OVER (PARTITION BY org ORDER BY period_start) AS nr FROM rk), "
        "ps AS (SELECT DISTINCT period_start AS at FROM mp), "
        # Rows carried into later periods: those whose member skips the next period with data.
        "gap AS (SELECT * FROM nx WHERE nr > r + 1 OR (nr IS NULL AND r < (SELECT MAX(r) FROM rk))), "
        "c AS (SELECT period_start AS at, org, v, num, den, period_start AS src FROM mp UNION ALL "
        "SELECT ps.at, gap.org, gap.v, gap.num, gap.den, gap.period_start FROM gap "
        "JOIN ps ON ps.at > gap.period_start AND (gap.nxt IS NULL OR ps.at < gap.nxt)), "
        f"pp AS (SELECT at AS period_start, {_member_rule(indicator)} AS value, "
        "SUM(CASE WHEN src = at THEN 1 ELSE 0 END) AS reporters, SUM(num) AS num, SUM(den) AS den, "
        "SUM(CASE WHEN src < at THEN 1 ELSE 0 END) AS carried, "
        "MIN(CASE WHEN src < at THEN src END) AS carried_from FROM c GROUP BY at) "
        "SELECT period_start, value, value AS to_date, reporters, num, den, carried, carried_from "
        "FROM pp ORDER BY period_start"
    )
    return sql, params


def _union(parts: Sequence[tuple[int, str, list[Any]]]) -> tuple[str, list[Any]]:
    """One statement returning the rows of several per-indicator statements, each tagged with its key
    (first column): one round trip for the whole dashboard instead of one per indicator."""
    sql = " UNION ALL ".join(f"SELECT %s AS k, x.* FROM ({part}) x" for _k, part, _p in parts)  # noqa: S608 - constant SQL fragments; values are parameters
    params: list[Any] = []
    for key, _part, part_params in parts:
        params.extend([key, *part_params])
    return sql, params


def _fetch_many(parts: Sequence[tuple[int, str, list[Any]]], chunk: int = 50) -> dict[int, list[tuple]]:
    """Rows of several tagged statements, grouped by key (in each statement's own row order)."""
    found: dict[int, list[tuple]] = {key: [] for key, _s, _p in parts}
    for i in range(0, len(parts), chunk):
        for row in _fetch(*_union(parts[i : i + chunk])):
            found[row[0]].append(row[1:])
    return found


def _points(indicator: Indicator, rows: Sequence[tuple[Any, ...]]) -> list[PeriodPoint]:
    targets, label, q = indicator.target_by_period, indicator.period_label, calc.q  # bound once: a row costs µs
    direction = calc.direction_of(indicator.direction)
    points = []
    for start, value, to_date, reporters, num, den, carried, since in sorted(rows, key=itemgetter(0)):  # ISO text sorts
        start = _to_date(start)
        points.append(
            PeriodPoint(
                start,
                label(start),
                q(value),
                q(to_date),
                int(reporters or 0),
                targets.get(start),
                q(num),
                q(den),
                direction,
                int(carried or 0),
                None if since is None else _to_date(since),
            )
        )
    return points


def series(indicator: Indicator, scope: Scope = ALL) -> list[PeriodPoint]:
    """The coalition's value for each period that has data, with the running value and the target."""
    return _points(indicator, _fetch(*series_sql(indicator, scope)))


def series_many(indicators: Sequence[Indicator], scope: Scope = ALL) -> dict[int, list[PeriodPoint]]:
    """``series`` of several indicators of one coalition in one query, keyed by indicator id."""
    if not indicators:
        return {}
    parts = [(i.pk, *series_sql(i, scope)) for i in indicators]
    rows = _fetch_many(parts)
    return {i.pk: _points(i, rows[i.pk]) for i in indicators}


# --- Per member, per option, cross tables --------------------------------------------------------


def _over_time_sql(indicator: Indicator, source: str, keys: Sequence[str]) -> str:
    """Collapse ``source`` (rows of period_start, keys, v) over time by the indicator's rule."""
    key_list = ", ".join(keys)
    rule = calc.time_rule(indicator.time_aggregation)
    if rule == TimeAggregation.LATEST:  # each key's row of its last period (one row per key and period)
        same = " AND ".join(f"s.{k} = l.{k}" for k in keys)
        return (
            f"SELECT {', '.join(f's.{k}' for k in keys)}, s.v FROM {source} s JOIN (SELECT {key_list}, "  # noqa: S608 - constant SQL fragments; values are parameters
            f"MAX(period_start) AS last FROM {source} GROUP BY {key_list}) l ON {same} AND s.period_start = l.last"
        )
    collapse = {TimeAggregation.SUM: "SUM(v)", TimeAggregation.AVERAGE: "AVG(v)"}[rule]
    return f"SELECT {key_list}, {collapse} AS v FROM {source} GROUP BY {key_list}"  # noqa: S608 - constant SQL fragments; values are parameters


OVER_TIME_FIGURE = {
    TimeAggregation.LATEST: "mf.latest_value",
    TimeAggregation.SUM: "mf.value_sum",
    TimeAggregation.AVERAGE: "CASE WHEN mf.value_count > 0 THEN mf.value_sum * 1.0 / mf.value_count END",
}


def by_member_sql(indicator: Indicator, scope: Scope = ALL) -> tuple[str, list[Any]]:
    if scope.since is None and scope.until is None and scope.periods is None:  # every period: the derived figures
        where, params = replace(scope, approved_only=False).sql("mf")
        sql = (
            f"SELECT mf.organisation_id AS org, {OVER_TIME_FIGURE[calc.time_rule(indicator.time_aggregation)]} AS v "  # noqa: S608 - constant SQL fragments; values are parameters
            f"FROM measurement_memberfigure mf WHERE mf.indicator_id = %s AND mf.approved_only = %s{where}"
        )
        return sql, [indicator.pk, scope.approved_only, *params]
    inner, params = member_values_sql(indicator, scope)
    return f"WITH mp AS ({inner}) {_over_time_sql(indicator, 'mp', ['org'])}", params


def by_member(indicator: Indicator, scope: Scope = ALL) -> dict[int, Decimal | None]:
    """Each member's contribution over the scope's periods (time rule), keyed by organisation id."""
    return {org: calc.q(v) for org, v in _fetch(*by_member_sql(indicator, scope))}


def by_member_many(indicators: Sequence[Indicator], scope: Scope = ALL) -> dict[int, dict[int, Decimal | None]]:
    """``by_member`` of several indicators of one coalition in one query, keyed by indicator id."""
    if not indicators:
        return {}
    rows = _fetch_many([(i.pk, *by_member_sql(i, scope)) for i in indicators])
    return {pk: {org: calc.q(v) for org, v in found} for pk, found in rows.items()}


def table(indicator: Indicator, categories: Sequence[DisaggregationCategory], scope: Scope = ALL) -> dict[tuple, Any]:
    """Values broken down by the options of ``categories`` (one or two), across members and over time.

    Keys are tuples of option ids (one per category); only disaggregated cells are read, so the
    totals of this table may differ from a member's directly entered total (see
    ``consistency_issues``).
    """
    return {tuple(row[:-1]): calc.q(row[-1]) for row in _fetch(*table_sql(indicator, categories, scope))}


def table_sql(
    indicator: Indicator,
    categories: Sequence[DisaggregationCategory],
    scope: Scope = ALL,
    combinations: dict[int, dict[int, int]] | None = None,
) -> tuple[str, list[Any]]:
    ids = [c.pk for c in categories]
    if combinations is None:
        combinations = combination_options(indicator.coalition_id)
    if calc.time_rule(indicator.time_aggregation) == TimeAggregation.LATEST:
        return _latest_table_sql(indicator, ids, scope, combinations)
    eligible, dims = _dims("pf.cell", ids, combinations)
    one_cell_each = len({tuple(combinations[c][k] for k in ids) for c in eligible}) == len(eligible)
    if scope.organisation_ids is None and (
        calc.member_rule(indicator.member_aggregation) == MemberAggregation.SUM or one_cell_each
    ):
        # From the derived figures: each cell's row, folded into the requested options.
        source, params = _figures(indicator, scope, f"pf.cell IN ({_ids(eligible)})")
        keys = [f"d{i}" for i in range(len(dims))]
        per_period = (
            f"SELECT pf.period_start AS period_start, {', '.join(f'{d} AS {k}' for d, k in zip(dims, keys, strict=True))}, "
            f"{_figure_rule(indicator)} AS v {source} GROUP BY pf.period_start, {', '.join(dims)}"
        )
        return f"WITH pp AS ({per_period}) {_over_time_sql(indicator, 'pp', keys)}", params
    inner, params, dims = member_period_sql(indicator, scope, ids, combinations=combinations)
    dim_list = ", ".join(dims)
    per_period = (
        f"SELECT period_start, {dim_list}, {_member_rule(indicator)} AS v FROM mp GROUP BY period_start, {dim_list}"  # noqa: S608 - constant SQL fragments; values are parameters
    )
    return f"WITH mp AS ({inner}), pp AS ({per_period}) {_over_time_sql(indicator, 'pp', dims)}", params


def latest_periods_sql(indicator: Indicator, scope: Scope) -> tuple[str, list[Any]]:
    """SQL of each member's last period with a value in ``scope``: ``org``, ``at``."""
    if scope.since is None and scope.until is None and scope.periods is None:  # the derived figures
        where, params = replace(scope, approved_only=False).sql("mf")
        sql = (
            "SELECT mf.organisation_id AS org, mf.latest_period AS at FROM measurement_memberfigure mf "  # noqa: S608 - constant SQL fragments; values are parameters
            f"WHERE mf.indicator_id = %s AND mf.approved_only = %s{where}"
        )
        return sql, [indicator.pk, scope.approved_only, *params]
    inner, params = member_values_sql(indicator, scope)
    return f"SELECT org, MAX(period_start) AS at FROM ({inner}) mv GROUP BY org", params  # noqa: S608 - constant SQL fragments; values are parameters


def _latest_table_sql(
    indicator: Indicator, ids: Sequence[int], scope: Scope, combinations: dict[int, dict[int, int]]
) -> tuple[str, list[Any]]:
    """A "latest value" breakdown: each member's cells of its last period (carried forward, as the
    totals are: docs/adr/0006), combined across members cell by cell."""
    last, last_params = latest_periods_sql(indicator, scope)
    join = f" JOIN ({last}) lp ON lp.org = dv.organisation_id AND lp.at = dv.period_start"
    inner, params, dims = member_period_sql(indicator, scope, ids, combinations=combinations, join=(join, last_params))
    dim_list = ", ".join(dims)
    return f"WITH mp AS ({inner}) SELECT {dim_list}, {_member_rule(indicator)} AS v FROM mp GROUP BY {dim_list}", params  # noqa: S608 - constant SQL fragments; values are parameters


def table_many(
    requests: Sequence[tuple[Indicator, Sequence[DisaggregationCategory]]],
    scope: Scope = ALL,
    combinations: dict[int, dict[int, int]] | None = None,
) -> dict[int, dict[tuple, Any]]:
    """``table`` of several indicators (each with its own categories) in one query, keyed by indicator id.
    Every request must break its indicator down by the same number of categories."""
    if not requests:
        return {}
    if combinations is None:
        combinations = combination_options(requests[0][0].coalition_id)
    rows = _fetch_many([(i.pk, *table_sql(i, cats, scope, combinations)) for i, cats in requests])
    return {pk: {tuple(row[:-1]): calc.q(row[-1]) for row in found} for pk, found in rows.items()}


def by_option(indicator: Indicator, category: DisaggregationCategory, scope: Scope = ALL) -> dict[int, Decimal | None]:
    """Values per option of one category (option id → value)."""
    return {key[0]: value for key, value in table(indicator, [category], scope).items()}


# --- Progress, trend, scorecard ------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRow:
    indicator: Indicator
    latest: PeriodPoint | None  # the period the scorecard reads (see ``scorecard_row``)
    target: Decimal | None  # the target of that period
    variance: Decimal | None  # latest value minus its target
    status: calc.Status
    trend: calc.Trend
    to_date: Decimal | None  # the time rule over every period so far
    life_target: Decimal | None  # the life-of-effort target
    progress: Decimal | None  # to_date towards life_target, in % (direction-aware)
    points: list[PeriodPoint] = field(default_factory=list)
    expected: int = 0  # members expected to report
    skipped: int = 0  # flows: later periods left out of "latest" and the trend because incomplete

    @property
    def progress_latest(self) -> Decimal | None:
        return calc.progress(self.latest.value if self.latest else None, self.target, self.indicator.direction)

    @property
    def note(self) -> str:
        """What the latest figure is made of, when it is not simply every member's report for it."""
        latest = self.latest
        if latest is None:
            return ""
        parts = []
        if latest.carried:
            parts.append(
                ngettext(
                    "%(n)s member's value carried forward from %(period)s",
                    "%(n)s members' values carried forward, the oldest from %(period)s",
                    latest.carried,
                )
                % {
                    "n": latest.carried,
                    "period": self.indicator.period_label(latest.carried_from or latest.period_start),
                }
            )
        if self.skipped:
            parts.append(
                ngettext(
                    "latest complete period; %(n)s later period is incomplete",
                    "latest complete period; %(n)s later periods are incomplete",
                    self.skipped,
                )
                % {"n": self.skipped}
            )
        return "; ".join(parts)


def mark_complete(points: Sequence[PeriodPoint], expected: int, share: int, rule: TimeAggregation) -> None:
    """Mark each flow period complete or not by the coalition's rule (``calc.is_complete``); a "latest
    value" period is always complete, since every member's value is carried into it."""
    for point in points:
        point.complete = rule == TimeAggregation.LATEST or calc.is_complete(point.reporters, expected, share)


def scorecard_row(
    indicator: Indicator,
    scope: Scope = ALL,
    margin: Decimal | None = None,
    points: list[PeriodPoint] | None = None,
    expected: int | None = None,
) -> ScorecardRow:
    """The one reading of an indicator's figures that every screen, export and the brief show.

    "Latest value" indicators read their last period (each member's latest value carried into it);
    sums and averages read the latest complete period, and their trend compares complete periods only.
    ``to_date`` applies the time rule to every period so far (what the members table adds up to)."""
    points = series(indicator, scope) if points is None else points
    coalition = indicator.coalition
    margin = coalition.on_track_margin if margin is None else margin
    expected = expected_reporters([indicator], scope)[indicator.pk] if expected is None else expected
    rule = calc.time_rule(indicator.time_aggregation)
    mark_complete(points, expected, coalition.complete_share, rule)
    comparable = [p for p in points if p.complete]
    latest = comparable[-1] if comparable else None
    target = latest.target if latest else None
    value = latest.value if latest else None
    life = calc.life_target(rule, list(indicator.target_by_period.values()))
    to_date = points[-1].to_date if points else None
    return ScorecardRow(
        indicator=indicator,
        latest=latest,
        target=target,
        variance=None if value is None or target is None else calc.q(value - target),
        status=calc.status(value, target, indicator.direction, margin),
        trend=calc.trend([p.value for p in comparable], indicator.direction),
        to_date=to_date,
        life_target=life,
        progress=calc.progress(to_date, life, indicator.direction),
        points=points,
        expected=expected,
        skipped=len(points) - 1 - points.index(latest) if latest else len(points),
    )


def active_indicators(coalition: Coalition) -> list[Indicator]:
    """The coalition's indicators in display order: shared ones first (targets, categories and their
    options fetched at once, so presenting them costs no further query)."""
    indicators = list(Indicator.objects.filter(coalition=coalition, is_archived=False))
    ids = _ids([i.pk for i in indicators])
    targets: dict[int, dict[dt.date, Decimal]] = {i.pk: {} for i in indicators}
    # Plain rows in one fetch, not model instances: a dashboard may hold thousands of targets.
    rows = _fetch(
        f"SELECT indicator_id, period_start, value FROM measurement_target WHERE indicator_id IN ({ids}) "  # noqa: S608 - ids are ints
        "ORDER BY indicator_id, period_start",
        [],
    )
    for indicator_id, start, value in rows:
        targets[indicator_id][_to_date(start)] = calc.q(value)
    breakdowns = _breakdowns(ids)
    for indicator in indicators:
        indicator.coalition = coalition  # the caller's object: no join, no copy per indicator
        indicator.__dict__["target_by_period"] = targets[indicator.pk]  # fills the cached properties
        indicator.__dict__["breakdown"] = breakdowns.get(indicator.pk, [])
    return indicators


CATEGORY_COLUMNS = ["id", "coalition_id", "name", "order"]
OPTION_COLUMNS = ["id", "category_id", "name", "order", "is_active"]


def _breakdowns(indicator_ids: str) -> dict[int, list[DisaggregationCategory]]:
    """Indicator id → its categories (in their display order), each with its ``option_list``, from two
    plain queries. The instances hold the columns above; any other field would be read on first use."""
    links = _fetch(
        f"SELECT indicator_id, category_id FROM measurement_indicatorcategory WHERE indicator_id IN ({indicator_ids})",  # noqa: S608 - ids are ints
        [],
    )
    if not links:
        return {}
    rows = _fetch(
        'SELECT c.id, c.coalition_id, c.name, c."order", o.id, o.category_id, o.name, o."order", o.is_active '  # noqa: S608 - ids are ints
        "FROM measurement_disaggregationcategory c LEFT JOIN measurement_categoryoption o ON o.category_id = c.id "
        f"WHERE c.id IN ({_ids([c for _i, c in links])}) "
        'ORDER BY c."order", c.name, c.id, o."order", o.name, o.id',
        [],
    )
    categories: dict[int, DisaggregationCategory] = {}  # in display order
    for row in rows:
        category = categories.get(row[0])
        if category is None:
            category = categories[row[0]] = DisaggregationCategory.from_db(None, CATEGORY_COLUMNS, row[:4])
            category.__dict__["option_list"] = []
        if row[4] is not None:
            option = CategoryOption.from_db(None, OPTION_COLUMNS, (*row[4:8], bool(row[8])))
            category.option_list.append(option)
    position = {pk: n for n, pk in enumerate(categories)}
    chosen: dict[int, list[int]] = defaultdict(list)
    for indicator_id, category_id in links:
        chosen[indicator_id].append(category_id)
    return {i: [categories[c] for c in sorted(cs, key=position.__getitem__)] for i, cs in chosen.items()}


def scorecard(coalition: Coalition, scope: Scope = ALL, *, shared_only: bool = False) -> list[ScorecardRow]:
    """One row per active indicator (shared first): latest actual, target, variance, status, trend.
    A fixed number of queries whatever the number of indicators: the series come in one statement."""
    indicators = [i for i in active_indicators(coalition) if i.is_shared or not shared_only]
    points = series_many(indicators, scope)
    expected = expected_reporters(indicators, scope)
    return [scorecard_row(i, scope, coalition.on_track_margin, points[i.pk], expected[i.pk]) for i in indicators]


def expected_reporters(indicators: Sequence[Indicator], scope: Scope = ALL) -> dict[int, int]:
    """Per indicator id, the members expected to report it: the coalition's reporting organisations
    that have reported it at least once (in ``scope``). One query."""
    if not indicators:
        return {}
    active = [o.pk for o in reporting_organisations(indicators[0].coalition)]
    where, params = replace(scope, approved_only=False, since=None, until=None, periods=None).sql("mf")
    rows = _fetch(
        "SELECT mf.indicator_id, COUNT(*) FROM measurement_memberfigure mf "  # noqa: S608 - ids are ints; values are parameters
        f"WHERE mf.indicator_id IN ({_ids([i.pk for i in indicators])}) AND mf.approved_only = %s "
        f"AND mf.organisation_id IN ({_ids(active)}){where} GROUP BY mf.indicator_id",
        [scope.approved_only, *params],
    )
    found = {i.pk: 0 for i in indicators}
    found.update({indicator_id: int(n) for indicator_id, n in rows})
    return found


# --- Completeness and consistency -----------------------------------------------------------------


def reporting_organisations(coalition: Coalition) -> list[Stakeholder]:
    """Organisations expected to report: those represented by an active member of the coalition."""
    ids = (
        Membership.objects.filter(coalition=coalition, is_active=True, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    # Their names are all a dashboard shows; any other field is read on first use.
    return list(Stakeholder.objects.filter(pk__in=ids).order_by("name").only("id", "name"))


@dataclass(frozen=True)
class CompletenessRow:
    organisation: Stakeholder
    states: list[str]  # per period: "missing" or a Submission.State value
    missing: int


@dataclass(frozen=True)
class Completeness:
    indicator: Indicator
    periods: list[dt.date]
    labels: list[str]
    rows: list[CompletenessRow]

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.rows)

    @property
    def rate(self) -> Decimal | None:
        expected = len(self.periods) * len(self.rows)
        return calc.percentage(Decimal(expected - self.missing), Decimal(expected)) if expected else None


def completeness(
    indicator: Indicator, until: dt.date, organisations: Sequence[Stakeholder] | None = None
) -> Completeness:
    """Which members have (not) reported for which periods of the indicator's life up to ``until``."""
    organisations = reporting_organisations(indicator.coalition) if organisations is None else list(organisations)
    return completeness_many([indicator], until, organisations)[indicator.pk]


def completeness_many(
    indicators: Sequence[Indicator], until: dt.date, organisations: Sequence[Stakeholder] | None = None
) -> dict[int, Completeness]:
    """``completeness`` of several indicators of one coalition in three queries, keyed by indicator id
    (plain rows: a dashboard reads thousands of them)."""
    if not indicators:
        return {}
    if organisations is None:
        organisations = reporting_organisations(indicators[0].coalition)
    organisations = list(organisations)
    life = {i.pk: i.period_starts(until) for i in indicators}
    first = min((s[0] for s in life.values() if s), default=None)
    if first is None:
        return {i.pk: _completeness(i, [], organisations, set(), {}) for i in indicators}
    span = (  # only the rows shown
        f"indicator_id IN ({_ids([i.pk for i in indicators])}) AND organisation_id IN ({_ids([o.pk for o in organisations])}) "
        "AND period_start >= %s AND period_start <= %s"
    )
    reported = {
        (ind, org, _to_date(start))
        for ind, org, start in _fetch(
            f"SELECT indicator_id, organisation_id, period_start FROM measurement_memberperiodvalue WHERE {span}",  # noqa: S608 - ids are ints
            [first, until],
        )
    }
    states = {
        (ind, org, _to_date(start)): state
        for ind, org, start, state in _fetch(
            f"SELECT indicator_id, organisation_id, period_start, state FROM measurement_submission WHERE {span}",  # noqa: S608 - ids are ints
            [first, until],
        )
    }
    return {i.pk: _completeness(i, life[i.pk], organisations, reported, states) for i in indicators}


def _completeness(
    indicator: Indicator,
    starts: list[dt.date],
    organisations: Sequence[Stakeholder],
    reported: set[tuple],
    states: dict[tuple, str],
) -> Completeness:
    rows, draft, pk = [], Submission.State.DRAFT, indicator.pk
    for org in organisations:
        org_pk = org.pk
        cells = [states.get(key, draft) if key in reported else "missing" for key in ((pk, org_pk, s) for s in starts)]
        rows.append(CompletenessRow(org, cells, cells.count("missing")))
    return Completeness(indicator, starts, [indicator.period_label(s) for s in starts], rows)


def missing_reports(coalition: Coalition, until: dt.date) -> dict[int, int]:
    """Per indicator id, how many (member, period) reports are missing up to ``until`` (one query)."""
    organisations = [o.pk for o in reporting_organisations(coalition)]
    indicators = active_indicators(coalition)
    if not organisations:
        return {i.pk: 0 for i in indicators}
    # Reporters per (indicator, period): one member value each, however many cells it filled.
    per_period = (
        MemberPeriodValue.objects.filter(
            indicator__in=indicators, organisation_id__in=organisations, period_start__lte=until
        )
        .values("indicator_id", "period_start")
        .annotate(n=Count("organisation_id"))
        .values_list("indicator_id", "period_start", "n")
    )
    reported: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for indicator_id, start, n in per_period:
        reported[indicator_id][_to_date(start)] = n
    result = {}
    for i in indicators:
        starts = i.period_starts(until)
        found = reported.get(i.pk, {})
        result[i.pk] = len(starts) * len(organisations) - sum(found.get(s, 0) for s in starts)
    return result


@dataclass(frozen=True)
class Inconsistency:
    organisation_id: int
    period_start: dt.date
    total: Decimal
    breakdown: Decimal

    @property
    def difference(self) -> Decimal:
        return self.total - self.breakdown


def consistency_issues(indicator: Indicator, scope: Scope = ALL) -> list[Inconsistency]:
    """Member periods where a directly entered total and the sum of the breakdown disagree."""
    total = total_combination_id(indicator.coalition_id)
    where, params = scope.sql()
    column = "numerator" if indicator.is_percentage else "value"
    sql = (
        f"SELECT dv.organisation_id, dv.period_start, SUM(CASE WHEN dv.combination_id = %s THEN dv.{column} END) AS t, "  # noqa: S608 - constant SQL fragments; values are parameters
        f"SUM(CASE WHEN dv.combination_id <> %s THEN dv.{column} END) AS b FROM measurement_datavalue dv "
        f"WHERE dv.indicator_id = %s{where} GROUP BY dv.organisation_id, dv.period_start "
        f"HAVING SUM(CASE WHEN dv.combination_id = %s THEN dv.{column} END) <> "
        f"SUM(CASE WHEN dv.combination_id <> %s THEN dv.{column} END) ORDER BY dv.period_start, dv.organisation_id"
    )
    rows = _fetch(sql, [total, total, indicator.pk, *params, total, total])
    return [Inconsistency(org, _to_date(start), calc.q(t), calc.q(b)) for org, start, t, b in rows]
