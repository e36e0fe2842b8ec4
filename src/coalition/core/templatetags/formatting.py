"""Numbers as the active language writes them: ``{% load formatting %}``."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str = "") -> str:
    """An amount with its currency code, grouped and with two decimals in the active language's way
    (``1,234.50 EUR`` in English, ``1 234,50 EUR`` in French); ``—`` when there is none. Amounts in
    different currencies are never added up, so the code always travels with the figure."""
    if amount is None:
        return "—"
    figure = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{figure}\N{NO-BREAK SPACE}{currency}" if currency else figure
