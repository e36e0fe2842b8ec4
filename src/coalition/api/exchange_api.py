"""DHIS2 dataValueSet export and import over the API (``exchange`` does the work)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Schema, UploadedFile

from coalition.api import exchange, schemas
from coalition.api.base import ERRORS, WRITE_ERRORS, api
from coalition.api.declare import requires
from coalition.api.forms import MAX_EXCHANGE_BYTES
from coalition.api.idempotency import WRITE_EXTRA, idempotent, respond
from coalition.coalitions.access import Access
from coalition.core.permissions import Perm
from coalition.core.tabular import TableError
from coalition.measurement.rules import OWN_ORGANISATION


class Dhis2Value(Schema):
    dataElement: str  # noqa: N815 - DHIS2's own field names
    period: str
    orgUnit: str  # noqa: N815
    categoryOptionCombo: str  # noqa: N815
    value: str


class DataValueSetOut(Schema):
    dataValues: list[Dhis2Value]  # noqa: N815
    skipped: int


class DataValueIn(Schema):
    dataElement: str | None = None  # noqa: N815
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    categoryOptionCombo: str | None = None  # noqa: N815
    attributeOptionCombo: str | None = None  # noqa: N815
    value: str | int | float | None = None
    comment: str | None = None
    storedBy: str | None = None  # noqa: N815
    followup: bool | None = None


class DataValueSetIn(Schema):
    dataSet: str | None = None  # noqa: N815
    completeDate: str | None = None  # noqa: N815
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    attributeOptionCombo: str | None = None  # noqa: N815
    dataValues: list[DataValueIn]  # noqa: N815


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


@api.get(
    "/coalitions/{int:coalition_id}/dhis2/dataValueSets",
    response={200: DataValueSetOut, **ERRORS},
    url_name="dhis2_export",
)
@requires(Perm.ENTER_ANY_DATA)
def export_data_value_set(request: HttpRequest, coalition_id: int) -> dict[str, Any]:
    """Every value whose indicator, organisation and options have DHIS2 codes, as a dataValueSet
    (``skipped`` counts the others). Member-level figures: for those who enter any member's data."""
    exported = exchange.export_values(_access(request))
    return {"dataValues": exported.rows, "skipped": exported.skipped}


@api.get(
    "/coalitions/{int:coalition_id}/dhis2/dataValueSets.csv",
    response={200: None, **ERRORS},
    url_name="dhis2_export_csv",
    openapi_extra={
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    },
)
@requires(Perm.ENTER_ANY_DATA)
def export_data_value_set_csv(request: HttpRequest, coalition_id: int) -> HttpResponse:
    """The same as CSV, with DHIS2's column names."""
    response = HttpResponse(exchange.export_csv(exchange.export_values(_access(request))), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="dataValueSet.csv"'
    return response


def _imported(request: HttpRequest, rows_of: Callable[[], list[dict[str, str]]]) -> HttpResponse:
    """Import the rows through the mapping and measurement's import: 200 with the counts, or 422 listing every
    rejected row (``loc``: the data value's position and DHIS2 field)."""
    try:
        done = exchange.import_values(_access(request), rows_of())
    except TableError as exc:
        return respond(request, {"detail": [{"loc": ["body"], "msg": str(exc), "type": "invalid"}]}, 422)
    if not done.saved:
        detail = [
            {"loc": ["body", "dataValues", e.line - 2, e.column], "msg": e.reason, "type": "invalid"}
            for e in done.errors
        ] or [{"loc": ["body", "dataValues"], "msg": _("No data values."), "type": "invalid"}]
        return respond(request, schemas.ValidationErrorOut(detail=detail).model_dump(), 422)
    return respond(
        request, {"rows": done.rows, "created": done.created, "updated": done.updated, "unchanged": done.unchanged}
    )


@api.post(
    "/coalitions/{int:coalition_id}/dhis2/dataValueSets",
    response={200: ImportOut, **WRITE_ERRORS},
    url_name="dhis2_import",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.ENTER_OWN_DATA, rules=(OWN_ORGANISATION,))
@idempotent
def import_data_value_set(request: HttpRequest, coalition_id: int, payload: DataValueSetIn) -> HttpResponse:
    """Import a JSON dataValueSet through the mapping and measurement's import: all rows saved, or none."""
    return _imported(request, lambda: exchange.rows_of_json(payload.model_dump(mode="json")))


@api.post(
    "/coalitions/{int:coalition_id}/dhis2/dataValueSets.csv",
    response={200: ImportOut, **WRITE_ERRORS},
    url_name="dhis2_import_csv",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.ENTER_OWN_DATA, rules=(OWN_ORGANISATION,))
@idempotent
def import_data_value_set_csv(request: HttpRequest, coalition_id: int, file: File[UploadedFile]) -> HttpResponse:
    """The same from a CSV file with DHIS2's columns (``dataElement, period, orgUnit, categoryOptionCombo,
    value``), sent as the multipart field ``file``; line numbers count from the data value's position."""
    if file.size is not None and file.size > MAX_EXCHANGE_BYTES:
        message = _("The file is larger than 20 MB: split it by period.")
        return respond(request, {"detail": [{"loc": ["body", "file"], "msg": message, "type": "invalid"}]}, 422)
    return _imported(request, lambda: exchange.rows_of_csv(file.read()))
