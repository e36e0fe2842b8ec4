"""The hub's "who is late" screen: every report expected and overdue or due soon, filterable, as CSV too."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access, coalition_view
from coalition.core.listing import paginate
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response
from coalition.measurement import late, queries
from coalition.measurement.forms import LateFilterForm
from coalition.measurement.models import Indicator
from coalition.stakeholders.models import Stakeholder

PER_PAGE = 100


@coalition_view(Perm.APPROVE_DATA)
def late_reports(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    organisations = queries.reporting_organisations(coalition)
    form = LateFilterForm(
        request.GET or None,
        indicators=Indicator.objects.filter(coalition=coalition, is_archived=False)
        .filter(Q(is_shared=True) | Q(owner_organisation__isnull=False))
        .only("pk", "name"),
        organisations=Stakeholder.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name"),
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    indicator, organisation = chosen.get("indicator"), chosen.get("organisation")
    names = {o.pk: o.name for o in organisations if organisation is None or o.pk == organisation.pk}
    today = timezone.localdate()
    reports = [
        r
        for r in late.open_reports({coalition.pk: list(names)}, today, indicator.pk if indicator else None)
        if r.chased
    ]
    reports.sort(key=lambda r: (-r.days_late, r.indicator, names[r.organisation_id]))
    if request.GET.get("format") == "csv":
        return csv_response(
            f"late-reports-{today:%Y%m%d}.csv",
            [_("Indicator"), _("Member"), _("Period"), _("Period ends"), _("Due on"), _("Days late"), _("State")],
            (
                [
                    r.indicator,
                    names[r.organisation_id],
                    r.period,
                    r.period_end.isoformat(),
                    r.due_on.isoformat(),
                    max(r.days_late, 0),
                    _("Overdue") if r.overdue else _("Due soon"),
                ]
                for r in reports
            ),
        )
    page, query = paginate(request, reports, PER_PAGE)
    rows = [(r, names[r.organisation_id]) for r in page.object_list]
    csv_query = request.GET.copy()
    csv_query.pop("page", None)
    csv_query["format"] = "csv"
    return render(
        request,
        "measurement/late.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "rows": rows,
            "overdue": sum(r.overdue for r in reports),
            "due_soon": sum(not r.overdue for r in reports),
            "csv_url": reverse("measurement:late", kwargs={"coalition_id": coalition.pk}) + "?" + csv_query.urlencode(),
        },
    )
