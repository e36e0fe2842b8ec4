"""The DHIS2 exchange screen (the hub): the mapping from our indicators, organisations and option combinations to
DHIS2 identifiers, a dataValueSet download (JSON or CSV) and an upload that imports one through the mapping."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from coalition.api import exchange
from coalition.api.actions import do_set_dhis2_codes
from coalition.api.forms import Dhis2CodesForm, Dhis2UploadForm
from coalition.api.models import Dhis2Code
from coalition.coalitions.access import Access, coalition_view
from coalition.core.forms import run_action, submitted
from coalition.core.permissions import Perm
from coalition.core.tabular import TableError, group_errors
from coalition.measurement.models import Indicator
from coalition.stakeholders.models import Stakeholder

Kind = Dhis2Code.Kind


def _rows(access: Access) -> list[tuple[str, str, str, str]]:
    """Every record that may carry a code: live indicators, organisations on the map, option combinations."""
    coalition = access.coalition
    codes = {(c.kind, c.local_key): c.code for c in Dhis2Code.objects.filter(coalition=coalition)}
    records = [
        *(
            (Kind.INDICATOR, str(i.pk), i.name)
            for i in Indicator.objects.filter(coalition=coalition, is_archived=False)
        ),
        *(
            (Kind.ORGANISATION, str(s.pk), s.name)
            for s in Stakeholder.objects.filter(coalition=coalition, is_archived=False, kind="organisation")
        ),
        *((Kind.COMBINATION, key, label) for key, label in exchange.combination_choices(coalition)),
    ]
    fallback = {(Kind.COMBINATION, ""): exchange.DEFAULT_COMBO}
    return [(kind, key, label, codes.get((kind, key), fallback.get((kind, key), ""))) for kind, key, label in records]


def _page(request: HttpRequest, form: Dhis2CodesForm, upload: Dhis2UploadForm, **extra: object) -> HttpResponse:
    context = {"form": form, "upload": upload, **extra}
    status = 400 if form.errors or upload.errors or extra.get("errors") else 200
    return TemplateResponse(request, "api/dhis2.html", context, status=status)


@coalition_view(Perm.ENTER_ANY_DATA)
def mapping(request: HttpRequest, access: Access) -> HttpResponse:
    form = Dhis2CodesForm(request.POST or None, rows=_rows(access))
    if submitted(request, form) and run_action(form, do_set_dhis2_codes, access, form.codes()):
        messages.success(request, _("DHIS2 identifiers saved."))
        return redirect("exchange:dhis2", access.coalition.pk)
    return _page(request, form, Dhis2UploadForm())


@coalition_view(Perm.ENTER_ANY_DATA)
def export(request: HttpRequest, access: Access) -> HttpResponse:
    """The coalition's mapped values as a dataValueSet: ``?format=csv`` or JSON."""
    exported = exchange.export_values(access)
    if request.GET.get("format") == "csv":
        response = HttpResponse(exchange.export_csv(exported), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="dataValueSet.csv"'
        return response
    response = HttpResponse(json.dumps(exchange.export_json(exported), indent=1), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="dataValueSet.json"'
    return response


@coalition_view(Perm.ENTER_ANY_DATA)
def upload(request: HttpRequest, access: Access) -> HttpResponse:
    """Import an uploaded dataValueSet: every row saved, or none and each rejected row listed by its line."""
    form = Dhis2UploadForm(request.POST or None, request.FILES or None)
    if not submitted(request, form):
        return _page(request, Dhis2CodesForm(rows=_rows(access)), form)
    file = form.cleaned_data["file"]
    try:
        done = exchange.import_values(access, exchange.rows_of_upload(file.read(), file.name), file.name)
    except TableError as exc:
        form.add_error("file", str(exc))
        return _page(request, Dhis2CodesForm(rows=_rows(access)), form)
    if not done.saved:
        errors = group_errors(done.errors) or [{"reason": _("The file has no data values."), "lines": [], "count": 0}]
        return _page(request, Dhis2CodesForm(rows=_rows(access)), form, errors=errors)
    messages.success(
        request,
        _("%(rows)s data values imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
        % {"rows": done.rows, "created": done.created, "updated": done.updated, "unchanged": done.unchanged},
    )
    return redirect("exchange:dhis2", access.coalition.pk)
