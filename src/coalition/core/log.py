"""Log lines that say which request, person and coalition they came from.

``RequestContextMiddleware`` gives each request an id (a well-formed ``X-Request-ID`` from the proxy, or a new
one), returns it in the answer's ``X-Request-ID`` header and keeps it, the signed-in user's id and the
coalition in the address in context variables; ``RequestContextFilter`` adds them to every record, and
``JsonFormatter`` writes one JSON object a line (the production default). Only these ids are added: request
bodies, form fields and headers are never logged, so no secret, feedback text or ballot reaches the logs.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
actor_id: ContextVar[str] = ContextVar("actor_id", default="-")
coalition_id: ContextVar[str] = ContextVar("coalition_id", default="-")

_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex
        tokens = [(var, var.set(value)) for var, value in ((request_id, rid), (actor_id, "-"), (coalition_id, "-"))]
        try:
            response = self.get_response(request)
        finally:
            for var, token in reversed(tokens):
                var.reset(token)
        response["X-Request-ID"] = rid
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        user = getattr(request, "user", None)
        if getattr(view, "log_anonymously", False):
            return  # anonymous feedback and answers: no log line may tie the request to a person
        if user is not None and user.is_authenticated:
            actor_id.set(str(user.pk))
        if "coalition_id" in kwargs:
            coalition_id.set(str(kwargs["coalition_id"]))


V = TypeVar("V", bound=Callable[..., Any])


def log_anonymously(view: V) -> V:
    """Mark a view whose log lines must not name the signed-in person (anonymous feedback, anonymous answers)."""
    view.log_anonymously = True  # type: ignore[attr-defined]  # a marker read by RequestContextMiddleware
    return view


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.actor = actor_id.get()
        record.coalition = coalition_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "actor": getattr(record, "actor", "-"),
            "coalition": getattr(record, "coalition", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
