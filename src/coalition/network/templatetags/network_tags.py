from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def field(obj: Any, name: str) -> Any:
    """``answer|field:"trust_open"`` — an attribute by name, or None when there is no object."""
    return getattr(obj, name, None) if obj is not None else None


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f} %"


@register.filter
def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def signed(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:+d}" if isinstance(value, int) else f"{value:+.{digits}f}"


@register.filter
def points(value: float | None, digits: int = 1) -> str:
    """A change between two shares in percentage points, signed: 0.07 → "+7.0 pts", the unit of ``percent``."""
    return "—" if value is None else _("%(change)s pts") % {"change": f"{100 * value:+.{digits}f}"}
