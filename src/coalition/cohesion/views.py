"""Cohesion screens: computed indicators and their records, the health check, the sustainability plan."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coalition.coalitions.access import Access, coalition_view
from coalition.cohesion import queries, records
from coalition.cohesion.computations import CATALOGUE
from coalition.core.forms import run_action_message
from coalition.core.permissions import Perm
from coalition.measurement import actions as measurement_actions
from coalition.measurement.computed import computation

MAX_DAYS = 400  # a records page covers at most about a year


@coalition_view(Perm.VIEW_COHESION, write=Perm.DEFINE_INDICATORS)
def indicators(request: HttpRequest, access: Access) -> HttpResponse:
    """The cohesion figures of the guide: add one as an indicator, refresh them all from the records."""
    if request.method == "POST":
        key = request.POST.get("key", "")
        if request.POST.get("refresh"):
            done = run_action_message(
                request, measurement_actions.do_refresh_all_computed, access.coalition, request.user
            )
            if done:
                messages.success(request, _("Every computed indicator was recomputed from the records."))
        elif key in {entry.key for entry in CATALOGUE}:
            added = run_action_message(
                request, measurement_actions.do_add_computed_indicator, access.coalition, key, request.user
            )
            if added:
                messages.success(request, _("“%(name)s” is now an indicator.") % {"name": added.value.name})
        return redirect("cohesion:indicators", access.coalition.pk)
    return TemplateResponse(
        request,
        "cohesion/indicators.html",
        {"rows": queries.catalogue(access.coalition), "can_define": access.can(Perm.DEFINE_INDICATORS)},
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@require_safe
@coalition_view(Perm.VIEW_COHESION)
def records_page(request: HttpRequest, access: Access) -> HttpResponse:
    """What one period's figure counts, record by record."""
    key = request.GET.get("key", "")
    first, last = _date(request.GET.get("first", "")), _date(request.GET.get("last", ""))
    found = computation(key)
    listed = None
    if found is not None and first and last and first <= last and (last - first).days <= MAX_DAYS:
        listed = records.records(access.coalition, key, first, last)
    if found is None or first is None or last is None or listed is None:
        return TemplateResponse(request, "cohesion/records_unknown.html", {}, status=400)
    value = found.compute(access.coalition, first, last)
    return TemplateResponse(
        request,
        "cohesion/records.html",
        {"computation": found, "first": first, "last": last, "records": listed, "value": value},
    )
