"""Template helpers of the measurement screens."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from coalition.measurement import calc, presenters
from coalition.measurement.models import Indicator
from coalition.measurement.presenters import Table, View, display
from coalition.measurement.queries import ScorecardRow

register = template.Library()


@register.simple_tag
def export_url(indicator: Indicator, table: Table, view: View) -> str:
    """The download address of one of an indicator's tables, ending ready for ``format=…``."""
    url = reverse(
        "measurement:export_indicator_table",
        kwargs={
            "coalition_id": indicator.coalition_id,
            "indicator_id": indicator.pk,
            "table": table.slug.split("-")[0],
        },
    )
    return f"{url}?view=shared&" if view.shared else f"{url}?"


@register.filter
def figure(value: object) -> str:
    return display(value)


@register.filter
def percent(value: object) -> str:
    """A percentage as shown everywhere: a whole number, rounded half up (12.5 → 13)."""
    return display(calc.shown_percent(value)) if isinstance(value, Decimal) else display(value)


@register.simple_tag
def sparkline(row: ScorecardRow, last: int) -> SafeString:
    return presenters.sparkline(row, last)


@register.simple_tag
def to_date_text(row: ScorecardRow) -> str:
    return presenters.to_date_text(row)
