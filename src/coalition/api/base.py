"""The Ninja API object, its authentication (a personal access token or the session) and the JSON
answers every refusal gets. Operations are registered by ``views`` (reads), ``writes`` and ``exchange``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from coalition.api import schemas
from coalition.api.declare import MINUTE, RateLimited
from coalition.api.tokens import BearerToken
from coalition.coalitions.actions import StaleVersion

api = NinjaAPI(
    title="Coalition API",
    version="1",
    description=(
        "Authenticate with a personal access token (`Authorization: Bearer coa_…`, made at /account/tokens/) "
        "or a signed-in session. Writes accept an `Idempotency-Key` header (a replay gets the first answer) "
        "and `If-Match` with the record's `etag` (a stale write gets 409)."
    ),
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url=None,
)

ERRORS: dict[int, type[Schema]] = {
    401: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    422: schemas.ValidationErrorOut,
    429: schemas.ErrorOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: schemas.ErrorOut}


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("You do not have permission to do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Too many requests: wait a minute and try again.")}, status=429
    )
    response["Retry-After"] = str(MINUTE)
    return response


@api.exception_handler(StaleVersion)
def stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    detail = _("Someone changed this record since you read it: fetch it again and reapply your change.")
    return api.create_response(request, {"detail": detail}, status=409)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """An action refused the change: one entry per fault, keyed by the field it names, like Ninja's own 422."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", name], "msg": message, "type": "invalid"}
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    else:
        detail = [{"loc": ["body"], "msg": message, "type": "invalid"} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)
