"""What the measurement screens show: tables (the same ones the exports write) and the charts beside them.

Figures come from ``queries`` (aggregated in the database); this module only arranges them. In the
shared view (members, or the hub choosing it) only approved data counts and disaggregated counts pass
through ``calc.suppress``, so a small cell is printed as ``<k`` and no total lets it be recomputed; the
charts are drawn from the same suppressed numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, partial
from itertools import product
from typing import Any

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from coalition.measurement import calc, charts, disclosure, queries, sharing
from coalition.measurement.models import (
    Direction,
    DisaggregationCategory,
    Indicator,
    Kind,
    MemberAggregation,
    Submission,
    TimeAggregation,
)
from coalition.stakeholders.models import Stakeholder

COMPLETENESS_PERIODS = 12  # the dashboard shows the most recent ones; the export has them all
DASHBOARD_PERIODS = 12  # the dashboard charts and tables the most recent periods, all on request; exports have all
MEMBERS_CHARTED = 20  # the contribution chart shows the largest ones; the table beside it lists every member


def display(value: Any) -> str:
    """A figure as printed on screen: ``—`` when missing, no trailing zeros, at most two decimals, grouped and
    with the decimal mark of the active language (``1,234.5`` in English, ``1 234,5`` in French)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        places = Decimal("0.01") if value != value.to_integral_value() else Decimal(1)
        rounded = value.quantize(places, rounding=ROUND_HALF_UP)  # the one rounding rule: half up
        return formats.number_format(rounded, use_l10n=True, force_grouping=True)
    return str(value)


def exported(value: Any) -> Any:
    """A figure as written to a file: a number without the stored trailing zeros (``3``, not ``3.0000``)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else Decimal(f"{value.normalize():f}")
    return value


@dataclass(frozen=True)
class View:
    """Who the figures are for: ``shared`` hides small cells and counts only approved data."""

    shared: bool
    threshold: int
    protection_width: int | None = None  # the coalition's setting; None: the threshold

    @property
    def width(self) -> int:
        return self.protection_width or self.threshold

    @property
    def scope(self) -> queries.Scope:
        return queries.Scope(approved_only=self.shared)


@dataclass
class Table:
    """A table as shown and as exported: a header, rows of cells, the indexes of numeric columns."""

    slug: str
    caption: str
    header: list[str]
    rows: list[list[Any]]
    numeric: frozenset[int] = frozenset()
    footer: list[Any] | None = None
    note: str = ""

    @property
    def export_rows(self) -> list[list[Any]]:
        return [[exported(v) for v in row] for row in [*self.rows, *([self.footer] if self.footer else [])]]

    def _row(self, row: Sequence[Any], cell_class: str = "") -> str:
        cells = [
            f'<th scope="row">{escape(display(value))}</th>'
            if i == 0
            else f'<td class="{"num" if i in self.numeric else cell_class}">{escape(display(value))}</td>'
            for i, value in enumerate(row)
        ]
        return f"<tr>{''.join(cells)}</tr>"

    def body_html(self, cell_class: str = "") -> SafeString:
        """The ``<tbody>`` rows (built here rather than in the template: tables of a few hundred cells
        render about ten times faster)."""
        return mark_safe("".join(self._row(row, cell_class) for row in self.rows))  # noqa: S308 - escaped above

    def footer_html(self) -> SafeString:
        return mark_safe(self._row(self.footer) if self.footer else "")  # noqa: S308 - escaped above

    def state_body_html(self) -> SafeString:
        return self.body_html("state")


@dataclass
class Panel:
    """One chart with its table. The chart (inline SVG, or a short message when there is nothing to draw)
    is only drawn when a page shows it, never for an export."""

    title: str
    draw: Callable[[], SafeString]
    table: Table

    @cached_property
    def chart(self) -> SafeString:
        return self.draw()


@dataclass
class IndicatorPanels:
    indicator: Indicator
    row: queries.ScorecardRow
    panels: list[Panel] = field(default_factory=list)
    completeness: Table | None = None


def _mark(value: Any, hidden: bool) -> Any:
    """A figure as the shared view prints it: one mark when hidden."""
    return disclosure.MARK if hidden and value is not None else value


def hidden_note(view: View) -> str:
    return _(
        "Counts below %(k)s, and other entries where needed, are hidden (“x”) so that no hidden count can be "
        "narrowed down to fewer than %(w)s possible values."
    ) % {"k": view.threshold, "w": view.width}


def _chartable(values: Sequence[Any]) -> list[Decimal | None]:
    return [v if isinstance(v, Decimal) else None for v in values]


def _largest_first(value: Any) -> tuple[bool, Decimal]:
    """Sort key: figures from the largest down, then hidden or missing ones."""
    return (False, -value) if isinstance(value, Decimal) else (True, Decimal(0))


# --- Scorecard -------------------------------------------------------------------------------------


def trend_text(trend: calc.Trend) -> str:
    words = {"up": _("rising"), "down": _("falling"), "flat": _("steady")}[trend.direction]
    if trend.good is None:
        return words
    quality = _("good direction") if trend.good else _("wrong direction")
    return _("%(trend)s, %(quality)s, for %(n)s periods") % {"trend": words, "quality": quality, "n": trend.periods}


def sparkline(row: queries.ScorecardRow, last: int = DASHBOARD_PERIODS) -> SafeString:
    """The shape of the indicator's recent periods as a tiny picture, named with its first and last figures."""
    points = row.points[-last:]
    known = [p for p in points if p.value is not None]
    if len(known) < 2:
        return charts.sparkline([], "")
    name = _("%(name)s over the last %(n)s periods: from %(first)s (%(start)s) to %(last)s (%(end)s)") % {
        "name": row.indicator.name,
        "n": len(points),
        "first": display(known[0].value),
        "start": known[0].label,
        "last": display(known[-1].value),
        "end": known[-1].label,
    }
    return charts.sparkline([p.value for p in points], name)


