"""Importing values from a CSV or XLSX file: upload → dry-run preview → confirm; templates per indicator.

Between the preview and the confirmation the upload waits on the server under a random name (never the
name the person gave it), remembered in their session; confirming imports exactly the file that was
previewed, then deletes it. Nothing is saved before the confirmation.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.permissions import Perm
from coalition.core.tabular import TableError, csv_response, hxl_row, wants_hxl, xlsx_response
from coalition.measurement import imports, queries
from coalition.measurement.forms import ImportForm
from coalition.measurement.models import ImportBatch, Indicator
from coalition.stakeholders.models import Stakeholder

SESSION_KEY = "measurement_pending_imports"
PENDING_SECONDS = 24 * 60 * 60


def _pending_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "uploads" / "measurement"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(request: HttpRequest, access: Access, data: bytes, filename: str) -> str:
    """Keep an upload until it is confirmed; returns its token. Old, abandoned uploads are removed."""
    folder = _pending_dir()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - PENDING_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    (folder / token).write_bytes(data)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"coalition": access.coalition.pk, "filename": filename}
    request.session[SESSION_KEY] = pending
    return token


def _take(request: HttpRequest, access: Access, token: str) -> tuple[bytes, str] | None:
    """The upload a token names, if this person previewed it in this coalition; it is then forgotten."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if entry is None or entry["coalition"] != access.coalition.pk:
        return None
    path = _pending_dir() / token
    if not path.is_file():
        return None
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    del pending[token]
    request.session[SESSION_KEY] = pending
    return data, entry["filename"]


def _page(request: HttpRequest, access: Access, **context: Any) -> HttpResponse:
    return render(
        request,
        "measurement/import.html",
        {
            "indicators": queries.active_indicators(access.coalition),
            "batches": ImportBatch.objects.filter(coalition=access.coalition).select_related("imported_by")[:10],
            "on_behalf_allowed": access.can(Perm.ENTER_ANY_DATA),
            **context,
        },
    )


@coalition_view(Perm.ENTER_OWN_DATA)
def import_upload(request: HttpRequest, access: Access) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            preview = imports.preview_import(access, data, upload.name)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            token = _store(request, access, data, upload.name) if preview.ok else ""
            return _page(request, access, form=ImportForm(), preview=preview, token=token, filename=upload.name)
    return _page(request, access, form=form)


@require_POST
@coalition_view(Perm.ENTER_OWN_DATA)
def import_confirm(request: HttpRequest, access: Access) -> HttpResponse:
    taken = _take(request, access, request.POST.get("token", ""))
    if taken is None:
        messages.error(request, _("That preview has expired or was already imported. Upload the file again."))
        return redirect("measurement:import", access.coalition.pk)
    data, filename = taken
    try:
        batch, preview = imports.do_import_values(access, data, filename)
    except TableError as error:
        messages.error(request, str(error))
        return redirect("measurement:import", access.coalition.pk)
    if batch is None:  # the data changed since the preview and some rows are now refused
        return _page(request, access, form=ImportForm(), preview=preview, token="", filename=filename)
    messages.success(
        request,
        _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"file": filename, "created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged},
    )
    return redirect("measurement:import", access.coalition.pk)


@coalition_view(Perm.ENTER_OWN_DATA)
def import_template(request: HttpRequest, access: Access, indicator_id: int) -> HttpResponse:
    indicator = scoped_get(access, Indicator.objects.prefetch_related("categories__options"), pk=indicator_id)
    header, rows = imports.template(indicator)
    if access.organisation_id and not access.can(Perm.ENTER_ANY_DATA):
        name = scoped_get(access, Stakeholder, pk=access.organisation_id).name
        rows = [[*row[:2], name, *row[3:]] for row in rows]
    fmt = request.GET.get("format", "csv")
    writers = {"csv": csv_response, "xlsx": xlsx_response}
    if fmt not in writers:
        raise Http404
    hxl = hxl_row(header, imports.HXL_TAGS, imports.HXL_CATEGORY) if wants_hxl(request.GET) else None
    return writers[fmt](f"{slugify(indicator.name) or 'indicator'}-template.{fmt}", header, rows, hxl)
