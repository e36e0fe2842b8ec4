"""Paginated lists that keep their filters in the page links."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


def paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Page, str]:
    """The requested page of ``items`` and the query string (without ``page``) for the page links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def htmx_target(request: HttpRequest) -> str | None:
    """The id of the element an htmx request asks to refresh; None for an ordinary request."""
    details: HtmxDetails | None = getattr(request, "htmx", None)
    return details.target if details else None


def render_list(request: HttpRequest, template: str, results_template: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or only its results when htmx asks to refresh ``#results`` (search, page links)."""
    if htmx_target(request) == "results":
        return render(request, results_template, context)
    return render(request, template, context)