def _with_unit(value: Decimal, indicator: Indicator) -> str:
    if indicator.kind == Kind.PERCENTAGE:
        return f"{display(value)}%"
    return f"{display(value)} {indicator.unit}".strip()


def to_date_text(row: queries.ScorecardRow) -> str:
    """The figure over every period so far, said in words that fit the indicator: a total, an average or
    the latest value; against the end-of-effort target as points to go for a percentage (a share of a share
    would confuse), as the part of the target reached otherwise."""
    indicator = row.indicator
    if row.to_date is None:
        return _("No values reported yet.")
    rule = calc.time_rule(indicator.time_aggregation)
    value = _with_unit(row.to_date, indicator)
    said = {
        TimeAggregation.SUM: _("%(value)s in total so far"),
        TimeAggregation.AVERAGE: _("%(value)s on average over all periods so far"),
        TimeAggregation.LATEST: _("%(value)s at the latest report"),
    }[rule] % {"value": value}
    if row.life_target is None:
        return _("%(said)s; no end-of-effort target is set.") % {"said": said}
    target = _with_unit(row.life_target, indicator)
    if indicator.kind == Kind.PERCENTAGE:
        gap = row.life_target - row.to_date
        if calc.direction_of(indicator.direction) == Direction.DECREASE:
            gap = -gap
        if gap > 0:
            return _("%(said)s; the end-of-effort target is %(target)s: %(gap)s percentage points to go.") % {
                "said": said,
                "target": target,
                "gap": display(gap),
            }
        return _("%(said)s; the end-of-effort target of %(target)s is reached.") % {"said": said, "target": target}
    if row.progress is None:
        return _("%(said)s; the end-of-effort target is %(target)s.") % {"said": said, "target": target}
    return _("%(said)s, against an end-of-effort target of %(target)s: %(p)s%% of the way.") % {
        "said": said,
        "target": target,
        "p": display(calc.shown_percent(row.progress)),
    }


