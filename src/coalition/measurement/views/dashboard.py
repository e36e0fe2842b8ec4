"""The coalition's measurement dashboard: scorecard for every indicator, charts for the shared ones."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.permissions import Perm
from coalition.core.routing import replica_reads
from coalition.measurement import freshness, presenters, queries
from coalition.measurement.models import Indicator
from coalition.measurement.views.common import data_view, export


@never_cache
@coalition_view(Perm.VIEW_MEASUREMENT)
@replica_reads
def dashboard(request: HttpRequest, access: Access) -> HttpResponse:
    view = data_view(request, access)
    all_periods = request.GET.get("periods") == "all"
    periods = None if all_periods else presenters.DASHBOARD_PERIODS
    data = freshness.dashboard_data(access.coalition, view, timezone.localdate(), periods)
    return render(
        request,
        "measurement/dashboard.html",
        {
            "view": view,
            "rows": data.rows,
            "scorecard": presenters.scorecard_table(data.rows),
            "shared": data.shared,
            "all_periods": all_periods,
            "periods_default": presenters.DASHBOARD_PERIODS,
            "periods_shown": max((len(r.points) for r in data.rows), default=0)
            if all_periods
            else presenters.DASHBOARD_PERIODS,
            "can_define": access.can(Perm.DEFINE_INDICATORS),
            "can_unsuppressed": access.can(Perm.VIEW_UNSUPPRESSED),
        },
    )


@coalition_view(Perm.VIEW_MEASUREMENT)
@replica_reads
def export_scorecard(request: HttpRequest, access: Access) -> HttpResponse:
    view = data_view(request, access)
    rows = freshness.dashboard_data(access.coalition, view, timezone.localdate()).rows
    return export(request, presenters.scorecard_table(rows), view)


@coalition_view(Perm.VIEW_MEASUREMENT)
@replica_reads
def export_indicator_table(request: HttpRequest, access: Access, indicator_id: int, table: str) -> HttpResponse:
    indicator = scoped_get(access, Indicator, pk=indicator_id)
    view = data_view(request, access)
    tables = presenters.indicator_tables(
        indicator, view, queries.reporting_organisations(access.coalition), timezone.localdate()
    )
    if table not in tables:
        raise Http404
    return export(request, tables[table], view)
