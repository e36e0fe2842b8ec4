"""``Idempotency-Key`` on writes and ``If-Match`` optimistic concurrency.

A write sent with an ``Idempotency-Key`` stores its answer (status, body) under (caller, key). The same
caller sending the same key again gets that first answer back, with ``Idempotent-Replayed: true``, and
nothing is written twice. The same key with a different request (method, path or body) is refused
with 422, since it is a client bug. Refusals raised before the write (403, 404, 409, 422) are not
stored: they changed nothing, so a retry may succeed later.

Every writable record carries an ``etag`` (in the body and the ``ETag`` header). A write with
``If-Match`` naming another etag is refused with 409: someone saved the record in between.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from coalition.api.base import api
from coalition.api.models import IdempotentAnswer
from coalition.coalitions.actions import StaleVersion

HEADER = "Idempotency-Key"
MAX_KEY = 255
KEY_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY},
    "description": "Send the same key again to get the first answer instead of writing twice.",
}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The record's etag as you read it: a stale write gets 409.",
}
WRITE_EXTRA = {"parameters": [KEY_PARAMETER]}
UPDATE_EXTRA = {"parameters": [KEY_PARAMETER, IF_MATCH_PARAMETER]}


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in ((request.method or "").encode(), request.get_full_path().encode(), request.body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _invalid_key(request: HttpRequest, message: str) -> HttpResponse:
    return api.create_response(
        request, {"detail": [{"loc": ["header", HEADER], "msg": message, "type": "invalid"}]}, status=422
    )


def idempotent(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a write that returns a finished ``HttpResponse`` (put it under ``requires``)."""

    @wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None:
            return func(request, *args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY:
            return _invalid_key(request, _("An Idempotency-Key has 1 to 255 characters."))
        fingerprint = _fingerprint(request)
        user: Any = request.user  # signed in: ``requires`` ran first
        stored = IdempotentAnswer.objects.filter(user=user, key=key).first()
        if stored is not None:
            if stored.fingerprint != fingerprint:
                return _invalid_key(request, _("This Idempotency-Key was used for a different request."))
            replay = HttpResponse(bytes(stored.body), status=stored.status, content_type=stored.content_type)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = func(request, *args, **kwargs)
        if response.status_code < 500:
            try:
                with transaction.atomic():
                    IdempotentAnswer.objects.create(
                        user=user,
                        key=key,
                        fingerprint=fingerprint,
                        status=response.status_code,
                        body=response.content,
                        content_type=response.get("Content-Type", "application/json"),
                    )
            except IntegrityError:  # a concurrent request with the same key stored its answer first
                pass
        return response

    return wrapper


def etag_of(obj: models.Model) -> str:
    """A version tag of a record: changes whenever the record is saved (its ``version`` if it has one,
    else its ``updated_at``)."""
    stamp = getattr(obj, "version", None) or getattr(obj, "updated_at", "")
    raw = f"{obj._meta.label_lower}:{obj.pk}:{stamp}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:20] + '"'


def check_fresh(request: HttpRequest, obj: models.Model) -> None:
    """Refuse (``StaleVersion``, answered 409) a write whose ``If-Match`` names an older version. Call it
    with the record locked (``select_for_update``) inside the write's transaction."""
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    if etag_of(obj) not in {tag.strip().removeprefix("W/") for tag in wanted.split(",")}:
        raise StaleVersion


def respond(request: HttpRequest, data: Any, status: int = 200, obj: models.Model | None = None) -> HttpResponse:
    """A finished JSON answer (so ``idempotent`` can keep it), with the record's ``ETag``."""
    response = api.create_response(request, data, status=status)
    if obj is not None:
        response["ETag"] = etag_of(obj)
    return response
