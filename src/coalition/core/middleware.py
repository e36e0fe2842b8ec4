"""Answers the site gives before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

LARGEST_ID = 2**63 - 1  # no database row has a larger id (SQLite cannot even compare with one)


@csrf_exempt  # nothing is written; a POST to a wrong address gets the JSON 404, not the CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """The API's 404 for any address under ``/api/`` that no operation matches: JSON, like its other errors."""
    return JsonResponse({"detail": "Not Found"}, status=404)


class OutOfRangeIdMiddleware:
    """An id in the address beyond any row's gets the same 404 as a missing row, instead of a database error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if any(isinstance(value, int) and not 0 <= value <= LARGEST_ID for value in (*args, *kwargs.values())):
            if request.path.startswith("/api/"):
                return api_not_found(request)
            raise Http404
        return None
