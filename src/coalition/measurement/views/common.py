"""Helpers shared by the measurement views: which view of the data a person gets, exports, dates."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from coalition.coalitions.access import Access
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response, wants_hxl, xlsx_response
from coalition.measurement.presenters import Table, View

FORMATS = {"csv": csv_response, "xlsx": xlsx_response}


def data_view(request: HttpRequest, access: Access) -> View:
    """Members always get the shared view; the hub sees raw numbers unless it asks for the shared one."""
    shared = not access.can(Perm.VIEW_UNSUPPRESSED) or request.GET.get("view") == "shared"
    coalition = access.coalition
    return View(shared=shared, threshold=coalition.small_cell_threshold, protection_width=coalition.protection_width)


def export(request: HttpRequest, table: Table, view: View) -> HttpResponse:
    """The table as CSV (default) or XLSX; a shared export says so in its name."""
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    suffix = "-shared" if view.shared else ""
    filename = f"{slugify(table.caption) or table.slug}{suffix}-{timezone.localdate():%Y%m%d}.{fmt}"
    return FORMATS[fmt](filename, table.header, table.export_rows, hxl_of(table) if wants_hxl(request.GET) else None)


def hxl_of(table: Table) -> list[str]:
    """A table's HXL hashtag row: its first column names what each row is about, its numeric columns are
    indicator values, the rest are described (``#meta``)."""
    return [
        "#meta +row" if i == 0 else "#indicator +num" if i in table.numeric else "#meta"
        for i in range(len(table.header))
    ]