def scorecard_table(rows: Sequence[queries.ScorecardRow]) -> Table:
    return Table(
        "scorecard",
        _("Scorecard"),
        [
            _("Indicator"),
            _("Shared"),
            _("Latest period"),
            _("Latest actual"),
            _("Target"),
            _("Variance"),
            _("Status"),
            _("Trend"),
            _("Trend lasted (periods)"),
            _("Basis"),
        ],
        [
            [
                r.indicator.name,
                _("yes") if r.indicator.is_shared else "",
                r.latest.label if r.latest else "",
                r.latest.value if r.latest else None,
                r.target,
                r.variance,
                r.status.label,
                trend_text(r.trend),
                r.trend.periods,
                r.note,
            ]
            for r in rows
        ],
        numeric=frozenset({3, 4, 5, 8}),
    )


# --- One indicator's panels ---------------------------------------------------------------------


def series_panel(
    indicator: Indicator, row: queries.ScorecardRow, hidden: sharing.Hidden | None = None, last: int | None = None
) -> Panel:
    """``hidden``: the figures the shared view hides (``sharing.hidden_figures``); none if not given;
    ``last``: only the most recent periods (all if not given)."""
    points = row.points[-last:] if last else row.points
    hidden = hidden or sharing.Hidden()
    values = [_mark(p.value, p.period_start in hidden.periods) for p in points]
    table = Table(
        f"series-{indicator.pk}",
        _("Value and target by period"),
        [
            _("Period"),
            _("Value"),
            _("Target"),
            _("Progress (%)"),
            _("To date"),
            _("Members reporting"),
            _("Values carried forward"),
            _("Complete"),
        ],
        [
            [
                p.label,
                value,
                p.target,
                _mark(calc.shown_percent(p.progress), p.period_start in hidden.periods),
                _mark(p.to_date, p.period_start in hidden.to_date),
                p.reporters,
                p.carried,
                _("yes") if p.complete else _("no, not compared"),
            ]
            for p, value in zip(points, values, strict=True)
        ],
        numeric=frozenset({1, 2, 3, 4, 5, 6}),
        note=" ".join(n for n in [row.note, hidden.note] if n),
    )
    if not points:
        return Panel(_("Value vs target over time"), partial(charts.empty, _("No values reported yet.")), table)
    draw = partial(
        charts.chart,
        "line",
        _("%(name)s: value and target by period") % {"name": indicator.name},
        [p.label for p in points],
        [(_("Value"), _chartable(values)), (_("Target"), [p.target for p in points])],
        uid=f"series-{indicator.pk}",
        include_x_axis=True,
        x_label_rotation=30 if len(points) > charts.LEGIBLE_LABELS else 0,
        width=960,
        height=250,
    )
    return Panel(_("Value vs target over time"), draw, table)


