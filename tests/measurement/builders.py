"""Builders for measurement tests: indicators, categories and values created through the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from coalition.coalitions.access import Access, get_access
from coalition.coalitions.models import Coalition
from coalition.measurement import actions
from coalition.measurement.models import DisaggregationCategory, Indicator

START = dt.date(2025, 1, 1)


def hub_access(coalition: Coalition) -> Access:
    hub = coalition.memberships.filter(roles__role="hub", is_active=True).first()
    return get_access(hub.user, coalition.pk)


def access(user: Any, coalition: Coalition) -> Access:
    return get_access(user, coalition.pk)


def make_indicator(coalition: Coalition, name: str | None = None, **fields: Any) -> Indicator:
    fields.setdefault("starts_on", START)
    fields.setdefault("frequency", "quarterly")
    name = name or f"Indicator {Indicator.objects.count() + 1}"
    return actions.do_save_indicator(hub_access(coalition), name=name, **fields)


def make_category(coalition: Coalition, name: str = "Sex", options: tuple[str, ...] = ("Female", "Male")):
    return actions.do_save_category(hub_access(coalition), name=name, options=options)


def options_of(category: DisaggregationCategory) -> list[int]:
    return list(category.options.order_by("order").values_list("pk", flat=True))


def entry(value: Any = None, *options: int, numerator: Any = None, denominator: Any = None) -> actions.Entry:
    dec = lambda x: None if x is None else Decimal(str(x))  # noqa: E731
    return actions.Entry(tuple(options), dec(value), dec(numerator), dec(denominator))
