"""``{% may_open "app:name" as url %}``: the link to a coalition screen, or nothing if the person's
permissions do not open it (read from the permission the screen's view declares)."""

from __future__ import annotations

from typing import Any

from django import template

from coalition.core.navigation import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: dict[str, Any], url_name: str, **kwargs: Any) -> str:
    access = context.get("access")
    if access is None:
        return ""
    return _may_open(access, url_name, **kwargs) or ""
