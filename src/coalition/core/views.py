from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from coalition.core.health import run_checks


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database, the cache and the worker are well, else 503."""
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    body = {"status": "ok" if healthy else "unhealthy", "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return JsonResponse(body, status=200 if healthy else 503)