def members_panel(
    indicator: Indicator,
    view: View,
    organisations: Sequence[Stakeholder],
    contributions: dict[int, Decimal | None],
    former: dict[int, str] | None = None,
    hidden: sharing.Hidden | None = None,
) -> Panel:
    """``former``: names of organisations that reported but are no longer members (looked up if not given);
    ``hidden``: the figures the shared view hides (``sharing.hidden_figures``); none if not given."""
    names = {o.pk: o.name for o in organisations}
    if former is not None:
        names.update({pk: name for pk, name in former.items() if pk in contributions})
    elif unknown := [pk for pk in contributions if pk not in names]:  # reported, but no longer a member
        names.update(Stakeholder.objects.filter(pk__in=unknown).values_list("pk", "name"))
    ids = sorted(contributions, key=lambda pk: names.get(pk, ""))
    hidden = hidden or sharing.Hidden()
    values = [_mark(contributions[pk], pk in hidden.members) for pk in ids]
    total = sum((v for v in contributions.values() if v is not None), Decimal(0)) if ids else None
    total = _mark(total, hidden.total)
    labels = [names.get(pk, "") for pk in ids]
    charted = sorted(range(len(ids)), key=lambda n: _largest_first(values[n]))[:MEMBERS_CHARTED]
    note = ""
    if len(charted) < len(ids):
        note = _("The chart shows the %(shown)s largest contributions; the table lists all %(all)s members.") % {
            "shown": len(charted),
            "all": len(ids),
        }
    table = Table(
        f"members-{indicator.pk}",
        _("Contribution by member"),
        [_("Member"), _("Value")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
        numeric=frozenset({1}),
        footer=[_("All members"), total]
        if calc.member_rule(indicator.member_aggregation) == MemberAggregation.SUM and ids
        else None,
        note=" ".join(n for n in [note, hidden.note] if n),
    )
    if not ids:
        return Panel(_("Contribution by member"), partial(charts.empty, _("No member has reported yet.")), table)
    draw = partial(
        charts.chart,
        "hbar",
        _("%(name)s: contribution by member") % {"name": indicator.name},
        [labels[n] for n in reversed(charted)],  # pygal draws the first bar at the bottom
        [(_("Value"), _chartable([values[n] for n in reversed(charted)]))],
        uid=f"members-{indicator.pk}",
        height=max(160, 40 + 28 * len(charted)),
    )
    return Panel(_("Contribution by member"), draw, table)


def breakdown_grid(
    categories: Sequence[DisaggregationCategory], cells: dict[tuple, Decimal | None]
) -> list[list[Decimal | None]]:
    """The values by the options of the first category (rows) and, if any, the second (columns)."""
    col_options = categories[1].option_list if len(categories) > 1 else [None]
    return [[cells.get((r.pk, c.pk) if c else (r.pk,)) for c in col_options] for r in categories[0].option_list]


def breakdown_difference(grand: Any, headline: Decimal | None) -> str:
    """Why the breakdown's total is not the headline figure, when it is not (both must be known)."""
    if not isinstance(grand, Decimal) or headline is None or grand == headline:
        return ""
    return _(
        "The breakdown adds up to %(breakdown)s while the headline figure is %(headline)s: the breakdown only "
        "counts values reported with it; the rest were reported as a total alone."
    ) % {"breakdown": display(grand), "headline": display(headline)}


def breakdown_panel(
    indicator: Indicator,
    view: View,
    categories: Sequence[DisaggregationCategory],
    cells: dict[tuple, Decimal | None],
    headline: Decimal | None = None,
) -> Panel:
    """Values by the options of the first category (rows) and, if any, the second (columns); ``headline``:
    the indicator's figure over all periods, compared with the breakdown's total."""
    rows_cat, cols_cat = categories[0], (categories[1] if len(categories) > 1 else None)
    row_options = rows_cat.option_list
    col_options = cols_cat.option_list if cols_cat else [None]
    grid = breakdown_grid(categories, cells)
    header = [rows_cat.name, *([c.name for c in cols_cat.option_list] if cols_cat else [_("Value")])]
    suppress = protected(indicator, view)
    summable = indicator.kind in (Kind.COUNT, Kind.MONEY)
    shown: Sequence[Sequence[str | Decimal | None]]
    col_totals: Sequence[str | Decimal | None]
    row_totals: Sequence[str | Decimal | None]
    if suppress:
        result = calc.suppress([[v or 0 for v in row] for row in grid], view.threshold, view.width)
        shown = [
            [result.text(cell) if cell.hidden else grid[r][c] for c, cell in enumerate(cells_row)]
            for r, cells_row in enumerate(result.cells)
        ]
        col_totals = [result.text(c) if c.hidden else c.value for c in result.column_totals]
        row_totals = [result.text(c) if c.hidden else c.value for c in result.row_totals]
        grand = result.text(result.total) if result.total.hidden else result.total.value
    else:
        shown = grid
        column_sums = [sum((row[c] or Decimal(0) for row in grid), Decimal(0)) for c in range(len(col_options))]
        col_totals = column_sums
        row_totals = [sum((v or Decimal(0) for v in row), Decimal(0)) for row in grid]
        grand = sum(column_sums, Decimal(0))
    with_row_totals = cols_cat is not None and summable
    table = Table(
        f"breakdown-{indicator.pk}",
        _("Breakdown by %(category)s") % {"category": " × ".join(c.name for c in categories[:2])},
        [*header, *([_("Total")] if with_row_totals else [])],
        [
            [o.name, *row, *([row_totals[i]] if with_row_totals else [])]
            for i, (o, row) in enumerate(zip(row_options, shown, strict=True))
        ],
        numeric=frozenset(range(1, len(header) + 1)),
        footer=[_("Total"), *col_totals, *([grand] if with_row_totals else [])] if summable else None,
        note=" ".join(
            n
            for n in [hidden_note(view) if suppress else "", breakdown_difference(grand, headline) if summable else ""]
            if n
        ),
    )
    if not any(v is not None for row in grid for v in row):
        return Panel(table.caption, partial(charts.empty, _("No disaggregated values yet.")), table)
    series = (
        [(c.name, _chartable([row[i] for row in shown])) for i, c in enumerate(cols_cat.option_list)]
        if cols_cat
        else [(_("Value"), _chartable([row[0] for row in shown]))]
    )
    draw = partial(
        charts.chart,
        "stacked" if cols_cat and summable else "bar",
        _("%(name)s: %(caption)s") % {"name": indicator.name, "caption": table.caption},
        [o.name for o in row_options],
        series,
        uid=f"breakdown-{indicator.pk}",
    )
    return Panel(table.caption, draw, table)


STATE_LABELS = {"missing": _("Missing"), **dict(Submission.State.choices)}


def completeness_table(completeness: queries.Completeness, *, last: int | None = None) -> Table:
    start = max(0, len(completeness.labels) - last) if last else 0
    return Table(
        f"completeness-{completeness.indicator.pk}",
        _("Data completeness (members × periods)"),
        [_("Member"), *completeness.labels[start:], _("Missing")],
        [
            [r.organisation.name, *[str(STATE_LABELS[s]) for s in r.states[start:]], r.missing]
            for r in completeness.rows
        ],
        numeric=frozenset({len(completeness.labels[start:]) + 1}),
    )


def indicator_panels(
    row: queries.ScorecardRow,
    view: View,
    organisations: Sequence[Stakeholder],
    today: dt.date,
    *,
    completeness_periods: int | None = COMPLETENESS_PERIODS,
) -> IndicatorPanels:
    return panels_of_many([row], view, organisations, today, completeness_periods=completeness_periods)[0]


@dataclass(frozen=True)
class PanelFigures:
    """Everything the panels of several indicators show, fetched for all of them at once."""

    contributions: dict[int, dict[int, Decimal | None]]  # indicator → organisation → value
    categories: dict[int, list[DisaggregationCategory]]  # indicator → the (up to two) it is broken down by
    cells: dict[int, dict[tuple, Any]]  # indicator → option ids → value
    completeness: dict[int, queries.Completeness]
    former: dict[int, str]  # names of contributing organisations no longer reporting
    member_values: dict[int, dict[tuple[int, dt.date], Decimal]]  # protected indicators: (org, period) → value


def protected(indicator: Indicator, view: View) -> bool:
    """Whether the view hides the indicator's small counts (the shared view, count indicators)."""
    return view.shared and indicator.kind == Kind.COUNT


def panel_figures(
    indicators: Sequence[Indicator], view: View, organisations: Sequence[Stakeholder], today: dt.date
) -> PanelFigures:
    """The database work of ``panels_of_many``: a fixed number of queries, whatever the size."""
    contributions = queries.by_member_many(indicators, view.scope)
    categories = {i.pk: i.breakdown[:2] for i in indicators}
    cells: dict[int, dict[tuple, Any]] = {}
    combinations = queries.combination_options(indicators[0].coalition_id) if any(categories.values()) else {}
    for width in (1, 2):  # one statement per table shape
        cells.update(
            queries.table_many(
                [(i, categories[i.pk]) for i in indicators if len(categories[i.pk]) == width],
                view.scope,
                combinations,
            )
        )
    completeness = queries.completeness_many(indicators, today, organisations)
    known = {o.pk for o in organisations}
    unknown = {pk for found in contributions.values() for pk in found if pk not in known}
    former = dict(Stakeholder.objects.filter(pk__in=unknown).values_list("pk", "name")) if unknown else {}
    member_values = queries.member_values_many([i for i in indicators if protected(i, view)], view.scope)
    return PanelFigures(contributions, categories, cells, completeness, former, member_values)


def hidden_figures(row: queries.ScorecardRow, view: View, figures: PanelFigures) -> sharing.Hidden:
    """The member and period figures of one indicator the view hides (none outside the shared view)."""
    indicator = row.indicator
    if not protected(indicator, view):
        return sharing.Hidden()
    hidden = sharing.hidden_figures(
        indicator,
        row.points,
        figures.contributions[indicator.pk],
        figures.member_values[indicator.pk],
        row.latest.period_start if row.latest else None,
        view.threshold,
        view.width,
    )
    return replace(hidden, note=hidden_note(view))


def panels_of_many(
    rows: Sequence[queries.ScorecardRow],
    view: View,
    organisations: Sequence[Stakeholder],
    today: dt.date,
    *,
    completeness_periods: int | None = COMPLETENESS_PERIODS,
    last_periods: int | None = None,
) -> list[IndicatorPanels]:
    """The panels of several indicators of one coalition with a fixed number of queries (each figure
    is fetched for every indicator at once), however many indicators and members there are."""
    if not rows:
        return []
    figures = panel_figures([r.indicator for r in rows], view, organisations, today)
    result = []
    for row in rows:
        indicator = row.indicator
        categories = figures.categories[indicator.pk]
        panels = IndicatorPanels(indicator, row)
        hidden = hidden_figures(row, view, figures)
        panels.panels.append(series_panel(indicator, row, hidden, last_periods))
        panels.panels.append(
            members_panel(indicator, view, organisations, figures.contributions[indicator.pk], figures.former, hidden)
        )
        if categories:
            panels.panels.append(breakdown_panel(indicator, view, categories, figures.cells[indicator.pk], row.to_date))
        panels.completeness = completeness_table(figures.completeness[indicator.pk], last=completeness_periods)
        result.append(panels)
    return result


def indicator_tables(
    indicator: Indicator, view: View, organisations: Sequence[Stakeholder], today: dt.date
) -> dict[str, Table]:
    """Every table of one indicator, by slug kind (``series``, ``members``, ``breakdown``, ``completeness``)."""
    row = queries.scorecard_row(indicator, view.scope)
    panels = indicator_panels(row, view, organisations, today, completeness_periods=None)
    tables = [p.table for p in panels.panels]
    if panels.completeness:
        tables.append(panels.completeness)
    return {t.slug.split("-")[0]: t for t in tables}


# --- Entry grid ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridLayout:
    """Rows are every combination of the options of all categories but the last; columns are the last
    category's options. With no category there is one cell, the total."""

    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[tuple[int, ...]]]  # option ids of each cell


def grid_layout(categories: Sequence[DisaggregationCategory], keep: set[int]) -> GridLayout:
    """``keep``: option ids that must appear even if retired (they hold values)."""
    options = [[o for o in c.options.all() if o.is_active or o.pk in keep] for c in categories]
    if not categories:
        return GridLayout([_("Total")], [_("Value")], [[()]])
    *row_cats, col_opts = options
    row_combos = list(product(*row_cats)) if row_cats else [()]
    return GridLayout(
        [" · ".join(o.name for o in combo) or categories[-1].name for combo in row_combos],
        [o.name for o in col_opts],
        [[tuple(sorted([*(o.pk for o in combo), c.pk])) for c in col_opts] for combo in row_combos],
    )
